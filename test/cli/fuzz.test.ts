import * as fs from 'fs';
import * as fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { cli, fixture } from './run-cli';

// Whatever the input, every command ends with 0, 1 or 2 and never with "unexpected error" (a stack
// trace): random YAML, and valid manifests from the fixtures with values, types and structure mutated.

const FIXTURES = ['psa.yaml', 'kubectl-dump.yaml', 'cdk8s-plus-deployment.yaml', 'multi-doc.yaml', 'diff/base.yaml'];
const DOCUMENTS: unknown[] = FIXTURES.flatMap(name => parseAllDocuments(fs.readFileSync(fixture(name), 'utf8'))
  .flatMap(d => (Array.isArray(d) ? [] : [d.toJS()]))
  .filter(v => v !== null && v !== undefined));
const BASE = fixture('diff/base.yaml');

/** Every command, reading the input from stdin (as -f, --object or --head). */
const COMMANDS: readonly string[][] = [
  ['check', '-f', '-'],
  ['check', '-f', '-', '--format', 'sarif'],
  ['reach', '-f', '-', '--level', 'namespace', '--format', 'json'],
  ['reach', '-f', '-', '--level', 'pod'],
  ['pod-security', '-f', '-'],
  ['pod-security', '-f', '-', '--level', 'restricted', '--format', 'json'],
  ['admit', '-f', BASE, '--object', '-', '--operation', 'CREATE', '--user', 'someone'],
  ['diff', '--base', BASE, '--head', '-', '--format', 'json'],
  ['evidence', '-f', '-', '--format', 'json'],
  ['evidence', '-f', '-', '--fail-on', 'fail'],
];

type Mutation = { at: number; op: 'replace' | 'delete' | 'stringify' | 'wrap' | 'empty'; value: unknown };

/** The mutable places of a value: [holder, key] pairs, depth first. */
function places(value: unknown, into: Array<[Record<string, unknown> | unknown[], string | number]> = []) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => { into.push([value, i]); places(v, into); });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { into.push([value as Record<string, unknown>, k]); places(v, into); }
  }
  return into;
}

function mutate(docs: unknown[], mutations: readonly Mutation[]): unknown[] {
  const copy = JSON.parse(JSON.stringify(docs)) as unknown[];
  for (const m of mutations) {
    const all = places(copy);
    if (all.length === 0) break;
    const [holder, key] = all[m.at % all.length];
    const old = (holder as any)[key];
    switch (m.op) {
      case 'replace': (holder as any)[key] = m.value; break;
      case 'stringify': (holder as any)[key] = typeof old === 'string' ? old : JSON.stringify(old) ?? 'null'; break;
      case 'wrap': (holder as any)[key] = [old]; break;
      case 'empty': (holder as any)[key] = Array.isArray(old) ? [] : typeof old === 'object' && old !== null ? {} : ''; break;
      case 'delete':
        if (Array.isArray(holder)) holder.splice(key as number, 1);
        else delete holder[key as string];
        break;
    }
  }
  return copy;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'stringify', 'wrap', 'empty'),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('true', 'NET_ADMIN', 'ALL', '0.0.0.0/0', '10.0.0.0/33', 'TCP', 'SCTP', 'restricted', 'v1.99', 'latest', '*', '', '-1', '65536', 'http', 5, -1, 0, 65536, 1.5, 1e21),
  ),
});

const manifestText: fc.Arbitrary<string> = fc.tuple(
  fc.array(fc.nat(DOCUMENTS.length - 1), { minLength: 1, maxLength: 6 }),
  fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
).map(([picks, mutations]) => mutate(picks.map(i => DOCUMENTS[i]), mutations).map(d => stringify(d)).join('---\n'));

const TOKENS = ['apiVersion: v1', 'kind: Pod', 'kind: Namespace', 'kind: NetworkPolicy', 'kind: List', 'items:', 'metadata:', 'name: a', 'namespace: b',
  'spec:', 'containers:', '- ', '  ', '---', '&a', '*a', '<<: *a', '{', '}', '[', ']', ':', '"', "'", '#', '!!str', '!!binary', '|', '>', '\n', '\t', '? ', '%YAML 1.2', '...', '{{ .Values.x }}'];
const randomYaml: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map(t => t.join(' ')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map(t => t.join('\n')),
  fc.string({ maxLength: 200 }),
);

async function expectSurvives(text: string): Promise<void> {
  for (const args of COMMANDS) {
    const r = await cli(args, text);
    if (![0, 1, 2].includes(r.code) || r.stderr.includes('unexpected error')) {
      throw new Error(`namespace-guard ${args.join(' ')} exited ${r.code}:\n${r.stderr.slice(0, 2000)}`);
    }
  }
}

jest.setTimeout(60_000);

// About 20 s together; raise numRuns locally to hunt further.
test('every command survives mutated manifests', async () => {
  await fc.assert(fc.asyncProperty(manifestText, expectSurvives), { numRuns: 250 });
});

test('every command survives random YAML', async () => {
  await fc.assert(fc.asyncProperty(randomYaml, expectSurvives), { numRuns: 150 });
});

/**
 * `namespace-guard diff` benchmark: the command over two synthesized outputs of N TenantNamespace
 * bundles with 3 workloads each (a base, and a head where one tenant enforces a lower Pod Security
 * level, has a larger CPU quota and accepts traffic from another tenant), beside the time to merely
 * parse both files (the floor: the command must read both).
 *
 *   diff  - the command in-process (`run(['diff', '--base', base, '--head', head, '--format', 'json'])`):
 *           read and parse both files, build both cluster models and namespace matrices, compare.
 *   parse - both files read and parsed into plain objects with the `yaml` package the command uses
 *           (parseAllDocuments, then toJS per document), nothing else.
 *
 * The YAML is synthesized once, untimed; the head is the base with a few lines edited. Both
 * measurements run alternately in one process with a GC before each run; the medians and their
 * ratio are reported (goal: diff at most 5 times the parse floor). Run alone with:
 *
 *   TS_NODE_PROJECT=bench/tsconfig.json node --expose-gc -r ts-node/register/transpile-only bench/diff.bench.ts [--quick]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { gc, median, tenantApp } from './common';
import { run } from '../src/cli/main';

const quick = process.argv.includes('--quick');
const TENANTS = quick ? 200 : 1000;
const RUNS = quick ? 1 : 5;
const MAX_RATIO = 5;

/** The base with one tenant opened up: what a careless pull request might do. */
function changed(base: string, tenant: string, other: string): string {
  const namespaceDoc = new RegExp(`(kind: Namespace\\nmetadata:\\n(?:  .*\\n)*?    pod-security\\.kubernetes\\.io/enforce: )restricted(\\n(?:  .*\\n)*?  name: ${tenant}\\n)`);
  let head = base.replace(namespaceDoc, '$1baseline$2');
  if (head === base) throw new Error(`no Namespace ${tenant} with an enforce label in the synthesized YAML`);
  const opened = `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: from-${other}\n  namespace: ${tenant}\n`
    + 'spec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n'
    + `              kubernetes.io/metadata.name: ${other}\n      ports:\n        - port: 8443\n`
    + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: to-${tenant}\n  namespace: ${other}\n`
    + 'spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n'
    + `              kubernetes.io/metadata.name: ${tenant}\n      ports:\n        - port: 8443\n`;
  head = `${head.trimEnd()}\n${opened}`;
  return head;
}

function timed(fn: () => unknown): number {
  gc();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  gc();
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const base = tenantApp(TENANTS).app.synthYaml();
  const head = changed(base, 'tenant-00001', 'tenant-00002');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-bench-'));
  const baseFile = path.join(dir, 'base.k8s.yaml');
  const headFile = path.join(dir, 'head.k8s.yaml');
  fs.writeFileSync(baseFile, base);
  fs.writeFileSync(headFile, head);
  let report = '';
  let code = -1;
  const diff = async () => {
    report = '';
    code = await run(['diff', '--base', baseFile, '--head', headFile, '--format', 'json', '--quiet'], {
      stdout: (text) => { report += text; },
      stderr: () => undefined,
    });
  };
  let documents = 0;
  const parse = () => {
    documents = 0;
    for (const file of [baseFile, headFile]) {
      const parsed = parseAllDocuments(fs.readFileSync(file, 'utf8'));
      const docs = Array.isArray(parsed) ? parsed : [];
      documents += docs.map(d => d.toJS()).filter(v => v !== null && v !== undefined).length;
    }
  };

  await diff(); // warm-up, untimed
  parse();
  const diffs: number[] = [];
  const parses: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      diffs.push(await timedAsync(diff));
      parses.push(timed(parse));
    } else {
      parses.push(timed(parse));
      diffs.push(await timedAsync(diff));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`diff exited ${code}`);
  const result = JSON.parse(report);
  if (!result.opens || result.flows.added.length !== 1 || result.podSecurity.length !== 1) {
    throw new Error(`unexpected diff: ${report.slice(0, 500)}`);
  }

  const d = median(diffs);
  const p = median(parses);
  const ratio = d / p;
  console.log(`diff benchmark (${quick ? 'quick' : 'full'}): median of ${RUNS} run(s), node ${process.version}`);
  console.log(`  input: two outputs of ${TENANTS} TenantNamespace bundles with 3 workloads each, ${documents} documents, `
    + `${((base.length + head.length) / 1e6).toFixed(1)} MB of YAML`);
  console.log(`  parse both files (floor) ${p.toFixed(0).padStart(7)} ms   runs: ${parses.map(x => x.toFixed(0)).join(', ')}`);
  console.log(`  namespace-guard diff     ${d.toFixed(0).padStart(7)} ms   runs: ${diffs.map(x => x.toFixed(0)).join(', ')}`);
  console.log(`  ratio diff / parse       ${ratio.toFixed(2).padStart(7)}      target <= ${MAX_RATIO}: ${ratio <= MAX_RATIO ? 'PASS' : 'FAIL'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

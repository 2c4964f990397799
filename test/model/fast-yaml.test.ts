// The manifest reader has a fast path (js-yaml) and a full reader (the yaml package). Whatever the
// fast path reads, it must read exactly as the full reader does: the same values, document numbers
// and lines, or the same error. These tests hold the two against each other.
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as jsyaml from 'js-yaml';
import { stringify } from 'yaml';
import { readFast, SCALAR_STARTS } from '../../src/model/fast-yaml';
import { Manifest, parseManifests, parseYamlManifests } from '../../src/model/manifests';
import { PLAIN_SCALARS, resolvePlainScalar } from '../../src/model/yaml-scalars';

type Outcome = { manifests: Manifest[] } | { error: string };

function outcome(read: () => Manifest[]): Outcome {
  try {
    return { manifests: read() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Both readers on one text: they must agree. Returns whether the fast path took it. */
function expectSameReading(text: string): boolean {
  const both = outcome(() => parseManifests(text, 'in.yaml'));
  const full = outcome(() => parseYamlManifests(text, 'in.yaml'));
  expect(both).toEqual(full);
  return readFast(text) !== undefined;
}

/** Every YAML and JSON file the tests keep, real-world manifests and hostile ones included. */
function fixtureFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'schemas' ? [] : fixtureFiles(full);
    return /\.(ya?ml|json)$/.test(entry.name) && entry.isFile() ? [full] : [];
  });
}

// Plain scalar texts around every pattern of PLAIN_SCALARS, and near misses that stay strings.
const SCALAR_TEXTS = [
  'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE', 'y', 'Y', 'yes', 'Yes', 'YES', 'yEs', 'on', 'On', 'ON', 'oN',
  'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL', 'nULL', '~', '0', '-0', '+0', '7', '+12', '-12',
  '0755', '-0755', '+0755', '08', '0089', '0o17', '0o8', '0x1F', '0xg', '0X1F', '0b101', '1_000', '1e3', '1E-3', '+1.5e+2',
  '.5', '5.', '-.5e1', '3.14', '1.0', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', '-.nan', '12:30', '1:20:30',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '12345678901234567890', '0.1.2', '1.2.3.4', '10.0.0.0/8', 'v1', 'v1.35',
  'latest', 'restricted', '8080', '65535', '4Gi', '500m', 'TCP', 'a b', 'yes please', 'on-call', 'x~', 'Infinity', 'NaN',
];

describe('plain scalars', () => {
  test.each(SCALAR_TEXTS)('%s reads the same through both readers, as a value and inside flow and block lists', (text) => {
    for (const doc of [`apiVersion: v1\nkind: X\nv: ${text}\n`, `apiVersion: v1\nkind: X\nv: [${text}, "${text}"]\n`, `apiVersion: v1\nkind: X\nv:\n  - ${text}\n`]) {
      expect(expectSameReading(doc)).toBe(true);
      const value = parseManifests(doc, 'in.yaml')[0].object.v;
      expect(Array.isArray(value) ? value[0] : value).toEqual(resolvePlainScalar(text));
    }
  });

  test('reads YAML 1.1 booleans and octal as kubectl does, and keeps quoted scalars text', () => {
    const doc = 'apiVersion: v1\nkind: X\na: on\nb: "on"\nc: 0755\nd: \'0755\'\ne: 12:30\nf: ~\ng:\nh: 1e3\n';
    const { a, b, c, d, e, f, g, h } = parseManifests(doc, 'in.yaml')[0].object as Record<string, unknown>;
    expect([a, b, c, d, e, f, g, h]).toEqual([true, 'on', 493, '0755', '12:30', null, null, 1000]);
  });

  test('every text a pattern matches starts with a character the fast path sends to the patterns', () => {
    fc.assert(fc.property(fc.oneof(fc.constantFrom(...SCALAR_TEXTS), fc.string({ maxLength: 6 }), fc.stringMatching(/^[-+.~0-9a-zA-Z]{1,6}$/)), (text) => {
      if (text !== '' && PLAIN_SCALARS.some((s) => s.test.test(text))) expect(SCALAR_STARTS.has(text.charCodeAt(0))).toBe(true);
    }), { numRuns: 2000, seed: 7 });
  });

  test('the table has no two patterns that overlap, but for octal before decimal', () => {
    for (const text of SCALAR_TEXTS) {
      const matching = PLAIN_SCALARS.filter((s) => s.test.test(text)).map((s) => s.tag);
      expect(matching.length <= 1 || (matching.length === 2 && /^[-+]?0[0-7]+$/.test(text))).toBe(true);
    }
  });
});

describe('the fast path', () => {
  test('reads every fixture of the test suite as the full reader does', () => {
    const files = [...fixtureFiles(path.join(__dirname, '..')), ...fixtureFiles(path.join(__dirname, '..', '..', 'examples'))];
    expect(files.length).toBeGreaterThan(10);
    let fast = 0;
    for (const file of files) {
      if (expectSameReading(fs.readFileSync(file, 'utf8'))) fast++;
    }
    // Most real manifests use none of what the full reader is for.
    expect(fast).toBeGreaterThan(files.length / 2);
  });

  test('takes plain documents, with their lines after comments and blank lines', () => {
    const text = '# generated\n\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n\n# b\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n...\n';
    expect(expectSameReading(text)).toBe(true);
    expect(parseManifests(text, 'in.yaml').map((m) => [m.object.metadata?.name, m.document, m.line])).toEqual([['a', 1, 3], ['b', 3, 10]]);
  });

  test.each([
    ['an anchor and alias', 'apiVersion: v1\nkind: X\na: &x 1\nb: *x\n'],
    ['a merge key', 'apiVersion: v1\nkind: X\na: {k: 1}\nb:\n  <<: {k: 2}\n'],
    ['a tag', 'apiVersion: v1\nkind: X\na: !!str 0755\n'],
    ['a custom tag', 'apiVersion: v1\nkind: X\na: !Ref x\n'],
    ['a directive', '%YAML 1.1\n---\napiVersion: v1\nkind: X\n'],
    ['an explicit key', 'apiVersion: v1\nkind: X\n? a\n: 1\n'],
    ['a mapping as a key', 'apiVersion: v1\nkind: X\n{a: 1}: 2\n'],
    ['a null key', 'apiVersion: v1\nkind: X\nnull: 1\n'],
    ['an empty key', 'apiVersion: v1\nkind: X\nm:\n  : 1\n'],
    ['a List, whose entries need their own lines', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n'],
    ['a top-level list', '- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n'],
    ['a duplicate key', 'apiVersion: v1\nkind: X\na: 1\na: 2\n'],
    ['invalid YAML', 'apiVersion: v1\nkind: X\na: [1\n'],
  ])('leaves %s to the full reader, with the same result', (_, text) => {
    expect(expectSameReading(text)).toBe(false);
  });

  test('an alias bomb is still bad input naming the file and document', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
    expect(() => parseManifests(`apiVersion: v1\nkind: X\n${bomb}\n`, 'bomb.yaml')).toThrow(/bomb\.yaml document 1: cannot read the YAML/);
  });
});

describe('property: random manifests read the same through both readers', () => {
  const key = fc.oneof(fc.constantFrom('name', 'on', 'yes', 'null_', '0755', 'a.b/c', 'x y', 'app.kubernetes.io/name', '__proto__', '1', '1.5', 'true'), fc.string({ maxLength: 8 }));
  const scalar = fc.oneof(
    fc.constantFrom(...SCALAR_TEXTS),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.string({ unit: fc.constantFrom('a', ' ', '\n', '#', ':', '-', '"', "'", '\\', '\t', 'é', '*', '&', '!', '{', '['), maxLength: 16 }),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ maxDepth: 3 }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
  })).node;
  const manifest = fc.record({ apiVersion: fc.constantFrom('v1', 'apps/v1'), kind: fc.constantFrom('Pod', 'Namespace', 'X'), spec: value, metadata: fc.dictionary(key, value, { maxKeys: 3 }) });

  /** The same documents written the ways tools write YAML. */
  const writers: Array<(docs: object[]) => string> = [
    (docs) => docs.map((d) => stringify(d)).join('---\n'),
    (docs) => docs.map((d) => stringify(d, { version: '1.1' })).join('---\n'),
    (docs) => docs.map((d) => jsyaml.dump(d)).join('---\n'),
    (docs) => docs.map((d) => `# a comment\n\n${jsyaml.dump(d, { flowLevel: 2 })}`).join('...\n---\n'),
    (docs) => docs.map((d) => JSON.stringify(d, undefined, 2)).join('\n---\n'),
  ];

  test('whatever the writer, the reading is the same', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: writers.length - 1 }), (docs, writer) => {
        let text: string;
        try {
          text = writers[writer](docs);
        } catch {
          return; // a writer that cannot write this value (js-yaml and undefined) says nothing about readers
        }
        expectSameReading(text);
      }),
      { numRuns: 400, seed: 20261201 },
    );
  });
});

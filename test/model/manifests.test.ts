import { parseManifests, toManifests } from '../../src/model/manifests';
import { manifestErrorOf, NAMESPACE_YAML as NS } from '../helpers';

describe('parseManifests', () => {
  test('reads multi-document YAML and numbers documents from 1, counting empty ones', () => {
    const text = `${NS('a')}---\n# only a comment\n---\n${NS('b')}---\n`;
    const manifests = parseManifests(text, 'ns.yaml');
    expect(manifests.map((m) => [m.object.metadata?.name, m.source, m.document])).toEqual([
      ['a', 'ns.yaml', 1],
      ['b', 'ns.yaml', 3],
    ]);
  });

  test('reads JSON, including a top-level array', () => {
    const one = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
    expect(parseManifests(one, 'pod.json')[0].object.kind).toBe('Pod');
    const many = JSON.stringify([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }]);
    expect(parseManifests(many, 'all.json').map((m) => [m.object.kind, m.item])).toEqual([['Pod', 1], ['Namespace', 2]]);
  });

  test('flattens kind: List and *List kinds, as printed by kubectl get -o yaml', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Namespace',
      '  metadata: { name: x }',
      '- apiVersion: networking.k8s.io/v1',
      '  kind: NetworkPolicy',
      '  metadata: { name: deny, namespace: x }',
      '  spec: { podSelector: {} }',
      'metadata: { resourceVersion: "" }',
      '---',
      'apiVersion: v1',
      'kind: PodList',
      'items:',
      '- { apiVersion: v1, kind: Pod, metadata: { name: p, namespace: x } }',
      '---',
      'apiVersion: v1',
      'kind: ConfigMapList',
      'items: []',
    ].join('\n');
    const manifests = parseManifests(text, 'dump.yaml');
    expect(manifests.map((m) => `${m.object.kind}@${m.document}.${m.item}`)).toEqual(['Namespace@1.1', 'NetworkPolicy@1.2', 'Pod@2.1']);
  });

  test('each object carries the line where it starts: its document\'s first node, or its entry in a list', () => {
    const text = [
      '# leading comment', // 1
      '---', // 2
      '# about a', // 3
      'apiVersion: v1', // 4
      'kind: Namespace',
      'metadata: {name: a}',
      '---', // 7
      '', // 8
      '---', // 9
      'apiVersion: v1', // 10
      'kind: List',
      'items:',
      '- apiVersion: v1', // 13
      '  kind: Namespace',
      '  metadata: {name: b}',
      '-   {apiVersion: v1, kind: Namespace, metadata: {name: c}}', // 16
      '--- [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "d"}}]', // 17
    ].join('\n');
    expect(parseManifests(text, 'lines.yaml').map((m) => [m.object.metadata?.name, m.document, m.line])).toEqual([
      ['a', 1, 4], ['b', 3, 13], ['c', 3, 16], ['d', 4, 17],
    ]);
    const ns = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    expect(parseManifests(`${ns('a')}\n\n${ns('b')}${ns('c')}`, 'jq.json').map((m) => m.line)).toEqual([1, 3, 3]);
    expect(toManifests({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, 'rendered', 1)[0].line).toBeUndefined();
  });

  test('an empty or comment-only stream has no manifests', () => {
    expect(parseManifests('', 'empty.yaml')).toEqual([]);
    expect(parseManifests('# nothing here\n', 'empty.yaml')).toEqual([]);
  });

  test('invalid YAML names the file and the document', () => {
    const e = manifestErrorOf(() => parseManifests(`${NS('a')}---\nmetadata: [unclosed\n`, 'broken.yaml'));
    expect(e.message).toMatch(/^broken\.yaml document 2: invalid YAML: /);
    expect([e.source, e.document]).toEqual(['broken.yaml', 2]);
  });

  test('duplicate keys are invalid YAML', () => {
    expect(manifestErrorOf(() => parseManifests('kind: Pod\nkind: Pod\n', 'dup.yaml')).message).toMatch(/dup\.yaml document 1: invalid YAML/);
  });

  test('a document that is not an object with apiVersion and kind is rejected with its location', () => {
    expect(manifestErrorOf(() => parseManifests(`${NS('a')}---\n- just\n- a list of strings\n`, 'f.yaml')).message)
      .toBe('f.yaml document 2 item 1: expected a Kubernetes object (a mapping with apiVersion and kind), got a string');
    expect(manifestErrorOf(() => parseManifests('hello\n', 'g.yaml')).message)
      .toBe('g.yaml document 1: expected a Kubernetes object (a mapping with apiVersion and kind), got a string');
    expect(manifestErrorOf(() => parseManifests('metadata: {name: x}\n', 'h.yaml')).message)
      .toBe('h.yaml document 1: not a Kubernetes object: missing apiVersion and kind');
    expect(manifestErrorOf(() => parseManifests('apiVersion: v1\nkind: Pod\nmetadata: 3\n', 'i.yaml')).message)
      .toBe('i.yaml document 1: Pod: metadata must be a mapping');
  });

  test('a List item that is not an object names the document and item', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n- 42\n';
    expect(manifestErrorOf(() => parseManifests(text, 'list.yaml')).message)
      .toBe('list.yaml document 1 item 2: expected a Kubernetes object (a mapping with apiVersion and kind), got a number');
    expect(manifestErrorOf(() => parseManifests('apiVersion: v1\nkind: List\nitems: 3\n', 'list.yaml')).message)
      .toBe('list.yaml document 1: List has a non-list "items" field');
  });

  test('toManifests wraps plain objects the same way', () => {
    expect(toManifests({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, 'inline', 7)).toEqual([
      { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, source: 'inline', document: 7 },
    ]);
  });
});

describe('parseManifests reads YAML as kubectl does', () => {
  const read = (body: string) => parseManifests(`apiVersion: v1\nkind: ConfigMap\n${body}`, 'f.yaml')[0].object;

  test('plain y, yes, on, n, no, off in any of their three cases are booleans; quoted ones stay strings', () => {
    expect(read('t: [y, Y, yes, Yes, YES, on, On, ON, true, True, TRUE]\n').t).toEqual(Array(11).fill(true));
    expect(read('f: [n, N, no, No, NO, off, Off, OFF, false, False, FALSE]\n').f).toEqual(Array(11).fill(false));
    expect(read('s: ["yes", \'on\', "n", yEs, oN, yes please]\n').s).toEqual(['yes', 'on', 'n', 'yEs', 'oN', 'yes please']);
  });

  test('0755 is octal as in YAML 1.1; sexagesimal and timestamps stay strings, as go-yaml leaves them', () => {
    expect(read('nums: [0755, -010, 0o17, 0x1f, 755, 08, 1:20, 2024-01-01, ~]\n').nums).toEqual([493, -8, 15, 31, 755, 8, '1:20', '2024-01-01', null]);
  });

  test('merge keys merge one mapping or a list of them; keys written in the mapping win, earlier merged ones over later', () => {
    const o = read('a: &a {x: 1, w: 1}\nb: &b {w: 2, z: 2}\nc: {<<: *a, x: 3}\nd: {x: 4, <<: [*b, *a]}\ne: {"<<": literal}\n');
    expect([o.c, o.d, o.e]).toEqual([{ x: 3, w: 1 }, { x: 4, w: 2, z: 2 }, { '<<': 'literal' }]);
  });

  test('a plain key y or n is a boolean too, whose text is "true" or "false", as go-yaml gives it to kubectl', () => {
    expect(read('data: {y: 1, "n": 2}\n').data).toEqual({ true: 1, n: 2 });
  });

  test('an alias that names no anchor of its document, or its own container, names the document', () => {
    expect(manifestErrorOf(() => parseManifests(`${NS('a')}x: &x 1\n---\n${NS('b')}y: *x\n`, 'a.yaml')).message)
      .toBe('a.yaml document 2: cannot read the YAML: alias *x names no anchor before it in this document (anchors do not reach across --- separators)');
    expect(manifestErrorOf(() => parseManifests(`${NS('a')}x: &x {y: *x}\n`, 'b.yaml')).message)
      .toBe('b.yaml document 1: cannot read the YAML: an alias refers to the node that contains it');
  });

  test('a stream of JSON values is one document per value; arrays are flattened; `{...}` then `---` is YAML', () => {
    const ns = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const text = `\ufeff${ns('a')}${ns('b')}\n\n[${ns('c')}, ${ns('d')}]\n${ns('e')}`;
    expect(parseManifests(text, 'jq.json').map((m) => [m.object.metadata?.name, m.document, m.item])).toEqual([
      ['a', 1, undefined], ['b', 2, undefined], ['c', 3, 1], ['d', 3, 2], ['e', 4, undefined],
    ]);
    expect(parseManifests(`${ns('a')}\n---\n${ns('b')}\n`, 'docs.yaml').map((m) => m.document)).toEqual([1, 2]);
    expect(manifestErrorOf(() => parseManifests(`${ns('a')}\n${ns('b')}\n{"kind": "Pod", }`, 'jq.json')).message)
      .toMatch(/^jq\.json document 3: invalid JSON: /);
    expect(manifestErrorOf(() => parseManifests(`${ns('a')}\n${ns('b')}\napiVersion: v1\n`, 'jq.json')).message)
      .toMatch(/^jq\.json document 3: invalid JSON: /);
  });
});

import { NamespaceGroup, renderNamespaceMarkdown, renderNamespaceMermaid } from '../../../src/analysis/reachability';

// a -> b on TCP 80, b -> a on everything, c isolated; every namespace talks to itself.
const NAMES = ['a', 'b', 'c'];
const FLOWS: Record<string, string> = { 'a>b': 'TCP 80', 'b>a': 'all', 'a>a': 'all', 'b>b': 'all', 'c>c': 'all' };
const flow = (from: string, to: string) => FLOWS[`${from}>${to}`] ?? 'none';
const allowed = (from: string, to: string) => flow(from, to) !== 'none';

describe('renderNamespaceMarkdown', () => {
  test('a header row, a --- row and one row per namespace, without trailing newline', () => {
    expect(renderNamespaceMarkdown({ namespaces: NAMES, corner: 'from \\ to', cell: flow })).toBe([
      '| from \\ to | a | b | c |',
      '| --- | --- | --- | --- |',
      '| a | all | TCP 80 | none |',
      '| b | all | all | none |',
      '| c | none | none | all |',
    ].join('\n'));
  });

  test('row headers and cells come from the caller', () => {
    const table = renderNamespaceMarkdown({
      namespaces: ['a', 'b'],
      corner: 'from ↓ / to →',
      rowHeader: (n) => `**${n}**`,
      cell: (from, to) => (allowed(from, to) ? flow(from, to) : '—'),
    });
    expect(table.split('\n').slice(2)).toEqual(['| **a** | all | TCP 80 |', '| **b** | all | all |']);
  });

  test('a | is escaped in every cell unless escapePipes is false', () => {
    const options = { namespaces: ['x|y'], corner: 'a|b', cell: () => 'p|q' };
    expect(renderNamespaceMarkdown(options)).toBe('| a\\|b | x\\|y |\n| --- | --- |\n| x\\|y | p\\|q |');
    expect(renderNamespaceMarkdown({ ...options, escapePipes: false })).toBe('| a|b | x|y |\n| --- | --- |\n| x|y | p|q |');
  });

  test('no namespaces: only the corner', () => {
    expect(renderNamespaceMarkdown({ namespaces: [], corner: 'c', cell: flow })).toBe('| c |\n| --- |');
  });
});

describe('renderNamespaceMermaid', () => {
  test('sequential ids, unlabelled edges, no self edges', () => {
    expect(renderNamespaceMermaid({ namespaces: NAMES, allowed })).toBe([
      'flowchart LR',
      '  ns0["a"]',
      '  ns1["b"]',
      '  ns2["c"]',
      '  ns0 --> ns1',
      '  ns1 --> ns0',
    ].join('\n'));
  });

  test('edge labels, with double quotes as #quot;', () => {
    const mermaid = renderNamespaceMermaid({ namespaces: ['a', 'b"'], allowed: () => true, edgeLabel: (from, to) => `"${from}-${to}"` });
    expect(mermaid).toBe([
      'flowchart LR',
      '  ns0["a"]',
      '  ns1["b#quot;"]',
      '  ns0 -->|"#quot;a-b#quot;#quot;"| ns1',
      '  ns1 -->|"#quot;b#quot;-a#quot;"| ns0',
    ].join('\n'));
  });

  test('subgraphs by rank then title, members in namespace order, readable ids made unique in drawing order', () => {
    const groups: Record<string, NamespaceGroup> = {
      'a-b': { rank: 1, title: 'team: t' },
      'a.b': { rank: 0, title: 'zone: z' },
      'c': { rank: 2, title: 'cluster' },
      'end': { rank: 1, title: 'team: t' },
      'x': { rank: 1, title: 'team: s' },
    };
    const mermaid = renderNamespaceMermaid({
      namespaces: ['a-b', 'a.b', 'c', 'end', 'x'],
      allowed: (from, to) => from === 'a-b' && to === 'a.b',
      edgeLabel: () => 'TCP 5432',
      groupOf: (n) => groups[n],
      nodeIds: 'readable',
    });
    expect(mermaid).toBe([
      'flowchart LR',
      '  subgraph g_zone_z["zone: z"]',
      '    ns_a_b["a.b"]',
      '  end',
      '  subgraph g_team_s["team: s"]',
      '    ns_x["x"]',
      '  end',
      '  subgraph g_team_t["team: t"]',
      '    ns_a_b_2["a-b"]',
      '    ns_end["end"]',
      '  end',
      '  subgraph g_cluster["cluster"]',
      '    ns_c["c"]',
      '  end',
      '  ns_a_b_2 -->|"TCP 5432"| ns_a_b',
    ].join('\n'));
  });

  test('sequential ids in subgraphs follow drawing order', () => {
    const mermaid = renderNamespaceMermaid({
      namespaces: ['a', 'b'],
      allowed: () => false,
      groupOf: (n) => (n === 'b' ? { rank: 0, title: 'first' } : { rank: 1, title: 'second' }),
    });
    expect(mermaid).toBe([
      'flowchart LR',
      '  subgraph g0["first"]',
      '    ns0["b"]',
      '  end',
      '  subgraph g1["second"]',
      '    ns1["a"]',
      '  end',
    ].join('\n'));
  });

  test('no namespaces: just the header', () => {
    expect(renderNamespaceMermaid({ namespaces: [], allowed, groupOf: () => ({ rank: 0, title: 'x' }) })).toBe('flowchart LR');
  });
});

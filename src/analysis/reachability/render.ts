// Text renderings of a namespace matrix: a markdown table and a mermaid flowchart. Shared by the
// `namespace-guard reach` command and ConnectivityReport; the caller decides what a cell, an edge
// label or a subgraph says, this module only lays them out (deterministically, no cdk8s).

/** How {@link renderNamespaceMarkdown} writes a namespace matrix. */
export interface NamespaceMarkdownOptions {
  /** The row and column namespaces, in display order. */
  readonly namespaces: readonly string[];
  /** The top-left header cell. */
  readonly corner: string;
  /** The text of the cell for traffic from the row namespace to the column namespace. */
  readonly cell: (from: string, to: string) => string;
  /** The first cell of a row; the namespace name by default. */
  readonly rowHeader?: (namespace: string) => string;
  /**
   * Whether a `|` in any cell is written `\|`, so it cannot end the cell.
   * @default true
   */
  readonly escapePipes?: boolean;
}

/**
 * A GitHub-flavoured markdown table of a namespace matrix: a header row of the column namespaces,
 * a `---` row, then one row per namespace. No trailing newline.
 */
export function renderNamespaceMarkdown(options: NamespaceMarkdownOptions): string {
  const { namespaces, cell } = options;
  const rowHeader = options.rowHeader ?? ((namespace: string) => namespace);
  const escape = options.escapePipes === false ? (text: string) => text : escapeMarkdownCell;
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`;
  const header = [options.corner, ...namespaces];
  const rows = namespaces.map((from) => line([rowHeader(from), ...namespaces.map((to) => cell(from, to))]));
  return [line(header), line(header.map(() => '---')), ...rows].join('\n');
}

/** The mermaid subgraph a namespace is drawn in. */
export interface NamespaceGroup {
  /** The subgraph's title; namespaces with the same title share one subgraph. */
  readonly title: string;
  /** Subgraphs are drawn by ascending rank, then by title (code-unit order). */
  readonly rank: number;
}

/**
 * How mermaid node ids are made (labels are always the names themselves).
 * - `sequential`: `ns0`, `ns1`, ... for namespaces and `g0`, `g1`, ... for subgraphs, in drawing order.
 * - `readable`: from the text, e.g. `ns_kube_system` and `g_team_shop`; a text that would repeat
 *   an id already given gets `_2`, `_3`, ...
 */
export type MermaidNodeIds = 'sequential' | 'readable';

/** How {@link renderNamespaceMermaid} draws the flows between namespaces. */
export interface NamespaceMermaidOptions {
  /** The namespaces, in drawing order (within a subgraph, too). */
  readonly namespaces: readonly string[];
  /** Whether some traffic is allowed from one namespace to another: one edge per such pair. */
  readonly allowed: (from: string, to: string) => boolean;
  /** The label of an allowed edge; edges have no label without it. */
  readonly edgeLabel?: (from: string, to: string) => string;
  /** The subgraph of each namespace; without it, nodes are drawn ungrouped. */
  readonly groupOf?: (namespace: string) => NamespaceGroup;
  /** @default 'sequential' */
  readonly nodeIds?: MermaidNodeIds;
  /** Nodes outside the cluster (the internet node), drawn as circles; none by default. */
  readonly isExternal?: (name: string) => boolean;
}

/**
 * A mermaid `flowchart LR` of the allowed flows between namespaces: one node per namespace
 * (inside its subgraph, if grouped; a circle for a node outside the cluster), then one edge per ordered pair of different namespaces with
 * allowed traffic, by source then destination in the order of `namespaces`. Traffic within a
 * namespace is not drawn. No trailing newline.
 */
export function renderNamespaceMermaid(options: NamespaceMermaidOptions): string {
  const { namespaces, allowed, edgeLabel, groupOf } = options;
  const ids = new MermaidIds(options.nodeIds ?? 'sequential');
  const node = (name: string) => (options.isExternal?.(name) === true ? `${ids.node(name)}(("${mermaidText(name)}"))` : `${ids.node(name)}["${mermaidText(name)}"]`);
  const lines = ['flowchart LR'];
  if (groupOf) {
    for (const group of subgraphs(namespaces, groupOf)) {
      lines.push(`  subgraph ${ids.group(group.title)}["${mermaidText(group.title)}"]`);
      for (const name of group.members) lines.push(`    ${node(name)}`);
      lines.push('  end');
    }
  } else {
    for (const name of namespaces) lines.push(`  ${node(name)}`);
  }
  for (const from of namespaces) {
    for (const to of namespaces) {
      if (from === to || !allowed(from, to)) continue;
      const label = edgeLabel ? `|"${mermaidText(edgeLabel(from, to))}"|` : '';
      lines.push(`  ${ids.node(from)} -->${label} ${ids.node(to)}`);
    }
  }
  return lines.join('\n');
}

interface Subgraph extends NamespaceGroup {
  readonly members: string[];
}

/** The subgraphs in drawing order; a subgraph takes the rank of its first member. */
function subgraphs(namespaces: readonly string[], groupOf: (namespace: string) => NamespaceGroup): Subgraph[] {
  const byTitle = new Map<string, Subgraph>();
  for (const name of namespaces) {
    const { title, rank } = groupOf(name);
    const group = byTitle.get(title) ?? { title, rank, members: [] };
    group.members.push(name);
    byTitle.set(title, group);
  }
  return [...byTitle.values()].sort((a, b) => a.rank - b.rank || compareText(a.title, b.title));
}

/** Stable, unique mermaid ids, given out on first use. */
class MermaidIds {
  private readonly ids = new Map<string, string>();
  private readonly taken = new Set<string>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly style: MermaidNodeIds) {}

  public node(namespace: string): string {
    return this.of('ns', namespace);
  }

  public group(title: string): string {
    return this.of('g', title);
  }

  private of(prefix: 'ns' | 'g', text: string): string {
    const key = `${prefix}:${text}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    let id: string;
    if (this.style === 'sequential') {
      const n = this.counts.get(prefix) ?? 0;
      this.counts.set(prefix, n + 1);
      id = `${prefix}${n}`;
    } else {
      const base = `${prefix}_${text.replace(/[^A-Za-z0-9]+/g, '_')}`;
      id = base;
      for (let i = 2; this.taken.has(id); i++) id = `${base}_${i}`;
    }
    this.taken.add(id);
    this.ids.set(key, id);
    return id;
  }
}

/** Text safe inside a quoted mermaid label: a double quote has an entity code. */
function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function escapeMarkdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Plain code-unit order (not locale order), so output is identical on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

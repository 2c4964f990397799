import { DEFAULT_REACH_FORMAT, DEFAULT_TABLE_WIDTH, ReachFormat, ReachLevel } from './choices';
import { clusterModelOf, readClusterFile } from './cluster-file';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { ChunkedStdout, CliIo, loadInputs } from './io';
import { renderGrid, sortedJsonObject } from './render';
import { Warnings } from './warnings';
import {
  describeAddresses, Endpoint, findEndpoint, INTERNET_NODE, judgeEndpoints, monitoringPolicyCounts, outsideNoun, PodInfo, PortSet, ReachabilityModel,
  renderNamespaceMarkdown, renderNamespaceMermaid, WHERE_IPBLOCKS_MATCH_PODS,
} from '../analysis/reachability';
import { ClusterModel } from '../model/cluster-model';
import { InputNote } from '../model/notes';
import { CLUSTER_ENDPOINT_ANNOTATION, MAX_PORT, MIN_PORT, ProtocolName as Protocol } from '../model/vocabulary';
import { compareText } from '../private/json';
import { PUBLIC_ADDRESSES } from '../private/special-ranges';

/** The parsed flags of `namespace-guard reach`; undefined means "not given". */
export interface ReachOptions {
  readonly file: readonly string[];
  readonly level?: ReachLevel;
  readonly port?: number;
  readonly protocol?: Protocol;
  readonly format?: ReachFormat;
  readonly from?: string;
  readonly to?: string;
  /** With --format mermaid: draw this namespace's pods and what they connect with. */
  readonly namespace?: string;
  /** Tables wider than this switch to one line per pair that can connect; 120 when not given. */
  readonly width?: number;
  /** No warnings on stderr. */
  readonly quiet?: boolean;
  /** Answer as the cluster will be once the namespaces in monitor mode enforce. */
  readonly asEnforced?: boolean;
  /** A cluster file: the cluster services to add as representative pods, and the cluster's ranges. */
  readonly cluster?: string;
}

export const ALLOWED_MARK = '✓';
export const DENIED_MARK = '✗';

/** `namespace-guard reach`: prints a reachability matrix, or the verdict for one connection. */
export function reach(options: ReachOptions, io: CliIo): number {
  const plan = planReach(options);
  const clusterFile = options.cluster === undefined ? undefined : { path: options.cluster, contents: readClusterFile(options.cluster) };
  const notes: InputNote[] = [];
  const manifests = loadInputs(options.file, io, notes);
  const cluster = clusterModelOf(manifests, clusterFile);
  const warnings = new Warnings(io, options.quiet);
  warnings.notes(() => [...notes, ...cluster.notes]);
  if (clusterFile) {
    const added = addedServicePods(cluster, clusterFile.path);
    if (added.length > 0) warnings.warn(`added representative pods for the cluster services of ${clusterFile.path}: ${added.join(', ')}`);
  }
  const monitoring = monitoringPolicyCounts(cluster);
  if (!options.asEnforced && monitoring.monitorOnly + monitoring.staged > 0) warnings.warn(monitorModeWarning(monitoring));
  const model = ReachabilityModel.fromCluster(cluster, { policyView: options.asEnforced ? 'enforced' : 'effective', internet: true });
  const internet = model.internet!;
  if (internet.key !== INTERNET_NODE) {
    warnings.warn(`the input has a namespace called ${INTERNET_NODE}: the node that stands for a public address is called ${internet.key} here`);
  }
  if (internet.addresses.isEmpty) {
    warnings.warn(`the cluster's declared ranges hold every public address, so the ${internet.key} node stands for none and no ipBlock rule matches it`);
  }
  if (plan.kind === 'verdict') {
    return printVerdict(model, plan, io);
  }
  if (plan.kind === 'focus') {
    io.stdout(`${renderFocus(model, plan.namespace, plan.traffic)}\n`);
    return EXIT_OK;
  }
  if (plan.level === 'exposure') {
    const exposure = buildExposure(model, plan.traffic);
    if (exposure.names.length === 0) io.stderr('namespace-guard: no namespaces in the input\n');
    const text = plan.format === 'json' ? renderExposureJson(exposure) : renderExposureTable(exposure, options.width ?? DEFAULT_TABLE_WIDTH, options.asEnforced === true);
    if (text !== '') io.stdout(`${text}\n`);
    return EXIT_OK;
  }
  const matrix = buildMatrix(model, plan.level, plan.traffic);
  if (matrix.names.length === 0) {
    io.stderr(`namespace-guard: no ${plan.level === 'pod' ? 'pods or workloads' : 'namespaces'} in the input\n`);
  }
  if (plan.format === 'json') {
    writeJson(matrix, io);
    return EXIT_OK;
  }
  if (plan.format === 'table') {
    writeTable(matrix, options.width ?? DEFAULT_TABLE_WIDTH, options.asEnforced === true, io);
    return EXIT_OK;
  }
  const text = render(matrix, plan.format, options.asEnforced === true);
  if (text !== '') io.stdout(`${text}\n`);
  return EXIT_OK;
}

/** `kube-system/kube-dns (dns)` for each pod the cluster file added. */
function addedServicePods(cluster: ClusterModel, file: string): string[] {
  return cluster.workloads
    .filter(w => w.manifest.source === file && w.kind === 'Pod')
    .map(w => `${w.namespace}/${w.name} (${String(w.annotations[CLUSTER_ENDPOINT_ANNOTATION])})`)
    .sort(compareText);
}

/** Says that the answers are what the cluster does now, which monitor mode makes differ from the policies. */
function monitorModeWarning(counts: { readonly monitorOnly: number; readonly staged: number }): string {
  const parts = [
    ...(counts.monitorOnly > 0 ? [`${plural(counts.monitorOnly, 'monitor-only allow-all policy', 'monitor-only allow-all policies')} (which lets everything through)`] : []),
    ...(counts.staged > 0 ? [`${plural(counts.staged, 'Calico staged policy', 'Calico staged policies')} (reported, not enforced)`] : []),
  ];
  return `the input has ${parts.join(' and ')}: this is what the cluster lets through now; --as-enforced answers as it will be `
    + 'once monitor mode ends, so comparing the two shows what enforcement would block';
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

interface Traffic {
  readonly port: number;
  readonly protocol: Protocol;
}

type ReachPlan =
  | { readonly kind: 'verdict'; readonly from: string; readonly to: string; readonly traffic: Traffic }
  | { readonly kind: 'matrix'; readonly level: ReachLevel; readonly format: ReachFormat; readonly traffic?: Traffic }
  | { readonly kind: 'focus'; readonly namespace: string; readonly traffic?: Traffic };

/** Checks the flag combination before any file is read. */
function planReach(o: ReachOptions): ReachPlan {
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= MIN_PORT && o.port <= MAX_PORT)) {
    throw new UsageError(`--port must be an integer between ${MIN_PORT} and ${MAX_PORT}, got ${o.port}`);
  }
  if (o.protocol !== undefined && o.port === undefined) {
    throw new UsageError('--protocol only applies together with --port');
  }
  const traffic = o.port === undefined ? undefined : { port: o.port, protocol: o.protocol ?? 'TCP' };

  if (o.from !== undefined || o.to !== undefined) {
    if (o.from === undefined || o.to === undefined) {
      throw new UsageError('--from and --to must be given together');
    }
    if (traffic === undefined) {
      throw new UsageError('--from/--to need --port (and optionally --protocol): a verdict is for one port');
    }
    if (o.level !== undefined) {
      throw new UsageError(`--from/--to judge one connection, at the level of what they name (a namespace, <namespace>/<pod> or ${INTERNET_NODE}); `
        + `--level ${o.level} is for matrices`);
    }
    if (o.format !== undefined && o.format !== 'table') {
      throw new UsageError(`--from/--to print a verdict and its explanation; --format ${o.format} is for matrices`);
    }
    return { kind: 'verdict', from: o.from, to: o.to, traffic };
  }

  if (o.width !== undefined && !(Number.isInteger(o.width) && o.width > 0)) {
    throw new UsageError(`--width must be a positive integer, got ${o.width}`);
  }
  if (o.namespace !== undefined) {
    if (o.format !== undefined && o.format !== 'mermaid') {
      throw new UsageError(`--namespace draws one namespace's pods as a mermaid flowchart: use it with --format mermaid, not ${o.format}`);
    }
    if (o.level !== undefined && o.level !== 'pod') {
      throw new UsageError(`--namespace draws pods and cannot be combined with --level ${o.level}`);
    }
    return { kind: 'focus', namespace: o.namespace, traffic };
  }

  const format = o.format ?? DEFAULT_REACH_FORMAT;
  if (o.level === 'exposure') {
    if (format !== 'table' && format !== 'json') {
      throw new UsageError(`--level exposure prints a table or JSON, not ${format}`);
    }
    return { kind: 'matrix', level: 'exposure', format, traffic };
  }
  if (format === 'json' && traffic === undefined) {
    throw new UsageError('--format json needs --port (and optionally --protocol): the JSON matrix answers for one port');
  }
  if ((format === 'markdown' || format === 'mermaid') && o.level === 'pod') {
    throw new UsageError(`--format ${format} draws namespace flows: use it with --level namespace (the default for this format)`);
  }
  const level = format === 'markdown' || format === 'mermaid' ? 'namespace' : o.level ?? 'pod';
  return { kind: 'matrix', level, format, traffic };
}

function printVerdict(model: ReachabilityModel, plan: { from: string; to: string; traffic: Traffic }, io: CliIo): number {
  const from = endpointOf(model, plan.from, '--from');
  const to = endpointOf(model, plan.to, '--to');
  const verdict = judgeEndpoints(model, from, to, plan.traffic.port, plan.traffic.protocol);
  // An answer that depends on what the input does not declare is never a plain "denied": the
  // verdict where it is allowed comes first, then the one where it is not.
  const shown = verdict.allowedWhere?.verdict ?? verdict;
  const inbound = from.pods[0].external === true;
  const outside = inbound ? from : to;
  const addresses = shown.addresses === undefined || shown.addresses.isEmpty ? []
    : [`Addresses of ${outside.text} ${inbound ? 'that can connect' : 'reached'} on ${plan.traffic.protocol}/${plan.traffic.port}: `
      + `${describeAddresses(shown.addresses, outside.pods[0].addresses, outsideNoun(outside.pods[0].kind))}.`];
  const otherwise = verdict.allowedWhere === undefined ? [] : [
    `Where the network plugin does not match ipBlocks against pod addresses (Cilium), it is denied: ${verdict.explanation}`,
    'Declare the plugin (networkBackend in --cluster) to settle it.',
  ];
  // The first line stays the bare outcome, for scripts; for a namespace, then which pod pair
  // answers; then one sentence per side (and per rule) of that pair.
  const first = verdict.allowed ? 'allowed' : verdict.allowedWhere ? `allowed ${verdict.allowedWhere.condition}` : 'denied';
  const lines = [first, ...(shown.summary === undefined ? [] : [shown.summary]), ...shown.example.sentences, ...addresses, ...otherwise];
  io.stdout(`${lines.join('\n')}\n`);
  return verdict.allowed || verdict.allowedWhere ? EXIT_OK : EXIT_FAILED;
}

/**
 * What --from or --to names: a pod key, a namespace (some pod of it) or the internet node;
 * anything else is an error naming what the input has.
 */
function endpointOf(model: ReachabilityModel, text: string, flag: string): Endpoint {
  const found = findEndpoint(model, text);
  if (found) return found;
  const internet = model.internet!.key;
  const namespaces = model.namespaces.filter((n) => n.external !== true);
  const known = namespaces.map((n) => n.name).join(', ') || 'none';
  const slash = text.indexOf('/');
  if (slash < 0) {
    throw new UsageError(`${flag}: unknown namespace ${JSON.stringify(text)} (namespaces in the input: ${known}; `
      + `<namespace>/<pod> for a pod, ${internet} for a public address)`);
  }
  const namespace = text.slice(0, slash);
  const ns = namespaces.find((n) => n.name === namespace);
  if (!ns) {
    throw new UsageError(`${flag}: unknown namespace ${JSON.stringify(namespace)} in ${JSON.stringify(text)} (namespaces in the input: ${known})`);
  }
  throw new UsageError(`${flag}: unknown pod ${JSON.stringify(text)} (pods in namespace ${namespace}: ${ns.pods.map(describePod).join(', ')})`);
}

function describePod(p: PodInfo): string {
  if (p.kind === 'Placeholder') return `${p.key} (placeholder: the namespace has no pods or workloads)`;
  return p.kind === 'Pod' ? p.key : `${p.key} (${p.kind})`;
}

/** One matrix, whatever the level and whether it is for one port or for all ports. */
interface Matrix {
  readonly level: ReachLevel;
  /** Row and column names in display order. */
  readonly names: readonly string[];
  readonly traffic?: Traffic;
  /** The internet node's name, when it is among `names`. */
  readonly internet?: PodInfo;
  /** The internet node's position in `names`, or -1: its pair with itself is no pair of the cluster. */
  readonly outside: number;
  /** Whether any traffic flows from `from` to `to`: on the port, or on some port. */
  reachable(from: string, to: string): boolean;
  /** The cell text: a mark for one port, the allowed port set otherwise. */
  text(from: string, to: string): string;
  /** `reachable` by position in `names`, for the outputs that visit every pair. */
  reachableAt(from: number, to: number): boolean;
  /** `text` by position in `names`. */
  textAt(from: number, to: number): string;
  /**
   * Whether a pair can connect (on the port, or on ports beyond `text`'s) only where the network
   * plugin matches ipBlocks against pod addresses; undefined when no answer depends on it.
   */
  conditionalAt?(from: number, to: number): boolean;
}

type MatrixBase = Pick<Matrix, 'level' | 'names' | 'traffic' | 'internet'>;

/** The mark of an answer that holds only where the plugin matches ipBlocks against pod addresses. */
const CONDITIONAL_MARK = '*';

/** The JSON value of such a cell: truthy, so a reader that tests cells never takes it for a denial. */
export const CONDITIONAL_JSON = 'where-ipblocks-match-pods';

/** A Matrix from its cells by position: the outputs of every pair then need no name look-ups. */
function positionalMatrix(
  base: MatrixBase,
  reachableAt: (from: number, to: number) => boolean,
  cellText: (from: number, to: number) => string,
  conditionalAt?: (from: number, to: number) => boolean,
): Matrix {
  const position = new Map(base.names.map((name, i) => [name, i]));
  const at = (name: string) => position.get(name)!;
  const outside = base.internet === undefined ? -1 : position.get(base.internet.key) ?? -1;
  const textAt = (a: number, b: number) => (a === outside && b === outside ? NOT_APPLICABLE : cellText(a, b));
  return {
    ...base,
    outside,
    reachableAt,
    textAt,
    reachable: (a, b) => reachableAt(at(a), at(b)),
    text: (a, b) => textAt(at(a), at(b)),
    ...(conditionalAt ? { conditionalAt } : {}),
  };
}

/** The text of a cell that stands for no pair of the cluster: the internet node with itself. */
const NOT_APPLICABLE = '-';

/**
 * The rows and columns of a namespace-level view: the namespaces, then the internet node (none
 * when there are no namespaces: there is nothing for it to reach).
 */
function namespaceNames(model: ReachabilityModel): string[] {
  const names = model.namespaces.map((n) => n.name);
  return model.namespaces.some((n) => n.external !== true) ? names : [];
}

/** The internet node with itself, which is no traffic of the cluster's: no cell, no JSON member. */
function outsideOnly(m: { readonly internet?: PodInfo }, from: string, to: string): boolean {
  return m.internet !== undefined && from === m.internet.key && to === m.internet.key;
}

/**
 * The matrix of a level, with the cells that an undeclared network plugin leaves open: what the
 * model where ipBlocks match pod addresses allows beyond the model's own answer.
 */
function buildMatrix(model: ReachabilityModel, level: 'pod' | 'namespace', traffic: Traffic | undefined): Matrix {
  const twin = model.whereIpBlocksMatchPods;
  if (level === 'pod') {
    // The engine's `<namespace>/*` placeholders stand for empty namespaces and the internet node
    // for addresses outside the cluster; neither is a pod. `--from/--to` judge them one by one.
    const names = model.pods.filter((p) => p.kind !== 'Placeholder' && p.external !== true).map((p) => p.key);
    if (traffic) {
      const cells = (m: ReachabilityModel) => {
        const matrix = m.podMatrix(traffic.port, traffic.protocol);
        const at = names.map((n) => matrix.positionOf(n));
        return (a: number, b: number) => matrix.allowedAt(at[a], at[b]);
      };
      return markMatrix({ level, names, traffic }, cells(model), twin && cells(twin));
    }
    const cells = (m: ReachabilityModel) => {
      const matrix = m.podPortMatrix();
      const at = names.map((n) => matrix.positionOf(n));
      return (a: number, b: number) => matrix.portsAt(at[a], at[b]);
    };
    return portSetMatrix({ level, names }, cells(model), twin && cells(twin));
  }
  const names = namespaceNames(model);
  if (traffic) {
    const cells = (m: ReachabilityModel) => {
      const matrix = m.namespaceMatrix(traffic.port, traffic.protocol);
      const at = names.map((n) => matrix.positionOf(n));
      return (a: number, b: number) => matrix.someAt(at[a], at[b]);
    };
    return markMatrix({ level, names, traffic, internet: model.internet }, cells(model), twin && cells(twin));
  }
  const cells = (m: ReachabilityModel) => {
    const matrix = m.namespaceMatrix();
    const at = names.map((n) => matrix.positionOf(n));
    return (a: number, b: number) => matrix.someAt(at[a], at[b]);
  };
  return portSetMatrix({ level, names, internet: model.internet }, cells(model), twin && cells(twin));
}

/** ✓ or ✗ per cell; ✓* where only the twin (ipBlocks matching pod addresses) allows it. */
function markMatrix(base: MatrixBase, allowedAt: (a: number, b: number) => boolean, twinAt?: (a: number, b: number) => boolean): Matrix {
  // Without a twin every cell is the model's own: no wrapper on the path of 144 million cells.
  if (!twinAt) return positionalMatrix(base, allowedAt, (a, b) => (allowedAt(a, b) ? ALLOWED_MARK : DENIED_MARK));
  const conditionalAt = (a: number, b: number) => !allowedAt(a, b) && twinAt(a, b);
  return positionalMatrix(
    base,
    (a, b) => allowedAt(a, b) || conditionalAt(a, b),
    (a, b) => (allowedAt(a, b) ? ALLOWED_MARK : conditionalAt(a, b) ? `${ALLOWED_MARK}${CONDITIONAL_MARK}` : DENIED_MARK),
    conditionalAt,
  );
}

/** The allowed ports per cell, then `(+TCP 5432*)` for the ports only the twin allows. */
function portSetMatrix(base: MatrixBase, portsAt: (a: number, b: number) => PortSet, twinAt?: (a: number, b: number) => PortSet): Matrix {
  if (!twinAt) return positionalMatrix(base, (a, b) => !portsAt(a, b).isEmpty, (a, b) => portsAt(a, b).toString());
  const extraAt = (a: number, b: number) => twinAt(a, b).subtract(portsAt(a, b));
  return positionalMatrix(
    base,
    (a, b) => !portsAt(a, b).isEmpty || !extraAt(a, b).isEmpty,
    (a, b) => {
      const extra = extraAt(a, b);
      return extra.isEmpty ? portsAt(a, b).toString() : `${portsAt(a, b).toString()} (+${extra.toString()}${CONDITIONAL_MARK})`;
    },
    (a, b) => !extraAt(a, b).isEmpty,
  );
}

/** The note under a view with conditional cells. */
function conditionalNote(m: Matrix): string[] {
  if (!m.conditionalAt) return [];
  return [`${CONDITIONAL_MARK} only ${WHERE_IPBLOCKS_MATCH_PODS}: the input does not declare the plugin (networkBackend in --cluster)`];
}

/** The note under a view that has the internet node: what it stands for. */
function internetNote(internet: PodInfo | undefined, names: readonly string[]): string[] {
  if (internet === undefined || !names.includes(internet.key)) return [];
  const declared = internet.addresses.equals(PUBLIC_ADDRESSES) ? '' : ' and the cluster\'s declared ranges';
  return [`${internet.key}: some public address (every address but the special-purpose ranges${declared}), matched by ipBlock rules `
    + 'for the part they hold; no policy restricts it; --from/--to name the ranges'];
}

/** The table: a caption, the grid (or list), the internet note; written a source at a time. */
function writeTable(m: Matrix, width: number, asEnforced: boolean, io: CliIo): void {
  if (m.names.length === 0) return;
  io.stdout(`${caption(m)}${asEnforced ? AS_ENFORCED_CAPTION : ''}\n`);
  for (const chunk of gridOrList(m, width)) io.stdout(`${chunk}\n`);
  for (const line of [...internetNote(m.internet, m.names), ...conditionalNote(m)]) io.stdout(`${line}\n`);
}

function render(m: Matrix, format: 'markdown' | 'mermaid', asEnforced: boolean): string {
  const title = caption(m) + (asEnforced ? AS_ENFORCED_CAPTION : '');
  switch (format) {
    case 'markdown': {
      if (m.names.length === 0) return '';
      const note = [...internetNote(m.internet, m.names), ...conditionalNote(m)].map((line) => `\n\n${line}`).join('');
      return `${title}\n\n${renderNamespaceMarkdown({ namespaces: m.names, corner: 'from \\ to', cell: m.text })}${note}`;
    }
    case 'mermaid':
      // One port: an edge means allowed, so it needs no label; all ports: the edge says which.
      return renderNamespaceMermaid({
        namespaces: m.names,
        allowed: (a, b) => !outsideOnly(m, a, b) && m.reachable(a, b),
        edgeLabel: m.traffic ? undefined : m.text,
        isExternal: (name) => name === m.internet?.key,
      });
  }
}

const AS_ENFORCED_CAPTION = ', as enforced (monitor-only policies left out, staged policies enforced)';

const GRID_CORNER = 'from \\ to';

/**
 * The matrix as a grid, or, when that would be wider than `width`, one line per ordered pair that
 * can connect, then how many cannot: a few hundred pods make a grid no terminal can show, and a
 * list of every pair would bury the few open ones among millions of denials (JSON has every cell).
 * The list comes a source at a time (12,000 pods make 144 million pairs, more than one string holds).
 */
function* gridOrList(m: Matrix, width: number): Generator<string> {
  const n = m.names.length;
  // A column is at least as wide as its name: when the names alone overflow, skip the grid.
  const narrowest = m.names.reduce((sum, name) => sum + 2 + name.length, Math.max(GRID_CORNER.length, ...m.names.map((a) => a.length)));
  if (narrowest <= width) {
    const grid = renderGrid([[GRID_CORNER, ...m.names], ...m.names.map((a, i) => [a, ...m.names.map((_, j) => m.textAt(i, j))])]);
    if (grid.split('\n').every((line) => line.length <= width)) {
      yield grid;
      return;
    }
  }
  const header = m.level === 'exposure' ? 'pods' : m.traffic ? `${m.traffic.protocol}/${m.traffic.port}` : 'ports';
  // The layout of renderGrid, column by column: the last column needs no padding.
  const longest = Math.max(...m.names.map((a) => a.length));
  const from = m.names.map((a) => `${a.padEnd(Math.max(longest, 'from'.length))}  `);
  const to = m.names.map((b) => `${b.padEnd(Math.max(longest, 'to'.length))}  `);
  yield `${'from'.padEnd(from[0].length)}${'to'.padEnd(to[0].length)}${header}`;
  let closed = 0;
  for (let i = 0; i < n; i++) {
    const lines: string[] = [];
    for (let j = 0; j < n; j++) {
      if (i === m.outside && j === m.outside) continue;
      if (m.reachableAt(i, j)) lines.push(`${from[i]}${to[j]}${m.textAt(i, j)}`.trimEnd());
      else closed++;
    }
    // Joined, the chunk is one flat string, which is written much faster than a chain of concatenations.
    if (lines.length > 0) yield lines.join('\n');
  }
  if (closed > 0) yield `(${closed} other ordered pair${closed === 1 ? '' : 's'}: ${closedText(m)})`;
}

/** What the pairs a list leaves out have in common. */
function closedText(m: Matrix): string {
  if (m.level === 'exposure') return 'no pod reachable';
  return m.traffic ? `${DENIED_MARK} denied` : 'none';
}

function caption(m: Matrix): string {
  const rows = m.level === 'pod' ? 'the row pod' : 'some pod of the row namespace';
  const columns = m.level === 'pod' ? 'the column pod' : 'some pod of the column namespace';
  if (m.traffic) {
    return `${m.traffic.protocol}/${m.traffic.port} from ${rows} to ${columns}: ${ALLOWED_MARK} allowed, ${DENIED_MARK} denied`;
  }
  return `ports on which ${rows} can connect to ${columns}`;
}

/**
 * Writes the pod or namespace matrix as one JSON line, a row at a time: 12,000 pods make 144
 * million cells, several gigabytes that no single string can hold, so only one row is in memory.
 * The keys are sorted, as sortedJsonObject sorts them.
 */
function writeJson(m: Matrix, io: CliIo): void {
  // Only pod and namespace matrices come here; exposure has its own JSON.
  if (!m.traffic) throw new UsageError('--format json needs --port'); // planReach already checks this
  const order = m.names.map((_, i) => i).sort((a, b) => compareText(m.names[a], m.names[b]));
  const keys = order.map((i) => JSON.stringify(m.names[i]));
  // Every cell is one of two texts per column: encode them once, not 144 million times. Each
  // carries the comma before it but the first of its row, which takes the row's opening.
  const allowed = keys.map((key, j) => ChunkedStdout.encode(`${j === 0 ? '' : ','}${key}:true`));
  const denied = keys.map((key, j) => ChunkedStdout.encode(`${j === 0 ? '' : ','}${key}:false`));
  // Allowed only where the plugin matches ipBlocks against pod addresses: a string, never false.
  const conditional = keys.map((key, j) => ChunkedStdout.encode(`${j === 0 ? '' : ','}${key}:${JSON.stringify(CONDITIONAL_JSON)}`));
  const out = new ChunkedStdout(io);
  out.write(ChunkedStdout.encode(`{"level":${JSON.stringify(m.level)},"port":${m.traffic.port},"protocol":${JSON.stringify(m.traffic.protocol)},"allowed":{`));
  for (let i = 0; i < order.length; i++) {
    const a = order[i];
    out.write(ChunkedStdout.encode(`${i === 0 ? '' : ','}${keys[i]}:{`));
    let first = true;
    for (let j = 0; j < order.length; j++) {
      const b = order[j];
      if (a === m.outside && b === m.outside) continue;
      const cell = !m.reachableAt(a, b) ? denied[j] : m.conditionalAt?.(a, b) ? conditional[j] : allowed[j];
      // Only a skipped first cell (the internet node with itself) leaves a leading comma to drop.
      out.write(first && j > 0 ? cell.subarray(1) : cell);
      first = false;
    }
    out.write(CLOSE_ROW);
  }
  out.write(ChunkedStdout.encode('}}\n'));
  out.flush();
}

const CLOSE_ROW = ChunkedStdout.encode('}');

/** Per ordered namespace pair: the destination's pods that some pod of the source can reach, and on which ports. */
interface Exposure extends Matrix {
  /** The destination namespace's pods (placeholders left out: they are not pods). */
  podsOf(namespace: string): readonly string[];
  /** The reachable pods of `to` with the ports some pod of `from` reaches them on (only --port with --port). */
  reached(from: string, to: string): ReadonlyArray<readonly [string, PortSet]>;
}

function buildExposure(model: ReachabilityModel, traffic: Traffic | undefined): Exposure {
  const m = model.exposure();
  const names = namespaceNames(model);
  const pods = new Map(model.namespaces.map((n) => [n.name, n.pods.filter((p) => p.kind !== 'Placeholder').map((p) => p.key)]));
  const wanted = traffic ? PortSet.range(traffic.protocol, traffic.port) : PortSet.ALL;
  // Each pair is read by the cell, the detail line and the JSON: compute it once.
  const memo = new Map<string, Array<readonly [string, PortSet]>>();
  const reached = (from: string, to: string): Array<readonly [string, PortSet]> => {
    const key = `${from}\n${to}`;
    let found = memo.get(key);
    if (!found) {
      found = (pods.get(to) ?? []).map((pod) => [pod, traffic ? m.ports(from, pod).intersect(wanted) : m.ports(from, pod)] as const)
        .filter(([, ports]) => !ports.isEmpty);
      memo.set(key, found);
    }
    return found;
  };
  const podsOf = (namespace: string) => pods.get(namespace) ?? [];
  const matrix = positionalMatrix(
    { level: 'exposure', names, traffic, internet: model.internet },
    (a, b) => reached(names[a], names[b]).length > 0,
    // "-" for a namespace without pods, where a count would read as a denial.
    (a, b) => (podsOf(names[b]).length === 0 ? NOT_APPLICABLE : `${reached(names[a], names[b]).length}/${podsOf(names[b]).length}`),
  );
  return { ...matrix, podsOf, reached };
}

function renderExposureTable(e: Exposure, width: number, asEnforced: boolean): string {
  if (e.names.length === 0) return '';
  const on = e.traffic ? `on ${e.traffic.protocol}/${e.traffic.port}` : 'on some port';
  const head = `pods of the column namespace that some pod of the row namespace can reach ${on} (reachable/all; - no pods)${asEnforced ? AS_ENFORCED_CAPTION : ''}`;
  const details: string[] = [];
  for (const a of e.names) {
    for (const b of e.names) {
      const reached = e.reached(a, b);
      if (reached.length === 0) continue;
      // The internet node is one address, not a namespace of pods: its ports say it all.
      const text = b === e.internet?.key ? reached[0][1].toString() : describeReached(reached, e.podsOf(b).length, e.traffic !== undefined);
      details.push(`${a} -> ${b}: ${text}`);
    }
  }
  return [head, ...gridOrList(e, width), ...internetNote(e.internet, e.names), ...(details.length > 0 ? ['', ...details] : [])].join('\n');
}

/** `all 3 pods (TCP 80)` when every pod is open on the same ports, else the pods with their ports. */
function describeReached(reached: ReadonlyArray<readonly [string, PortSet]>, total: number, onePort: boolean): string {
  const ports = reached.map(([, p]) => p.toString());
  const same = ports.every((p) => p === ports[0]);
  if (reached.length === total && same) return `all ${total} pod${total === 1 ? '' : 's'}${onePort ? '' : ` (${ports[0]})`}`;
  const list = reached.map(([pod, p]) => (onePort ? pod : `${pod} (${p.toString()})`)).join(', ');
  return `${reached.length}/${total} pods: ${list}`;
}

function renderExposureJson(e: Exposure): string {
  const pair = (a: string, b: string) =>
    `{"pods":${e.podsOf(b).length},"reachable":${sortedJsonObject(e.reached(a, b).map(([pod, ports]) => [pod, JSON.stringify(ports.toString())]))}}`;
  const row = (a: string) => sortedJsonObject(e.names.filter((b) => !outsideOnly(e, a, b)).map((b) => [b, pair(a, b)]));
  const exposed = sortedJsonObject(e.names.map((a) => [a, row(a)]));
  const port = e.traffic ? String(e.traffic.port) : 'null';
  const protocol = e.traffic ? JSON.stringify(e.traffic.protocol) : 'null';
  return `{"level":"exposure","port":${port},"protocol":${protocol},"exposed":${exposed}}`;
}

/**
 * A mermaid flowchart around one namespace: its pods (in a subgraph), the flows between them, and
 * an edge from every other namespace some pod of which can reach one of its pods, and to every
 * other namespace one of its pods can reach. Other namespaces stay single nodes to keep it legible.
 */
function renderFocus(model: ReachabilityModel, namespace: string, traffic: Traffic | undefined): string {
  const ns = model.namespaces.find((n) => n.name === namespace && n.external !== true);
  if (!ns) {
    const known = model.namespaces.filter((n) => n.external !== true).map((n) => n.name).join(', ') || 'none';
    const internet = namespace === model.internet?.key ? `; ${namespace} stands for a public address, not a namespace: the graph of each namespace shows its flows with it` : '';
    throw new UsageError(`--namespace: unknown namespace ${JSON.stringify(namespace)} (namespaces in the input: ${known})${internet}`);
  }
  const wanted = traffic ? PortSet.range(traffic.protocol, traffic.port) : PortSet.ALL;
  const own = ns.pods.map((p) => p.key);
  const edges = new Map<string, PortSet>();
  const add = (from: string, to: string, ports: PortSet) => {
    const p = ports.intersect(wanted);
    if (!p.isEmpty) edges.set(`${from}\n${to}`, (edges.get(`${from}\n${to}`) ?? PortSet.NONE).union(p));
  };
  for (const a of own) for (const b of own) add(a, b, model.allowedPorts(a, b));
  const others: string[] = [];
  for (const other of model.namespaces) {
    if (other === ns) continue;
    const before = edges.size;
    for (const p of other.pods) {
      for (const mine of own) {
        add(other.name, mine, model.allowedPorts(p.key, mine));
        add(mine, other.name, model.allowedPorts(mine, p.key));
      }
    }
    if (edges.size > before) others.push(other.name);
  }
  // Pod keys hold a "/" and namespace names cannot, so the two kinds of node never collide.
  return renderNamespaceMermaid({
    namespaces: [...own, ...others],
    allowed: (a, b) => edges.has(`${a}\n${b}`),
    edgeLabel: traffic ? undefined : (a, b) => edges.get(`${a}\n${b}`)!.toString(),
    groupOf: (name) => (name.includes('/') ? { title: `namespace ${namespace}`, rank: 0 }
      : name === model.internet?.key ? { title: 'outside the cluster', rank: 2 } : { title: 'other namespaces', rank: 1 }),
    isExternal: (name) => name === model.internet?.key,
  });
}

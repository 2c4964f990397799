import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { CliIo, loadInputs } from './io';
import { renderGrid, sortedJsonObject } from './render';
import { Warnings } from './warnings';
import {
  PodInfo, PortSet, ReachabilityModel, renderNamespaceMarkdown, renderNamespaceMermaid,
} from '../analysis/reachability';
import { ClusterModel } from '../model/cluster-model';
import { InputNote } from '../model/notes';
import { MAX_PORT, MIN_PORT, ProtocolName as Protocol } from '../model/vocabulary';

export const REACH_LEVELS = ['pod', 'namespace'] as const;
export type ReachLevel = (typeof REACH_LEVELS)[number];

export const REACH_FORMATS = ['table', 'json', 'markdown', 'mermaid'] as const;
export type ReachFormat = (typeof REACH_FORMATS)[number];

/** The parsed flags of `namespace-guard reach`; undefined means "not given". */
export interface ReachOptions {
  readonly file: readonly string[];
  readonly level?: ReachLevel;
  readonly port?: number;
  readonly protocol?: Protocol;
  readonly format?: ReachFormat;
  readonly from?: string;
  readonly to?: string;
  /** No warnings on stderr. */
  readonly quiet?: boolean;
}

export const ALLOWED_MARK = '✓';
export const DENIED_MARK = '✗';

/** `namespace-guard reach`: prints a reachability matrix, or the verdict for one connection. */
export function reach(options: ReachOptions, io: CliIo): number {
  const plan = planReach(options);
  const notes: InputNote[] = [];
  const cluster = ClusterModel.fromManifests(loadInputs(options.file, io, notes));
  new Warnings(io, options.quiet).notes([...notes, ...cluster.notes]);
  const model = ReachabilityModel.fromCluster(cluster);
  if (plan.kind === 'verdict') {
    return printVerdict(model, plan, io);
  }
  const matrix = buildMatrix(model, plan.level, plan.traffic);
  if (matrix.names.length === 0) {
    io.stderr(`namespace-guard: no ${plan.level === 'pod' ? 'pods or workloads' : 'namespaces'} in the input\n`);
  }
  const text = render(matrix, plan.format);
  if (text !== '') io.stdout(`${text}\n`);
  return EXIT_OK;
}

interface Traffic {
  readonly port: number;
  readonly protocol: Protocol;
}

type ReachPlan =
  | { readonly kind: 'verdict'; readonly from: string; readonly to: string; readonly traffic: Traffic }
  | { readonly kind: 'matrix'; readonly level: ReachLevel; readonly format: ReachFormat; readonly traffic?: Traffic };

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
    if (o.level === 'namespace') {
      throw new UsageError('--from/--to take pods (<namespace>/<pod>) and cannot be combined with --level namespace');
    }
    if (o.format !== undefined && o.format !== 'table') {
      throw new UsageError(`--from/--to print a verdict and its explanation; --format ${o.format} is for matrices`);
    }
    return { kind: 'verdict', from: o.from, to: o.to, traffic };
  }

  const format = o.format ?? 'table';
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
  checkPodKey(model, plan.from, '--from');
  checkPodKey(model, plan.to, '--to');
  const verdict = model.evaluate(plan.from, plan.to, plan.traffic.port, plan.traffic.protocol);
  const outcome = verdict.allowed ? 'allowed' : 'denied';
  // The engine's explanation repeats the outcome as a prefix; the first line already says it.
  const explanation = verdict.explanation.startsWith(`${outcome}: `) ? verdict.explanation.slice(outcome.length + 2) : verdict.explanation;
  io.stdout(`${outcome}\n${explanation}\n`);
  return verdict.allowed ? EXIT_OK : EXIT_FAILED;
}

/** Rejects a pod key the model does not know, naming the pods of its namespace. */
function checkPodKey(model: ReachabilityModel, key: string, flag: string): void {
  if (model.pods.some((p) => p.key === key)) return;
  const slash = key.indexOf('/');
  if (slash <= 0) {
    throw new UsageError(`${flag} ${JSON.stringify(key)}: expected <namespace>/<pod>, e.g. ${model.pods[0]?.key ?? 'shop/web'}`);
  }
  const namespace = key.slice(0, slash);
  const ns = model.namespaces.find((n) => n.name === namespace);
  if (!ns) {
    const known = model.namespaces.map((n) => n.name).join(', ') || 'none';
    throw new UsageError(`${flag}: unknown namespace ${JSON.stringify(namespace)} in ${JSON.stringify(key)} (namespaces in the input: ${known})`);
  }
  throw new UsageError(`${flag}: unknown pod ${JSON.stringify(key)} (pods in namespace ${namespace}: ${ns.pods.map(describePod).join(', ')})`);
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
  /** Whether any traffic flows from `from` to `to`: on the port, or on some port. */
  reachable(from: string, to: string): boolean;
  /** The cell text: a mark for one port, the allowed port set otherwise. */
  text(from: string, to: string): string;
}

function buildMatrix(model: ReachabilityModel, level: ReachLevel, traffic: Traffic | undefined): Matrix {
  if (level === 'pod') {
    // The engine's `<namespace>/*` placeholders stand for empty namespaces; they are not pods.
    const names = model.pods.filter((p) => p.kind !== 'Placeholder').map((p) => p.key);
    if (traffic) {
      const m = model.podMatrix(traffic.port, traffic.protocol);
      return markMatrix(level, names, traffic, (a, b) => m.allowed(a, b));
    }
    const m = model.podPortMatrix();
    return portSetMatrix(level, names, (a, b) => m.ports(a, b));
  }
  const names = model.namespaces.map((n) => n.name);
  if (traffic) {
    const m = model.namespaceMatrix(traffic.port, traffic.protocol);
    return markMatrix(level, names, traffic, (a, b) => m.some(a, b));
  }
  const m = model.namespaceMatrix();
  return portSetMatrix(level, names, (a, b) => m.some(a, b));
}

function markMatrix(level: ReachLevel, names: readonly string[], traffic: Traffic, allowed: (a: string, b: string) => boolean): Matrix {
  return { level, names, traffic, reachable: allowed, text: (a, b) => (allowed(a, b) ? ALLOWED_MARK : DENIED_MARK) };
}

function portSetMatrix(level: ReachLevel, names: readonly string[], ports: (a: string, b: string) => PortSet): Matrix {
  return { level, names, reachable: (a, b) => !ports(a, b).isEmpty, text: (a, b) => ports(a, b).toString() };
}

function render(m: Matrix, format: ReachFormat): string {
  switch (format) {
    case 'json':
      return renderJson(m);
    case 'markdown':
      return m.names.length === 0 ? '' : `${caption(m)}\n\n${renderNamespaceMarkdown({ namespaces: m.names, corner: 'from \\ to', cell: m.text })}`;
    case 'mermaid':
      // One port: an edge means allowed, so it needs no label; all ports: the edge says which.
      return renderNamespaceMermaid({ namespaces: m.names, allowed: m.reachable, edgeLabel: m.traffic ? undefined : m.text });
    case 'table':
      return m.names.length === 0 ? '' : `${caption(m)}\n${renderGrid(cellRows(m))}`;
  }
}

function cellRows(m: Matrix): string[][] {
  return [['from \\ to', ...m.names], ...m.names.map((a) => [a, ...m.names.map((b) => m.text(a, b))])];
}

function caption(m: Matrix): string {
  const rows = m.level === 'pod' ? 'the row pod' : 'some pod of the row namespace';
  const columns = m.level === 'pod' ? 'the column pod' : 'some pod of the column namespace';
  if (m.traffic) {
    return `${m.traffic.protocol}/${m.traffic.port} from ${rows} to ${columns}: ${ALLOWED_MARK} allowed, ${DENIED_MARK} denied`;
  }
  return `ports on which ${rows} can connect to ${columns}`;
}

function renderJson(m: Matrix): string {
  if (!m.traffic) throw new UsageError('--format json needs --port'); // planReach already checks this
  const allowed = sortedJsonObject(m.names.map((a) => [a, sortedJsonObject(m.names.map((b) => [b, String(m.reachable(a, b))]))]));
  return `{"level":${JSON.stringify(m.level)},"port":${m.traffic.port},"protocol":${JSON.stringify(m.traffic.protocol)},"allowed":${allowed}}`;
}

import { DEFAULT_DIFF_FAIL_ON, DEFAULT_DIFF_FORMAT, DiffFailOn, DiffFormat, MAX_MATRIX_NAMESPACES } from './choices';
import { clusterModelOf, readClusterFile } from './cluster-file';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { CliIo, loadInputs } from './io';
import { Warnings } from './warnings';
import { AddressChange, ClusterDiff, compareClusters, EVERY_NAMESPACE, FlowChange, portTexts } from '../analysis/diff';
import { AddressReach, describeAddresses, renderNamespaceMarkdown } from '../analysis/reachability';
import { NamespacePodSecurity } from '../model/cluster-model';
import { InputNote } from '../model/notes';
import { compareText } from '../private/json';

/** The parsed flags of `namespace-guard diff`; undefined means "not given". */
export interface DiffOptions {
  readonly base: readonly string[];
  readonly head: readonly string[];
  readonly format?: DiffFormat;
  readonly failOn?: DiffFailOn;
  /** No warnings on stderr. */
  readonly quiet?: boolean;
  /** A cluster file: the cluster's ranges, network plugin and services, for both sides. */
  readonly cluster?: string;
}

/** Rows per section of the markdown, which is meant for a pull-request comment; JSON has them all. */
const MAX_MARKDOWN_ROWS = 50;

/**
 * `namespace-guard diff`: what the head manifests open compared with the base ones. Exit 0, or 1
 * when `--fail-on open` and the change opens something, or `--fail-on change` and anything changed.
 */
export function diff(options: DiffOptions, io: CliIo): number {
  if (options.base.includes('-') && options.head.includes('-')) {
    throw new UsageError('--base and --head cannot both read standard input (-); give one of them as files or directories');
  }
  const baseNotes: InputNote[] = [];
  const headNotes: InputNote[] = [];
  const clusterFile = options.cluster === undefined ? undefined : { path: options.cluster, contents: readClusterFile(options.cluster) };
  const base = clusterModelOf(loadInputs(options.base, io, baseNotes), clusterFile);
  const head = clusterModelOf(loadInputs(options.head, io, headNotes), clusterFile);
  const warnings = new Warnings(io, options.quiet);
  warnings.notes(() => {
    const headMessages = [...headNotes, ...head.notes];
    const seen = new Set(headMessages.map(n => n.message));
    // What the base alone has is said once, marked as the base's.
    const baseOnly = [...baseNotes, ...base.notes].filter(n => !seen.has(n.message)).map(n => ({ ...n, message: `in --base: ${n.message}` }));
    return [...headMessages, ...baseOnly];
  });

  const result = compareClusters(base, head);
  io.stdout(`${DIFF_RENDERERS[options.format ?? DEFAULT_DIFF_FORMAT](result)}\n`);
  io.stderr(`namespace-guard: ${summary(result)}\n`);
  const failOn = options.failOn ?? DEFAULT_DIFF_FAIL_ON;
  const failed = failOn === 'open' ? result.opens : failOn === 'change' ? result.changed : false;
  return failed ? EXIT_FAILED : EXIT_OK;
}

/** One object on one line, in the order the help documents. */
export function renderJson(d: ClusterDiff): string {
  const flow = (f: FlowChange, ports: 'added' | 'removed') => ({ from: f.from, to: f.to, ports: portTexts(f[ports]), ...(f.where ? { where: f.where } : {}) });
  const ranges = (which: 'added' | 'removed') => d.addresses.flatMap(a => a[which].map(r => ({
    namespace: a.namespace, direction: a.direction, node: a.node, ports: portTexts(r.ports), ranges: r.addresses.toCidrs(),
  })));
  return JSON.stringify({
    flows: {
      added: d.flows.filter(f => !f.added.isEmpty).map(f => flow(f, 'added')),
      removed: d.flows.filter(f => !f.removed.isEmpty).map(f => flow(f, 'removed')),
    },
    podFlows: d.podFlows.map(p => ({ from: p.from, to: p.to, ports: portTexts(p.added), ...(p.where ? { where: p.where } : {}) })),
    addresses: { added: ranges('added'), removed: ranges('removed') },
    podSecurity: d.podSecurity.map(p => ({ namespace: p.namespace, before: p.before && levelJson(p.before), after: levelJson(p.after) })),
    quota: d.limits.map(l => ({ namespace: l.namespace, key: l.key, before: l.before, after: l.after })),
    access: d.access.map(a => ({ namespace: a.namespace, subject: a.subject, before: a.before, after: a.after, added: a.added, removed: a.removed })),
    roles: d.roles.map(r => ({ role: r.role, change: r.change, added: r.added, removed: r.removed, widens: r.widens })),
    guardrails: d.guardrails.map(g => ({ kind: g.kind, name: g.name, change: g.change, detail: g.detail, weakens: g.weakens })),
    opens: d.opens,
    ...(d.unproven.length > 0 ? { unproven: d.unproven } : {}),
  });
}

function levelJson(p: NamespacePodSecurity): { level: string; version: string } {
  return { level: p.level, version: p.version };
}

interface Tally {
  readonly opening: string[];
  readonly other: string[];
}

/** What changed, counted: the changes that open something first. */
function tally(d: ClusterDiff): Tally {
  const opening: string[] = [];
  const other: string[] = [];
  const count = (n: number, one: string, many: string, into: string[]) => {
    if (n > 0) into.push(`${n} ${n === 1 ? one : many}`);
  };
  count(d.flows.filter(f => !f.added.isEmpty).length, 'flow added or widened', 'flows added or widened', opening);
  count(d.podFlows.length, 'pod pair given ports its namespaces\' cell does not show', 'pod pairs given ports their namespaces\' cells do not show', opening);
  count(d.addresses.filter(a => a.added.length > 0).length, 'reach of outside addresses widened', 'reaches of outside addresses widened', opening);
  count(d.podSecurity.filter(p => p.lowers).length, 'Pod Security level lowered', 'Pod Security levels lowered', opening);
  count(d.limits.filter(l => l.raises).length, 'quota or limit raised', 'quotas or limits raised', opening);
  count(d.access.filter(a => a.raises).length, 'subject given more access', 'subjects given more access', opening);
  count(d.roles.filter(r => r.widens).length, 'role widened or added with wide rules', 'roles widened or added with wide rules', opening);
  count(d.guardrails.filter(g => g.weakens).length, 'guardrail removed or weakened', 'guardrails removed or weakened', opening);
  count(d.flows.filter(f => f.added.isEmpty).length, 'flow removed or narrowed', 'flows removed or narrowed', other);
  count(d.addresses.filter(a => a.added.length === 0).length, 'reach of outside addresses narrowed', 'reaches of outside addresses narrowed', other);
  count(d.podSecurity.filter(p => !p.lowers).length, 'other Pod Security change', 'other Pod Security changes', other);
  count(d.limits.filter(l => !l.raises).length, 'other quota or limit change', 'other quota or limit changes', other);
  count(d.access.filter(a => !a.raises).length, 'subject given less (or other) access', 'subjects given less (or other) access', other);
  count(d.roles.filter(r => !r.widens).length, 'other role change', 'other role changes', other);
  count(d.guardrails.filter(g => !g.weakens).length, 'guardrail added or tightened', 'guardrails added or tightened', other);
  return { opening, other };
}

/** The one-line verdict: what the change opens, and what else it changes. */
function summary(d: ClusterDiff): string {
  const { opening, other } = tally(d);
  if (!d.changed) return 'no change to flows, outside addresses, Pod Security, quotas and limits, access or guardrails';
  if (!d.opens) return `opens nothing; ${other.join(', ')}`;
  return `opens: ${opening.join(', ')}${other.length > 0 ? `; also ${other.join(', ')}` : ''}`;
}

/** A pull-request comment: the verdict, then one short section per kind of change. */
export function renderMarkdown(d: ClusterDiff): string {
  const { opening, other } = tally(d);
  const headline = !d.changed
    ? '**namespace-guard diff: no change** to flows, outside addresses, Pod Security, quotas and limits, access or guardrails.'
    : d.opens
      ? `**namespace-guard diff: this change opens access**: ${opening.join(', ')}${other.length > 0 ? `; also ${other.join(', ')}` : ''}.`
      : `**namespace-guard diff: this change opens nothing**: ${other.join(', ')}.`;
  const sections = [headline, ...d.unproven.map(u => `⚠️ Not shown: ${u}.`)];
  const plain = d.flows.filter(f => f.where === undefined);
  const conditional = d.flows.filter(f => f.where !== undefined);
  if (plain.length > 0) sections.push(flowSection(plain));
  if (conditional.length > 0) {
    sections.push(tableSection(`Flows that change only ${conditional[0].where} (the plugin is not declared)`, ['from', 'to', 'opened', 'closed'],
      conditional.map(f => [f.from, f.to, f.added.isEmpty ? '' : `⚠️ ${f.added.toString()}`, f.removed.isEmpty ? '' : f.removed.toString()])));
  }
  if (d.podFlows.length > 0) {
    sections.push(tableSection('Pods given ports the namespace matrix does not show (another pod of the namespace already had them)', ['from', 'to', 'added', ''],
      d.podFlows.map(p => [p.from, p.to, p.added.toString(), p.where ? `⚠️ ${p.where}` : '⚠️ opened'])));
  }
  if (d.addresses.length > 0) sections.push(addressSection(d.addresses));
  if (d.podSecurity.length > 0) {
    sections.push(tableSection('Pod Security (enforced)', ['namespace', 'before', 'after', ''],
      d.podSecurity.map(p => [p.namespace, p.before ? levelText(p.before) : '— (new namespace)', levelText(p.after), p.lowers ? '⚠️ lowered' : ''])));
  }
  if (d.limits.length > 0) {
    sections.push(tableSection('Quotas and limit ranges', ['namespace', 'key', 'before', 'after', ''],
      d.limits.map(l => [l.namespace, l.key, l.before ?? '—', l.after ?? '—', l.raises ? '⚠️ raised' : ''])));
  }
  if (d.access.length > 0) {
    sections.push(tableSection('Access (RBAC, effective permissions)', ['namespace', 'subject', 'before', 'after', 'added', 'removed', ''],
      d.access.map(a => [a.namespace === EVERY_NAMESPACE ? 'every namespace (ClusterRoleBinding)' : a.namespace, a.subject, rolesCell(a.before),
        rolesCell(a.after), linesCell(a.added), linesCell(a.removed), a.raises ? '⚠️ raised' : ''])));
  }
  if (d.roles.length > 0) {
    sections.push(tableSection('Roles (effective rules, bound or not)', ['role', 'change', 'added', 'removed', ''],
      d.roles.map(r => [r.role, r.change, linesCell(r.added), linesCell(r.removed), r.widens ? '⚠️ widens' : ''])));
  }
  if (d.guardrails.length > 0) {
    sections.push(tableSection('Guardrails', ['kind', 'name', 'change', ''],
      d.guardrails.map(g => [g.kind, g.name, g.detail, g.weakens ? '⚠️ weakens' : ''])));
  }
  return sections.join('\n\n');
}

/** Lines of one table cell, cut after a few: a pull-request comment is for reading; JSON has them all. */
const MAX_CELL_LINES = 6;

function linesCell(lines: readonly string[]): string {
  if (lines.length === 0) return '—';
  const shown = lines.slice(0, MAX_CELL_LINES);
  return [...shown, ...(lines.length > shown.length ? [`… and ${lines.length - shown.length} more`] : [])].join('<br>');
}

function rolesCell(roles: readonly string[]): string {
  return roles.length === 0 ? '—' : roles.join(', ');
}

/** `restricted (v1.35)`, `privileged (latest)`. */
function levelText(p: NamespacePodSecurity): string {
  return `${p.level} (${p.version})`;
}

/**
 * The changed cells of the namespace matrix, each `before → after` (⚠️ where ports were added);
 * unchanged cells stay empty. With many namespaces, one row per changed pair instead.
 */
function flowSection(flows: readonly FlowChange[]): string {
  const cellText = (f: FlowChange) => `${f.added.isEmpty ? '' : '⚠️ '}${f.before.toString()} → ${f.after.toString()}`;
  const title = '#### Flows between namespaces (ports on which some pod of the row namespace can connect to some pod of the column namespace)';
  const namespaces = [...new Set(flows.flatMap(f => [f.from, f.to]))].sort(compareText);
  if (namespaces.length <= MAX_MATRIX_NAMESPACES) {
    const cells = new Map(flows.map(f => [`${f.from}\n${f.to}`, cellText(f)]));
    return `${title}\n\n${renderNamespaceMarkdown({ namespaces, corner: 'from \\ to', cell: (a, b) => cells.get(`${a}\n${b}`) ?? '' })}`;
  }
  return tableSection(title.slice('#### '.length), ['from', 'to', 'before', 'after', ''],
    flows.map(f => [f.from, f.to, f.before.toString(), f.after.toString(), f.added.isEmpty ? '' : '⚠️ opened']));
}

/** One row per namespace, outside node, direction and ports whose addresses changed. */
function addressSection(changes: readonly AddressChange[]): string {
  const rows = changes.flatMap(c => {
    const row = (r: AddressReach, mark: string) => [
      c.namespace, c.direction === 'egress' ? `to ${c.node}` : `from ${c.node}`, r.ports.toString(),
      describeAddresses(r.addresses, c.nodeAddresses, c.nodeIsPublic ? 'public ' : ''), mark,
    ];
    return [...c.added.map(r => row(r, '⚠️ opened')), ...c.removed.map(r => row(r, 'closed'))];
  });
  return tableSection('Addresses outside the cluster (per namespace, the ranges some pod reaches or is reached from, per port)',
    ['namespace', 'direction', 'ports', 'addresses', ''], rows);
}

function tableSection(title: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(c => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const shown = rows.slice(0, MAX_MARKDOWN_ROWS);
  const more = rows.length - shown.length;
  return [`#### ${title}`, '', line(header), line(header.map(() => '---')), ...shown.map(line),
    ...(more > 0 ? ['', `… and ${more} more (all of them with --format json).`] : [])].join('\n');
}

/** One formatter per --format: a format without one does not compile. */
const DIFF_RENDERERS: Readonly<Record<DiffFormat, (d: ClusterDiff) => string>> = { markdown: renderMarkdown, json: renderJson };

import { DEFAULT_EVIDENCE_FAIL_ON, DEFAULT_EVIDENCE_FORMAT, EvidenceFailOn, EvidenceFormat } from './choices';
import { clusterModelOf, readClusterFile } from './cluster-file';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { CliIo, loadInputs } from './io';
import { Warnings } from './warnings';
import { collectEvidence, CONTROL_STATUSES, ControlStatus, countStatuses, defaultNamespaces, FRAMEWORKS, KUBERNETES_NAMESPACES, NamespaceEvidence } from '../analysis/evidence';
import { ClusterModel } from '../model/cluster-model';
import { InputNote } from '../model/notes';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, PROFILE_LABEL } from '../model/vocabulary';

/** The parsed flags of `namespace-guard evidence`; undefined means "not given". */
export interface EvidenceOptions {
  readonly file: readonly string[];
  /** The namespaces to cover (default: the managed ones). */
  readonly namespace?: readonly string[];
  readonly format?: EvidenceFormat;
  readonly failOn?: EvidenceFailOn;
  /** No warnings on stderr. */
  readonly quiet?: boolean;
  /** A cluster file: the cluster's ranges, network plugin and services. */
  readonly cluster?: string;
}

// Notes about what the evidence cannot see; the reachability notes do not concern it.
const RELEVANT_NOTES = new Set(['modelled-kind', 'ignored-kind', 'unevaluated-policy']);

/**
 * `namespace-guard evidence`: per namespace, each benchmark control manifests can show, with its
 * status and the objects that prove it. Exit 0, or 1 with `--fail-on fail` when a control fails.
 */
export function evidence(options: EvidenceOptions, io: CliIo): number {
  const notes: InputNote[] = [];
  const clusterFile = options.cluster === undefined ? undefined : { path: options.cluster, contents: readClusterFile(options.cluster) };
  const model = clusterModelOf(loadInputs(options.file, io, notes), clusterFile);
  const warnings = new Warnings(io, options.quiet);
  warnings.notes(() => [...notes, ...model.notes.filter(n => RELEVANT_NOTES.has(n.code))]);
  const names = chooseNamespaces(model, options.namespace, warnings);
  const result = collectEvidence(model, names);
  io.stdout(`${EVIDENCE_RENDERERS[options.format ?? DEFAULT_EVIDENCE_FORMAT](result)}\n`);
  const counts = countStatuses(result.flatMap(n => n.controls));
  io.stderr(`namespace-guard: ${result.length} namespace${result.length === 1 ? '' : 's'}: ${counts.pass} passed, ${counts.fail} failed, `
    + `${counts['not-applicable']} not applicable\n`);
  return (options.failOn ?? DEFAULT_EVIDENCE_FAIL_ON) === 'fail' && counts.fail > 0 ? EXIT_FAILED : EXIT_OK;
}

function chooseNamespaces(model: ClusterModel, chosen: readonly string[] | undefined, warnings: Warnings): string[] {
  const available = model.namespaces.map(n => n.name);
  if (chosen && chosen.length > 0) {
    const unknown = [...new Set(chosen)].filter(n => model.namespace(n) === undefined);
    if (unknown.length > 0) {
      throw new UsageError(`--namespace ${unknown.map(n => JSON.stringify(n)).join(', ')}: not in the input; `
        + (available.length > 0 ? `its namespaces are ${available.join(', ')}` : 'it has no namespace'));
    }
    return [...new Set(chosen)];
  }
  const covered = defaultNamespaces(model);
  if (covered.selection === 'all') {
    warnings.warn(`no namespace of the input is labelled ${MANAGED_BY_LABEL}: ${MANAGED_BY_VALUE} or ${PROFILE_LABEL}: `
      + `covering every namespace but ${KUBERNETES_NAMESPACES.join(', ')} (choose with --namespace)`);
  }
  if (covered.names.length === 0) warnings.warn('no namespace to cover: the input has none but Kubernetes\' own');
  return [...covered.names];
}

/** One line, in the issue's shape: namespaces sorted, controls in catalogue order, then the totals. */
export function renderJson(result: readonly NamespaceEvidence[]): string {
  return JSON.stringify({
    frameworks: FRAMEWORKS.map(f => ({ name: f.name, source: f.source })),
    namespaces: result.map(n => ({
      namespace: n.namespace,
      controls: n.controls.map(({ control, result: r }) => ({
        id: control.id,
        framework: control.framework.name,
        title: control.title,
        status: r.status,
        evidence: r.evidence,
        reason: r.reason,
        ...(r.fix !== undefined ? { fix: r.fix } : {}),
      })),
    })),
    summary: countStatuses(result.flatMap(n => n.controls)),
  });
}

const STATUS_TEXT: Record<ControlStatus, string> = { 'pass': '✅ pass', 'fail': '❌ fail', 'not-applicable': 'n/a' };

/** A summary table (namespace × status counts), then one section per namespace. */
export function renderMarkdown(result: readonly NamespaceEvidence[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const lines = [
    '# Compliance evidence',
    '',
    `Controls that manifests can show, per namespace. Sources: ${FRAMEWORKS.map(f => `${f.name}: ${f.source}`).join('; ')}. `
      + 'A pass shows what the manifests declare; objects made on the cluster by hand are not in them.',
    '',
    row(['namespace', ...CONTROL_STATUSES]),
    row(['---', ...CONTROL_STATUSES.map(() => '---:')]),
    ...result.map(n => {
      const counts = countStatuses(n.controls);
      return row([n.namespace, ...CONTROL_STATUSES.map(s => String(counts[s]))]);
    }),
  ];
  for (const n of result) {
    lines.push('', `## ${n.namespace}`, '', row(['id', 'title', 'status', 'evidence', 'reason']), row(['---', '---', '---', '---', '---']));
    for (const { control, result: r } of n.controls) {
      const reason = r.fix ? `${r.reason}. Fix: ${r.fix}` : r.reason;
      lines.push(row([control.id, control.title, STATUS_TEXT[r.status], r.evidence.length > 0 ? r.evidence.join('<br>') : '—', reason]));
    }
  }
  return lines.join('\n');
}

/** One formatter per --format: a format without one does not compile. */
const EVIDENCE_RENDERERS: Readonly<Record<EvidenceFormat, (result: readonly NamespaceEvidence[]) => string>> = {
  markdown: renderMarkdown,
  json: renderJson,
};

import { CheckFormat, DEFAULT_CHECK_FORMAT, DEFAULT_FAIL_ON, FailOn } from './choices';
import { EXIT_FAILED, EXIT_OK } from './errors';
import { CliIo, loadInputs, STDIN_LABEL } from './io';
import { packageInfo } from './package-info';
import { renderSarif } from './sarif';
import { Warnings } from './warnings';
import { ClusterModel } from '../model/cluster-model';
import { ClusterNetwork, ClusterNetworkFacts } from '../model/cluster-network';
import { describeOrigin } from '../model/manifests';
import { InputNote } from '../model/notes';
import { compareText } from '../private/json';
import { RULES } from '../rules/all-rules';
import { evaluateRules, RuleFinding } from '../rules/evaluate';
import { FindingSeverity } from '../rules/rule-id';

/** The parsed flags of `namespace-guard check`; undefined means "not given". */
export interface CheckOptions {
  readonly file: readonly string[];
  readonly format?: CheckFormat;
  readonly failOn?: FailOn;
  /** The cluster's declared ranges (validated by the flag parser). */
  readonly network?: ClusterNetworkFacts;
  /** No warnings on stderr. */
  readonly quiet?: boolean;
}

/**
 * `namespace-guard check`: runs the rules that synthesis runs over any manifests. Exit 0 when nothing
 * at or above `--fail-on` is unacknowledged, 1 otherwise.
 */
export function check(options: CheckOptions, io: CliIo): number {
  const notes: InputNote[] = [];
  const manifests = loadInputs(options.file, io, notes);
  const model = ClusterModel.fromManifests(manifests, ClusterNetwork.of(options.network));
  // The unmatched-flow-selector rule reports a podSelector that selects nothing as a finding.
  const warn = new Warnings(io, options.quiet);
  warn.notes(() => [...notes, ...model.notes.filter(n => n.code !== 'policy-selects-nothing')]);
  const findings = evaluateRules(model).sort(byLocation);
  const open = findings.filter(f => f.acknowledgement === undefined);
  const errors = open.filter(f => f.severity === FindingSeverity.ERROR).length;
  const warnings = open.length - errors;

  const text = render(options.format ?? DEFAULT_CHECK_FORMAT, findings, errors, warnings, io, warn);
  if (text !== '') io.stdout(`${text}\n`);
  const acknowledged = findings.length - open.length;
  io.stderr(`namespace-guard: ${manifests.length} object${manifests.length === 1 ? '' : 's'} in ${model.namespaces.length} namespace${model.namespaces.length === 1 ? '' : 's'}: `
    + `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${acknowledged} acknowledged\n`);

  const failOn = options.failOn ?? DEFAULT_FAIL_ON;
  const failed = failOn === 'error' ? errors > 0 : failOn === 'warning' ? errors + warnings > 0 : false;
  return failed ? EXIT_FAILED : EXIT_OK;
}

function render(format: CheckFormat, findings: readonly RuleFinding[], errors: number, warnings: number, io: CliIo, warn: Warnings): string {
  switch (format) {
    case 'json':
      return renderJson(findings, errors, warnings);
    case 'sarif':
      if (findings.some(f => f.object.manifest.source === STDIN_LABEL)) {
        // Code scanning places results in files: these can only name their object.
        warn.warn('findings read from standard input have no file and line in the SARIF log; pass files or directories with -f to place them');
      }
      return renderSarif(findings, { rules: RULES, cwd: io.cwd?.() ?? process.cwd(), tool: packageInfo() });
    case 'table':
      return renderTable(findings);
  }
}

/** By file, document (and item of a List), then rule. */
function byLocation(a: RuleFinding, b: RuleFinding): number {
  const x = a.object.manifest;
  const y = b.object.manifest;
  return compareText(x.source, y.source) || x.document - y.document || (x.item ?? 0) - (y.item ?? 0) || compareText(a.rule.id, b.rule.id);
}

function renderJson(findings: readonly RuleFinding[], errors: number, warnings: number): string {
  const entries = findings.map(f => ({
    rule: f.rule.id,
    severity: f.severity,
    acknowledged: f.acknowledgement !== undefined,
    reason: f.acknowledgement?.reason ?? null,
    file: f.object.manifest.source,
    document: f.object.manifest.document,
    kind: f.object.kind,
    namespace: f.namespace,
    name: f.object.name,
    message: f.message,
    fix: f.fix,
    target: f.target ?? null,
  }));
  return JSON.stringify({ findings: entries, errors, warnings });
}

function renderTable(findings: readonly RuleFinding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    const status = f.acknowledgement ? `ACKNOWLEDGED ${f.severity}` : f.severity.toUpperCase();
    const monitored = f.monitored ? ' (monitor mode)' : '';
    lines.push(`${status}${monitored} ${f.rule.id}: ${f.object.kind} ${f.namespace}/${f.object.name} (${describeOrigin(f.object.manifest)})`);
    lines.push(`  ${f.message}`);
    lines.push(`  fix: ${f.fix}`);
    if (f.acknowledgement) lines.push(`  reason: ${f.acknowledgement.reason}`);
  }
  return lines.join('\n');
}

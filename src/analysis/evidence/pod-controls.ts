// Controls about what pods may do (privileged, capabilities, root, host namespaces, hostPath...).
// A namespace passes only when both halves hold: its enforced Pod Security level rejects such pods
// (so none can be created later), and no workload of the input has one (the level does not reach
// objects admitted before it was set, and a workload's pods are only checked when they are made).
// Warn and audit labels reject nothing, so monitor mode never passes on its labels. What admission
// lets through by design (a hostPath PersistentVolume behind a claim) is checked beside them where it applies.
import { HostVolumeReport } from './host-volumes';
import { listText, ref, refs } from './refs';
import { Control, ControlContext, ControlResult, Framework } from './types';
import { readPodSecurityLabels, Workload } from '../../model/cluster-model';
import { formatKubernetesVersion } from '../../model/kubernetes-version';
import { withOrigin } from '../../model/manifests';
import { POD_SECURITY_LEVELS, podSecurityLevelLabel, podSecurityVersionLabel } from '../../model/vocabulary';
import { isRecord } from '../../private/json';
import { admittedPodSecurityVersion, checkPodTemplate, judgedPodSecurityVersion, podSecurityChecksFor, PodSecurityCheckId } from '../pod-security';

type RequiredLevel = 'baseline' | 'restricted';

export interface PodControlSpec {
  readonly id: string;
  readonly framework: Framework;
  readonly title: string;
  /** The lowest level that rejects what the control is about. */
  readonly level: RequiredLevel;
  /** The Pod Security checks that reject it; every check of the level when absent. */
  readonly checks?: readonly PodSecurityCheckId[];
  /** For checks that cover more than the control: only their violations at paths like these count. */
  readonly only?: Partial<Record<PodSecurityCheckId, RegExp>>;
  /** What is rejected, for messages: `hostPath volumes`. */
  readonly what: string;
  /**
   * What reaches the pods past Pod Security admission (host paths through PersistentVolumes): its
   * problems fail the control, its proof joins a pass.
   */
  readonly beyondAdmission?: (context: ControlContext) => HostVolumeReport;
}

/** A control decided by the namespace's enforced Pod Security level and the workloads of the input. */
export function podControl(spec: PodControlSpec): Control {
  return { id: spec.id, framework: spec.framework, title: spec.title, evaluate: context => evaluatePodControl(spec, context) };
}

function evaluatePodControl(spec: PodControlSpec, context: ControlContext): ControlResult {
  const ns = context.namespace;
  // At restricted some baseline checks give way to stricter ones; only those that run count.
  const running = podSecurityChecksFor(spec.level, 'latest');
  const checks = spec.checks?.filter(c => running.includes(c)) ?? running;
  const label = labelVerdict(spec, checks, ns.name, ns.object === undefined ? undefined : ns.labels, context.model.network.kubernetesMinors);
  const violations = ns.workloads.flatMap(w => violationsOf(spec, checks, w).map(v => ({ workload: w, text: v })));
  const beyond = spec.beyondAdmission?.(context) ?? { problems: [] };
  const namespaceRef = ns.object ? [ref(ns.object)] : [];
  if (label.problem === undefined && violations.length === 0 && beyond.problems.length === 0) {
    const count = ns.workloads.length;
    return {
      status: 'pass',
      evidence: [...new Set([...namespaceRef, ...refs(ns.workloads), ...beyond.proof?.evidence ?? []])],
      reason: `${label.holds}, which rejects ${spec.what}; ${count === 0 ? 'the input has no workload in it' : count === 1 ? 'its one workload in the input has none' : `none of its ${count} workloads in the input has any`}`
        + (beyond.proof ? `; ${beyond.proof.text}` : ''),
    };
  }
  const reasons = [
    ...(label.problem ? [label.problem] : []),
    ...violations.map(v => `${ref(v.workload)} has ${v.text}`),
    ...beyond.problems.map(p => p.text),
  ];
  const fixes = [
    ...(label.problem ? [`label the Namespace ${podSecurityLevelLabel('enforce')}: ${spec.level} (or the bundle's PodSecurityLevel.${spec.level.toUpperCase()} with enforcement on)`] : []),
    ...(violations.length > 0 ? [`change the pod spec of ${listText(refs(violations.map(v => v.workload)))}`] : []),
    ...(beyond.problems.length > 0 && beyond.fix ? [beyond.fix] : []),
  ];
  return {
    status: 'fail',
    evidence: [...new Set([...namespaceRef, ...refs(violations.map(v => v.workload)), ...beyond.problems.flatMap(p => p.evidence)])],
    reason: reasons.join('; '),
    fix: fixes.join('; '),
  };
}

interface LabelVerdict {
  /** What the label shows when it holds: `Namespace x enforces Pod Security "restricted" (v1.35)`. */
  readonly holds: string;
  /** Why it does not hold. */
  readonly problem?: string;
}

function labelVerdict(
  spec: PodControlSpec, checks: readonly PodSecurityCheckId[], name: string, labels: Readonly<Record<string, string>> | undefined,
  kubernetesMinors: readonly number[],
): LabelVerdict {
  const subject = `Namespace ${name}`;
  if (labels === undefined) {
    return { holds: '', problem: `the input has no Namespace object for ${name}, so which Pod Security level it enforces cannot be shown` };
  }
  const enforce = readPodSecurityLabels(labels, 'enforce');
  if (!enforce) {
    const monitors = (['warn', 'audit'] as const).filter(mode => readPodSecurityLabels(labels, mode) !== undefined);
    return {
      holds: '',
      problem: monitors.length > 0
        ? `${subject} only ${monitors.map(m => (m === 'warn' ? 'warns' : 'audits')).join(' and ')} at Pod Security level `
          + `"${readPodSecurityLabels(labels, monitors[0])!.level}" (no ${podSecurityLevelLabel('enforce')} label): nothing rejects ${spec.what}`
        : `${subject} has no ${podSecurityLevelLabel('enforce')} label: Pod Security admission admits ${spec.what}`,
    };
  }
  const version = admittedPodSecurityVersion(enforce.version);
  const holds = `${subject} enforces Pod Security "${enforce.level}" (${podSecurityLevelLabel('enforce')}, version ${enforce.version})`;
  if (POD_SECURITY_LEVELS.indexOf(enforce.level) < POD_SECURITY_LEVELS.indexOf(spec.level)) {
    const audit = readPodSecurityLabels(labels, 'audit');
    const monitor = audit && POD_SECURITY_LEVELS.indexOf(audit.level) >= POD_SECURITY_LEVELS.indexOf(spec.level)
      ? ` (its audit label at "${audit.level}" only reports them)` : '';
    return { holds, problem: `${holds}, which admits ${spec.what}: "${spec.level}" rejects them${monitor}` };
  }
  // Restricted rejects all that baseline does (its stricter checks replace some baseline ones).
  const active = (v: string) => [...podSecurityChecksFor(enforce.level, v), ...podSecurityChecksFor('baseline', v)];
  const missing = checks.filter(c => !active(version).includes(c));
  const checkText = (ids: readonly string[]) => `the check${ids.length === 1 ? '' : 's'} ${listText(ids)} that reject${ids.length === 1 ? 's' : ''} `
    + `${spec.what} ${ids.length === 1 ? 'does' : 'do'} not exist`;
  if (missing.length > 0) {
    return {
      holds,
      problem: `${holds}, but at that version ${checkText(missing)} yet (set ${podSecurityVersionLabel('enforce')} to a newer version or latest)`,
    };
  }
  // A declared cluster older than the label judges it at its own version.
  for (const minor of kubernetesMinors) {
    const judged = judgedPodSecurityVersion(enforce.version, minor);
    const lacking = checks.filter(c => !active(judged).includes(c));
    if (lacking.length > 0) {
      return {
        holds,
        problem: `${holds}, but a Kubernetes ${formatKubernetesVersion(minor)} API server judges it at ${judged}, where ${checkText(lacking)} `
          + '(upgrade the cluster, or cover them with an admission policy)',
      };
    }
  }
  return { holds };
}

/** `<check> at <path>` for each violation of the control's checks in a workload's pod template. */
function violationsOf(spec: PodControlSpec, checks: readonly PodSecurityCheckId[], workload: Workload): string[] {
  const result = withOrigin(workload.manifest, () => checkPodTemplate(workload.template, spec.level, 'latest'));
  return result.violations
    .filter(v => checks.includes(v.check) && (spec.only?.[v.check]?.test(v.path) ?? true))
    .map(v => `${v.check} at ${v.path}`);
}

/**
 * Every container of every workload sets `readOnlyRootFilesystem: true`. No Pod Security level
 * requires it, so only the workloads can show it: without any, nothing applies.
 */
export function immutableRootFilesystem(id: string, framework: Framework, title: string): Control {
  return {
    id,
    framework,
    title,
    evaluate: ({ namespace: ns }) => {
      if (ns.workloads.length === 0) {
        return {
          status: 'not-applicable',
          evidence: [],
          reason: `the input has no workload in ${ns.name}; no Pod Security level requires a read-only root filesystem, so only workloads can show it`,
        };
      }
      const writable = ns.workloads.flatMap(w => writableContainers(w).map(c => ({ workload: w, container: c })));
      if (writable.length === 0) {
        return {
          status: 'pass',
          evidence: refs(ns.workloads),
          reason: `every container of the ${ns.workloads.length} workload${ns.workloads.length === 1 ? '' : 's'} in ${ns.name} sets readOnlyRootFilesystem: true`,
        };
      }
      return {
        status: 'fail',
        evidence: refs(writable.map(w => w.workload)),
        reason: writable.map(w => `${ref(w.workload)}: container "${w.container}" does not set securityContext.readOnlyRootFilesystem: true`).join('; '),
        fix: 'set securityContext.readOnlyRootFilesystem: true on each container and mount an emptyDir where the application writes',
      };
    },
  };
}

function writableContainers(workload: Workload): string[] {
  const spec = workload.template.spec;
  return ['initContainers', 'containers'].flatMap(field => (Array.isArray(spec[field]) ? spec[field] as unknown[] : []))
    .filter(isRecord)
    .filter(c => !(isRecord(c.securityContext) && c.securityContext.readOnlyRootFilesystem === true))
    .map(c => (typeof c.name === 'string' ? c.name : ''));
}

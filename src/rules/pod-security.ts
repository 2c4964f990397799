import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { admittedPodSecurityVersion, checkPodTemplate, judgedPodSecurityVersion, parsePodSecurityVersion, PodSecurityViolation } from '../analysis/pod-security';
import { ClusterModel } from '../model/cluster-model';
import { formatKubernetesVersion } from '../model/kubernetes-version';
import { withOrigin } from '../model/manifests';
import { PodSecurityLevel, WORKLOAD_KINDS } from '../model/vocabulary';

/**
 * A workload in a namespace with Pod Security labels must pass that namespace's level at its pinned
 * version, or the cluster rejects its pods at deploy time. Each failed check is one finding; its
 * acknowledgement may name the checks it accepts. A declared cluster version caps the version, as
 * the API server does; with several declared (profiles of several clusters), a workload must pass
 * on each.
 */
export const podSecurityRule: Rule = {
  id: RuleId.POD_SECURITY,
  severity: FindingSeverity.ERROR,
  summary: 'a workload fails the Pod Security level of its namespace',
  description: 'A workload fails the Pod Security level its namespace enforces (the pod-security.kubernetes.io/enforce labels, at the pinned version): the API server would reject its pods, so it never runs, and the usual next step, lowering the namespace\'s level, would weaken every other workload there.',
  remedy: 'Change the pod spec as the finding\'s fix says (the message names the check and the field); for cdk8s-plus workloads PodHardening.restricted fills in what restricted requires. Acknowledge pod-security on the workload for the check id only if the cluster admits it otherwise, with the reason.',
  securitySeverity: 5.0,
  acknowledgedOn: 'object',
  objectKinds: WORKLOAD_KINDS.map(k => k.kind),
  target: 'the Pod Security check id (for example hostPathVolumes)',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      const podSecurity = ns.podSecurity;
      if (!podSecurity || podSecurity.level === PodSecurityLevel.PRIVILEGED) continue;
      const judged = judgedVersions(podSecurity.version, model.network.kubernetesMinors);
      for (const workload of ns.workloads) {
        const seen = new Set<string>();
        for (const { version, clusterText } of judged) {
          const result = withOrigin(workload.manifest, () => checkPodTemplate(workload.template, podSecurity.level, version));
          for (const violation of result.violations.filter(v => !seen.has(violationKey(v)))) {
            seen.add(violationKey(violation));
            hits.push({
              object: workload,
              namespace: ns.name,
              target: violation.check,
              message: `${workload.kind} "${workload.name}" in namespace "${ns.name}" fails Pod Security "${podSecurity.level}" `
                + `(${podSecurity.version}${clusterText}) check ${violation.check} at ${violation.path}`,
              fix: violation.message,
            });
          }
        }
      }
    }
    return hits;
  },
};

interface JudgedVersion {
  readonly version: string;
  /** How the cluster changes the label's version, for messages: empty when it does not. */
  readonly clusterText: string;
}

/** The versions a label is judged at on each declared cluster (the label's own when none is declared), distinct. */
function judgedVersions(label: string, minors: readonly number[]): JudgedVersion[] {
  const own = admittedPodSecurityVersion(label);
  const judged = new Map<string, JudgedVersion>();
  for (const minor of minors.length === 0 ? [undefined] : minors) {
    const version = judgedPodSecurityVersion(label, minor);
    const capped = minor !== undefined && parsePodSecurityVersion(version) < parsePodSecurityVersion(own);
    if (!judged.has(version)) {
      judged.set(version, { version, clusterText: capped ? `, judged as ${version} by a Kubernetes ${formatKubernetesVersion(minor)} API server` : '' });
    }
  }
  return [...judged.values()];
}

function violationKey(v: PodSecurityViolation): string {
  return `${v.check} ${v.path}`;
}

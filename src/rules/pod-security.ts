import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { admittedPodSecurityVersion, checkPodTemplate } from '../analysis/pod-security';
import { ClusterModel } from '../model/cluster-model';
import { withOrigin } from '../model/manifests';
import { PodSecurityLevel, WORKLOAD_KINDS } from '../model/vocabulary';

/**
 * A workload in a namespace with Pod Security labels must pass that namespace's level at its pinned
 * version, or the cluster rejects its pods at deploy time. Each failed check is one finding; its
 * acknowledgement may name the checks it accepts.
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
      for (const workload of ns.workloads) {
        const version = admittedPodSecurityVersion(podSecurity.version);
        const result = withOrigin(workload.manifest, () => checkPodTemplate(workload.template, podSecurity.level, version));
        for (const violation of result.violations) {
          hits.push({
            object: workload,
            namespace: ns.name,
            target: violation.check,
            message: `${workload.kind} "${workload.name}" in namespace "${ns.name}" fails Pod Security "${podSecurity.level}" `
              + `(${podSecurity.version}) check ${violation.check} at ${violation.path}`,
            fix: violation.message,
          });
        }
      }
    }
    return hits;
  },
};

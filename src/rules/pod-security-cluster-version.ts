import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { formatPodSecurityVersion, judgedPodSecurityVersion, missingPodSecurityChecks } from '../analysis/pod-security';
import { ClusterModel } from '../model/cluster-model';
import { formatKubernetesVersion } from '../model/kubernetes-version';
import { PodSecurityLevel, podSecurityVersionLabel } from '../model/vocabulary';

/**
 * A namespace whose enforced level, at its pinned version, relies on a check that the declared
 * cluster is too old to run: the API server judges the label at its own version, so pods that only
 * that check rejects are admitted while the label promises otherwise. One finding per missing check.
 */
export const podSecurityClusterVersionRule: Rule = {
  id: RuleId.POD_SECURITY_CLUSTER_VERSION,
  severity: FindingSeverity.WARNING,
  summary: 'a namespace pins a Pod Security check that the cluster\'s Kubernetes version does not run',
  description: 'A namespace enforces a Pod Security level at a version whose checks include one that the declared cluster\'s Kubernetes version does not have (for example the probe and lifecycle host checks of v1.34 on a 1.33 cluster). The API server judges a label at its own version when the label is newer, so pods that only that check rejects are admitted although the labels name the newer version.',
  remedy: 'Upgrade the cluster to the version the finding names, or cover the check with an admission policy. Acknowledge pod-security-cluster-version on the Namespace for the check id while the cluster is older, with the reason.',
  securitySeverity: 4.0,
  acknowledgedOn: 'namespace',
  objectKinds: ['Namespace'],
  target: 'the Pod Security check id the cluster lacks (for example hostProbesAndHostLifecycle)',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      const podSecurity = ns.podSecurity;
      if (ns.object === undefined || !podSecurity || podSecurity.level === PodSecurityLevel.PRIVILEGED) continue;
      for (const minor of model.network.kubernetesMinors) {
        const kubernetes = `Kubernetes ${formatKubernetesVersion(minor)}`;
        for (const missing of missingPodSecurityChecks(podSecurity.level, podSecurity.version, minor)) {
          hits.push({
            object: ns.object,
            namespace: ns.name,
            target: missing.id,
            message: `namespace "${ns.name}" enforces Pod Security "${podSecurity.level}" at ${podSecurity.version}, but a ${kubernetes} API server `
              + `judges it at ${judgedPodSecurityVersion(podSecurity.version, minor)}, which lacks check ${missing.id} (from `
              + `${formatPodSecurityVersion(missing.since)}): pods that only it rejects are admitted`,
            fix: `upgrade the cluster to Kubernetes ${formatKubernetesVersion(missing.since)} or later, or cover ${missing.id} with an admission policy; `
              + `until then the ${podSecurityVersionLabel('enforce')} label promises more than the cluster checks`,
          });
        }
      }
    }
    return hits;
  },
};

import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { formatPodSecurityVersion, judgedPodSecurityVersion, missingPodSecurityChecks } from '../analysis/pod-security';
import { ClusterModel, Namespace } from '../model/cluster-model';
import { formatKubernetesVersion } from '../model/kubernetes-version';
import { POD_SECURITY_CHECK_GUARDRAILS, PodSecurityLevel, podSecurityVersionLabel } from '../model/vocabulary';
import { isRecord } from '../private/json';

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
          const lacks = `namespace "${ns.name}" enforces Pod Security "${podSecurity.level}" at ${podSecurity.version}, but a ${kubernetes} API server `
            + `judges it at ${judgedPodSecurityVersion(podSecurity.version, minor)}, which lacks check ${missing.id} (from `
            + `${formatPodSecurityVersion(missing.since)})`;
          const guardrail = coveringGuardrail(model, ns, missing.id);
          hits.push({
            object: ns.object,
            namespace: ns.name,
            target: missing.id,
            message: guardrail
              ? `${lacks}; the guardrail ValidatingAdmissionPolicy ${guardrail} denies what it would, so pods still cannot pass it`
              : `${lacks}: pods that only it rejects are admitted`,
            fix: guardrail
              ? `nothing to do while ${guardrail} is installed; acknowledge pod-security-cluster-version for ${missing.id} with that reason`
              : `upgrade the cluster to Kubernetes ${formatKubernetesVersion(missing.since)} or later, or cover ${missing.id} with an admission policy `
                + `(ClusterGuardrails writes ${POD_SECURITY_CHECK_GUARDRAILS[missing.id] ?? 'none for it'}); `
                + `until then the ${podSecurityVersionLabel('enforce')} label promises more than the cluster checks`,
          });
        }
      }
    }
    return hits;
  },
};

/**
 * The guardrail policy of the input that denies what a Pod Security check forbids, for a managed
 * namespace: the policy and a binding of it that denies.
 */
function coveringGuardrail(model: ClusterModel, ns: Namespace, check: string): string | undefined {
  const name = POD_SECURITY_CHECK_GUARDRAILS[check];
  if (name === undefined || !ns.managed) return undefined;
  const policy = model.objects.some(o => o.kind === 'ValidatingAdmissionPolicy' && o.name === name);
  const denies = model.objects.some(o => {
    const spec = o.kind === 'ValidatingAdmissionPolicyBinding' ? o.manifest.object.spec : undefined;
    return isRecord(spec) && spec.policyName === name && Array.isArray(spec.validationActions) && spec.validationActions.includes('Deny');
  });
  return policy && denies ? name : undefined;
}

import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace } from '../model/cluster-model';
import { Profile } from '../model/vocabulary';

/**
 * A tenant in monitor mode is not isolated: Pod Security enforces baseline only and the monitor-allow-all
 * NetworkPolicy lets every tenant in (on Calico, its policies are only staged). Monitor mode turns every other finding of the namespace into a
 * warning, so this one keeps its severity there: otherwise it would never fail.
 */
export const monitoredTenantRule: Rule = {
  id: RuleId.MONITORED_TENANT,
  severity: FindingSeverity.ERROR,
  summary: 'a tenant namespace is in monitor mode (an error even there)',
  description: 'A tenant namespace is in monitor mode (namespace-guard.dev/enforcement: monitor): its NetworkPolicies let everything through and Pod Security enforces baseline only (its level is audited), so the customer is not isolated while monitor mode lasts. The finding keeps its severity in monitor mode.',
  remedy: 'Enforce (Enforcement.ENFORCE) once the reports show what enforcement would block (namespace-guard reach --as-enforced). While the roll-out lasts, acknowledge monitored-tenant on the tenant\'s Namespace with the reason and the date monitor mode ends.',
  securitySeverity: 8.0,
  acknowledgedOn: 'namespace',
  objectKinds: ['Namespace'],
  keepsSeverityInMonitorMode: true,
  check(model: ClusterModel): RuleHit[] {
    return model.namespaces.flatMap(ns => (ns.object !== undefined && ns.profile === Profile.TENANT && ns.monitored ? [{
      object: ns.object,
      namespace: ns.name,
      message: `tenant namespace "${ns.name}" is in monitor mode: Pod Security enforces baseline only, ${networkPolicyState(ns)}, `
        + 'and its findings are only warnings, so the customer is not isolated',
      fix: 'enforce (Enforcement.ENFORCE), or acknowledge it on the tenant with the reason and the date monitor mode ends',
    }] : []));
  },
};

/** What monitor mode did to the namespace's network policies: bypassed by an allow-all, or only staged. */
function networkPolicyState(ns: Namespace): string {
  const staged = ns.networkPolicies.some(p => p.staged);
  const allowAll = ns.networkPolicies.some(p => p.monitorOnly);
  return staged && !allowAll ? 'its network policies are only staged (Calico reports them, nothing enforces them)'
    : 'every NetworkPolicy is bypassed by monitor-allow-all';
}

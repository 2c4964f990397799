import { affects, flowVerb, namespacesReachedBy } from './flow-peers';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace } from '../model/cluster-model';
import { DIRECTIONS, NETWORK_POLICY_KINDS, Profile } from '../model/vocabulary';

/**
 * Tenants are isolated from each other: a NetworkPolicy rule in a tenant namespace
 * (`namespace-guard.dev/profile: tenant`) that can reach another tenant's namespace is a finding,
 * whether it names the namespace, selects it by label, or selects every namespace. Each finding
 * names the other tenant, and so must its acknowledgement.
 */
export const crossTenantFlowRule: Rule = {
  id: RuleId.CROSS_TENANT_FLOW,
  severity: FindingSeverity.ERROR,
  summary: 'a NetworkPolicy rule of a tenant namespace reaches another tenant\'s namespace',
  description: 'A NetworkPolicy rule of a tenant namespace (namespace-guard.dev/profile: tenant) can reach another tenant\'s namespace: by name, by labels, or by selecting every namespace. Tenants are isolated from each other by default; a flow between two of them breaks that isolation for every pod the rule selects.',
  remedy: 'Remove the flow. If the two tenants may talk (a contract, a shared service), acknowledge cross-tenant-flow on the tenant\'s Namespace naming the other tenant\'s namespace in appliesTo, with the reason; a blanket acknowledgement is refused.',
  securitySeverity: 8.5,
  acknowledgedOn: 'namespace',
  objectKinds: NETWORK_POLICY_KINDS,
  target: 'the other tenant\'s namespace',
  targetRequired: true,
  check(model: ClusterModel): RuleHit[] {
    const isTenant = (n: Namespace) => n.profile === Profile.TENANT;
    if (model.namespaces.filter(isTenant).length < 2) return [];
    const hits: RuleHit[] = [];
    for (const tenant of model.namespaces.filter(isTenant)) {
      for (const np of tenant.networkPolicies) {
        if (np.monitorOnly) continue;
        for (const direction of DIRECTIONS) {
          if (!affects(np.policy, direction)) continue;
          const reached = new Set(np.policy[direction].flatMap(rule => namespacesReachedBy(rule, model)).filter(isTenant));
          for (const other of [...reached].sort((a, b) => (a.name < b.name ? -1 : 1))) {
            hits.push({
              object: np,
              namespace: tenant.name,
              target: other.name,
              message: `tenant namespace "${tenant.name}" ${flowVerb(direction)} tenant namespace "${other.name}" (policy ${np.name})`,
              fix: `remove the flow, or acknowledge ${RuleId.CROSS_TENANT_FLOW} for "${other.name}" on tenant "${tenant.name}" with the reason these tenants may talk`,
            });
          }
        }
      }
    }
    return hits;
  },
};

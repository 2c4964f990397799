// What a change to a set of manifests opens: two cluster models (for example the synthesis of the
// main branch and of a pull request) compared on flows between namespaces, Pod Security, quotas
// and limit ranges, RBAC access (of subjects, and of roles bound or not) and the cluster's
// guardrails. Pure: reads the models only.
import { AccessChange, compareAccess, compareRoles, RoleChange } from './access';
import { AddressChange, compareAddresses } from './addresses';
import { compareFlows, conditionalFlows, FlowChange } from './flows';
import { compareGuardrails, GuardrailChange } from './guardrails';
import { compareLimits, LimitChange } from './limits';
import { comparePodSecurity, PodSecurityChange } from './pod-security';
import { ClusterModel } from '../../model/cluster-model';
import { policiesInView, ReachabilityModel, WHERE_IPBLOCKS_MATCH_PODS } from '../reachability';

export { EVERY_NAMESPACE } from './access';
export type { AccessChange, RoleChange, RoleChangeKind } from './access';
export type { AddressChange } from './addresses';
export { portTexts } from './flows';
export type { FlowChange } from './flows';
export type { GuardrailChange, GuardrailChangeKind } from './guardrails';
export type { LimitChange } from './limits';
export type { PodSecurityChange } from './pod-security';

/** Everything that differs between two clusters, each list sorted. */
export interface ClusterDiff {
  /**
   * Namespace pairs whose ports changed (added ports, removed ports or both), the pods and
   * namespaces the policies anticipate and the outside nodes included; then the changes that hold
   * only where the network plugin matches ipBlocks against pod addresses (`where` set).
   */
  readonly flows: readonly FlowChange[];
  /** The address ranges outside the cluster each namespace reaches or is reached from, per port. */
  readonly addresses: readonly AddressChange[];
  readonly podSecurity: readonly PodSecurityChange[];
  /** ResourceQuota and LimitRange keys. */
  readonly limits: readonly LimitChange[];
  /** Subjects whose effective permissions changed, per namespace (or every namespace). */
  readonly access: readonly AccessChange[];
  /** Roles and ClusterRoles whose effective rules changed, bound or not. */
  readonly roles: readonly RoleChange[];
  readonly guardrails: readonly GuardrailChange[];
  /**
   * The change widens something: a flow added or widened, a Pod Security level (or version)
   * lowered, a quota or maximum raised or removed, access raised, a role widened (or added with wide
   * rules), a guardrail removed or weakened.
   */
  readonly opens: boolean;
  /** Anything differs at all. */
  readonly changed: boolean;
}

/**
 * Compares the head cluster with the base. Flows are the cluster as enforced now (NetworkPolicies
 * and the network-policy-api tiers, monitor-only allow-all policies included), between the
 * namespaces, the pods and namespaces either side's policies anticipate (a policy for pods not yet
 * deployed is judged by what it admits), the internet and the other addresses outside the cluster;
 * where the network plugin is not declared, also as on plugins that match ipBlocks against pod
 * addresses. The other parts leave out namespaces the head no longer has, whose removal the flows show.
 */
export function compareClusters(base: ClusterModel, head: ClusterModel): ClusterDiff {
  const reach = (model: ClusterModel, other: ClusterModel) => ReachabilityModel.fromCluster(model, {
    internet: true,
    otherAddresses: true,
    anticipate: true,
    anticipateFor: { policies: policiesInView(other, 'effective').map(p => p.policy), clusterPolicies: other.clusterPolicies.map(p => p.policy) },
  });
  const before = reach(base, head);
  const after = reach(head, base);
  const plain = compareFlows(before.namespaceMatrix(), after.namespaceMatrix());
  const twins = before.whereIpBlocksMatchPods !== undefined || after.whereIpBlocksMatchPods !== undefined
    ? conditionalFlows(plain, compareFlows((before.whereIpBlocksMatchPods ?? before).namespaceMatrix(),
      (after.whereIpBlocksMatchPods ?? after).namespaceMatrix(), WHERE_IPBLOCKS_MATCH_PODS))
    : [];
  const flows = [...plain, ...twins];
  const addresses = compareAddresses(before, after);
  const podSecurity = comparePodSecurity(base, head);
  const limits = compareLimits(base, head);
  const access = compareAccess(base, head);
  const roles = compareRoles(base, head);
  const guardrails = compareGuardrails(base, head);
  const opens = flows.some(f => !f.added.isEmpty) || addresses.some(a => a.added.length > 0) || podSecurity.some(p => p.lowers)
    || limits.some(l => l.raises) || access.some(a => a.raises) || roles.some(r => r.widens) || guardrails.some(g => g.weakens);
  const changed = flows.length + addresses.length + podSecurity.length + limits.length + access.length + roles.length + guardrails.length > 0;
  return { flows, addresses, podSecurity, limits, access, roles, guardrails, opens, changed };
}

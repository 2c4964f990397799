// What a change to a set of manifests opens: two cluster models (for example the synthesis of the
// main branch and of a pull request) compared on flows between namespaces, Pod Security, quotas
// and limit ranges, RBAC access (of subjects, and of roles bound or not) and the cluster's guardrails. Pure: reads the models only.
import { AccessChange, compareAccess, compareRoles, RoleChange } from './access';
import { compareFlows, FlowChange } from './flows';
import { compareGuardrails, GuardrailChange } from './guardrails';
import { compareLimits, LimitChange } from './limits';
import { comparePodSecurity, PodSecurityChange } from './pod-security';
import { ClusterModel } from '../../model/cluster-model';
import { ReachabilityModel } from '../reachability';

export { EVERY_NAMESPACE } from './access';
export type { AccessChange, RoleChange, RoleChangeKind } from './access';
export { portTexts } from './flows';
export type { FlowChange } from './flows';
export type { GuardrailChange, GuardrailChangeKind } from './guardrails';
export type { LimitChange } from './limits';
export type { PodSecurityChange } from './pod-security';

/** Everything that differs between two clusters, each list sorted. */
export interface ClusterDiff {
  /** Namespace pairs whose ports changed (added ports, removed ports or both). */
  readonly flows: readonly FlowChange[];
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
 * and the network-policy-api tiers, monitor-only allow-all policies included); the other parts
 * leave out namespaces the head no longer has, whose removal the flows show.
 */
export function compareClusters(base: ClusterModel, head: ClusterModel): ClusterDiff {
  const matrix = (model: ClusterModel) => ReachabilityModel.fromCluster(model, { internet: true }).namespaceMatrix();
  const flows = compareFlows(matrix(base), matrix(head));
  const podSecurity = comparePodSecurity(base, head);
  const limits = compareLimits(base, head);
  const access = compareAccess(base, head);
  const roles = compareRoles(base, head);
  const guardrails = compareGuardrails(base, head);
  const opens = flows.some(f => !f.added.isEmpty) || podSecurity.some(p => p.lowers) || limits.some(l => l.raises)
    || access.some(a => a.raises) || roles.some(r => r.widens) || guardrails.some(g => g.weakens);
  const changed = flows.length + podSecurity.length + limits.length + access.length + roles.length + guardrails.length > 0;
  return { flows, podSecurity, limits, access, roles, guardrails, opens, changed };
}

// What a change to a set of manifests opens: two cluster models (for example the synthesis of the
// main branch and of a pull request) compared on flows between namespaces, Pod Security, quotas
// and limit ranges, RBAC access (of subjects, and of roles bound or not) and the cluster's
// guardrails. Pure: reads the models only.
import { AccessChange, compareAccess, compareRoles, RoleChange } from './access';
import { AddressChange, compareAddresses } from './addresses';
import { compareFlows, conditionalFlows, FlowChange } from './flows';
import { compareGuardrails, GuardrailChange } from './guardrails';
import { compareLimits, LimitChange } from './limits';
import { comparePodFlows, PodFlowChange } from './pod-flows';
import { comparePodSecurity, PodSecurityChange } from './pod-security';
import { ClusterModel } from '../../model/cluster-model';
import { fingerprint } from '../../private/json';
import { policiesInView, PortSet, ReachabilityModel, WHERE_IPBLOCKS_MATCH_PODS } from '../reachability';

export { EVERY_NAMESPACE } from './access';
export type { AccessChange, RoleChange, RoleChangeKind } from './access';
export type { AddressChange } from './addresses';
export { portTexts } from './flows';
export type { FlowChange } from './flows';
export type { PodFlowChange } from './pod-flows';
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
  /**
   * Pod pairs that gained ports the namespace matrix does not show (another pod of the source's
   * namespace already reached another of the destination's on them), on every plugin or `where`.
   */
  readonly podFlows: readonly PodFlowChange[];
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
  /**
   * What the comparison could not show, each a sentence; when the policies changed, `opens` is
   * then true, as nothing proves the change opens nothing.
   */
  readonly unproven: readonly string[];
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
  const beforeTwin = before.whereIpBlocksMatchPods ?? before;
  const afterTwin = after.whereIpBlocksMatchPods ?? after;
  const conditional = beforeTwin !== before || afterTwin !== after;
  const twins = conditional
    ? conditionalFlows(plain, compareFlows(beforeTwin.namespaceMatrix(), afterTwin.namespaceMatrix(), WHERE_IPBLOCKS_MATCH_PODS))
    : [];
  const flows = [...plain, ...twins];
  const shown = (changes: readonly FlowChange[]) => {
    const added = new Map(changes.map(f => [`${f.from}\n${f.to}`, f.added]));
    return (from: string, to: string) => added.get(`${from}\n${to}`) ?? PortSet.NONE;
  };
  const plainShown = shown(plain);
  const podPlain = comparePodFlows(before, after, base, head, plainShown);
  const podGained = new Map(podPlain.map(p => [`${p.from}\n${p.to}`, p.added]));
  const twinShown = shown(twins);
  const podTwins = conditional
    ? comparePodFlows(beforeTwin, afterTwin, base, head, (f, t) => plainShown(f, t).union(twinShown(f, t)), WHERE_IPBLOCKS_MATCH_PODS)
      .map(p => ({ ...p, added: p.added.subtract(podGained.get(`${p.from}\n${p.to}`) ?? PortSet.NONE) }))
      .filter(p => !p.added.isEmpty)
    : [];
  const podFlows = [...podPlain, ...podTwins];
  const addresses = compareAddresses(before, after);
  const podSecurity = comparePodSecurity(base, head);
  const limits = compareLimits(base, head);
  const access = compareAccess(base, head);
  const roles = compareRoles(base, head);
  const guardrails = compareGuardrails(base, head);
  const policiesChanged = fingerprint([...base.networkPolicies, ...base.clusterPolicies].map(p => p.manifest.object))
    !== fingerprint([...head.networkPolicies, ...head.clusterPolicies].map(p => p.manifest.object));
  const unproven = (before.anticipationPartial || after.anticipationPartial) && policiesChanged
    ? ['the pods and namespaces not in the input could not all be tried (too many combinations of the labels the selectors name), '
      + 'so what the changed policies open for pods to come is not shown; it counts as opening']
    : [];
  const opens = unproven.length > 0 || flows.some(f => !f.added.isEmpty) || podFlows.length > 0 || addresses.some(a => a.added.length > 0)
    || podSecurity.some(p => p.lowers) || limits.some(l => l.raises) || access.some(a => a.raises) || roles.some(r => r.widens)
    || guardrails.some(g => g.weakens);
  const changed = [flows, podFlows, addresses, podSecurity, limits, access, roles, guardrails].some(list => list.length > 0);
  return { flows, podFlows, addresses, podSecurity, limits, access, roles, guardrails, opens, changed: changed || unproven.length > 0, unproven };
}

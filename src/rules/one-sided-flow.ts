import { affects, pinnedNamespaceNames } from './flow-peers';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace } from '../model/cluster-model';
import { DIRECTIONS, Direction, NETWORK_POLICY_KINDS, reverseDirection } from '../model/vocabulary';

/**
 * A flow must be written on both sides. When a NetworkPolicy rule of one namespace names another
 * declared namespace whose own policies isolate the other direction (default deny) and admit
 * nothing from the first namespace, the traffic is still dropped there: with the library, the flow
 * was declared through `Peer.namespaceNamed`/`Peer.pods` instead of the bundle, so its other side
 * was never written.
 */
export const oneSidedFlowRule: Rule = {
  id: RuleId.ONE_SIDED_FLOW,
  severity: FindingSeverity.ERROR,
  summary: 'a NetworkPolicy rule names a namespace whose own policies do not admit the flow',
  description: 'A NetworkPolicy rule names another namespace of the input whose own policies isolate that direction and admit nothing from this one: only one side of the flow is written, so the traffic is still dropped.',
  remedy: 'Write the other side too: the matching ingress or egress rule in a NetworkPolicy of the other namespace (with the library, declare the flow through the bundle\'s connections, which write both sides). Acknowledge one-sided-flow on the Namespace for the other namespace if its policies live elsewhere.',
  securitySeverity: 2.0,
  acknowledgedOn: 'namespace',
  objectKinds: NETWORK_POLICY_KINDS,
  target: 'the other namespace',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      for (const np of ns.networkPolicies) {
        if (np.monitorOnly) continue;
        for (const direction of DIRECTIONS) {
          if (!affects(np.policy, direction)) continue;
          const named = new Set<string>();
          for (const rule of np.policy[direction]) {
            for (const peer of rule.peers ?? []) {
              if (peer.kind === 'selector' && peer.namespaceSelector) pinnedNamespaceNames(peer.namespaceSelector).forEach(n => named.add(n));
            }
          }
          for (const name of [...named].sort()) {
            const other = model.namespace(name);
            if (!other || other === ns || other.object === undefined || admits(other, reverseDirection(direction), ns)) continue;
            const side = reverseDirection(direction);
            hits.push({
              object: np,
              namespace: ns.name,
              target: name,
              message: `policy ${np.name} in "${ns.name}" allows ${direction} ${direction === 'ingress' ? 'from' : 'to'} namespace "${name}", `
                + `but no NetworkPolicy of "${name}" admits ${side} ${side === 'ingress' ? 'from' : 'to'} "${ns.name}", so "${name}" still drops the traffic`,
              fix: `write the other side too: an ${side} rule for "${ns.name}" in a NetworkPolicy of "${name}" (with the library, declare the flow with the bundle `
                + 'or bundle.pods({...}), not with Peer.namespaceNamed or Peer.pods, so both sides are written)',
            });
          }
        }
      }
    }
    return hits;
  },
};

/**
 * Whether `ns` lets traffic in `direction` through for `peer`: it is not isolated in that
 * direction, or one of its rules has no peers or a namespace selector matching `peer`.
 */
function admits(ns: Namespace, direction: Direction, peer: Namespace): boolean {
  const policies = ns.networkPolicies.filter(p => !p.monitorOnly && affects(p.policy, direction));
  if (policies.length === 0) return true;
  return policies.some(p => p.policy[direction].some(rule => rule.peers === undefined
    || rule.peers.some(x => x.kind === 'selector' && x.namespaceSelector !== undefined && x.namespaceSelector.matches(peer.labels))));
}

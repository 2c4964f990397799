import { pinnedNamespaceNames } from './flow-peers';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace, NetworkPolicy } from '../model/cluster-model';
import { LabelSelector } from '../model/labels';
import { NETWORK_POLICY_KINDS } from '../model/vocabulary';

/**
 * A NetworkPolicy that selects pods by labels no Pod or workload of a declared namespace carries is
 * probably a typo. Only a warning: the pods may be deployed from elsewhere. Checked for the
 * policy's own pod selector and for peer pod selectors in namespaces the input declares.
 */
export const unmatchedFlowSelectorRule: Rule = {
  id: RuleId.UNMATCHED_FLOW_SELECTOR,
  severity: FindingSeverity.WARNING,
  summary: 'a NetworkPolicy pod selector matches no Pod or workload',
  description: 'A pod selector of a NetworkPolicy (its own, or a peer\'s in a namespace of the input) matches no Pod or workload of the input, usually a typo in a label: the rule does nothing, or isolates nothing, for the pods it was meant for.',
  remedy: 'Check the labels against the workload\'s pod template. If the pods are deployed from elsewhere, acknowledge unmatched-flow-selector on the Namespace for the policy\'s name.',
  securitySeverity: 2.0,
  acknowledgedOn: 'namespace',
  objectKinds: NETWORK_POLICY_KINDS,
  target: 'the NetworkPolicy\'s name',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      if (ns.object === undefined) continue;
      for (const np of ns.networkPolicies) {
        if (np.monitorOnly) continue;
        // What each selector is for: the pods the policy applies to, or a peer it admits traffic from or to.
        const selections = new Map<string, [Namespace, LabelSelector, string]>();
        const note = (where: Namespace, selector: LabelSelector, role: string) => {
          const key = `${where.name} ${selector.key} ${role}`;
          if (!selections.has(key)) selections.set(key, [where, selector, role]);
        };
        if (!np.policy.podSelector.matchesEverything) note(ns, np.policy.podSelector, 'applies to');
        const rules = [...np.policy.ingress.map(r => ({ r, role: 'admits traffic from' })), ...np.policy.egress.map(r => ({ r, role: 'admits traffic to' }))];
        for (const { r, role } of rules) {
          for (const peer of r.peers ?? []) {
            if (peer.kind !== 'selector' || peer.podSelector === undefined || peer.podSelector.matchesEverything) continue;
            const names = peer.namespaceSelector === undefined ? [ns.name] : pinnedNamespaceNames(peer.namespaceSelector);
            for (const name of names) {
              const where = model.namespace(name);
              if (where?.object !== undefined) note(where, peer.podSelector, role);
            }
          }
        }
        for (const [where, selector, role] of selections.values()) {
          if (where.workloads.some(w => selector.matches(w.podLabels))) continue;
          hits.push(unmatched(np, ns, where, selector, role));
        }
      }
    }
    return hits;
  },
};

function unmatched(np: NetworkPolicy, ns: Namespace, where: Namespace, selector: LabelSelector, role: string): RuleHit {
  return {
    object: np,
    namespace: ns.name,
    target: np.name,
    message: `policy ${np.name} ${role} pods with ${selector.text} in "${where.name}", but no Pod or workload there carries those labels`,
    fix: 'check the labels against the workload\'s pod template; if the pods are deployed from elsewhere, acknowledge the finding',
  };
}

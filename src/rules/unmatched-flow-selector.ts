import { pinnedNamespaceNames } from './flow-peers';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace, NetworkPolicy } from '../model/cluster-model';
import { LabelSelector } from '../model/labels';

/**
 * A NetworkPolicy that selects pods by labels no Pod or workload of a declared namespace carries is
 * probably a typo. Only a warning: the pods may be deployed from elsewhere. Checked for the
 * policy's own pod selector and for peer pod selectors in namespaces the input declares.
 */
export const unmatchedFlowSelectorRule: Rule = {
  id: RuleId.UNMATCHED_FLOW_SELECTOR,
  severity: FindingSeverity.WARNING,
  summary: 'a NetworkPolicy pod selector matches no Pod or workload',
  acknowledgedOn: 'namespace',
  objectKinds: ['NetworkPolicy'],
  target: 'the NetworkPolicy\'s name',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      if (ns.object === undefined) continue;
      for (const np of ns.networkPolicies) {
        if (np.monitorOnly) continue;
        const selections = new Map<string, [Namespace, LabelSelector]>();
        const note = (where: Namespace, selector: LabelSelector) => selections.set(`${where.name} ${selector.key}`, [where, selector]);
        if (!np.policy.podSelector.matchesEverything) note(ns, np.policy.podSelector);
        for (const rule of [...np.policy.ingress, ...np.policy.egress]) {
          for (const peer of rule.peers ?? []) {
            if (peer.kind !== 'selector' || peer.podSelector === undefined || peer.podSelector.matchesEverything) continue;
            const names = peer.namespaceSelector === undefined ? [ns.name] : pinnedNamespaceNames(peer.namespaceSelector);
            for (const name of names) {
              const where = model.namespace(name);
              if (where?.object !== undefined) note(where, peer.podSelector);
            }
          }
        }
        for (const [where, selector] of selections.values()) {
          if (where.workloads.some(w => selector.matches(w.podLabels))) continue;
          hits.push(unmatched(np, ns, where, selector));
        }
      }
    }
    return hits;
  },
};

function unmatched(np: NetworkPolicy, ns: Namespace, where: Namespace, selector: LabelSelector): RuleHit {
  return {
    object: np,
    namespace: ns.name,
    target: np.name,
    message: `policy ${np.name} selects pods with ${selector.text} in "${where.name}", but no Pod or workload there carries those labels`,
    fix: 'check the labels against the workload\'s pod template; if the pods are deployed from elsewhere, acknowledge the finding',
  };
}

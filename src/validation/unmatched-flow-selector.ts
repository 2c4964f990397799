import { describeLabels } from '../names';
import { FindingSeverity, RuleId } from './finding';
import { AppRule, RawFinding, RuleContext } from './rule';

/**
 * A flow that selects pods by labels no workload of the app carries is probably a typo. Only a
 * warning: the workloads may be deployed from elsewhere.
 * @internal
 */
export const unmatchedFlowSelectorRule: AppRule = {
  id: RuleId.UNMATCHED_FLOW_SELECTOR,
  check(context: RuleContext): RawFinding[] {
    const labelsByNamespace = new Map<string, Array<{ [key: string]: string }>>();
    for (const w of context.workloads) {
      const list = labelsByNamespace.get(w.namespaceName) ?? [];
      list.push(w.podLabels);
      labelsByNamespace.set(w.namespaceName, list);
    }
    const matches = (namespaceName: string, labels: { [key: string]: string }) =>
      (labelsByNamespace.get(namespaceName) ?? []).some(pod => Object.entries(labels).every(([k, v]) => pod[k] === v));

    const findings: RawFinding[] = [];
    for (const bundle of context.bundles) {
      for (const flow of bundle._flows()) {
        const selections: Array<[string, { [key: string]: string }]> = [];
        if (flow.podLabels) selections.push([bundle.namespaceName, flow.podLabels]);
        for (const e of flow.peerSpec.managedEndpoints) {
          if (e.podLabels && Object.keys(e.podLabels).length > 0) selections.push([e.bundle.namespaceName, e.podLabels]);
        }
        for (const [namespaceName, labels] of selections) {
          if (matches(namespaceName, labels)) continue;
          findings.push({
            ruleId: RuleId.UNMATCHED_FLOW_SELECTOR,
            severity: FindingSeverity.WARNING,
            scope: bundle,
            namespaceName: bundle.namespaceName,
            message: `policy ${flow.policyName} selects pods with ${describeLabels(labels)} in "${namespaceName}", but no workload in this app has those labels`,
            fix: `check the labels against the workload's pod template, or acknowledge("${RuleId.UNMATCHED_FLOW_SELECTOR}", "<where the pods come from>")`,
          });
        }
      }
    }
    return findings;
  },
};

import { clusterRangeFlowRule } from './cluster-range-flow';
import { containerResourcesRule } from './container-resources';
import { crossTenantFlowRule } from './cross-tenant-flow';
import { linkLocalEgressRule } from './link-local-egress';
import { oneSidedFlowRule } from './one-sided-flow';
import { podSecurityRule } from './pod-security';
import { privilegedPodSecurityRule } from './privileged-pod-security';
import { quotaFitRule } from './quota-fit';
import { Rule } from './rule';
import { serviceExposureRule } from './service-exposure';
import { unmatchedFlowSelectorRule } from './unmatched-flow-selector';

/** Every rule, in the order of `RuleId.all()`. */
export const RULES: readonly Rule[] = [
  crossTenantFlowRule,
  privilegedPodSecurityRule,
  podSecurityRule,
  containerResourcesRule,
  quotaFitRule,
  serviceExposureRule,
  oneSidedFlowRule,
  unmatchedFlowSelectorRule,
  linkLocalEgressRule,
  clusterRangeFlowRule,
];

/** The rule with that id, if any. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find(r => r.id === id);
}

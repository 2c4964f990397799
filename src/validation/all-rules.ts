import { containerResourcesRule } from './container-resources';
import { crossTenantFlowRule } from './cross-tenant-flow';
import { oneSidedFlowRule } from './one-sided-flow';
import { podSecurityRule } from './pod-security';
import { privilegedPodSecurityRule } from './privileged-pod-security';
import { quotaFitRule } from './quota-fit';
import { AppRule } from './rule';
import { serviceExposureRule } from './service-exposure';
import { unmatchedFlowSelectorRule } from './unmatched-flow-selector';

/**
 * Every synth-time rule, in a stable order.
 * @internal
 */
export const APP_RULES: AppRule[] = [
  crossTenantFlowRule,
  oneSidedFlowRule,
  unmatchedFlowSelectorRule,
  privilegedPodSecurityRule,
  podSecurityRule,
  containerResourcesRule,
  quotaFitRule,
  serviceExposureRule,
];

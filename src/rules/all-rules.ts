import { claimVolumeNameRule } from './claim-volume-name';
import { clusterRangeFlowRule } from './cluster-range-flow';
import { containerResourcesRule } from './container-resources';
import { crossTenantFlowRule } from './cross-tenant-flow';
import { endpointAddressRule } from './endpoint-address';
import { ingressAnnotationRule } from './ingress-annotation';
import { ingressHostRule } from './ingress-host';
import { ingressHostConflictRule } from './ingress-host-conflict';
import { linkLocalEgressRule } from './link-local-egress';
import { monitoredTenantRule } from './monitored-tenant';
import { oneSidedFlowRule } from './one-sided-flow';
import { podSchedulingRule } from './pod-scheduling';
import { podSecurityRule } from './pod-security';
import { podSecurityClusterVersionRule } from './pod-security-cluster-version';
import { podSecurityVersionRule } from './pod-security-version';
import { privilegedPodSecurityRule } from './privileged-pod-security';
import { quotaFitRule } from './quota-fit';
import { roleBindingSubjectRule } from './role-binding-subject';
import { Rule } from './rule';
import { serviceAccountTokenRule } from './service-account-token';
import { serviceExposureRule } from './service-exposure';
import { serviceExternalIpsRule } from './service-external-ips';
import { serviceExternalNameRule } from './service-external-name';
import { teamFlowPortsRule } from './team-flow-ports';
import { tenantDataAccessRule } from './tenant-data-access';
import { unauditedMonitorModeRule } from './unaudited-monitor-mode';
import { unknownNamedPortRule } from './unknown-named-port';
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
  serviceExternalIpsRule,
  serviceExternalNameRule,
  ingressHostRule,
  ingressHostConflictRule,
  roleBindingSubjectRule,
  serviceAccountTokenRule,
  podSecurityVersionRule,
  teamFlowPortsRule,
  monitoredTenantRule,
  linkLocalEgressRule,
  clusterRangeFlowRule,
  unknownNamedPortRule,
  unauditedMonitorModeRule,
  tenantDataAccessRule,
  podSecurityClusterVersionRule,
  ingressAnnotationRule,
  podSchedulingRule,
  claimVolumeNameRule,
  endpointAddressRule,
];

/** The rule with that id, if any. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find(r => r.id === id);
}

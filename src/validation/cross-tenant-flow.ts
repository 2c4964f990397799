import type { NamespaceBundle } from '../namespace-bundle';
import { Profile } from '../profile';
import { RuleId } from './finding';
import { BundleRule, RawFinding } from './rule';

/**
 * Tenants are isolated from each other unless a flow between them is both declared and
 * acknowledged with a reason, in each tenant it touches.
 * @internal
 */
export const crossTenantFlowRule: BundleRule = {
  id: RuleId.CROSS_TENANT_FLOW,
  check(bundle: NamespaceBundle): RawFinding[] {
    if (bundle.profile !== Profile.TENANT) return [];
    const findings: RawFinding[] = [];
    for (const flow of bundle._flows()) {
      const others = flow.peerSpec.managedEndpoints
        .map(e => e.bundle)
        .filter(b => b.profile === Profile.TENANT && b.namespaceName !== bundle.namespaceName);
      for (const other of new Set(others)) {
        const direction = flow.direction === 'Ingress' ? `admits traffic from tenant namespace "${other.namespaceName}"` : `sends traffic to tenant namespace "${other.namespaceName}"`;
        findings.push({
          ruleId: RuleId.CROSS_TENANT_FLOW,
          message: `tenant namespace "${bundle.namespaceName}" ${direction} (policy ${flow.policyName})`,
          fix: `remove the flow, or call acknowledge("${RuleId.CROSS_TENANT_FLOW}", "<why these tenants may talk>") on this tenant`,
        });
      }
    }
    return findings;
  },
};

import { NAMESPACE_NAME_LABEL } from '../names';
import type { NamespaceBundle } from '../namespace-bundle';
import { PeerSelector } from '../peer';
import { Profile } from '../profile';
import { RuleId } from './finding';
import { BundleRule, RawFinding, RuleContext } from './rule';

/**
 * Tenants are isolated from each other unless a flow between them is both declared and
 * acknowledged with a reason, in each tenant it touches. A flow counts whether the other tenant
 * is named as a bundle or reached through an external peer whose selector matches its namespace
 * (`Peer.namespaceNamed('customer2')`, `Peer.allPods()`, a label selector).
 * @internal
 */
export const crossTenantFlowRule: BundleRule = {
  id: RuleId.CROSS_TENANT_FLOW,
  check(bundle: NamespaceBundle, context: RuleContext): RawFinding[] {
    if (bundle.profile !== Profile.TENANT) return [];
    const otherTenants = context.bundles.filter(b => b.profile === Profile.TENANT && b.namespaceName !== bundle.namespaceName);
    if (otherTenants.length === 0) return [];
    const findings: RawFinding[] = [];
    for (const flow of bundle._flows()) {
      const reached = new Set<NamespaceBundle>(flow.peerSpec.managedEndpoints.map(e => e.bundle));
      for (const other of otherTenants) {
        if (flow.peerSpec.selectors.some(s => selectsNamespace(s, other))) reached.add(other);
      }
      for (const other of otherTenants.filter(t => reached.has(t))) {
        const direction = flow.direction === 'Ingress'
          ? `admits traffic from tenant namespace "${other.namespaceName}"`
          : `sends traffic to tenant namespace "${other.namespaceName}"`;
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

/** Whether a selector's namespace part can select the bundle's namespace. */
function selectsNamespace(selector: PeerSelector, bundle: NamespaceBundle): boolean {
  if (selector.cidr !== undefined) return false;
  if (selector.namespaceNames?.length) return selector.namespaceNames.includes(bundle.namespaceName);
  const wanted = selector.namespaceLabels ?? {};
  const labels: { [key: string]: string | undefined } = { ...bundle._namespaceLabels(), [NAMESPACE_NAME_LABEL]: bundle.namespaceName };
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

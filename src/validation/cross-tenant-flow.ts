import { NAMESPACE_NAME_LABEL } from '../names';
import type { NamespaceBundle } from '../namespace-bundle';
import { PeerSelector } from '../peer';
import { Profile } from '../profile';
import { RuleId } from './finding';
import { AppRule, RawFinding, RuleContext } from './rule';

/**
 * Tenants are isolated from each other unless a flow between them is both declared and
 * acknowledged with a reason, in each tenant it touches. A flow counts whether the other tenant
 * is named as a bundle or reached through an external peer whose selector matches its namespace
 * (`Peer.namespaceNamed('customer2')`, `Peer.allPods()`, a label selector).
 * @internal
 */
export const crossTenantFlowRule: AppRule = {
  id: RuleId.CROSS_TENANT_FLOW,
  check(context: RuleContext): RawFinding[] {
    const tenants = context.bundles.filter(b => b.profile === Profile.TENANT);
    if (tenants.length < 2) return [];
    const index = new TenantIndex(tenants);
    const findings: RawFinding[] = [];
    for (const bundle of tenants) {
      for (const flow of bundle._flows()) {
        const reached = new Set<NamespaceBundle>(flow.peerSpec.managedEndpoints.map(e => e.bundle));
        for (const selector of flow.peerSpec.selectors) {
          for (const other of tenantsSelectedBy(selector, index, context)) reached.add(other);
        }
        reached.delete(bundle);
        for (const other of [...reached].filter(b => b.profile === Profile.TENANT)) {
          const direction = flow.direction === 'Ingress'
            ? `admits traffic from tenant namespace "${other.namespaceName}"`
            : `sends traffic to tenant namespace "${other.namespaceName}"`;
          findings.push({
            ruleId: RuleId.CROSS_TENANT_FLOW,
            scope: bundle,
            namespaceName: bundle.namespaceName,
            message: `tenant namespace "${bundle.namespaceName}" ${direction} (policy ${flow.policyName})`,
            fix: `remove the flow, or call acknowledge("${RuleId.CROSS_TENANT_FLOW}", "<why these tenants may talk>") on this tenant`,
          });
        }
      }
    }
    return findings;
  },
};

/** The tenants whose namespace a selector's namespace part can select (looked up, never scanned per flow). */
function tenantsSelectedBy(selector: PeerSelector, index: TenantIndex, context: RuleContext): NamespaceBundle[] {
  if (selector.cidr !== undefined) return [];
  if (selector.namespaceNames?.length) {
    return selector.namespaceNames.map(n => context.bundlesByName.get(n)).filter((b): b is NamespaceBundle => b !== undefined);
  }
  return index.withLabels(selector.namespaceLabels ?? {});
}

/** Tenants by namespace label, built once per validation pass. */
class TenantIndex {
  private byLabel?: Map<string, Set<NamespaceBundle>>;

  constructor(private readonly tenants: NamespaceBundle[]) {}

  /** The tenants whose namespace carries every given label (all tenants for none). */
  public withLabels(labels: { [key: string]: string }): NamespaceBundle[] {
    const wanted = Object.entries(labels);
    if (wanted.length === 0) return this.tenants;
    const [first, ...rest] = wanted.map(([k, v]) => `${k}=${v}`);
    const index = this.index();
    return [...(index.get(first) ?? [])].filter(t => rest.every(pair => index.get(pair)?.has(t)));
  }

  private index(): Map<string, Set<NamespaceBundle>> {
    if (!this.byLabel) {
      this.byLabel = new Map();
      for (const tenant of this.tenants) {
        const labels = { ...tenant._namespaceLabels(), [NAMESPACE_NAME_LABEL]: tenant.namespaceName };
        for (const [key, value] of Object.entries(labels)) {
          const pair = `${key}=${value}`;
          const set = this.byLabel.get(pair) ?? new Set<NamespaceBundle>();
          set.add(tenant);
          this.byLabel.set(pair, set);
        }
      }
    }
    return this.byLabel;
  }
}

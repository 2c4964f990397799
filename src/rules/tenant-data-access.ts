import { namespacesReachedBy } from './flow-peers';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace, NetworkPolicy } from '../model/cluster-model';
import { PolicyRule } from '../model/network-policy';
import { describeIsolatedPeer, isMonitoringRule, isolatedPeer } from '../model/tenant-isolation';
import { NETWORK_POLICY_KINDS, Profile } from '../model/vocabulary';
import { compareText } from '../private/json';

/**
 * A tenant's data is its own: a flow into a tenant namespace (`namespace-guard.dev/profile: tenant`)
 * from a team namespace, or from a zone namespace that does not face the internet, is a finding until
 * the tenant acknowledges it naming the other namespace. Both sides are read, so a flow written on one
 * side only is found too:
 *
 * - the tenant's NetworkPolicy ingress rules that admit the other namespace (by name, by labels, or
 *   every namespace), one finding per policy and other namespace; a rule of the cluster's declared
 *   monitoring (`namespace-guard.dev/flow: monitoring`, named ports only) admitting a zone is not one;
 * - the other namespace's egress rules that reach the tenant, when the tenant's side reported nothing
 *   for it: one finding on the tenant's Namespace per other namespace. A rule that reaches every
 *   namespace counts only when some pod of the tenant is not isolated for ingress (otherwise the
 *   tenant's own rules decide, and they are read above); so does the declared monitoring's own side.
 *
 * Flows between tenants are `cross-tenant-flow`'s; namespaces without a profile are not this rule's.
 */
export const tenantDataAccessRule: Rule = {
  id: RuleId.TENANT_DATA_ACCESS,
  severity: FindingSeverity.ERROR,
  summary: 'a flow into a tenant\'s namespace from a team\'s namespace or a zone\'s that does not face the internet',
  description: 'A NetworkPolicy admits traffic into a tenant namespace (namespace-guard.dev/profile: tenant) from a team namespace, or from a zone '
    + 'namespace that does not face the internet: a rule of the tenant that admits the other namespace (by name, by labels, or every namespace), or an '
    + 'egress rule of the other namespace that reaches the tenant. A tenant\'s data is its own; a team workload that reads every tenant\'s database '
    + 'breaks that isolation as surely as another tenant would. The cluster\'s declared monitoring (policies annotated namespace-guard.dev/flow: '
    + 'monitoring, on named ports) is exempt, and so are internet-facing zones; flows between tenants are cross-tenant-flow\'s.',
  remedy: 'Remove the flow, or serve the data through an interface the tenant owns. If the other namespace may reach the tenant (a support tool, a '
    + 'contracted integration), acknowledge tenant-data-access on the tenant\'s Namespace naming the other namespace in appliesTo, with the reason; '
    + 'a blanket acknowledgement is refused.',
  securitySeverity: 8.0,
  acknowledgedOn: 'namespace',
  objectKinds: [...NETWORK_POLICY_KINDS, 'Namespace'],
  target: 'the team\'s or zone\'s namespace',
  targetRequired: true,
  check(model: ClusterModel): RuleHit[] {
    const tenants = model.namespaces.filter(n => n.profile === Profile.TENANT);
    const others = model.namespaces.filter(n => isolatedPeer(n) === 'team' || isolatedPeer(n) === 'zone');
    if (tenants.length === 0 || others.length === 0) return [];
    const hits: RuleHit[] = [];
    for (const tenant of tenants) {
      // The tenant's side: its ingress rules that admit a team or zone namespace.
      const reported = new Set<Namespace>();
      const monitoring = new Set<Namespace>();
      for (const np of enforcedPolicies(tenant)) {
        if (!np.policy.affectsIngress) continue;
        const reached = new Set<Namespace>();
        for (const rule of np.policy.ingress) {
          for (const other of namespacesReachedBy(rule, model)) {
            const peer = isolatedPeer(other);
            if (peer === undefined || peer === 'tenant') continue;
            if (peer === 'zone' && isMonitoringRule(np, rule)) monitoring.add(other);
            else reached.add(other);
          }
        }
        reached.forEach(other => reported.add(other));
        for (const other of sortedByName(reached)) {
          hits.push({
            object: np,
            namespace: tenant.name,
            target: other.name,
            message: `tenant namespace "${tenant.name}" admits traffic from ${describeIsolatedPeer(other, isolatedPeer(other)!)} (policy ${np.name})`,
            fix: fixFor(tenant, other),
          });
        }
      }
      // The other side: egress rules that reach the tenant, for the namespaces not reported above. The
      // declared monitoring's own side is part of its flow, unless some pod of the tenant is open to it.
      if (tenant.object === undefined) continue;
      const open = !isolatesEveryPod(tenant);
      for (const other of others) {
        if (reported.has(other) || (monitoring.has(other) && !open)) continue;
        const policies = enforcedPolicies(other).filter(np => np.policy.affectsEgress && np.policy.egress.some(rule => reaches(rule, tenant, open)));
        if (policies.length === 0) continue;
        hits.push({
          object: tenant.object,
          namespace: tenant.name,
          target: other.name,
          message: `${describeIsolatedPeer(other, isolatedPeer(other)!)} sends traffic to tenant namespace "${tenant.name}" `
            + `(${policies.length === 1 ? 'policy' : 'policies'} ${policies.map(np => `${other.name}/${np.name}`).join(', ')})`
            + (open ? `, and not every pod of "${tenant.name}" is isolated for ingress, so nothing stops it there` : ''),
          fix: fixFor(tenant, other),
        });
      }
    }
    return hits;
  },
};

/** The policies a rule reads: monitor mode's allow-all is not a flow (staged policies are the intended ones). */
function enforcedPolicies(ns: Namespace): NetworkPolicy[] {
  return ns.networkPolicies.filter(np => !np.monitorOnly);
}

/** Every pod of the namespace is isolated for ingress: a policy selecting every pod has the Ingress type. */
function isolatesEveryPod(ns: Namespace): boolean {
  return enforcedPolicies(ns).some(np => np.policy.affectsIngress && np.policy.podSelector.matchesEverything);
}

/**
 * Whether an egress rule reaches the tenant's namespace: a peer whose namespace selector matches it.
 * A rule or peer that reaches every namespace counts only when the tenant is `open` (not every pod
 * isolated for ingress); ipBlocks are not matched (pod addresses are not known from manifests).
 */
function reaches(rule: PolicyRule, tenant: Namespace, open: boolean): boolean {
  if (rule.peers === undefined) return open;
  return rule.peers.some(peer => peer.kind === 'selector' && peer.namespaceSelector !== undefined
    && peer.namespaceSelector.matches(tenant.labels) && (open || !peer.namespaceSelector.matchesEverything));
}

function fixFor(tenant: Namespace, other: Namespace): string {
  return `remove the flow, or acknowledge ${RuleId.TENANT_DATA_ACCESS} for "${other.name}" on tenant "${tenant.name}" with the reason it may reach the tenant's pods`;
}

function sortedByName(namespaces: Iterable<Namespace>): Namespace[] {
  return [...namespaces].sort((a, b) => compareText(a.name, b.name));
}

// Which namespaces a tenant is isolated from, as the manifests say it: the other tenants, the teams,
// and the zones that do not face the internet. The rules `cross-tenant-flow` and
// `tenant-data-access` and the evidence's network isolation control read these facts alike.
import { Acknowledgement } from './acknowledgements';
import { Namespace, NetworkPolicy } from './cluster-model';
import { PolicyRule } from './network-policy';
import { Exposure, FLOW_ANNOTATION, MONITORING_FLOW, Profile } from './vocabulary';

/** The rule id whose acknowledgements accept a flow between two tenants (`RuleId.CROSS_TENANT_FLOW`). */
export const CROSS_TENANT_FLOW_RULE = 'cross-tenant-flow';

/** The rule id whose acknowledgements accept a flow into a tenant from a team or a zone (`RuleId.TENANT_DATA_ACCESS`). */
export const TENANT_DATA_ACCESS_RULE = 'tenant-data-access';

/** What another namespace is to a tenant that must be isolated from it. */
export type IsolatedPeer = 'tenant' | 'team' | 'zone';

/**
 * What `ns` is to a tenant: another tenant, a team, or a zone that does not face the internet
 * (`namespace-guard.dev/exposure: internet` zones take traffic from anywhere by design, so they are
 * exempt). Undefined for namespaces without a profile (the platform's, an unmanaged chart's), which
 * the default-deny checks cover, and for internet-facing zones.
 */
export function isolatedPeer(ns: Namespace): IsolatedPeer | undefined {
  switch (ns.profile) {
    case Profile.TENANT: return 'tenant';
    case Profile.TEAM: return 'team';
    case Profile.ZONE: return ns.exposure === Exposure.INTERNET ? undefined : 'zone';
    default: return undefined;
  }
}

/**
 * `tenant namespace "customer2"`, `team namespace "analytics"`, `namespace "orders-db" of restricted
 * zone "data"`; the names unquoted with `quote` false.
 */
export function describeIsolatedPeer(ns: Namespace, peer: IsolatedPeer, quote = true): string {
  const name = (text: string) => (quote ? `"${text}"` : text);
  if (peer !== 'zone') return `${peer} namespace ${name(ns.name)}`;
  return `namespace ${name(ns.name)} of ${ns.exposure === undefined ? '' : `${ns.exposure} `}zone ${name(ns.owner ?? ns.name)}`;
}

/** The rule whose acknowledgement on the tenant's Namespace accepts a flow with a namespace of that kind. */
export function isolationRuleFor(peer: IsolatedPeer): string {
  return peer === 'tenant' ? CROSS_TENANT_FLOW_RULE : TENANT_DATA_ACCESS_RULE;
}

/**
 * The acknowledgement on the tenant's Namespace that names `other` for the rule of its kind. Only
 * one that names it: a blanket one is no acknowledgement of these rules (the rules refuse it).
 */
export function isolationAcknowledgement(tenant: Namespace, other: Namespace, peer: IsolatedPeer): Acknowledgement | undefined {
  const rule = isolationRuleFor(peer);
  return tenant.object?.acknowledgements.find(a => a.rule === rule && a.appliesTo.includes(other.name));
}

/**
 * A rule of the cluster's declared monitoring: its policy carries `namespace-guard.dev/flow:
 * monitoring` (the bundles write it on a flow that names `ClusterProfile.monitoring`) and it opens
 * named ports only, as a ClusterProfile's `monitoringPorts` are: what the pods publish for
 * monitoring. A number or a range could be any of their services, so it is no monitoring flow.
 */
export function isMonitoringRule(np: NetworkPolicy, rule: PolicyRule): boolean {
  return np.annotations[FLOW_ANNOTATION] === MONITORING_FLOW
    && rule.ports !== undefined && rule.ports.length > 0 && rule.ports.every(p => p.kind === 'named');
}

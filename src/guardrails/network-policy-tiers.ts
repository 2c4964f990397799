// The cluster network policies behind ClusterGuardrails, as plain data: SIG Network's
// network-policy-api (`policy.networking.k8s.io`), written as ClusterNetworkPolicy (v1alpha2) or as
// AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1). Cluster-wide policies select
// namespaces by the labels the bundles write; only the isolation of a tenant or restricted zone
// member needs an object of its own, because no peer selector can say "other than the subject's
// own namespace".
import { ClusterNetworkPolicyApi } from './cluster-network-policy-api';
import {
  Enforcement, ENFORCEMENT_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, NAMESPACE_NAME_LABEL, Profile, PROFILE_LABEL,
} from '../model/vocabulary';
import { PeerSelector } from '../network/peer';
import { renderPeerSelector } from '../network/peer-rendering';
import { networkOf, unmapped } from '../private/cidr';
import { guardError } from '../private/errors';
import { compareText, fingerprint } from '../private/json';
import { METADATA_RANGES } from '../private/special-ranges';

/**
 * Admin tier priorities (0-1000, lower first). 0-99 are left to the platform's own policies that
 * must decide before these (an incident deny); 111-1000 to those that come after (they never see
 * traffic these deny or pass).
 */
export const METADATA_PRIORITY = 100;
/** The isolation objects select one namespace each, so they share a priority without ambiguity. */
export const ISOLATION_PRIORITY = 110;
/** The Baseline tier priority (v1alpha2 only): 0-899 are left to the platform's own baseline policies. */
export const BASELINE_PRIORITY = 900;

/** The limits of v1alpha2 (v1alpha1 allows 100 of each; the output keeps to the smaller). */
export const MAX_RULES = 25;
export const MAX_PEERS = 25;

/** The name of the v1alpha1 Baseline policy: the API allows only this one. */
export const BASELINE_SINGLETON_NAME = 'default';

const GROUP = 'policy.networking.k8s.io';
const POLICY_PREFIX = 'namespace-guard';
const DNS_PORT = 53;

/** A label selector as the API writes it. */
export interface LabelSelectorJson {
  readonly matchLabels?: { readonly [key: string]: string };
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

/** A rule peer: the same shape in both API versions. */
export type TierPeer =
  | { readonly namespaces: LabelSelectorJson }
  | { readonly pods: { readonly namespaceSelector: LabelSelectorJson; readonly podSelector: LabelSelectorJson } }
  | { readonly networks: readonly string[] };

/** What a rule does, in v1alpha2 words (v1alpha1 says Allow for Accept). */
export type TierAction = 'Accept' | 'Deny' | 'Pass';

export interface TierRule {
  readonly name: string;
  readonly action: TierAction;
  readonly peers: readonly TierPeer[];
  /** Only DNS: UDP and TCP port 53. */
  readonly dnsPorts?: boolean;
}

export interface TierPolicy {
  readonly name: string;
  readonly tier: 'Admin' | 'Baseline';
  readonly priority: number;
  /** The namespaces whose pods the policy applies to. */
  readonly subject: LabelSelectorJson;
  readonly ingress: readonly TierRule[];
  readonly egress: readonly TierRule[];
}

/** A namespace isolated at the Admin tier, with the peers its declared flows pass on to its NetworkPolicies. */
export interface IsolatedNamespace {
  readonly name: string;
  /** The construct path of the bundle, for errors. */
  readonly path: string;
  /** A tenant is closed to other tenants; a restricted zone member to everything else. */
  readonly posture: 'tenant' | 'restricted';
  /** Declared peers, without IP blocks (the Admin tier isolates pods). */
  readonly ingress: readonly PeerSelector[];
  readonly egress: readonly PeerSelector[];
  /** The cluster DNS the namespace uses (a restricted member's only egress beyond its zone). */
  readonly dns: readonly PeerSelector[];
}

/** The managed namespaces that enforce: monitor mode is never denied by the cluster tier. */
const ENFORCING_MANAGED: LabelSelectorJson = {
  matchLabels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
  matchExpressions: [{ key: ENFORCEMENT_LABEL, operator: 'NotIn', values: [Enforcement.MONITOR] }],
};

const EVERY_NAMESPACE: LabelSelectorJson = {};
const EVERY_ADDRESS: TierPeer = { networks: ['0.0.0.0/0', '::/0'] };

/**
 * The cloud metadata addresses as CIDRs the API accepts: Kubernetes' `isCIDR` refuses IPv4-mapped
 * IPv6 blocks, and traffic to those leaves as IPv4 and meets the IPv4 entry anyway.
 */
export const METADATA_CIDRS: readonly string[] = [...new Set(METADATA_RANGES.filter(r => unmapped(r.range) === r.range).map(r => networkOf(r.range)))]
  .sort(compareText);

/** The isolation policy's name: one per namespace. */
export function isolationPolicyName(namespaceName: string): string {
  return `${POLICY_PREFIX}-isolation-${namespaceName}`;
}

/** No managed namespace reaches the cloud metadata service: the node's identity and credentials. */
export function metadataPolicy(): TierPolicy {
  return {
    name: `${POLICY_PREFIX}-metadata`,
    tier: 'Admin',
    priority: METADATA_PRIORITY,
    subject: ENFORCING_MANAGED,
    ingress: [],
    egress: [{ name: 'deny-cloud-metadata', action: 'Deny', peers: [{ networks: [...METADATA_CIDRS] }] }],
  };
}

/**
 * Managed namespaces are closed below their NetworkPolicies: without them, only DNS leaves. Same-
 * namespace traffic is not kept, since no peer can say "the subject's own namespace" without one
 * object per namespace; a namespace whose policies are gone fails closed.
 */
export function baselinePolicy(dns: readonly PeerSelector[]): TierPolicy {
  return {
    name: `${POLICY_PREFIX}-baseline`,
    tier: 'Baseline',
    priority: BASELINE_PRIORITY,
    subject: ENFORCING_MANAGED,
    ingress: [{ name: 'deny-all', action: 'Deny', peers: [{ namespaces: EVERY_NAMESPACE }] }],
    egress: [
      ...(dns.length > 0 ? [{ name: 'accept-dns', action: 'Accept' as const, peers: uniquePeers(dns.map(selectorPeer)), dnsPorts: true }] : []),
      { name: 'deny-all', action: 'Deny', peers: [{ namespaces: EVERY_NAMESPACE }, EVERY_ADDRESS] },
    ],
  };
}

/**
 * The Admin tier isolation of one namespace: its declared peers are passed on to its
 * NetworkPolicies, everything its posture forbids is denied.
 *
 * - a tenant: traffic to and from every other tenant namespace is denied;
 * - a restricted zone member: every pod traffic in, and everything out but DNS, is denied.
 */
export function isolationPolicy(ns: IsolatedNamespace): TierPolicy {
  const own: PeerSelector = { namespaceNames: [ns.name] };
  if (ns.posture === 'tenant') {
    const otherTenants: TierPeer = {
      namespaces: {
        matchLabels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [PROFILE_LABEL]: Profile.TENANT },
        matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [ns.name] }],
      },
    };
    return isolation(ns.name, [
      ...passRules(ns.path, ns.ingress, MAX_RULES - 1),
      { name: 'deny-other-tenants', action: 'Deny', peers: [otherTenants] },
    ], [
      ...passRules(ns.path, ns.egress, MAX_RULES - 1),
      { name: 'deny-other-tenants', action: 'Deny', peers: [otherTenants] },
    ]);
  }
  const dns = ns.dns.length > 0 ? [{ name: 'pass-dns', action: 'Pass' as const, peers: uniquePeers(ns.dns.map(selectorPeer)), dnsPorts: true }] : [];
  return isolation(ns.name, [
    ...passRules(ns.path, [own, ...ns.ingress], MAX_RULES - 1),
    { name: 'deny-all', action: 'Deny', peers: [{ namespaces: EVERY_NAMESPACE }] },
  ], [
    ...passRules(ns.path, [own, ...ns.egress], MAX_RULES - 1 - dns.length),
    ...dns,
    { name: 'deny-all', action: 'Deny', peers: [{ namespaces: EVERY_NAMESPACE }, EVERY_ADDRESS] },
  ]);
}

function isolation(name: string, ingress: TierRule[], egress: TierRule[]): TierPolicy {
  return { name: isolationPolicyName(name), tier: 'Admin', priority: ISOLATION_PRIORITY, subject: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } }, ingress, egress };
}

/**
 * The Pass rules for declared peers, at most `maxRules` of at most 25 peers each. Pods keep their
 * selectors while they fit; otherwise whole namespaces are passed (their NetworkPolicies still
 * choose the pods and ports).
 */
export function passRules(path: string, declared: readonly PeerSelector[], maxRules: number): TierRule[] {
  let chunks = chunk(groupPeers(declared, true), MAX_PEERS);
  if (chunks.length > maxRules) chunks = chunk(groupPeers(declared, false), MAX_PEERS);
  if (chunks.length > maxRules) {
    throw guardError(path, 'the flows declare more distinct namespace label selectors than one cluster network policy can pass on '
      + `(${maxRules} rules of ${MAX_PEERS} peers)`, 'select the peers by name (bundles, zones, Peer.namespaceNamed) or by fewer distinct labels');
  }
  return chunks.map((peers, i) => ({ name: i === 0 ? 'pass-declared' : `pass-declared-${i + 1}`, action: 'Pass', peers }));
}

/**
 * Declared peers merged into as few peers as say the same: namespaces by name share one peer per
 * pod selector, whole namespaces absorb pod subsets of themselves, and every namespace absorbs all.
 */
function groupPeers(declared: readonly PeerSelector[], keepPods: boolean): TierPeer[] {
  const byPods = new Map<string, { podLabels?: { [key: string]: string }; names: Set<string> }>();
  const labelled = new Map<string, PeerSelector>();
  for (const s of declared) {
    if (s.cidr !== undefined) continue;
    const podLabels = keepPods && s.podLabels && Object.keys(s.podLabels).length > 0 ? s.podLabels : undefined;
    if (s.namespaceNames && s.namespaceNames.length > 0) {
      const key = podLabels ? fingerprint(podLabels) : '';
      const group = byPods.get(key) ?? { podLabels, names: new Set<string>() };
      s.namespaceNames.forEach(n => group.names.add(n));
      byPods.set(key, group);
    } else {
      const namespaceLabels = s.namespaceLabels ?? {};
      if (Object.keys(namespaceLabels).length === 0 && !podLabels) return [{ namespaces: EVERY_NAMESPACE }];
      labelled.set(fingerprint({ namespaceLabels, podLabels: podLabels ?? {} }), { namespaceLabels, podLabels });
    }
  }
  const whole = byPods.get('')?.names ?? new Set<string>();
  const named = [...byPods.entries()].sort(([a], [b]) => compareText(a, b)).map(([key, group]) => ({
    namespaceNames: key === '' ? [...group.names] : [...group.names].filter(n => !whole.has(n)),
    podLabels: group.podLabels,
  })).filter(s => s.namespaceNames.length > 0);
  const byLabels = [...labelled.entries()].sort(([a], [b]) => compareText(a, b)).map(([, s]) => s);
  return [...named, ...byLabels].map(selectorPeer);
}

/** A NetworkPolicy peer selector as a cluster network policy peer. */
function selectorPeer(selector: PeerSelector): TierPeer {
  if (selector.cidr !== undefined) return { networks: [selector.cidr] };
  const rendered = renderPeerSelector(selector) as { namespaceSelector: LabelSelectorJson; podSelector?: LabelSelectorJson };
  return rendered.podSelector
    ? { pods: { namespaceSelector: rendered.namespaceSelector, podSelector: rendered.podSelector } }
    : { namespaces: rendered.namespaceSelector };
}

function uniquePeers(peers: readonly TierPeer[]): TierPeer[] {
  const byKey = new Map(peers.map(p => [fingerprint(p), p]));
  return [...byKey.keys()].sort(compareText).map(k => byKey.get(k)!);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The kind a policy of a tier is written as. */
export function tierKind(api: ClusterNetworkPolicyApi, tier: TierPolicy['tier']): string {
  if (api === ClusterNetworkPolicyApi.V1ALPHA2) return 'ClusterNetworkPolicy';
  return tier === 'Admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy';
}

/** The object's name: v1alpha1 allows one Baseline policy, named `default`. */
export function tierObjectName(api: ClusterNetworkPolicyApi, policy: Pick<TierPolicy, 'name' | 'tier'>): string {
  return api === ClusterNetworkPolicyApi.V1ALPHA1 && policy.tier === 'Baseline' ? BASELINE_SINGLETON_NAME : policy.name;
}

/** `apiVersion`, `kind` and `metadata` of a policy. */
export function tierHeader(api: ClusterNetworkPolicyApi, policy: Pick<TierPolicy, 'name' | 'tier'>): Record<string, unknown> {
  return {
    apiVersion: `${GROUP}/${api}`,
    kind: tierKind(api, policy.tier),
    metadata: { name: tierObjectName(api, policy), labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } },
  };
}

/** The `spec` of a policy in the given API version. */
export function tierSpec(api: ClusterNetworkPolicyApi, policy: TierPolicy): Record<string, unknown> {
  const v1alpha1 = api === ClusterNetworkPolicyApi.V1ALPHA1;
  const rules = (direction: 'from' | 'to', list: readonly TierRule[]) => list.map(rule => ({
    name: rule.name,
    action: v1alpha1 && rule.action === 'Accept' ? 'Allow' : rule.action,
    [direction]: rule.peers.map(p => JSON.parse(JSON.stringify(p))),
    ...(rule.dnsPorts ? (v1alpha1
      ? { ports: ['UDP', 'TCP'].map(protocol => ({ portNumber: { protocol, port: DNS_PORT } })) }
      : { protocols: ['udp', 'tcp'].map(protocol => ({ [protocol]: { destinationPort: { number: DNS_PORT } } })) }) : {}),
  }));
  return {
    ...(v1alpha1 ? {} : { tier: policy.tier }),
    ...(v1alpha1 && policy.tier === 'Baseline' ? {} : { priority: policy.priority }),
    subject: { namespaces: JSON.parse(JSON.stringify(policy.subject)) },
    ...(policy.ingress.length > 0 ? { ingress: rules('from', policy.ingress) } : {}),
    ...(policy.egress.length > 0 ? { egress: rules('to', policy.egress) } : {}),
  };
}

/** The whole object of a policy. */
export function renderTierPolicy(api: ClusterNetworkPolicyApi, policy: TierPolicy): Record<string, unknown> {
  return { ...tierHeader(api, policy), spec: tierSpec(api, policy) };
}

import * as fc from 'fast-check';
import { CIDRS, POLICY_PORTS, PROTOCOLS, selector } from './arbitraries';
import { KubeObject } from '../../../../src/model/manifests';

/**
 * Random tiered policies for the clusters of arbitraries.ts: Admin tier ClusterNetworkPolicies
 * (v1alpha2) and AdminNetworkPolicies (v1alpha1) sharing one set of distinct priorities, and a
 * Baseline tier made either of Baseline ClusterNetworkPolicies with distinct priorities or of the
 * v1alpha1 BaselineAdminNetworkPolicy `default` (never both, as upstream defines no order between
 * them). Upstream leaves equal priorities undefined, so none are generated. Every rule is valid
 * for its API: at least one peer, no named port together with a `networks` peer, ranges with
 * start < end, Pass only where the API has it.
 */

type Json = Record<string, unknown>;
type Direction = 'ingress' | 'egress';
type Version = 'v1alpha2' | 'v1alpha1';

/** A subject, or a namespaces/pods peer (the two share their shape). */
const podTarget: fc.Arbitrary<Json> = fc.oneof(
  selector.map((namespaces) => ({ namespaces })),
  fc.tuple(selector, selector).map(([namespaceSelector, podSelector]) => ({ pods: { namespaceSelector, podSelector } })),
);

const networksPeer: fc.Arbitrary<Json> = fc.subarray(CIDRS, { minLength: 1, maxLength: 2 }).map((networks) => ({ networks }));

const peer = (direction: Direction): fc.Arbitrary<Json> =>
  (direction === 'egress' ? fc.oneof({ weight: 3, arbitrary: podTarget }, { weight: 1, arbitrary: networksPeer }) : podTarget);

const protocol = fc.constantFrom(...PROTOCOLS);
const number = fc.constantFrom(...POLICY_PORTS);
/** Ranges start at a policy port and end up to 8 ports later (start < end, as the API requires). */
const range = fc.record({ start: number, width: fc.integer({ min: 1, max: 8 }) }).map(({ start, width }) => ({ start, end: start + width }));
const portName = fc.constantFrom('http', 'dns');

const v1alpha2Protocol: fc.Arbitrary<Json> = fc.oneof(
  protocol.map((p) => ({ [p.toLowerCase()]: {} })),
  fc.tuple(protocol, number).map(([p, n]) => ({ [p.toLowerCase()]: { destinationPort: { number: n } } })),
  fc.tuple(protocol, range).map(([p, r]) => ({ [p.toLowerCase()]: { destinationPort: { range: r } } })),
  { weight: 2, arbitrary: portName.map((destinationNamedPort) => ({ destinationNamedPort })) },
);

/** v1alpha1 ports; the protocol is sometimes left out to exercise its TCP default. */
const optionalProtocol = fc.option(protocol, { nil: undefined }).map((p) => (p === undefined ? {} : { protocol: p }));
const v1alpha1Port: fc.Arbitrary<Json> = fc.oneof(
  fc.tuple(optionalProtocol, number).map(([p, port]) => ({ portNumber: { ...p, port } })),
  fc.tuple(optionalProtocol, range).map(([p, r]) => ({ portRange: { ...p, ...r } })),
  { weight: 2, arbitrary: portName.map((namedPort) => ({ namedPort })) },
);

const isNamed = (p: Json) => 'destinationNamedPort' in p || 'namedPort' in p;

function rules(version: Version, direction: Direction, actions: readonly string[]): fc.Arbitrary<Json[]> {
  const portsField = version === 'v1alpha2' ? 'protocols' : 'ports';
  const one = fc.record({
    action: fc.constantFrom(...actions),
    peers: fc.array(peer(direction), { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(version === 'v1alpha2' ? v1alpha2Protocol : v1alpha1Port, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  }).filter((r) => !(r.peers.some((p) => 'networks' in p) && (r.ports ?? []).some(isNamed)));
  return fc.array(one, { maxLength: 3 }).map((list) => list.map((r, i) => ({
    name: `${direction}-${i}`,
    action: r.action,
    [direction === 'egress' ? 'to' : 'from']: r.peers,
    ...(r.ports === undefined ? {} : { [portsField]: r.ports }),
  })));
}

/** A spec without priority or tier: a subject and optional ingress and egress rules. */
function spec(version: Version, actions: readonly string[]): fc.Arbitrary<Json> {
  return fc.record({
    subject: podTarget,
    ingress: fc.option(rules(version, 'ingress', actions), { nil: undefined }),
    egress: fc.option(rules(version, 'egress', actions), { nil: undefined }),
  }).map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));
}

const cnp = (name: string, tier: string, priority: number, s: Json): KubeObject =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, ...s } });
const anp = (name: string, priority: number, s: Json): KubeObject =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, ...s } });
const banp = (s: Json): KubeObject =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: s });

const distinctPriorities = (count: number) => fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: count, maxLength: count });

/** The tiered policies of one cluster, as objects for the model. */
export const tieredPolicies: fc.Arbitrary<KubeObject[]> = fc.record({
  adminCnps: fc.array(spec('v1alpha2', ['Accept', 'Deny', 'Pass']), { maxLength: 3 }),
  anps: fc.array(spec('v1alpha1', ['Allow', 'Deny', 'Pass']), { maxLength: 2 }),
  baselineCnps: fc.array(spec('v1alpha2', ['Accept', 'Deny', 'Pass']), { maxLength: 2 }),
  banp: fc.option(spec('v1alpha1', ['Allow', 'Deny']), { nil: undefined }),
  baselineVersion: fc.constantFrom<Version>('v1alpha2', 'v1alpha1'),
}).chain((g) => {
  const baselineCnps = g.baselineVersion === 'v1alpha2' ? g.baselineCnps : [];
  const banps = g.baselineVersion === 'v1alpha1' && g.banp ? [g.banp] : [];
  return fc.tuple(distinctPriorities(g.adminCnps.length + g.anps.length), distinctPriorities(baselineCnps.length)).map(([admin, baseline]) => [
    ...g.adminCnps.map((s, i) => cnp(`admin-${i}`, 'Admin', admin[i], s)),
    ...g.anps.map((s, i) => anp(`anp-${i}`, admin[g.adminCnps.length + i], s)),
    ...baselineCnps.map((s, i) => cnp(`baseline-${i}`, 'Baseline', baseline[i], s)),
    ...banps.map(banp),
  ]);
});

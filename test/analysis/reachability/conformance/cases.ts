import { ClusterTweaks, labels, namespaceNamed, netpol, Override, podIp } from './fixture';
import { KubeObject } from '../../../../src/model/manifests';
import { ProtocolName as Protocol } from '../../../../src/model/vocabulary';

/**
 * Scenarios of the upstream Kubernetes NetworkPolicy e2e suite (test/e2e/network/netpol), restated
 * as data: the policies each test creates in the x/y/z cluster and the truth table it expects. A
 * test that changes the cluster part-way (updates a policy or a label) has one step per state.
 * `origin: 'extra'` marks scenarios written for this project to cover what upstream does not probe.
 */
export interface ConformanceCase {
  readonly title: string;
  readonly origin: 'upstream' | 'extra';
  readonly steps: readonly Step[];
}

export interface Step {
  readonly policies: readonly KubeObject[];
  readonly tweaks?: ClusterTweaks;
  readonly probes: readonly Probe[];
}

export interface Probe {
  readonly port: number;
  readonly protocol: Protocol;
  /** Truth-table overrides on an all-allowed table. */
  readonly expect: readonly Override[];
}

const tcp = (port: number, ...expect: Override[]): Probe => ({ port, protocol: 'TCP', expect });
const udp = (port: number, ...expect: Override[]): Probe => ({ port, protocol: 'UDP', expect });
const sctp = (port: number, ...expect: Override[]): Probe => ({ port, protocol: 'SCTP', expect });

const upstream = (title: string, ...steps: Step[]): ConformanceCase => ({ title, origin: 'upstream', steps });
const extra = (title: string, ...steps: Step[]): ConformanceCase => ({ title, origin: 'extra', steps });
const step = (policies: KubeObject[], ...probes: Probe[]): Step => ({ policies, probes });
/** A step on a cluster with changed labels or addresses. */
const tweakedStep = (tweaks: ClusterTweaks, policies: KubeObject[], ...probes: Probe[]): Step => ({ policies, tweaks, probes });

const podA = labels({ pod: 'a' });
const podB = labels({ pod: 'b' });
const notInNamespace = (ns: string) => ({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [ns] }] });

// Policy shapes the suite uses again and again.
const denyIngress = (ns: string, name = 'deny-ingress') => netpol(ns, name, { podSelector: {}, policyTypes: ['Ingress'], ingress: [] });
const denyAll = (ns: string, name = 'deny-all') => netpol(ns, name, { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
const ingressTo = (ns: string, name: string, podSelector: object, ...ingress: object[]) =>
  netpol(ns, name, { podSelector, policyTypes: ['Ingress'], ingress });
const egressFrom = (ns: string, name: string, podSelector: object, ...egress: object[]) =>
  netpol(ns, name, { podSelector, policyTypes: ['Egress'], egress });

/** Ingress to x/a only from namespace y on one port and protocol. */
const xaFromYOnPort = (name: string, port: number | string, protocol: Protocol) =>
  ingressTo('x', name, podA, { from: [{ namespaceSelector: namespaceNamed('y') }], ports: [{ port, protocol }] });
/** Ingress to x/a only from pod y/a. */
const xaFromYa = ingressTo('x', 'allow-ns-y-pod-a', podA, { from: [{ namespaceSelector: namespaceNamed('y'), podSelector: podA }] });

const cidrOf = (key: string, bits = 32) => `${podIp(key)}/${bits}`;
/** Extra labels for the matchExpressions scenarios: x/c is a db, y/c a web tier pod. */
const tiers: ClusterTweaks = { podLabels: { 'x/c': { tier: 'db' }, 'y/c': { tier: 'web' } } };

export const CASES: readonly ConformanceCase[] = [
  // --- TCP suite -------------------------------------------------------------------------------
  upstream('default-deny-ingress policy', step([denyIngress('x')], tcp(80, ['*', 'x', false]))),

  upstream('default-deny-all policy', step([denyAll('x')], tcp(80, ['*', 'x', false], ['x', '*', false]))),

  upstream('allow traffic from pods within server namespace based on PodSelector',
    step([ingressTo('x', 'x-a-allows-x-b', podA, { from: [{ podSelector: podB }] })],
      tcp(80, ['*', 'x/a', false], ['x/b', 'x/a', true]))),

  upstream('allow ingress traffic for a target',
    step([denyIngress('x', 'deny-all'), ingressTo('x', 'allow-all-to-a', podA, { from: [{ podSelector: {}, namespaceSelector: {} }] })],
      tcp(80, ['*', 'x/a', true], ['*', 'x/b', false], ['*', 'x/c', false]))),

  upstream('allow ingress traffic from pods in all namespaces',
    step([ingressTo('x', 'allow-from-another-ns', podA, { from: [{ namespaceSelector: labels({}) }] })], tcp(80))),

  upstream('allow traffic only from a different namespace, based on NamespaceSelector',
    step([ingressTo('x', 'allow-client-a-via-ns-selector', podA, { from: [{ namespaceSelector: namespaceNamed('y') }] })],
      tcp(80, ['x', 'x/a', false], ['z', 'x/a', false]))),

  upstream('PodSelector with MatchExpressions',
    step([ingressTo('x', 'x-a-allows-x-b', podA, { from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] })],
      tcp(80, ['*', 'x/a', false], ['x/b', 'x/a', true]))),

  upstream('NamespaceSelector with MatchExpressions',
    step([ingressTo('x', 'allow-ns-y-match-selector', podA, {
      from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['y'] }] } }],
    })], tcp(80, ['x', 'x/a', false], ['z', 'x/a', false]))),

  upstream('PodSelector or NamespaceSelector (separate peers are ORed)',
    step([ingressTo('x', 'allow-ns-y-match-selector', podA, { from: [{ namespaceSelector: notInNamespace('x') }, { podSelector: podB }] })],
      tcp(80, ['x/a', 'x/a', false], ['x/c', 'x/a', false]))),

  upstream('PodSelector and NamespaceSelector (one peer is ANDed)',
    step([ingressTo('x', 'allow-ns-y-podselector-and-nsselector', podA, { from: [{ namespaceSelector: notInNamespace('x'), podSelector: podB }] })],
      tcp(80, ['*', 'x/a', false], ['y/b', 'x/a', true], ['z/b', 'x/a', true]))),

  upstream('multiple PodSelectors and NamespaceSelectors',
    step([ingressTo('x', 'allow-ns-y-z-pod-b-c', podA, {
      from: [{ namespaceSelector: notInNamespace('x'), podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }],
    })], tcp(80, ['x', 'x/a', false], ['y/a', 'x/a', false], ['z/a', 'x/a', false]))),

  upstream('any PodSelectors',
    step([ingressTo('x', 'allow-ns-x-pod-b-c', podA, { from: [{ podSelector: podB }, { podSelector: labels({ pod: 'c' }) }] })],
      tcp(80, ['*', 'x/a', false], ['x/b', 'x/a', true], ['x/c', 'x/a', true]))),

  upstream('allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    step([xaFromYa], tcp(80, ['*', 'x/a', false], ['y/a', 'x/a', true]))),

  upstream('policy based on Ports',
    step([xaFromYOnPort('allow-client-a-via-ns-selector', 81, 'TCP')],
      tcp(81, ['x', 'x/a', false], ['y', 'x/a', true], ['z', 'x/a', false]))),

  upstream('multiple, stacked policies with overlapping podSelectors',
    step([xaFromYOnPort('allow-client-a-via-ns-selector', 81, 'TCP')],
      tcp(81, ['x', 'x/a', false], ['y', 'x/a', true], ['z', 'x/a', false]),
      tcp(80, ['*', 'x/a', false])),
    step([xaFromYOnPort('allow-client-a-via-ns-selector', 81, 'TCP'), xaFromYOnPort('allow-client-a-via-ns-selector-80', 80, 'TCP')],
      tcp(80, ['x', 'x/a', false], ['y', 'x/a', true], ['z', 'x/a', false]))),

  upstream('allow-all policy',
    step([ingressTo('x', 'allow-all', labels({}), {})], tcp(80), tcp(81))),

  upstream('allow ingress access on one named port',
    step([ingressTo('x', 'allow-all', labels({}), { ports: [{ port: 'serve-81-tcp' }] })],
      tcp(81), tcp(80, ['*', 'x', false]))),

  upstream('allow ingress access from namespace on one named port',
    step([xaFromYOnPort('allow-client-a-via-ns-selector-80', 'serve-80-tcp', 'TCP')],
      tcp(80, ['x', 'x/a', false], ['z', 'x/a', false]),
      tcp(81, ['*', 'x/a', false]))),

  upstream('allow egress access on one named port (resolved on the destination)',
    step([egressFrom('x', 'allow-egress', labels({}), { ports: [{ port: 'serve-80-tcp' }] })],
      tcp(80), tcp(81, ['x', '*', false]))),

  upstream('enforce updated policy',
    step([ingressTo('x', 'allow-all-mutate-to-deny-all', labels({}), {})], tcp(81)),
    step([ingressTo('x', 'allow-all-mutate-to-deny-all', labels({}))], tcp(81, ['*', 'x', false]))),

  upstream('allow ingress access from updated namespace', ...(() => {
    const policy = ingressTo('x', 'allow-client-a-via-ns-selector', podA, { from: [{ namespaceSelector: labels({ ns2: 'updated' }) }] });
    return [
      step([policy], tcp(80, ['*', 'x/a', false])),
      tweakedStep({ namespaceLabels: { y: { ns2: 'updated' } } }, [policy], tcp(80, ['*', 'x/a', false], ['y', '*', true])),
    ];
  })()),

  upstream('allow ingress access from updated pod', ...(() => {
    const policy = ingressTo('x', 'allow-client-a-via-pod-selector', podA, { from: [{ podSelector: labels({ pod: 'b', pod2: 'updated' }) }] });
    return [
      step([policy], tcp(80, ['*', 'x/a', false])),
      tweakedStep({ podLabels: { 'x/b': { pod2: 'updated' } } }, [policy], tcp(80, ['*', 'x/a', false], ['x/b', 'x/a', true])),
    ];
  })()),

  upstream('deny ingress from pods on other namespaces',
    step([ingressTo('x', 'deny-empty-policy', {}, { from: [{ podSelector: labels({}) }] })],
      tcp(80, ['y', 'x', false], ['z', 'x', false]))),

  upstream('deny ingress access to updated pod', ...(() => {
    const policy = ingressTo('x', 'deny-ingress-via-label-selector', labels({ target: 'isolated' }));
    return [
      step([policy], tcp(80)),
      tweakedStep({ podLabels: { 'x/a': { target: 'isolated' } } }, [policy], tcp(80, ['*', 'x/a', false])),
    ];
  })()),

  upstream('deny egress from pods based on PodSelector',
    step([egressFrom('x', 'deny-egress-pod-a', podA)], tcp(80, ['x/a', '*', false]))),

  upstream('deny egress from all pods in a namespace',
    step([egressFrom('x', 'deny-egress-ns-x', {})], tcp(80, ['x', '*', false]))),

  upstream('Ingress and Egress specified together',
    step([netpol('x', 'allow-client-a-via-pod-selector', {
      podSelector: podA,
      policyTypes: ['Egress', 'Ingress'],
      ingress: [{ from: [{ podSelector: podB }] }],
      egress: [{ ports: [{ port: 80 }] }],
    })],
    tcp(80, ['*', 'x/a', false], ['x/b', 'x/a', true]),
    tcp(81, ['*', 'x/a', false], ['x/a', '*', false], ['x/b', 'x/a', true]))),

  upstream('deny egress on the client side even if the server allows it', ...(() => {
    const fromXa = { from: [{ namespaceSelector: namespaceNamed('x'), podSelector: podA }] };
    return [step([
      egressFrom('x', 'allow-to-ns-y-pod-a', podA, { to: [{ namespaceSelector: namespaceNamed('y'), podSelector: podA }] }),
      ingressTo('y', 'allow-from-xa-on-ya-match-selector', podA, fromXa),
      ingressTo('y', 'allow-from-xa-on-yb-match-selector', podB, fromXa),
    ], tcp(80, ['x/a', '*', false], ['*', 'y/a', false], ['x/a', 'y/a', true], ['*', 'y/b', false]))];
  })()),

  upstream('egress to a server in a different namespace based on PodSelector and NamespaceSelector',
    step([egressFrom('x', 'allow-to-ns-y-pod-a', podA, { to: [{ namespaceSelector: namespaceNamed('y'), podSelector: podA }] })],
      tcp(80, ['x/a', '*', false], ['x/a', 'y/a', true]))),

  upstream('ingress allowing any port on a specific protocol',
    step([ingressTo('x', 'allow-ingress-by-proto', podA, { ports: [{ protocol: 'TCP' }] })],
      tcp(80), udp(80, ['*', 'x/a', false]))),

  upstream('multiple ingress policies with an allow-all policy taking precedence',
    step([ingressTo('x', 'allow-ingress-port-80', labels({}), { ports: [{ port: 80 }] })], tcp(81, ['*', 'x', false])),
    step([ingressTo('x', 'allow-ingress-port-80', labels({}), { ports: [{ port: 80 }] }), ingressTo('x', 'allow-ingress', labels({}), {})], tcp(81))),

  upstream('multiple egress policies with an allow-all policy taking precedence',
    step([egressFrom('x', 'allow-egress-port-80', labels({}), { ports: [{ port: 80 }] })], tcp(81, ['x', '*', false])),
    step([egressFrom('x', 'allow-egress-port-80', labels({}), { ports: [{ port: 80 }] }), egressFrom('x', 'allow-egress', labels({}), {})], tcp(81))),

  upstream('stop enforcing policies after they are deleted',
    step([denyAll('x')], tcp(80, ['x', '*', false], ['*', 'x', false])),
    step([], tcp(80))),

  upstream('allow egress access to a server in a CIDR block',
    step([egressFrom('x', 'allow-client-a-via-cidr-egress-rule', podA, { to: [{ ipBlock: { cidr: cidrOf('y/b') } }] })],
      tcp(80, ['x/a', '*', false], ['x/a', 'y/b', true]))),

  upstream('except clause while egress access to a server in a CIDR block',
    step([egressFrom('x', 'allow-client-a-via-cidr-egress-rule', podA, { to: [{ ipBlock: { cidr: cidrOf('x/a', 4), except: [cidrOf('x/b')] } }] })],
      tcp(80, ['x/a', 'x/b', false]))),

  upstream('an IP in both IPBlock.CIDR and IPBlock.Except is allowed by another policy',
    step([egressFrom('x', 'allow-client-a-via-cidr-egress-rule', podA, { to: [{ ipBlock: { cidr: cidrOf('x/a', 4), except: [cidrOf('x/b')] } }] })],
      tcp(80, ['x/a', 'x/b', false])),
    // Upstream replaces the policy (same name) with one allowing only x/b's address.
    step([egressFrom('x', 'allow-client-a-via-cidr-egress-rule', podA, { to: [{ ipBlock: { cidr: cidrOf('x/b') } }] })],
      tcp(80, ['x/a', '*', false], ['x/a', 'x/b', true]))),

  upstream('ingress and egress policies controlled independently based on PodSelector',
    step([egressFrom('x', 'allow-egress-for-target', podA, {})], tcp(80)),
    step([egressFrom('x', 'allow-egress-for-target', podA, {}), ingressTo('x', 'deny-ingress-via-label-selector', podA)],
      tcp(80, ['*', 'x/a', false]))),

  upstream("'protocol: SCTP' is not treated as 'protocol: TCP'",
    step([denyIngress('x'), ingressTo('x', 'allow-only-sctp-ingress-on-port-81', podA, { ports: [{ port: 81, protocol: 'SCTP' }] })],
      tcp(81, ['*', 'x', false]))),

  upstream('pods selected by a policy allowing only SCTP are isolated for TCP',
    step([ingressTo('x', 'allow-only-sctp-ingress-on-port-80', podA, { ports: [{ port: 80, protocol: 'SCTP' }] })],
      tcp(81, ['*', 'x/a', false]))),

  upstream('no TCP access when a policy specifies only UDP',
    step([ingressTo('x', 'allow-only-udp-ingress-on-port-81', podA, { ports: [{ port: 81, protocol: 'UDP' }] })],
      tcp(81, ['*', 'x/a', false]))),

  upstream('NamespaceSelector with MatchLabels using the default namespace label',
    step([ingressTo('x', 'allow-client-a-via-ns-selector-for-immutable-ns-label', podA, { from: [{ namespaceSelector: namespaceNamed('y') }] })],
      tcp(80, ['x', 'x/a', false], ['z', 'x/a', false]))),

  upstream('NamespaceSelector with MatchExpressions using the default namespace label (egress)',
    step([egressFrom('x', 'allow-ns-y-match-selector-for-immutable-ns-label', podA, { to: [{ namespaceSelector: notInNamespace('y') }] })],
      tcp(80, ['x/a', 'y', false]))),

  // --- UDP suite -------------------------------------------------------------------------------
  upstream('UDP: default-deny-ingress policy', step([denyIngress('x', 'deny-all')], udp(80, ['*', 'x', false]))),

  upstream('UDP: policy based on Ports',
    step([xaFromYOnPort('allow-ingress-on-port-81-ns-x', 81, 'UDP')], udp(81, ['x', 'x/a', false], ['z', 'x/a', false]))),

  upstream('UDP: allow only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    step([xaFromYa], udp(80, ['*', 'x/a', false], ['y/a', 'x/a', true]))),

  // --- SCTP suite ------------------------------------------------------------------------------
  upstream('SCTP: default-deny-ingress policy', step([denyIngress('x', 'deny-all')], sctp(80, ['*', 'x', false]))),

  upstream('SCTP: policy based on Ports',
    step([xaFromYOnPort('allow-ingress-on-port-81-ns-x', 81, 'SCTP')], sctp(81, ['x', 'x/a', false], ['z', 'x/a', false]))),

  upstream('SCTP: allow only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    step([xaFromYa], sctp(80, ['*', 'x/a', false], ['y/a', 'x/a', true]))),

  // --- Extra scenarios: features the upstream suite does not probe ------------------------------
  extra('endPort range on ingress (inclusive)',
    step([ingressTo('x', 'allow-y-80-81', podA, { from: [{ namespaceSelector: namespaceNamed('y') }], ports: [{ port: 80, endPort: 81, protocol: 'TCP' }] })],
      tcp(80, ['x', 'x/a', false], ['z', 'x/a', false]),
      tcp(81, ['x', 'x/a', false], ['z', 'x/a', false]),
      tcp(79, ['*', 'x/a', false]),
      tcp(82, ['*', 'x/a', false]),
      udp(80, ['*', 'x/a', false]))),

  extra('endPort range on egress',
    step([egressFrom('x', 'allow-81-90', podA, { ports: [{ port: 81, endPort: 90 }] })],
      tcp(80, ['x/a', '*', false]), tcp(81), tcp(90), tcp(91, ['x/a', '*', false]), udp(81, ['x/a', '*', false]))),

  extra('matchExpressions Exists selects pods having the key',
    tweakedStep(tiers, [ingressTo('x', 'from-tiered', podA, { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }] })],
      tcp(80, ['*', 'x/a', false], ['x/c', 'x/a', true]))),

  extra('matchExpressions DoesNotExist selects pods without the key',
    tweakedStep(tiers, [ingressTo('x', 'from-untiered', podA, {
      from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }],
    })], tcp(80, ['x/c', 'x/a', false], ['y/c', 'x/a', false]))),

  extra('matchExpressions NotIn matches pods where the key is absent',
    tweakedStep(tiers, [ingressTo('x', 'not-db', podA, {
      from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] } }],
    })], tcp(80, ['x/c', 'x/a', false]))),

  extra('matchLabels and matchExpressions in one selector are ANDed',
    tweakedStep({ podLabels: { 'x/b': { tier: 'db' }, 'x/c': { tier: 'db' } } }, [ingressTo('x', 'c-and-db', podA, {
      from: [{ podSelector: { matchLabels: { pod: 'c' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] } }],
    })], tcp(80, ['*', 'x/a', false], ['x/c', 'x/a', true]))),

  extra('policyTypes defaulting: an egress section adds Egress, Ingress is always implied',
    step([netpol('x', 'implicit-types', { podSelector: podA, egress: [{ to: [{ podSelector: {} }] }] })],
      tcp(80, ['*', 'x/a', false], ['x/a', '*', false], ['x/a', 'x/b', true], ['x/a', 'x/c', true]))),

  extra('policyTypes defaulting: an empty egress list does not add Egress',
    step([netpol('x', 'implicit-ingress-only', { podSelector: podA, egress: [] })], tcp(80, ['*', 'x/a', false]))),

  extra('policyTypes defaulting: ingress rules without policyTypes',
    step([netpol('x', 'implicit-ingress', { podSelector: podA, ingress: [{ from: [{ podSelector: podB }] }] })],
      tcp(80, ['*', 'x/a', false], ['x/b', 'x/a', true]))),

  extra('an empty from list matches every source; ports still apply',
    step([ingressTo('x', 'empty-from', podA, { from: [], ports: [{ port: 80 }] })], tcp(80), tcp(81, ['*', 'x/a', false]))),

  extra('empty podSelector next to a namespaceSelector, and podSelector {} alone',
    step([ingressTo('x', 'ns-y-any-pod', podA, { from: [{ namespaceSelector: labels({ ns: 'y' }), podSelector: {} }] })],
      tcp(80, ['x', 'x/a', false], ['z', 'x/a', false])),
    step([ingressTo('x', 'own-namespace', podA, { from: [{ podSelector: {} }] })],
      tcp(80, ['y', 'x/a', false], ['z', 'x/a', false]))),

  extra('named port with its protocol',
    step([ingressTo('x', 'udp-81-by-name', labels({}), { ports: [{ port: 'serve-81-udp', protocol: 'UDP' }] })],
      udp(81), udp(80, ['*', 'x', false]), tcp(81, ['*', 'x', false]))),

  extra('named port without protocol only matches a TCP container port of that name',
    step([ingressTo('x', 'udp-name-as-tcp', labels({}), { ports: [{ port: 'serve-80-udp' }] })],
      tcp(80, ['*', 'x', false]), udp(80, ['*', 'x', false]))),

  extra('several ports in one rule are ORed',
    step([ingressTo('x', 'two-ports', podA, { ports: [{ port: 80, protocol: 'UDP' }, { port: 81 }] })],
      tcp(81), udp(80), tcp(80, ['*', 'x/a', false]), udp(81, ['*', 'x/a', false]))),

  extra('policies selecting the same pod are unioned',
    step([
      ingressTo('x', 'a-from-b', podA, { from: [{ podSelector: podB }] }),
      ingressTo('x', 'all-from-y', {}, { from: [{ namespaceSelector: labels({ ns: 'y' }) }] }),
    ], tcp(80, ['x', 'x', false], ['z', 'x', false], ['x/b', 'x/a', true]))),

  extra('ipBlock with except on ingress',
    step([ingressTo('x', 'from-y-block', podA, { from: [{ ipBlock: { cidr: '10.0.2.0/24', except: [cidrOf('y/c')] } }] })],
      tcp(80, ['*', 'x/a', false], ['y/a', 'x/a', true], ['y/b', 'x/a', true]))),

  extra('IPv6 ipBlock; IPv4 blocks never match IPv6 pods',
    tweakedStep({ ipv6: true }, [egressFrom('x', 'to-y-v6', podA, { to: [{ ipBlock: { cidr: 'fd00:0:0:2::/64' } }] })],
      tcp(80, ['x/a', '*', false], ['x/a', 'y', true])),
    tweakedStep({ ipv6: true }, [egressFrom('x', 'to-any-v4', podA, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] })],
      tcp(80, ['x/a', '*', false]))),
];

import { ClusterTweaks, House, IpFamily, namespaceOf, podCidr } from './fixture';
import { KubeObject } from '../../../../src/model/manifests';
import { ProtocolName as Protocol } from '../../../../src/model/vocabulary';

/**
 * The standard tests of the upstream network-policy-api conformance suite
 * (kubernetes-sigs/network-policy-api, conformance/tests/*.go), restated as data: the policies each
 * test applies (conformance/base/...), the changes it makes between its subtests, and every probe
 * with its expected verdict. Each upstream test exists for both API versions: v1alpha2
 * ClusterNetworkPolicy (the suite at the repository's head) and v1alpha1
 * AdminNetworkPolicy/BaselineAdminNetworkPolicy (the suite at tag v0.1.8, before it moved to
 * v1alpha2). The two suites probe the same connections with policies that differ only in API
 * shape, so the policies are written once in v1alpha2 form and translated by `toV1alpha1`.
 *
 * Subtests run in order against one set of policies, and the changes a subtest makes stay for the
 * next ones: every case lists the complete state its probes see.
 */

export type ApiVersion = 'v1alpha2' | 'v1alpha1';
export const API_VERSIONS: readonly ApiVersion[] = ['v1alpha2', 'v1alpha1'];

/** One upstream subtest (`t.Run`) of one upstream test, for one API version. */
export interface ClusterConformanceCase {
  readonly api: ApiVersion;
  /** The upstream test's ShortName, e.g. `CNPAdminTierEgressTCP` or `AdminNetworkPolicyEgressTCP`. */
  readonly test: string;
  /** The upstream subtest's name. */
  readonly title: string;
  /** The upstream test file and the manifest it applies, relative to conformance/. */
  readonly source: string;
  readonly steps: readonly Step[];
}

export interface Step {
  /** The cluster-scoped and namespaced policies in force. */
  readonly policies: readonly KubeObject[];
  readonly tweaks: ClusterTweaks;
  readonly probes: readonly Probe[];
}

/** One upstream PokeServer call: `from` connects to `to`'s pod IP. Pods are named, not keyed. */
export interface Probe {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly allowed: boolean;
}

const allowed = (from: string, to: string, protocol: Protocol, port: number): Probe => ({ from, to, protocol, port, allowed: true });
const denied = (from: string, to: string, protocol: Protocol, port: number): Probe => ({ from, to, protocol, port, allowed: false });

// --- Policy shapes (v1alpha2) --------------------------------------------------------------------

type Action = 'Accept' | 'Deny' | 'Pass';
type Direction = 'ingress' | 'egress';
type Json = Record<string, unknown>;

const byName = (house: House) => ({ matchLabels: { 'kubernetes.io/metadata.name': namespaceOf(house) } });
const byHouse = (house: string) => ({ matchLabels: { 'conformance-house': house } });

/** Subject or peer: every pod of the house's namespace, selected by namespace name. */
const namespaceNamed = (house: House): Json => ({ namespaces: byName(house) });
/** Subject or peer: every pod of the house's namespace, selected by the house label. */
const namespaceOfHouse = (house: House): Json => ({ namespaces: byHouse(house) });
/** Subject or peer: pods labelled with the house in namespaces labelled with it. */
const podsOfHouse = (house: House): Json => ({ pods: { namespaceSelector: byHouse(house), podSelector: byHouse(house) } });

const tcp = (number: number): Json => ({ tcp: { destinationPort: { number } } });
const udp = (number: number): Json => ({ udp: { destinationPort: { number } } });
const sctp = (number: number): Json => ({ sctp: { destinationPort: { number } } });

const rule = (direction: Direction) => (name: string, action: Action, peers: Json[], protocols?: Json[]): Json => ({
  name,
  action,
  [direction === 'egress' ? 'to' : 'from']: peers,
  ...(protocols ? { protocols } : {}),
});
const egress = rule('egress');
const ingress = rule('ingress');

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, subject: Json, rules: { ingress?: Json[]; egress?: Json[] }): KubeObject {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject, ...rules } };
}

// --- Changes the tests make between subtests -----------------------------------------------------

type Change = (objects: readonly KubeObject[], family: IpFamily) => KubeObject[];

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Applies `edit` to a copy of the spec of the cluster policy `name`. */
const editPolicy = (name: string, edit: (spec: Json, family: IpFamily) => void): Change => (objects, family) =>
  objects.map((o) => {
    if (o.kind !== 'ClusterNetworkPolicy' || (o.metadata as Json).name !== name) return o;
    const copy = clone(o) as KubeObject & { spec: Json };
    edit(copy.spec, family);
    return copy;
  });

const rulesOf = (spec: Json, direction: Direction) => spec[direction] as Json[];

const swapRules = (name: string, direction: Direction, i: number, j: number): Change => editPolicy(name, (spec) => {
  const rules = rulesOf(spec, direction);
  [rules[i], rules[j]] = [rules[j], rules[i]];
});
const swapBoth = (name: string, i: number, j: number): Change => (objects, family) =>
  swapRules(name, 'ingress', i, j)(swapRules(name, 'egress', i, j)(objects, family), family);
const setPriority = (name: string, priority: number): Change => editPolicy(name, (spec) => { spec.priority = priority; });
const setAction = (name: string, direction: Direction, index: number, action: Action): Change => editPolicy(name, (spec) => {
  rulesOf(spec, direction)[index].action = action;
});
const useNamedPort = (name: string, direction: Direction, index: number, port: string): Change => editPolicy(name, (spec) => {
  rulesOf(spec, direction)[index].protocols = [{ destinationNamedPort: port }];
});
const prependRule = (name: string, direction: Direction, newRule: (family: IpFamily) => Json): Change => editPolicy(name, (spec, family) => {
  spec[direction] = [newRule(family), ...rulesOf(spec, direction)];
});
const deleteNetworkPolicy = (name: string): Change => (objects) =>
  objects.filter((o) => !(o.kind === 'NetworkPolicy' && (o.metadata as Json).name === name));

// --- Upstream tests -------------------------------------------------------------------------------

interface UpstreamTest {
  /** ShortNames in the v1alpha2 and v1alpha1 suites. */
  readonly names: Readonly<Record<ApiVersion, string>>;
  /** conformance/tests/<file>, the same in both suites. */
  readonly file: string;
  /** The manifest under conformance/base/ in each suite. */
  readonly manifests: Readonly<Record<ApiVersion, string>>;
  /** What the manifest creates, in v1alpha2 form. */
  readonly objects: readonly KubeObject[];
  /** Tests whose policies name pod IPs run on both single-stack families. */
  readonly families?: readonly IpFamily[];
  readonly subtests: readonly Subtest[];
}

interface Subtest {
  /** The name, when the two suites word it the same, or per version. */
  readonly title: string | Readonly<Record<ApiVersion, string>>;
  readonly steps: readonly StepSpec[];
}

interface StepSpec {
  /** What the subtest changes before probing; it stays for the following subtests. */
  readonly change?: Change;
  readonly namespaceLabels?: ClusterTweaks['namespaceLabels'];
  /** A step that only the v1alpha2 suite has (and that changes no policy). */
  readonly v1alpha2Only?: boolean;
  readonly probes: readonly Probe[];
}

const subtest = (title: Subtest['title'], ...steps: StepSpec[]): Subtest => ({ title, steps });
const probes = (...list: Probe[]): StepSpec => ({ probes: list });
const after = (change: Change, ...list: Probe[]): StepSpec => ({ change, probes: list });

/**
 * Policies of the six single-protocol tests of each tier: the subject's rules, in order, are
 * Accept/Deny/(Pass) everything for one house, Deny/(Pass) one port for a second house, and
 * Accept one port then Deny everything else for a third (the Baseline tier has no Pass rules).
 */

// base/admin_tier/standard-egress-tcp-rules.yaml
const adminEgressTcp = cnp('egress-tcp', 'Admin', 6, namespaceNamed('gryffindor'), {
  egress: [
    egress('allow-to-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    egress('deny-to-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    egress('pass-to-ravenclaw-everything', 'Pass', [namespaceNamed('ravenclaw')]),
    egress('deny-to-slytherin-at-port-80', 'Deny', [namespaceNamed('slytherin')], [tcp(80)]),
    egress('pass-to-slytherin-at-port-80', 'Pass', [namespaceNamed('slytherin')], [tcp(80)]),
    egress('allow-to-hufflepuff-at-port-8080', 'Accept', [namespaceNamed('hufflepuff')], [tcp(8080)]),
    egress('deny-to-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/admin_tier/standard-egress-udp-rules.yaml
const adminEgressUdp = cnp('egress-udp', 'Admin', 7, namespaceNamed('hufflepuff'), {
  egress: [
    egress('allow-to-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    egress('deny-to-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    egress('pass-to-ravenclaw-everything', 'Pass', [namespaceNamed('ravenclaw')]),
    egress('deny-to-slytherin-at-port-5353', 'Deny', [namespaceNamed('slytherin')], [udp(5353)]),
    egress('pass-to-slytherin-at-port-5353', 'Pass', [namespaceNamed('slytherin')], [udp(5353)]),
    egress('allow-to-gryffindor-at-port-53', 'Accept', [namespaceNamed('gryffindor')], [udp(53)]),
    egress('deny-to-gryffindor-everything-else', 'Deny', [namespaceNamed('gryffindor')]),
  ],
});

// base/admin_tier/standard-egress-sctp-rules.yaml
const adminEgressSctp = cnp('egress-sctp', 'Admin', 8, namespaceNamed('ravenclaw'), {
  egress: [
    egress('allow-to-gryffindor-everything', 'Accept', [namespaceNamed('gryffindor')]),
    egress('deny-to-gryffindor-everything', 'Deny', [namespaceNamed('gryffindor')]),
    egress('pass-to-gryffindor-everything', 'Pass', [namespaceNamed('gryffindor')]),
    egress('deny-to-slytherin-at-port-9003', 'Deny', [namespaceNamed('slytherin')], [sctp(9003)]),
    egress('pass-to-slytherin-at-port-9003', 'Pass', [namespaceNamed('slytherin')], [sctp(9003)]),
    egress('allow-to-hufflepuff-at-port-9003', 'Accept', [namespaceNamed('hufflepuff')], [sctp(9003)]),
    egress('deny-to-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/admin_tier/standard-ingress-tcp-rules.yaml
const adminIngressTcp = cnp('ingress-tcp', 'Admin', 3, namespaceNamed('gryffindor'), {
  ingress: [
    ingress('allow-from-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    ingress('pass-from-ravenclaw-everything', 'Pass', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-slytherin-at-port-80', 'Deny', [namespaceNamed('slytherin')], [tcp(80)]),
    ingress('pass-from-slytherin-at-port-80', 'Pass', [namespaceNamed('slytherin')], [tcp(80)]),
    ingress('allow-from-hufflepuff-at-port-80', 'Accept', [namespaceNamed('hufflepuff')], [tcp(80)]),
    ingress('deny-from-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/admin_tier/standard-ingress-udp-rules.yaml
const adminIngressUdp = cnp('ingress-udp', 'Admin', 4, namespaceNamed('hufflepuff'), {
  ingress: [
    ingress('allow-from-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    ingress('pass-from-ravenclaw-everything', 'Pass', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-slytherin-at-port-5353', 'Deny', [namespaceNamed('slytherin')], [udp(5353)]),
    ingress('pass-from-slytherin-at-port-5353', 'Pass', [namespaceNamed('slytherin')], [udp(5353)]),
    ingress('allow-from-gryffindor-at-port-53', 'Accept', [namespaceNamed('gryffindor')], [udp(53)]),
    ingress('deny-from-gryffindor-everything-else', 'Deny', [namespaceNamed('gryffindor')]),
  ],
});

// base/admin_tier/standard-ingress-sctp-rules.yaml
const adminIngressSctp = cnp('ingress-sctp', 'Admin', 5, namespaceNamed('ravenclaw'), {
  ingress: [
    ingress('allow-from-gryffindor-everything', 'Accept', [namespaceNamed('gryffindor')]),
    ingress('deny-from-gryffindor-everything', 'Deny', [namespaceNamed('gryffindor')]),
    ingress('pass-from-gryffindor-everything', 'Pass', [namespaceNamed('gryffindor')]),
    ingress('deny-from-slytherin-at-port-9003', 'Deny', [namespaceNamed('slytherin')], [sctp(9003)]),
    ingress('pass-from-slytherin-at-port-9003', 'Pass', [namespaceNamed('slytherin')], [sctp(9003)]),
    ingress('allow-from-hufflepuff-at-port-9003', 'Accept', [namespaceNamed('hufflepuff')], [sctp(9003)]),
    ingress('deny-from-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/admin_tier/standard-gress-rules-combined.yaml
const adminGress = cnp('gress-rules', 'Admin', 15, namespaceNamed('gryffindor'), {
  egress: [
    egress('allow-to-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    egress('deny-to-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    egress('pass-to-ravenclaw-everything', 'Pass', [namespaceNamed('ravenclaw')]),
    egress('deny-to-slytherin-at-ports-80-53-9003', 'Deny', [namespaceNamed('slytherin')], [tcp(80), udp(53), sctp(9003)]),
    egress('pass-to-slytherin-at-port-80-53-9003', 'Pass', [namespaceNamed('slytherin')], [tcp(80), udp(53), sctp(9003)]),
    egress('allow-to-hufflepuff-at-ports-8080-5353-9003', 'Accept', [namespaceNamed('hufflepuff')], [tcp(8080), udp(5353), sctp(9003)]),
    egress('deny-to-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
  ingress: [
    ingress('allow-from-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    ingress('pass-from-ravenclaw-everything', 'Pass', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-slytherin-at-port-80-53-9003', 'Deny', [namespaceNamed('slytherin')], [tcp(80), udp(53), sctp(9003)]),
    ingress('pass-from-slytherin-at-port-80-53-9003', 'Pass', [namespaceNamed('slytherin')], [tcp(80), udp(53), sctp(9003)]),
    ingress('allow-from-hufflepuff-at-port-80-5353-9003', 'Accept', [namespaceNamed('hufflepuff')], [tcp(80), udp(5353), sctp(9003)]),
    ingress('deny-from-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/admin_tier/standard-egress-inline-cidr-rules.yaml
const adminInlineCidr = cnp('inline-cidr-as-peers-example', 'Admin', 85, podsOfHouse('gryffindor'), {
  egress: [
    egress('allow-egress-to-slytherin', 'Accept', [podsOfHouse('slytherin')]),
    egress('deny-egress-to-internet', 'Deny', [{ networks: ['0.0.0.0/0', '::/0'] }]),
  ],
});

// base/admin_tier/standard-priority-field.yaml
const priorityField = [
  cnp('priority-50-example', 'Admin', 50, podsOfHouse('gryffindor'), {
    ingress: [ingress('deny-all-ingress-from-slytherin', 'Deny', [podsOfHouse('slytherin')])],
    egress: [egress('deny-all-egress-to-slytherin', 'Deny', [podsOfHouse('slytherin')])],
  }),
  cnp('old-priority-60-new-priority-40-example', 'Admin', 60, podsOfHouse('gryffindor'), {
    ingress: [ingress('pass-all-ingress-from-slytherin', 'Pass', [podsOfHouse('slytherin')])],
    egress: [egress('pass-all-egress-to-slytherin', 'Pass', [podsOfHouse('slytherin')])],
  }),
  cnp('default', 'Baseline', 10, podsOfHouse('gryffindor'), {
    ingress: [ingress('allow-all-ingress-from-slytherin', 'Accept', [podsOfHouse('slytherin')])],
    egress: [egress('allow-all-egress-to-slytherin', 'Accept', [podsOfHouse('slytherin')])],
  }),
];

// base/api_integration/standard-anp-np-banp.yaml (upstream leaves the NetworkPolicy's podSelector null: every pod)
const apiIntegration = [
  cnp('pass-example', 'Admin', 10, namespaceOfHouse('gryffindor'), {
    ingress: [ingress('deny-all-ingress-from-slytherin', 'Deny', [namespaceOfHouse('slytherin')])],
    egress: [egress('deny-all-egress-to-slytherin', 'Deny', [namespaceOfHouse('slytherin')])],
  }),
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-gress-from-to-slytherin-to-gryffindor', namespace: namespaceOf('gryffindor') },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: byHouse('slytherin') }] }],
      egress: [{ to: [{ namespaceSelector: byHouse('slytherin') }] }],
    },
  },
  cnp('default', 'Baseline', 10, namespaceOfHouse('gryffindor'), {
    ingress: [ingress('deny-all-ingress-from-slytherin', 'Deny', [namespaceOfHouse('slytherin')])],
    egress: [egress('deny-all-egress-to-slytherin', 'Deny', [namespaceOfHouse('slytherin')])],
  }),
];

// base/baseline_tier/standard-egress-tcp-rules.yaml
const baselineEgressTcp = cnp('default', 'Baseline', 10, namespaceNamed('gryffindor'), {
  egress: [
    egress('allow-to-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    egress('deny-to-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    egress('deny-to-slytherin-at-port-80', 'Deny', [namespaceNamed('slytherin')], [tcp(80)]),
    egress('allow-to-hufflepuff-at-port-8080', 'Accept', [namespaceNamed('hufflepuff')], [tcp(8080)]),
    egress('deny-to-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/baseline_tier/standard-egress-udp-rules.yaml
const baselineEgressUdp = cnp('default', 'Baseline', 10, namespaceNamed('hufflepuff'), {
  egress: [
    egress('allow-to-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    egress('deny-to-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    egress('deny-to-slytherin-at-port-5353', 'Deny', [namespaceNamed('slytherin')], [udp(5353)]),
    egress('allow-to-gryffindor-at-port-53', 'Accept', [namespaceNamed('gryffindor')], [udp(53)]),
    egress('deny-to-gryffindor-everything-else', 'Deny', [namespaceNamed('gryffindor')]),
  ],
});

// base/baseline_tier/standard-egress-sctp-rules.yaml
const baselineEgressSctp = cnp('default', 'Baseline', 10, namespaceNamed('ravenclaw'), {
  egress: [
    egress('allow-to-gryffindor-everything', 'Accept', [namespaceNamed('gryffindor')]),
    egress('deny-to-gryffindor-everything', 'Deny', [namespaceNamed('gryffindor')]),
    egress('deny-to-slytherin-at-port-9003', 'Deny', [namespaceNamed('slytherin')], [sctp(9003)]),
    egress('allow-to-hufflepuff-at-port-9003', 'Accept', [namespaceNamed('hufflepuff')], [sctp(9003)]),
    egress('deny-to-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/baseline_tier/standard-ingress-tcp-rules.yaml
const baselineIngressTcp = cnp('default', 'Baseline', 10, namespaceNamed('gryffindor'), {
  ingress: [
    ingress('allow-from-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-slytherin-at-port-80', 'Deny', [namespaceNamed('slytherin')], [tcp(80)]),
    ingress('allow-from-hufflepuff-at-port-80', 'Accept', [namespaceNamed('hufflepuff')], [tcp(80)]),
    ingress('deny-from-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/baseline_tier/standard-ingress-udp-rules.yaml
const baselineIngressUdp = cnp('default', 'Baseline', 10, namespaceNamed('hufflepuff'), {
  ingress: [
    ingress('allow-from-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-slytherin-at-port-5353', 'Deny', [namespaceNamed('slytherin')], [udp(5353)]),
    ingress('allow-from-gryffindor-at-port-53', 'Accept', [namespaceNamed('gryffindor')], [udp(53)]),
    ingress('deny-from-gryffindor-everything-else', 'Deny', [namespaceNamed('gryffindor')]),
  ],
});

// base/baseline_tier/standard-ingress-sctp-rules.yaml
const baselineIngressSctp = cnp('default', 'Baseline', 10, namespaceNamed('ravenclaw'), {
  ingress: [
    ingress('allow-from-gryffindor-everything', 'Accept', [namespaceNamed('gryffindor')]),
    ingress('deny-from-gryffindor-everything', 'Deny', [namespaceNamed('gryffindor')]),
    ingress('deny-from-slytherin-at-port-9003', 'Deny', [namespaceNamed('slytherin')], [sctp(9003)]),
    ingress('allow-from-hufflepuff-at-port-9003', 'Accept', [namespaceNamed('hufflepuff')], [sctp(9003)]),
    ingress('deny-from-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/baseline_tier/standard-gress-rules-combined.yaml
const baselineGress = cnp('default', 'Baseline', 10, namespaceNamed('gryffindor'), {
  egress: [
    egress('allow-to-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    egress('deny-to-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    egress('deny-to-slytherin-at-ports-80-53-9003', 'Deny', [namespaceNamed('slytherin')], [tcp(80), udp(53), sctp(9003)]),
    egress('allow-to-hufflepuff-at-ports-8080-5353', 'Accept', [namespaceNamed('hufflepuff')], [tcp(8080), udp(5353), sctp(9003)]),
    egress('deny-to-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
  ingress: [
    ingress('allow-from-ravenclaw-everything', 'Accept', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-ravenclaw-everything', 'Deny', [namespaceNamed('ravenclaw')]),
    ingress('deny-from-slytherin-at-port-80-53-9003', 'Deny', [namespaceNamed('slytherin')], [tcp(80), udp(53), sctp(9003)]),
    ingress('allow-from-hufflepuff-at-port-80-5353-9003', 'Accept', [namespaceNamed('hufflepuff')], [tcp(80), udp(5353), sctp(9003)]),
    ingress('deny-from-hufflepuff-everything-else', 'Deny', [namespaceNamed('hufflepuff')]),
  ],
});

// base/baseline_tier/standard-egress-inline-cidr-rules.yaml
const baselineInlineCidr = cnp('default', 'Baseline', 10, namespaceNamed('gryffindor'), {
  egress: [
    egress('allow-egress-to-slytherin', 'Accept', [podsOfHouse('slytherin')]),
    egress('deny-egress-to-internet', 'Deny', [{ networks: ['0.0.0.0/0', '::/0'] }]),
  ],
});

/**
 * The subtests of the six single-protocol tests of the Admin tier share one plan: probe the
 * Accept-everything rule and the port rules, swap rules 0 and 1 (Deny first), probe the port
 * Deny, swap rules 0 and 2 (Pass first), then swap rules 3 and 4 (port Pass first).
 */
interface ProtocolPlan {
  readonly word: string;
  readonly direction: Direction;
  readonly policy: string;
  readonly subtests: readonly (readonly Probe[])[];
}

function adminProtocolSubtests(plan: ProtocolPlan): Subtest[] {
  const [allowAll, allowPort, denyAll, denyPort, passAll, passPort] = plan.subtests;
  const d = plan.direction;
  return [
    subtest(`Should support an 'allow-${d}' policy for ${plan.word} protocol; ensure rule ordering is respected`, probes(...allowAll)),
    subtest(`Should support an 'allow-${d}' policy for ${plan.word} protocol at the specified port`, probes(...allowPort)),
    subtest(`Should support an 'deny-${d}' policy for ${plan.word} protocol; ensure rule ordering is respected`,
      after(swapRules(plan.policy, d, 0, 1), ...denyAll)),
    subtest(`Should support a 'deny-${d}' policy for ${plan.word} protocol at the specified port`, probes(...denyPort)),
    subtest(`Should support an 'pass-${d}' policy for ${plan.word} protocol; ensure rule ordering is respected`,
      after(swapRules(plan.policy, d, 0, 2), ...passAll)),
    subtest(`Should support a 'pass-${d}' policy for ${plan.word} protocol at the specified port`,
      after(swapRules(plan.policy, d, 3, 4), ...passPort)),
  ];
}

/** The Baseline tier's single-protocol tests: the same without the Pass subtests. */
function baselineProtocolSubtests(plan: ProtocolPlan): Subtest[] {
  return adminProtocolSubtests({ ...plan, subtests: [...plan.subtests, [], []] }).slice(0, 4);
}

const HP0 = 'harry-potter-0';
const HP1 = 'harry-potter-1';
const DM0 = 'draco-malfoy-0';
const DM1 = 'draco-malfoy-1';
const CD0 = 'cedric-diggory-0';
const CD1 = 'cedric-diggory-1';
const LL0 = 'luna-lovegood-0';
const LL1 = 'luna-lovegood-1';

const adminCidrRule = (family: IpFamily) => egress('allow-egress-to-specific-podIPs', 'Accept', [{ networks: [podCidr(LL0, family), podCidr(CD0, family)] }]);

/** Probes of the inline-CIDR tests: harry-potter-1 to one server on TCP 80, UDP 53 and SCTP 9003. */
const toServer = (server: string, ok: boolean): Probe[] =>
  ([['TCP', 80], ['UDP', 53], ['SCTP', 9003]] as const).map(([protocol, port]) => (ok ? allowed : denied)(HP1, server, protocol, port));

function inlineCidrSubtests(policy: string): Subtest[] {
  const relabelled = { slytherin: { 'conformance-house': 'denied-namespace-label' } };
  return [
    subtest("Should support a 'deny-egress' rule policy for egress-cidr-peer",
      probes(...toServer(LL0, false), ...toServer(CD0, false), ...toServer(DM0, true)),
      // Relabelling slytherin's namespace stops the pods peer from matching: the networks Deny takes over.
      { namespaceLabels: relabelled, v1alpha2Only: true, probes: toServer(DM0, false) },
      { namespaceLabels: { slytherin: { 'conformance-house': 'slytherin' } }, v1alpha2Only: true, probes: toServer(DM0, true) }),
    subtest("Should support an 'allow-egress' rule policy for egress-cidr-peer",
      after(prependRule(policy, 'egress', adminCidrRule), ...toServer(LL0, true), ...toServer(CD0, true), ...toServer(LL1, false), ...toServer(CD1, false))),
  ];
}

const UPSTREAM_TESTS: readonly UpstreamTest[] = [
  // --- Admin tier (AdminNetworkPolicy in v1alpha1) ------------------------------------------------
  {
    names: { v1alpha2: 'CNPAdminTierEgressTCP', v1alpha1: 'AdminNetworkPolicyEgressTCP' },
    file: 'admin-network-policy-standard-egress-tcp-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-egress-tcp-rules.yaml', v1alpha1: 'admin_network_policy/standard-egress-tcp-rules.yaml' },
    objects: [adminEgressTcp],
    subtests: adminProtocolSubtests({
      word: 'TCP',
      direction: 'egress',
      policy: 'egress-tcp',
      subtests: [
        [allowed(HP0, LL0, 'TCP', 80), allowed(HP1, LL0, 'TCP', 8080)],
        [allowed(HP0, CD1, 'TCP', 8080), denied(HP1, CD1, 'TCP', 80)],
        [denied(HP0, LL1, 'TCP', 80), denied(HP1, LL1, 'TCP', 8080)],
        [denied(HP0, DM0, 'TCP', 80), allowed(HP1, DM0, 'TCP', 8080)],
        [allowed(HP0, LL0, 'TCP', 80), allowed(HP1, LL0, 'TCP', 8080)],
        [allowed(HP0, DM0, 'TCP', 80), allowed(HP1, DM0, 'TCP', 8080)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPAdminTierEgressUDP', v1alpha1: 'AdminNetworkPolicyEgressUDP' },
    file: 'admin-network-policy-standard-egress-udp-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-egress-udp-rules.yaml', v1alpha1: 'admin_network_policy/standard-egress-udp-rules.yaml' },
    objects: [adminEgressUdp],
    subtests: adminProtocolSubtests({
      word: 'UDP',
      direction: 'egress',
      policy: 'egress-udp',
      subtests: [
        [allowed(CD0, LL0, 'UDP', 53), allowed(CD1, LL0, 'UDP', 5353)],
        [allowed(CD0, HP1, 'UDP', 53), denied(CD1, HP1, 'UDP', 5353)],
        [denied(CD0, LL1, 'UDP', 53), denied(CD1, LL1, 'UDP', 5353)],
        [denied(CD0, DM0, 'UDP', 5353), allowed(CD1, DM0, 'UDP', 53)],
        [allowed(CD0, LL1, 'UDP', 5353), allowed(CD1, LL1, 'UDP', 53)],
        [allowed(CD0, DM0, 'UDP', 5353), allowed(CD1, DM0, 'UDP', 53)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPAdminTierEgressSCTP', v1alpha1: 'AdminNetworkPolicyEgressSCTP' },
    file: 'admin-network-policy-standard-egress-sctp-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-egress-sctp-rules.yaml', v1alpha1: 'admin_network_policy/standard-egress-sctp-rules.yaml' },
    objects: [adminEgressSctp],
    subtests: adminProtocolSubtests({
      word: 'SCTP',
      direction: 'egress',
      policy: 'egress-sctp',
      subtests: [
        [allowed(LL0, HP0, 'SCTP', 9003), allowed(LL1, HP0, 'SCTP', 9005)],
        [allowed(LL0, CD1, 'SCTP', 9003), denied(LL1, CD1, 'SCTP', 9005)],
        [denied(LL0, HP1, 'SCTP', 9003), denied(LL1, HP1, 'SCTP', 9005)],
        [denied(LL0, DM0, 'SCTP', 9003), allowed(LL1, DM0, 'SCTP', 9005)],
        [allowed(LL0, HP1, 'SCTP', 9003), allowed(LL1, HP1, 'SCTP', 9005)],
        [allowed(LL0, DM0, 'SCTP', 9003), allowed(LL1, DM0, 'SCTP', 9005)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPAdminTierIngressTCP', v1alpha1: 'AdminNetworkPolicyIngressTCP' },
    file: 'admin-network-policy-standard-ingress-tcp-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-ingress-tcp-rules.yaml', v1alpha1: 'admin_network_policy/standard-ingress-tcp-rules.yaml' },
    objects: [adminIngressTcp],
    subtests: adminProtocolSubtests({
      word: 'TCP',
      direction: 'ingress',
      policy: 'ingress-tcp',
      subtests: [
        [allowed(LL0, HP0, 'TCP', 80), allowed(LL1, HP0, 'TCP', 8080)],
        [allowed(CD0, HP1, 'TCP', 80), denied(CD1, HP1, 'TCP', 8080)],
        [denied(LL0, HP1, 'TCP', 80), denied(LL1, HP1, 'TCP', 8080)],
        [denied(DM0, HP0, 'TCP', 80), allowed(DM1, HP0, 'TCP', 8080)],
        [allowed(LL0, HP0, 'TCP', 80), allowed(LL1, HP0, 'TCP', 8080)],
        [allowed(DM0, HP0, 'TCP', 80), allowed(DM1, HP0, 'TCP', 8080)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPAdminTierIngressUDP', v1alpha1: 'AdminNetworkPolicyIngressUDP' },
    file: 'admin-network-policy-standard-ingress-udp-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-ingress-udp-rules.yaml', v1alpha1: 'admin_network_policy/standard-ingress-udp-rules.yaml' },
    objects: [adminIngressUdp],
    subtests: adminProtocolSubtests({
      word: 'UDP',
      direction: 'ingress',
      policy: 'ingress-udp',
      subtests: [
        [allowed(LL0, CD0, 'UDP', 53), allowed(LL1, CD0, 'UDP', 5353)],
        [allowed(HP0, CD1, 'UDP', 53), denied(HP1, CD1, 'UDP', 5353)],
        [denied(LL0, CD1, 'UDP', 53), denied(LL1, CD1, 'UDP', 5353)],
        [denied(DM0, CD0, 'UDP', 5353), allowed(DM1, CD0, 'UDP', 53)],
        [allowed(LL0, CD1, 'UDP', 5353), allowed(LL1, CD1, 'UDP', 53)],
        [allowed(DM0, CD0, 'UDP', 5353), allowed(DM1, CD0, 'UDP', 53)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPAdminTierIngressSCTP', v1alpha1: 'AdminNetworkPolicyIngressSCTP' },
    file: 'admin-network-policy-standard-ingress-sctp-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-ingress-sctp-rules.yaml', v1alpha1: 'admin_network_policy/standard-ingress-sctp-rules.yaml' },
    objects: [adminIngressSctp],
    subtests: adminProtocolSubtests({
      word: 'SCTP',
      direction: 'ingress',
      policy: 'ingress-sctp',
      subtests: [
        [allowed(HP0, LL0, 'SCTP', 9003), allowed(HP1, LL0, 'SCTP', 9005)],
        [allowed(CD0, LL1, 'SCTP', 9003), denied(CD1, LL1, 'SCTP', 9005)],
        [denied(HP0, LL1, 'SCTP', 9003), denied(HP1, LL1, 'SCTP', 9005)],
        [denied(DM0, LL0, 'SCTP', 9003), allowed(DM1, LL0, 'SCTP', 9005)],
        [allowed(HP0, LL1, 'SCTP', 9003), allowed(HP1, LL1, 'SCTP', 9005)],
        [allowed(DM0, LL0, 'SCTP', 9003), allowed(DM1, LL0, 'SCTP', 9005)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPAdminTierGress', v1alpha1: 'AdminNetworkPolicyGress' },
    file: 'admin-network-policy-standard-gress-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-gress-rules-combined.yaml', v1alpha1: 'admin_network_policy/standard-gress-rules-combined.yaml' },
    objects: [adminGress],
    subtests: [
      subtest("Should support an 'allow-gress' policy across different protocols", probes(
        allowed(HP0, LL0, 'TCP', 80), allowed(HP1, LL0, 'UDP', 53), allowed(HP0, LL0, 'SCTP', 9003),
        allowed(LL0, HP0, 'TCP', 80), allowed(LL1, HP0, 'UDP', 53), allowed(LL1, HP0, 'SCTP', 9003))),
      subtest("Should support an 'allow-gress' policy across different protocols at the specified ports", probes(
        allowed(HP0, CD1, 'TCP', 8080), denied(HP1, CD1, 'TCP', 80), allowed(HP0, CD1, 'UDP', 5353),
        denied(HP1, CD1, 'UDP', 53), allowed(HP0, CD1, 'SCTP', 9003), denied(HP1, CD1, 'SCTP', 9005),
        allowed(CD0, HP1, 'TCP', 80), denied(CD1, HP1, 'TCP', 8080), allowed(CD0, HP1, 'UDP', 5353),
        denied(CD1, HP1, 'UDP', 53), allowed(CD0, HP1, 'SCTP', 9003), denied(CD1, HP1, 'SCTP', 9005))),
      subtest("Should support an 'deny-gress' policy across different protocols", after(swapBoth('gress-rules', 0, 1),
        denied(HP0, LL1, 'TCP', 80), denied(HP1, LL1, 'UDP', 53), denied(HP0, LL1, 'SCTP', 9003),
        denied(LL0, HP1, 'TCP', 80), denied(LL1, HP1, 'UDP', 53), denied(LL1, HP1, 'SCTP', 9003))),
      subtest("Should support a 'deny-gress' policy across different protocols at the specified ports", probes(
        denied(HP0, DM0, 'TCP', 80), allowed(HP1, DM0, 'TCP', 8080), denied(HP0, DM0, 'UDP', 53),
        allowed(HP1, DM0, 'UDP', 5353), denied(HP0, DM0, 'SCTP', 9003), allowed(HP1, DM0, 'SCTP', 9005),
        denied(DM0, HP0, 'TCP', 80), allowed(DM1, HP0, 'TCP', 8080), denied(DM0, HP0, 'UDP', 53),
        allowed(DM1, HP0, 'UDP', 5353), denied(DM0, HP0, 'SCTP', 9003), allowed(DM1, HP0, 'SCTP', 9005))),
      subtest("Should support an 'pass-gress' policy across different protocols", after(swapBoth('gress-rules', 0, 2),
        allowed(HP0, LL0, 'TCP', 80), allowed(HP0, LL0, 'UDP', 5353), allowed(HP0, LL0, 'SCTP', 9003),
        allowed(LL0, HP0, 'TCP', 80), allowed(LL1, HP0, 'UDP', 53), allowed(LL1, HP0, 'SCTP', 9003))),
      subtest("Should support a 'pass-gress' policy across different protocols at the specified ports", after(swapBoth('gress-rules', 3, 4),
        allowed(HP0, DM0, 'TCP', 80), allowed(HP1, DM0, 'TCP', 8080), allowed(HP0, DM0, 'UDP', 53),
        allowed(HP1, DM0, 'UDP', 5353), allowed(HP0, DM0, 'SCTP', 9003), allowed(HP1, DM0, 'SCTP', 9005),
        allowed(DM0, HP0, 'TCP', 80), allowed(DM1, HP0, 'TCP', 8080), allowed(DM0, HP0, 'UDP', 53),
        allowed(DM1, HP0, 'UDP', 5353), allowed(DM0, HP0, 'SCTP', 9003), allowed(DM1, HP0, 'SCTP', 9005))),
    ],
  },
  {
    names: { v1alpha2: 'CNPAdminTierEgressInlineCIDRPeers', v1alpha1: 'AdminNetworkPolicyEgressInlineCIDRPeers' },
    file: 'admin-network-policy-standard-egress-inline-cidr-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-egress-inline-cidr-rules.yaml', v1alpha1: 'admin_network_policy/standard-egress-inline-cidr-rules.yaml' },
    objects: [adminInlineCidr],
    families: ['IPv4', 'IPv6'],
    subtests: inlineCidrSubtests('inline-cidr-as-peers-example'),
  },
  {
    names: { v1alpha2: 'CNPAdminTierPriorityField', v1alpha1: 'AdminNetworkPolicyPriorityField' },
    file: 'admin-network-policy-standard-priority.go',
    manifests: { v1alpha2: 'admin_tier/standard-priority-field.yaml', v1alpha1: 'admin_network_policy/standard-priority-field.yaml' },
    objects: priorityField,
    subtests: [
      subtest({
        v1alpha2: 'Should Deny traffic from slytherin to gryffindor respecting admin CNP',
        v1alpha1: 'Should Deny traffic from slytherin to gryffindor respecting ANP',
      }, probes(denied(DM0, HP0, 'TCP', 80), denied(DM1, HP0, 'TCP', 8080))),
      subtest({
        v1alpha2: 'Should Deny traffic to slytherin from gryffindor respecting admin CNP',
        v1alpha1: 'Should Deny traffic to slytherin from gryffindor respecting ANP',
      }, probes(denied(HP0, DM0, 'TCP', 80), denied(HP1, DM0, 'TCP', 8080))),
      subtest({
        v1alpha2: 'Should respect admin CNP priority field; thus passing both ingress and egress traffic over to baseline CNP',
        v1alpha1: 'Should respect ANP priority field; thus passing both ingress and egress traffic over to BANP',
      }, after(setPriority('old-priority-60-new-priority-40-example', 40),
        allowed(DM0, HP0, 'TCP', 80), allowed(DM1, HP0, 'TCP', 8080), allowed(HP0, DM0, 'TCP', 80), allowed(HP1, DM0, 'TCP', 8080))),
    ],
  },
  {
    names: { v1alpha2: 'CNPAdminTierIntegration', v1alpha1: 'AdminNetworkPolicyIntegration' },
    file: 'admin-network-policy-standard-integration.go',
    manifests: { v1alpha2: 'api_integration/standard-anp-np-banp.yaml', v1alpha1: 'api_integration/standard-anp-np-banp.yaml' },
    objects: apiIntegration,
    subtests: [
      subtest({
        v1alpha2: 'Should Deny traffic from slytherin to gryffindor respecting admin CNP',
        v1alpha1: 'Should Deny traffic from slytherin to gryffindor respecting ANP',
      }, probes(denied(DM0, HP0, 'TCP', 80), denied(DM1, HP0, 'TCP', 8080))),
      subtest({
        v1alpha2: 'Should Deny traffic to slytherin from gryffindor respecting admin CNP',
        v1alpha1: 'Should Deny traffic to slytherin from gryffindor respecting ANP',
      }, probes(denied(HP0, DM0, 'TCP', 80), denied(HP1, DM0, 'TCP', 8080))),
      subtest({
        v1alpha2: "Should support a 'pass-ingress' policy for admin CNP and respect the match for network policy",
        v1alpha1: "Should support a 'pass-ingress' policy for ANP and respect the match for network policy",
      }, after(setAction('pass-example', 'ingress', 0, 'Pass'), allowed(DM0, HP0, 'TCP', 80), allowed(DM1, HP0, 'TCP', 8080))),
      subtest({
        v1alpha2: "Should support a 'pass-egress' policy for admin CNP and respect the match for network policy",
        v1alpha1: "Should support a 'pass-egress' policy for ANP and respect the match for network policy",
      }, after(setAction('pass-example', 'egress', 0, 'Pass'), allowed(HP0, DM0, 'TCP', 80), allowed(HP1, DM0, 'TCP', 8080))),
      subtest({
        v1alpha2: "Should support a 'pass-ingress' policy for admin CNP and respect the match for baseline cluster network policy",
        v1alpha1: "Should support a 'pass-ingress' policy for ANP and respect the match for baseline admin network policy",
      }, after(deleteNetworkPolicy('allow-gress-from-to-slytherin-to-gryffindor'), denied(DM0, HP0, 'TCP', 80), denied(DM1, HP0, 'TCP', 8080))),
      subtest({
        v1alpha2: "Should support a 'pass-egress' policy for admin CNP and respect the match for baseline cluster network policy",
        v1alpha1: "Should support a 'pass-egress' policy for ANP and respect the match for baseline admin network policy",
      }, probes(denied(HP0, DM0, 'TCP', 80), denied(HP1, DM0, 'TCP', 8080))),
    ],
  },
  {
    names: { v1alpha2: 'CNPAdminTierEgressNamedPort', v1alpha1: 'AdminNetworkPolicyEgressNamedPort' },
    file: 'admin-network-policy-experimental-egress-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-egress-tcp-rules.yaml', v1alpha1: 'admin_network_policy/standard-egress-tcp-rules.yaml' },
    objects: [adminEgressTcp],
    subtests: [
      subtest("Should support an 'allow-egress' policy for named port",
        after(useNamedPort('egress-tcp', 'egress', 5, 'web'), allowed(HP0, CD1, 'TCP', 80), denied(HP1, CD1, 'TCP', 8080))),
    ],
  },
  {
    names: { v1alpha2: 'CNPAdminTierIngressNamedPort', v1alpha1: 'AdminNetworkPolicyIngressNamedPort' },
    file: 'admin-network-policy-experimental-ingress-rules.go',
    manifests: { v1alpha2: 'admin_tier/standard-ingress-udp-rules.yaml', v1alpha1: 'admin_network_policy/standard-ingress-udp-rules.yaml' },
    objects: [adminIngressUdp],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for named port",
        after(useNamedPort('ingress-udp', 'ingress', 5, 'dns'), allowed(HP0, CD1, 'UDP', 53), denied(HP1, CD1, 'UDP', 5353))),
    ],
  },

  // --- Baseline tier (the BaselineAdminNetworkPolicy named default in v1alpha1) ----------------------
  {
    names: { v1alpha2: 'CNPBaselineTierEgressTCP', v1alpha1: 'BaselineAdminNetworkPolicyEgressTCP' },
    file: 'baseline-admin-network-policy-standard-egress-tcp-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-egress-tcp-rules.yaml', v1alpha1: 'baseline_admin_network_policy/standard-egress-tcp-rules.yaml' },
    objects: [baselineEgressTcp],
    subtests: baselineProtocolSubtests({
      word: 'TCP',
      direction: 'egress',
      policy: 'default',
      subtests: [
        [allowed(HP0, LL0, 'TCP', 80), allowed(HP1, LL0, 'TCP', 8080)],
        [allowed(HP0, CD1, 'TCP', 8080), denied(HP1, CD1, 'TCP', 80)],
        [denied(HP0, LL1, 'TCP', 80), denied(HP1, LL1, 'TCP', 8080)],
        [denied(HP0, DM0, 'TCP', 80), allowed(HP1, DM0, 'TCP', 8080)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPBaselineTierEgressUDP', v1alpha1: 'BaselineAdminNetworkPolicyEgressUDP' },
    file: 'baseline-admin-network-policy-standard-egress-udp-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-egress-udp-rules.yaml', v1alpha1: 'baseline_admin_network_policy/standard-egress-udp-rules.yaml' },
    objects: [baselineEgressUdp],
    subtests: baselineProtocolSubtests({
      word: 'UDP',
      direction: 'egress',
      policy: 'default',
      subtests: [
        [allowed(CD0, LL0, 'UDP', 53), allowed(CD1, LL0, 'UDP', 5353)],
        [allowed(CD0, HP1, 'UDP', 53), denied(CD1, HP1, 'UDP', 5353)],
        [denied(CD0, LL1, 'UDP', 53), denied(CD1, LL1, 'UDP', 5353)],
        [denied(CD0, DM0, 'UDP', 5353), allowed(CD1, DM0, 'UDP', 53)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPBaselineTierEgressSCTP', v1alpha1: 'BaselineAdminNetworkPolicyEgressSCTP' },
    file: 'baseline-admin-network-policy-standard-egress-sctp-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-egress-sctp-rules.yaml', v1alpha1: 'baseline_admin_network_policy/standard-egress-sctp-rules.yaml' },
    objects: [baselineEgressSctp],
    subtests: baselineProtocolSubtests({
      word: 'SCTP',
      direction: 'egress',
      policy: 'default',
      subtests: [
        [allowed(LL0, HP0, 'SCTP', 9003), allowed(LL1, HP0, 'SCTP', 9005)],
        [allowed(LL0, CD1, 'SCTP', 9003), denied(LL1, CD1, 'SCTP', 9005)],
        [denied(LL0, HP1, 'SCTP', 9003), denied(LL1, HP1, 'SCTP', 9005)],
        [denied(LL0, DM0, 'SCTP', 9003), allowed(LL1, DM0, 'SCTP', 9005)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPBaselineTierIngressTCP', v1alpha1: 'BaselineAdminNetworkPolicyIngressTCP' },
    file: 'baseline-admin-network-policy-standard-ingress-tcp-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-ingress-tcp-rules.yaml', v1alpha1: 'baseline_admin_network_policy/standard-ingress-tcp-rules.yaml' },
    objects: [baselineIngressTcp],
    subtests: baselineProtocolSubtests({
      word: 'TCP',
      direction: 'ingress',
      policy: 'default',
      subtests: [
        [allowed(LL0, HP0, 'TCP', 80), allowed(LL1, HP0, 'TCP', 8080)],
        [allowed(CD0, HP1, 'TCP', 80), denied(CD1, HP1, 'TCP', 8080)],
        [denied(LL0, HP1, 'TCP', 80), denied(LL1, HP1, 'TCP', 8080)],
        [denied(DM0, HP0, 'TCP', 80), allowed(DM1, HP0, 'TCP', 8080)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPBaselineTierIngressUDP', v1alpha1: 'BaselineAdminNetworkPolicyIngressUDP' },
    file: 'baseline-admin-network-policy-standard-ingress-udp-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-ingress-udp-rules.yaml', v1alpha1: 'baseline_admin_network_policy/standard-ingress-udp-rules.yaml' },
    objects: [baselineIngressUdp],
    subtests: baselineProtocolSubtests({
      word: 'UDP',
      direction: 'ingress',
      policy: 'default',
      subtests: [
        [allowed(LL0, CD0, 'UDP', 53), allowed(LL1, CD0, 'UDP', 5353)],
        [allowed(HP0, CD1, 'UDP', 53), denied(HP1, CD1, 'UDP', 5353)],
        [denied(LL0, CD1, 'UDP', 53), denied(LL1, CD1, 'UDP', 5353)],
        [denied(DM0, CD0, 'UDP', 5353), allowed(DM1, CD0, 'UDP', 53)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPBaselineTierIngressSCTP', v1alpha1: 'BaselineAdminNetworkPolicyIngressSCTP' },
    file: 'baseline-admin-network-policy-standard-ingress-sctp-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-ingress-sctp-rules.yaml', v1alpha1: 'baseline_admin_network_policy/standard-ingress-sctp-rules.yaml' },
    objects: [baselineIngressSctp],
    subtests: baselineProtocolSubtests({
      word: 'SCTP',
      direction: 'ingress',
      policy: 'default',
      subtests: [
        [allowed(HP0, LL0, 'SCTP', 9003), allowed(HP1, LL0, 'SCTP', 9005)],
        [allowed(CD0, LL1, 'SCTP', 9003), denied(CD1, LL1, 'SCTP', 9005)],
        [denied(HP0, LL1, 'SCTP', 9003), denied(HP1, LL1, 'SCTP', 9005)],
        [denied(DM0, LL0, 'SCTP', 9003), allowed(DM1, LL0, 'SCTP', 9005)],
      ],
    }),
  },
  {
    names: { v1alpha2: 'CNPBaselineTierGress', v1alpha1: 'BaselineAdminNetworkPolicyGress' },
    file: 'baseline-admin-network-policy-standard-gress-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-gress-rules-combined.yaml', v1alpha1: 'baseline_admin_network_policy/standard-gress-rules-combined.yaml' },
    objects: [baselineGress],
    subtests: [
      subtest("Should support an 'allow-gress' policy across different protocols", probes(
        allowed(HP0, LL0, 'TCP', 80), allowed(HP1, LL0, 'UDP', 53), allowed(HP0, LL0, 'SCTP', 9003),
        allowed(LL0, HP0, 'TCP', 80), allowed(LL1, HP0, 'UDP', 53), allowed(LL1, HP0, 'SCTP', 9003))),
      subtest("Should support an 'allow-gress' policy across different protocols at the specified ports", probes(
        allowed(HP0, CD1, 'TCP', 8080), denied(HP1, CD1, 'TCP', 80), allowed(HP0, CD1, 'UDP', 5353),
        denied(HP1, CD1, 'UDP', 53), allowed(HP0, CD1, 'SCTP', 9003), denied(HP1, CD1, 'SCTP', 9005),
        allowed(CD0, HP1, 'TCP', 80), denied(CD1, HP1, 'TCP', 8080), allowed(CD0, HP1, 'UDP', 5353),
        denied(CD1, HP1, 'UDP', 53), allowed(CD0, HP1, 'SCTP', 9003), denied(CD1, HP1, 'SCTP', 9005))),
      subtest("Should support an 'deny-gress' policy across different protocols", after(swapBoth('default', 0, 1),
        denied(HP0, LL1, 'TCP', 80), denied(HP1, LL1, 'UDP', 53), denied(HP0, LL1, 'SCTP', 9003),
        denied(LL0, HP1, 'TCP', 80), denied(LL1, HP1, 'UDP', 53), denied(LL1, HP1, 'SCTP', 9003))),
      subtest("Should support a 'deny-gress' policy across different protocols at the specified ports", probes(
        denied(HP0, DM0, 'TCP', 80), allowed(HP1, DM0, 'TCP', 8080), denied(HP0, DM0, 'UDP', 53),
        allowed(HP1, DM0, 'UDP', 5353), denied(HP0, DM0, 'SCTP', 9003), allowed(HP1, DM0, 'SCTP', 9005),
        denied(DM0, HP0, 'TCP', 80), allowed(DM1, HP0, 'TCP', 8080), denied(DM0, HP0, 'UDP', 53),
        allowed(DM1, HP0, 'UDP', 5353), denied(DM0, HP0, 'SCTP', 9003), allowed(DM1, HP0, 'SCTP', 9005))),
    ],
  },
  {
    names: { v1alpha2: 'CNPBaselineTierEgressInlineCIDRPeers', v1alpha1: 'BaselineAdminNetworkPolicyEgressInlineCIDRPeers' },
    file: 'baseline-admin-network-policy-standard-egress-inline-cidr-rules.go',
    manifests: {
      v1alpha2: 'baseline_tier/standard-egress-inline-cidr-rules.yaml',
      v1alpha1: 'baseline_admin_network_policy/standard-egress-inline-cidr-rules.yaml',
    },
    objects: [baselineInlineCidr],
    families: ['IPv4', 'IPv6'],
    subtests: inlineCidrSubtests('default'),
  },
  {
    names: { v1alpha2: 'CNPBaselineTierEgressNamedPort', v1alpha1: 'BaselineAdminNetworkPolicyEgressNamedPort' },
    file: 'baseline-admin-network-policy-experimental-egress-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-egress-udp-rules.yaml', v1alpha1: 'baseline_admin_network_policy/standard-egress-udp-rules.yaml' },
    objects: [baselineEgressUdp],
    subtests: [
      subtest("Should support an 'allow-egress' policy for named port",
        after(useNamedPort('default', 'egress', 3, 'dns'), allowed(CD0, HP1, 'UDP', 53), denied(CD1, HP1, 'UDP', 5353))),
    ],
  },
  {
    names: { v1alpha2: 'CNPBaselineTierIngressNamedPort', v1alpha1: 'BaselineAdminNetworkPolicyIngressNamedPort' },
    file: 'baseline-admin-network-policy-experimental-ingress-rules.go',
    manifests: { v1alpha2: 'baseline_tier/standard-ingress-tcp-rules.yaml', v1alpha1: 'baseline_admin_network_policy/standard-ingress-tcp-rules.yaml' },
    objects: [baselineIngressTcp],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for named port",
        after(useNamedPort('default', 'ingress', 3, 'web'), allowed(CD0, HP1, 'TCP', 80), denied(CD1, HP1, 'TCP', 8080))),
    ],
  },
];

// --- v1alpha1 translation -------------------------------------------------------------------------

/**
 * The v1alpha1 object a v1alpha2 ClusterNetworkPolicy of the suite corresponds to: an Admin tier
 * policy becomes an AdminNetworkPolicy with the same priority, the Baseline tier policy the
 * BaselineAdminNetworkPolicy (a singleton named `default`, without priority); `Accept` becomes
 * `Allow` and `protocols` become `ports` (portNumber, portRange or namedPort). Other objects are
 * returned as they are.
 */
export function toV1alpha1(object: KubeObject): KubeObject {
  if (object.kind !== 'ClusterNetworkPolicy') return object;
  const { tier, priority, subject, ingress: ingressRules, egress: egressRules } = object.spec as Json;
  const name = (object.metadata as Json).name as string;
  const rules = (list: unknown) => (list as Json[] | undefined)?.map(translateRule);
  const directions = {
    ...(ingressRules ? { ingress: rules(ingressRules) } : {}),
    ...(egressRules ? { egress: rules(egressRules) } : {}),
  };
  if (tier === 'Admin') {
    return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, subject, ...directions } };
  }
  if (name !== 'default') throw new Error(`v1alpha1 has one baseline policy, named default; cannot translate ${name}`);
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name }, spec: { subject, ...directions } };
}

function translateRule(r: Json): Json {
  const { protocols, action, ...rest } = r;
  return {
    ...rest,
    action: action === 'Accept' ? 'Allow' : action,
    ...(protocols ? { ports: (protocols as Json[]).map(translateProtocol) } : {}),
  };
}

function translateProtocol(p: Json): Json {
  if (typeof p.destinationNamedPort === 'string') return { namedPort: p.destinationNamedPort };
  const [key, value] = Object.entries(p)[0] as [string, Json];
  const protocol = key.toUpperCase();
  const port = value.destinationPort as { number?: number; range?: { start: number; end: number } } | undefined;
  if (port?.number !== undefined) return { portNumber: { protocol, port: port.number } };
  if (port?.range) return { portRange: { protocol, start: port.range.start, end: port.range.end } };
  throw new Error(`v1alpha1 has no way to say every ${protocol} port`);
}

// --- Expansion into cases -------------------------------------------------------------------------

function expand(test: UpstreamTest): ClusterConformanceCase[] {
  // Run the subtests in order per IP family, carrying the policy changes along.
  const families = test.families ?? ['IPv4'];
  const perFamily = families.map((family) => {
    let objects = test.objects;
    return test.subtests.map((s) => s.steps.map((spec) => {
      if (spec.change) objects = spec.change(objects, family);
      return { spec, objects, family };
    }));
  });
  return API_VERSIONS.flatMap((api) => test.subtests.map((s, i): ClusterConformanceCase => ({
    api,
    test: test.names[api],
    title: typeof s.title === 'string' ? s.title : s.title[api],
    source: `conformance/tests/${test.file} with conformance/base/${test.manifests[api]}`,
    steps: perFamily.flatMap((subtests) => subtests[i])
      .filter(({ spec }) => api === 'v1alpha2' || !spec.v1alpha2Only)
      .map(({ spec, objects, family }) => ({
        policies: api === 'v1alpha2' ? objects : objects.map(toV1alpha1),
        tweaks: { family, ...(spec.namespaceLabels ? { namespaceLabels: spec.namespaceLabels } : {}) },
        probes: spec.probes,
      })),
  })));
}

export const CASES: readonly ClusterConformanceCase[] = UPSTREAM_TESTS.flatMap(expand);

/** Upstream tests (ShortNames per version) ported, for the report in the test's count assertion. */
export const UPSTREAM_TEST_NAMES: readonly string[] = UPSTREAM_TESTS.flatMap((t) => API_VERSIONS.map((v) => t.names[v]));

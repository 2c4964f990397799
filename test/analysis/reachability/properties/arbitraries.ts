import * as fc from 'fast-check';
import { Peer, PolicySpec, Port, RefCluster, RefPod, Rule, Selector } from './reference';
import { KubeObject } from '../../../../src/model/manifests';

/**
 * Small random clusters: up to three namespaces with up to three pods each, a handful of labels and
 * named ports (the `http` name maps to different numbers on different pods), and random policies
 * using every field of the API, absent and empty variants included.
 */

const NAMESPACES = ['n1', 'n2', 'n3'];
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
/** Numeric ports policies use; endPorts add up to 8 to them. */
export const POLICY_PORTS = [53, 80, 8080];

const labelValue = (key: string) => fc.constantFrom(...(key === 'app' ? ['web', 'db'] : key === 'tier' ? ['a', 'b'] : ['prod', 'dev']));

export const selector: fc.Arbitrary<Selector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('app', 'tier').chain((key) => labelValue(key).map((v) => ({ matchLabels: { [key]: v } }))),
  fc.record({
    key: fc.constantFrom('app', 'tier', 'env', 'kubernetes.io/metadata.name'),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: fc.subarray(['web', 'db', 'a', 'prod', 'n1', 'n2'], { minLength: 1, maxLength: 2 }),
  }).map(({ key, operator, values }) => ({
    matchExpressions: [operator === 'In' || operator === 'NotIn' ? { key, operator, values } : { key, operator }],
  })),
  fc.constantFrom('web', 'db').map((app) => ({ matchLabels: { app }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] })),
);

/** CIDRs that hit some, all or none of the pods (pods of namespace nK get 10.K-1.0.x). */
export const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '10.2.0.2/32', '0.0.0.0/0', 'fd00::/8'];

const ipBlock: fc.Arbitrary<{ cidr: string; except?: string[] }> = fc.record({
  cidr: fc.constantFrom<string>(...CIDRS),
  except: fc.option(fc.constantFrom<string[]>(['10.1.0.1/32'], ['10.2.0.0/16', '10.1.0.0/24']), { nil: undefined }),
}).map((b) => (b.except === undefined ? { cidr: b.cidr } : { cidr: b.cidr, except: b.except }));

const peer: fc.Arbitrary<Peer> = fc.oneof(
  selector.map((podSelector) => ({ podSelector })),
  selector.map((namespaceSelector) => ({ namespaceSelector })),
  fc.tuple(selector, selector).map(([podSelector, namespaceSelector]) => ({ podSelector, namespaceSelector })),
  ipBlock.map((b) => ({ ipBlock: b })),
);

const port: fc.Arbitrary<Port> = fc.oneof(
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS) }),
  fc.record({ port: fc.constantFrom(...POLICY_PORTS) }),
  fc.record({ port: fc.constantFrom(...POLICY_PORTS), protocol: fc.constantFrom(...PROTOCOLS) }),
  fc.record({ port: fc.constantFrom(...POLICY_PORTS), extra: fc.integer({ min: 0, max: 8 }) })
    .map((p) => ({ port: p.port, endPort: p.port + p.extra })),
  // Named ports get extra weight: their per-destination resolution is the subtle part.
  {
    weight: 3,
    arbitrary: fc.record({ port: fc.constantFrom('http', 'dns'), protocol: fc.option(fc.constantFrom(...PROTOCOLS), { nil: undefined }) })
      .map((p): Port => (p.protocol === undefined ? { port: p.port } : p)),
  },
);

/** A list field that may be absent, empty or hold one or two items. */
const optionalList = <T>(item: fc.Arbitrary<T>): fc.Arbitrary<T[] | undefined> =>
  fc.oneof(fc.constant(undefined), fc.constant<T[]>([]), fc.array(item, { minLength: 1, maxLength: 2 }));

const rule = (peersField: 'from' | 'to'): fc.Arbitrary<Rule> =>
  fc.record({ peers: optionalList(peer), ports: optionalList(port) }).map(({ peers, ports }) => ({
    ...(peers === undefined ? {} : { [peersField]: peers }),
    ...(ports === undefined ? {} : { ports }),
  }));

export const policySpec: fc.Arbitrary<PolicySpec> = fc.record({
  podSelector: selector,
  policyTypes: fc.constantFrom<string[] | undefined>(undefined, [], ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: optionalList(rule('from')),
  egress: optionalList(rule('to')),
}).map((s) => {
  const spec: PolicySpec = { podSelector: s.podSelector };
  if (s.policyTypes !== undefined) spec.policyTypes = s.policyTypes;
  if (s.ingress !== undefined) spec.ingress = s.ingress;
  if (s.egress !== undefined) spec.egress = s.egress;
  return spec;
});

const podLabels = fc.record({ app: fc.option(labelValue('app'), { nil: undefined }), tier: fc.option(labelValue('tier'), { nil: undefined }) })
  .map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) as Record<string, string>);

const podPorts = fc.record({ http: fc.constantFrom(8080, 8081, 8085), dns: fc.boolean() }).map(({ http, dns }) => [
  { name: 'http', containerPort: http, protocol: 'TCP' },
  ...(dns ? [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] : []),
]);

/** Most pods have an IP; some (like workload templates) do not. */
const mostlyTrue = fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, fc.constant(false));

/** A cluster without policies; `withPolicies` adds them. */
export const cluster: fc.Arbitrary<RefCluster> = fc.record({
  namespaceCount: fc.integer({ min: 1, max: 3 }),
  envs: fc.array(fc.option(labelValue('env'), { nil: undefined }), { minLength: 3, maxLength: 3 }),
  pods: fc.array(fc.record({ labels: podLabels, ports: podPorts, hasIp: mostlyTrue }), { minLength: 0, maxLength: 9 }),
}).map(({ namespaceCount, envs, pods }) => {
  const namespaces: Record<string, Record<string, string>> = {};
  NAMESPACES.slice(0, namespaceCount).forEach((ns, i) => {
    namespaces[ns] = envs[i] === undefined ? {} : { env: envs[i] as string };
  });
  const refPods: RefPod[] = pods.map((p, i) => {
    const nsIndex = i % namespaceCount;
    return {
      namespace: NAMESPACES[nsIndex],
      name: `p${i}`,
      labels: p.labels,
      ports: p.ports,
      ...(p.hasIp ? { ip: `10.${nsIndex}.0.${i + 1}` } : {}),
    };
  });
  return { namespaces, pods: refPods, policies: [] };
});

export const policies = (count: { min: number; max: number }) =>
  fc.array(fc.record({ namespace: fc.constantFrom(...NAMESPACES), spec: policySpec }), { minLength: count.min, maxLength: count.max });

/** Adds policies to a cluster (only in its namespaces), naming them uniquely. */
export function withPolicies(c: RefCluster, specs: ReadonlyArray<{ namespace: string; spec: PolicySpec }>, prefix = 'pol'): RefCluster {
  const inCluster = specs.filter((s) => s.namespace in c.namespaces);
  return { ...c, policies: [...c.policies, ...inCluster.map((s, i) => ({ namespace: s.namespace, name: `${prefix}-${i}`, spec: s.spec }))] };
}

export function toObjects(c: RefCluster): KubeObject[] {
  return [
    ...Object.entries(c.namespaces).map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })),
    ...c.pods.map((p) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
      spec: { containers: [{ name: 'c', ports: p.ports }] },
      status: p.ip === undefined ? { phase: 'Running' } : { phase: 'Running', podIP: p.ip },
    })),
    ...c.policies.map((p) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec: p.spec })),
  ];
}

/** Ports worth probing: every boundary the policies and pods can create, and both ends of the range. */
export const PROBE_PORTS: ReadonlyArray<readonly [string, number]> = PROTOCOLS.flatMap((protocol) =>
  [1, 52, 53, 54, 79, 80, 81, 88, 89, 8079, 8080, 8081, 8084, 8085, 8086, 8088, 8089, 65535].map((p) => [protocol, p] as const));

/** The pods the model reasons about, in reference form: real pods plus placeholders of empty namespaces. */
export function referencePods(c: RefCluster): Map<string, RefPod> {
  const pods = new Map(c.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  for (const ns of Object.keys(c.namespaces)) {
    if (!c.pods.some((p) => p.namespace === ns)) pods.set(`${ns}/*`, { namespace: ns, name: '*', labels: {}, ports: [] });
  }
  return pods;
}

import { candidateIps, inBlock, namespaceLabels, networkPolicyDecision, PolicySpec, RefCluster, RefPod, Selector, selects } from './reference';
import { KubeObject } from '../../../../src/model/manifests';

/**
 * A deliberately naive evaluator of the tiered policies of kubernetes-sigs/network-policy-api
 * (v1alpha2 ClusterNetworkPolicy, v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy) on
 * top of the naive NetworkPolicy evaluator, written from the API reference (the type comments of
 * apis/v1alpha2/clusternetworkpolicy_types.go and apis/v1alpha1/*.go, and site-src/api-overview.md),
 * one connection at a time. It reads the policy objects as given, in their own API shapes.
 *
 * Per direction (egress of the source, ingress of the destination):
 * 1. Admin tier: Admin ClusterNetworkPolicies and AdminNetworkPolicies by ascending priority (equal
 *    priorities are undefined upstream; they keep their input order here), and in each policy that
 *    selects the pod its rules in order. The first rule whose peers match the other pod and whose
 *    ports match decides: Accept/Allow or Deny ends the evaluation, Pass ends the tier.
 * 2. NetworkPolicy tier: if NetworkPolicies isolate the pod in this direction, they decide.
 * 3. Baseline tier: Baseline ClusterNetworkPolicies by priority, then the BaselineAdminNetworkPolicy
 *    named `default` (the only one the API admits), first matching rule as above; a Pass ends it.
 * 4. Otherwise allowed.
 * The connection needs both directions. A pod connecting to itself is judged like any other pair,
 * as the model does by default (selfTraffic 'policy'): a workload's self-pair stands for traffic
 * between its replicas, which the tiers do govern. (Upstream exempts hairpin traffic, a pod to its
 * own IP, from cluster policies; the model's selfTraffic 'allow' is that reading.)
 *
 * Peers: `namespaces` (every pod of matching namespaces), `pods` (namespace and pod selector),
 * egress `networks` (CIDRs matched against the pod's address: its IP, or each address an IP-less pod may have). The
 * experimental `nodes` and `domainNames` peers never match a pod. Ports: absent means every port;
 * v1alpha2 `protocols` entries name a protocol with an optional `destinationPort` (a number or an
 * inclusive range) or a `destinationNamedPort`; v1alpha1 `ports` entries are `portNumber`,
 * `portRange` (protocol defaults to TCP) or `namedPort`. Named ports are resolved on the
 * connection's destination pod, by name, protocol and number.
 */

/** A cluster with tiered policies: the objects as they are passed to the model. */
export interface RefTieredCluster extends RefCluster {
  readonly clusterPolicies: readonly KubeObject[];
}

type Json = Record<string, any>;
type Direction = 'ingress' | 'egress';

export interface DirectionOutcome {
  readonly allowed: boolean;
  /** Which tier decided and how, e.g. `Admin tier: egress-tcp egress[5] (Accept)` or `NetworkPolicy tier`. */
  readonly decidedBy: string;
}

export interface TieredVerdict {
  readonly allowed: boolean;
  readonly egress: DirectionOutcome;
  readonly ingress: DirectionOutcome;
}

const V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2';
const V1ALPHA1 = 'policy.networking.k8s.io/v1alpha1';

const isCnp = (o: KubeObject, tier: string) => o.apiVersion === V1ALPHA2 && o.kind === 'ClusterNetworkPolicy' && spec(o).tier === tier;
const isAnp = (o: KubeObject) => o.apiVersion === V1ALPHA1 && o.kind === 'AdminNetworkPolicy';
const isDefaultBanp = (o: KubeObject) => o.apiVersion === V1ALPHA1 && o.kind === 'BaselineAdminNetworkPolicy' && name(o) === 'default';
const spec = (o: KubeObject) => (o.spec ?? {}) as Json;
const name = (o: KubeObject) => (o.metadata as Json | undefined)?.name as string;
const byPriority = (a: KubeObject, b: KubeObject) => (spec(a).priority as number) - (spec(b).priority as number);

export function adminTier(c: RefTieredCluster): KubeObject[] {
  return c.clusterPolicies.filter((o) => isCnp(o, 'Admin') || isAnp(o)).sort(byPriority);
}

export function baselineTier(c: RefTieredCluster): KubeObject[] {
  return [...c.clusterPolicies.filter((o) => isCnp(o, 'Baseline')).sort(byPriority), ...c.clusterPolicies.filter(isDefaultBanp)];
}

/** Subjects and the namespaces/pods peers share one shape. */
function selectsPod(c: RefCluster, target: Json, pod: RefPod): boolean {
  if (target.namespaces) return selects(target.namespaces as Selector, namespaceLabels(c, pod.namespace));
  if (target.pods) {
    const { namespaceSelector, podSelector } = target.pods as { namespaceSelector: Selector; podSelector: Selector };
    return selects(namespaceSelector, namespaceLabels(c, pod.namespace)) && selects(podSelector, pod.labels);
  }
  return false;
}

function peerMatches(c: RefCluster, peer: Json, other: RefPod): boolean {
  if (peer.networks) return (peer.networks as string[]).some((cidr) => inBlock(other.ip, { cidr }));
  return selectsPod(c, peer, other);
}

function namedPortMatches(dst: RefPod, portName: string, port: number, protocol: string): boolean {
  return dst.ports.some((p) => p.name === portName && p.containerPort === port && p.protocol === protocol);
}

function v1alpha2PortsMatch(protocols: Json[] | undefined, dst: RefPod, port: number, protocol: string): boolean {
  if (!protocols || protocols.length === 0) return true;
  return protocols.some((entry) => {
    if (entry.destinationNamedPort !== undefined) return namedPortMatches(dst, entry.destinationNamedPort, port, protocol);
    const match = entry[protocol.toLowerCase()] as Json | undefined;
    if (!match) return false;
    const destination = match.destinationPort as Json | undefined;
    if (!destination) return true;
    if (destination.range) return port >= destination.range.start && port <= destination.range.end;
    return port === destination.number;
  });
}

function v1alpha1PortsMatch(ports: Json[] | undefined, dst: RefPod, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((entry) => {
    if (entry.namedPort !== undefined) return namedPortMatches(dst, entry.namedPort, port, protocol);
    if (entry.portNumber) return (entry.portNumber.protocol ?? 'TCP') === protocol && entry.portNumber.port === port;
    if (entry.portRange) {
      return (entry.portRange.protocol ?? 'TCP') === protocol && port >= entry.portRange.start && port <= entry.portRange.end;
    }
    return false;
  });
}

interface TierMatch {
  readonly action: 'Allow' | 'Deny' | 'Pass';
  readonly rule: string;
}

/** One direction of a connection: `subject` is the pod whose policies apply, `dst` the connection's destination. */
interface Side {
  readonly direction: Direction;
  readonly subject: RefPod;
  readonly other: RefPod;
  readonly dst: RefPod;
  readonly port: number;
  readonly protocol: string;
}

/** The first rule of the tier that matches, or undefined when none does. */
function tierMatch(c: RefTieredCluster, tier: readonly KubeObject[], side: Side): TierMatch | undefined {
  const { direction, subject, other, dst, port, protocol } = side;
  for (const policy of tier) {
    const s = spec(policy);
    if (!selectsPod(c, s.subject, subject)) continue;
    const rules = (s[direction] ?? []) as Json[];
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      const peers = (direction === 'egress' ? r.to : r.from) as Json[];
      const portsOk = policy.apiVersion === V1ALPHA2
        ? v1alpha2PortsMatch(r.protocols, dst, port, protocol)
        : v1alpha1PortsMatch(r.ports, dst, port, protocol);
      if (peers.some((peer) => peerMatches(c, peer, other)) && portsOk) {
        return { action: r.action === 'Accept' ? 'Allow' : r.action, rule: `${name(policy)} ${direction}[${i}] (${r.action})` };
      }
    }
  }
  return undefined;
}

function decideDirection(c: RefTieredCluster, side: Side): DirectionOutcome {
  const { direction: dir, subject, other, dst, port, protocol } = side;
  const networkPolicies = () => networkPolicyDecision(c, dir === 'egress' ? 'Egress' : 'Ingress', subject, other, dst, port, protocol);
  const admin = tierMatch(c, adminTier(c), side);
  if (admin && admin.action !== 'Pass') return { allowed: admin.action === 'Allow', decidedBy: `Admin tier: ${admin.rule}` };
  const np = networkPolicies();
  const passed = admin ? `Admin tier passes (${admin.rule}); ` : '';
  if (np !== undefined) return { allowed: np, decidedBy: `${passed}NetworkPolicy tier` };
  const baseline = tierMatch(c, baselineTier(c), side);
  if (baseline && baseline.action !== 'Pass') return { allowed: baseline.action === 'Allow', decidedBy: `${passed}Baseline tier: ${baseline.rule}` };
  return { allowed: true, decidedBy: `${passed}${baseline ? `Baseline tier passes (${baseline.rule}); ` : ''}no policy decides` };
}

/**
 * The verdict for some pod of `from` to some pod of `to`: each direction depends only on the other
 * end's address, so it is searched over that end's possible addresses (an allowing one first).
 */
export function tieredReferenceVerdict(c: RefTieredCluster, from: RefPod, to: RefPod, port: number, protocol: string): TieredVerdict {
  const search = (outcomes: DirectionOutcome[]) => outcomes.find((o) => o.allowed) ?? outcomes[0];
  const egress = search(candidateIps(to).map((ip) => decideDirection(c, { direction: 'egress', subject: from, other: { ...to, ip }, dst: to, port, protocol })));
  const ingress = search(candidateIps(from).map((ip) => decideDirection(c, { direction: 'ingress', subject: to, other: { ...from, ip }, dst: to, port, protocol })));
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

export function tieredReferenceAllows(c: RefTieredCluster, from: RefPod, to: RefPod, port: number, protocol: string): boolean {
  return tieredReferenceVerdict(c, from, to, port, protocol).allowed;
}

/** `egress: allowed by Admin tier: ...; ingress: denied by NetworkPolicy tier`, for failure messages. */
export function describeVerdict(v: TieredVerdict): string {
  const side = (label: string, o: DirectionOutcome) => `${label} ${o.allowed ? 'allowed' : 'denied'} (${o.decidedBy})`;
  return `${side('egress', v.egress)}; ${side('ingress', v.ingress)}`;
}

/**
 * The reference form of plain cluster objects: Namespaces, running Pods (first IP, container
 * ports), NetworkPolicies, and the tiered policies kept as objects. Pods are keyed `namespace/name`.
 */
export function referenceCluster(objects: readonly KubeObject[]): { cluster: RefTieredCluster; pods: Map<string, RefPod> } {
  const namespaces: Record<string, Record<string, string>> = {};
  const pods = new Map<string, RefPod>();
  const policies: Array<{ namespace: string; name: string; spec: PolicySpec }> = [];
  const clusterPolicies: KubeObject[] = [];
  for (const o of objects) {
    const meta = (o.metadata ?? {}) as Json;
    if (o.kind === 'Namespace') namespaces[meta.name] = { ...(meta.labels ?? {}) };
    if (o.kind === 'Pod') {
      const status = (o.status ?? {}) as Json;
      pods.set(`${meta.namespace}/${meta.name}`, {
        namespace: meta.namespace,
        name: meta.name,
        labels: meta.labels ?? {},
        ...(status.podIP ? { ip: status.podIP as string } : {}),
        ports: ((spec(o).containers ?? []) as Json[]).flatMap((container) =>
          ((container.ports ?? []) as Json[]).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' }))),
      });
    }
    if (o.kind === 'NetworkPolicy') policies.push({ namespace: meta.namespace, name: meta.name, spec: o.spec as PolicySpec });
    if (o.apiVersion === V1ALPHA2 || o.apiVersion === V1ALPHA1) clusterPolicies.push(o);
  }
  return { cluster: { namespaces, pods: [...pods.values()], policies, clusterPolicies }, pods };
}

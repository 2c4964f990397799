import * as ipaddr from 'ipaddr.js';

/**
 * A deliberately naive NetworkPolicy evaluator written straight from the API reference, used as an
 * oracle for the indexed model: no precomputation, no port sets, just one connection at a time.
 */

export interface RefPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ip?: string;
  readonly ports: ReadonlyArray<{ name?: string; containerPort: number; protocol: string }>;
}

export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface Port {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}

export interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Port[];
}

export interface PolicySpec {
  podSelector: Selector;
  policyTypes?: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

export interface RefCluster {
  readonly namespaces: Record<string, Record<string, string>>; // name -> labels (without the implied one)
  readonly pods: readonly RefPod[];
  readonly policies: ReadonlyArray<{ namespace: string; name: string; spec: PolicySpec }>;
}

export function selects(selector: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const present = Object.keys(labels).includes(e.key);
    const value = labels[e.key];
    if (e.operator === 'In' && !(present && (e.values ?? []).includes(value))) return false;
    if (e.operator === 'NotIn' && present && (e.values ?? []).includes(value)) return false;
    if (e.operator === 'Exists' && !present) return false;
    if (e.operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

export function namespaceLabels(c: RefCluster, ns: string): Record<string, string> {
  return { ...(c.namespaces[ns] ?? {}), 'kubernetes.io/metadata.name': ns };
}

/**
 * The addresses a pod without status.podIP may have, one per piece of the assumed pod range (the
 * private ranges) that the arbitraries' CIDRs and excepts cut apart: every boundary of those blocks
 * inside the range, and the start of each range. Written out by hand, not computed, so that the
 * reference does not share the model's partitioning.
 */
export const POD_RANGE_CANDIDATES: readonly string[] = [
  '10.0.0.0', '10.1.0.0', '10.1.0.1', '10.1.0.2', '10.1.1.0', '10.2.0.0', '10.2.0.2', '10.2.0.3', '10.3.0.0',
  '100.64.0.0', '172.16.0.0', '192.168.0.0', 'fc00::', 'fd00::',
];

/** The addresses a pod may have: its IP, or any of the pod range's. */
export function candidateIps(pod: RefPod): readonly string[] {
  return pod.ip === undefined ? POD_RANGE_CANDIDATES : [pod.ip];
}

/** How the plugin treats ipBlocks: whether they match the cluster's own pod addresses (Calico: yes, Cilium: no). */
export interface RefOptions {
  readonly ipBlocksMatchPods: boolean;
}

export const CALICO: RefOptions = { ipBlocksMatchPods: true };

export function inBlock(ip: string | undefined, block: { cidr: string; except?: string[] }): boolean {
  if (ip === undefined) return false;
  const addr = ipaddr.parse(ip);
  const within = (cidr: string) => {
    const range = ipaddr.parseCIDR(cidr);
    return range[0].kind() === addr.kind() && addr.match(range);
  };
  return within(block.cidr) && !(block.except ?? []).some(within);
}

function peerMatches(c: RefCluster, policyNs: string, peer: Peer, other: RefPod, options: RefOptions): boolean {
  if (peer.ipBlock) return options.ipBlocksMatchPods && inBlock(other.ip, peer.ipBlock);
  if (peer.namespaceSelector && !selects(peer.namespaceSelector, namespaceLabels(c, other.namespace))) return false;
  if (!peer.namespaceSelector && other.namespace !== policyNs) return false;
  return !peer.podSelector || selects(peer.podSelector, other.labels);
}

function portMatches(ports: Port[] | undefined, port: number, protocol: string, dst: RefPod): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') {
      return dst.ports.some((c) => c.name === p.port && c.protocol === protocol && c.containerPort === port);
    }
    return port >= p.port && port <= (p.endPort ?? p.port);
  });
}

function types(spec: PolicySpec): string[] {
  if (spec.policyTypes && spec.policyTypes.length > 0) return spec.policyTypes;
  return spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/**
 * Do the NetworkPolicies allow `subject` in `direction` to/from `other`? Undefined when none
 * isolates it in that direction. `dst` is the connection's destination.
 */
export function networkPolicyDecision(
  c: RefCluster, direction: 'Ingress' | 'Egress', subject: RefPod, other: RefPod, dst: RefPod, port: number, protocol: string, options: RefOptions = CALICO,
): boolean | undefined {
  const applicable = c.policies.filter((p) =>
    p.namespace === subject.namespace && selects(p.spec.podSelector ?? {}, subject.labels) && types(p.spec).includes(direction));
  if (applicable.length === 0) return undefined;
  return applicable.some((p) => ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule) => {
    const peers = direction === 'Ingress' ? rule.from : rule.to;
    const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(c, p.namespace, peer, other, options));
    return peerOk && portMatches(rule.ports, port, protocol, dst);
  }));
}

/**
 * Whether some pod that `from` stands for may connect to some pod `to` stands for. Each direction
 * depends only on the other end's address, so "some address of each" splits into one search per
 * direction: egress over the destination's addresses, ingress over the source's.
 */
export function referenceAllows(c: RefCluster, from: RefPod, to: RefPod, port: number, protocol: string, options: RefOptions = CALICO): boolean {
  return candidateIps(to).some((ip) => networkPolicyDecision(c, 'Egress', from, { ...to, ip }, to, port, protocol, options) ?? true)
    && candidateIps(from).some((ip) => networkPolicyDecision(c, 'Ingress', to, { ...from, ip }, to, port, protocol, options) ?? true);
}

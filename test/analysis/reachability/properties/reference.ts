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

export function inBlock(ip: string | undefined, block: { cidr: string; except?: string[] }): boolean {
  if (ip === undefined) return false;
  const addr = ipaddr.parse(ip);
  const within = (cidr: string) => {
    const range = ipaddr.parseCIDR(cidr);
    return range[0].kind() === addr.kind() && addr.match(range);
  };
  return within(block.cidr) && !(block.except ?? []).some(within);
}

function peerMatches(c: RefCluster, policyNs: string, peer: Peer, other: RefPod): boolean {
  if (peer.ipBlock) return inBlock(other.ip, peer.ipBlock);
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
export function networkPolicyDecision(c: RefCluster, direction: 'Ingress' | 'Egress', subject: RefPod, other: RefPod, dst: RefPod, port: number, protocol: string): boolean | undefined {
  const applicable = c.policies.filter((p) =>
    p.namespace === subject.namespace && selects(p.spec.podSelector ?? {}, subject.labels) && types(p.spec).includes(direction));
  if (applicable.length === 0) return undefined;
  return applicable.some((p) => ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule) => {
    const peers = direction === 'Ingress' ? rule.from : rule.to;
    const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(c, p.namespace, peer, other));
    return peerOk && portMatches(rule.ports, port, protocol, dst);
  }));
}

export function referenceAllows(c: RefCluster, from: RefPod, to: RefPod, port: number, protocol: string): boolean {
  return (networkPolicyDecision(c, 'Egress', from, to, to, port, protocol) ?? true)
    && (networkPolicyDecision(c, 'Ingress', to, from, to, port, protocol) ?? true);
}

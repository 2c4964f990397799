// A small, independent reading of the cluster network policies the guardrails write, for the
// tests: which rule of which tier decides a connection, in each direction. It follows the
// network-policy-api evaluation (lower priority first, rules in order, the first match decides) for
// the shapes the guardrails write; it is written apart from the library's analysis on purpose.
import { K8sObject } from '../helpers';

/** A pod of a namespace, or an address outside the cluster's pods. */
export type Endpoint = { readonly namespace: string; readonly podLabels?: Record<string, string> } | { readonly address: string };

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly port?: number;
}

export interface Decision {
  readonly action: 'Accept' | 'Deny' | 'Pass';
  readonly policy: string;
  readonly rule: string;
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
  const s = selector ?? {};
  return Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v)
    && (s.matchExpressions ?? []).every(e => {
      const has = Object.prototype.hasOwnProperty.call(labels, e.key);
      switch (e.operator) {
        case 'In': return has && (e.values ?? []).includes(labels[e.key]);
        case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
        case 'Exists': return has;
        case 'DoesNotExist': return !has;
        default: throw new Error(`unknown operator ${e.operator}`);
      }
    });
}

function ipv4(text: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? m.slice(1).reduce((n, o) => n * 256 + Number(o), 0) : undefined;
}

/** IPv4 containment; an IPv6 block holds only the same text or everything (::/0). */
function inCidr(address: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const a = ipv4(address);
  const n = ipv4(net);
  if (a === undefined || n === undefined) return address.includes(':') && (cidr === '::/0' || `${address}/128` === cidr);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(n / size);
}

export class TierVerdicts {
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly policies: K8sObject[];

  constructor(objects: readonly K8sObject[]) {
    for (const ns of objects.filter(o => o.kind === 'Namespace')) {
      this.namespaceLabels.set(ns.metadata.name, { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name });
    }
    this.policies = objects.filter(o => o.apiVersion.startsWith('policy.networking.k8s.io/'));
  }

  /**
   * The rule that decides the connection in one tier, on the side of `direction` (egress: the
   * sender's policies; ingress: the receiver's), or undefined when no rule matches.
   */
  public decide(tier: 'Admin' | 'Baseline', direction: 'ingress' | 'egress', c: Connection): Decision | undefined {
    const subject = direction === 'egress' ? c.from : c.to;
    const peer = direction === 'egress' ? c.to : c.from;
    if ('address' in subject) return undefined;
    const applicable = this.policies
      .filter(p => tierOf(p) === tier && this.selectsPod(p.spec.subject, subject))
      .sort((a, b) => (a.spec.priority ?? 0) - (b.spec.priority ?? 0));
    let decided: (Decision & { priority: number }) | undefined;
    for (const p of applicable) {
      if (decided && decided.priority < (p.spec.priority ?? 0)) break;
      for (const rule of p.spec[direction] ?? []) {
        const peers = direction === 'egress' ? rule.to : rule.from;
        if (!peers.some((x: any) => this.peerMatches(x, peer)) || !portMatches(rule, c)) continue;
        if (decided) throw new Error(`${decided.policy} and ${p.metadata.name} share priority ${p.spec.priority} and both decide the connection`);
        decided = { action: rule.action === 'Allow' ? 'Accept' : rule.action, policy: p.metadata.name, rule: rule.name, priority: p.spec.priority ?? 0 };
        break;
      }
    }
    return decided && { action: decided.action, policy: decided.policy, rule: decided.rule };
  }

  /** The Admin tier's decision on both sides of a connection. */
  public admin(c: Connection): { egress?: string; ingress?: string } {
    return { egress: this.decide('Admin', 'egress', c)?.action, ingress: this.decide('Admin', 'ingress', c)?.action };
  }

  private labelsOf(namespace: string): Record<string, string> {
    return this.namespaceLabels.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace };
  }

  private selectsPod(subject: any, pod: { namespace: string; podLabels?: Record<string, string> }): boolean {
    if (subject.namespaces) return selects(subject.namespaces, this.labelsOf(pod.namespace));
    return selects(subject.pods.namespaceSelector, this.labelsOf(pod.namespace)) && selects(subject.pods.podSelector, pod.podLabels ?? {});
  }

  private peerMatches(peer: any, endpoint: Endpoint): boolean {
    if (peer.networks) return (peer.networks as string[]).some(cidr => ('address' in endpoint ? inCidr(endpoint.address, cidr) : cidr === '0.0.0.0/0'));
    if ('address' in endpoint) return false;
    return this.selectsPod(peer, endpoint);
  }
}

function tierOf(policy: K8sObject): string {
  if (policy.kind === 'ClusterNetworkPolicy') return policy.spec.tier;
  return policy.kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline';
}

function portMatches(rule: any, c: Connection): boolean {
  if (rule.protocols) {
    return rule.protocols.some((p: any) => Object.entries(p).some(([protocol, match]: [string, any]) =>
      protocol.toUpperCase() === c.protocol && match.destinationPort.number === c.port));
  }
  if (rule.ports) return rule.ports.some((p: any) => p.portNumber && p.portNumber.protocol === c.protocol && p.portNumber.port === c.port);
  return true;
}

import { Inventory, NamespaceInfo, PodInfo } from './cluster';
import { ClusterPeer, ClusterPolicyInfo, ClusterPolicyRule } from '../../model/cluster-policy';
import { indexByLabel, LabelSelector } from '../../model/labels';
import { NetworkPolicyInfo, PolicyPeer, PolicyRule } from '../../model/network-policy';

/**
 * Membership of pods (by PodInfo.index) in a rule's peers; `undefined` stands for "every pod",
 * which lets the hot loops skip the look-up.
 */
export type PodMembership = Uint8Array | undefined;

/**
 * Evaluates label selectors once, up front: which pods each policy selects and which pods each
 * rule's peers match. Identical selectors and peers (the same DNS or ingress-controller peer
 * repeated in every tenant namespace) are computed once and share their membership arrays.
 */
export class PeerResolver {
  private readonly namespaceMatches = new Map<string, readonly NamespaceInfo[]>();
  private readonly peerMembers = new Map<string, Uint8Array>();
  private readonly ruleMembers = new Map<string, PodMembership>();
  private readonly namespaceByName: ReadonlyMap<string, NamespaceInfo>;
  /** The namespaces of the cluster: the internet node is in none, so no selector selects it. */
  private readonly clusterNamespaces: readonly NamespaceInfo[];
  private namespacesByLabel?: Map<string, NamespaceInfo[]>;

  constructor(private readonly inventory: Inventory) {
    this.clusterNamespaces = inventory.namespaces.filter((n) => n.external !== true);
    this.namespaceByName = new Map(this.clusterNamespaces.map((n) => [n.name, n]));
  }

  /** Pods of the policy's own namespace that its spec.podSelector selects. */
  selectedPods(policy: NetworkPolicyInfo): PodInfo[] {
    const pods = this.namespaceByName.get(policy.namespace)?.pods ?? [];
    return pods.filter((p) => policy.podSelector.matches(p.labels));
  }

  /** The pods a rule's `from`/`to` peers match (undefined: every pod). */
  ruleMembership(rule: PolicyRule): PodMembership {
    if (rule.peers === undefined) return undefined;
    const keys = rule.peers.map((p) => peerKey(p, rule.policy.namespace));
    const key = [...new Set(keys)].sort().join(' || ');
    if (!this.ruleMembers.has(key)) {
      this.ruleMembers.set(key, this.unionOf(rule.peers.map((p, i) => this.peerMembership(p, rule.policy.namespace, keys[i]))));
    }
    return this.ruleMembers.get(key);
  }

  /** Pods a cluster policy's subject selects: never pods on the host network. */
  clusterSubjectPods(policy: ClusterPolicyInfo): PodInfo[] {
    const { namespaceSelector, podSelector } = policy.subject;
    return this.namespacesMatching(namespaceSelector)
      .flatMap((ns) => ns.pods)
      .filter((p) => p.hostNetwork !== true && (podSelector === undefined || podSelector.matches(p.labels)));
  }

  /** The pods a cluster policy rule's peers match (undefined: every pod). */
  clusterRuleMembership(rule: ClusterPolicyRule): PodMembership {
    if (rule.failClosed === 'denies-everything') return undefined;
    if (rule.failClosed === 'matches-nothing') return new Uint8Array(this.inventory.pods.length);
    const keys = rule.peers.map(clusterPeerKey);
    const key = `cluster ${[...new Set(keys)].sort().join(' || ')}`;
    if (!this.ruleMembers.has(key)) {
      this.ruleMembers.set(key, this.unionOf(rule.peers.map((p, i) => this.clusterPeerMembership(p, keys[i]))));
    }
    return this.ruleMembers.get(key);
  }

  private clusterPeerMembership(peer: ClusterPeer, key: string): Uint8Array {
    const cached = this.peerMembers.get(key);
    if (cached) return cached;
    const members = new Uint8Array(this.inventory.pods.length);
    if (peer.kind === 'networks') {
      // Matched against pod IPs, host-network pods and the internet node included; pods without an IP never match.
      this.inventory.podIps.forEach((ips, i) => {
        if (ips.some((ip) => peer.networks.some((n) => n.contains(ip)))) members[i] = 1;
      });
    } else if (peer.kind === 'pods') {
      for (const ns of this.namespacesMatching(peer.namespaceSelector)) {
        for (const pod of ns.pods) {
          if (pod.hostNetwork !== true && (peer.podSelector === undefined || peer.podSelector.matches(pod.labels))) members[pod.index] = 1;
        }
      }
    } // An unevaluated peer (nodes, domainNames) matches no pod.
    this.peerMembers.set(key, members);
    return members;
  }

  private unionOf(sets: readonly Uint8Array[]): PodMembership {
    const out = sets.length === 1 ? sets[0] : new Uint8Array(this.inventory.pods.length);
    if (sets.length > 1) {
      for (const s of sets) s.forEach((v, i) => { if (v) out[i] = 1; });
    }
    return out.every((v) => v === 1) ? undefined : out;
  }

  private peerMembership(peer: PolicyPeer, policyNamespace: string, key: string): Uint8Array {
    const cached = this.peerMembers.get(key);
    if (cached) return cached;
    const members = new Uint8Array(this.inventory.pods.length);
    if (peer.kind === 'ipBlock') {
      // Pods without an IP (workload templates, placeholders) never match an ipBlock; the internet node does by its addresses.
      this.inventory.podIps.forEach((ips, i) => {
        if (ips.some((ip) => peer.ipBlock.contains(ip))) members[i] = 1;
      });
    } else {
      const namespaces = peer.namespaceSelector === undefined
        ? [this.namespaceByName.get(policyNamespace)].filter((n): n is NamespaceInfo => n !== undefined)
        : this.namespacesMatching(peer.namespaceSelector);
      for (const ns of namespaces) {
        for (const pod of ns.pods) {
          if (peer.podSelector === undefined || peer.podSelector.matches(pod.labels)) members[pod.index] = 1;
        }
      }
    }
    this.peerMembers.set(key, members);
    return members;
  }

  private namespacesMatching(selector: LabelSelector): readonly NamespaceInfo[] {
    let found = this.namespaceMatches.get(selector.key);
    if (!found) {
      const { rest, excluded } = selector.splitNotIn();
      if (excluded.length === 0) {
        found = this.candidates(selector).filter((n) => selector.matches(n.labels));
      } else {
        // `tenant NotIn (a)` per tenant: the shared rest once, minus the namespaces labelled tenant=a.
        const drop = new Set(excluded.flatMap(([key, value]) => this.labelIndex().get(`${key}=${value}`) ?? []));
        found = this.namespacesMatching(rest).filter((n) => !drop.has(n));
      }
      this.namespaceMatches.set(selector.key, found);
    }
    return found;
  }

  /**
   * The namespaces that carry every `key=value` pair the selector requires, looked up in a label
   * index: a selector per tenant (`tenant=a`) would otherwise scan every namespace.
   */
  private candidates(selector: LabelSelector): readonly NamespaceInfo[] {
    let best: readonly NamespaceInfo[] = this.clusterNamespaces;
    for (const [key, value] of selector.requiredPairs) {
      const list = this.labelIndex().get(`${key}=${value}`) ?? [];
      if (list.length < best.length) best = list;
    }
    return best;
  }

  private labelIndex(): Map<string, NamespaceInfo[]> {
    return this.namespacesByLabel ??= indexByLabel(this.clusterNamespaces);
  }
}

/** Identifies what a cluster policy peer matches: equal keys match equal pod sets. */
function clusterPeerKey(peer: ClusterPeer): string {
  switch (peer.kind) {
    case 'networks':
      return `cluster networks ${peer.networks.map((n) => n.key).sort().join(',')}`;
    case 'pods':
      return `cluster ns {${peer.namespaceSelector.key}} ${peer.podSelector === undefined ? 'any pod' : `pod {${peer.podSelector.key}}`}`;
    case 'unevaluated':
      return 'cluster nothing';
  }
}

/** Identifies what a peer matches: equal keys match equal pod sets. */
function peerKey(peer: PolicyPeer, policyNamespace: string): string {
  if (peer.kind === 'ipBlock') return `ip ${peer.ipBlock.key}`;
  // Without a namespaceSelector the peer is confined to the policy's namespace.
  const ns = peer.namespaceSelector === undefined ? `in ${policyNamespace}` : `ns {${peer.namespaceSelector.key}}`;
  const pod = peer.podSelector === undefined ? 'any pod' : `pod {${peer.podSelector.key}}`;
  return `${ns} ${pod}`;
}

import { Inventory, NamespaceInfo, UnitInfo } from './cluster';
import { ClusterPeer, ClusterPolicyInfo, ClusterPolicyRule } from '../../model/cluster-policy';
import { IpBlock } from '../../model/ip-block';
import { indexByLabel, LabelSelector } from '../../model/labels';
import { NetworkPolicyInfo, PolicyPeer, PolicyRule } from '../../model/network-policy';

/**
 * Membership of units (by UnitInfo.index) in a rule's peers; `undefined` stands for "every unit",
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

  /**
   * @param ipBlocksMatchPods whether NetworkPolicy ipBlocks match the addresses of the cluster's own
   * pods and nodes (the plugin decides); they always match addresses outside the cluster
   */
  constructor(private readonly inventory: Inventory, private readonly ipBlocksMatchPods: boolean) {
    this.clusterNamespaces = inventory.namespaces.filter((n) => n.external !== true);
    this.namespaceByName = new Map(this.clusterNamespaces.map((n) => [n.name, n]));
  }

  /**
   * Units of the policy's own namespace that its spec.podSelector selects: never host-network pods,
   * which NetworkPolicies do not cover on most plugins (their traffic is the node's).
   */
  selectedUnits(policy: NetworkPolicyInfo): UnitInfo[] {
    const units = this.namespaceByName.get(policy.namespace)?.units ?? [];
    return units.filter((u) => u.hostNetwork !== true && policy.podSelector.matches(u.labels));
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

  /** Units a cluster policy's subject selects: never pods on the host network. */
  clusterSubjectUnits(policy: ClusterPolicyInfo): UnitInfo[] {
    const { namespaceSelector, podSelector } = policy.subject;
    return this.namespacesMatching(namespaceSelector)
      .flatMap((ns) => ns.units)
      .filter((p) => p.hostNetwork !== true && (podSelector === undefined || podSelector.matches(p.labels)));
  }

  /** The pods a cluster policy rule's peers match (undefined: every pod). */
  clusterRuleMembership(rule: ClusterPolicyRule): PodMembership {
    if (rule.failClosed === 'denies-everything') return undefined;
    if (rule.failClosed === 'matches-nothing') return new Uint8Array(this.inventory.units.length);
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
    const members = new Uint8Array(this.inventory.units.length);
    if (peer.kind === 'networks') {
      // Matched against every unit's addresses, host-network pods and outside nodes included.
      this.inventory.unitIps.forEach((ips, i) => {
        if (ips.some((ip) => peer.networks.some((n) => n.contains(ip)))) members[i] = 1;
      });
    } else if (peer.kind === 'pods') {
      for (const ns of this.namespacesMatching(peer.namespaceSelector)) {
        for (const unit of ns.units) {
          if (unit.hostNetwork !== true && (peer.podSelector === undefined || peer.podSelector.matches(unit.labels))) members[unit.index] = 1;
        }
      }
    } // An unevaluated peer (nodes, domainNames) matches no pod.
    this.peerMembers.set(key, members);
    return members;
  }

  private unionOf(sets: readonly Uint8Array[]): PodMembership {
    const out = sets.length === 1 ? sets[0] : new Uint8Array(this.inventory.units.length);
    if (sets.length > 1) {
      for (const s of sets) s.forEach((v, i) => { if (v) out[i] = 1; });
    }
    return out.every((v) => v === 1) ? undefined : out;
  }

  /** Whether some NetworkPolicy ipBlock of `policies` holds an address of a unit of the cluster (not an outside node). */
  ipBlocksReachCluster(policies: readonly NetworkPolicyInfo[]): boolean {
    const blocks = new Map<string, IpBlock>();
    for (const p of policies) {
      for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers ?? []) if (peer.kind === 'ipBlock') blocks.set(peer.ipBlock.key, peer.ipBlock);
    }
    const units = this.inventory.units;
    return [...blocks.values()].some((block) =>
      this.inventory.unitIps.some((ips, i) => units[i].external !== true && ips.some((ip) => block.contains(ip))));
  }

  private peerMembership(peer: PolicyPeer, policyNamespace: string, key: string): Uint8Array {
    const cached = this.peerMembers.get(key);
    if (cached) return cached;
    const members = new Uint8Array(this.inventory.units.length);
    if (peer.kind === 'ipBlock') {
      // Outside nodes always match by their addresses; the cluster's pods and nodes only where the plugin matches them.
      const units = this.inventory.units;
      this.inventory.unitIps.forEach((ips, i) => {
        if ((this.ipBlocksMatchPods || units[i].external === true) && ips.some((ip) => peer.ipBlock.contains(ip))) members[i] = 1;
      });
    } else {
      const namespaces = peer.namespaceSelector === undefined
        ? [this.namespaceByName.get(policyNamespace)].filter((n): n is NamespaceInfo => n !== undefined)
        : this.namespacesMatching(peer.namespaceSelector);
      // Selectors never match host-network pods: their traffic carries the node's address.
      for (const ns of namespaces) {
        for (const unit of ns.units) {
          if (unit.hostNetwork !== true && (peer.podSelector === undefined || peer.podSelector.matches(unit.labels))) members[unit.index] = 1;
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

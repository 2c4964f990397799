import { Inventory, PodInfo } from './cluster';
import { PortSet, PortSetStore } from './ports';
import { PeerResolver, PodMembership } from './selection';
import { NetworkPolicyInfo, PolicyPort, PolicyRule } from '../../model/network-policy';

/** What the model assumes about a pod sending to its own IP, which upstream e2e leaves undefined. */
export type SelfTraffic = 'policy' | 'allow';

/**
 * The precomputed form of the policies that the pair loops run on. Everything label-related is
 * resolved in the constructor; evaluating a pair only walks the rules of the policies selecting
 * the two pods, checks a membership byte per rule and combines interned port sets.
 */
export class Engine {
  readonly store = new PortSetStore();
  /** Per pod: the policies selecting it that have the Egress / Ingress policy type. */
  readonly egressPolicies: ReadonlyArray<readonly NetworkPolicyInfo[]>;
  readonly ingressPolicies: ReadonlyArray<readonly NetworkPolicyInfo[]>;

  private readonly egressRules: Int32Array[];
  private readonly ingressRules: Int32Array[];
  private readonly members: PodMembership[] = [];
  /** Per rule: interned id of its numeric ports, or of all ports. */
  private readonly staticPorts: number[] = [];
  /** Per rule: its named ports, resolved per destination; undefined when it has none. */
  private readonly namedPorts: Array<readonly PolicyPort[] | undefined> = [];
  /** Per rule, per destination port signature: interned id of the resolved ports. */
  private readonly namedCache: number[][] = [];
  /** Per pod: interned signature of its named container ports (0 for none). */
  private readonly portSignature: Int32Array;
  /** Per pod: index of its namespace. */
  private readonly podNamespace: Int32Array;
  /**
   * Per pod: its egress (as source) / ingress (as destination) port set id when that does not
   * depend on the other pod (no isolation, or only rules whose peers are every pod), else -1.
   */
  private readonly fixedEgress: Int32Array;
  private readonly fixedIngress: Int32Array;
  /** Namespaces holding the members of a rule, per distinct membership array. */
  private readonly memberNamespaces = new Map<Uint8Array, ReadonlySet<number>>();

  constructor(readonly inventory: Inventory, policies: readonly NetworkPolicyInfo[], private readonly selfTraffic: SelfTraffic) {
    const podCount = inventory.pods.length;
    const egress: NetworkPolicyInfo[][] = Array.from({ length: podCount }, () => []);
    const ingress: NetworkPolicyInfo[][] = Array.from({ length: podCount }, () => []);
    const resolver = new PeerResolver(inventory);
    for (const policy of policies) {
      for (const pod of resolver.selectedPods(policy)) {
        if (policy.affectsEgress) egress[pod.index].push(policy);
        if (policy.affectsIngress) ingress[pod.index].push(policy);
      }
      for (const rule of [...policy.ingress, ...policy.egress]) this.addRule(rule, resolver);
    }
    this.egressPolicies = egress;
    this.ingressPolicies = ingress;
    this.egressRules = egress.map((ps) => Int32Array.from(ps.flatMap((p) => p.egress.map((r) => r.id))));
    this.ingressRules = ingress.map((ps) => Int32Array.from(ps.flatMap((p) => p.ingress.map((r) => r.id))));
    this.portSignature = signatures(inventory.pods);
    this.podNamespace = new Int32Array(inventory.pods.length);
    for (const ns of inventory.namespaces) for (const pod of ns.pods) this.podNamespace[pod.index] = ns.index;
    this.fixedEgress = Int32Array.from(inventory.pods, (p) => this.computeFixedPorts('egress', p.index));
    this.fixedIngress = Int32Array.from(inventory.pods, (p) => this.computeFixedPorts('ingress', p.index));
  }

  /** Interned id of the ports on which pod `a` may open connections to pod `b`. */
  allowedPorts(a: number, b: number): number {
    if (a === b && this.selfTraffic === 'allow') return PortSetStore.ALL;
    let egress = this.fixedEgress[a];
    if (egress < 0) egress = this.directionPorts(this.egressRules[a], b, b);
    if (egress === PortSetStore.NONE) return egress;
    let ingress = this.fixedIngress[b];
    if (ingress < 0) ingress = this.directionPorts(this.ingressRules[b], a, b);
    return this.store.intersect(egress, ingress);
  }

  /** True when `pod` is among the peers of the rule (every pod for a rule without peers). */
  ruleMatchesPeer(ruleId: number, pod: number): boolean {
    const m = this.members[ruleId];
    return m === undefined || m[pod] === 1;
  }

  /** Interned id of the ports a rule allows towards destination pod `dst` (named ports resolved on it). */
  rulePorts(ruleId: number, dst: number): number {
    const named = this.namedPorts[ruleId];
    if (named === undefined) return this.staticPorts[ruleId];
    const signature = this.portSignature[dst];
    const row = this.namedCache[ruleId] ?? (this.namedCache[ruleId] = []);
    let id = row[signature];
    if (id === undefined) {
      id = this.store.union(this.staticPorts[ruleId], this.store.intern(resolveNamed(named, this.inventory.pods[dst])));
      row[signature] = id;
    }
    return id;
  }

  /**
   * The ports `pod` allows as a source (egress) or destination (ingress) whatever the other pod is,
   * or -1 when that depends on the other pod.
   */
  fixedPorts(direction: 'egress' | 'ingress', pod: number): number {
    return (direction === 'egress' ? this.fixedEgress : this.fixedIngress)[pod];
  }

  /**
   * The namespaces that `pods` could possibly reach (egress) or be reached from (ingress), by
   * namespace index; undefined when that may be any namespace. Lets the namespace matrix skip
   * namespace pairs that no rule connects without visiting their pod pairs.
   */
  reachableNamespaces(direction: 'egress' | 'ingress', pods: readonly PodInfo[]): ReadonlySet<number> | undefined {
    const found = new Set<number>();
    for (const pod of pods) {
      const isolated = (direction === 'egress' ? this.egressPolicies : this.ingressPolicies)[pod.index].length > 0;
      if (!isolated) return undefined;
      if (this.selfTraffic === 'allow') found.add(this.podNamespace[pod.index]);
      for (const r of (direction === 'egress' ? this.egressRules : this.ingressRules)[pod.index]) {
        const namespaces = this.namespacesOf(this.members[r]);
        if (namespaces === undefined) return undefined;
        namespaces.forEach((n) => found.add(n));
      }
    }
    return found;
  }

  private namespacesOf(members: PodMembership): ReadonlySet<number> | undefined {
    if (members === undefined) return undefined;
    let found = this.memberNamespaces.get(members);
    if (!found) {
      const namespaces = new Set<number>();
      members.forEach((m, pod) => { if (m === 1) namespaces.add(this.podNamespace[pod]); });
      this.memberNamespaces.set(members, namespaces);
      found = namespaces;
    }
    return found;
  }

  /**
   * Ports an isolated pod allows in one direction: the union of its rules whose peers include
   * `peer`, with named ports resolved on the destination `dst`.
   */
  private directionPorts(rules: Int32Array, peer: number, dst: number): number {
    let acc = PortSetStore.NONE;
    for (let i = 0; i < rules.length && acc !== PortSetStore.ALL; i++) {
      const r = rules[i];
      const m = this.members[r];
      if (m === undefined || m[peer] === 1) acc = this.store.union(acc, this.rulePorts(r, dst));
    }
    return acc;
  }

  /**
   * The ports a pod allows in one direction whatever the other pod is, or -1. Named ports resolve
   * on the destination, which is the pod itself for ingress but the other pod for egress.
   */
  private computeFixedPorts(direction: 'egress' | 'ingress', pod: number): number {
    const isolated = (direction === 'egress' ? this.egressPolicies : this.ingressPolicies)[pod].length > 0;
    if (!isolated) return PortSetStore.ALL;
    const rules = (direction === 'egress' ? this.egressRules : this.ingressRules)[pod];
    const fixed = rules.every((r) => this.members[r] === undefined && (direction === 'ingress' || this.namedPorts[r] === undefined));
    return fixed ? this.directionPorts(rules, pod, pod) : -1;
  }

  private addRule(rule: PolicyRule, resolver: PeerResolver): void {
    this.members[rule.id] = resolver.ruleMembership(rule);
    const ports = rule.ports;
    if (ports === undefined) {
      this.staticPorts[rule.id] = PortSetStore.ALL;
      return;
    }
    const named = ports.filter((p) => p.kind === 'named');
    this.staticPorts[rule.id] = this.store.intern(numericPorts(ports));
    if (named.length > 0) this.namedPorts[rule.id] = named;
  }
}

function numericPorts(ports: readonly PolicyPort[]): PortSet {
  return ports.reduce((acc, p) => {
    if (p.kind === 'all') return acc.union(PortSet.protocol(p.protocol));
    if (p.kind === 'range') return acc.union(PortSet.range(p.protocol, p.from, p.to));
    return acc;
  }, PortSet.NONE);
}

/** A named port matches the destination's container port with that name and protocol, if any. */
function resolveNamed(named: readonly PolicyPort[], dst: PodInfo): PortSet {
  let set = PortSet.NONE;
  for (const p of named) {
    if (p.kind !== 'named') continue;
    for (const c of dst.ports) {
      if (c.name === p.name && c.protocol === p.protocol) set = set.union(PortSet.range(c.protocol, c.port));
    }
  }
  return set;
}

/** Pods with the same named ports share a signature, so named-port resolutions are cached per signature. */
function signatures(pods: readonly PodInfo[]): Int32Array {
  const ids = new Map<string, number>([['', 0]]);
  return Int32Array.from(pods, (pod) => {
    const text = pod.ports
      .filter((c) => c.name !== undefined)
      .map((c) => `${c.name}/${c.protocol}/${c.port}`)
      .sort()
      .join(',');
    let id = ids.get(text);
    if (id === undefined) {
      id = ids.size;
      ids.set(text, id);
    }
    return id;
  });
}

import { ANY_PORT_NUMBER, Inventory, UnitInfo } from './cluster';
import { PortSet, PortSetStore } from './ports';
import { PeerResolver, PodMembership } from './selection';
import { ClusterPolicyRule, ClusterPort, ClusterTier, compareClusterPolicies } from '../../model/cluster-policy';
import { NetworkPolicyInfo, PolicyPort } from '../../model/network-policy';
import { Direction } from '../../model/vocabulary';

/** What the model assumes about a pod sending to its own IP, which upstream e2e leaves undefined. */
export type SelfTraffic = 'policy' | 'allow';

const ACCEPT = 0;
const DENY = 1;
const PASS = 2;
const ACTION_CODES = { Accept: ACCEPT, Deny: DENY, Pass: PASS } as const;

/** The rules of one tier that apply to a pod in one direction, in evaluation order. */
interface TierRules {
  readonly rules: readonly ClusterPolicyRule[];
  readonly ids: Int32Array;
  readonly actions: Uint8Array;
}

/** Everything the pair loops need about one direction (egress of sources, ingress of destinations). */
interface Side {
  /** Per pod: the NetworkPolicies selecting it with this policy type. */
  readonly policies: ReadonlyArray<readonly NetworkPolicyInfo[]>;
  /** Per pod: ids of the rules of those NetworkPolicies. */
  readonly rules: Int32Array[];
  /** Per pod: the Admin / Baseline tier rules whose policy's subject selects it; undefined for none. */
  readonly admin: ReadonlyArray<TierRules | undefined>;
  readonly baseline: ReadonlyArray<TierRules | undefined>;
  /** Per pod: its port set id when that does not depend on the other pod, else -1. */
  fixed: Int32Array;
}

type AnyPort = PolicyPort | ClusterPort;
type NamedPort = Extract<AnyPort, { kind: 'named' }>;

/**
 * Per rule: the pods its peers match and its ports, interned, with named ports resolved per
 * destination signature. One table for NetworkPolicy rules, one for cluster policy rules.
 */
class RuleTable {
  private readonly members: PodMembership[] = [];
  private readonly staticPorts: number[] = [];
  private readonly namedPorts: Array<readonly NamedPort[] | undefined> = [];
  private readonly namedCache: number[][] = [];

  constructor(private readonly store: PortSetStore, private readonly units: readonly UnitInfo[], private readonly portSignature: Int32Array) {}

  add(id: number, members: PodMembership, ports: readonly AnyPort[] | undefined): void {
    this.members[id] = members;
    if (ports === undefined) {
      this.staticPorts[id] = PortSetStore.ALL;
      return;
    }
    const named = ports.filter((p): p is NamedPort => p.kind === 'named');
    this.staticPorts[id] = this.store.intern(numericPorts(ports));
    if (named.length > 0) this.namedPorts[id] = named;
  }

  membership(id: number): PodMembership {
    return this.members[id];
  }

  matches(id: number, pod: number): boolean {
    const m = this.members[id];
    return m === undefined || m[pod] === 1;
  }

  hasNamedPorts(id: number): boolean {
    return this.namedPorts[id] !== undefined;
  }

  /** The ports without named ones, which do not depend on the destination. */
  staticPortsOf(id: number): number {
    return this.staticPorts[id];
  }

  /** Interned id of the rule's ports towards destination pod `dst` (named ports resolved on it). */
  ports(id: number, dst: number): number {
    const named = this.namedPorts[id];
    if (named === undefined) return this.staticPorts[id];
    const signature = this.portSignature[dst];
    const row = this.namedCache[id] ?? (this.namedCache[id] = []);
    let set = row[signature];
    if (set === undefined) {
      set = this.store.union(this.staticPorts[id], this.store.intern(resolveNamed(named, this.units[dst])));
      row[signature] = set;
    }
    return set;
  }
}

/**
 * The precomputed form of the policies that the pair loops run on. Everything label-related is
 * resolved in the constructor; evaluating a pair only walks the rules that apply to the two pods,
 * checks a membership byte per rule and combines interned port sets.
 *
 * Per direction, the Admin tier rules are walked in order with the ports still undecided: a
 * matching rule decides the part of its ports nobody decided before (Accept, Deny, or Pass to the
 * next tier). The undecided and passed ports then go to the NetworkPolicies when one isolates the
 * pod in that direction, else through the Baseline tier rules the same way, and what remains is
 * allowed.
 */
export class Engine {
  readonly store = new PortSetStore();
  /** Per pod: the NetworkPolicies selecting it that have the Egress / Ingress policy type. */
  readonly egressPolicies: ReadonlyArray<readonly NetworkPolicyInfo[]>;
  readonly ingressPolicies: ReadonlyArray<readonly NetworkPolicyInfo[]>;

  private readonly np: RuleTable;
  private readonly cluster: RuleTable;
  private readonly egress: Side;
  private readonly ingress: Side;
  /** Per pod: interned signature of its named container ports (0 for none). */
  private readonly portSignature: Int32Array;
  /** Per pod: index of its namespace. */
  private readonly podNamespace: Int32Array;
  /** Per unit: 1 for the units of outside nodes (read on every pair, so kept as bytes). */
  private readonly outside: Uint8Array;
  /** Namespaces holding the members of a rule, per distinct membership array. */
  private readonly memberNamespaces = new Map<Uint8Array, ReadonlySet<number>>();

  /**
   * @param ipBlocksMatchPods whether NetworkPolicy ipBlocks match the cluster's own pod and node
   * addresses (see PeerResolver)
   */
  constructor(
    readonly inventory: Inventory,
    policies: readonly NetworkPolicyInfo[],
    private readonly selfTraffic: SelfTraffic,
    readonly ipBlocksMatchPods: boolean,
  ) {
    const unitCount = inventory.units.length;
    this.outside = Uint8Array.from(inventory.units, (u) => (u.external === true ? 1 : 0));
    this.portSignature = signatures(inventory.units);
    this.np = new RuleTable(this.store, inventory.units, this.portSignature);
    this.cluster = new RuleTable(this.store, inventory.units, this.portSignature);
    const egress: NetworkPolicyInfo[][] = Array.from({ length: unitCount }, () => []);
    const ingress: NetworkPolicyInfo[][] = Array.from({ length: unitCount }, () => []);
    const resolver = new PeerResolver(inventory, ipBlocksMatchPods);
    for (const policy of policies) {
      for (const unit of resolver.selectedUnits(policy)) {
        if (policy.affectsEgress) egress[unit.index].push(policy);
        if (policy.affectsIngress) ingress[unit.index].push(policy);
      }
      for (const rule of [...policy.ingress, ...policy.egress]) this.np.add(rule.id, resolver.ruleMembership(rule), rule.ports);
    }
    this.egressPolicies = egress;
    this.ingressPolicies = ingress;
    const tiers = this.tierRules(resolver);
    const side = (direction: Direction, selecting: NetworkPolicyInfo[][]): Side => ({
      policies: selecting,
      rules: selecting.map((ps) => Int32Array.from(ps.flatMap((p) => p[direction].map((r) => r.id)))),
      admin: tiers.Admin[direction],
      baseline: tiers.Baseline[direction],
      fixed: new Int32Array(0),
    });
    this.egress = side('egress', egress);
    this.ingress = side('ingress', ingress);
    this.podNamespace = new Int32Array(unitCount);
    for (const ns of inventory.namespaces) for (const unit of ns.units) this.podNamespace[unit.index] = ns.index;
    this.egress.fixed = Int32Array.from(inventory.units, (u) => this.computeFixedPorts('egress', u.index));
    this.ingress.fixed = Int32Array.from(inventory.units, (u) => this.computeFixedPorts('ingress', u.index));
  }

  /** Interned id of the ports on which unit `a` may open connections to unit `b`. */
  allowedPorts(a: number, b: number): number {
    // Outside nodes stand for addresses outside the cluster: traffic among them is not the cluster's.
    if (this.outside[a] === 1 && this.outside[b] === 1) return PortSetStore.NONE;
    if (a === b && this.selfTraffic === 'allow') return PortSetStore.ALL;
    let egress = this.egress.fixed[a];
    if (egress < 0) egress = this.sidePorts(this.egress, a, b, b);
    if (egress === PortSetStore.NONE) return egress;
    let ingress = this.ingress.fixed[b];
    if (ingress < 0) ingress = this.sidePorts(this.ingress, b, a, b);
    return this.store.intersect(egress, ingress);
  }

  /** True when `pod` is among the peers of a NetworkPolicy rule (every pod for a rule without peers). */
  ruleMatchesPeer(ruleId: number, pod: number): boolean {
    return this.np.matches(ruleId, pod);
  }

  /** Interned id of the ports a NetworkPolicy rule allows towards destination pod `dst` (named ports resolved on it). */
  rulePorts(ruleId: number, dst: number): number {
    return this.np.ports(ruleId, dst);
  }

  /** True when `pod` is among the peers of a cluster policy rule. */
  clusterRuleMatchesPeer(rule: ClusterPolicyRule, pod: number): boolean {
    return this.cluster.matches(rule.id, pod);
  }

  /** Interned id of the ports a cluster policy rule matches towards destination `dst` (named ports resolved on it). */
  clusterRulePorts(rule: ClusterPolicyRule, dst: number): number {
    return this.cluster.ports(rule.id, dst);
  }

  /** The rules of a tier that apply to `pod` in one direction, in evaluation order. */
  tierRulesOf(tier: ClusterTier, direction: Direction, pod: number): readonly ClusterPolicyRule[] {
    const side = direction === 'egress' ? this.egress : this.ingress;
    return (tier === 'Admin' ? side.admin : side.baseline)[pod]?.rules ?? [];
  }

  /**
   * The ports `pod` allows as a source (egress) or destination (ingress) whatever the other pod is,
   * or -1 when that depends on the other pod.
   */
  fixedPorts(direction: Direction, pod: number): number {
    return (direction === 'egress' ? this.egress : this.ingress).fixed[pod];
  }

  /**
   * The namespaces that `pods` could possibly reach (egress) or be reached from (ingress), by
   * namespace index; undefined when that may be any namespace. Lets the namespace matrix skip
   * namespace pairs that no rule connects without visiting their pod pairs.
   */
  reachableNamespaces(direction: Direction, units: readonly UnitInfo[]): ReadonlySet<number> | undefined {
    const side = direction === 'egress' ? this.egress : this.ingress;
    const found = new Set<number>();
    for (const unit of units) {
      if (this.selfTraffic === 'allow') found.add(this.podNamespace[unit.index]);
      if (!this.addReachable(side, unit.index, found)) return undefined;
    }
    return found;
  }

  /**
   * Adds to `found` the namespaces of every peer `pod` may get some port with; false when that may
   * be any namespace. Admin Accept rules open their peers; a Deny of every port to every pod closes
   * what is still undecided, so only the peers of earlier Pass rules go on to the next tiers; then
   * the NetworkPolicies open their rules' peers, or the Baseline tier its Accept and Pass rules'
   * peers up to a Deny of everything (without one, anything not denied is allowed).
   */
  private addReachable(side: Side, pod: number, found: Set<number>): boolean {
    const add = (table: RuleTable, r: number) => {
      const namespaces = this.namespacesOf(table.membership(r));
      namespaces?.forEach((n) => found.add(n));
      return namespaces !== undefined;
    };
    const admin = side.admin[pod];
    if (admin !== undefined) {
      const passes: number[] = [];
      for (let i = 0; i < admin.ids.length; i++) {
        const r = admin.ids[i];
        if (admin.actions[i] === ACCEPT) {
          if (!add(this.cluster, r)) return false;
        } else if (admin.actions[i] === PASS) {
          passes.push(r);
        } else if (this.deniesEverything(r)) {
          // The next tiers can at most allow what was passed to them.
          return passes.every((p) => add(this.cluster, p));
        }
      }
    }
    if (side.policies[pod].length > 0) return Array.prototype.every.call(side.rules[pod], (r: number) => add(this.np, r));
    const baseline = side.baseline[pod];
    if (baseline === undefined) return false;
    for (let i = 0; i < baseline.ids.length; i++) {
      const r = baseline.ids[i];
      if (baseline.actions[i] !== DENY) {
        if (!add(this.cluster, r)) return false;
      } else if (this.deniesEverything(r)) {
        return true;
      }
    }
    return false;
  }

  private deniesEverything(r: number): boolean {
    return this.cluster.membership(r) === undefined && this.cluster.staticPortsOf(r) === PortSetStore.ALL;
  }

  private namespacesOf(members: PodMembership): ReadonlySet<number> | undefined {
    if (members === undefined) return undefined;
    let found = this.memberNamespaces.get(members);
    if (!found) {
      const namespaces = new Set<number>();
      for (let pod = 0; pod < members.length; pod++) if (members[pod] === 1) namespaces.add(this.podNamespace[pod]);
      this.memberNamespaces.set(members, namespaces);
      found = namespaces;
    }
    return found;
  }

  /**
   * The ports `self` allows in one direction towards or from `peer`, with named ports resolved on
   * the destination `dst`: the Admin tier first, then the NetworkPolicies or the Baseline tier.
   */
  private sidePorts(side: Side, self: number, peer: number, dst: number): number {
    const store = this.store;
    const admin = side.admin[self];
    let allowed = PortSetStore.NONE;
    let rest = PortSetStore.ALL;
    if (admin !== undefined) {
      let undecided = PortSetStore.ALL;
      let passed = PortSetStore.NONE;
      for (let i = 0; i < admin.ids.length && undecided !== PortSetStore.NONE; i++) {
        const r = admin.ids[i];
        if (!this.cluster.matches(r, peer)) continue;
        const hit = store.intersect(this.cluster.ports(r, dst), undecided);
        if (hit === PortSetStore.NONE) continue;
        if (admin.actions[i] === ACCEPT) allowed = store.union(allowed, hit);
        else if (admin.actions[i] === PASS) passed = store.union(passed, hit);
        undecided = store.subtract(undecided, hit);
      }
      rest = store.union(undecided, passed);
      if (rest === PortSetStore.NONE) return allowed;
    }
    if (side.policies[self].length > 0) {
      return store.union(allowed, store.intersect(rest, this.networkPolicyPorts(side.rules[self], peer, dst)));
    }
    const baseline = side.baseline[self];
    if (baseline === undefined) return store.union(allowed, rest);
    let open = rest;
    for (let i = 0; i < baseline.ids.length && open !== PortSetStore.NONE; i++) {
      const r = baseline.ids[i];
      if (!this.cluster.matches(r, peer)) continue;
      const hit = store.intersect(this.cluster.ports(r, dst), open);
      if (hit === PortSetStore.NONE) continue;
      // Pass leaves the last tier: the default, allowed.
      if (baseline.actions[i] !== DENY) allowed = store.union(allowed, hit);
      open = store.subtract(open, hit);
    }
    return store.union(allowed, open);
  }

  /**
   * Ports an isolated pod's NetworkPolicies allow in one direction: the union of its rules whose
   * peers include `peer`, with named ports resolved on the destination `dst`.
   */
  private networkPolicyPorts(rules: Int32Array, peer: number, dst: number): number {
    let acc = PortSetStore.NONE;
    for (let i = 0; i < rules.length && acc !== PortSetStore.ALL; i++) {
      const r = rules[i];
      if (this.np.matches(r, peer)) acc = this.store.union(acc, this.np.ports(r, dst));
    }
    return acc;
  }

  /**
   * The ports a pod allows in one direction whatever the other pod is, or -1: when every rule that
   * can apply matches every pod. Named ports resolve on the destination, which is the pod itself
   * for ingress but the other pod for egress.
   */
  private computeFixedPorts(direction: Direction, pod: number): number {
    const side = direction === 'egress' ? this.egress : this.ingress;
    const independent = (table: RuleTable, ids: ArrayLike<number>) => {
      for (let i = 0; i < ids.length; i++) {
        if (table.membership(ids[i]) !== undefined || (direction === 'egress' && table.hasNamedPorts(ids[i]))) return false;
      }
      return true;
    };
    const admin = side.admin[pod];
    if (admin !== undefined && !independent(this.cluster, admin.ids)) return -1;
    const isolated = side.policies[pod].length > 0;
    if (isolated && !independent(this.np, side.rules[pod])) return -1;
    const baseline = side.baseline[pod];
    if (!isolated && baseline !== undefined && !independent(this.cluster, baseline.ids)) return -1;
    return this.sidePorts(side, pod, pod, pod);
  }

  /**
   * Registers every cluster policy rule and lists, per tier, direction and pod, the rules that
   * apply in evaluation order. Pods selected by the same policies share one list.
   */
  private tierRules(resolver: PeerResolver): Record<ClusterTier, Record<Direction, Array<TierRules | undefined>>> {
    const podCount = this.inventory.units.length;
    const lists = {
      Admin: { ingress: new Array<ClusterPolicyRule[] | undefined>(podCount), egress: new Array<ClusterPolicyRule[] | undefined>(podCount) },
      Baseline: { ingress: new Array<ClusterPolicyRule[] | undefined>(podCount), egress: new Array<ClusterPolicyRule[] | undefined>(podCount) },
    };
    for (const policy of [...this.inventory.clusterPolicies].sort(compareClusterPolicies)) {
      for (const rule of [...policy.ingress, ...policy.egress]) {
        this.cluster.add(rule.id, resolver.clusterRuleMembership(rule), rule.failClosed === 'denies-everything' ? undefined : rule.ports);
      }
      // A rule that fails closed by matching nothing never decides anything.
      const ingress = policy.ingress.filter((r) => r.failClosed !== 'matches-nothing');
      const egress = policy.egress.filter((r) => r.failClosed !== 'matches-nothing');
      if (ingress.length === 0 && egress.length === 0) continue;
      const tier = lists[policy.tier];
      for (const pod of resolver.clusterSubjectUnits(policy)) {
        if (ingress.length > 0) (tier.ingress[pod.index] ??= []).push(...ingress);
        if (egress.length > 0) (tier.egress[pod.index] ??= []).push(...egress);
      }
    }
    const shared = new Map<string, TierRules>();
    const compile = (rules: ClusterPolicyRule[] | undefined): TierRules | undefined => {
      if (rules === undefined) return undefined;
      const key = rules.map((r) => r.id).join(',');
      let compiled = shared.get(key);
      if (!compiled) {
        compiled = { rules, ids: Int32Array.from(rules, (r) => r.id), actions: Uint8Array.from(rules, (r) => ACTION_CODES[r.action]) };
        shared.set(key, compiled);
      }
      return compiled;
    };
    const compileAll = (perPod: Array<ClusterPolicyRule[] | undefined>) => Array.from(perPod, compile);
    return {
      Admin: { ingress: compileAll(lists.Admin.ingress), egress: compileAll(lists.Admin.egress) },
      Baseline: { ingress: compileAll(lists.Baseline.ingress), egress: compileAll(lists.Baseline.egress) },
    };
  }
}

function numericPorts(ports: readonly AnyPort[]): PortSet {
  return ports.reduce((acc, p) => {
    if (p.kind === 'all') return acc.union(PortSet.protocol(p.protocol));
    if (p.kind === 'range') return acc.union(PortSet.range(p.protocol, p.from, p.to));
    return acc;
  }, PortSet.NONE);
}

/**
 * A named port matches the destination's container ports with that name: of that protocol for a
 * NetworkPolicy port, of any protocol for a cluster policy's named port, which names no protocol.
 */
function resolveNamed(named: readonly NamedPort[], dst: UnitInfo): PortSet {
  let set = PortSet.NONE;
  for (const p of named) {
    const protocol = 'protocol' in p ? p.protocol : undefined;
    for (const c of dst.ports) {
      if (c.name !== p.name || (protocol !== undefined && c.protocol !== protocol)) continue;
      // An anticipated pod may give the name any number.
      set = set.union(c.port === ANY_PORT_NUMBER ? PortSet.protocol(c.protocol) : PortSet.range(c.protocol, c.port));
    }
  }
  return set;
}

/** Pods with the same named ports share a signature, so named-port resolutions are cached per signature. */
function signatures(pods: readonly UnitInfo[]): Int32Array {
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

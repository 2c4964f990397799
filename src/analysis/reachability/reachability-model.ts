import { aggregateNamespaces } from './aggregate';
import { AnticipatedPolicies, buildInventory, Inventory, NamespaceInfo, PodInfo, UnitInfo } from './cluster';
import { Engine, SelfTraffic } from './engine';
import { INTERNET_KIND, OTHER_ADDRESSES_KIND } from './internet';
import { ExposureMatrix, NamespaceMatrix, NamespacePortMatrix, PodMatrix, PodPortMatrix } from './matrix';
import { PolicyView } from './policy-view';
import { PortSet, PortSetStore } from './ports';
import { PeerResolver } from './selection';
import { explainConnection, Verdict } from './verdict';
import { ClusterModel } from '../../model/cluster-model';
import { ClusterNetwork, NetworkBackendName } from '../../model/cluster-network';
import { ClusterPolicyInfo } from '../../model/cluster-policy';
import { Manifest } from '../../model/manifests';
import { NetworkPolicyInfo } from '../../model/network-policy';
import { Direction, isProtocol, MAX_PORT, MIN_PORT, ProtocolName as Protocol } from '../../model/vocabulary';
import { AddressSet } from '../../private/address-set';
import { compareText } from '../../private/json';

export interface ReachabilityOptions {
  /**
   * How a pod sending to itself is judged. Upstream e2e tests leave this undefined (CNIs differ and
   * the tests ignore the diagonal); the default `policy` applies the policies like for any other
   * pair, `allow` treats it as always allowed.
   * @default 'policy'
   */
  readonly selfTraffic?: SelfTraffic;

  /**
   * Which policies count: those the cluster enforces now (`effective`), or those it would enforce
   * once the namespaces in monitor mode enforce theirs (`enforced`: monitor-only allow-all policies
   * left out, Calico staged policies enforced).
   * @default 'effective'
   */
  readonly policyView?: PolicyView;

  /**
   * Whether to add the internet node (see internet.ts): after the namespaces, keyed `internet`
   * (`(internet)` when the input has a namespace of that name).
   * @default false
   */
  readonly internet?: boolean;

  /**
   * Whether to add the node of the other addresses outside the cluster (private networks,
   * link-local, nodes), `(other addresses)`, after the internet node.
   * @default false
   */
  readonly otherAddresses?: boolean;

  /**
   * Whether to add the pods and namespaces the policies anticipate: for each selector that matches
   * nothing of the input, a pod or namespace it matches, and `(new namespace)` (see InventoryOptions).
   * @default false
   */
  readonly anticipate?: boolean;

  /**
   * With `anticipate`, further policies to anticipate pods and namespaces for: the other side of a
   * comparison, so that both sides reason about the same pods.
   * @default - only the model's own policies
   */
  readonly anticipateFor?: AnticipatedPolicies;

  /**
   * The network plugin, in place of the one the cluster model declares: it decides whether
   * NetworkPolicy ipBlocks match the cluster's own pod and node addresses.
   * @default - the cluster model's (`kubernetes`: not known)
   */
  readonly networkBackend?: NetworkBackendName;
}

/** Addresses of a node outside the cluster, and the ports they are open on. */
export interface AddressReach {
  readonly ports: PortSet;
  readonly addresses: AddressSet;
}

/**
 * Which pods can open connections to which, on which ports, under the networking.k8s.io/v1
 * NetworkPolicies and the network-policy-api tiers (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
 * ClusterNetworkPolicy) of a set of manifests. Build it once; queries reuse the precomputed indexes.
 *
 * Each pod stands for one or more units (see UnitInfo): the answer for a pod is the union over its
 * units ("some of its pods"), as a namespace's is over its pods.
 */
export class ReachabilityModel {
  /** Builds a model from the cluster model that the rules read too. */
  static fromCluster(cluster: ClusterModel, options: ReachabilityOptions = {}): ReachabilityModel {
    const network = options.networkBackend === undefined ? cluster.network : cluster.network.withBackend(options.networkBackend);
    const inventory = buildInventory(cluster, {
      network,
      view: options.policyView,
      internet: options.internet === true,
      otherAddresses: options.otherAddresses === true,
      anticipate: options.anticipate === true,
      ...(options.anticipateFor ? { anticipateFor: options.anticipateFor } : {}),
    });
    const matching = inventory.network.ipBlocksMatchPods;
    const model = new ReachabilityModel(inventory, options, matching === 'yes');
    // Of an undeclared plugin it is not known whether ipBlocks match pod addresses: when some ipBlock
    // holds one, the twin answers for the plugins that match them.
    if (matching === 'unknown' && new PeerResolver(inventory, true).ipBlocksReachCluster(inventory.policies)) {
      model.whereIpBlocksMatchPods = new ReachabilityModel(inventory, options, true);
    }
    return model;
  }

  /** Builds a model from manifests read by parseManifests. */
  static fromManifests(manifests: readonly Manifest[], options: ReachabilityOptions = {}): ReachabilityModel {
    return ReachabilityModel.fromCluster(ClusterModel.fromManifests(manifests), options);
  }

  /** Builds a model from plain objects (List objects are flattened), e.g. from syntheticCluster. */
  static fromObjects(objects: readonly unknown[], options: ReachabilityOptions = {}, source = '<objects>'): ReachabilityModel {
    return ReachabilityModel.fromCluster(ClusterModel.fromObjects(objects, source), options);
  }

  /** The namespaces, sorted by name, then anticipated ones, then the outside nodes' entries when asked for. */
  readonly namespaces: readonly NamespaceInfo[];
  /** The pods, by namespace, then the outside nodes when asked for. */
  readonly pods: readonly PodInfo[];
  /** The units the engine evaluates (see UnitInfo). */
  readonly units: readonly UnitInfo[];
  /** The internet node, when asked for. */
  readonly internet?: PodInfo;
  /** The node of the other addresses outside the cluster, when asked for. */
  readonly otherAddresses?: PodInfo;
  readonly policies: readonly NetworkPolicyInfo[];
  /** AdminNetworkPolicies, the BaselineAdminNetworkPolicy and ClusterNetworkPolicies, in input order. */
  readonly clusterPolicies: readonly ClusterPolicyInfo[];
  /** The cluster's declared ranges and network plugin. */
  readonly network: ClusterNetwork;
  /** The anticipated pods or namespaces are one per selector, not every combination of matches (see Inventory). */
  readonly anticipationPartial: boolean;
  /** Whether NetworkPolicy ipBlocks match the cluster's own pod and node addresses in this model's answers. */
  readonly ipBlocksMatchPods: boolean;
  /**
   * When the network plugin is not declared and an ipBlock of the policies holds addresses of the
   * cluster's pods or nodes: the same cluster on a plugin that matches ipBlocks against them (Calico
   * does, Cilium does not). What it allows beyond this model is allowed "where the plugin matches
   * pod addresses", never denied outright. Undefined when the plugin cannot change an answer.
   */
  whereIpBlocksMatchPods?: ReachabilityModel;

  private readonly engine: Engine;
  private readonly podByKey: ReadonlyMap<string, PodInfo>;
  private readonly selfTraffic: SelfTraffic;
  private aggregate?: { some: Int32Array; every: Int32Array };

  private constructor(inventory: Inventory, options: ReachabilityOptions, ipBlocksMatchPods: boolean) {
    this.namespaces = inventory.namespaces;
    this.pods = inventory.pods;
    this.units = inventory.units;
    this.policies = inventory.policies;
    this.clusterPolicies = inventory.clusterPolicies;
    this.network = inventory.network;
    this.anticipationPartial = inventory.anticipationPartial;
    this.ipBlocksMatchPods = ipBlocksMatchPods;
    this.selfTraffic = options.selfTraffic ?? 'policy';
    this.engine = new Engine(inventory, this.policies, this.selfTraffic, ipBlocksMatchPods);
    this.podByKey = new Map(this.pods.map((p) => [p.key, p]));
    this.internet = this.pods.find((p) => p.kind === INTERNET_KIND);
    this.otherAddresses = this.pods.find((p) => p.kind === OTHER_ADDRESSES_KIND);
  }

  /** The pod with key `namespace/name` (`namespace/*` for an empty namespace's placeholder). */
  pod(key: string): PodInfo {
    const pod = this.podByKey.get(key);
    if (!pod) {
      const known = this.pods.slice(0, 10).map((p) => p.key).join(', ');
      throw new RangeError(`unknown pod ${JSON.stringify(key)} (known: ${known}${this.pods.length > 10 ? ', ...' : ''})`);
    }
    return pod;
  }

  /**
   * Whether `from` may connect to `to` on `protocol`/`port`, with the rules and policies involved:
   * for pods of several units, the first pair of units that may, else the pair closest to it.
   */
  evaluate(from: string, to: string, port: number, protocol: Protocol = 'TCP'): Verdict {
    checkPort(port, protocol);
    return this.judgeUnits(this.pod(from).units, this.pod(to).units, port, protocol);
  }

  /**
   * The verdict between two sets of units: the first pair that may connect, else the denied pair
   * closest to being allowed (one side admits it), else the first pair.
   */
  judgeUnits(from: readonly UnitInfo[], to: readonly UnitInfo[], port: number, protocol: Protocol): Verdict {
    const store = this.engine.store;
    const allows = (a: UnitInfo, b: UnitInfo) => store.get(this.engine.allowedPorts(a.index, b.index)).contains(protocol, port);
    // A pod's units are named in the answer only when they answer differently.
    const differ = (units: readonly UnitInfo[], others: readonly UnitInfo[], forward: boolean) =>
      units.length > 1 && new Set(units.map((u) => others.some((o) => (forward ? allows(u, o) : allows(o, u))))).size > 1;
    const scoped = new Set([...(differ(from, to, true) ? from : []), ...(differ(to, from, false) ? to : [])]);
    const explain = (a: UnitInfo, b: UnitInfo) => explainConnection(this.engine, a, b, port, protocol, this.selfTraffic === 'allow', scoped);
    for (const a of from) for (const b of to) if (allows(a, b)) return explain(a, b);
    if (from.length * to.length > 1) {
      for (const a of from) {
        for (const b of to) {
          const v = explain(a, b);
          if (v.egress.allowed || v.ingress.allowed) return v;
        }
      }
    }
    return explain(from[0], to[0]);
  }

  /** Every port on which `from` may connect to `to` (some unit of each). */
  allowedPorts(from: string, to: string): PortSet {
    return this.engine.store.get(this.podPorts(this.pod(from), this.pod(to)));
  }

  /** Every port on which one unit may connect to another. */
  unitPorts(from: UnitInfo, to: UnitInfo): PortSet {
    return this.engine.store.get(this.engine.allowedPorts(from.index, to.index));
  }

  /** The NetworkPolicies that select a unit for one direction (none: not isolated by NetworkPolicies). */
  selectingPolicies(unit: UnitInfo, direction: Direction): readonly NetworkPolicyInfo[] {
    return (direction === 'egress' ? this.engine.egressPolicies : this.engine.ingressPolicies)[unit.index];
  }

  /** Interned ports between two pods: the union over their units. */
  private podPorts(a: PodInfo, b: PodInfo): number {
    if (a.units.length === 1 && b.units.length === 1) return this.engine.allowedPorts(a.units[0].index, b.units[0].index);
    const store = this.engine.store;
    let acc = PortSetStore.NONE;
    for (const x of a.units) for (const y of b.units) acc = store.union(acc, this.engine.allowedPorts(x.index, y.index));
    return acc;
  }

  /**
   * The addresses of an outside node (the internet) that `from` (units of the cluster) reaches, or
   * that reach `from` (`direction` ingress), grouped by the ports: each entry the ports and the
   * addresses open on exactly those ports, most addresses first.
   */
  addressReach(from: readonly UnitInfo[], outside: PodInfo, direction: Direction): AddressReach[] {
    const byPorts = new Map<number, AddressSet>();
    for (const u of outside.units) {
      let ports = PortSetStore.NONE;
      for (const a of from) {
        const id = direction === 'egress' ? this.engine.allowedPorts(a.index, u.index) : this.engine.allowedPorts(u.index, a.index);
        ports = this.engine.store.union(ports, id);
      }
      if (ports === PortSetStore.NONE) continue;
      byPorts.set(ports, (byPorts.get(ports) ?? AddressSet.EMPTY).union(u.addresses));
    }
    return [...byPorts.entries()]
      .map(([ports, addresses]) => ({ ports: this.engine.store.get(ports), addresses }))
      .sort((x, y) => compareText(x.ports.key, y.ports.key));
  }

  /** The addresses of `outside` on which `from` reaches it (or is reached from it) on one port. */
  addressesOnPort(from: readonly UnitInfo[], outside: PodInfo, direction: Direction, port: number, protocol: Protocol): AddressSet {
    return this.addressReach(from, outside, direction)
      .filter((r) => r.ports.contains(protocol, port))
      .reduce((acc, r) => acc.union(r.addresses), AddressSet.EMPTY);
  }

  /** Pod-to-pod matrix for one port. */
  podMatrix(port: number, protocol: Protocol = 'TCP'): PodMatrix {
    checkPort(port, protocol);
    const n = this.pods.length;
    const contains = this.containsMemo(port, protocol);
    const cells = new Uint8Array(n * n);
    const single = this.singleUnits();
    for (let a = 0; a < n; a++) {
      const ua = single[a];
      for (let b = 0; b < n; b++) {
        const ub = single[b];
        // Pods of one unit (nearly all) go straight to the engine.
        cells[a * n + b] = contains(ua >= 0 && ub >= 0 ? this.engine.allowedPorts(ua, ub) : this.podPorts(this.pods[a], this.pods[b]));
      }
    }
    return new PodMatrix(this.pods.map((p) => p.key), port, protocol, cells);
  }

  /** Pod-to-pod matrix over all ports. */
  podPortMatrix(): PodPortMatrix {
    const n = this.pods.length;
    const cells = new Int32Array(n * n);
    const single = this.singleUnits();
    for (let a = 0; a < n; a++) {
      const ua = single[a];
      for (let b = 0; b < n; b++) {
        const ub = single[b];
        cells[a * n + b] = ua >= 0 && ub >= 0 ? this.engine.allowedPorts(ua, ub) : this.podPorts(this.pods[a], this.pods[b]);
      }
    }
    return new PodPortMatrix(this.pods.map((p) => p.key), this.engine.store, cells);
  }

  /** Per pod, its one unit's index, or -1 for a pod of several. */
  private singleUnits(): Int32Array {
    return Int32Array.from(this.pods, (p) => (p.units.length === 1 ? p.units[0].index : -1));
  }

  /** Namespace-to-namespace matrix over all ports: for each pair, the ports of some and of every pod pair. */
  namespaceMatrix(): NamespacePortMatrix;
  /** Namespace-to-namespace matrix for one port. */
  namespaceMatrix(port: number, protocol?: Protocol): NamespaceMatrix;
  namespaceMatrix(port?: number, protocol: Protocol = 'TCP'): NamespacePortMatrix | NamespaceMatrix {
    const { some, every } = this.aggregate ??= aggregateNamespaces(this.engine, this.namespaces, this.selfTraffic);
    const names = this.namespaces.map((n) => n.name);
    if (port === undefined) {
      return new NamespacePortMatrix(names, this.engine.store, some, every);
    }
    checkPort(port, protocol);
    const contains = this.containsMemo(port, protocol);
    const someCells = new Uint8Array(some.length);
    const everyCells = new Uint8Array(every.length);
    for (let i = 0; i < some.length; i++) {
      someCells[i] = contains(some[i]);
      everyCells[i] = contains(every[i]);
    }
    return new NamespaceMatrix(names, port, protocol, someCells, everyCells);
  }

  /**
   * Per source namespace and destination pod (placeholders included), the ports on which some pod
   * of the namespace can connect to the pod: which pods a namespace is exposed to.
   */
  exposure(): ExposureMatrix {
    const n = this.pods.length;
    const store = this.engine.store;
    const cells = new Int32Array(this.namespaces.length * n);
    for (const ns of this.namespaces) {
      for (let b = 0; b < n; b++) {
        let acc = PortSetStore.NONE;
        // Stops at the first source that may use every port: most pods of an open cluster.
        for (let i = 0; i < ns.units.length && acc !== PortSetStore.ALL; i++) {
          for (const target of this.pods[b].units) acc = store.union(acc, this.engine.allowedPorts(ns.units[i].index, target.index));
        }
        cells[ns.index * n + b] = acc;
      }
    }
    return new ExposureMatrix(this.namespaces.map((x) => x.name), this.pods.map((p) => p.key), store, cells);
  }

  /** Membership of one port in interned port sets, memoised per set id (1 or 0). */
  private containsMemo(port: number, protocol: Protocol): (id: number) => number {
    const memo: number[] = [];
    return (id) => (memo[id] ??= this.engine.store.get(id).contains(protocol, port) ? 1 : 0);
  }
}

function checkPort(port: number, protocol: string): void {
  if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    throw new RangeError(`port must be an integer between ${MIN_PORT} and ${MAX_PORT}, got ${port}`);
  }
  if (!isProtocol(protocol)) {
    throw new RangeError(`protocol must be TCP, UDP or SCTP, got ${JSON.stringify(protocol)}`);
  }
}

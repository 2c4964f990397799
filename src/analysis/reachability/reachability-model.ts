import { aggregateNamespaces } from './aggregate';
import { buildInventory, Inventory, NamespaceInfo, PodInfo } from './cluster';
import { Engine, SelfTraffic } from './engine';
import { ExposureMatrix, NamespaceMatrix, NamespacePortMatrix, PodMatrix, PodPortMatrix } from './matrix';
import { PolicyView } from './policy-view';
import { PortSet, PortSetStore } from './ports';
import { explainConnection, Verdict } from './verdict';
import { ClusterModel } from '../../model/cluster-model';
import { ClusterPolicyInfo } from '../../model/cluster-policy';
import { Manifest } from '../../model/manifests';
import { NetworkPolicyInfo } from '../../model/network-policy';
import { isProtocol, MAX_PORT, MIN_PORT, ProtocolName as Protocol } from '../../model/vocabulary';

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
   * Whether to add the internet node (see internet.ts): last among `namespaces` and `pods`, keyed
   * `internet` (`(internet)` when the input has a namespace of that name).
   * @default false
   */
  readonly internet?: boolean;
}

/**
 * Which pods can open connections to which, on which ports, under the networking.k8s.io/v1
 * NetworkPolicies and the network-policy-api tiers (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
 * ClusterNetworkPolicy) of a set of manifests. Build it once; queries reuse the precomputed indexes.
 */
export class ReachabilityModel {
  /** Builds a model from the cluster model that the rules read too. */
  static fromCluster(cluster: ClusterModel, options: ReachabilityOptions = {}): ReachabilityModel {
    return new ReachabilityModel(buildInventory(cluster, options.policyView, options.internet === true), options);
  }

  /** Builds a model from manifests read by parseManifests. */
  static fromManifests(manifests: readonly Manifest[], options: ReachabilityOptions = {}): ReachabilityModel {
    return ReachabilityModel.fromCluster(ClusterModel.fromManifests(manifests), options);
  }

  /** Builds a model from plain objects (List objects are flattened), e.g. from syntheticCluster. */
  static fromObjects(objects: readonly unknown[], options: ReachabilityOptions = {}, source = '<objects>'): ReachabilityModel {
    return ReachabilityModel.fromCluster(ClusterModel.fromObjects(objects, source), options);
  }

  /** The namespaces, sorted by name, then the internet node's entry when asked for. */
  readonly namespaces: readonly NamespaceInfo[];
  /** The pods, by namespace, then the internet node when asked for. */
  readonly pods: readonly PodInfo[];
  /** The internet node, when asked for. */
  readonly internet?: PodInfo;
  readonly policies: readonly NetworkPolicyInfo[];
  /** AdminNetworkPolicies, the BaselineAdminNetworkPolicy and ClusterNetworkPolicies, in input order. */
  readonly clusterPolicies: readonly ClusterPolicyInfo[];

  private readonly engine: Engine;
  private readonly podByKey: ReadonlyMap<string, PodInfo>;
  private readonly selfTraffic: SelfTraffic;

  private constructor(inventory: Inventory, options: ReachabilityOptions) {
    this.namespaces = inventory.namespaces;
    this.pods = inventory.pods;
    this.policies = inventory.policies;
    this.clusterPolicies = inventory.clusterPolicies;
    this.selfTraffic = options.selfTraffic ?? 'policy';
    this.engine = new Engine(inventory, this.policies, this.selfTraffic);
    this.podByKey = new Map(this.pods.map((p) => [p.key, p]));
    this.internet = this.pods.find((p) => p.external === true);
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

  /** Whether `from` may connect to `to` on `protocol`/`port`, with the rules and policies involved. */
  evaluate(from: string, to: string, port: number, protocol: Protocol = 'TCP'): Verdict {
    checkPort(port, protocol);
    return explainConnection(this.engine, this.pod(from), this.pod(to), port, protocol, this.selfTraffic === 'allow');
  }

  /** Every port on which `from` may connect to `to`. */
  allowedPorts(from: string, to: string): PortSet {
    return this.engine.store.get(this.engine.allowedPorts(this.pod(from).index, this.pod(to).index));
  }

  /** Pod-to-pod matrix for one port. */
  podMatrix(port: number, protocol: Protocol = 'TCP'): PodMatrix {
    checkPort(port, protocol);
    const n = this.pods.length;
    const contains = this.containsMemo(port, protocol);
    const cells = new Uint8Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) cells[a * n + b] = contains(this.engine.allowedPorts(a, b));
    }
    return new PodMatrix(this.pods.map((p) => p.key), port, protocol, cells);
  }

  /** Pod-to-pod matrix over all ports. */
  podPortMatrix(): PodPortMatrix {
    const n = this.pods.length;
    const cells = new Int32Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) cells[a * n + b] = this.engine.allowedPorts(a, b);
    }
    return new PodPortMatrix(this.pods.map((p) => p.key), this.engine.store, cells);
  }

  /** Namespace-to-namespace matrix over all ports: for each pair, the ports of some and of every pod pair. */
  namespaceMatrix(): NamespacePortMatrix;
  /** Namespace-to-namespace matrix for one port. */
  namespaceMatrix(port: number, protocol?: Protocol): NamespaceMatrix;
  namespaceMatrix(port?: number, protocol: Protocol = 'TCP'): NamespacePortMatrix | NamespaceMatrix {
    const { some, every } = aggregateNamespaces(this.engine, this.namespaces, this.selfTraffic);
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
        for (let i = 0; i < ns.pods.length && acc !== PortSetStore.ALL; i++) acc = store.union(acc, this.engine.allowedPorts(ns.pods[i].index, b));
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

import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  Endpoint, findEndpoint, judgeEndpoints, NamespaceGroup, NamespaceInfo, NamespacePortMatrix, PodInfo, PolicyView, PortSet,
  ReachabilityModel, renderNamespaceMarkdown, renderNamespaceMermaid,
} from '../analysis/reachability';
import { clusterEndpointObjects, clusterProfilesOf } from '../cluster/cluster-endpoints';
import { AppGuard } from '../guard/app-guard';
import { ClusterModel } from '../model/cluster-model';
import { ClusterNetwork } from '../model/cluster-network';
import { Labels } from '../model/labels';
import { toManifests } from '../model/manifests';
import { ownerLabel, Profile, ProtocolName } from '../model/vocabulary';
import { Port } from '../network/port';

/**
 * What one ordered pair of namespaces may do, over every port and protocol.
 */
export interface NamespaceReachability {
  /** The namespace the connections start in. */
  readonly sourceNamespace: string;

  /** The namespace the connections go to. */
  readonly destinationNamespace: string;

  /**
   * The ports on which some pod of the source can open connections to some pod of the
   * destination, for example `TCP 5432`, `TCP 53, UDP 53`, `all` or `none`.
   */
  readonly ports: string;

  /**
   * The ports on which every pod of the source can reach every pod of the destination (same
   * format as `ports`).
   */
  readonly everyPodPorts: string;

  /**
   * Whether every pod of the source can reach every pod of the destination on all of `ports`
   * (false when `ports` is `none`).
   */
  readonly everyPod: boolean;
}

/**
 * How enforcing the namespaces in monitor mode would change what one ordered pair of namespaces may
 * do (ports as in `NamespaceReachability.ports`: some pod of the source to some pod of the
 * destination).
 */
export interface EnforcementChange {
  /** The namespace the connections start in. */
  readonly sourceNamespace: string;

  /** The namespace the connections go to. */
  readonly destinationNamespace: string;

  /** The ports open now, for example `all`. */
  readonly ports: string;

  /** The ports open once enforced, for example `TCP 53, UDP 53` or `none`. */
  readonly enforcedPorts: string;

  /** The ports open now that enforcement closes: what it would block (`none` if it blocks nothing). */
  readonly closedPorts: string;

  /**
   * The ports closed now that enforcement opens (`none`, unless a staged policy admits more than the
   * NetworkPolicy it replaces).
   */
  readonly openedPorts: string;
}

// Namespace labels that group namespaces in the mermaid graph, in order of precedence.
const GROUPS: readonly Profile[] = [Profile.ZONE, Profile.TENANT, Profile.TEAM];
const UNGROUPED = 'cluster';
const OUTSIDE: NamespaceGroup = { rank: GROUPS.length + 1, title: 'outside the cluster' };
const NONE_CELL = '—';

/**
 * Which namespaces and pods can open connections to which, on which ports, under the
 * NetworkPolicies of an app, a chart or a set of manifests.
 *
 * Built from cdk8s constructs, the report also contains representative pods of the cluster
 * services that every `ClusterProfile` in the construct tree declares: the DNS pods (for
 * example `kube-system/kube-dns`, with container ports `dns` UDP 53 and `dns-tcp` TCP 53), the
 * ingress controller (for example `ingress-nginx/ingress-nginx`) and the monitoring system,
 * when they are pods in a named namespace. That makes "DNS is reachable from everywhere" and
 * "customers are reachable only through the ingress controller" provable.
 *
 * Sources and destinations are namespace names (`customer1`: some pod of it) or pod keys
 * (`customer1/backend`: the representative pod of the workload `backend`, or the Pod
 * `backend`; `ns/*` for a namespace without pods), or `internet`.
 *
 * The `internet` node stands for every public address outside the cluster's declared ranges, as a
 * namespace stands for its pods: `canReach(x, 'internet', ...)` is true when some public address can
 * be reached, and `explain` names the ranges. ipBlock rules hold the part of it they cover (egress to
 * `52.0.0.0/8` or `0.0.0.0/1` shows), it has no policies of its own, and namespace and pod selectors
 * never select it. It is a row and a column of the matrix, the Markdown and the Mermaid graph (a
 * circle outside the cluster's subgraphs), after the namespaces, so an internet-facing zone's
 * exposure and every namespace's egress to public addresses show there; it is not among
 * `namespaces` or `pods`. When the input has a namespace called `internet`, the node is called
 * `(internet)` (see `internetNode`). What the policies admit from the internet reaches a pod only
 * through whatever exposes it (a LoadBalancer Service, an ingress controller that keeps the client
 * address).
 *
 * Pods have addresses too: a Pod's status.podIP, or for a workload any address of the profiles'
 * pod CIDRs (the private ranges when none is declared). Whether a NetworkPolicy ipBlock matches them
 * is up to the network plugin (the profiles' `networkBackend`: Calico does, Cilium does not); where
 * it is not declared and an answer depends on it, the report counts what a plugin that matches them
 * lets through (`dependsOnNetworkPlugin`), so it never calls open traffic denied. Pods on the host
 * network are outside NetworkPolicies.
 *
 * The report shows what the cluster lets through now. For namespaces in monitor mode that is not
 * what their policies say: `asEnforced()` is the report as it will be once they enforce, and
 * `enforcementChanges()` lists what enforcement would block.
 */
export class ConnectivityReport {
  /**
   * The connectivity of every chart of an app.
   *
   * Synthesizes the app (which runs its validations) at the time of the call; later changes to
   * the app are not seen.
   *
   * @param app the app to analyse
   */
  public static fromApp(app: App): ConnectivityReport {
    const objects = AppGuard.duringSynthesis(app, () => app.charts.flatMap(chart => chart.toJson()));
    return ConnectivityReport.fromConstructs(app, objects);
  }

  /**
   * The connectivity of one chart.
   *
   * Cluster services come from the `ClusterProfile`s inside the chart, or when the chart holds
   * none, from those of its app. Synthesizes the chart at the time of the call.
   *
   * @param chart the chart to analyse
   */
  public static fromChart(chart: Chart): ConnectivityReport {
    return ConnectivityReport.fromConstructs(chart, chart.toJson());
  }

  /**
   * The connectivity of plain Kubernetes objects (as parsed from YAML or JSON; `List` objects
   * are flattened). No cluster services are added: include the DNS pods yourself to query them.
   *
   * @param manifests the objects to analyse
   */
  public static fromManifests(manifests: any[]): ConnectivityReport {
    if (!Array.isArray(manifests)) {
      throw new Error(`ConnectivityReport.fromManifests expects a list of Kubernetes objects, got ${manifests === null ? 'null' : typeof manifests}`);
    }
    return new ConnectivityReport(manifests, ClusterNetwork.UNDECLARED);
  }

  private static fromConstructs(scope: IConstruct, objects: any[]): ConnectivityReport {
    const workloads = ClusterModel.fromObjects(objects).workloads;
    const profiles = clusterProfilesOf(scope);
    return new ConnectivityReport([...objects, ...clusterEndpointObjects(profiles, workloads)], ClusterNetwork.union(profiles));
  }

  private readonly objects: any[];
  private readonly network: ClusterNetwork;
  private readonly view: PolicyView;
  private readonly model: ReachabilityModel;
  /** What the queries answer from: the model, or its twin where the plugin may match ipBlocks against pods. */
  private readonly answers: ReachabilityModel;
  private readonly namespaceByName: Map<string, NamespaceInfo>;
  private portMatrix?: NamespacePortMatrix;
  private enforced?: ConnectivityReport;

  private constructor(objects: any[], network: ClusterNetwork, view: PolicyView = 'effective') {
    this.objects = [...objects];
    this.network = network;
    this.view = view;
    const manifests = objects.flatMap((o, i) => toManifests(o, '<objects>', i + 1));
    this.model = ReachabilityModel.fromCluster(ClusterModel.fromManifests(manifests, network), { policyView: view, internet: true });
    // Of an undeclared plugin, what one that matches ipBlocks against pod addresses lets through counts too.
    this.answers = this.model.whereIpBlocksMatchPods ?? this.model;
    this.namespaceByName = new Map(this.model.namespaces.filter(n => n.external !== true).map(n => [n.name, n]));
  }

  /** The namespaces analysed, sorted by name (the internet node is not one). */
  public get namespaces(): string[] {
    return [...this.namespaceByName.keys()];
  }

  /** The keys of the pods analysed (`namespace/name`), sorted by namespace then name (the internet node is not one). */
  public get pods(): string[] {
    return this.model.pods.filter(p => p.external !== true).map(p => p.key);
  }

  /**
   * The name of the node that stands for a public address: `internet`, or `(internet)` when the
   * input has a namespace called `internet`. A source or destination of every query, and a row and
   * column of the matrix.
   */
  public get internetNode(): string {
    return this.model.internet!.key;
  }

  /**
   * The public addresses the internet node stands for, as the fewest CIDR blocks: every address but
   * the special-purpose ranges (private, shared, loopback, link-local, documentation, multicast...)
   * and the ranges the cluster's profiles declare.
   */
  public get internetAddresses(): string[] {
    return this.model.internet!.addresses.toCidrs();
  }

  /**
   * Whether an answer depends on the network plugin the input does not declare: some ipBlock of the
   * policies holds addresses of the cluster's own pods or nodes, which Calico matches and Cilium does
   * not. When true, `canReach`, `allowedPorts` and the matrices count what a plugin that matches them
   * lets through, and `explain` says so; declare `networkBackend` on the ClusterProfile for the exact
   * answer.
   */
  public get dependsOnNetworkPlugin(): boolean {
    return this.answers !== this.model;
  }

  /**
   * The objects analysed: the synthesized manifests plus the representative pods of the cluster
   * services (marked with the `namespace-guard.dev/cluster-endpoint` annotation).
   */
  public analyzedObjects(): any[] {
    return JSON.parse(JSON.stringify(this.objects));
  }

  /**
   * Whether `source` can open a connection to `destination` on `port`.
   *
   * For a namespace, true when SOME pod of it can reach (or be reached); for a pod key, that
   * pod. A pod talking to itself is judged by the policies like any other pair.
   *
   * @param source a namespace name, a pod key (`namespace/name`) or `internet`
   * @param destination a namespace name, a pod key (`namespace/name`) or `internet`
   * @param port a single port: `Port.tcp(n)`, `Port.udp(n)` or `Port.sctp(n)`
   */
  public canReach(source: string, destination: string, port: Port): boolean {
    const [protocol, number] = singlePort(port, 'canReach');
    const from = this.endpoint(source, 'source');
    const to = this.endpoint(destination, 'destination');
    return this.firstAllowedPair(from, to, protocol, number) !== undefined;
  }

  /**
   * Why `source` can or cannot open a connection to `destination` on `port`: one sentence
   * starting with `allowed:` or `denied:` that names the policies and rules involved.
   *
   * For namespaces, the sentence names a pod pair and that pair's explanation: an allowed pair
   * when there is one, otherwise the denied pair closest to being allowed.
   *
   * @param source a namespace name, a pod key (`namespace/name`) or `internet`
   * @param destination a namespace name, a pod key (`namespace/name`) or `internet`
   * @param port a single port: `Port.tcp(n)`, `Port.udp(n)` or `Port.sctp(n)`
   */
  public explain(source: string, destination: string, port: Port): string {
    const [protocol, number] = singlePort(port, 'explain');
    const from = this.endpoint(source, 'source');
    const to = this.endpoint(destination, 'destination');
    const verdict = judgeEndpoints(this.model, from, to, number, protocol);
    return verdict.allowedWhere ? `allowed ${verdict.allowedWhere.condition}: ${verdict.allowedWhere.verdict.explanation}` : verdict.explanation;
  }

  /**
   * Every port on which `source` can reach `destination` (for namespaces: some pod of each),
   * for example `TCP 5432`, `TCP 53, UDP 53`, `all` or `none`.
   *
   * @param source a namespace name, a pod key (`namespace/name`) or `internet`
   * @param destination a namespace name, a pod key (`namespace/name`) or `internet`
   */
  public allowedPorts(source: string, destination: string): string {
    const from = this.endpoint(source, 'source');
    const to = this.endpoint(destination, 'destination');
    if (from.isNamespace && to.isNamespace) return this.matrix().some(from.text, to.text).toString();
    let ports = PortSet.NONE;
    for (const a of from.pods) for (const b of to.pods) ports = ports.union(this.answers.allowedPorts(a.key, b.key));
    return ports.toString();
  }

  /**
   * The namespace-to-namespace matrix: one entry per ordered pair of namespaces (a namespace
   * with itself included), ordered by source then destination name, the internet node after the
   * namespaces (from and to every namespace, not to itself).
   */
  public namespaceMatrix(): NamespaceReachability[] {
    const names = this.nodes();
    return names.flatMap(from => names.filter(to => !this.bothInternet(from, to)).map(to => this.cell(from, to)));
  }

  /**
   * The ordered pairs of namespaces between which some traffic is allowed, ordered by source
   * then destination name, the internet node after the namespaces.
   *
   * @param includeSameNamespace whether to list a namespace's traffic with itself too
   * @default false
   */
  public reachablePairs(includeSameNamespace?: boolean): NamespaceReachability[] {
    return this.namespaceMatrix().filter(c => c.ports !== 'none' && (includeSameNamespace === true || c.sourceNamespace !== c.destinationNamespace));
  }

  /**
   * The matrix as a Markdown table: one row per source namespace, one column per destination,
   * each cell the ports on which some pod of the row can reach some pod of the column (`—` for
   * none); the internet node last, in italics.
   */
  public toMarkdown(): string {
    return renderNamespaceMarkdown({
      namespaces: this.nodes(),
      corner: 'from ↓ / to →',
      rowHeader: name => this.header(name),
      cell: (from, to) => {
        const ports = this.matrix().some(from, to);
        return ports.isEmpty ? NONE_CELL : ports.toString();
      },
    }) + '\n';
  }

  /**
   * The allowed namespace-to-namespace flows as a Mermaid `flowchart LR`: one node per
   * namespace, grouped into subgraphs by their `namespace-guard.dev/zone`, `tenant` or `team`
   * label (namespaces without one, such as `kube-system`, under `cluster`), the internet node as a
   * circle in `outside the cluster`, and one edge per ordered pair with allowed traffic, labelled
   * with its ports. Traffic within a namespace is not drawn.
   */
  public toMermaid(): string {
    return renderNamespaceMermaid({
      namespaces: this.nodes(),
      allowed: (from, to) => !this.matrix().some(from, to).isEmpty,
      edgeLabel: (from, to) => this.matrix().some(from, to).toString(),
      groupOf: name => (this.isInternet(name) ? OUTSIDE : groupOf(this.namespaceByName.get(name)?.labels ?? {})),
      nodeIds: 'readable',
      isExternal: name => this.isInternet(name),
    }) + '\n';
  }

  /**
   * The matrix as plain JSON: `{ namespaces: [...], internet: "internet", matrix: [{ sourceNamespace,
   * destinationNamespace, ports, everyPodPorts, everyPod }, ...] }`, the matrix in the order of
   * `namespaceMatrix()` (`internet` names the internet node, which the matrix holds too).
   */
  public toJson(): any {
    return { namespaces: this.namespaces, internet: this.internetNode, matrix: this.namespaceMatrix().map(c => ({ ...c })) };
  }

  /**
   * The same objects as they will be once the namespaces in monitor mode enforce their policies:
   * `monitor-allow-all` policies (annotated `namespace-guard.dev/monitor-only`) are left out, and
   * Calico staged policies count as the NetworkPolicies they become. Where nothing is in monitor
   * mode it answers like this report; the report as enforced is its own `asEnforced()`.
   */
  public asEnforced(): ConnectivityReport {
    if (this.view === 'enforced') return this;
    return (this.enforced ??= new ConnectivityReport(this.objects, this.network, 'enforced'));
  }

  /**
   * What enforcing the namespaces in monitor mode would change: one entry per ordered pair of
   * namespaces whose ports differ between this report and `asEnforced()`, ordered by source then
   * destination name. Its `closedPorts` are what enforcement would block. Pairs compare at the
   * namespace level (some pod to some pod): for single pods, ask `asEnforced()`.
   *
   * @param includeSameNamespace whether to list a namespace's traffic with itself too
   * @default false
   */
  public enforcementChanges(includeSameNamespace?: boolean): EnforcementChange[] {
    const enforced = this.asEnforced();
    const changes: EnforcementChange[] = [];
    for (const from of this.nodes()) {
      for (const to of this.nodes()) {
        if ((from === to && includeSameNamespace !== true) || this.bothInternet(from, to)) continue;
        const now = this.matrix().some(from, to);
        const then = enforced.matrix().some(from, to);
        if (now.equals(then)) continue;
        changes.push({
          sourceNamespace: from,
          destinationNamespace: to,
          ports: now.toString(),
          enforcedPorts: then.toString(),
          closedPorts: now.subtract(then).toString(),
          openedPorts: then.subtract(now).toString(),
        });
      }
    }
    return changes;
  }

  /**
   * The matrix as enforced (see `asEnforced()`) as a Markdown table, like `toMarkdown()`, with each
   * cell that enforcement changes marked: the ports open now struck through, then the ports once
   * enforced (`~~all~~ → TCP 53, UDP 53`).
   */
  public toEnforcementMarkdown(): string {
    const enforced = this.asEnforced();
    const text = (ports: PortSet) => (ports.isEmpty ? NONE_CELL : ports.toString());
    return renderNamespaceMarkdown({
      namespaces: this.nodes(),
      corner: 'from ↓ / to →',
      rowHeader: name => this.header(name),
      cell: (from, to) => {
        const now = this.matrix().some(from, to);
        const then = enforced.matrix().some(from, to);
        return now.equals(then) ? text(then) : `~~${text(now)}~~ → ${text(then)}`;
      },
    }) + '\n';
  }

  /** The namespaces, then the internet node: the rows and columns of the matrix. */
  private nodes(): string[] {
    // Without namespaces there is nothing for the internet to reach, nor anything reaching it.
    return this.namespaceByName.size === 0 ? [] : this.model.namespaces.map(n => n.name);
  }

  private isInternet(name: string): boolean {
    return name === this.internetNode;
  }

  private bothInternet(from: string, to: string): boolean {
    return this.isInternet(from) && this.isInternet(to);
  }

  /** A row header of the Markdown tables: a namespace in bold, the internet node in italics. */
  private header(name: string): string {
    return this.isInternet(name) ? `*${name}*` : `**${name}**`;
  }

  private matrix(): NamespacePortMatrix {
    return (this.portMatrix ??= this.answers.namespaceMatrix());
  }

  private cell(from: string, to: string): NamespaceReachability {
    const some = this.matrix().some(from, to);
    const every = this.matrix().every(from, to);
    return {
      sourceNamespace: from,
      destinationNamespace: to,
      ports: some.toString(),
      everyPodPorts: every.toString(),
      everyPod: !some.isEmpty && every.equals(some),
    };
  }

  private endpoint(text: string, role: string): Endpoint {
    if (typeof text !== 'string' || text === '') {
      throw new Error(`the ${role} must be a namespace name, a pod key such as "customer1/backend" or "${this.internetNode}", got ${JSON.stringify(text)}`);
    }
    const found = findEndpoint(this.model, text);
    if (found) return found;
    if (text.includes('/')) {
      const inNamespace = this.namespaceByName.get(text.slice(0, text.indexOf('/')))?.pods.map(p => p.key);
      const known = inNamespace ?? this.pods;
      throw new Error(`unknown ${role} pod "${text}"; known pods${inNamespace ? ' of that namespace' : ''}: ${listOf(known)}`);
    }
    throw new Error(`unknown ${role} namespace "${text}"; known namespaces: ${listOf(this.namespaces)} (use "namespace/name" for a pod, "${this.internetNode}" for a public address)`);
  }

  private firstAllowedPair(from: Endpoint, to: Endpoint, protocol: ProtocolName, port: number): [PodInfo, PodInfo] | undefined {
    for (const a of from.pods) {
      for (const b of to.pods) {
        if (this.answers.allowedPorts(a.key, b.key).contains(protocol, port)) return [a, b];
      }
    }
    return undefined;
  }
}

/** The protocol and number of a single-port `Port`; throws for anything else. */
function singlePort(port: Port, method: string): [ProtocolName, number] {
  if (!(port instanceof Port)) {
    throw new Error(`${method}: expected a Port such as Port.tcp(5432), got ${port === null ? 'null' : typeof port}`);
  }
  const problems = port._problems();
  if (problems.length > 0) throw new Error(`${method}: ${problems.join('; ')}`);
  const rendered = port._render();
  const number = rendered?.port;
  if (rendered === undefined || typeof number !== 'number' || rendered.endPort !== undefined) {
    throw new Error(`${method}: "${port}" is not a single numeric port; reachability is checked one port at a time, so pass Port.tcp(n), Port.udp(n) or Port.sctp(n)`);
  }
  return [rendered.protocol as ProtocolName, number];
}

/** The mermaid subgraph of a namespace: its first group label, in order of precedence. */
function groupOf(labels: Labels): NamespaceGroup {
  for (let rank = 0; rank < GROUPS.length; rank++) {
    const value = labels[ownerLabel(GROUPS[rank])];
    if (value !== undefined && value !== '') return { rank, title: `${GROUPS[rank]}: ${value}` };
  }
  return { rank: GROUPS.length, title: UNGROUPED };
}

function listOf(items: readonly string[]): string {
  return items.length > 20 ? `${items.slice(0, 20).join(', ')}, ...` : items.join(', ');
}

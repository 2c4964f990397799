import { Construct, IConstruct } from 'constructs';
import { DEFAULT_POD_SECURITY_VERSION, podSecurityVersionProblem } from './pod-security-version';
import { clusterCidrProblem } from '../model/cluster-network';
import { formatKubernetesVersion, kubernetesVersionProblem, NEWEST_KUBERNETES_MINOR } from '../model/kubernetes-version';
import { NetworkBackend } from '../model/vocabulary';
import { IPeer, Peer, PeerSelector } from '../network/peer';
import { Port } from '../network/port';
import { cidrProblem } from '../private/cidr';
import { guardError } from '../private/errors';
import { fingerprint } from '../private/json';
import { dnsLabelProblem, labelsProblems } from '../private/names';

/**
 * Options for the kube-dns (CoreDNS) pods.
 */
export interface KubeDnsOptions {
  /**
   * The namespace of the DNS pods.
   *
   * @default "kube-system"
   */
  readonly namespaceName?: string;

  /**
   * Labels of the DNS pods.
   *
   * @default { "k8s-app": "kube-dns" }
   */
  readonly podLabels?: { [key: string]: string };
}

/**
 * Where the pods of the cluster resolve names. Default-deny egress breaks DNS, so every
 * bundle allows UDP and TCP 53 to it.
 */
export class ClusterDns {
  /** The kube-dns / CoreDNS pods, selected by namespace name and pod labels. */
  public static kubeDns(options: KubeDnsOptions = {}): ClusterDns {
    return new ClusterDns(options, undefined);
  }

  /**
   * A NodeLocal DNSCache address. Pod selectors never match it (it lives on the node), so it
   * is allowed by IP block.
   *
   * @param address the link-local address of the cache, for example `169.254.20.10`
   */
  public static nodeLocal(address: string): ClusterDns {
    return new ClusterDns(undefined, address);
  }

  /**
   * Both: a NodeLocal DNSCache address and the kube-dns pods behind it (needed while the cache
   * forwards misses, or during a roll-out of the cache).
   */
  public static kubeDnsAndNodeLocal(address: string, options: KubeDnsOptions = {}): ClusterDns {
    return new ClusterDns(options, address);
  }

  private constructor(private readonly kubeDnsOptions: KubeDnsOptions | undefined, private readonly nodeLocalAddress: string | undefined) {}

  /**
   * Selectors of the DNS endpoints.
   * @internal
   */
  public _selectors(): PeerSelector[] {
    const selectors: PeerSelector[] = [];
    if (this.kubeDnsOptions) {
      selectors.push({
        namespaceNames: [this.kubeDnsOptions.namespaceName ?? 'kube-system'],
        podLabels: { ...(this.kubeDnsOptions.podLabels ?? { 'k8s-app': 'kube-dns' }) },
      });
    }
    if (this.nodeLocalAddress !== undefined) {
      const family = this.nodeLocalAddress.includes(':') ? 'ipv6' : 'ipv4';
      selectors.push({ cidr: `${this.nodeLocalAddress}/${family === 'ipv4' ? 32 : 128}` });
    }
    return selectors;
  }

  /**
   * What is wrong with the DNS settings.
   * @internal
   */
  public _problems(): string[] {
    const problems: string[] = [];
    if (this.kubeDnsOptions) {
      const ns = this.kubeDnsOptions.namespaceName ?? 'kube-system';
      const p = dnsLabelProblem(ns);
      if (p) problems.push(`DNS namespace "${ns}" is invalid: ${p}`);
      if (this.kubeDnsOptions.podLabels) {
        problems.push(...labelsProblems(this.kubeDnsOptions.podLabels));
        if (Object.keys(this.kubeDnsOptions.podLabels).length === 0) {
          problems.push('DNS podLabels is empty, which would allow every pod of the DNS namespace; give the DNS pods\' labels such as { "k8s-app": "kube-dns" }');
        }
      }
    }
    if (this.nodeLocalAddress !== undefined) {
      const address = this.nodeLocalAddress;
      const family = address.includes(':') ? 'ipv6' : 'ipv4';
      const p = cidrProblem(`${address}/${family === 'ipv4' ? 32 : 128}`, family);
      if (p || address.includes('/')) {
        problems.push(`NodeLocal DNS address "${address}" is not a single IP address; give the address alone, for example "169.254.20.10"`);
      }
    }
    return problems;
  }
}

/**
 * Properties of a `ClusterProfile`.
 */
export interface ClusterProfileProps {
  /**
   * Where pods resolve names.
   *
   * @default ClusterDns.kubeDns()
   */
  readonly dns?: ClusterDns;

  /**
   * The ingress controller pods, so bundles can admit traffic from them.
   *
   * @default - none declared; `ingressController` throws when used
   */
  readonly ingressController?: IPeer;

  /**
   * The monitoring system (for example Prometheus), so bundles can let it scrape them.
   *
   * @default - none declared; `monitoring` throws when used
   */
  readonly monitoring?: IPeer;

  /**
   * The container ports the monitoring system scrapes, by name. A restricted `SecurityZone`, which
   * admits nothing but other zones, also admits this profile's `monitoring` object (not a look-alike
   * peer) on these ports and no others: `zone.connections.allowFrom(cluster.monitoring,
   * ...cluster.monitoringPorts)`. Named ports only: a name is what the pods publish for monitoring,
   * while a number could be any of their services (the database port of a database).
   *
   * @default [Port.named('metrics')]
   */
  readonly monitoringPorts?: Port[];

  /**
   * The Kubernetes API server address range. Its traffic comes from host-network addresses
   * that pod selectors never match, so it can only be an IP block such as `Peer.ipv4(...)`.
   *
   * @default - none declared; `apiServer` throws when used
   */
  readonly apiServer?: IPeer;

  /**
   * The Pod Security Admission version bundles pin unless they set their own.
   *
   * @default "v1.35"
   */
  readonly podSecurityVersion?: string;

  /**
   * The Kubernetes version of the cluster's API server, as `"1.<minor>"` (for example `"1.31"`;
   * 1.25 or later). An API server judges a Pod Security label at the label's version capped at its
   * own (`latest` is its own), so the synth-time checks judge workloads that way, and synthesis
   * warns (`pod-security-cluster-version`) when the pinned level relies on a check the cluster is
   * too old to run (the probe and lifecycle `host` checks of v1.34).
   *
   * @default "1.37" - the newest version the Pod Security checks model: each label is judged at its
   * own version, as a cluster at least that new judges it
   */
  readonly kubernetesVersion?: string;

  /**
   * The cluster's pod CIDRs (IPv4 and IPv6 alike), for example `["10.244.0.0/16"]`.
   * `Peer.internet()` excludes them, and a tenant policy that opens an IP block covering them is a
   * `cluster-range-flow` finding (an address block reaches every tenant's pods).
   *
   * @default - none declared: nothing beyond the special-purpose ranges is excluded or checked
   */
  readonly podCidrs?: string[];

  /**
   * The cluster's Service CIDRs, for example `["10.96.0.0/12"]`; treated like `podCidrs`.
   *
   * @default - none declared
   */
  readonly serviceCidrs?: string[];

  /**
   * The CIDRs of the nodes' own addresses (where host-network pods and the kubelet listen), for
   * example `["10.0.0.0/20"]`. `Peer.internet()` excludes them.
   *
   * @default - none declared
   */
  readonly nodeCidrs?: string[];

  /**
   * The network plugin that enforces NetworkPolicies, which decides how a bundle in monitor mode
   * writes its policies: `CALICO` writes them as Calico staged policies, which Calico evaluates and
   * reports without enforcing; `KUBERNETES` and `CILIUM` write them with a `monitor-allow-all`
   * policy that makes them ineffective, and nothing in the cluster reports what they would block
   * (on `CILIUM` synthesis warns: its audit mode cannot be scoped to a namespace).
   *
   * @default NetworkBackend.KUBERNETES
   */
  readonly networkBackend?: NetworkBackend;
}

/** The profiles of each app, in creation order, so bundles find the app's only one without a tree walk. */
const profilesByApp = new WeakMap<IConstruct, ClusterProfile[]>();

/** The version assumed when a profile gives none: the newest the checks model, so labels are judged at their own version. */
const DEFAULT_KUBERNETES_VERSION = formatKubernetesVersion(NEWEST_KUBERNETES_MINOR);

function bundleFacts(dns: ClusterDns, ranges: readonly string[], version: string, backend: NetworkBackend, kubernetes: string): string {
  return fingerprint({ dns: dns._selectors(), ranges, version, backend, kubernetes });
}

/**
 * Facts about the cluster that every bundle needs, declared once: the DNS mode, the ingress
 * controller, the monitoring system, the API server range, the pod, Service and node CIDRs, the
 * network plugin that enforces NetworkPolicies, and the Kubernetes version.
 *
 * When an app has exactly one profile, bundles that name none use it; with several, each bundle
 * must name its own (`cluster`).
 */
export class ClusterProfile extends Construct {
  /**
   * The profile a bundle at `scope` uses: `explicit` when given, else the app's only profile, else
   * undefined (kube-dns, nothing declared). Throws when the app has several and none was named.
   * @internal
   */
  public static _resolve(scope: IConstruct, explicit: ClusterProfile | undefined): ClusterProfile | undefined {
    if (explicit !== undefined) return explicit;
    const profiles = profilesByApp.get(scope.node.root) ?? [];
    if (profiles.length > 1) {
      throw guardError(scope.node.path, `the app has ${profiles.length} ClusterProfiles (${profiles.map(p => p.node.path).join(', ')}) and the bundle names none`,
        'pass cluster: the ClusterProfile of the cluster this namespace runs on');
    }
    return profiles[0];
  }

  /**
   * Every profile of the app at `scope`, in creation order.
   * @internal
   */
  public static _all(scope: IConstruct): ClusterProfile[] {
    return [...profilesByApp.get(scope.node.root) ?? []];
  }

  /**
   * Why a bundle that resolved `used` (without naming a profile) would now resolve another one that
   * says something else: a profile created after it. Undefined when nothing that the bundle reads
   * would change (a profile created later only to declare, say, the monitoring bundle is fine).
   * @internal
   */
  public static _lateProfileProblem(scope: IConstruct, used: ClusterProfile | undefined): string | undefined {
    const profiles = profilesByApp.get(scope.node.root) ?? [];
    const late = profiles.filter(p => p !== used);
    if (late.length === 0) return undefined;
    const before = used?._bundleFacts()
      ?? bundleFacts(ClusterDns.kubeDns(), [], DEFAULT_POD_SECURITY_VERSION, NetworkBackend.KUBERNETES, DEFAULT_KUBERNETES_VERSION);
    const differing = late.filter(p => p._bundleFacts() !== before);
    if (differing.length === 0 && profiles.length === 1) return undefined;
    if (profiles.length > 1 && used === undefined) {
      return `the app has ${profiles.length} ClusterProfiles (${profiles.map(p => p.node.path).join(', ')}), created after this bundle, which names none`;
    }
    if (differing.length === 0) return undefined;
    return `ClusterProfile ${differing.map(p => p.node.path).join(', ')} was created after this bundle, which names no cluster profile and so `
      + `${used ? `used ${used.node.path}` : 'used kube-dns and no declared ranges'}`;
  }

  /** Where pods resolve names. */
  public readonly dns: ClusterDns;

  /** The Pod Security Admission version bundles pin by default. */
  public readonly podSecurityVersion: string;

  /**
   * The Kubernetes version of the cluster's API server (`"1.31"`), which caps the version Pod
   * Security labels are judged at.
   */
  public readonly kubernetesVersion: string;

  /** The declared pod CIDRs. */
  public readonly podCidrs: string[];

  /** The declared Service CIDRs. */
  public readonly serviceCidrs: string[];

  /** The declared node CIDRs. */
  public readonly nodeCidrs: string[];

  /** The network plugin that enforces NetworkPolicies. */
  public readonly networkBackend: NetworkBackend;


  private readonly _ingressController?: IPeer;
  private readonly _monitoring?: IPeer;
  private readonly _apiServer?: IPeer;
  private readonly _monitoringPorts: Port[];

  constructor(scope: Construct, id: string, props: ClusterProfileProps = {}) {
    super(scope, id);
    this.dns = props.dns ?? ClusterDns.kubeDns();
    this.podSecurityVersion = props.podSecurityVersion ?? DEFAULT_POD_SECURITY_VERSION;
    this.kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    this._ingressController = props.ingressController;
    this._monitoring = props.monitoring;
    this._apiServer = props.apiServer;
    this.podCidrs = [...props.podCidrs ?? []];
    this.serviceCidrs = [...props.serviceCidrs ?? []];
    this.nodeCidrs = [...props.nodeCidrs ?? []];
    this.networkBackend = props.networkBackend ?? NetworkBackend.KUBERNETES;
    this._monitoringPorts = Array.isArray(props.monitoringPorts) ? [...props.monitoringPorts] : [Port.named('metrics')];

    const problems = [...this.dns._problems()];
    for (const [name, cidrs] of [['podCidrs', this.podCidrs], ['serviceCidrs', this.serviceCidrs], ['nodeCidrs', this.nodeCidrs]] as const) {
      problems.push(...cidrs.map(c => clusterCidrProblem(c)).filter((p): p is string => p !== undefined).map(p => `${name}: ${p}`));
    }
    const v = podSecurityVersionProblem(this.podSecurityVersion);
    if (v) problems.push(`podSecurityVersion ${v}`);
    const k = kubernetesVersionProblem(this.kubernetesVersion);
    if (k) problems.push(`kubernetesVersion ${k}`);
    if (!Object.values(NetworkBackend).includes(this.networkBackend)) {
      problems.push(`networkBackend ${JSON.stringify(this.networkBackend)} is not a NetworkBackend; use NetworkBackend.KUBERNETES, CALICO or CILIUM`);
    }
    for (const [name, peer] of [['ingressController', props.ingressController], ['monitoring', props.monitoring], ['apiServer', props.apiServer]] as const) {
      if (peer instanceof Peer) problems.push(...peer._problems().map(p => `${name}: ${p}`));
    }
    problems.push(...monitoringPortsProblems(props.monitoringPorts));
    if (props.apiServer && props.apiServer.toPeerSpec().selectors.some(s => s.cidr === undefined)) {
      problems.push('apiServer must be an IP block such as Peer.ipv4("10.0.0.1/32"), because API server traffic never matches pod selectors');
    }
    if (problems.length > 0) {
      throw guardError(this, problems.join('; '), 'correct the ClusterProfile properties as described');
    }
    const root = this.node.root;
    profilesByApp.set(root, [...profilesByApp.get(root) ?? [], this]);
  }

  /**
   * What a bundle reads of its profile (DNS, declared ranges, Pod Security version, network
   * backend, Kubernetes version), as one comparable text.
   * @internal
   */
  public _bundleFacts(): string {
    return bundleFacts(this.dns, this._clusterRanges(), this.podSecurityVersion, this.networkBackend, this.kubernetesVersion);
  }

  /**
   * Every declared pod, Service and node CIDR, in that order.
   * @internal
   */
  public _clusterRanges(): string[] {
    return [...this.podCidrs, ...this.serviceCidrs, ...this.nodeCidrs];
  }

  /**
   * The named container ports the monitoring system scrapes (a copy: restricted zones admit the
   * monitoring on these, so nothing outside the profile may change them).
   */
  public get monitoringPorts(): Port[] {
    return [...this._monitoringPorts];
  }

  /**
   * The declared monitoring peer, the very object passed as `monitoring`, or undefined.
   * @internal
   */
  public get _declaredMonitoring(): IPeer | undefined {
    return this._monitoring;
  }

  /** The ingress controller pods. Throws when none was declared. */
  public get ingressController(): IPeer {
    return this.declared(this._ingressController, 'ingressController', 'Peer.pods("ingress-nginx", { "app.kubernetes.io/name": "ingress-nginx" })');
  }

  /** The monitoring system. Throws when none was declared. */
  public get monitoring(): IPeer {
    return this.declared(this._monitoring, 'monitoring', 'Peer.namespaceNamed("monitoring")');
  }

  /** The API server range. Throws when none was declared. */
  public get apiServer(): IPeer {
    return this.declared(this._apiServer, 'apiServer', 'Peer.ipv4("10.0.0.1/32")');
  }

  private declared(peer: IPeer | undefined, name: string, example: string): IPeer {
    if (!peer) {
      throw guardError(this, `the cluster profile declares no ${name}`, `pass ${name}: ${example} to the ClusterProfile`);
    }
    return peer;
  }
}


function monitoringPortsProblems(ports: unknown): string[] {
  if (ports === undefined) return [];
  const hint = 'list the container port names monitoring scrapes, for example [Port.named("metrics")], or leave monitoringPorts out for that default';
  if (!Array.isArray(ports) || ports.length === 0) return [`monitoringPorts must list at least one port; ${hint}`];
  const problems: string[] = [];
  for (const port of ports) {
    if (!(port instanceof Port)) {
      problems.push(`monitoringPorts lists ${JSON.stringify(port)}, which is not a Port; ${hint}`);
    } else if (!port._isNamed) {
      problems.push(`monitoringPorts lists ${port}, which is not a named port: a number could be any service of the scraped pods; ${hint}`);
    } else {
      problems.push(...port._problems().map(p => `monitoringPorts: ${p}`));
    }
  }
  return problems;
}

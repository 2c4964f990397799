import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AccessLevel, Subject } from './access';
import { lateProfileCheck } from './cluster-resolution';
import { ContainerLimits } from './container-limits';
import { podSecurityLabels } from './pod-security-labels';
import { grantOf } from './profile-grant';
import { Quota, QuotaValues } from './quota';
import { guardRoleName, roleRules } from './rbac-rules';
import { ClusterDns, ClusterProfile } from '../cluster/cluster-profile';
import { DEFAULT_POD_SECURITY_VERSION, podSecurityVersionProblem } from '../cluster/pod-security-version';
import { recordAcknowledgement } from '../guard/acknowledge';
import { AcknowledgeOptions } from '../guard/acknowledge-options';
import { AppGuard } from '../guard/app-guard';
import { Finding } from '../guard/finding';
import { Findings } from '../guard/findings';
import { ingressHostProblem, renderListAnnotation } from '../model/hosts';
import { broadSubject } from '../model/rbac-subjects';
import {
  API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION, Direction, Enforcement, ENFORCEMENT_LABEL, EXPOSED_SERVICE_TYPES, FLOW_ANNOTATION, GUARD_PREFIX,
  INGRESS_HOSTS_ANNOTATION, MANAGED_BY_LABEL, MANAGED_BY_VALUE, MONITOR_ONLY_ANNOTATION, MONITORING_FLOW, NETWORK_BACKEND_ANNOTATION, NetworkBackend,
  ownerLabel,
  POD_SECURITY_LABEL_PREFIX, PodSecurityLevel, POLICY_TYPE, Profile, PROFILE_LABEL, SERVICE_TYPES_ANNOTATION,
  STAGED_POLICY_API_VERSION, STAGED_POLICY_KIND, SYSTEM_NAMESPACES,
} from '../model/vocabulary';
import { Connections, IConnectable } from '../network/connections';
import { FlowRefusal } from '../network/flow-sink';
import { IManagedNamespace } from '../network/managed-namespace';
import { IPeer, ManagedEndpoint, PeerSelector, PeerSpec } from '../network/peer';
import { renderPeerSelector } from '../network/peer-rendering';
import { PodSelection } from '../network/pod-selection';
import { Port } from '../network/port';
import { readWorkloadPods } from '../network/workload-pods';
import { groupBy } from '../private/collections';
import { guardError } from '../private/errors';
import { fingerprint } from '../private/json';
import { dnsLabelProblem, dnsSubdomainProblem, labelsProblems, labelValueProblem, labelValues, shortHash, toDnsLabel } from '../private/names';

/**
 * Options every bundle profile shares.
 */
export interface NamespaceBundleOptions {
  /**
   * The cluster's DNS, ingress controller, monitoring, API server and address ranges.
   *
   * @default - the app's ClusterProfile when it has exactly one (an app with several must name
   * one); without any, kube-dns in kube-system and nothing else declared
   */
  readonly cluster?: ClusterProfile;

  /**
   * Where this namespace's pods resolve names, when it differs from the cluster profile's (for
   * example a namespace on nodes without NodeLocal DNSCache).
   *
   * @default - the cluster profile's DNS
   */
  readonly dns?: ClusterDns;

  /**
   * The namespace's ResourceQuota.
   *
   * @default Quota.medium()
   */
  readonly quota?: Quota;

  /**
   * The namespace's LimitRange: container defaults and maximums, checked against the quota.
   *
   * @default ContainerLimits.standard()
   */
  readonly containerLimits?: ContainerLimits;

  /**
   * Subjects with `AccessLevel.ADMIN` in the namespace.
   *
   * @default - none
   */
  readonly admins?: Subject[];

  /**
   * Subjects with `AccessLevel.EDIT` in the namespace.
   *
   * @default - none
   */
  readonly editors?: Subject[];

  /**
   * Subjects with `AccessLevel.VIEW` in the namespace.
   *
   * @default - none
   */
  readonly viewers?: Subject[];

  /**
   * Enforce the policies, or only monitor (audit and warn) what they would reject. How the network
   * policies are monitored depends on the cluster profile's `networkBackend`.
   *
   * @default Enforcement.ENFORCE
   */
  readonly enforcement?: Enforcement;

  /**
   * The Pod Security Admission policy version to pin (`v1.<minor>`, or `latest` to follow the
   * cluster's version).
   *
   * @default - the cluster profile's version, else "v1.35"
   */
  readonly podSecurityVersion?: string;

  /**
   * Whether pods of the namespace may talk to each other.
   *
   * @default true
   */
  readonly allowSameNamespace?: boolean;

  /**
   * Extra labels for the Namespace (for example cost-centre labels).
   *
   * @default - none
   */
  readonly namespaceLabels?: { [key: string]: string };

  /**
   * The hosts the namespace's Ingresses may claim: lower-case DNS names, or wildcards such as
   * `*.shop.example.com` (a wildcard covers one label). Written as the Namespace's
   * `namespace-guard.dev/ingress-hosts` annotation; an Ingress of the namespace that claims another
   * host, or every host, fails the `ingress-host` rule. No two bundles of the app may declare the
   * same or overlapping hosts (the members of a `SecurityZone` share the zone's).
   *
   * @default - none: the namespace's Ingresses may claim no host
   */
  readonly ingressHosts?: string[];

  /**
   * The service accounts whose pods may mount an API token (through automount or a projected
   * `serviceAccountToken` volume). Written as the Namespace's
   * `namespace-guard.dev/api-access-service-accounts` annotation; any other token in the namespace
   * fails the `service-account-token` rule. The bundle does not create these service accounts:
   * they belong to the workloads that use them.
   *
   * @default - none: no pod of the namespace may mount an API token
   */
  readonly apiAccessServiceAccounts?: string[];
}

/**
 * Properties of a `NamespaceBundle`, as the profiles pass them.
 */
export interface NamespaceBundleProps extends NamespaceBundleOptions {
  /** The namespace name: a DNS-1123 label. */
  readonly namespaceName: string;

  /**
   * The Pod Security Standards level to enforce.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
}

/** A flow as a bundle records it. */
interface FlowRecord {
  readonly direction: Direction;
  readonly podLabels?: { [key: string]: string };
  readonly peerSpec: PeerSpec;
  readonly ports: Map<string, Port>;
  /** The policy name before any disambiguation: `allow-from-<peer>` and the like. */
  readonly baseName: string;
}

/** A posture check that every flow touching the bundle must pass (`peer` is the object the flow names). */
type FlowGuard = (direction: Direction, peer: IPeer, peerSpec: PeerSpec, ports: Port[]) => FlowRefusal | undefined;

const RESERVED_NAMESPACES = new Set(SYSTEM_NAMESPACES);
const BUILT_IN_POLICIES = new Set(['default-deny', 'allow-dns', 'allow-same-namespace', 'monitor-allow-all']);
const DEFAULT_DNS = ClusterDns.kubeDns();

// Shared defaults: value objects are immutable, and sharing lets their checks run once.
const DEFAULT_QUOTA = Quota.medium();
const DEFAULT_CONTAINER_LIMITS = ContainerLimits.standard();

/**
 * A complete, secure namespace: the Namespace with pinned Pod Security Admission labels,
 * default-deny NetworkPolicies with DNS and every declared flow, a ResourceQuota, a LimitRange,
 * RBAC and a default ServiceAccount without token automount.
 *
 * `TenantNamespace`, `TeamNamespace` and `SecurityZone` are the profiles over this bundle, and the
 * only way to create one: a bundle's profile is a security claim (a restricted zone admits zone
 * members only), so it is granted by those constructs and cannot be chosen. Every object is created
 * in the caller's chart; `Node.of(bundle).defaultChild` is the Namespace.
 */
export abstract class NamespaceBundle extends Construct implements IPeer, IConnectable, IManagedNamespace {
  /**
   * Every bundle in the app that `scope` belongs to, in creation order.
   */
  public static all(scope: IConstruct): NamespaceBundle[] {
    const guard = AppGuard.find(scope);
    return guard ? [...guard.managedNamespaces.values()].filter((c): c is NamespaceBundle => c instanceof NamespaceBundle) : [];
  }

  /**
   * The bundle that manages `namespaceName` in the app that `scope` belongs to, if any.
   */
  public static find(scope: IConstruct, namespaceName: string): NamespaceBundle | undefined {
    const found = AppGuard.find(scope)?.managedNamespaces.get(namespaceName);
    return found instanceof NamespaceBundle ? found : undefined;
  }

  /** The namespace name. */
  public readonly namespaceName: string;
  /** The kind of boundary. */
  public readonly profile: Profile;
  /** The tenant, team or zone name. */
  public readonly ownerName: string;
  /** The enforced Pod Security Standards level (when enforcing). */
  public readonly podSecurity: PodSecurityLevel;
  /** The pinned Pod Security Admission version. */
  public readonly podSecurityVersion: string;
  /** Whether policies are enforced or only monitored. */
  public readonly enforcement: Enforcement;
  /** The ResourceQuota values. */
  public readonly quota: Quota;
  /** The LimitRange values. */
  public readonly containerLimits: ContainerLimits;
  /** The flows of the whole namespace. */
  public readonly connections: Connections;
  /** The readable peer name: the namespace name. */
  public readonly peerName: string;
  /** The Namespace object. */
  public readonly namespaceObject: ApiObject;
  /** The hosts the namespace's Ingresses may claim, sorted. */
  public readonly ingressHosts: string[];
  /** The service accounts whose pods may mount an API token, sorted. */
  public readonly apiAccessServiceAccounts: string[];

  /**
   * The zone that created this bundle, for zone members.
   * @internal
   */
  public readonly _zone?: object;

  /**
   * The cluster DNS the bundle's policies allow.
   * @internal
   */
  public readonly _clusterDns: ClusterDns;

  /**
   * The users and groups the bundle grants access to, as `Kind/name`.
   * @internal
   */
  public readonly _grantedIdentities: string[];

  private readonly flows = new Map<string, FlowRecord>();
  private flowNames?: Map<string, string>;
  private readonly guards: FlowGuard[] = [];
  private readonly clusterRanges: string[];
  private readonly networkBackend: NetworkBackend;
  private readonly cluster?: ClusterProfile;

  protected constructor(scope: Construct, id: string, props: NamespaceBundleProps) {
    super(scope, id);
    const grant = grantOf(props ?? {});
    if (!grant) {
      throw guardError(`${scope.node.path}/${id}`, 'a NamespaceBundle cannot be created directly: its profile (tenant, team or zone) is a security claim that only TenantNamespace, TeamNamespace and SecurityZone grant',
        'create a TenantNamespace, a TeamNamespace or a SecurityZone (or extend one of them)');
    }
    this.namespaceName = props.namespaceName;
    this.profile = grant.profile;
    this.ownerName = grant.ownerName;
    this._zone = grant.zone;
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    const cluster = ClusterProfile._resolve(this, props.cluster);
    this.cluster = cluster;
    this.podSecurityVersion = props.podSecurityVersion ?? cluster?.podSecurityVersion ?? DEFAULT_POD_SECURITY_VERSION;
    this.enforcement = props.enforcement ?? Enforcement.ENFORCE;
    this.quota = props.quota ?? DEFAULT_QUOTA;
    this.containerLimits = props.containerLimits ?? DEFAULT_CONTAINER_LIMITS;
    this.peerName = toDnsLabel(this.namespaceName);
    this.ingressHosts = Array.isArray(props.ingressHosts) ? [...new Set(props.ingressHosts)].sort() : [];
    this.apiAccessServiceAccounts = Array.isArray(props.apiAccessServiceAccounts) ? [...new Set(props.apiAccessServiceAccounts)].sort() : [];
    this.clusterRanges = cluster?._clusterRanges() ?? [];
    this._clusterDns = props.dns ?? cluster?.dns ?? DEFAULT_DNS;
    this.networkBackend = cluster?.networkBackend ?? NetworkBackend.KUBERNETES;

    this.validateProps(props);
    this.checkHostsAreOwn();
    if (cluster) AppGuard.of(this).declareClusterNetwork(cluster);
    if (props.cluster === undefined) lateProfileCheck(this, cluster);
    const owner = AppGuard.of(this).claimNamespace(this.namespaceName, this);
    if (owner) {
      throw guardError(this, `namespace "${this.namespaceName}" is already managed by ${owner.node.path}`, 'give each bundle its own namespace name, or declare flows on the existing bundle instead of creating a second one');
    }

    // What the namespace declares, for the rules and for the cluster's admission guardrails.
    const declarations: { [key: string]: string } = {};
    const declare = (key: string, values: readonly string[]) => {
      const text = renderListAnnotation(values);
      if (text !== undefined) declarations[key] = text;
    };
    declare(INGRESS_HOSTS_ANNOTATION, this.ingressHosts);
    declare(API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION, this.apiAccessServiceAccounts);
    declare(SERVICE_TYPES_ANNOTATION, serviceTypesOf(this.quota));
    this.namespaceObject = new ApiObject(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.namespaceName,
        labels: {
          ...props.namespaceLabels,
          [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
          [PROFILE_LABEL]: this.profile,
          [ownerLabel(this.profile)]: this.ownerName,
          [ENFORCEMENT_LABEL]: this.enforcement,
          ...podSecurityLabels(this.podSecurity, this.podSecurityVersion, this.enforcement),
        },
        ...(Object.keys(declarations).length > 0 ? { annotations: declarations } : {}),
      },
    });
    this.node.defaultChild = this.namespaceObject;
    // The objects of this namespace created elsewhere in the chart are written after this point.
    AppGuard.of(this).groupNamespaceObjects(this.namespaceName, new Construct(this, 'NamespaceObjects'));
    // Namespaces are cluster-scoped; a chart-wide namespace must not leak onto them.
    if (Chart.of(this).namespace !== undefined) this.namespaceObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    this.object('DefaultServiceAccount', 'v1', 'ServiceAccount', 'default', { automountServiceAccountToken: false });
    this.object('Quota', 'v1', 'ResourceQuota', 'namespace-quota', { spec: { hard: this.quota._hard() } });
    // The second layer under the scheduling guardrail: the ResourceQuota plugin refuses any pod of
    // the system priority classes here (upstream no longer keeps them to kube-system), even where
    // the guardrails are not installed.
    this.object('SystemPriorityQuota', 'v1', 'ResourceQuota', SYSTEM_PRIORITY_QUOTA, {
      spec: {
        hard: { pods: '0' },
        scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [...SYSTEM_PRIORITY_CLASSES] }] },
      },
    });
    this.object('LimitRange', 'v1', 'LimitRange', 'container-limits', { spec: { limits: this.containerLimits._limits(this.quota) } });
    this._grantedIdentities = [...new Set([props.admins, props.editors, props.viewers].flatMap(subjects => subjects ?? [])
      .filter(subject => subject.kind !== 'ServiceAccount').map(subject => `${subject.kind}/${subject.name}`))].sort();
    this.createRbac(props);
    this.createBasePolicies(this._clusterDns, props.allowSameNamespace ?? true);

    this.connections = new Connections(this, this);
  }

  /**
   * The pods of this namespace that carry the given labels: a peer with its own connections.
   */
  public pods(labels: { [key: string]: string }): PodSelection {
    const problems = labelsProblems(labels ?? {});
    if (Object.keys(labels ?? {}).length === 0) {
      problems.push('no labels given');
    }
    if (problems.length > 0) {
      throw guardError(this, `pods(${JSON.stringify(labels)}): ${problems.join('; ')}`, 'select pods by at least one valid label, for example pods({ app: "api" }); use the bundle itself for every pod');
    }
    return new PodSelection(this, { endpoints: [{ bundle: this }], baseName: this.namespaceName, podLabels: labels });
  }

  /**
   * The pods of a workload of this namespace: a peer with its own connections, selected by the
   * workload's pod selector (its `matchLabels`; when the selector has expressions, or there is
   * none, by every label of its pod template) and named after the workload in generated names.
   * A cdk8s-plus workload selects its pods by the `cdk8s.io/metadata.addr` label unless it is
   * created with `select: false` and given a selector. Read when called; synthesis fails if the
   * workload's namespace or pod labels change afterwards. Its container ports are
   * `Port.ofWorkload(workload)`.
   *
   * @param workload a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod)
   * or any ApiObject with a pod template, in this namespace
   */
  public podsOf(workload: IConstruct): PodSelection {
    const call = `podsOf(${workload?.node?.path ?? String(workload)})`;
    const pods = readWorkloadPods(workload, { scope: this, call }, 'pods');
    if (pods.namespace !== this.namespaceName) {
      const where = pods.namespace === undefined ? 'names no namespace' : `runs in namespace "${pods.namespace}"`;
      const other = pods.namespace === undefined ? undefined : NamespaceBundle.find(this, pods.namespace);
      throw guardError(this, `${call}: the ${pods.kind} "${pods.name}" ${where}, not in "${this.namespaceName}"`,
        other ? `select it from the bundle of its namespace (${other.node.path}.podsOf), or set its metadata.namespace to "${this.namespaceName}"`
          : `set its metadata.namespace to "${this.namespaceName}" (or the chart's namespace), or select it from the bundle of its own namespace`);
    }
    return new PodSelection(this, { endpoints: [{ bundle: this }], baseName: this.namespaceName, podLabels: pods.podLabels, podsName: pods.name });
  }

  /** Selects every pod of this namespace. */
  public toPeerSpec(): PeerSpec {
    return { selectors: [{ namespaceNames: [this.namespaceName] }], managedEndpoints: [{ bundle: this }] };
  }

  /**
   * Accepts findings of rule `ruleId` about this namespace, with the reason written down. The
   * acknowledgement is written into the Namespace's `namespace-guard.dev/acknowledged` annotation;
   * the findings stay visible in `findings` but no longer fail synthesis. Findings about workloads
   * are acknowledged on the workload (`Findings.acknowledge`).
   *
   * @param ruleId a rule id from `RuleId`
   * @param reason why the finding is acceptable (at least 10 characters, one line)
   * @param options what it covers; `cross-tenant-flow` must name the other tenants
   */
  public acknowledge(ruleId: string, reason: string, options?: AcknowledgeOptions): void {
    recordAcknowledgement(this, ruleId, reason, options);
  }

  /**
   * Every finding of the rules about this namespace (the bundle and the workloads in it),
   * acknowledged ones included.
   */
  public get findings(): Finding[] {
    return Findings.of(this).filter(f => f.namespaceName === this.namespaceName);
  }

  /**
   * Adds a posture check that every flow touching this bundle must pass.
   * @internal
   */
  public _addFlowGuard(guard: FlowGuard): void {
    this.guards.push(guard);
  }

  /**
   * Why the bundle's posture refuses a flow, or undefined when it accepts it.
   * @internal
   */
  public _refuseFlow(direction: Direction, peer: IPeer, peerSpec: PeerSpec, ports: Port[]): FlowRefusal | undefined {
    for (const guard of this.guards) {
      const refusal = guard(direction, peer, peerSpec, ports);
      if (refusal) return refusal;
    }
    return undefined;
  }

  /**
   * Adds a label to the Namespace object (for profiles layered on the bundle).
   * @internal
   */
  public _addNamespaceLabel(key: string, value: string): void {
    this.namespaceObject.metadata.addLabel(key, value);
  }

  /**
   * The peer selectors of the flows declared in one direction, in declaration order.
   * @internal
   */
  public _declaredPeers(direction: Direction): PeerSelector[] {
    return [...this.flows.values()].filter(f => f.direction === direction).flatMap(f => f.peerSpec.selectors);
  }

  /**
   * Records a flow of the pods in `pods` and writes its NetworkPolicy (ports merge into the
   * existing policy when the same flow is declared again). A flow of the cluster's declared
   * monitoring is a flow of its own, annotated as such.
   * @internal
   */
  public _addFlow(direction: Direction, pods: ManagedEndpoint, peer: IPeer, peerSpec: PeerSpec, ports: Port[]): void {
    const podLabels = pods.podLabels;
    const subset = podLabels && Object.keys(podLabels).length > 0 ? { ...podLabels } : undefined;
    const monitoring = this.cluster?._declaredMonitoring !== undefined && peer === this.cluster._declaredMonitoring;
    const key = fingerprint({ direction, subset: subset ?? {}, selectors: peerSpec.selectors, ...(monitoring ? { monitoring } : {}) });
    let flow = this.flows.get(key);
    if (!flow) {
      const baseName = flowPolicyBaseName(direction, subset, pods.podsName, peer.peerName);
      flow = { direction, podLabels: subset, peerSpec, ports: new Map(), baseName };
      this.flows.set(key, flow);
      this.flowNames = undefined;
      const record = flow;
      const id = this.node.tryFindChild(`Flow-${baseName}`) ? `Flow-${baseName}-${shortHash(key)}` : `Flow-${baseName}`;
      this.policy(id, lazyName(() => this.flowPolicyName(key)), {
        podSelector: subset ? { matchLabels: subset } : {},
        policyTypes: [POLICY_TYPE[direction]],
        [direction]: [Lazy.any({ produce: () => renderRule(record, this.clusterRanges) })],
      }, monitoring ? { [FLOW_ANNOTATION]: MONITORING_FLOW } : undefined);
    }
    for (const port of ports) flow.ports.set(port._key, port);
  }

  /**
   * The name of a flow's policy: its base name, or, when another flow of this bundle (or a built-in
   * policy) has the same base name, the base name with a hash of the flow, whatever the order in
   * which the flows were declared.
   */
  private flowPolicyName(key: string): string {
    if (!this.flowNames) {
      const byBase = groupBy(this.flows, ([, f]) => f.baseName);
      this.flowNames = new Map();
      for (const [base, flows] of byBase) {
        const unique = flows.length === 1 && !BUILT_IN_POLICIES.has(base);
        for (const [k] of flows) this.flowNames.set(k, unique ? base : toDnsLabel(`${base}-${shortHash(k)}`));
      }
    }
    return this.flowNames.get(key)!;
  }

  private validateProps(props: NamespaceBundleProps): void {
    const problems: string[] = [];
    const name = props.namespaceName;
    const nameProblem = typeof name === 'string' ? dnsLabelProblem(name) : 'it is not a string';
    if (nameProblem) {
      const suggestion = toDnsLabel(typeof name === 'string' && name.length > 0 ? name : this.node.id);
      problems.push(`namespace name "${name}" is invalid: ${nameProblem}; pass a name such as "${suggestion}"`);
    } else if (RESERVED_NAMESPACES.has(name) || name.startsWith('kube-')) {
      problems.push(`namespace name "${name}" is reserved for the cluster itself; choose a name of your own (names starting with "kube-" are reserved too)`);
    }
    const ownerProblem = labelValueProblem(this.ownerName ?? '') ?? (this.ownerName ? undefined : 'it is empty');
    if (ownerProblem) {
      problems.push(`${this.profile} name "${this.ownerName}" cannot be a label value: ${ownerProblem}; use a name such as "${toDnsLabel(String(this.ownerName || this.node.id))}"`);
    }
    if (props.dns !== undefined) {
      if (props.dns instanceof ClusterDns) problems.push(...props.dns._problems().map(p => `dns: ${p}`));
      else problems.push(`dns ${JSON.stringify(props.dns)} is not a ClusterDns; use ClusterDns.kubeDns() or ClusterDns.kubeDnsAndNodeLocal(address)`);
    }
    if (!Object.values(PodSecurityLevel).includes(this.podSecurity)) {
      problems.push(`podSecurity ${JSON.stringify(this.podSecurity)} is not a PodSecurityLevel; use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED`);
    }
    if (!Object.values(Enforcement).includes(this.enforcement)) {
      problems.push(`enforcement ${JSON.stringify(this.enforcement)} is not an Enforcement; use Enforcement.ENFORCE or MONITOR`);
    }
    const versionProblem = podSecurityVersionProblem(this.podSecurityVersion);
    if (versionProblem) problems.push(`podSecurityVersion ${versionProblem}`);
    if (props.namespaceLabels) {
      problems.push(...labelsProblems(props.namespaceLabels).map(p => `namespaceLabels: ${p}`));
      const ownedByBundle = (k: string) => k.startsWith(`${GUARD_PREFIX}/`) || k.startsWith(POD_SECURITY_LABEL_PREFIX) || k === MANAGED_BY_LABEL;
      const own = Object.keys(props.namespaceLabels).filter(ownedByBundle);
      if (own.length > 0) problems.push(`namespaceLabels sets ${own.join(', ')}, which the bundle owns; remove them and use the bundle's properties instead`);
    }
    const quotaProblems = this.quota._problems();
    problems.push(...quotaProblems);
    if (quotaProblems.length === 0) {
      problems.push(...this.containerLimits._problems(this.quota));
      const levels = [props.admins, props.editors, props.viewers].filter(subjects => (subjects?.length ?? 0) > 0).length;
      problems.push(...ownObjectCountProblems(this.quota, levels));
    }
    problems.push(...listProblems('ingressHosts', props.ingressHosts, ingressHostProblem,
      'use lower-case DNS names such as "shop.example.com", or a wildcard such as "*.shop.example.com"'));
    problems.push(...listProblems('apiAccessServiceAccounts', props.apiAccessServiceAccounts,
      n => (typeof n === 'string' ? dnsSubdomainProblem(n) : 'it is not a string'), 'use service account names such as "deployer"'));
    const seen = new Map<string, AccessLevel>();
    const grants = [[AccessLevel.ADMIN, props.admins], [AccessLevel.EDIT, props.editors], [AccessLevel.VIEW, props.viewers]] as const;
    for (const [level, subjects] of grants) {
      for (const subject of subjects ?? []) {
        problems.push(...subject._problems());
        const broad = subject.kind === 'ServiceAccount' || typeof subject.name !== 'string' ? undefined : broadSubject(subject.name, this.namespaceName);
        if (broad) problems.push(broadSubjectProblem(level, subject, broad));
        // A service account in this namespace is one subject whether or not its namespace was spelled out.
        const key = subject._key(this.namespaceName);
        const previous = seen.get(key);
        if (previous && previous !== level) {
          problems.push(`${subject.kind} "${subject.name}" is granted both ${previous} and ${level}; list each subject under one access level`);
        }
        seen.set(key, level);
      }
    }
    if (problems.length > 0) {
      throw guardError(this, `invalid ${this.profile} bundle: ${problems.join('; ')}`, 'correct the properties listed above');
    }
  }

  /** Refuses hosts that another bundle of the app declares too (or that overlap with its wildcards). */
  private checkHostsAreOwn(): void {
    const guard = AppGuard.of(this);
    for (const host of this.ingressHosts) {
      // The members of one zone share its hosts: the zone is the boundary.
      const taken = guard.claimIngressHost(host, this, this._zone ?? this);
      if (taken === undefined) continue;
      const other = taken.owner as NamespaceBundle;
      const same = taken.host === host ? `"${host}"` : `"${host}", which overlaps "${taken.host}"`;
      throw guardError(this, `ingressHosts declares ${same} of ${other.node.path} (namespace "${other.namespaceName}"): `
        + 'two namespaces claiming one host can take over each other\'s traffic',
      `give the host to one bundle only, or use distinct names (for example "${this.namespaceName}.${taken.host.replace(/^\*\./, '')}")`);
    }
  }


  private object(
    id: string, apiVersion: string, kind: string, name: string, body: { [key: string]: unknown }, annotations?: { [key: string]: string },
  ): ApiObject {
    return new ApiObject(this, id, {
      apiVersion,
      kind,
      metadata: { name, namespace: this.namespaceName, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE }, ...(annotations ? { annotations } : {}) },
      ...body,
    });
  }

  /**
   * Writes an intended policy: a NetworkPolicy, or in monitor mode on Calico a staged policy with the
   * same name and spec, which Calico reports on without enforcing (enforcing turns it into the
   * NetworkPolicy and changes nothing else).
   */
  private policy(id: string, name: string, spec: { [key: string]: unknown }, annotations?: { [key: string]: string }): ApiObject {
    if (this.enforcement === Enforcement.MONITOR && this.networkBackend === NetworkBackend.CALICO) {
      return this.object(id, STAGED_POLICY_API_VERSION, STAGED_POLICY_KIND, name, { spec }, annotations);
    }
    return this.object(id, 'networking.k8s.io/v1', 'NetworkPolicy', name, { spec }, annotations);
  }

  private createRbac(props: NamespaceBundleOptions): void {
    const grants: Array<[AccessLevel, Subject[] | undefined]> = [
      [AccessLevel.ADMIN, props.admins], [AccessLevel.EDIT, props.editors], [AccessLevel.VIEW, props.viewers],
    ];
    for (const [level, subjects] of grants) {
      if (!subjects || subjects.length === 0) continue;
      const roleName = guardRoleName(level);
      this.object(`Role-${level}`, 'rbac.authorization.k8s.io/v1', 'Role', roleName, { rules: roleRules(level) });
      const unique = [...new Map(subjects.map(s => [s._key(this.namespaceName), s])).values()];
      this.object(`RoleBinding-${level}`, 'rbac.authorization.k8s.io/v1', 'RoleBinding', roleName, {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects: unique.map(s => s._render(this.namespaceName)),
      });
    }
  }

  private createBasePolicies(dns: ClusterDns, allowSameNamespace: boolean): void {
    this.policy('DefaultDeny', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    this.policy('AllowDns', 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: dns._selectors().map(s => renderPeerSelector(s, this.clusterRanges)),
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
    if (allowSameNamespace) {
      const sameNamespace = [{ podSelector: {} }];
      this.policy('AllowSameNamespace', 'allow-same-namespace', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: sameNamespace }],
        egress: [{ to: sameNamespace }],
      });
    }
    if (this.enforcement === Enforcement.MONITOR && this.networkBackend !== NetworkBackend.CALICO) {
      // Plain NetworkPolicy has no audit form: this lets everything through while the intended
      // policies stay in place for review; the checks read the intended policies and look past this
      // one. Cilium's audit mode cannot be scoped to a namespace, so it gets the same, marked for the
      // rule that says so.
      const annotations: { [key: string]: string } = { [MONITOR_ONLY_ANNOTATION]: 'true' };
      if (this.networkBackend === NetworkBackend.CILIUM) annotations[NETWORK_BACKEND_ANNOTATION] = this.networkBackend;
      this.policy('MonitorAllowAll', 'monitor-allow-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] }, annotations);
    }
  }
}

/**
 * A name resolved at synthesis: cdk8s resolves the Lazy in the manifest, and the name also reads
 * right wherever cdk8s uses `ApiObject.name` as text.
 */
function lazyName(produce: () => string): string {
  const name = Lazy.any({ produce });
  name.toString = produce;
  return name;
}

/** The Service types beyond ClusterIP the quota allows, as the service-types annotation names them. */
function serviceTypesOf(quota: Quota): string[] {
  const v = quota.values;
  return EXPOSED_SERVICE_TYPES.filter(t => (t === 'NodePort' ? (v.nodePorts ?? 0) > 0 : (v.loadBalancers ?? 0) > 0));
}

/**
 * The objects the bundle writes into its namespace must fit its quota's counts, or the API server
 * refuses the last ones: a Role and a RoleBinding per access level granted, and the default
 * ServiceAccount.
 */
/** The quota that admits no pod of Kubernetes' system priority classes. */
const SYSTEM_PRIORITY_QUOTA = 'namespace-guard-system-priority';
const SYSTEM_PRIORITY_CLASSES = ['system-cluster-critical', 'system-node-critical'];

function ownObjectCountProblems(quota: Quota, accessLevels: number): string[] {
  const v = quota.values;
  const own: Array<[keyof QuotaValues, number, string]> = [
    ['roles', accessLevels, 'Roles'], ['roleBindings', accessLevels, 'RoleBindings'], ['serviceAccounts', 1, 'ServiceAccount (default)'],
    ['resourceQuotas', 2, 'ResourceQuotas (namespace-quota, and the system-priority one)'],
  ];
  return own.filter(([field, written]) => (v[field] as number) < written)
    .map(([field, written, what]) => `quota ${field} is ${v[field]}, below the ${written} ${what} the bundle writes in the namespace itself; raise it to at least ${written}`);
}

/** The problems of a list property: not a list, invalid entries, entries listed twice. */
function listProblems(prop: string, values: unknown, problemOf: (value: unknown) => string | undefined, hint: string): string[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) return [`${prop} must be a list; ${hint}`];
  const problems = values.map(problemOf).filter((p): p is string => p !== undefined).map(p => `${prop}: ${p}; ${hint}`);
  const twice = [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
  if (twice.length > 0) problems.push(`${prop} lists ${twice.map(v => JSON.stringify(v)).join(', ')} more than once; list each once`);
  return problems;
}

const GRANT_PROPS: Readonly<Record<AccessLevel, string>> = { [AccessLevel.ADMIN]: 'admins', [AccessLevel.EDIT]: 'editors', [AccessLevel.VIEW]: 'viewers' };

function broadSubjectProblem(level: AccessLevel, subject: Subject, broad: string): string {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject.name);
  const fix = sa
    ? `grant the service account itself: Subject.serviceAccount("${sa[2]}", "${sa[1]}")`
    : 'grant the real group of the people who need it instead, for example Subject.group("team-a-developers") from your identity provider';
  return `${GRANT_PROPS[level]} grants ${subject.kind} "${subject.name}", which is ${broad}: a namespace's roles are for its own people; ${fix}`;
}

function flowPolicyBaseName(
  direction: Direction, subset: { [key: string]: string } | undefined, podsName: string | undefined, peerName: string,
): string {
  const base = direction === 'ingress' ? `allow-from-${peerName}` : `allow-to-${peerName}`;
  if (!subset) return toDnsLabel(base);
  return toDnsLabel(`${base}-${direction === 'ingress' ? 'to' : 'from'}-${podsName ?? labelValues(subset)}`);
}

function renderRule(flow: FlowRecord, clusterRanges: readonly string[]): { [key: string]: unknown } {
  const peers = flow.peerSpec.selectors.map(s => renderPeerSelector(s, clusterRanges));
  const ports = [...flow.ports.values()];
  const rule: { [key: string]: unknown } = { [flow.direction === 'ingress' ? 'from' : 'to']: peers };
  // A single "all traffic" port means no port list at all.
  if (!ports.some(p => p.isAllTraffic)) {
    rule.ports = ports.sort((a, b) => a._sortKey.localeCompare(b._sortKey)).map(p => p._render());
  }
  return rule;
}

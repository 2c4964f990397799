import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AccessLevel, roleRules, Subject } from './access';
import { ClusterDns, ClusterProfile } from './cluster-profile';
import { Connections, Direction, IConnectable } from './connections';
import { ContainerLimits } from './container-limits';
import { guardError } from './errors';
import {
  dnsLabelProblem, fingerprint, LABEL_PREFIX, labelsProblems, labelValueProblem, labelValues, shortHash, toDnsLabel,
} from './names';
import { IPeer, PeerSpec, renderPeerSelector } from './peer';
import { DEFAULT_POD_SECURITY_VERSION, Enforcement, PodSecurityLevel, podSecurityLabels, podSecurityVersionProblem } from './pod-security';
import { PodSelection } from './pod-selection';
import { Port } from './port';
import { Profile } from './profile';
import { Quota } from './quota';
import { Finding } from './validation';
import { acknowledge, acknowledgementsOn } from './validation/acknowledgements';
import { AppGuard } from './validation/guard';
import { bundleRegistry } from './validation/registry';

/**
 * Options every bundle profile shares.
 */
export interface NamespaceBundleOptions {
  /**
   * The cluster's DNS, ingress controller, monitoring and API server.
   *
   * @default - kube-dns in kube-system, nothing else declared
   */
  readonly cluster?: ClusterProfile;

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
   * Enforce the policies, or only monitor (audit and warn) what they would reject.
   *
   * @default Enforcement.ENFORCE
   */
  readonly enforcement?: Enforcement;

  /**
   * The Pod Security Admission policy version to pin (`v1.<minor>`, or `latest` to follow the
   * cluster's version).
   *
   * @default - the cluster profile's version, else DEFAULT_POD_SECURITY_VERSION
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
}

/**
 * Properties of a `NamespaceBundle`.
 */
export interface NamespaceBundleProps extends NamespaceBundleOptions {
  /** The namespace name: a DNS-1123 label. */
  readonly namespaceName: string;

  /** The kind of boundary. */
  readonly profile: Profile;

  /** The tenant, team or zone the namespace belongs to; written as the `namespace-guard.dev/<profile>` label. */
  readonly ownerName: string;

  /**
   * The Pod Security Standards level to enforce.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
}

/**
 * A flow as a bundle records it.
 * @internal
 */
export interface FlowRecord {
  readonly direction: Direction;
  readonly podLabels?: { [key: string]: string };
  readonly peerName: string;
  readonly peerSpec: PeerSpec;
  readonly ports: Map<string, Port>;
  readonly policyName: string;
}

/**
 * A refusal of a flow by the bundle's posture.
 * @internal
 */
export interface FlowRefusal {
  readonly problem: string;
  readonly fix: string;
}

/** @internal */
export type FlowGuard = (direction: Direction, peer: PeerSpec, ports: Port[]) => FlowRefusal | undefined;

const RESERVED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
const BUILT_IN_POLICIES = ['default-deny', 'allow-dns', 'allow-same-namespace', 'monitor-allow-all'];
const DEFAULT_DNS = ClusterDns.kubeDns();
// Shared defaults: value objects are immutable, and sharing lets their checks run once.
const DEFAULT_QUOTA = Quota.medium();
const DEFAULT_CONTAINER_LIMITS = ContainerLimits.standard();

/**
 * A complete, secure namespace: the Namespace with pinned Pod Security Admission labels,
 * default-deny NetworkPolicies with DNS and every declared flow, a ResourceQuota, a LimitRange,
 * RBAC and a default ServiceAccount without token automount.
 *
 * `TenantNamespace`, `TeamNamespace` and `SecurityZone` are profiles over this bundle. Every
 * object is created in the caller's chart.
 */
export class NamespaceBundle extends Construct implements IPeer, IConnectable {
  /**
   * Every bundle in the app that `scope` belongs to, in creation order.
   */
  public static all(scope: IConstruct): NamespaceBundle[] {
    return [...bundleRegistry(scope).values()];
  }

  /**
   * The bundle that manages `namespaceName` in the app that `scope` belongs to, if any.
   */
  public static find(scope: IConstruct, namespaceName: string): NamespaceBundle | undefined {
    return bundleRegistry(scope).get(namespaceName);
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

  private readonly labels: { [key: string]: string };
  private readonly flows = new Map<string, FlowRecord>();
  private readonly policyNames = new Map<string, string>();
  private readonly guards: FlowGuard[] = [];

  constructor(scope: Construct, id: string, props: NamespaceBundleProps) {
    super(scope, id);
    this.namespaceName = props.namespaceName;
    this.profile = props.profile;
    this.ownerName = props.ownerName;
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    this.podSecurityVersion = props.podSecurityVersion ?? props.cluster?.podSecurityVersion ?? DEFAULT_POD_SECURITY_VERSION;
    this.enforcement = props.enforcement ?? Enforcement.ENFORCE;
    this.quota = props.quota ?? DEFAULT_QUOTA;
    this.containerLimits = props.containerLimits ?? DEFAULT_CONTAINER_LIMITS;
    this.peerName = toDnsLabel(this.namespaceName);

    this.validateProps(props);
    this.register();

    const labels = {
      ...props.namespaceLabels,
      'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard',
      [`${LABEL_PREFIX}/profile`]: this.profile,
      [`${LABEL_PREFIX}/${this.profile}`]: this.ownerName,
      [`${LABEL_PREFIX}/enforcement`]: this.enforcement,
      ...podSecurityLabels(this.podSecurity, this.podSecurityVersion, this.enforcement),
    };
    this.labels = { ...labels };
    this.namespaceObject = new ApiObject(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: this.namespaceName, labels },
    });
    // Namespaces are cluster-scoped; a chart-wide namespace must not leak onto them.
    if (Chart.of(this).namespace !== undefined) this.namespaceObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    this.namespaceObject.metadata.addAnnotation(`${LABEL_PREFIX}/acknowledged`, Lazy.any({ produce: () => this.renderAcknowledgements() }));

    this.object('DefaultServiceAccount', 'v1', 'ServiceAccount', 'default', { automountServiceAccountToken: false });
    this.object('Quota', 'v1', 'ResourceQuota', 'namespace-quota', { spec: { hard: this.quota._hard() } });
    this.object('LimitRange', 'v1', 'LimitRange', 'container-limits', { spec: { limits: this.containerLimits._limits(this.quota) } });
    this.createRbac(props);
    this.createBasePolicies(props.cluster?.dns ?? DEFAULT_DNS, props.allowSameNamespace ?? true);

    this.connections = new Connections(this, this);
    AppGuard.of(this);
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

  /** Selects every pod of this namespace. */
  public toPeerSpec(): PeerSpec {
    return { selectors: [{ namespaceNames: [this.namespaceName] }], managedEndpoints: [{ bundle: this }] };
  }

  /**
   * Accepts a finding of rule `ruleId` in this bundle, with the reason written down. The
   * finding stays visible (in `findings` and the Namespace's `namespace-guard.dev/acknowledged`
   * annotation) but no longer fails synthesis.
   *
   * @param ruleId a rule id from `RuleId`
   * @param reason why the finding is acceptable (at least 10 characters)
   */
  public acknowledge(ruleId: string, reason: string): void {
    acknowledge(this, ruleId, reason);
  }

  /**
   * Every finding of the synth-time rules about this namespace (the bundle and the workloads in
   * it), acknowledged ones included.
   */
  public get findings(): Finding[] {
    return AppGuard.of(this).findings().filter(f => f.namespaceName === this.namespaceName);
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
  public _refuseFlow(direction: Direction, peer: PeerSpec, ports: Port[]): FlowRefusal | undefined {
    for (const guard of this.guards) {
      const refusal = guard(direction, peer, ports);
      if (refusal) return refusal;
    }
    return undefined;
  }

  /**
   * The labels of the Namespace object (as the bundle writes them).
   * @internal
   */
  public _namespaceLabels(): { [key: string]: string } {
    return { ...this.labels };
  }

  /**
   * Adds a label to the Namespace object (for profiles layered on the bundle).
   * @internal
   */
  public _addNamespaceLabel(key: string, value: string): void {
    this.labels[key] = value;
    this.namespaceObject.metadata.addLabel(key, value);
  }

  /**
   * The flows recorded so far.
   * @internal
   */
  public _flows(): FlowRecord[] {
    return [...this.flows.values()];
  }

  /**
   * Records a flow and writes its NetworkPolicy (ports merge into the existing policy when the
   * same flow is declared again).
   * @internal
   */
  public _addFlow(direction: Direction, podLabels: { [key: string]: string } | undefined, peer: IPeer, peerSpec: PeerSpec, ports: Port[]): void {
    const subset = podLabels && Object.keys(podLabels).length > 0 ? { ...podLabels } : undefined;
    const key = fingerprint({ direction, subset: subset ?? {}, selectors: peerSpec.selectors });
    let flow = this.flows.get(key);
    if (!flow) {
      const policyName = this.uniquePolicyName(flowPolicyBaseName(direction, subset, peer.peerName), key);
      flow = { direction, podLabels: subset, peerName: peer.peerName, peerSpec, ports: new Map(), policyName };
      this.flows.set(key, flow);
      const record = flow;
      this.policy(`Flow-${policyName}`, policyName, {
        podSelector: subset ? { matchLabels: subset } : {},
        policyTypes: [direction],
        [direction === 'Ingress' ? 'ingress' : 'egress']: [Lazy.any({ produce: () => renderRule(record) })],
      });
    }
    for (const port of ports) flow.ports.set(port._key, port);
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
    const ownerProblem = labelValueProblem(props.ownerName ?? '') ?? (props.ownerName ? undefined : 'it is empty');
    if (ownerProblem) {
      problems.push(`${props.profile} name "${props.ownerName}" cannot be a label value: ${ownerProblem}; use a name such as "${toDnsLabel(String(props.ownerName || this.node.id))}"`);
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
      const own = Object.keys(props.namespaceLabels).filter(k => k.startsWith(`${LABEL_PREFIX}/`) || k.startsWith('pod-security.kubernetes.io/') || k === 'app.kubernetes.io/managed-by');
      if (own.length > 0) problems.push(`namespaceLabels sets ${own.join(', ')}, which the bundle owns; remove them and use the bundle's properties instead`);
    }
    const quotaProblems = this.quota._problems();
    problems.push(...quotaProblems);
    if (quotaProblems.length === 0) problems.push(...this.containerLimits._problems(this.quota));
    const seen = new Map<string, AccessLevel>();
    const grants = [[AccessLevel.ADMIN, props.admins], [AccessLevel.EDIT, props.editors], [AccessLevel.VIEW, props.viewers]] as const;
    for (const [level, subjects] of grants) {
      for (const subject of subjects ?? []) {
        problems.push(...subject._problems());
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
      throw guardError(this, `invalid ${props.profile} bundle: ${problems.join('; ')}`, 'correct the properties listed above');
    }
  }

  private register(): void {
    const bundles = bundleRegistry(this);
    const existing = bundles.get(this.namespaceName);
    if (existing) {
      throw guardError(this, `namespace "${this.namespaceName}" is already managed by ${existing.node.path}`, 'give each bundle its own namespace name, or declare flows on the existing bundle instead of creating a second one');
    }
    bundles.set(this.namespaceName, this);
  }

  private object(id: string, apiVersion: string, kind: string, name: string, body: { [key: string]: unknown }): ApiObject {
    return new ApiObject(this, id, {
      apiVersion,
      kind,
      metadata: { name, namespace: this.namespaceName, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard' } },
      ...body,
    });
  }

  private policy(id: string, name: string, spec: { [key: string]: unknown }): ApiObject {
    return this.object(id, 'networking.k8s.io/v1', 'NetworkPolicy', name, { spec });
  }

  private createRbac(props: NamespaceBundleOptions): void {
    const grants: Array<[AccessLevel, Subject[] | undefined]> = [
      [AccessLevel.ADMIN, props.admins], [AccessLevel.EDIT, props.editors], [AccessLevel.VIEW, props.viewers],
    ];
    for (const [level, subjects] of grants) {
      if (!subjects || subjects.length === 0) continue;
      const roleName = `namespace-guard-${level}`;
      this.object(`Role-${level}`, 'rbac.authorization.k8s.io/v1', 'Role', roleName, { rules: roleRules(level) });
      const unique = [...new Map(subjects.map(s => [s._key(this.namespaceName), s])).values()];
      this.object(`RoleBinding-${level}`, 'rbac.authorization.k8s.io/v1', 'RoleBinding', roleName, {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects: unique.map(s => s._render(this.namespaceName)),
      });
    }
  }

  private createBasePolicies(dns: ClusterDns, allowSameNamespace: boolean): void {
    for (const name of BUILT_IN_POLICIES) this.policyNames.set(name, name);
    this.policy('DefaultDeny', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    this.policy('AllowDns', 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: dns._selectors().map(renderPeerSelector),
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
    if (this.enforcement === Enforcement.MONITOR) {
      // Lets everything through while the intended policies stay in place for review.
      this.policy('MonitorAllowAll', 'monitor-allow-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
    }
  }

  private uniquePolicyName(base: string, key: string): string {
    let name = base;
    if (this.policyNames.has(name) && this.policyNames.get(name) !== key) {
      name = toDnsLabel(`${base}-${shortHash(key)}`);
    }
    this.policyNames.set(name, key);
    return name;
  }

  private renderAcknowledgements(): string | undefined {
    const acks = acknowledgementsOn(this);
    return acks.length === 0 ? undefined : acks.map(([rule, reason]) => `${rule}: ${reason}`).join('\n');
  }
}

function flowPolicyBaseName(direction: Direction, subset: { [key: string]: string } | undefined, peerName: string): string {
  const base = direction === 'Ingress' ? `allow-from-${peerName}` : `allow-to-${peerName}`;
  if (!subset) return toDnsLabel(base);
  return toDnsLabel(`${base}-${direction === 'Ingress' ? 'to' : 'from'}-${labelValues(subset)}`);
}

function renderRule(flow: FlowRecord): { [key: string]: unknown } {
  const peers = flow.peerSpec.selectors.map(renderPeerSelector);
  const ports = [...flow.ports.values()];
  const rule: { [key: string]: unknown } = { [flow.direction === 'Ingress' ? 'from' : 'to']: peers };
  // A single "all traffic" port means no port list at all.
  if (!ports.some(p => p.isAllTraffic)) {
    rule.ports = ports.sort((a, b) => a._sortKey.localeCompare(b._sortKey)).map(p => p._render());
  }
  return rule;
}

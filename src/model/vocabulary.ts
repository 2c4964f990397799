// The words constructs, manifests, rules and analysis share: protocols, directions, the labels and
// annotations the bundles write (and the checks read back), Pod Security levels and versions, and
// the kinds that run pods. Each is defined here and nowhere else.

// ---------------------------------------------------------------------------------------------
// Network

/**
 * A network protocol that a NetworkPolicy port can name.
 */
export enum Protocol {
  /** Transmission Control Protocol. */
  TCP = 'TCP',
  /** User Datagram Protocol. */
  UDP = 'UDP',
  /** Stream Control Transmission Protocol. */
  SCTP = 'SCTP',
}

/** A protocol as plain text, for code that reads protocols from manifests. */
export type ProtocolName = `${Protocol}`;

/** The protocols, in the order port sets print them. */
export const PROTOCOLS: readonly ProtocolName[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

/** Whether a value is a protocol name (NetworkPolicy protocols are case-sensitive upper case). */
export function isProtocol(value: unknown): value is ProtocolName {
  return value === Protocol.TCP || value === Protocol.UDP || value === Protocol.SCTP;
}

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** A direction of traffic, seen from the pods a NetworkPolicy selects; also the name of its rule list. */
export type Direction = 'ingress' | 'egress';

/** Both directions, ingress first. */
export const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

/** The `policyTypes` entry of each direction. */
export const POLICY_TYPE: Readonly<Record<Direction, 'Ingress' | 'Egress'>> = { ingress: 'Ingress', egress: 'Egress' };

/** The other direction. */
export function reverseDirection(direction: Direction): Direction {
  return direction === 'ingress' ? 'egress' : 'ingress';
}

/**
 * Calico's staged form of a NetworkPolicy (the same spec, plus `stagedAction`): Calico evaluates
 * it and reports its verdicts in flow logs without enforcing it. Open source since Calico 3.30.
 */
export const STAGED_POLICY_API_VERSION = 'projectcalico.org/v3';
export const STAGED_POLICY_KIND = 'StagedKubernetesNetworkPolicy';

/** The kinds the model reads as NetworkPolicies (the staged one flagged as such). */
export const NETWORK_POLICY_KINDS: readonly string[] = ['NetworkPolicy', STAGED_POLICY_KIND];

/**
 * The network plugin (CNI) that enforces the cluster's NetworkPolicies. It decides how monitor mode
 * is written: plain NetworkPolicy has no audit form, some plugins have one.
 */
export enum NetworkBackend {
  /**
   * Any plugin that enforces plain NetworkPolicies and nothing more. Monitor mode writes the intended
   * policies and a `monitor-allow-all` policy that makes them ineffective; the plugin reports
   * nothing about what they would block.
   */
  KUBERNETES = 'kubernetes',
  /**
   * Calico 3.30 or later, with the `projectcalico.org/v3` API served. Monitor mode writes the
   * intended policies as `StagedKubernetesNetworkPolicy` objects (and no allow-all): Calico
   * evaluates them and reports in its flow logs what they would allow or deny, without enforcing.
   */
  CALICO = 'calico',
  /**
   * Cilium. Its policy audit mode is set for the whole agent or per endpoint, not per namespace, so
   * monitor mode is written as for `KUBERNETES`, and synthesis warns (`unaudited-monitor-mode`).
   */
  CILIUM = 'cilium',
}

// ---------------------------------------------------------------------------------------------
// Labels and annotations

/** The label the API server sets on every namespace and nobody can forge. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Prefix of the labels and annotations this library writes. */
export const GUARD_PREFIX = 'namespace-guard.dev';

/** Marks the objects this library writes. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'cdk8s-namespace-guard';

/** The kind of boundary a namespace is (a `Profile` value). */
export const PROFILE_LABEL = `${GUARD_PREFIX}/profile`;

/** Whether a namespace enforces or only monitors (an `Enforcement` value). */
export const ENFORCEMENT_LABEL = `${GUARD_PREFIX}/enforcement`;

/** The posture of a security zone member (an `Exposure` value). */
export const EXPOSURE_LABEL = `${GUARD_PREFIX}/exposure`;

/** The label naming a namespace's tenant, team or zone: `namespace-guard.dev/<profile>`. */
export function ownerLabel(profile: Profile): string {
  return `${GUARD_PREFIX}/${profile}`;
}

/** Findings accepted with a written reason; see `model/acknowledgements.ts` for the format. */
export const ACKNOWLEDGED_ANNOTATION = `${GUARD_PREFIX}/acknowledged`;

/**
 * Marks a NetworkPolicy that exists only for monitor mode (`monitor-allow-all`): it is not a
 * declared flow, so the flow checks look past it.
 */
export const MONITOR_ONLY_ANNOTATION = `${GUARD_PREFIX}/monitor-only`;

/**
 * On a monitor-only policy written for a backend other than plain Kubernetes: the `NetworkBackend`
 * it was written for (only `cilium` so far, whose audit mode cannot be scoped to a namespace).
 */
export const NETWORK_BACKEND_ANNOTATION = `${GUARD_PREFIX}/network-backend`;

/**
 * The Ingress hosts a namespace declares: comma-separated, lower-case, sorted, no spaces; a wildcard
 * entry is `*.example.com`. Absent when none are declared. The ingress rules and the cluster's
 * admission guardrails read it.
 */
export const INGRESS_HOSTS_ANNOTATION = `${GUARD_PREFIX}/ingress-hosts`;

/**
 * The service accounts whose pods may mount an API token: comma-separated, sorted. Absent when none.
 */
export const API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION = `${GUARD_PREFIX}/api-access-service-accounts`;

/**
 * The Service types tenants may create beyond ClusterIP: comma-separated from `LoadBalancer,NodePort`,
 * derived from the quota. Absent when none.
 */
export const SERVICE_TYPES_ANNOTATION = `${GUARD_PREFIX}/service-types`;

/** The Service types beyond ClusterIP that the service-types annotation may name, in its order. */
export const EXPOSED_SERVICE_TYPES: readonly string[] = ['LoadBalancer', 'NodePort'];

/** The Secret type that holds a long-lived service-account token. */
export const SERVICE_ACCOUNT_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';

/**
 * On a flow's NetworkPolicy: what the flow is for, when the library knows. `monitoring` marks the
 * flow of the cluster's declared monitoring (`ClusterProfile.monitoring`), the one flow a
 * restricted zone admits from outside the zones, on the profile's monitoring ports only.
 */
export const FLOW_ANNOTATION = `${GUARD_PREFIX}/flow`;

/** The value of the flow annotation on the flows of the cluster's declared monitoring. */
export const MONITORING_FLOW = 'monitoring';

/** Marks an object as a representative of a cluster service, not a real workload. */
export const CLUSTER_ENDPOINT_ANNOTATION = `${GUARD_PREFIX}/cluster-endpoint`;

/**
 * The kind of boundary a bundle draws; written as the `namespace-guard.dev/profile` label.
 */
export enum Profile {
  /** One customer per namespace. */
  TENANT = 'tenant',
  /** One development team per namespace. */
  TEAM = 'team',
  /** A member of a security zone. */
  ZONE = 'zone',
}

/**
 * Whether the bundle enforces its policies or only reports what it would reject.
 */
export enum Enforcement {
  /** Policies are enforced: admission rejects, network policies deny. */
  ENFORCE = 'enforce',
  /**
   * Every layer switches to its audit form at once: Pod Security Admission only audits and warns,
   * the network policies take the audit form of the cluster's `NetworkBackend` (Calico staged
   * policies; elsewhere an extra `monitor-allow-all` NetworkPolicy lets all traffic through while
   * the intended policies stay in place for review), and synth-time findings are printed as warnings.
   */
  MONITOR = 'monitor',
}

/**
 * The security posture of a zone.
 */
export enum Exposure {
  /** Internet-facing (DMZ): ingress from the internet on the declared `internetPorts`. */
  INTERNET = 'internet',
  /** Internal services: no traffic to or from public addresses; flows only as declared. */
  INTERNAL = 'internal',
  /** Hardened (databases, secrets): ingress only from declared zones, no egress but DNS. */
  RESTRICTED = 'restricted',
  /** Devops and monitoring tools: egress to every pod of the cluster, nothing external. */
  OPERATIONS = 'operations',
}

// ---------------------------------------------------------------------------------------------
// Pod Security

/**
 * A Pod Security Standards level, as enforced by Pod Security Admission.
 */
export enum PodSecurityLevel {
  /** Unrestricted. Only with an acknowledged reason. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations (no host namespaces, hostPath, privileged containers...). */
  BASELINE = 'baseline',
  /** Current pod hardening best practice: non-root, no capabilities, seccomp, no privilege escalation. */
  RESTRICTED = 'restricted',
}

/** A level as plain text, for code that reads levels from labels and YAML. */
export type PodSecurityLevelName = `${PodSecurityLevel}`;

/** The levels, least strict first. */
export const POD_SECURITY_LEVELS: readonly PodSecurityLevelName[] = [
  PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED,
];

/** A Pod Security Admission mode: each has a level label and a version label on the namespace. */
export type PodSecurityMode = 'enforce' | 'audit' | 'warn';

/** The prefix of the Pod Security Admission namespace labels. */
export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io/';

/** `pod-security.kubernetes.io/<mode>`. */
export function podSecurityLevelLabel(mode: PodSecurityMode): string {
  return `${POD_SECURITY_LABEL_PREFIX}${mode}`;
}

/** `pod-security.kubernetes.io/<mode>-version`. */
export function podSecurityVersionLabel(mode: PodSecurityMode): string {
  return `${POD_SECURITY_LABEL_PREFIX}${mode}-version`;
}

/** The shape Pod Security Admission accepts for a policy version other than `latest`. */
export const POD_SECURITY_VERSION_PATTERN = /^v1\.(0|[1-9][0-9]*)$/;

// ---------------------------------------------------------------------------------------------
// Kinds that run pods

/** How a kind that runs pods keeps its pod template, and how many pods it runs at once. */
export interface WorkloadKind {
  readonly kind: string;
  /** The API groups the kind is served from ('' for the core group). */
  readonly groups: readonly string[];
  /** Keys from the object to the holder of the pod's `metadata` and `spec` (empty for a Pod). */
  readonly templateHolder: readonly string[];
  /** Keys to the number of pods running at once, when the kind has one (defaults to 1). */
  readonly parallelism?: readonly string[];
  /** Labels the kind's controller puts on every pod beyond those of the template. */
  readonly controllerLabels?: readonly ControllerLabel[];
}

/**
 * A label a controller adds to the pods it makes, and what its value is: the workload's name, the
 * pod's name or index among the replicas (`kafka-0`, `0`), or a value the manifest cannot tell (a
 * hash of the template, an object's uid).
 */
export interface ControllerLabel {
  readonly key: string;
  readonly value: 'workload-name' | 'replica-name' | 'replica-index' | 'unknown';
}

const JOB_LABELS = (name: ControllerLabel['value']): ControllerLabel[] => [
  { key: 'batch.kubernetes.io/job-name', value: name },
  { key: 'job-name', value: name },
  { key: 'batch.kubernetes.io/controller-uid', value: 'unknown' },
  { key: 'controller-uid', value: 'unknown' },
];

/** Pods and every built-in kind with a pod template. */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { kind: 'Pod', groups: [''], templateHolder: [] },
  {
    kind: 'Deployment',
    groups: ['apps', 'extensions'],
    templateHolder: ['spec', 'template'],
    parallelism: ['spec', 'replicas'],
    controllerLabels: [{ key: 'pod-template-hash', value: 'unknown' }],
  },
  {
    kind: 'StatefulSet',
    groups: ['apps'],
    templateHolder: ['spec', 'template'],
    parallelism: ['spec', 'replicas'],
    controllerLabels: [
      { key: 'statefulset.kubernetes.io/pod-name', value: 'replica-name' },
      // Set from Kubernetes 1.28 (PodIndexLabel, on by default since then).
      { key: 'apps.kubernetes.io/pod-index', value: 'replica-index' },
      { key: 'controller-revision-hash', value: 'unknown' },
    ],
  },
  // One pod per node; counted as one.
  {
    kind: 'DaemonSet',
    groups: ['apps', 'extensions'],
    templateHolder: ['spec', 'template'],
    controllerLabels: [{ key: 'controller-revision-hash', value: 'unknown' }, { key: 'pod-template-generation', value: 'unknown' }],
  },
  { kind: 'ReplicaSet', groups: ['apps', 'extensions'], templateHolder: ['spec', 'template'], parallelism: ['spec', 'replicas'] },
  { kind: 'ReplicationController', groups: [''], templateHolder: ['spec', 'template'], parallelism: ['spec', 'replicas'] },
  { kind: 'Job', groups: ['batch'], templateHolder: ['spec', 'template'], parallelism: ['spec', 'parallelism'], controllerLabels: JOB_LABELS('workload-name') },
  // A CronJob's Jobs are named after the schedule time, so their name is not known from the manifest.
  {
    kind: 'CronJob',
    groups: ['batch'],
    templateHolder: ['spec', 'jobTemplate', 'spec', 'template'],
    parallelism: ['spec', 'jobTemplate', 'spec', 'parallelism'],
    controllerLabels: JOB_LABELS('unknown'),
  },
];

const WORKLOAD_KIND_BY_NAME = new Map(WORKLOAD_KINDS.map(k => [k.kind, k]));

/** The API group of an apiVersion ('' for the core group). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether an object is a PersistentVolume or a StorageClass: the cluster-scoped storage kinds the model reads. */
export function isClusterScopedStorage(o: { readonly apiVersion: string; readonly kind: string }): boolean {
  return (o.kind === 'PersistentVolume' && o.apiVersion === 'v1') || (o.kind === 'StorageClass' && apiGroupOf(o.apiVersion) === 'storage.k8s.io');
}

/** The workload kind of an object, when it is a Pod or a built-in kind with a pod template. */
export function workloadKindOf(apiVersion: string, kind: string): WorkloadKind | undefined {
  const found = WORKLOAD_KIND_BY_NAME.get(kind);
  return found && found.groups.includes(apiGroupOf(apiVersion)) ? found : undefined;
}

/** Namespaces every cluster has, which no bundle may manage and which inputs often leave out. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

// The cluster as a set of manifests describes it: namespaces with their labels and annotations,
// NetworkPolicies and the cluster tiers of the network-policy-api, ResourceQuotas, LimitRanges, RBAC, ServiceAccounts, Secrets (their type only),
// Services, Ingresses, workloads and PersistentVolumeClaims, indexed by namespace; PersistentVolumes and
// StorageClasses. Built once from manifests (a cdk8s synthesis, a Helm render, a `kubectl get -A -o yaml`
// dump); every rule and analysis reads it, and nothing in it knows cdk8s.
import { Acknowledgement, parseAcknowledgements } from './acknowledgements';
import { ClusterNetwork } from './cluster-network';
import { ClusterPolicyInfo, compileClusterPolicy, describeClusterRule, isClusterPolicyKind } from './cluster-policy';
import { parseListAnnotation } from './hosts';
import { IpAddress, parsePodIp } from './ip-block';
import { indexByLabel, Labels, LabelSelector, parseLabels, parseStringMap } from './labels';
import { describeOrigin, FieldError, KubeObject, Manifest, toManifests, withOrigin } from './manifests';
import { compilePolicy, NetworkPolicyInfo } from './network-policy';
import { InputNote, isUnevaluatedPolicy, podCarrierNotes } from './notes';
import { podTemplateOf, PodTemplateLocation, workloadKindOfObject } from './pod-template';
import {
  ClaimSpecFacts, PersistentVolumeFacts, readPersistentVolume, readPersistentVolumeClaim, readStorageClass,
  readWorkloadClaims, StorageClassFacts, WorkloadClaim,
} from './storage';
import {
  ACKNOWLEDGED_ANNOTATION, API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION, apiGroupOf, ENFORCEMENT_LABEL, Enforcement, EXPOSURE_LABEL,
  INGRESS_HOSTS_ANNOTATION, isClusterScopedStorage, isProtocol, MANAGED_BY_LABEL, MANAGED_BY_VALUE, MAX_PORT, MIN_PORT, MONITOR_ONLY_ANNOTATION,
  NAMESPACE_NAME_LABEL, ownerLabel, POD_SECURITY_LEVELS, POD_SECURITY_VERSION_PATTERN, PodSecurityLevelName, podSecurityLevelLabel,
  PodSecurityMode, podSecurityVersionLabel, Profile, PROFILE_LABEL, ProtocolName, SERVICE_TYPES_ANNOTATION, STAGED_POLICY_API_VERSION,
  STAGED_POLICY_KIND, WORKLOAD_KINDS, WorkloadKind,
} from './vocabulary';
import { groupBy } from '../private/collections';
import { compareText, isRecord, joinPath, valueAt } from '../private/json';

/** Any object of the input, with what every rule may need of its metadata. */
export interface ModelObject {
  readonly manifest: Manifest;
  /** Position in the input (0-based), which orders findings. */
  readonly position: number;
  readonly apiVersion: string;
  readonly kind: string;
  /** `metadata.name` ('' when absent, which only kinds the model does not read may be). */
  readonly name: string;
  /** The namespace of a namespaced kind the model reads (`default` when unset); else `metadata.namespace`. */
  readonly namespace?: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** The findings accepted on this object (its `namespace-guard.dev/acknowledged` annotation). */
  readonly acknowledgements: readonly Acknowledgement[];
}

/** An object that lives in a namespace. */
export interface NamespacedObject extends ModelObject {
  readonly namespace: string;
}

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: ProtocolName;
}

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

/** A Pod, a built-in kind with a pod template, or a custom resource with a standard one (see workloadKindOfObject). */
export interface Workload extends NamespacedObject {
  readonly workloadKind: WorkloadKind;
  readonly template: PodTemplateLocation;
  readonly podLabels: Labels;
  /** How many pods run at once, as declared (replicas or parallelism; a DaemonSet counts one). */
  readonly replicas: number;
  /** Container ports of every container, init containers included (sidecars serve traffic). */
  readonly containerPorts: readonly ContainerPort[];
  /** A Pod's status.podIP / podIPs (none for templates). */
  readonly podIps: readonly IpAddress[];
  readonly podIpTexts: readonly string[];
  readonly owners: readonly OwnerRef[];
  /** A Pod that has finished (phase Succeeded or Failed): it has no network presence. */
  readonly terminated: boolean;
  /** Its pods run on the host network, where NetworkPolicies do not apply on most CNIs. */
  readonly hostNetwork: boolean;
}

/**
 * A NetworkPolicy, or a Calico staged one (`StagedKubernetesNetworkPolicy` with stagedAction Set):
 * the same spec, which Calico evaluates and reports on without enforcing. The rules read a staged
 * policy as an intended policy (it is one, in monitor mode on Calico); the reachability analysis
 * leaves it out of what the cluster does now and counts it when asked what enforcement would do.
 */
export interface NetworkPolicy extends NamespacedObject {
  readonly policy: NetworkPolicyInfo;
  /** The policy exists only for monitor mode (`monitor-allow-all`); flow checks look past it. */
  readonly monitorOnly: boolean;
  /** A Calico staged policy: reported by Calico, not enforced. */
  readonly staged: boolean;
}

/**
 * A cluster-scoped policy of the network-policy-api: a v1alpha1 AdminNetworkPolicy or
 * BaselineAdminNetworkPolicy, or a v1alpha2 ClusterNetworkPolicy.
 */
export interface ClusterPolicy extends ModelObject {
  readonly policy: ClusterPolicyInfo;
}

export interface ResourceQuota extends NamespacedObject {
  /** `spec.hard`, values as text. */
  readonly hard: Readonly<Record<string, string>>;
  /** The quota has scopes or a scope selector, so it counts only some pods. */
  readonly scoped: boolean;
}

/** One `type: Container` entry of a LimitRange. */
export interface ContainerLimitItem {
  readonly default: Readonly<Record<string, string>>;
  readonly defaultRequest: Readonly<Record<string, string>>;
  readonly max: Readonly<Record<string, string>>;
  readonly min: Readonly<Record<string, string>>;
}

export interface LimitRange extends NamespacedObject {
  readonly containerLimits: readonly ContainerLimitItem[];
}

export interface Service extends NamespacedObject {
  /** `spec.type`, `ClusterIP` by default. */
  readonly serviceType: string;
  readonly portCount: number;
  /** Whether a LoadBalancer Service takes node ports (true unless turned off). */
  readonly allocatesNodePorts: boolean;
  readonly externalIps: readonly string[];
  readonly externalName?: string;
  /** Whether `spec.selector` selects pods: then the endpoint controllers write the Service's endpoints. */
  readonly hasSelector: boolean;
}

/**
 * Where an Endpoints (v1) or EndpointSlice (discovery.k8s.io/v1) sends a Service's traffic: the
 * proxies and ingress controllers connect to these addresses.
 */
export interface EndpointSet extends NamespacedObject {
  /** `IPv4`, `IPv6` or `FQDN` for an EndpointSlice (as written); `IP` for an Endpoints. */
  readonly addressType: string;
  /** Every address, ready or not (`subsets[].addresses` and `notReadyAddresses`, or `endpoints[].addresses`). */
  readonly addresses: readonly string[];
  /** The Service it serves: the Endpoints' own name, or an EndpointSlice's `kubernetes.io/service-name` label. */
  readonly serviceName?: string;
  /** An EndpointSlice's `endpointslice.kubernetes.io/managed-by` label. */
  readonly managedBy?: string;
}

export interface Ingress extends NamespacedObject {
  /** The hosts of `spec.rules[].host`. */
  readonly hosts: readonly string[];
  /** The hosts of `spec.tls[].hosts`. */
  readonly tlsHosts: readonly string[];
  /** A rule without a host, or a default backend: the Ingress answers for every host. */
  readonly claimsEveryHost: boolean;
}

export interface Role extends NamespacedObject {
  readonly rules: readonly unknown[];
}

export interface RbacSubject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface RoleBinding extends NamespacedObject {
  readonly roleRef?: { readonly kind: string; readonly name: string };
  readonly subjects: readonly RbacSubject[];
}

export interface ServiceAccount extends NamespacedObject {
  /** `automountServiceAccountToken`, when set. */
  readonly automountToken?: boolean;
}

/** A PersistentVolume (cluster-scoped): the claim it is bound to, its class, and whether it is a directory of a node. */
export interface PersistentVolume extends ModelObject, PersistentVolumeFacts {}

/** A PersistentVolumeClaim: what the binder reads of it. */
export interface PersistentVolumeClaim extends NamespacedObject, ClaimSpecFacts {}

/** A StorageClass (cluster-scoped). */
export interface StorageClass extends ModelObject, StorageClassFacts {}

/** A Secret: its type and name only; the model never keeps a Secret's data. */
export interface Secret extends NamespacedObject {
  /** `type`, `Opaque` by default. */
  readonly secretType: string;
}

/** The level and policy version Pod Security Admission is meant to hold a namespace to. */
export interface NamespacePodSecurity {
  /** The level, read as the admission plugin reads it (an invalid label means restricted). */
  readonly level: PodSecurityLevelName;
  /** `v1.<minor>` or `latest` (a missing or invalid version label means latest). */
  readonly version: string;
}

/** The objects of the kinds the model reads, each kind in input order (of a namespace, or of the cluster). */
export interface ObjectsByKind {
  readonly workloads: readonly Workload[];
  readonly networkPolicies: readonly NetworkPolicy[];
  readonly resourceQuotas: readonly ResourceQuota[];
  readonly limitRanges: readonly LimitRange[];
  readonly services: readonly Service[];
  readonly ingresses: readonly Ingress[];
  readonly roles: readonly Role[];
  readonly roleBindings: readonly RoleBinding[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly secrets: readonly Secret[];
  readonly persistentVolumeClaims: readonly PersistentVolumeClaim[];
  /** Endpoints and EndpointSlices. */
  readonly endpointSets: readonly EndpointSet[];
}

export interface Namespace extends ObjectsByKind {
  readonly name: string;
  /** The Namespace object, when the input has one. */
  readonly object?: ModelObject;
  /** Its labels, with the `kubernetes.io/metadata.name` label the API server sets. */
  readonly labels: Labels;
  /** The bundle profile it was written with (`namespace-guard.dev/profile`), if any. */
  readonly profile?: Profile;
  /** The tenant, team or zone it belongs to (`namespace-guard.dev/<profile>`). */
  readonly owner?: string;
  /** A zone member's posture (`namespace-guard.dev/exposure`). */
  readonly exposure?: string;
  /** The namespace is in monitor mode: its findings are warnings. */
  readonly monitored: boolean;
  /**
   * The level it is meant to enforce: the enforce labels, or in monitor mode the audit labels
   * (which hold the level monitor mode reports on). Undefined without Pod Security labels.
   */
  readonly podSecurity?: NamespacePodSecurity;
  /** Written by the library (its managed-by label) or labelled with a profile. */
  readonly managed: boolean;
  /** The declared Ingress hosts (`namespace-guard.dev/ingress-hosts`), wildcards as `*.example.com`. */
  readonly ingressHosts: readonly string[];
  /** The service accounts whose pods may mount an API token (`namespace-guard.dev/api-access-service-accounts`). */
  readonly apiAccessServiceAccounts: readonly string[];
  /** The Service types tenants may create beyond ClusterIP (`namespace-guard.dev/service-types`). */
  readonly serviceTypes: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

const TERMINATED_PHASES = new Set(['Succeeded', 'Failed']);

/**
 * A cluster as described by a set of manifests. A later copy of the same object (group, kind,
 * namespace, name) replaces the earlier one, as `kubectl apply` would.
 */
export class ClusterModel implements ObjectsByKind {
  /**
   * Builds the model; invalid fields of the kinds it reads raise a ManifestError naming file and
   * document. `network` holds the cluster's declared ranges, which manifests do not.
   */
  static fromManifests(manifests: readonly Manifest[], network: ClusterNetwork = ClusterNetwork.UNDECLARED): ClusterModel {
    return new ClusterModel(manifests, network);
  }

  /** Builds the model from plain objects (List objects are flattened). */
  static fromObjects(objects: readonly unknown[], source = '<objects>'): ClusterModel {
    return new ClusterModel(objects.flatMap((o, i) => toManifests(o, source, i + 1)));
  }

  /** Every object of the input (later copies replacing earlier ones), in input order. */
  readonly objects: readonly ModelObject[];
  /** The cluster's declared pod, Service and node ranges (none unless given). */
  readonly network: ClusterNetwork;
  /** Every namespace that is declared or that an object lives in, sorted by name. */
  readonly namespaces: readonly Namespace[];
  /**
   * The workloads that stand for distinct running pods: running Pods, and workloads whose pods are
   * not in the input and that no other workload of the input owns (a `kubectl get all` dump holds a
   * Deployment, its ReplicaSet and their Pods: only the Pods count).
   */
  readonly runningWorkloads: readonly Workload[];
  readonly workloads: readonly Workload[];
  readonly networkPolicies: readonly NetworkPolicy[];
  /** AdminNetworkPolicies, the BaselineAdminNetworkPolicy and ClusterNetworkPolicies, in input order. */
  readonly clusterPolicies: readonly ClusterPolicy[];
  readonly resourceQuotas: readonly ResourceQuota[];
  readonly limitRanges: readonly LimitRange[];
  readonly services: readonly Service[];
  readonly ingresses: readonly Ingress[];
  readonly roles: readonly Role[];
  readonly roleBindings: readonly RoleBinding[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly secrets: readonly Secret[];
  readonly persistentVolumeClaims: readonly PersistentVolumeClaim[];
  readonly endpointSets: readonly EndpointSet[];
  /** PersistentVolumes, in input order. */
  readonly persistentVolumes: readonly PersistentVolume[];
  /** StorageClasses, in input order. */
  readonly storageClasses: readonly StorageClass[];

  private readonly claimsByWorkload: ReadonlyMap<Workload, readonly WorkloadClaim[]>;
  private readonly namespaceByName: ReadonlyMap<string, Namespace>;
  private labelIndex?: Map<string, Namespace[]>;
  private inputNotes?: readonly InputNote[];

  private constructor(manifests: readonly Manifest[], network: ClusterNetwork = ClusterNetwork.UNDECLARED) {
    this.network = network;
    const identities = manifests.map(m => identity(m.object));
    const latest = new Map<string, number>();
    identities.forEach((id, i) => latest.set(id, i));
    const objects: ModelObject[] = [];
    const namespaces = new Map<string, Mutable<Namespace>>();
    const namespace = (name: string): Mutable<Namespace> => {
      let ns = namespaces.get(name);
      if (!ns) {
        ns = emptyNamespace(name);
        namespaces.set(name, ns);
      }
      return ns;
    };
    const policies: NetworkPolicy[] = [];
    let ruleId = 0;
    const clusterPolicies: ClusterPolicy[] = [];
    let clusterRuleId = 0;
    const persistentVolumes: PersistentVolume[] = [];
    const storageClasses: StorageClass[] = [];
    const claimsByWorkload = new Map<Workload, WorkloadClaim[]>();

    // Each reader extends the object it is given (no copy: 10,000 objects are read per synthesis).
    const read = (m: Manifest, object: ModelObject): void => {
      if (object.kind === 'Namespace' && object.apiVersion === 'v1') {
        Object.assign(namespace(object.name), namespaceFacts(object));
        return;
      }
      if (isClusterPolicyKind(object.apiVersion, object.kind)) {
        const policy = compileClusterPolicy(m, clusterPolicies.length, clusterRuleId);
        clusterRuleId += policy.ingress.length + policy.egress.length;
        clusterPolicies.push(Object.assign(object, { policy }));
        return;
      }
      if (isClusterScopedStorage(object)) {
        if (object.kind === 'PersistentVolume') persistentVolumes.push(Object.assign(object, readPersistentVolume(m.object, object.annotations)));
        else storageClasses.push(Object.assign(object, readStorageClass(m.object, object.annotations)));
        return;
      }
      if (object.namespace === undefined) return;
      const ns = namespace(object.namespace);
      const namespaced = object as NamespacedObject;
      const group = apiGroupOf(object.apiVersion);
      const workloadKind = workloadKindOfObject(m.object);
      if (workloadKind) {
        const workload = readWorkload(namespaced, workloadKind);
        ns.workloads.push(workload);
        claimsByWorkload.set(workload, readWorkloadClaims(m.object, workload.template));
      } else if ((object.kind === 'NetworkPolicy' && object.apiVersion === 'networking.k8s.io/v1') || isStagedSet(m.object)) {
        const policy = compilePolicy(m, policies.length, ruleId);
        ruleId += policy.ingress.length + policy.egress.length;
        const entry: NetworkPolicy = Object.assign(namespaced, {
          policy, monitorOnly: object.annotations[MONITOR_ONLY_ANNOTATION] === 'true', staged: object.kind === STAGED_POLICY_KIND,
        });
        policies.push(entry);
        ns.networkPolicies.push(entry);
      } else if (group === '' && KIND_READERS[object.kind]) {
        KIND_READERS[object.kind](namespaced, ns);
      } else if (object.kind === 'Role' && group === 'rbac.authorization.k8s.io') {
        ns.roles.push(Object.assign(namespaced, { rules: Array.isArray(m.object.rules) ? m.object.rules : [] }));
      } else if (object.kind === 'RoleBinding' && group === 'rbac.authorization.k8s.io') {
        ns.roleBindings.push(readRoleBinding(namespaced));
      } else if (object.kind === 'Ingress' && group === 'networking.k8s.io') {
        ns.ingresses.push(Object.assign(namespaced, ingressFacts(m.object)));
      } else if (object.kind === 'EndpointSlice' && group === 'discovery.k8s.io') {
        ns.endpointSets.push(Object.assign(namespaced, endpointSliceFacts(namespaced)));
      }
    };
    manifests.forEach((input, position) => {
      if (latest.get(identities[position]) !== position) return;
      const m = withoutSecretData(input);
      withOrigin(m, () => {
        const object = readObject(m, position);
        objects.push(object);
        read(m, object);
      });
    });

    this.objects = objects;
    this.namespaces = [...namespaces.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.namespaceByName = new Map(this.namespaces.map(n => [n.name, n]));
    // Every kind across namespaces, back in input order.
    const all = <K extends keyof ObjectsByKind>(key: K) =>
      this.namespaces.flatMap(n => n[key] as readonly ModelObject[]).sort(byPosition) as unknown as ObjectsByKind[K];
    this.workloads = all('workloads');
    this.runningWorkloads = distinctRunning(this.workloads);
    this.networkPolicies = policies;
    this.clusterPolicies = clusterPolicies;
    this.resourceQuotas = all('resourceQuotas');
    this.limitRanges = all('limitRanges');
    this.services = all('services');
    this.ingresses = all('ingresses');
    this.roles = all('roles');
    this.roleBindings = all('roleBindings');
    this.serviceAccounts = all('serviceAccounts');
    this.secrets = all('secrets');
    this.persistentVolumeClaims = all('persistentVolumeClaims');
    this.endpointSets = all('endpointSets');
    this.persistentVolumes = persistentVolumes;
    this.storageClasses = storageClasses;
    this.claimsByWorkload = claimsByWorkload;
  }

  /** The claims a workload's pods use (volumes naming a claim, generic ephemeral volumes, a StatefulSet's claim templates). */
  claimsOf(workload: Workload): readonly WorkloadClaim[] {
    return this.claimsByWorkload.get(workload) ?? [];
  }

  /**
   * What the analyses cannot see or do not cover, one line each: custom kinds modelled from their
   * pod template, kinds that run pods the input does not describe, network policies of other APIs,
   * network-policy-api peers that are not evaluated and policies whose order the API leaves open,
   * pods on the host network, and NetworkPolicies whose podSelector matches no pod of the input.
   * Computed on first use (synthesis never asks).
   */
  get notes(): readonly InputNote[] {
    this.inputNotes ??= this.computeNotes();
    return this.inputNotes;
  }

  private computeNotes(): InputNote[] {
    const read = new Set(this.workloads.map(w => w.manifest.object));
    const notes = podCarrierNotes(this.objects.map(o => o.manifest.object), o => read.has(o));
    for (const o of this.objects) {
      if (!isUnevaluatedPolicy(o.manifest.object) || isStagedSet(o.manifest.object)) continue;
      const staged = o.kind === STAGED_POLICY_KIND && o.apiVersion === STAGED_POLICY_API_VERSION;
      notes.push({
        code: 'unevaluated-policy',
        message: staged
          ? `not evaluated: ${describeObject(o)} (${o.apiVersion}, ${describeOrigin(o.manifest)}): only staged policies with stagedAction Set are, `
            + `not ${JSON.stringify(specOf(o).stagedAction)}, so what enforcing it would change is not shown`
          : `not evaluated: ${describeObject(o)} (${o.apiVersion}, ${describeOrigin(o.manifest)}): only networking.k8s.io/v1 `
            + 'NetworkPolicies and the policy.networking.k8s.io tiers (v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy, '
            + 'v1alpha2 ClusterNetworkPolicy) are, so a connection shown as allowed may still be denied by it (and the reverse)',
      });
    }
    notes.push(...unevaluatedPeerNotes(this.clusterPolicies), ...this.tiedPriorityNotes());
    for (const w of this.runningWorkloads) {
      if (!w.hostNetwork) continue;
      notes.push({
        code: 'host-network',
        message: `${describeObject(w)} (${describeOrigin(w.manifest)}) runs on the host network: NetworkPolicies do not apply to its pods on most CNIs`,
      });
    }
    const runningIn = groupBy(this.runningWorkloads, w => w.namespace);
    for (const p of this.networkPolicies) {
      // An empty podSelector is meant for every pod, whichever there are; a non-empty one for some.
      const selector = p.policy.podSelector;
      if (p.monitorOnly || selector.matchesEverything) continue;
      if ((runningIn.get(p.namespace) ?? []).some(w => selector.matches(w.podLabels))) continue;
      notes.push({
        code: 'policy-selects-nothing',
        message: `${describeObject(p)} (${describeOrigin(p.manifest)}) selects no pod in the input (podSelector ${selector.text}): `
          + 'the pods it is meant for are missing or of a kind that is not modelled',
      });
    }
    return notes;
  }

  /**
   * Policies of one tier with the same priority, in an order the API leaves to the implementation:
   * one note per pair that selects a common pod (a pair that never meets cannot disagree).
   */
  private tiedPriorityNotes(): InputNote[] {
    const groups = groupBy(this.clusterPolicies.filter(p => p.policy.priority !== undefined), p => `${p.policy.tier} ${p.policy.priority}`);
    const notes: InputNote[] = [];
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const selects = (p: ClusterPolicy, w: Workload) => {
        const subject = p.policy.subject;
        return subject.namespaceSelector.matches(this.namespace(w.namespace)?.labels ?? {})
          && (subject.podSelector?.matches(w.podLabels) ?? true);
      };
      // Host-network pods are never subjects of these policies.
      const pods = this.runningWorkloads.filter(w => !w.hostNetwork);
      const selected = group.map(p => pods.filter(w => selects(p, w)));
      group.forEach((a, i) => group.slice(i + 1).forEach((b, k) => {
        const shared = selected[i].find(w => selected[i + 1 + k].includes(w));
        if (!shared) return;
        const [first, second] = [a, b].sort((x, y) => compareText(x.policy.name, y.policy.name) || compareText(x.kind, y.kind));
        notes.push({
          code: 'tied-priority',
          message: `${first.policy.label} (${describeOrigin(first.manifest)}) and ${second.policy.label} (${describeOrigin(second.manifest)}) `
            + `share priority ${a.policy.priority} in the ${a.policy.tier} tier and both select ${describeObject(shared)}: the API leaves their `
            + `order to the implementation; the analysis applies ${first.policy.label} first (by name)`,
        });
      }));
    }
    return notes;
  }

  /** The namespace called `name`, if the input declares it or has objects in it. */
  namespace(name: string): Namespace | undefined {
    return this.namespaceByName.get(name);
  }

  /** The namespaces whose labels a selector matches (looked up through a label index, not scanned). */
  namespacesMatching(selector: LabelSelector): Namespace[] {
    const pairs = selector.requiredPairs;
    if (pairs.length === 0) return this.namespaces.filter(n => selector.matches(n.labels));
    const index = this.namespaceLabelIndex();
    let candidates: Namespace[] | undefined;
    for (const [key, value] of pairs) {
      const found = index.get(`${key}=${value}`) ?? [];
      if (!candidates || found.length < candidates.length) candidates = found;
    }
    return (candidates ?? []).filter(n => selector.matches(n.labels));
  }

  private namespaceLabelIndex(): Map<string, Namespace[]> {
    return this.labelIndex ??= indexByLabel(this.namespaces);
  }
}

/** One note per rule with peers the analysis does not evaluate, saying how it reads them. */
function unevaluatedPeerNotes(policies: readonly ClusterPolicy[]): InputNote[] {
  const notes: InputNote[] = [];
  for (const p of policies) {
    for (const rule of [...p.policy.ingress, ...p.policy.egress]) {
      const fields = rule.peers.flatMap(peer => (peer.kind === 'unevaluated' && !peer.failClosed ? [peer.field] : []));
      const unknown = rule.peers.flatMap(peer => (peer.kind === 'unevaluated' && peer.failClosed ? [peer.field] : []));
      const where = `${describeClusterRule(rule)} (${p.apiVersion}, ${describeOrigin(p.manifest)})`;
      for (const field of [...new Set(fields)].sort()) {
        const why = field === 'nodes'
          ? 'node IPs are not in the input, so it is read as matching no pod (host-network pods have their node\'s IP and may match it in the cluster)'
          : 'it matches destinations outside the cluster by DNS name, so it is read as matching no pod';
        notes.push({ code: 'unevaluated-peer', message: `not evaluated: the ${field} peer of ${where}: ${why}` });
      }
      if (unknown.length > 0) {
        const reading = rule.failClosed === 'matches-nothing' ? 'this Accept rule matches no traffic' : 'this rule denies all traffic';
        notes.push({
          code: 'unevaluated-peer',
          message: `not evaluated: a peer of ${where} sets no known field (${unknown.join('; ')}), as a newer API version may: `
            + `the API asks to fail closed, so ${reading}`,
        });
      }
    }
  }
  return notes;
}

/** `Kind namespace/name`, or `Kind name` for an object without a namespace. */
function describeObject(o: ModelObject): string {
  return `${o.kind} ${o.namespace === undefined ? o.name : `${o.namespace}/${o.name}`}`;
}

function byPosition(a: ModelObject, b: ModelObject): number {
  return a.position - b.position;
}

function distinctRunning(workloads: readonly Workload[]): Workload[] {
  const running = workloads.filter(w => !w.terminated);
  const byRef = new Map<string, Workload>();
  for (const w of running) if (w.kind !== 'Pod') byRef.set(`${w.namespace}/${w.kind}/${w.name}`, w);
  const ownersOf = (w: Workload) =>
    w.owners.map(o => byRef.get(`${w.namespace}/${o.kind}/${o.name}`)).filter((o): o is Workload => o !== undefined);
  const covered = new Set<Workload>();
  const coverChain = (w: Workload, seen: Set<Workload>) => {
    for (const owner of ownersOf(w)) {
      if (!seen.has(owner)) {
        seen.add(owner);
        covered.add(owner);
        coverChain(owner, seen);
      }
    }
  };
  for (const w of running) {
    if (w.kind === 'Pod') coverChain(w, new Set()); // real pods cover their whole owner chain
    else if (ownersOf(w).length > 0) covered.add(w); // the owner workload represents this one
  }
  return running.filter(w => !covered.has(w));
}

function identity(o: KubeObject): string {
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  const explicit = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '';
  const namespace = isClusterScopedStorage(o) ? '' : explicit === '' && isNamespacedModelKind(o) ? 'default' : explicit;
  return `${apiGroupOf(o.apiVersion)}/${o.kind}/${namespace}/${name}`;
}

function emptyNamespace(name: string): Mutable<Namespace> {
  return {
    name,
    labels: { [NAMESPACE_NAME_LABEL]: name },
    monitored: false,
    managed: false,
    ingressHosts: [],
    apiAccessServiceAccounts: [],
    serviceTypes: [],
    workloads: [],
    networkPolicies: [],
    resourceQuotas: [],
    limitRanges: [],
    services: [],
    ingresses: [],
    roles: [],
    roleBindings: [],
    serviceAccounts: [],
    secrets: [],
    persistentVolumeClaims: [],
    endpointSets: [],
  };
}

/** The manifest as the model keeps it: a Secret without its data, which no rule needs. */
function withoutSecretData(m: Manifest): Manifest {
  if (m.object.kind !== 'Secret' || m.object.apiVersion !== 'v1') return m;
  const { data: _data, stringData: _stringData, ...rest } = m.object;
  return { ...m, object: rest as KubeObject };
}

/**
 * A Calico staged policy that stages the policy itself (stagedAction Set, the default), as opposed
 * to staging its deletion.
 */
function isStagedSet(o: KubeObject): boolean {
  if (o.kind !== STAGED_POLICY_KIND || o.apiVersion !== STAGED_POLICY_API_VERSION) return false;
  const action = isRecord(o.spec) ? o.spec.stagedAction : undefined;
  return action === undefined || action === 'Set';
}

// Kinds of the model that are namespaced: objects of these kinds without a namespace are in `default`.
const NAMESPACED_KINDS = new Set([
  'NetworkPolicy', STAGED_POLICY_KIND, 'ResourceQuota', 'LimitRange', 'Service', 'ServiceAccount', 'Secret', 'Role', 'RoleBinding', 'Ingress', 'PodTemplate',
  'PersistentVolumeClaim', 'Endpoints', 'EndpointSlice',
  ...WORKLOAD_KINDS.map(k => k.kind),
]);

/** A kind the model reads into a namespace; a custom resource too when it is modelled as a workload. */
function isNamespacedModelKind(o: KubeObject): boolean {
  return NAMESPACED_KINDS.has(o.kind) || workloadKindOfObject(o) !== undefined;
}

function readObject(m: Manifest, position: number): ModelObject {
  const o = m.object;
  const metadata = o.metadata ?? {};
  const name = metadata.name;
  if (name !== undefined && name !== null && typeof name !== 'string') throw new FieldError('metadata.name', 'must be a string');
  const explicitNamespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  const modelled = isNamespacedModelKind(o);
  const clusterScoped = o.kind === 'Namespace' || isClusterScopedStorage(o);
  if ((modelled || clusterScoped) && (typeof name !== 'string' || name === '')) {
    throw new FieldError('metadata.name', 'is required');
  }
  const annotations = parseStringMap(metadata.annotations, 'metadata.annotations');
  return {
    manifest: m,
    position,
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: typeof name === 'string' ? name : '',
    namespace: clusterScoped ? undefined : explicitNamespace ?? (modelled ? 'default' : undefined),
    labels: parseLabels(metadata.labels, 'metadata.labels'),
    annotations,
    acknowledgements: readAcknowledgements(annotations),
  };
}

function readAcknowledgements(annotations: Labels): Acknowledgement[] {
  const text = annotations[ACKNOWLEDGED_ANNOTATION];
  if (text === undefined) return [];
  try {
    return parseAcknowledgements(text);
  } catch (e) {
    throw new FieldError(`metadata.annotations["${ACKNOWLEDGED_ANNOTATION}"]`, (e as Error).message);
  }
}

function namespaceFacts(object: ModelObject): Partial<Mutable<Namespace>> {
  const labels: Labels = { ...object.labels, [NAMESPACE_NAME_LABEL]: object.name };
  const profileText = labels[PROFILE_LABEL];
  const profile = (Object.values(Profile) as string[]).includes(profileText) ? profileText as Profile : undefined;
  const monitored = labels[ENFORCEMENT_LABEL] === Enforcement.MONITOR;
  const facts: Partial<Mutable<Namespace>> = {
    object,
    labels,
    profile,
    owner: profile ? labels[ownerLabel(profile)] : undefined,
    exposure: labels[EXPOSURE_LABEL],
    monitored,
    podSecurity: podSecurityOf(labels, monitored),
    managed: profile !== undefined || labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE,
    ingressHosts: parseListAnnotation(object.annotations[INGRESS_HOSTS_ANNOTATION]).map(h => h.toLowerCase()),
    apiAccessServiceAccounts: parseListAnnotation(object.annotations[API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION]),
    serviceTypes: parseListAnnotation(object.annotations[SERVICE_TYPES_ANNOTATION]),
  };
  return facts;
}

function podSecurityOf(labels: Labels, monitored: boolean): NamespacePodSecurity | undefined {
  // Monitor mode reports at the intended level through audit and warn (and enforces baseline at most).
  const mode = monitored && labels[podSecurityLevelLabel('audit')] !== undefined ? 'audit' : 'enforce';
  const read = readPodSecurityLabels(labels, mode);
  return read && { level: read.level, version: read.version };
}

/** A namespace's Pod Security labels of one mode, read as the admission plugin reads them. */
export interface PodSecurityLabels extends NamespacePodSecurity {
  /** The level label's text when it names no level (the level is then `restricted`). */
  readonly invalidLevel?: string;
  /** The version label's text when it is no version (the version is then `latest`). */
  readonly invalidVersion?: string;
}

/**
 * The level and version labels of one Pod Security mode; undefined without a level label. As in
 * the admission plugin, an invalid level means restricted and a missing or invalid version latest.
 */
export function readPodSecurityLabels(labels: Labels, mode: PodSecurityMode): PodSecurityLabels | undefined {
  const levelText = labels[podSecurityLevelLabel(mode)];
  if (levelText === undefined) return undefined;
  const validLevel = (POD_SECURITY_LEVELS as readonly string[]).includes(levelText);
  const versionText = labels[podSecurityVersionLabel(mode)];
  const validVersion = versionText === undefined || POD_SECURITY_VERSION_PATTERN.test(versionText);
  return {
    level: validLevel ? levelText as PodSecurityLevelName : 'restricted',
    version: validVersion ? versionText ?? 'latest' : 'latest',
    ...(validLevel ? {} : { invalidLevel: levelText }),
    ...(validVersion ? {} : { invalidVersion: versionText }),
  };
}

function readWorkload(object: NamespacedObject, workloadKind: WorkloadKind): Workload {
  const o = object.manifest.object;
  // Without a pod spec (a minimal Pod in a test, a truncated dump) the workload still runs pods.
  const template = podTemplateOf(o) ?? emptyTemplate(o, workloadKind);
  const status = isRecord(o.status) ? o.status : {};
  const isPod = workloadKind.kind === 'Pod';
  const podIpTexts = isPod ? podIps(status) : [];
  const count = workloadKind.parallelism ? valueAt(o, workloadKind.parallelism) : undefined;
  return Object.assign(object, {
    workloadKind,
    template,
    podLabels: isPod ? object.labels : parseLabels(template.metadata.labels, `${template.metadataPath}.labels`),
    replicas: typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : 1,
    containerPorts: containerPorts(template.spec, template.path),
    podIps: podIpTexts.map((ip, i) => parsePodIp(ip, i === 0 ? 'status.podIP' : `status.podIPs[${i}]`)),
    podIpTexts,
    owners: ownerRefs(o),
    terminated: isPod && typeof status.phase === 'string' && TERMINATED_PHASES.has(status.phase),
    hostNetwork: template.spec.hostNetwork === true,
  });
}

function emptyTemplate(o: KubeObject, kind: WorkloadKind): PodTemplateLocation {
  const holder = valueAt(o, kind.templateHolder);
  const metadata = isRecord(holder) && isRecord(holder.metadata) ? holder.metadata : {};
  return { metadata, spec: {}, path: joinPath('', ...kind.templateHolder, 'spec'), metadataPath: joinPath('', ...kind.templateHolder, 'metadata') };
}

function podIps(status: Record<string, unknown>): string[] {
  const ips: string[] = [];
  if (typeof status.podIP === 'string' && status.podIP !== '') ips.push(status.podIP);
  if (Array.isArray(status.podIPs)) {
    for (const entry of status.podIPs) {
      const ip = isRecord(entry) ? entry.ip : undefined;
      if (typeof ip === 'string' && ip !== '' && !ips.includes(ip)) ips.push(ip);
    }
  }
  return ips;
}

function containerPorts(spec: Readonly<Record<string, unknown>>, path: string): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const field of ['containers', 'initContainers']) {
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, ci) => {
      const list = isRecord(c) && Array.isArray(c.ports) ? c.ports : [];
      list.forEach((p, pi) => ports.push(containerPort(p, `${path}.${field}[${ci}].ports[${pi}]`)));
    });
  }
  return ports;
}

function containerPort(raw: unknown, path: string): ContainerPort {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping');
  const port = raw.containerPort;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    throw new FieldError(`${path}.containerPort`, `must be a port number between ${MIN_PORT} and ${MAX_PORT}`);
  }
  const protocol = raw.protocol ?? 'TCP';
  if (!isProtocol(protocol)) {
    throw new FieldError(`${path}.protocol`, `unknown protocol ${JSON.stringify(protocol)}`);
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
  return name === undefined ? { port, protocol } : { name, port, protocol };
}

function ownerRefs(o: KubeObject): OwnerRef[] {
  const refs = o.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter(isRecord).map((r) => ({ kind: String(r.kind), name: String(r.name) }));
}

/** Readers of core-group kinds: each adds its object to the namespace. */
const KIND_READERS: Readonly<Record<string, (object: NamespacedObject, ns: Mutable<Namespace>) => void>> = {
  ResourceQuota: (object, ns) => {
    const spec = specOf(object);
    ns.resourceQuotas.push(Object.assign(object, {
      hard: quantityMap(spec.hard, 'spec.hard'),
      scoped: (Array.isArray(spec.scopes) && spec.scopes.length > 0) || isRecord(spec.scopeSelector),
    }));
  },
  LimitRange: (object, ns) => {
    const limits = specOf(object).limits;
    const items = Array.isArray(limits) ? limits : [];
    ns.limitRanges.push(Object.assign(object, {
      containerLimits: items.flatMap((item, i) => {
        if (!isRecord(item) || item.type !== 'Container') return [];
        const path = `spec.limits[${i}]`;
        return [{
          default: quantityMap(item.default, `${path}.default`),
          defaultRequest: quantityMap(item.defaultRequest, `${path}.defaultRequest`),
          max: quantityMap(item.max, `${path}.max`),
          min: quantityMap(item.min, `${path}.min`),
        }];
      }),
    }));
  },
  Service: (object, ns) => {
    const spec = specOf(object);
    const externalIps = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
    ns.services.push(Object.assign(object, {
      serviceType: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
      portCount: Array.isArray(spec.ports) ? spec.ports.length : 0,
      allocatesNodePorts: spec.allocateLoadBalancerNodePorts !== false,
      externalIps,
      hasSelector: isRecord(spec.selector) && Object.keys(spec.selector).length > 0,
      ...(typeof spec.externalName === 'string' ? { externalName: spec.externalName } : {}),
    }));
  },
  Secret: (object, ns) => {
    const type = object.manifest.object.type;
    ns.secrets.push(Object.assign(object, { secretType: typeof type === 'string' && type !== '' ? type : 'Opaque' }));
  },
  ServiceAccount: (object, ns) => {
    const automount = object.manifest.object.automountServiceAccountToken;
    ns.serviceAccounts.push(Object.assign(object, typeof automount === 'boolean' ? { automountToken: automount } : {}));
  },
  Endpoints: (object, ns) => {
    const subsets = object.manifest.object.subsets;
    const addresses = (Array.isArray(subsets) ? subsets : []).filter(isRecord)
      .flatMap(s => [s.addresses, s.notReadyAddresses].flatMap(list => (Array.isArray(list) ? list : [])))
      .flatMap(a => (isRecord(a) && typeof a.ip === 'string' ? [a.ip] : []));
    ns.endpointSets.push(Object.assign(object, { addressType: 'IP', addresses, serviceName: object.name }));
  },
  PersistentVolumeClaim: (object, ns) => {
    ns.persistentVolumeClaims.push(Object.assign(object, readPersistentVolumeClaim(object.manifest.object, object.annotations)));
  },
};

function specOf(object: ModelObject): Record<string, unknown> {
  const spec = object.manifest.object.spec;
  if (spec === undefined || spec === null) return {};
  if (!isRecord(spec)) throw new FieldError('spec', 'must be a mapping');
  return spec;
}

// Quantities are read as text; numbers too, as YAML turns `pods: 10` into a number.
const quantityMap = parseStringMap;

function readRoleBinding(object: NamespacedObject): RoleBinding {
  const o = object.manifest.object;
  const ref = isRecord(o.roleRef) ? o.roleRef : undefined;
  const subjects = Array.isArray(o.subjects) ? o.subjects : [];
  return Object.assign(object, {
    ...(ref ? { roleRef: { kind: String(ref.kind), name: String(ref.name) } } : {}),
    subjects: subjects.filter(isRecord).map(s => ({
      kind: String(s.kind),
      name: String(s.name),
      ...(typeof s.namespace === 'string' ? { namespace: s.namespace } : {}),
    })),
  });
}

function endpointSliceFacts(object: NamespacedObject): Pick<EndpointSet, 'addressType' | 'addresses' | 'serviceName' | 'managedBy'> {
  const o = object.manifest.object;
  const endpoints = Array.isArray(o.endpoints) ? o.endpoints : [];
  const addresses = endpoints.filter(isRecord)
    .flatMap(e => (Array.isArray(e.addresses) ? e.addresses : []))
    .filter((a): a is string => typeof a === 'string');
  const serviceName = object.labels['kubernetes.io/service-name'];
  const managedBy = object.labels['endpointslice.kubernetes.io/managed-by'];
  return {
    addressType: typeof o.addressType === 'string' ? o.addressType : '',
    addresses,
    ...(serviceName !== undefined ? { serviceName } : {}),
    ...(managedBy !== undefined ? { managedBy } : {}),
  };
}

function ingressFacts(o: KubeObject): Pick<Ingress, 'hosts' | 'tlsHosts' | 'claimsEveryHost'> {
  const rules = valueAt(o, ['spec', 'rules']);
  const ruleList = Array.isArray(rules) ? rules : [];
  const hostOf = (r: unknown) => (isRecord(r) && typeof r.host === 'string' && r.host !== '' ? r.host : undefined);
  const hosts = ruleList.map(hostOf).filter((h): h is string => h !== undefined);
  const tls = valueAt(o, ['spec', 'tls']);
  const tlsHosts = (Array.isArray(tls) ? tls : []).flatMap(t => (isRecord(t) && Array.isArray(t.hosts) ? t.hosts : []))
    .filter((h): h is string => typeof h === 'string' && h !== '');
  // A rule without a host and a default backend both answer requests for any host name.
  const claimsEveryHost = ruleList.some(r => hostOf(r) === undefined) || isRecord(valueAt(o, ['spec', 'defaultBackend']));
  return { hosts: [...new Set(hosts)], tlsHosts: [...new Set(tlsHosts)], claimsEveryHost };
}

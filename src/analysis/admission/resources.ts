// From an object's apiVersion and kind to the resource an admission request names. Admission rules
// match resources (`deployments`), not kinds, and the API server knows the mapping from discovery;
// offline, a table of the built-in kinds and the CustomResourceDefinitions of the input stand in for it.
import { KubeObject } from '../../model/manifests';
import { apiGroupOf } from '../../model/vocabulary';
import { isRecord, valueAt } from '../../private/json';

/** Where a kind is served: its resource (plural) and whether its objects live in a namespace. */
export interface KindResource {
  readonly resource: string;
  readonly namespaced: boolean;
}

/** The group, version and kind of an object (`request.kind`). */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The group, version and resource of a request (`request.resource`). */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

const NAMESPACED = true;
const CLUSTER = false;

/** `<group>/<Kind>` (group '' for the core group) → resource and scope, for the built-in kinds. */
const BUILT_IN: ReadonlyMap<string, KindResource> = new Map(([
  ['', 'Pod', 'pods', NAMESPACED],
  ['', 'Service', 'services', NAMESPACED],
  ['', 'Secret', 'secrets', NAMESPACED],
  ['', 'ServiceAccount', 'serviceaccounts', NAMESPACED],
  ['', 'ConfigMap', 'configmaps', NAMESPACED],
  ['', 'Namespace', 'namespaces', CLUSTER],
  ['', 'ResourceQuota', 'resourcequotas', NAMESPACED],
  ['', 'LimitRange', 'limitranges', NAMESPACED],
  ['', 'ReplicationController', 'replicationcontrollers', NAMESPACED],
  ['', 'PersistentVolumeClaim', 'persistentvolumeclaims', NAMESPACED],
  ['', 'PersistentVolume', 'persistentvolumes', CLUSTER],
  ['', 'PodTemplate', 'podtemplates', NAMESPACED],
  ['', 'Endpoints', 'endpoints', NAMESPACED],
  ['', 'Event', 'events', NAMESPACED],
  ['', 'Node', 'nodes', CLUSTER],
  ['apps', 'Deployment', 'deployments', NAMESPACED],
  ['apps', 'ReplicaSet', 'replicasets', NAMESPACED],
  ['apps', 'StatefulSet', 'statefulsets', NAMESPACED],
  ['apps', 'DaemonSet', 'daemonsets', NAMESPACED],
  ['apps', 'ControllerRevision', 'controllerrevisions', NAMESPACED],
  ['batch', 'Job', 'jobs', NAMESPACED],
  ['batch', 'CronJob', 'cronjobs', NAMESPACED],
  ['networking.k8s.io', 'NetworkPolicy', 'networkpolicies', NAMESPACED],
  ['networking.k8s.io', 'Ingress', 'ingresses', NAMESPACED],
  ['networking.k8s.io', 'IngressClass', 'ingressclasses', CLUSTER],
  ['rbac.authorization.k8s.io', 'Role', 'roles', NAMESPACED],
  ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', NAMESPACED],
  ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', CLUSTER],
  ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', CLUSTER],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', CLUSTER],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', CLUSTER],
  ['admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', CLUSTER],
  ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', CLUSTER],
  ['policy', 'PodDisruptionBudget', 'poddisruptionbudgets', NAMESPACED],
  ['autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', NAMESPACED],
  ['discovery.k8s.io', 'EndpointSlice', 'endpointslices', NAMESPACED],
  ['coordination.k8s.io', 'Lease', 'leases', NAMESPACED],
  ['storage.k8s.io', 'StorageClass', 'storageclasses', CLUSTER],
  ['scheduling.k8s.io', 'PriorityClass', 'priorityclasses', CLUSTER],
  ['apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', CLUSTER],
] as const).map(([group, kind, resource, namespaced]) => [kindKey(group, kind), { resource, namespaced }]));

function kindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** The group, version and kind of an apiVersion and kind. */
export function groupVersionKind(apiVersion: string, kind: string): GroupVersionKind {
  const group = apiGroupOf(apiVersion);
  return { group, version: group === '' ? apiVersion : apiVersion.slice(group.length + 1), kind };
}

/** The resource and scope of a built-in kind, or undefined for a kind the table does not know. */
export function builtInResource(gvk: GroupVersionKind): KindResource | undefined {
  return BUILT_IN.get(kindKey(gvk.group, gvk.kind));
}

/**
 * The kinds the CustomResourceDefinitions among `objects` define, as the API server would serve
 * them: `spec.names.plural` in `spec.group`, namespaced when `spec.scope` is Namespaced. A later
 * definition of the same kind replaces an earlier one; one the API server would refuse (no plural,
 * another scope) defines nothing. Every version of the definition is taken as served.
 */
export class CustomResources {
  static of(objects: readonly KubeObject[]): CustomResources {
    const kinds = new Map<string, KindResource>();
    for (const o of objects) {
      if (o.kind !== 'CustomResourceDefinition' || apiGroupOf(o.apiVersion) !== 'apiextensions.k8s.io' || !isRecord(o.spec)) continue;
      const { group, scope } = o.spec;
      const kind = valueAt(o.spec, ['names', 'kind']);
      const plural = valueAt(o.spec, ['names', 'plural']);
      if (typeof group !== 'string' || typeof kind !== 'string' || typeof plural !== 'string' || plural === ''
        || (scope !== 'Namespaced' && scope !== 'Cluster')) continue;
      kinds.set(kindKey(group, kind), { resource: plural, namespaced: scope === 'Namespaced' });
    }
    return new CustomResources(kinds);
  }

  private constructor(private readonly kinds: ReadonlyMap<string, KindResource>) {}

  /** The resource and scope of a custom kind, or undefined when no definition of the input names it. */
  resourceOf(gvk: GroupVersionKind): KindResource | undefined {
    return this.kinds.get(kindKey(gvk.group, gvk.kind));
  }
}

/**
 * The resource name a kind most likely has: lower case, plural by the English rules the API
 * machinery's own guess (meta.UnsafeGuessKindToResource) applies.
 */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

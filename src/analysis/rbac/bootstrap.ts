// Kubernetes' own ClusterRoles that tenants meet: the user-facing ones (cluster-admin, admin, edit,
// view), the `system:aggregate-to-*` roles whose rules the aggregating ones gather, and the roles the
// default ClusterRoleBindings give every authenticated (or unauthenticated) user and every service
// account. The API server creates them on start and keeps them up to date, so an input rarely holds
// them; a ClusterRole of the input with the same name replaces the entry.
//
// Facts read from the API server's bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy
// of kubernetes/kubernetes and its testdata of the default roles and bindings), checked for
// Kubernetes 1.30 to 1.35. They are the same on all of those versions but for Dynamic Resource
// Allocation: edit writes, and view reads, ResourceClaims and ResourceClaimTemplates from 1.34 (DRA
// enabled by default), in 1.33 only with the DynamicResourceAllocation feature gate, not before. The
// table holds those rules on every version: a wider table only makes the checks stricter.
import { RbacRule } from './rules';

export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';
/** The label every default role carries, those left out of this table too. */
export const BOOTSTRAP_LABELS: Readonly<Record<string, string>> = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

export interface BootstrapClusterRole {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly rules: readonly RbacRule[];
  /** The matchLabels of each clusterRoleSelector, for an aggregated role. */
  readonly aggregates?: ReadonlyArray<Readonly<Record<string, string>>>;
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [...READ, ...WRITE];

const rule = (apiGroups: string[], resources: string[], verbs: string[]): RbacRule =>
  ({ apiGroups, resources, verbs, resourceNames: [], nonResourceURLs: [] });
const urls = (nonResourceURLs: string[], verbs: string[]): RbacRule =>
  ({ apiGroups: [], resources: [], verbs, resourceNames: [], nonResourceURLs });
const labelled = (extra: Record<string, string> = {}) => ({ ...BOOTSTRAP_LABELS, ...extra });

export const BOOTSTRAP_CLUSTER_ROLES: readonly BootstrapClusterRole[] = [
  {
    name: 'cluster-admin',
    labels: labelled(),
    rules: [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])],
  },
  { name: 'admin', labels: labelled(), rules: [], aggregates: [{ [AGGREGATE_TO_ADMIN]: 'true' }] },
  { name: 'edit', labels: labelled({ [AGGREGATE_TO_ADMIN]: 'true' }), rules: [], aggregates: [{ [AGGREGATE_TO_EDIT]: 'true' }] },
  { name: 'view', labels: labelled({ [AGGREGATE_TO_EDIT]: 'true' }), rules: [], aggregates: [{ [AGGREGATE_TO_VIEW]: 'true' }] },
  {
    name: 'system:aggregate-to-admin',
    labels: labelled({ [AGGREGATE_TO_ADMIN]: 'true' }),
    rules: [
      rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
      rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], READ_WRITE),
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: labelled({ [AGGREGATE_TO_EDIT]: 'true' }),
    rules: [
      rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
      rule([''], ['serviceaccounts'], ['impersonate']),
      rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
      rule([''], ['pods/eviction'], ['create']),
      rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets',
        'serviceaccounts', 'services', 'services/proxy'], WRITE),
      rule([''], ['serviceaccounts/token'], ['create']),
      rule(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale',
        'statefulsets', 'statefulsets/scale'], WRITE),
      rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
      rule(['batch'], ['cronjobs', 'jobs'], WRITE),
      rule(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies',
        'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], WRITE),
      rule(['policy'], ['poddisruptionbudgets'], WRITE),
      rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
      rule(['coordination.k8s.io'], ['leases'], READ_WRITE),
      // From 1.34 (1.33 with the DynamicResourceAllocation feature gate).
      rule(['resource.k8s.io'], ['resourceclaims', 'resourceclaimtemplates'], WRITE),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: labelled({ [AGGREGATE_TO_VIEW]: 'true' }),
    rules: [
      rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers',
        'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], READ),
      rule([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status',
        'resourcequotas', 'resourcequotas/status'], READ),
      rule([''], ['namespaces'], READ),
      rule(['discovery.k8s.io'], ['endpointslices'], READ),
      rule(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
        'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], READ),
      rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
      rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
      rule(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses',
        'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], READ),
      rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
      rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
      // From 1.34 (1.33 with the DynamicResourceAllocation feature gate).
      rule(['resource.k8s.io'], ['resourceclaims', 'resourceclaims/status', 'resourceclaimtemplates'], READ),
    ],
  },
  // Bound by default to system:authenticated (basic-user, discovery), to system:authenticated and
  // system:unauthenticated (public-info-viewer) and to system:serviceaccounts (issuer discovery).
  {
    name: 'system:basic-user',
    labels: labelled(),
    rules: [
      rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
      rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
    ],
  },
  {
    name: 'system:discovery',
    labels: labelled(),
    rules: [urls(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], ['get'])],
  },
  {
    name: 'system:public-info-viewer',
    labels: labelled(),
    rules: [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])],
  },
  {
    name: 'system:service-account-issuer-discovery',
    labels: labelled(),
    rules: [urls(['/.well-known/openid-configuration', '/openid/v1/jwks'], ['get'])],
  },
];

/**
 * The roles Kubernetes' default ClusterRoleBindings give the groups that stand for everyone (every
 * authenticated user, every unauthenticated request, every service account): asking who one is,
 * discovery, health, version and the service-account issuer's public keys. A grant of nothing beyond
 * their rules gives a tenant nothing of anyone else's.
 */
export const EVERYONE_HOLDS: readonly string[] = ['system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:service-account-issuer-discovery'];

// The namespaced Role rules behind each access level.
import { AccessLevel } from './access';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }

// Explicit namespaced rules instead of the built-in admin/edit ClusterRoles: those allow writing
// NetworkPolicies, which would let a tenant take down its own isolation.
const VIEW_RULES: Rule[] = [
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'events', 'limitranges', 'persistentvolumeclaims', 'pods', 'pods/log', 'pods/status', 'replicationcontrollers', 'resourcequotas', 'serviceaccounts', 'services'], verbs: READ },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
];

const EDIT_RULES: Rule[] = [
  ...VIEW_RULES,
  { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'pods', 'secrets', 'services'], verbs: WRITE },
  { apiGroups: [''], resources: ['secrets'], verbs: READ },
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward'], verbs: ['create', 'get'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
];

const ADMIN_RULES: Rule[] = [
  ...EDIT_RULES,
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: WRITE },
  // The API server's escalation check keeps bindings within the admin's own permissions.
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...READ, ...WRITE] },
];

/** The namespaced Role rules of an access level. */
export function roleRules(level: AccessLevel): Rule[] {
  const rules = level === AccessLevel.ADMIN ? ADMIN_RULES : level === AccessLevel.EDIT ? EDIT_RULES : VIEW_RULES;
  return rules.map(r => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));
}

/** The name of the Role (and its RoleBinding) a bundle writes for an access level. */
export function guardRoleName(level: AccessLevel): string {
  return `namespace-guard-${level}`;
}

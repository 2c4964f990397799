// What RBAC grants, as far as manifests show it: the bindings that apply in a namespace (its
// RoleBindings and every ClusterRoleBinding), the rules of the role each one names (a Role or
// ClusterRole of the input, or one of Kubernetes' default ClusterRoles), and whether a rule allows
// a verb on a resource. The API server's authorizer is not simulated: no aggregation beyond what
// the input writes out, no non-resource URLs.
import { ClusterModel, ModelObject, RbacSubject } from '../../model/cluster-model';
import { apiGroupOf } from '../../model/vocabulary';
import { isRecord } from '../../private/json';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A RoleBinding, or a ClusterRoleBinding (`namespace` undefined: it grants in every namespace). */
export interface Binding {
  readonly object: ModelObject;
  readonly namespace?: string;
  readonly roleRef?: { readonly kind: string; readonly name: string };
  readonly subjects: readonly RbacSubject[];
}

/** One rule of a role, its lists read as text (anything else in them is left out). */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** The rules of the role a binding names, and where they were read from. */
export interface RoleRules {
  readonly rules: readonly RbacRule[];
  /** `Role ns/name` or `ClusterRole name` when the input has the role; undefined for a default ClusterRole. */
  readonly object?: ModelObject;
  /** `Role ns/name`, `ClusterRole name`. */
  readonly label: string;
}

export const WRITE_VERBS: readonly string[] = ['create', 'update', 'patch', 'delete', 'deletecollection'];

const READ_VERBS = ['get', 'list', 'watch'];

// The part of Kubernetes' default user-facing ClusterRoles that decides what the checks ask
// (writes to quotas, limit ranges, network policies and RBAC objects; wildcards; impersonation). Used when a
// binding names one of them and the input does not hold it, as it rarely does.
const DEFAULT_CLUSTER_ROLES: Readonly<Record<string, readonly RbacRule[]>> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  'admin': [
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
    { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: READ_VERBS },
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: [...READ_VERBS, ...WRITE_VERBS] },
    { apiGroups: [RBAC_GROUP], resources: ['roles', 'rolebindings'], verbs: [...READ_VERBS, ...WRITE_VERBS] },
  ],
  'edit': [
    // edit (and admin, which aggregates it) may act as any service account of the namespace.
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
    { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: READ_VERBS },
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: [...READ_VERBS, ...WRITE_VERBS] },
  ],
  'view': [
    { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: READ_VERBS },
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ_VERBS },
  ],
};

/** The ClusterRoleBindings of the input, in input order. */
export function clusterRoleBindings(model: ClusterModel): Binding[] {
  return model.objects.filter(o => o.kind === 'ClusterRoleBinding' && apiGroupOf(o.apiVersion) === RBAC_GROUP).map(object => {
    const o = object.manifest.object;
    const ref = isRecord(o.roleRef) ? o.roleRef : undefined;
    return {
      object,
      ...(ref ? { roleRef: { kind: String(ref.kind), name: String(ref.name) } } : {}),
      subjects: readSubjects(o.subjects),
    };
  });
}

/** The RoleBindings of a namespace, then every ClusterRoleBinding. */
export function bindingsIn(model: ClusterModel, namespace: string): Binding[] {
  const ns = model.namespace(namespace);
  const roleBindings = (ns?.roleBindings ?? []).map(b => ({
    object: b, namespace: b.namespace, subjects: b.subjects, ...(b.roleRef ? { roleRef: b.roleRef } : {}),
  }));
  return [...roleBindings, ...clusterRoleBindings(model)];
}

export function readSubjects(raw: unknown): RbacSubject[] {
  return (Array.isArray(raw) ? raw : []).filter(isRecord).map(s => ({
    kind: String(s.kind),
    name: String(s.name),
    ...(typeof s.namespace === 'string' ? { namespace: s.namespace } : {}),
  }));
}

/**
 * The rules of the role a binding names, or undefined when neither the input nor Kubernetes'
 * defaults hold it (or it is an aggregated ClusterRole whose rules the input leaves empty): what it
 * grants cannot be shown.
 */
export function rulesOf(model: ClusterModel, binding: Binding): RoleRules | undefined {
  const ref = binding.roleRef;
  if (!ref) return undefined;
  if (ref.kind === 'Role') {
    // A RoleBinding's Role lives in its own namespace; a ClusterRoleBinding cannot name a Role.
    if (binding.namespace === undefined) return undefined;
    const role = model.namespace(binding.namespace)?.roles.find(r => r.name === ref.name);
    return role && { rules: readRules(role.rules), object: role, label: `Role ${binding.namespace}/${ref.name}` };
  }
  if (ref.kind !== 'ClusterRole') return undefined;
  const role = model.objects.find(o => o.kind === 'ClusterRole' && apiGroupOf(o.apiVersion) === RBAC_GROUP && o.name === ref.name);
  if (role) {
    const o = role.manifest.object;
    const rules = readRules(o.rules);
    if (rules.length === 0 && isRecord(o.aggregationRule)) return undefined;
    return { rules, object: role, label: `ClusterRole ${ref.name}` };
  }
  const defaults = DEFAULT_CLUSTER_ROLES[ref.name];
  return defaults && { rules: defaults, label: `ClusterRole ${ref.name}` };
}

export function readRules(raw: unknown): RbacRule[] {
  const texts = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return (Array.isArray(raw) ? raw : []).filter(isRecord).map(r => ({
    apiGroups: texts(r.apiGroups), resources: texts(r.resources), verbs: texts(r.verbs),
  }));
}

/** The verbs of `verbs` that a rule allows on a resource of a group (`*` in any list matches all). */
export function allowedVerbs(rule: RbacRule, group: string, resource: string, verbs: readonly string[]): string[] {
  const has = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);
  if (!has(rule.apiGroups, group) || !has(rule.resources, resource)) return [];
  return rule.verbs.includes('*') ? [...verbs] : verbs.filter(v => rule.verbs.includes(v));
}

/** Whether a rule uses `*` for groups, resources or verbs. */
export function hasWildcard(rule: RbacRule): boolean {
  return [rule.apiGroups, rule.resources, rule.verbs].some(list => list.includes('*'));
}

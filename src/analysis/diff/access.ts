// Who may do what, before and after a change, compared on effective permissions rather than role
// names: per subject and namespace (RoleBindings) or for every namespace (ClusterRoleBindings), the
// union of the effective rules of the roles bound (aggregated ClusterRoles gathered, Kubernetes'
// default ClusterRoles known; see ../rbac), taken apart into single permissions. A subject's access
// is raised when the head grants a permission that the base covered nowhere (a widened Role, a new
// ClusterRole aggregated into one already bound, a new binding). The roles are compared the same
// way, bound or not: a tenant admin who may create RoleBindings can bind a role later.
import { ClusterModel } from '../../model/cluster-model';
import { compareText } from '../../private/json';
import {
  EffectiveRole, isWide, MULTI_TENANCY_RESOURCES, permissionTexts, PermissionSet, RbacView, roleLabelOf, subjectKey,
} from '../rbac';

/** The namespace ClusterRoleBindings grant in: all of them. */
export const EVERY_NAMESPACE = '*';

/** A subject whose access to a namespace changed. */
export interface AccessChange {
  /** The namespace, or EVERY_NAMESPACE for what ClusterRoleBindings grant. */
  readonly namespace: string;
  /** `Group/<name>`, `User/<name>` or `ServiceAccount/<namespace>/<name>`. */
  readonly subject: string;
  /** The roles bound to it there in the base (`ClusterRole edit`, `Role deployer`), sorted; empty for none. */
  readonly before: readonly string[];
  /** The roles bound to it there in the head. */
  readonly after: readonly string[];
  /** What the head grants it there that the base did not, one line per resource (see permissionTexts). */
  readonly added: readonly string[];
  /** What the base granted it there that the head does not. */
  readonly removed: readonly string[];
  /** It may do more: `added` is not empty. */
  readonly raises: boolean;
}

/** How a role changed. */
export type RoleChangeKind = 'added' | 'removed' | 'widened' | 'narrowed' | 'changed';

/** A Role or ClusterRole whose effective rules changed, bound or not. */
export interface RoleChange {
  /** `Role ns/name` or `ClusterRole name`. */
  readonly role: string;
  readonly change: RoleChangeKind;
  /** What it grants in the head that it did not in the base (for a new role: everything). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** It grants more than before, or it is new with wide rules (a wildcard, an escalating verb, writes to quotas, limit ranges, NetworkPolicies or RBAC objects). */
  readonly widens: boolean;
}

/** The subjects whose access differs between the two sides, by namespace then subject; namespaces the head removed are left out. */
export function compareAccess(base: ClusterModel, head: ClusterModel): AccessChange[] {
  const before = grantsOf(base);
  const after = grantsOf(head);
  const changes: AccessChange[] = [];
  const empty: Grant = { roles: new Set(), permissions: PermissionSet.EMPTY };
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [namespace, subject] = key.split('\n');
    if (namespace !== EVERY_NAMESPACE && head.namespace(namespace) === undefined) continue;
    const was = before.get(key) ?? empty;
    const now = after.get(key) ?? empty;
    // What a ClusterRoleBinding grants covers every namespace.
    const wider = (side: Map<string, Grant>) =>
      (namespace === EVERY_NAMESPACE ? [] : [side.get(`${EVERY_NAMESPACE}\n${subject}`)?.permissions ?? PermissionSet.EMPTY]);
    const added = now.permissions.beyond(was.permissions, ...wider(before));
    const removed = was.permissions.beyond(now.permissions, ...wider(after));
    const [x, y] = [[...was.roles].sort(compareText), [...now.roles].sort(compareText)];
    if (added.length === 0 && removed.length === 0 && x.join('\n') === y.join('\n')) continue;
    changes.push({
      namespace, subject, before: x, after: y, added: permissionTexts(added), removed: permissionTexts(removed), raises: added.length > 0,
    });
  }
  return changes.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.subject, b.subject));
}

/** The roles whose effective rules differ between the two sides, sorted; roles of namespaces the head removed are left out. */
export function compareRoles(base: ClusterModel, head: ClusterModel): RoleChange[] {
  const before = rolesOf(base);
  const after = rolesOf(head);
  const changes: RoleChange[] = [];
  for (const label of new Set([...before.keys(), ...after.keys()])) {
    const namespace = /^Role ([^/]+)\//.exec(label)?.[1];
    if (namespace !== undefined && head.namespace(namespace) === undefined) continue;
    const was = before.get(label);
    const now = after.get(label);
    const added = now ? (was ? now.beyond(was) : now.permissions) : [];
    const removed = was ? (now ? was.beyond(now) : was.permissions) : [];
    if (was && now && added.length === 0 && removed.length === 0) continue;
    const change: RoleChangeKind = !was ? 'added' : !now ? 'removed' : removed.length === 0 ? 'widened' : added.length === 0 ? 'narrowed' : 'changed';
    const widens = change === 'added' ? added.some(p => isWide(p, MULTI_TENANCY_RESOURCES)) : added.length > 0;
    changes.push({ role: label, change, added: permissionTexts(added), removed: permissionTexts(removed), widens });
  }
  return changes.sort((a, b) => compareText(a.role, b.role));
}

interface Grant {
  readonly roles: Set<string>;
  permissions: PermissionSet;
}

/** The permissions of a role: its effective rules, and a marker for what the input cannot show. */
function permissionsOf(role: EffectiveRole | undefined, label: string, cache: Map<string, PermissionSet>): PermissionSet {
  let found = cache.get(label);
  if (!found) {
    found = role
      ? PermissionSet.of(role.rules, role.incomplete ? [`what ${label} aggregates beyond the input (${role.incomplete})`] : [])
      : PermissionSet.of([], [`what ${label} grants (neither the input nor Kubernetes' defaults hold it)`]);
    cache.set(label, found);
  }
  return found;
}

/** Per `namespace\nsubject`, the roles bound and the permissions they give. */
function grantsOf(model: ClusterModel): Map<string, Grant> {
  const view = RbacView.of(model);
  const cache = new Map<string, PermissionSet>();
  const parts = new Map<string, { roles: Set<string>; sets: PermissionSet[] }>();
  for (const binding of view.bindings) {
    if (!binding.roleRef) continue;
    const label = roleLabelOf(binding);
    const permissions = permissionsOf(view.roleOf(binding), label, cache);
    // A Role is named as its RoleBinding's namespace shows it already.
    const shown = binding.roleRef.kind === 'Role' ? `Role ${binding.roleRef.name}` : label;
    for (const subject of new Set(binding.subjects.map(s => subjectKey(s, binding.namespace ?? 'default')))) {
      const key = `${binding.namespace ?? EVERY_NAMESPACE}\n${subject}`;
      let part = parts.get(key);
      if (!part) parts.set(key, part = { roles: new Set(), sets: [] });
      part.roles.add(shown);
      part.sets.push(permissions);
    }
  }
  return new Map([...parts].map(([key, part]) => [key, { roles: part.roles, permissions: PermissionSet.union(part.sets) }]));
}

/** Every role's permissions by label: the Roles and ClusterRoles of the input and Kubernetes' default ClusterRoles. */
function rolesOf(model: ClusterModel): Map<string, PermissionSet> {
  const view = RbacView.of(model);
  const cache = new Map<string, PermissionSet>();
  const out = new Map<string, PermissionSet>();
  for (const role of model.roles) {
    const label = `Role ${role.namespace}/${role.name}`;
    out.set(label, permissionsOf(view.role(role.namespace, role.name), label, cache));
  }
  for (const name of view.clusterRoleNames) {
    const label = `ClusterRole ${name}`;
    out.set(label, permissionsOf(view.clusterRole(name), label, cache));
  }
  return out;
}

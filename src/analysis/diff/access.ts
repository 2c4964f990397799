// Who may do what in each namespace, before and after a change: the subjects of the RoleBindings
// (and, for every namespace at once, of the ClusterRoleBindings) with the access their role gives.
// The bundles' roles (namespace-guard-view, -edit, -admin) and Kubernetes' own ClusterRoles (view,
// edit, admin, cluster-admin) are ranked; any other role is named as it is (`Role/deployer`).
import { ClusterModel, RbacSubject } from '../../model/cluster-model';
import { compareText } from '../../private/json';
import { clusterRoleBindings } from '../rbac';

/** The namespace ClusterRoleBindings grant in: all of them. */
export const EVERY_NAMESPACE = '*';

/** The access levels, least first. */
const LEVELS = ['view', 'edit', 'admin', 'cluster-admin'] as const;

/** A subject whose access to a namespace changed; null where it has none. */
export interface AccessChange {
  readonly namespace: string;
  /** `Group/<name>`, `User/<name>` or `ServiceAccount/<namespace>/<name>`. */
  readonly subject: string;
  readonly before: string | null;
  readonly after: string | null;
  /** The subject may do more: a higher level, or a role it did not have. */
  readonly raises: boolean;
}

/** What one subject holds in one namespace: its highest ranked level and the other roles bound to it. */
interface Grant {
  level: number;
  readonly others: Set<string>;
}

/** The subjects whose access differs between the two sides, by namespace then subject; namespaces the head removed are left out. */
export function compareAccess(base: ClusterModel, head: ClusterModel): AccessChange[] {
  const before = grantsOf(base);
  const after = grantsOf(head);
  const changes: AccessChange[] = [];
  const keys = new Set([...before.keys(), ...after.keys()]);
  for (const key of keys) {
    const [namespace, subject] = key.split('\n');
    if (namespace !== EVERY_NAMESPACE && head.namespace(namespace) === undefined) continue;
    const was = before.get(key);
    const now = after.get(key);
    const [x, y] = [describe(was), describe(now)];
    if (x === y) continue;
    const raises = now !== undefined && (was === undefined || now.level > was.level || [...now.others].some(o => !was.others.has(o)));
    changes.push({ namespace, subject, before: x, after: y, raises });
  }
  return changes.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.subject, b.subject));
}

/** `edit`, `edit + Role/deployer`, `Role/deployer`; null for no access. */
function describe(grant: Grant | undefined): string | null {
  if (!grant) return null;
  const parts = [...(grant.level >= 0 ? [LEVELS[grant.level]] : []), ...[...grant.others].sort(compareText)];
  return parts.join(' + ');
}

/** Per `namespace\nsubject`, what the bindings of the model grant. */
function grantsOf(model: ClusterModel): Map<string, Grant> {
  const grants = new Map<string, Grant>();
  const add = (namespace: string, subject: string, role: string) => {
    const key = `${namespace}\n${subject}`;
    let grant = grants.get(key);
    if (!grant) {
      grant = { level: -1, others: new Set() };
      grants.set(key, grant);
    }
    const level = (LEVELS as readonly string[]).indexOf(role);
    if (level >= 0) grant.level = Math.max(grant.level, level);
    else grant.others.add(role);
  };
  for (const binding of model.roleBindings) {
    if (!binding.roleRef) continue;
    const role = roleOf(binding.roleRef.kind, binding.roleRef.name);
    for (const subject of binding.subjects) add(binding.namespace, subjectName(subject, binding.namespace), role);
  }
  for (const binding of clusterRoleBindings(model)) {
    if (!binding.roleRef) continue;
    const role = roleOf(binding.roleRef.kind, binding.roleRef.name);
    for (const subject of binding.subjects) add(EVERY_NAMESPACE, subjectName(subject, 'default'), role);
  }
  return grants;
}

/** The access level a role stands for, or the role's kind and name. */
function roleOf(kind: string, name: string): string {
  if (kind === 'Role') {
    const bundle = /^namespace-guard-(view|edit|admin)$/.exec(name);
    if (bundle) return bundle[1];
  } else if (kind === 'ClusterRole' && (LEVELS as readonly string[]).includes(name)) {
    return name;
  }
  return `${kind}/${name}`;
}

function subjectName(subject: RbacSubject, bindingNamespace: string): string {
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount/${subject.namespace ?? bindingNamespace}/${subject.name}`
    : `${subject.kind}/${subject.name}`;
}

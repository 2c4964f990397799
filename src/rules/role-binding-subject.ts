import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace, RbacSubject, RoleBinding } from '../model/cluster-model';
import { broadSubject } from '../model/rbac-subjects';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../model/vocabulary';

const GUARD_ROLE = /^namespace-guard-(admin|edit|view)$/;
const LEVEL_NAMES: Readonly<Record<string, string>> = { admin: 'admins', edit: 'editors', view: 'viewers' };

/** A group or user a managed namespace declares: a subject of its guard's own RoleBindings. */
interface Declared {
  readonly namespace: string;
  /** admins, editors or viewers. */
  readonly level: string;
}

/**
 * A RoleBinding of a managed namespace grants its role inside the namespace only to subjects of the
 * namespace: not to broad `system:` groups and users (every authenticated user, every service
 * account, the nodes, the service accounts of another namespace), and not to a service account of
 * another managed namespace (tenant, team or zone member), whose pods would act across the boundary.
 * Service accounts of unmanaged namespaces (a GitOps controller's, say) are allowed. Nor to a group
 * or user that another managed namespace declares (its admins, editors or viewers, as the guard's own
 * RoleBindings there show: labelled managed-by the guard, bound to its namespace-guard-* Roles) and
 * this namespace does not: another tenant's admin group.
 */
export const roleBindingSubjectRule: Rule = {
  id: RuleId.ROLE_BINDING_SUBJECT,
  severity: FindingSeverity.ERROR,
  summary: 'a RoleBinding of a managed namespace grants its role to subjects outside the namespace',
  description: 'A RoleBinding of a managed namespace grants its role to subjects outside the namespace: system:authenticated, system:unauthenticated, system:anonymous, system:serviceaccounts, system:masters, system:nodes, the service accounts of another namespace, a ServiceAccount of another managed namespace, or a group or user another managed namespace declares (its admins, editors or viewers) and this one does not. Such a grant gives the namespace\'s access to far more identities than its team.',
  remedy: 'Name the real group or user, or run that work under a service account of the namespace itself (service accounts of unmanaged namespaces, such as a GitOps controller\'s, are allowed). Acknowledge role-binding-subject on the RoleBinding for the subject only with the reason.',
  securitySeverity: 8.5,
  acknowledgedOn: 'object',
  objectKinds: ['RoleBinding'],
  target: 'the subject (a group or user name, or system:serviceaccount:<namespace>:<name>)',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    const declared = declaredSubjects(model);
    for (const ns of model.namespaces.filter(n => n.managed)) {
      for (const binding of ns.roleBindings) {
        for (const subject of binding.subjects) {
          const hit = subjectHit(model, ns, binding, subject) ?? declaredElsewhereHit(declared, ns, binding, subject);
          if (hit) hits.push(hit);
        }
      }
    }
    return hits;
  },
};

/** The groups and users of the guard's own RoleBindings in managed namespaces, by `kind:name`. */
function declaredSubjects(model: ClusterModel): Map<string, Declared[]> {
  const declared = new Map<string, Declared[]>();
  for (const ns of model.namespaces.filter(n => n.managed)) {
    for (const binding of ns.roleBindings) {
      const level = binding.roleRef?.kind === 'Role' ? GUARD_ROLE.exec(binding.roleRef.name)?.[1] : undefined;
      if (level === undefined || binding.labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) continue;
      for (const s of binding.subjects.filter(x => x.kind === 'Group' || x.kind === 'User')) {
        const key = `${s.kind}:${s.name}`;
        declared.set(key, [...declared.get(key) ?? [], { namespace: ns.name, level: LEVEL_NAMES[level] }]);
      }
    }
  }
  return declared;
}

function declaredElsewhereHit(declared: Map<string, Declared[]>, ns: Namespace, binding: RoleBinding, subject: RbacSubject): RuleHit | undefined {
  if (subject.kind !== 'Group' && subject.kind !== 'User') return undefined;
  const where = declared.get(`${subject.kind}:${subject.name}`) ?? [];
  if (where.length === 0 || where.some(d => d.namespace === ns.name)) return undefined;
  const other = where[0];
  const grants = `RoleBinding "${binding.name}" in namespace "${ns.name}" grants ${binding.roleRef ? `${binding.roleRef.kind} "${binding.roleRef.name}"` : 'its role'}`;
  return {
    object: binding,
    namespace: ns.name,
    target: subject.name,
    message: `${grants} to ${subject.kind} "${subject.name}", which managed namespace "${other.namespace}" declares among its ${other.level}: `
      + `the ${other.level === 'admins' ? 'admin' : other.level === 'editors' ? 'editor' : 'viewer'} ${subject.kind === 'Group' ? 'group' : 'user'} of another managed namespace gets access to "${ns.name}" across the boundary`,
    fix: `declare the ${subject.kind.toLowerCase()} in the bundle of "${ns.name}" (admins, editors or viewers) if it belongs there, or bind the namespace's own people`,
  };
}

function subjectHit(model: ClusterModel, ns: Namespace, binding: RoleBinding, subject: RbacSubject): RuleHit | undefined {
  const grants = `RoleBinding "${binding.name}" in namespace "${ns.name}" grants ${binding.roleRef ? `${binding.roleRef.kind} "${binding.roleRef.name}"` : 'its role'}`;
  if (subject.kind === 'ServiceAccount') {
    const home = subject.namespace ?? ns.name;
    const other = model.namespace(home);
    if (home === ns.name || !other?.managed) return undefined;
    return {
      object: binding,
      namespace: ns.name,
      target: `system:serviceaccount:${home}:${subject.name}`,
      message: `${grants} to service account "${subject.name}" of namespace "${home}", another managed namespace: its pods act in "${ns.name}" across the boundary`,
      fix: `run that work in "${ns.name}" under its own service account (service accounts of unmanaged namespaces, such as a GitOps controller's, are allowed)`,
    };
  }
  const broad = broadSubject(subject.name, ns.name);
  if (broad === undefined) return undefined;
  const asServiceAccount = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject.name);
  return {
    object: binding,
    namespace: ns.name,
    target: subject.name,
    message: `${grants} to ${subject.kind} "${subject.name}", which is ${broad}`,
    fix: asServiceAccount
      ? `name the service account as a ServiceAccount subject (kind: ServiceAccount, name: ${asServiceAccount[2]}, namespace: ${asServiceAccount[1]}), `
        + 'which the check allows when its namespace is not managed, or run the work in this namespace'
      : 'bind the real group of the people who need the access (for example the team\'s identity-provider group)',
  };
}

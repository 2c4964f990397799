import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace, RbacSubject, RoleBinding } from '../model/cluster-model';
import { broadSubject } from '../model/rbac-subjects';

/**
 * A RoleBinding of a managed namespace grants its role inside the namespace only to subjects of the
 * namespace: not to broad `system:` groups and users (every authenticated user, every service
 * account, the nodes, the service accounts of another namespace), and not to a service account of
 * another managed namespace (tenant, team or zone member), whose pods would act across the boundary.
 * Service accounts of unmanaged namespaces (a GitOps controller's, say) are allowed.
 */
export const roleBindingSubjectRule: Rule = {
  id: RuleId.ROLE_BINDING_SUBJECT,
  severity: FindingSeverity.ERROR,
  summary: 'a RoleBinding of a managed namespace grants its role to subjects outside the namespace',
  description: 'A RoleBinding of a managed namespace grants its role to subjects outside the namespace: system:authenticated, system:unauthenticated, system:anonymous, system:serviceaccounts, system:masters, system:nodes, the service accounts of another namespace, or a ServiceAccount of another managed namespace. Such a grant gives the namespace\'s access to far more identities than its team.',
  remedy: 'Name the real group or user, or run that work under a service account of the namespace itself (service accounts of unmanaged namespaces, such as a GitOps controller\'s, are allowed). Acknowledge role-binding-subject on the RoleBinding for the subject only with the reason.',
  securitySeverity: 8.5,
  acknowledgedOn: 'object',
  objectKinds: ['RoleBinding'],
  target: 'the subject (a group or user name, or system:serviceaccount:<namespace>:<name>)',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces.filter(n => n.managed)) {
      for (const binding of ns.roleBindings) {
        for (const subject of binding.subjects) {
          const hit = subjectHit(model, ns, binding, subject);
          if (hit) hits.push(hit);
        }
      }
    }
    return hits;
  },
};

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

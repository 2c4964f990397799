// Controls about what a namespace's tenants may do through RBAC. The tenants of a namespace are the
// subjects its RoleBindings name (whoever the namespace gives access to), its own service accounts,
// and the groups that stand for everyone; not Kubernetes' own `system:` users and groups, nor the
// service accounts of namespaces the evidence does not cover (a GitOps controller's), which act for
// the cluster's administrators. Every binding that names a tenant is examined: the namespace's
// RoleBindings and the ClusterRoleBindings (but those to Kubernetes' bootstrap `system:` roles).
// A binding whose role the input does not hold cannot be shown to be harmless, so it fails.
// Write access that the admission policies of the input deny on every request is taken back (see
// admission-proof.ts): the grant passes with those policies as evidence.
import { admissionDenies, AdmissionVerdict, hasAdmissionPolicies, WriteAccess } from './admission-proof';
import { listText, ref, refs } from './refs';
import { Control, ControlContext, ControlResult, Framework, KUBERNETES_NAMESPACES } from './types';
import { RbacSubject } from '../../model/cluster-model';
import { allowedVerbs, Binding, bindingsIn, hasWildcard, RbacRule, readRules, RoleRules, rulesOf, WRITE_VERBS } from '../rbac';

/** A binding that names tenants of the namespace, with the rules of its role (undefined: not in the input). */
export interface TenantGrant {
  readonly binding: Binding;
  /** The tenants it names: `Group/x`, `User/x`, `ServiceAccount/ns/name`. */
  readonly tenants: readonly string[];
  readonly role?: RoleRules;
  /** `Role ns/name` or `ClusterRole name`. */
  readonly roleLabel: string;
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;
// Groups that stand for whole classes of identities of the cluster, tenants among them.
const EVERYONE = new Set(['system:authenticated', 'system:unauthenticated', 'system:anonymous', 'system:serviceaccounts']);

function subjectKey(subject: RbacSubject, bindingNamespace: string | undefined): string {
  if (subject.kind === 'ServiceAccount') return `ServiceAccount/${subject.namespace ?? bindingNamespace ?? ''}/${subject.name}`;
  const sa = subject.kind === 'User' ? SERVICE_ACCOUNT_USER.exec(subject.name) : null;
  return sa ? `ServiceAccount/${sa[1]}/${sa[2]}` : `${subject.kind}/${subject.name}`;
}

/** Whether a subject acts for the cluster's administrators rather than for the namespace's tenants. */
function isPlatform(key: string, context: ControlContext): boolean {
  const [kind, first, second] = key.split('/');
  if (kind === 'ServiceAccount') {
    return first !== context.namespace.name && second !== undefined && (KUBERNETES_NAMESPACES.includes(first) || !context.covered.has(first));
  }
  return first.startsWith('system:') && !isEveryone(first, context.namespace.name);
}

function isEveryone(name: string, namespace: string): boolean {
  return EVERYONE.has(name) || name === `system:serviceaccounts:${namespace}`;
}

/** The bindings that name a tenant of the namespace, RoleBindings first, each kind in input order. */
export function tenantGrants(context: ControlContext): TenantGrant[] {
  const ns = context.namespace;
  const declared = new Set(ns.roleBindings.flatMap(b => b.subjects.map(s => subjectKey(s, ns.name))).filter(k => !isPlatform(k, context)));
  const isTenant = (key: string) => declared.has(key) || key.startsWith(`ServiceAccount/${ns.name}/`)
    || (/^(Group|User)\//.test(key) && isEveryone(key.slice(key.indexOf('/') + 1), ns.name));
  const grants: TenantGrant[] = [];
  for (const binding of bindingsIn(context.model, ns.name)) {
    if (binding.namespace === undefined && binding.roleRef?.name.startsWith('system:')) continue;
    const tenants = [...new Set(binding.subjects.map(s => subjectKey(s, binding.namespace)).filter(isTenant))];
    if (tenants.length === 0) continue;
    const role = rulesOf(context.model, binding);
    const roleLabel = binding.roleRef ? `${binding.roleRef.kind} ${binding.roleRef.kind === 'Role' ? `${binding.namespace}/` : ''}${binding.roleRef.name}` : 'no role';
    grants.push({ binding, tenants, ...(role ? { role } : {}), roleLabel });
  }
  return grants;
}

/** An object and what is wrong with it. */
export interface ObjectProblem {
  readonly object: { readonly kind: string; readonly name: string; readonly namespace?: string };
  readonly problem: string;
}

export interface RbacControlSpec {
  readonly id: string;
  readonly framework: Framework;
  readonly title: string;
  /** What no tenant may have, for messages: `write access to ResourceQuotas`. */
  readonly what: string;
  /** What a grant's rules give that the control forbids (empty: nothing), beyond `writes`. */
  readonly problems?: (grant: TenantGrant) => string[];
  /** Resources (group, resource) no tenant may write, unless admission denies every such request. */
  readonly writes?: ReadonlyArray<readonly [group: string, resource: string]>;
  /** Whether a binding whose role cannot be read fails the control (it cannot be shown to hold). */
  readonly needsRoles?: boolean;
  /** Problems outside the grants (a Role of the namespace that no binding names yet). */
  readonly extra?: (context: ControlContext) => ObjectProblem[];
  readonly fix: string;
}

/** A control over the grants to the namespace's tenants. */
export function rbacControl(spec: RbacControlSpec): Control {
  return {
    id: spec.id,
    framework: spec.framework,
    title: spec.title,
    evaluate: context => evaluateRbac(spec, context),
  };
}

function evaluateRbac(spec: RbacControlSpec, context: ControlContext): ControlResult {
  const grants = tenantGrants(context);
  const failing: Array<{ refs: string[]; problem: string }> = [];
  const neutralised: Array<{ grant: TenantGrant; evidence: readonly string[]; text: string }> = [];
  for (const grant of grants) {
    const who = `${ref(grant.binding.object)} (${listText(grant.tenants)})`;
    if (!grant.role && spec.needsRoles !== false) {
      failing.push({ refs: [ref(grant.binding.object)], problem: `${who} names ${grant.roleLabel}, which the input does not hold, so what it grants cannot be shown` });
      continue;
    }
    const other = spec.problems?.(grant) ?? [];
    const writes = spec.writes ? writeAccess(grant, spec.writes) : [];
    const problems = [...other, ...writes.map(w => `${w.verbs.join('/')} on ${w.resource}`)];
    if (problems.length === 0) continue;
    const grantRefs = [ref(grant.binding.object), ...(grant.role?.object ? [ref(grant.role.object)] : [])];
    const gives = `${who} gives ${listText(problems)} through ${grant.roleLabel}`;
    // Admission can take back write access only; it is asked only when the input has policies.
    const verdicts = other.length === 0 && writes.length > 0 && hasAdmissionPolicies(context.model)
      ? grant.tenants.map(t => ({ tenant: t, verdict: admissionDenies(context, t, writes)! }))
      : [];
    const open = verdicts.find(v => !v.verdict.denied);
    if (verdicts.length > 0 && !open) {
      neutralised.push({ grant, evidence: verdicts.flatMap(v => v.verdict.evidence), text: `${gives}, but ${deniedText(verdicts.map(v => v.verdict))}` });
      continue;
    }
    failing.push({ refs: grantRefs, problem: open ? `${gives}, and ${open.verdict.admitted}` : gives });
  }
  for (const e of spec.extra?.(context) ?? []) failing.push({ refs: [ref(e.object)], problem: e.problem });
  const ns = context.namespace.name;
  if (failing.length > 0) {
    return { status: 'fail', evidence: [...new Set(failing.flatMap(f => f.refs))], reason: failing.map(f => f.problem).join('; '), fix: spec.fix };
  }
  const examined = refs(grants.flatMap(g => [g.binding.object, g.role?.object]));
  const clean = grants.filter(g => !neutralised.some(n => n.grant === g));
  const cleanText = clean.length === 0 ? [] : [
    `${clean.length === 1 ? `the ${neutralised.length > 0 ? 'other' : 'one'} binding` : `the ${neutralised.length > 0 ? 'other ' : ''}${clean.length} bindings`} naming tenants of ${ns} `
      + `(${listText(refs(clean.map(g => g.binding.object)))}) give${clean.length === 1 ? 's' : ''} none ${spec.what}`,
  ];
  return {
    status: 'pass',
    evidence: [...new Set([...examined, ...neutralised.flatMap(n => n.evidence)])],
    reason: grants.length === 0
      ? `no RoleBinding of ${ns} and no ClusterRoleBinding in the input names a tenant of ${ns}, so nothing in the input gives one ${spec.what}`
      : [...neutralised.map(n => n.text), ...cleanText].join('; '),
  };
}

/** `admission denies all 12 requests tried with it: ValidatingAdmissionPolicy x (binding y)`. */
function deniedText(verdicts: readonly AdmissionVerdict[]): string {
  const requests = verdicts.reduce((n, v) => n + v.requests, 0);
  const by = [...new Set(verdicts.flatMap(v => v.deniedBy))];
  return `admission denies ${requests === 1 ? 'the one request' : `all ${requests} requests`} tried with it: ${listText(by)}`;
}

/** The write verbs a grant gives on each of `resources` (those with none left out). */
function writeAccess({ role }: TenantGrant, resources: ReadonlyArray<readonly [group: string, resource: string]>): WriteAccess[] {
  if (!role) return [];
  return resources.flatMap(([group, resource]) => {
    const verbs = [...new Set(role.rules.flatMap((r: RbacRule) => allowedVerbs(r, group, resource, WRITE_VERBS)))];
    return verbs.length === 0 ? [] : [{ group, resource, verbs }];
  });
}

const ESCALATING_VERBS = ['bind', 'escalate', 'impersonate'];

/** `escalate` and the like, for any resource. */
export function escalationProblems({ role }: TenantGrant): string[] {
  if (!role) return [];
  const verbs = [...new Set(role.rules.flatMap(r => (r.verbs.includes('*') ? ESCALATING_VERBS : r.verbs.filter(v => ESCALATING_VERBS.includes(v)))))];
  return verbs.length === 0 ? [] : [`the ${verbs.join('/')} verb${verbs.length === 1 ? '' : 's'}`];
}

export function wildcardProblems({ role }: TenantGrant): string[] {
  return role !== undefined && role.rules.some(hasWildcard) ? ['a rule with "*" (every group, resource or verb)'] : [];
}

export function clusterAdminProblems(grant: TenantGrant): string[] {
  return grant.binding.roleRef?.kind === 'ClusterRole' && grant.binding.roleRef.name === 'cluster-admin' ? ['cluster-admin'] : [];
}

/** Roles of the namespace with wildcards, bound or not (a later binding would hand them out). */
export function wildcardRolesOf(context: ControlContext): ObjectProblem[] {
  const bound = new Set(tenantGrants(context).map(g => g.role?.object));
  return context.namespace.roles
    .filter(r => !bound.has(r))
    .filter(r => readRules(r.rules).some(hasWildcard))
    .map(r => ({ object: r, problem: `${ref(r)} has a rule with "*" (every group, resource or verb)` }));
}

/** A ClusterRoleBinding names a tenant: its role applies in every namespace and to cluster-scoped objects. */
export function clusterBindingProblems(grant: TenantGrant): string[] {
  return grant.binding.namespace === undefined ? [`${grant.roleLabel} across the cluster (every namespace and the cluster-scoped objects it covers)`] : [];
}

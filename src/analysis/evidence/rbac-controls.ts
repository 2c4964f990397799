// Controls about what a namespace's tenants may do through RBAC. The tenants of a namespace are the
// subjects its RoleBindings name (whoever the namespace gives access to), its own service accounts
// (`system:serviceaccount:<ns>:<name>` users too), the group of them (`system:serviceaccounts:<ns>`)
// and the groups that stand for everyone (`system:authenticated`, `system:unauthenticated`,
// `system:serviceaccounts`, the `system:anonymous` user); not Kubernetes' other `system:` users and
// groups, nor the service accounts of namespaces the evidence does not cover (a GitOps
// controller's), which act for the cluster's administrators.
//
// Every binding that names a tenant is examined, wherever it is: a RoleBinding grants in its own
// namespace (another one than the tenant's is access beyond it), a ClusterRoleBinding in every
// namespace and on cluster-scoped objects. Each is judged by the effective rules of its role
// (aggregation included, see ../rbac); one that gives nothing beyond what Kubernetes' default
// bindings give everyone (asking who one is, discovery, health) gives a tenant nothing. A binding
// whose role the input does not hold, or an aggregated role whose sources it does not show, cannot
// be shown to be harmless, so it fails.
//
// Write access that the admission policies of the input deny on every request is taken back (see
// admission-proof.ts): the grant passes with those policies as evidence. Only a RoleBinding's: a
// ClusterRoleBinding writes in namespaces the input may not hold, where nothing can be simulated.
import { admissionDenies, AdmissionVerdict, hasAdmissionPolicies, WriteAccess } from './admission-proof';
import { listText, ref, refs } from './refs';
import { Control, ControlContext, ControlResult, Framework, KUBERNETES_NAMESPACES } from './types';
import { ClusterModel, Namespace } from '../../model/cluster-model';
import { broadSubject } from '../../model/rbac-subjects';
import { compareText } from '../../private/json';
import {
  accessTo, Binding, EffectiveRole, escalatingVerbs, hasWildcard, RbacView, readRules, roleLabelOf, SourcedRule, subjectKey, WRITE_VERBS,
} from '../rbac';

/** A binding that names tenants of the namespace, with the effective rules of its role (undefined: not in the input nor Kubernetes' defaults). */
export interface TenantGrant {
  readonly binding: Binding;
  /** The tenants it names: `Group/x`, `User/x`, `ServiceAccount/ns/name`. */
  readonly tenants: readonly string[];
  readonly role?: EffectiveRole;
  /** `Role ns/name` or `ClusterRole name`. */
  readonly roleLabel: string;
  /** Where it grants: a RoleBinding's namespace; undefined for a ClusterRoleBinding (every namespace). */
  readonly scope?: string;
  /** Its rules give nothing beyond what Kubernetes' default bindings give everyone: nothing to judge. */
  readonly onlyDefaults: boolean;
}

// Groups (and the user) that stand for whole classes of identities of the cluster, tenants among them.
const EVERYONE = new Set(['system:authenticated', 'system:unauthenticated', 'system:anonymous', 'system:serviceaccounts']);
const SERVICE_ACCOUNTS_OF = 'system:serviceaccounts:';

/** The name of a `Group/x` or `User/x` key, or undefined for a service account. */
function identityName(key: string): string | undefined {
  return /^(Group|User)\//.test(key) ? key.slice(key.indexOf('/') + 1) : undefined;
}

const isEveryone = (key: string) => EVERYONE.has(identityName(key) ?? '');

/** The namespace whose service accounts a `ServiceAccount/ns/name` or `system:serviceaccounts:ns` key stands for. */
function serviceAccountNamespace(key: string): string | undefined {
  if (key.startsWith('ServiceAccount/')) return key.split('/')[1];
  const name = identityName(key);
  return name?.startsWith(SERVICE_ACCOUNTS_OF) ? name.slice(SERVICE_ACCOUNTS_OF.length) : undefined;
}

/** Whether a subject a RoleBinding of `namespace` names acts for the cluster's administrators rather than for the namespace's tenants. */
function isPlatform(key: string, namespace: string, covered: ReadonlySet<string>): boolean {
  const saNamespace = serviceAccountNamespace(key);
  if (saNamespace !== undefined) return saNamespace !== namespace && (KUBERNETES_NAMESPACES.includes(saNamespace) || !covered.has(saNamespace));
  const name = identityName(key);
  return name !== undefined && name.startsWith('system:') && !isEveryone(key);
}

/** Who the covered namespaces' tenants are, found once per evaluation. */
interface Tenancy {
  readonly view: RbacView;
  /** Per covered namespace, the tenants its RoleBindings name. */
  readonly declared: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per such tenant, the covered namespaces whose RoleBindings name it. */
  readonly declaredIn: ReadonlyMap<string, readonly string[]>;
  /** The position of each binding in `view.bindings`. */
  readonly order: ReadonlyMap<Binding, number>;
  readonly grants: Map<string, TenantGrant[]>;
}

const TENANCIES = new WeakMap<ClusterModel, WeakMap<ReadonlySet<string>, Tenancy>>();

function tenancyOf(context: ControlContext): Tenancy {
  let byCovered = TENANCIES.get(context.model);
  if (!byCovered) TENANCIES.set(context.model, byCovered = new WeakMap());
  let tenancy = byCovered.get(context.covered);
  if (!tenancy) {
    const view = RbacView.of(context.model);
    const declared = new Map<string, Set<string>>();
    const declaredIn = new Map<string, string[]>();
    for (const name of context.covered) {
      const bindings = context.model.namespace(name)?.roleBindings ?? [];
      const keys = new Set(bindings.flatMap(b => b.subjects.map(s => subjectKey(s, name)))
        .filter(k => !isPlatform(k, name, context.covered)));
      declared.set(name, keys);
      for (const key of keys) {
        const list = declaredIn.get(key);
        if (list) list.push(name);
        else declaredIn.set(key, [name]);
      }
    }
    tenancy = { view, declared, declaredIn, order: new Map(view.bindings.map((b, i) => [b, i])), grants: new Map() };
    byCovered.set(context.covered, tenancy);
  }
  return tenancy;
}

function isTenantOf(key: string, namespace: string, tenancy: Tenancy): boolean {
  return tenancy.declared.get(namespace)?.has(key) === true || isEveryone(key) || serviceAccountNamespace(key) === namespace;
}

/** The bindings that name a tenant of the namespace, wherever they are: RoleBindings first, each kind in input order. */
export function tenantGrants(context: ControlContext): TenantGrant[] {
  const tenancy = tenancyOf(context);
  const ns = context.namespace.name;
  const cached = tenancy.grants.get(ns);
  if (cached) return cached;
  const { view } = tenancy;
  const candidates = new Set<Binding>(view.namingServiceAccountsOf(ns));
  const keys = [...tenancy.declared.get(ns) ?? [], ...[...EVERYONE, `${SERVICE_ACCOUNTS_OF}${ns}`].flatMap(n => [`Group/${n}`, `User/${n}`])];
  for (const key of keys) for (const b of view.naming(key)) candidates.add(b);
  const grants: TenantGrant[] = [];
  for (const binding of [...candidates].sort((a, b) => tenancy.order.get(a)! - tenancy.order.get(b)!)) {
    const tenants = [...new Set(binding.subjects.map(s => subjectKey(s, binding.namespace)))].filter(k => isTenantOf(k, ns, tenancy));
    if (tenants.length === 0) continue;
    const role = view.roleOf(binding);
    grants.push({
      binding,
      tenants,
      ...(role ? { role } : {}),
      roleLabel: roleLabelOf(binding),
      ...(binding.namespace !== undefined ? { scope: binding.namespace } : {}),
      onlyDefaults: role !== undefined && view.givesOnlyDefaults(role),
    });
  }
  tenancy.grants.set(ns, grants);
  return grants;
}

/** Whether two namespaces belong to one tenant: the same profile and owner labels. */
function sameTenant(a: Namespace | undefined, b: Namespace | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return a === b || (a.profile !== undefined && a.owner !== undefined && a.profile === b.profile && a.owner === b.owner);
}

/** What a grant gives that a control forbids, with the rules that give it. */
export interface Problem {
  readonly text: string;
  readonly rules?: readonly SourcedRule[];
}

/** Something wrong outside the grants, with the objects that show it. */
export interface ObjectProblem {
  readonly refs: readonly string[];
  readonly problem: string;
}

/** Problems a control finds beyond the grants, what it says it checked when it finds none, and their fix (default: the control's). */
export interface ExtraCheck {
  readonly problems: (context: ControlContext) => ObjectProblem[];
  readonly checked?: (namespace: string) => string;
  readonly fix?: string;
}

export interface RbacControlSpec {
  readonly id: string;
  readonly framework: Framework;
  readonly title: string;
  /** What no tenant may have, for messages: `write access to ResourceQuotas`. */
  readonly what: string;
  /** What a grant gives that the control forbids (empty: nothing), beyond `writes`. */
  readonly problems?: (grant: TenantGrant, context: ControlContext) => Problem[];
  /** Resources (group, resource) no tenant may write, unless admission denies every such request. */
  readonly writes?: ReadonlyArray<readonly [group: string, resource: string]>;
  /** Whether a binding whose role cannot be read (in full) fails the control (it cannot be shown to hold). */
  readonly needsRoles?: boolean;
  readonly extra?: ExtraCheck;
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

/** ` in namespace x`, ` in every namespace`, or nothing for the namespace itself. */
function scopeText(grant: TenantGrant, namespace: string): string {
  if (grant.scope === namespace) return '';
  return grant.scope === undefined ? ' in every namespace' : ` in namespace ${grant.scope}`;
}

/**
 * `, which aggregates ClusterRole x`: the roles the offending rules come from, when they are not the
 * bound role (Kubernetes' own gathered by Kubernetes' own, as edit gathers system:aggregate-to-edit, go without saying).
 */
function aggregatesText(grant: TenantGrant, rules: readonly SourcedRule[]): string {
  const own = grant.role?.object !== undefined;
  const from = [...new Set(rules.filter(r => r.source !== grant.role?.label && (own || r.object !== undefined)).map(r => r.source))];
  return from.length === 0 ? '' : `, which aggregates ${listText(from)}`;
}

function evaluateRbac(spec: RbacControlSpec, context: ControlContext): ControlResult {
  const grants = tenantGrants(context);
  const ns = context.namespace.name;
  const failing: Array<{ refs: string[]; problem: string }> = [];
  const neutralised: Array<{ grant: TenantGrant; evidence: readonly string[]; text: string }> = [];
  for (const grant of grants) {
    if (grant.onlyDefaults) continue;
    const who = `${ref(grant.binding.object)} (${listText(grant.tenants)})`;
    if (spec.needsRoles !== false && (!grant.role || grant.role.incomplete)) {
      failing.push({
        refs: refs([grant.binding.object, grant.role?.object]),
        problem: grant.role
          ? `${who} names ${grant.roleLabel}, whose rules the input cannot show in full (${grant.role.incomplete})`
          : `${who} names ${grant.roleLabel}, which neither the input nor Kubernetes' defaults hold, so what it grants cannot be shown`,
      });
      if (!grant.role) continue;
    }
    const other = spec.problems?.(grant, context) ?? [];
    const access = spec.writes && grant.role ? writeAccess(grant.role, spec.writes) : [];
    const problems = [...other.map(p => p.text), ...access.map(writeText)];
    if (problems.length === 0) continue;
    const offending = [...other.flatMap(p => p.rules ?? []), ...access.flatMap(a => a.rules)];
    const grantRefs = refs([grant.binding.object, grant.role?.object, ...offending.map(r => r.object)]);
    const gives = `${who} gives ${listText(problems)}${scopeText(grant, ns)} through ${grant.roleLabel}${aggregatesText(grant, offending)}`;
    // Admission can take back write access only, on the objects of one namespace; it is asked only when the input has policies.
    const writes: WriteAccess[] = access.map(({ group, resource, verbs, names }) => ({ group, resource, verbs, ...(names ? { names } : {}) }));
    const verdicts = other.length === 0 && writes.length > 0 && grant.scope !== undefined && hasAdmissionPolicies(context.model)
      ? grant.tenants.map(t => ({ tenant: t, verdict: admissionDenies(context, t, writes, grant.scope)! }))
      : [];
    const open = verdicts.find(v => !v.verdict.denied);
    if (verdicts.length > 0 && !open) {
      neutralised.push({ grant, evidence: verdicts.flatMap(v => v.verdict.evidence), text: `${gives}, but ${deniedText(verdicts.map(v => v.verdict))}` });
      continue;
    }
    failing.push({ refs: grantRefs, problem: open ? `${gives}, and ${open.verdict.admitted}` : gives });
  }
  const grantFailures = failing.length;
  for (const e of spec.extra?.problems(context) ?? []) failing.push({ refs: [...e.refs], problem: e.problem });
  if (failing.length > 0) {
    const extraFix = failing.length > grantFailures ? spec.extra?.fix : undefined;
    const fixes = [...(grantFailures > 0 || !extraFix ? [spec.fix] : []), ...(extraFix ? [extraFix] : [])];
    const problems = failing.slice(0, MAX_PROBLEMS).map(f => f.problem);
    const more = failing.length - problems.length;
    return bounded({
      status: 'fail',
      evidence: [...new Set(failing.flatMap(f => f.refs))],
      reason: [...problems, ...(more > 0 ? [`and ${more} more problem${more === 1 ? '' : 's'} of the kind`] : [])].join('; '),
      fix: fixes.join('; '),
    });
  }
  const examined = examinedRefs(grants);
  const clean = neutralised.length === 0 ? grants : grants.filter(g => !neutralised.some(n => n.grant === g));
  const cleanText = clean.length === 0 ? [] : [
    `${clean.length === 1 ? `the ${neutralised.length > 0 ? 'other' : 'one'} binding` : `the ${neutralised.length > 0 ? 'other ' : ''}${clean.length} bindings`} naming tenants of ${ns} `
      + `(${shortList(clean.map(g => ref(g.binding.object)))}) give${clean.length === 1 ? 's' : ''} none ${spec.what}`,
  ];
  const checked = spec.extra?.checked?.(ns);
  return bounded({
    status: 'pass',
    evidence: [...new Set([...examined, ...neutralised.flatMap(n => n.evidence)])],
    reason: [
      ...(grants.length === 0
        ? [`no RoleBinding or ClusterRoleBinding in the input names a tenant of ${ns}, so nothing in the input gives one ${spec.what}`]
        : [...neutralised.map(n => n.text), ...cleanText]),
      ...(checked ? [checked] : []),
    ].join('; '),
  });
}

// A group bound in every namespace is named by as many bindings as there are namespaces, and each
// namespace's evidence would list them all: the output would grow with the square of the cluster.
// The status is decided on every binding; the reason and the evidence are cut, and say so.
const MAX_PROBLEMS = 20;
const MAX_EVIDENCE = 200;

function bounded(result: ControlResult): ControlResult {
  if (result.evidence.length <= MAX_EVIDENCE) return result;
  return {
    ...result,
    evidence: result.evidence.slice(0, MAX_EVIDENCE),
    reason: `${result.reason} (the evidence lists the first ${MAX_EVIDENCE} of ${result.evidence.length} objects)`,
  };
}

const EXAMINED = new WeakMap<readonly TenantGrant[], string[]>();

/** The bindings and roles of the grants, once per namespace (every RBAC control lists them). */
function examinedRefs(grants: readonly TenantGrant[]): string[] {
  let found = EXAMINED.get(grants);
  if (!found) EXAMINED.set(grants, found = refs(grants.flatMap(g => [g.binding.object, g.role?.object])));
  return found;
}

// A reason names this many bindings at most (a group bound in every namespace is named by thousands); the evidence lists them all.
const LISTED = 10;

/** `a, b and c`, or `a, b, ... and 990 more`. */
function shortList(items: readonly string[]): string {
  return items.length <= LISTED ? listText(items) : `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`;
}

/** `admission denies all 12 requests tried with it: ValidatingAdmissionPolicy x (binding y)`. */
function deniedText(verdicts: readonly AdmissionVerdict[]): string {
  const requests = verdicts.reduce((n, v) => n + v.requests, 0);
  const by = [...new Set(verdicts.flatMap(v => v.deniedBy))];
  return `admission denies ${requests === 1 ? 'the one request' : `all ${requests} requests`} tried with it: ${listText(by)}`;
}

interface GrantedWrite extends WriteAccess {
  readonly rules: readonly SourcedRule[];
}

// Per role and list of resources: a role bound to many tenants is read once.
const WRITES = new WeakMap<EffectiveRole, Map<ReadonlyArray<readonly [string, string]>, GrantedWrite[]>>();

/** The write verbs a role's rules give on each of `resources` (those with none left out). */
function writeAccess(role: EffectiveRole, resources: ReadonlyArray<readonly [group: string, resource: string]>): GrantedWrite[] {
  let byResources = WRITES.get(role);
  if (!byResources) WRITES.set(role, byResources = new Map());
  let found = byResources.get(resources);
  if (!found) {
    found = resources.flatMap(([group, resource]) => {
      const access = accessTo(role.rules, group, resource, WRITE_VERBS);
      return access ? [access] : [];
    });
    byResources.set(resources, found);
  }
  return found;
}

/** `update/patch on resourcequotas`, `delete on limitranges named a and b`. */
function writeText(w: WriteAccess): string {
  return `${w.verbs.join('/')} on ${w.resource}${w.names ? ` named ${listText(w.names)}` : ''}`;
}

const BY_ROLE = new WeakMap<EffectiveRole, Map<string, Problem[]>>();

/** What a role's rules give that a check forbids, found once per role (a role bound to many tenants is read once). */
function perRole(role: EffectiveRole | undefined, check: string, find: (rules: readonly SourcedRule[]) => Problem[]): Problem[] {
  if (!role) return [];
  let byCheck = BY_ROLE.get(role);
  if (!byCheck) BY_ROLE.set(role, byCheck = new Map());
  let found = byCheck.get(check);
  if (!found) byCheck.set(check, found = find(role.rules));
  return found;
}

/** `escalate` and the like, for any resource. */
export function escalationProblems({ role }: TenantGrant): Problem[] {
  return perRole(role, 'escalation', all => {
    const rules = all.filter(r => escalatingVerbs(r).length > 0);
    const verbs = [...new Set(rules.flatMap(escalatingVerbs))];
    return verbs.length === 0 ? [] : [{ text: `the ${verbs.join('/')} verb${verbs.length === 1 ? '' : 's'}`, rules }];
  });
}

export function wildcardProblems({ role }: TenantGrant): Problem[] {
  return perRole(role, 'wildcard', all => {
    const rules = all.filter(hasWildcard);
    return rules.length === 0 ? [] : [{ text: 'a rule with "*" (every group, resource or verb)', rules }];
  });
}

/** cluster-admin bound, or gathered by an aggregated role. */
export function clusterAdminProblems(grant: TenantGrant): Problem[] {
  if (grant.binding.roleRef?.kind === 'ClusterRole' && grant.binding.roleRef.name === 'cluster-admin') return [{ text: 'cluster-admin' }];
  const gathered = (grant.role?.rules ?? []).filter(r => r.source === 'ClusterRole cluster-admin');
  return gathered.length > 0 ? [{ text: 'the rules of cluster-admin', rules: gathered }] : [];
}

/** Roles of the namespace with wildcards that no binding of a tenant names yet (a later binding would hand them out). */
export function wildcardRolesOf(context: ControlContext): ObjectProblem[] {
  const bound = new Set(tenantGrants(context).map(g => g.role?.object));
  return context.namespace.roles
    .filter(r => !bound.has(r))
    .filter(r => readRules(r.rules).some(hasWildcard))
    .map(r => ({ refs: [ref(r)], problem: `${ref(r)} has a rule with "*" (every group, resource or verb)` }));
}

/**
 * Access beyond the namespace: a ClusterRoleBinding (every namespace, and the cluster-scoped objects
 * its role covers), or a RoleBinding in a namespace that is not the same tenant's.
 */
export function beyondNamespaceProblems(grant: TenantGrant, context: ControlContext): Problem[] {
  const ns = context.namespace;
  if (grant.scope === undefined) return [{ text: `access beyond ${ns.name}, cluster-scoped objects included` }];
  if (grant.scope === ns.name || sameTenant(ns, context.model.namespace(grant.scope))) return [];
  return [{ text: `access beyond ${ns.name}` }];
}

/**
 * Bindings that grant in the namespace (its RoleBindings, every ClusterRoleBinding) to another
 * tenant's subjects: the tenants of a covered namespace of another owner (its service accounts, the
 * subjects its RoleBindings name), or the groups that stand for everyone, other tenants included.
 * Bindings that give only what Kubernetes gives everyone are left out.
 */
export function otherTenantsProblems(context: ControlContext): ObjectProblem[] {
  const tenancy = tenancyOf(context);
  const ns = context.namespace;
  const others = (key: string): string[] => {
    const saNamespace = serviceAccountNamespace(key);
    const candidates = saNamespace !== undefined ? [saNamespace] : [...tenancy.declaredIn.get(key) ?? []];
    return candidates.filter(m => m !== ns.name && context.covered.has(m) && !sameTenant(ns, context.model.namespace(m))).sort(compareText);
  };
  const problems: ObjectProblem[] = [];
  for (const binding of [...tenancy.view.roleBindingsIn(ns.name), ...tenancy.view.clusterBindings]) {
    const role = tenancy.view.roleOf(binding);
    if (role && tenancy.view.givesOnlyDefaults(role)) continue;
    const where = binding.namespace === undefined ? `every namespace, ${ns.name} included` : ns.name;
    for (const key of new Set(binding.subjects.map(s => subjectKey(s, binding.namespace)))) {
      if (isEveryone(key)) {
        problems.push({
          refs: [ref(binding.object)],
          problem: `${ref(binding.object)} names ${key}, ${broadSubject(identityName(key)!, ns.name) ?? 'everyone'}, other tenants included: `
            + `it gives them ${roleLabelOf(binding)} in ${where}`,
        });
        continue;
      }
      const namespaces = others(key);
      if (namespaces.length === 0) continue;
      const inOthers = new Set(namespaces);
      const declaring = tenancy.view.naming(key).filter(b => b.namespace !== undefined && inOthers.has(b.namespace)).map(b => b.object);
      problems.push({
        refs: refs([binding.object, ...declaring]),
        problem: `${ref(binding.object)} names ${key}, a tenant of ${shortList(namespaces)} (another tenant's namespace${namespaces.length === 1 ? '' : 's'}): `
          + `it gives them ${roleLabelOf(binding)} in ${where}`,
      });
    }
  }
  return problems;
}

export const OTHER_TENANTS: ExtraCheck = {
  problems: otherTenantsProblems,
  checked: namespace => `no binding that grants in ${namespace} names another tenant's subjects`,
  fix: 'bind no subject of another tenant (its groups and users, its service accounts) nor the groups that stand for everyone '
    + 'in the namespace; a group that works for several tenants (an operations team) belongs to the platform, not to a tenant\'s RoleBindings',
};

export const WILDCARD_ROLES: ExtraCheck = { problems: wildcardRolesOf };

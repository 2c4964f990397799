// What RBAC grants, as the API server's authorizer sees it: every RoleBinding (it grants in its own
// namespace) and every ClusterRoleBinding (in every namespace, and on cluster-scoped objects), and
// the effective rules of the role each names: a Role's rules; a ClusterRole's own rules and, when it
// has an aggregationRule, the rules of every ClusterRole whose labels one of its clusterRoleSelectors
// matches, transitively (the aggregation controller fills them in). ClusterRoles come from the input
// and, for names it does not hold, from Kubernetes' defaults (bootstrap.ts).
import { BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_LABELS, EVERYONE_HOLDS } from './bootstrap';
import { PermissionSet } from './permissions';
import { readRules, SourcedRule } from './rules';
import { ClusterModel, ModelObject, RbacSubject } from '../../model/cluster-model';
import { LabelSelector } from '../../model/labels';
import { FieldError, manifestError } from '../../model/manifests';
import { apiGroupOf } from '../../model/vocabulary';
import { groupBy } from '../../private/collections';
import { isRecord } from '../../private/json';

export { AGGREGATE_TO_ADMIN, AGGREGATE_TO_EDIT, AGGREGATE_TO_VIEW, BOOTSTRAP_CLUSTER_ROLES } from './bootstrap';
export { isWide, permissionTexts, PermissionSet } from './permissions';
export type { Permission } from './permissions';
export { accessTo, escalatingVerbs, hasWildcard, readRules, WRITE_VERBS } from './rules';
export type { RbacRule, ResourceAccess, SourcedRule } from './rules';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * What the administrators set up for isolation and tenants must not change, as (API group, resource):
 * quotas, limit ranges, network policies (a tenant's own allow-all policy would undo the default
 * deny: policies add up) and the RBAC objects that say who the tenants are.
 */
export const MULTI_TENANCY_RESOURCES: ReadonlyArray<readonly [string, string]> = [
  ['', 'resourcequotas'], ['', 'limitranges'], ['networking.k8s.io', 'networkpolicies'], [RBAC_GROUP, 'roles'], [RBAC_GROUP, 'rolebindings'],
];

/** A RoleBinding, or a ClusterRoleBinding (`namespace` undefined: it grants in every namespace). */
export interface Binding {
  readonly object: ModelObject;
  readonly namespace?: string;
  readonly roleRef?: { readonly kind: string; readonly name: string };
  readonly subjects: readonly RbacSubject[];
}

/** A role with the rules the authorizer applies for it. */
export interface EffectiveRole {
  /** `Role ns/name` or `ClusterRole name`. */
  readonly label: string;
  /** The role in the input; undefined for a Kubernetes default the input leaves out. */
  readonly object?: ModelObject;
  /** Its rules, each with the role it is written in (another one for an aggregated role). */
  readonly rules: readonly SourcedRule[];
  /** A ClusterRole with an aggregationRule. */
  readonly aggregated: boolean;
  /** Why its rules may be more than the input shows (an aggregated role whose sources it does not hold). */
  readonly incomplete?: string;
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** `Group/x`, `User/x`, or `ServiceAccount/ns/name` (for a user named `system:serviceaccount:ns:name` too). */
export function subjectKey(subject: RbacSubject, bindingNamespace: string | undefined): string {
  if (subject.kind === 'ServiceAccount') return `ServiceAccount/${subject.namespace ?? bindingNamespace ?? ''}/${subject.name}`;
  const sa = subject.kind === 'User' ? SERVICE_ACCOUNT_USER.exec(subject.name) : null;
  return sa ? `ServiceAccount/${sa[1]}/${sa[2]}` : `${subject.kind}/${subject.name}`;
}

function readSubjects(raw: unknown): RbacSubject[] {
  return (Array.isArray(raw) ? raw : []).filter(isRecord).map(s => ({
    kind: String(s.kind),
    name: String(s.name),
    ...(typeof s.namespace === 'string' ? { namespace: s.namespace } : {}),
  }));
}

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

/** `Role ns/name` or `ClusterRole name` for what a binding names. */
export function roleLabelOf(binding: Binding): string {
  const ref = binding.roleRef;
  if (!ref) return 'no role';
  return `${ref.kind} ${ref.kind === 'Role' && binding.namespace !== undefined ? `${binding.namespace}/` : ''}${ref.name}`;
}

interface ClusterRoleEntry {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly rules: readonly SourcedRule[];
  /** Undefined: not aggregated. */
  readonly selectors?: readonly LabelSelector[];
  readonly object?: ModelObject;
}

/** What RBAC grants in one model; `RbacView.of` builds it once per model. */
export class RbacView {
  static of(model: ClusterModel): RbacView {
    let view = VIEWS.get(model);
    if (!view) {
      view = new RbacView(model);
      VIEWS.set(model, view);
    }
    return view;
  }

  /** The RoleBindings, then the ClusterRoleBindings, each in input order. */
  readonly bindings: readonly Binding[];
  readonly clusterBindings: readonly Binding[];
  private readonly byNamespace: ReadonlyMap<string, Binding[]>;
  private readonly byKey = new Map<string, Binding[]>();
  /** The bindings naming some service account of a namespace, by namespace. */
  private readonly byServiceAccountNamespace = new Map<string, Binding[]>();
  private readonly clusterRoles = new Map<string, ClusterRoleEntry>();
  private readonly effective = new Map<string, EffectiveRole | null>();
  private defaults?: PermissionSet;
  private readonly onlyDefaults = new WeakMap<EffectiveRole, boolean>();

  private constructor(private readonly model: ClusterModel) {
    const roleBindings: Binding[] = model.roleBindings.map(b => ({
      object: b, namespace: b.namespace, subjects: b.subjects, ...(b.roleRef ? { roleRef: b.roleRef } : {}),
    }));
    this.clusterBindings = clusterRoleBindings(model);
    this.bindings = [...roleBindings, ...this.clusterBindings];
    this.byNamespace = groupBy(roleBindings, b => b.namespace!);
    for (const binding of this.bindings) {
      for (const key of new Set(binding.subjects.map(s => subjectKey(s, binding.namespace)))) {
        push(this.byKey, key, binding);
        const sa = /^ServiceAccount\/([^/]*)\//.exec(key);
        if (sa) push(this.byServiceAccountNamespace, sa[1], binding);
      }
    }
    for (const entry of BOOTSTRAP_CLUSTER_ROLES) {
      this.clusterRoles.set(entry.name, {
        name: entry.name,
        labels: entry.labels,
        rules: entry.rules.map(r => ({ ...r, source: `ClusterRole ${entry.name}` })),
        ...(entry.aggregates ? { selectors: entry.aggregates.map(m => LabelSelector.parse({ matchLabels: m }, 'aggregationRule')) } : {}),
      });
    }
    for (const object of model.objects) {
      if (object.kind !== 'ClusterRole' || apiGroupOf(object.apiVersion) !== RBAC_GROUP) continue;
      const o = object.manifest.object;
      const label = `ClusterRole ${object.name}`;
      const aggregation = o.aggregationRule;
      const selectors = aggregation === undefined || aggregation === null ? undefined : readSelectors(object, aggregation);
      this.clusterRoles.set(object.name, {
        name: object.name,
        labels: object.labels,
        rules: readRules(o.rules).map(r => ({ ...r, source: label, object })),
        ...(selectors ? { selectors } : {}),
        object,
      });
    }
  }

  /** The RoleBindings of a namespace, in input order. */
  roleBindingsIn(namespace: string): readonly Binding[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** The bindings that name the subject `key` (see `subjectKey`). */
  naming(key: string): readonly Binding[] {
    return this.byKey.get(key) ?? [];
  }

  /** The bindings that name some service account of `namespace`. */
  namingServiceAccountsOf(namespace: string): readonly Binding[] {
    return this.byServiceAccountNamespace.get(namespace) ?? [];
  }

  /** Every ClusterRole name: the input's and Kubernetes' defaults. */
  get clusterRoleNames(): string[] {
    return [...this.clusterRoles.keys()];
  }

  /**
   * The role a binding names with its effective rules, or undefined when neither the input nor
   * Kubernetes' defaults hold it (what it grants cannot be shown). A ClusterRoleBinding cannot name a Role.
   */
  roleOf(binding: Binding): EffectiveRole | undefined {
    const ref = binding.roleRef;
    if (!ref) return undefined;
    if (ref.kind === 'Role') return binding.namespace === undefined ? undefined : this.role(binding.namespace, ref.name);
    return ref.kind === 'ClusterRole' ? this.clusterRole(ref.name) : undefined;
  }

  role(namespace: string, name: string): EffectiveRole | undefined {
    const key = `Role ${namespace}/${name}`;
    let found = this.effective.get(key);
    if (found === undefined) {
      const role = this.model.namespace(namespace)?.roles.find(r => r.name === name);
      const rules = role ? readRules(role.rules).map(r => ({ ...r, source: key, object: role })) : [];
      found = role ? { label: key, object: role, rules, aggregated: false } : null;
      this.effective.set(key, found);
    }
    return found ?? undefined;
  }

  clusterRole(name: string): EffectiveRole | undefined {
    const key = `ClusterRole ${name}`;
    let found = this.effective.get(key);
    if (found === undefined) {
      const entry = this.clusterRoles.get(name);
      found = entry ? this.aggregate(entry) : null;
      this.effective.set(key, found);
    }
    return found ?? undefined;
  }

  /**
   * Whether a role gives nothing beyond what Kubernetes' default bindings give everyone
   * (EVERYONE_HOLDS); never for a role whose rules the input cannot show in full.
   */
  givesOnlyDefaults(role: EffectiveRole): boolean {
    let found = this.onlyDefaults.get(role);
    if (found === undefined) {
      this.defaults ??= PermissionSet.of(BOOTSTRAP_CLUSTER_ROLES.filter(r => EVERYONE_HOLDS.includes(r.name)).flatMap(r => r.rules));
      found = role.incomplete === undefined && PermissionSet.of(role.rules).within(this.defaults);
      this.onlyDefaults.set(role, found);
    }
    return found;
  }

  /** The union of the rules of the role and of every role it aggregates, transitively; cycles are harmless. */
  private aggregate(start: ClusterRoleEntry): EffectiveRole {
    const seen = new Set<string>([start.name]);
    const queue = [start];
    const rules: SourcedRule[] = [];
    const unseen: string[] = [];
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      rules.push(...entry.rules);
      if (!entry.selectors) continue;
      if (entry.selectors.some(s => s.matches(BOOTSTRAP_LABELS))) {
        unseen.push(`ClusterRole ${entry.name} aggregates every ClusterRole labelled kubernetes.io/bootstrapping: rbac-defaults, `
          + 'Kubernetes\' own, not all of which are known here');
      }
      const sources = [...this.clusterRoles.values()].filter(c => entry!.selectors!.some(s => s.matches(c.labels)));
      if (sources.length === 0 && entry.rules.length === 0 && entry.object) {
        unseen.push(`ClusterRole ${entry.name} aggregates ClusterRoles that the input does not hold`);
      }
      for (const source of sources) {
        if (seen.has(source.name)) continue;
        seen.add(source.name);
        queue.push(source);
      }
    }
    return {
      label: `ClusterRole ${start.name}`,
      ...(start.object ? { object: start.object } : {}),
      rules,
      aggregated: start.selectors !== undefined,
      ...(unseen.length > 0 ? { incomplete: unseen.join('; ') } : {}),
    };
  }
}

const VIEWS = new WeakMap<ClusterModel, RbacView>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The selectors of a ClusterRole's aggregationRule; a malformed one is a ManifestError naming the document and the field. */
function readSelectors(role: ModelObject, raw: unknown): LabelSelector[] {
  try {
    if (!isRecord(raw)) throw new FieldError('aggregationRule', 'must be a mapping with clusterRoleSelectors');
    const list = raw.clusterRoleSelectors ?? [];
    if (!Array.isArray(list)) throw new FieldError('aggregationRule.clusterRoleSelectors', 'must be a list of label selectors');
    return list.map((s, i) => LabelSelector.parse(s, `aggregationRule.clusterRoleSelectors[${i}]`));
  } catch (e) {
    // A ClusterRole has no namespace to name it with (withOrigin names every object but Namespaces as namespace/name).
    if (e instanceof FieldError) throw manifestError(role.manifest, `ClusterRole ${role.name}: ${e.message}`);
    throw e;
  }
}

// One rule of a Role or ClusterRole, read as the API server's RBAC authorizer reads it: `*` in
// apiGroups, resources or verbs matches everything, `*/<subresource>` matches that subresource of
// every resource, resourceNames narrow a rule to the objects they name (and such a rule never allows
// create, nor list, watch or deletecollection of the whole collection), and nonResourceURLs match a
// path exactly or, ending in `*`, as a prefix.
import { ModelObject } from '../../model/cluster-model';
import { isRecord } from '../../private/json';

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Empty: every object of the resources. */
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** A rule with the role it is written in. */
export interface SourcedRule extends RbacRule {
  /** `Role ns/name` or `ClusterRole name`. */
  readonly source: string;
  /** The role, when the input holds it; undefined for a Kubernetes default the input leaves out. */
  readonly object?: ModelObject;
}

export const READ_VERBS: readonly string[] = ['get', 'list', 'watch'];
export const WRITE_VERBS: readonly string[] = ['create', 'update', 'patch', 'delete', 'deletecollection'];
/** Verbs that let the holder act beyond the rules it holds: bind roles, escalate them, act as someone else. */
export const ESCALATING_VERBS: readonly string[] = ['bind', 'escalate', 'impersonate'];
// A rule that names objects never allows these: their requests carry no name to check.
export const UNNAMED_VERBS: ReadonlySet<string> = new Set(['create', 'deletecollection']);

/** The rules of a raw `rules` list, their lists read as text (anything else in them is left out). */
export function readRules(raw: unknown): RbacRule[] {
  const texts = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return (Array.isArray(raw) ? raw : []).filter(isRecord).map(r => ({
    apiGroups: texts(r.apiGroups),
    resources: texts(r.resources),
    verbs: texts(r.verbs),
    resourceNames: texts(r.resourceNames),
    nonResourceURLs: texts(r.nonResourceURLs),
  }));
}

const has = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);

// Whether a rule's resources match `resource` (`pods` or `pods/exec`), the `*` form of a subresource included.
export function resourceMatches(rule: RbacRule, resource: string): boolean {
  if (has(rule.resources, resource)) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && rule.resources.includes(`*${resource.slice(slash)}`);
}

/** The verbs of `verbs` that a rule allows on some object of a resource of a group. */
export function allowedVerbs(rule: RbacRule, group: string, resource: string, verbs: readonly string[]): string[] {
  if (!has(rule.apiGroups, group) || !resourceMatches(rule, resource)) return [];
  const allowed = rule.verbs.includes('*') ? [...verbs] : verbs.filter(v => rule.verbs.includes(v));
  return rule.resourceNames.length === 0 ? allowed : allowed.filter(v => !UNNAMED_VERBS.has(v));
}

/** What some rules allow on a resource: the verbs, and the object names when every rule allowing them names its objects. */
export interface ResourceAccess {
  readonly group: string;
  readonly resource: string;
  readonly verbs: readonly string[];
  /** Undefined: every object of the resource; else only these. */
  readonly names?: readonly string[];
  /** The rules that allow it. */
  readonly rules: readonly SourcedRule[];
}

/** What `rules` allow among `verbs` on a resource; undefined when nothing. */
export function accessTo(rules: readonly SourcedRule[], group: string, resource: string, verbs: readonly string[]): ResourceAccess | undefined {
  const allowing = rules.map(r => ({ rule: r, verbs: allowedVerbs(r, group, resource, verbs) })).filter(a => a.verbs.length > 0);
  if (allowing.length === 0) return undefined;
  const allowed = new Set(allowing.flatMap(a => a.verbs));
  const named = allowing.every(a => a.rule.resourceNames.length > 0);
  return {
    group,
    resource,
    verbs: verbs.filter(v => allowed.has(v)),
    ...(named ? { names: [...new Set(allowing.flatMap(a => a.rule.resourceNames))].sort() } : {}),
    rules: allowing.map(a => a.rule),
  };
}

// Whether a rule uses a wildcard: `*` among groups, resources (the `*` form of a subresource too) or verbs, or in a non-resource URL.
export function hasWildcard(rule: RbacRule): boolean {
  return rule.apiGroups.includes('*') || rule.verbs.includes('*') || rule.resources.some(r => r.startsWith('*'))
    || rule.nonResourceURLs.some(u => u.includes('*'));
}

/** The escalating verbs a rule allows on anything (`*` allows them all). */
export function escalatingVerbs(rule: RbacRule): string[] {
  if (rule.resources.length === 0) return [];
  return rule.verbs.includes('*') ? [...ESCALATING_VERBS] : ESCALATING_VERBS.filter(v => rule.verbs.includes(v));
}

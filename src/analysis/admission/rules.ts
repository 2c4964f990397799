// The resourceRules of admissionregistration.k8s.io/v1 (NamedRuleWithOperations): which
// operations on which resources a policy or binding matches, as the API server's rule matcher reads them.
import { FieldError } from '../../model/manifests';
import { isRecord } from '../../private/json';

/** An admission operation. Requests built from manifests are CREATE, UPDATE or DELETE; rules may also name CONNECT. */
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export const OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export type RuleScope = '*' | 'Cluster' | 'Namespaced';

/** One validated rule. `*` entries are kept as they are: matching reads them. */
export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  /** `pods`, `pods/status`, `pods/*`, `*`, `*\/*`. */
  readonly resources: readonly string[];
  readonly operations: readonly (Operation | '*')[];
  readonly scope: RuleScope;
  /** Empty: any name. */
  readonly resourceNames: readonly string[];
}

/** What a rule is matched against. */
export interface RuleTarget {
  readonly operation: Operation;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  /** '' for the main resource. */
  readonly subResource: string;
  /** The request's namespace: '' for cluster-scoped objects, the namespace's own name for a Namespace after CREATE. */
  readonly namespace: string;
  readonly name: string;
}

/** True when some rule matches the target (an empty list matches nothing). */
export function anyRuleMatches(rules: readonly ResourceRule[], target: RuleTarget): boolean {
  return rules.some(rule => ruleMatches(rule, target));
}

/** Whether one rule matches: scope, operation, group, version, resource/subresource, then resourceNames. */
export function ruleMatches(rule: ResourceRule, target: RuleTarget): boolean {
  return scopeMatches(rule.scope, target)
    && exactOrWildcard(rule.operations, target.operation)
    && exactOrWildcard(rule.apiGroups, target.group)
    && exactOrWildcard(rule.apiVersions, target.version)
    && rule.resources.some(entry => resourceEntryMatches(entry, target))
    && (rule.resourceNames.length === 0 || rule.resourceNames.includes(target.name));
}

function exactOrWildcard(items: readonly string[], requested: string): boolean {
  return items.some(item => item === '*' || item === requested);
}

/** A Namespace is cluster-scoped even though its requests carry its own name as namespace. */
function isNamespaceResource(target: RuleTarget): boolean {
  return target.group === '' && target.version === 'v1' && target.resource === 'namespaces';
}

function scopeMatches(scope: RuleScope, target: RuleTarget): boolean {
  switch (scope) {
    case '*':
      return true;
    case 'Namespaced':
      return !isNamespaceResource(target) && target.namespace !== '';
    case 'Cluster':
      return isNamespaceResource(target) || target.namespace === '';
  }
}

/**
 * `res` matches the main resource only, `res/sub` one subresource, `*\/*` everything. `res/*` matches
 * every subresource and, as the API server's matcher compares it (`*` is any subresource, '' included),
 * the main resource too.
 */
function resourceEntryMatches(entry: string, target: RuleTarget): boolean {
  const slash = entry.indexOf('/');
  const resource = slash < 0 ? entry : entry.slice(0, slash);
  const sub = slash < 0 ? '' : entry.slice(slash + 1);
  return (resource === '*' || resource === target.resource) && (sub === '*' || sub === target.subResource);
}

/** Reads a list of rules; the API server would refuse the same mistakes. */
export function parseResourceRules(raw: unknown, path: string): ResourceRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new FieldError(path, 'must be a list of rules');
  return raw.map((r, i) => parseResourceRule(r, `${path}[${i}]`));
}

function parseResourceRule(raw: unknown, path: string): ResourceRule {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping with apiGroups, apiVersions, resources and operations');
  const operations = requiredList(raw.operations, `${path}.operations`);
  operations.forEach((op, i) => {
    if (op !== '*' && !(OPERATIONS as readonly string[]).includes(op)) {
      throw new FieldError(`${path}.operations[${i}]`, `unknown operation ${JSON.stringify(op)} (expected ${OPERATIONS.join(', ')} or *)`);
    }
  });
  const scope = raw.scope ?? '*';
  if (scope !== '*' && scope !== 'Cluster' && scope !== 'Namespaced') {
    throw new FieldError(`${path}.scope`, `must be "*", "Cluster" or "Namespaced", not ${JSON.stringify(scope)}`);
  }
  return {
    apiGroups: requiredList(raw.apiGroups, `${path}.apiGroups`),
    apiVersions: requiredList(raw.apiVersions, `${path}.apiVersions`),
    resources: requiredList(raw.resources, `${path}.resources`),
    operations: operations as (Operation | '*')[],
    scope,
    resourceNames: stringList(raw.resourceNames, `${path}.resourceNames`),
  };
}

/** A non-empty list of strings where `*`, if present, is the only entry (as the API server validates). */
function requiredList(raw: unknown, path: string): string[] {
  const list = stringList(raw, path);
  if (list.length === 0) throw new FieldError(path, 'is required: list at least one entry, or "*"');
  if (list.length > 1 && list.includes('*') && !path.endsWith('.resources')) {
    throw new FieldError(path, 'when "*" is present it must be the only entry');
  }
  return list;
}

function stringList(raw: unknown, path: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some(v => typeof v !== 'string')) throw new FieldError(path, 'must be a list of strings');
  return raw as string[];
}

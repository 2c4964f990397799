import * as fc from 'fast-check';
import { anyRuleMatches, Operation, OPERATIONS, parseResourceRules, ResourceRule, ruleMatches, RuleTarget } from '../../../src/analysis/admission/rules';

const POD: RuleTarget = { operation: 'CREATE', group: '', version: 'v1', resource: 'pods', subResource: '', namespace: 'shop', name: 'web' };

function rule(overrides: Partial<ResourceRule> = {}): ResourceRule {
  return { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'], scope: '*', resourceNames: [], ...overrides };
}

describe('resourceRules', () => {
  test('groups, versions and operations match exactly or by *', () => {
    expect(ruleMatches(rule(), POD)).toBe(true);
    expect(ruleMatches(rule({ apiGroups: ['apps'] }), POD)).toBe(false);
    expect(ruleMatches(rule({ apiGroups: ['*'] }), POD)).toBe(true);
    expect(ruleMatches(rule({ apiVersions: ['v1beta1'] }), POD)).toBe(false);
    expect(ruleMatches(rule({ apiVersions: ['*'] }), POD)).toBe(true);
    expect(ruleMatches(rule({ operations: ['UPDATE', 'DELETE'] }), POD)).toBe(false);
    expect(ruleMatches(rule({ operations: ['*'] }), { ...POD, operation: 'DELETE' })).toBe(true);
    expect(ruleMatches(rule({ operations: ['CONNECT'] }), POD)).toBe(false);
  });

  test('resources: the main resource, one subresource, every subresource, * and */*', () => {
    const status = { ...POD, subResource: 'status' };
    expect(ruleMatches(rule({ resources: ['pods'] }), status)).toBe(false);
    expect(ruleMatches(rule({ resources: ['pods/status'] }), status)).toBe(true);
    expect(ruleMatches(rule({ resources: ['pods/status'] }), POD)).toBe(false);
    expect(ruleMatches(rule({ resources: ['pods/*'] }), status)).toBe(true);
    // As the API server's matcher reads it, `pods/*` also matches pods itself (`*` matches any subresource, '' included).
    expect(ruleMatches(rule({ resources: ['pods/*'] }), POD)).toBe(true);
    expect(ruleMatches(rule({ resources: ['pods/*'] }), { ...status, resource: 'services' })).toBe(false);
    expect(ruleMatches(rule({ resources: ['*'] }), POD)).toBe(true);
    expect(ruleMatches(rule({ resources: ['*'] }), status)).toBe(false);
    expect(ruleMatches(rule({ resources: ['*/*'] }), status)).toBe(true);
    expect(ruleMatches(rule({ resources: ['*/*'] }), POD)).toBe(true);
    expect(ruleMatches(rule({ resources: ['*/status'] }), status)).toBe(true);
    expect(ruleMatches(rule({ resources: ['services', 'pods'] }), POD)).toBe(true);
  });

  test('resourceNames narrow to those names; empty means any', () => {
    expect(ruleMatches(rule({ resourceNames: ['web'] }), POD)).toBe(true);
    expect(ruleMatches(rule({ resourceNames: ['db', 'cache'] }), POD)).toBe(false);
  });

  test('scope: a Namespace is cluster-scoped even when its request names it as namespace', () => {
    const namespace: RuleTarget = { operation: 'UPDATE', group: '', version: 'v1', resource: 'namespaces', subResource: '', namespace: 'shop', name: 'shop' };
    const clusterRole: RuleTarget = { ...POD, group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '' };
    const any = { apiGroups: ['*'], resources: ['*'], operations: ['*'] as const };
    expect(ruleMatches(rule({ ...any, scope: 'Namespaced' }), POD)).toBe(true);
    expect(ruleMatches(rule({ ...any, scope: 'Namespaced' }), namespace)).toBe(false);
    expect(ruleMatches(rule({ ...any, scope: 'Namespaced' }), clusterRole)).toBe(false);
    expect(ruleMatches(rule({ ...any, scope: 'Cluster' }), namespace)).toBe(true);
    expect(ruleMatches(rule({ ...any, scope: 'Cluster' }), clusterRole)).toBe(true);
    expect(ruleMatches(rule({ ...any, scope: 'Cluster' }), POD)).toBe(false);
  });

  test('parsing refuses what the API server refuses', () => {
    expect(() => parseResourceRules([{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], 'r')).toThrow('r[0].operations: is required');
    expect(() => parseResourceRules([{ ...rule(), operations: ['PATCH'] }], 'r')).toThrow('unknown operation "PATCH"');
    expect(() => parseResourceRules([{ ...rule(), apiGroups: ['*', 'apps'] }], 'r')).toThrow('"*" is present it must be the only entry');
    expect(() => parseResourceRules([{ ...rule(), scope: 'Everywhere' }], 'r')).toThrow('r[0].scope');
    expect(parseResourceRules([rule()], 'r')).toEqual([{ ...rule(), scope: '*' }]);
  });

  // A reference written as directly from the API documentation as possible, to compare the matcher with.
  function reference(r: ResourceRule, t: RuleTarget): boolean {
    const isNamespace = t.group === '' && t.version === 'v1' && t.resource === 'namespaces';
    let scopeOk = true;
    if (r.scope === 'Namespaced') scopeOk = !isNamespace && t.namespace !== '';
    if (r.scope === 'Cluster') scopeOk = isNamespace || t.namespace === '';
    const listOk = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);
    const requested = t.subResource === '' ? t.resource : `${t.resource}/${t.subResource}`;
    const resourceOk = r.resources.some(entry => {
      const [res, sub] = entry.includes('/') ? entry.split(/\/(.*)/s) : [entry, undefined];
      if (sub === undefined) return t.subResource === '' && (res === '*' || res === t.resource);
      if (res === '*' && sub === '*') return true;
      return entry === requested || (res === '*' && sub === t.subResource) || (res === t.resource && sub === '*');
    });
    return scopeOk && listOk(r.operations, t.operation) && listOk(r.apiGroups, t.group) && listOk(r.apiVersions, t.version)
      && resourceOk && (r.resourceNames.length === 0 || r.resourceNames.includes(t.name));
  }

  test('property: the matcher agrees with the reference on random rules and requests', () => {
    const group = fc.constantFrom('', 'apps', 'batch');
    const version = fc.constantFrom('v1', 'v1beta1');
    const resource = fc.constantFrom('pods', 'deployments', 'namespaces', 'jobs');
    const sub = fc.constantFrom('', 'status', 'scale');
    const name = fc.constantFrom('', 'a', 'b');
    const wild = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(['*'] as (T | '*')[]), fc.uniqueArray(arb, { minLength: 1, maxLength: 3 }));
    const resourceEntry = fc.tuple(fc.constantFrom('pods', 'deployments', 'namespaces', 'jobs', '*'), fc.constantFrom('', 'status', 'scale', '*'))
      .map(([r, s]) => (s === '' ? r : `${r}/${s}`));
    const ruleArb: fc.Arbitrary<ResourceRule> = fc.record({
      apiGroups: wild(group),
      apiVersions: wild(version),
      resources: fc.uniqueArray(resourceEntry, { minLength: 1, maxLength: 3 }),
      operations: wild(fc.constantFrom<Operation>(...OPERATIONS)),
      scope: fc.constantFrom('*' as const, 'Cluster' as const, 'Namespaced' as const),
      resourceNames: fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { maxLength: 2 }),
    });
    const targetArb: fc.Arbitrary<RuleTarget> = fc.record({
      operation: fc.constantFrom<Operation>(...OPERATIONS),
      group,
      version,
      resource,
      subResource: sub,
      namespace: fc.constantFrom('', 'shop'),
      name,
    });
    fc.assert(fc.property(fc.array(ruleArb, { maxLength: 3 }), targetArb, (rules, target) => {
      for (const r of rules) expect(ruleMatches(r, target)).toBe(reference(r, target));
      expect(anyRuleMatches(rules, target)).toBe(rules.some(r => reference(r, target)));
    }), { numRuns: 2000 });
  });
});

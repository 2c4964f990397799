// Property: any widening of the RBAC objects (a verb added, a list made "*", resourceNames dropped,
// a rule added, a ClusterRole labelled to aggregate into view, edit or admin, a role bound to one
// more subject, a new "*" role bound or not) is an opening: `diff --fail-on open` can never pass it.
// And any narrowing (the reverse) never is.
import * as fc from 'fast-check';
import { compareClusters } from '../../../src/analysis/diff';
import { compareAccess, compareRoles } from '../../../src/analysis/diff/access';
import { ClusterModel } from '../../../src/model/cluster-model';

type Obj = Record<string, any>;
const RBAC = 'rbac.authorization.k8s.io';

// Rules over disjoint resources, so that what one rule gains no other rule already grants.
function base(): Obj[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'app', namespace: 'shop' },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'update'] },
      ],
    },
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'widget-reader', labels: {} },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
    },
    { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'app', namespace: 'shop' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'app' }, subjects: [{ kind: 'Group', name: 'devs' }] },
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'widgets', namespace: 'shop' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'widget-reader' },
      subjects: [{ kind: 'Group', name: 'devs' }],
    },
  ];
}

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate', 'impersonate'];
const roleOf = (objects: Obj[], name: string) => objects.find(o => (o.kind === 'Role' || o.kind === 'ClusterRole') && o.metadata.name === name)!;

type Widening = (objects: Obj[]) => void;

/** A widening that prints as what it does in a counterexample. */
const named = (text: string, apply: Widening): Widening => Object.assign(apply, { [fc.toStringMethod]: () => text });

const target = fc.constantFrom('app', 'widget-reader');
const widenings: fc.Arbitrary<Widening> = fc.oneof(
  // A verb the rule lacks (a rule that names objects never gains create or deletecollection by it).
  fc.tuple(target, fc.nat(1), fc.constantFrom(...VERBS)).map(([name, index, verb]): Widening => named(`a verb (${verb}) added to rule ${index} of ${name}`, objects => {
    const rules = roleOf(objects, name).rules;
    const rule = rules[index % rules.length];
    const byName = (rule.resourceNames ?? []).length > 0;
    const candidates = VERBS.filter(v => !rule.verbs.includes(v) && !(byName && ['create', 'deletecollection'].includes(v)));
    if (!rule.verbs.includes('*')) rule.verbs = [...rule.verbs, candidates.includes(verb) ? verb : candidates[0]];
  })),
  fc.tuple(target, fc.nat(1), fc.constantFrom('apiGroups', 'resources', 'verbs')).map(([name, index, list]): Widening => named(`${list} of rule ${index} of ${name} made "*"`, objects => {
    const rules = roleOf(objects, name).rules;
    rules[index % rules.length][list] = ['*'];
  })),
  fc.constant<Widening>(named('resourceNames dropped', objects => {
    delete roleOf(objects, 'app').rules[1].resourceNames;
  })),
  fc.tuple(target, fc.nat(99)).map(([name, n]): Widening => named(`a rule for gadgets${n} added to ${name}`, objects => {
    roleOf(objects, name).rules.push({ apiGroups: ['example.com'], resources: [`gadgets${n}`], verbs: ['get'] });
  })),
  fc.constantFrom('view', 'edit', 'admin').map((label): Widening => named(`widget-reader aggregated into ${label}`, objects => {
    roleOf(objects, 'widget-reader').metadata.labels[`${RBAC}/aggregate-to-${label}`] = 'true';
  })),
  fc.tuple(target, fc.constantFrom('Group', 'User', 'ServiceAccount')).map(([name, kind]): Widening => named(`${name} bound to a new ${kind}`, objects => {
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: `more-${name}-${kind.toLowerCase()}`, namespace: 'shop' },
      roleRef: { apiGroup: RBAC, kind: name === 'app' ? 'Role' : 'ClusterRole', name },
      subjects: [kind === 'ServiceAccount' ? { kind, name: 'newcomer', namespace: 'shop' } : { kind, name: 'newcomer' }],
    });
  })),
  fc.tuple(fc.boolean(), fc.boolean(), fc.constantFrom('apiGroups', 'resources', 'verbs')).map(([cluster, bound, list]): Widening => named(`a new ${cluster ? 'ClusterRole' : 'Role'} with ${list} "*"${bound ? ', bound' : ''}`, objects => {
    const rule: Obj = { apiGroups: ['example.com'], resources: ['things'], verbs: ['get'], [list]: ['*'] };
    objects.push(cluster
      ? { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'star' }, rules: [rule] }
      : { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'star', namespace: 'shop' }, rules: [rule] });
    if (bound) {
      objects.push({
        apiVersion: `${RBAC}/v1`,
        kind: 'RoleBinding',
        metadata: { name: 'star', namespace: 'shop' },
        roleRef: { apiGroup: RBAC, kind: cluster ? 'ClusterRole' : 'Role', name: 'star' },
        subjects: [{ kind: 'Group', name: 'devs' }],
      });
    }
  })),
);

const widened = (ops: readonly Widening[]) => {
  const objects = base();
  for (const op of ops) op(objects);
  return objects;
};

describe('RBAC diff properties', () => {
  test('any widening of the RBAC objects opens something; the reverse change opens nothing', () => {
    fc.assert(fc.property(fc.array(widenings, { minLength: 1, maxLength: 3 }), ops => {
      const before = ClusterModel.fromObjects(base());
      const after = ClusterModel.fromObjects(widened(ops));
      const d = compareClusters(before, after);
      expect(d.opens).toBe(true);
      expect(compareAccess(before, after).some(a => a.raises) || compareRoles(before, after).some(r => r.widens)).toBe(true);
      const reverse = compareClusters(after, before);
      expect(reverse.changed).toBe(true);
      expect(reverse.opens).toBe(false);
    }), { numRuns: 300 });
  });
});

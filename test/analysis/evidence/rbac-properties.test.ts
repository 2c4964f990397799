// Property: however a grant to a tenant is slipped into the input (RoleBinding or ClusterRoleBinding,
// in the tenant's namespace, another tenant's, kube-system or a new one; naming any of the tenant's
// identities; to cluster-admin, a "*" role, a role aggregated into Kubernetes' view, edit or admin,
// or a role with an escalating verb), the control that forbids it never passes, and names the binding.
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { multiTenantChart } from '../../../examples/multi-tenant';
import { collectEvidence } from '../../../src/analysis/evidence';
import { ClusterModel } from '../../../src/model/cluster-model';

type Obj = Record<string, any>;

const app = Testing.app();
multiTenantChart(app);
const MULTI_TENANT: Obj[] = app.charts.flatMap(c => Testing.synth(c));
const RBAC = 'rbac.authorization.k8s.io';

/** customer1's identities, in every form a binding can name them. */
const tenantSubject: fc.Arbitrary<Obj> = fc.oneof(
  fc.constant({ kind: 'Group', name: 'customer1-admins', apiGroup: RBAC }),
  fc.constantFrom('default', 'ci', 'deployer').map(name => ({ kind: 'ServiceAccount', name, namespace: 'customer1' })),
  fc.constantFrom('default', 'ci', 'deployer').map(name => ({ kind: 'User', name: `system:serviceaccount:customer1:${name}`, apiGroup: RBAC })),
  fc.constantFrom('system:serviceaccounts:customer1', 'system:serviceaccounts', 'system:authenticated', 'system:unauthenticated')
    .map(name => ({ kind: 'Group', name, apiGroup: RBAC })),
);

/** A rule with "*" in one of its lists at least. */
const wildcardRule: fc.Arbitrary<Obj> = fc.record({
  apiGroups: fc.constantFrom(['*'], [''], ['apps']),
  resources: fc.constantFrom(['*'], ['pods'], ['secrets']),
  verbs: fc.constantFrom(['*'], ['get'], ['create', 'delete']),
}).filter(r => [r.apiGroups, r.resources, r.verbs].some(l => l[0] === '*'));

const escalatingRule: fc.Arbitrary<Obj> = fc.record({
  apiGroups: fc.constantFrom([''], [RBAC]),
  resources: fc.constantFrom(['serviceaccounts'], ['roles'], ['clusterroles'], ['users']),
  verbs: fc.subarray(['bind', 'escalate', 'impersonate'], { minLength: 1 }).chain(v => fc.subarray(['get', 'list'], {}).map(extra => [...extra, ...v])),
});

type Grant = 'cluster-admin' | 'wildcard' | 'aggregated' | 'escalating';
// Which aggregating role a label reaches: view aggregates into edit, edit into admin.
const REACHES: Record<string, string[]> = { view: ['view', 'edit', 'admin'], edit: ['edit', 'admin'], admin: ['admin'] };

interface Injection {
  readonly grant: Grant;
  /** The rule of the injected role (for an aggregated one: of the role aggregated), unless cluster-admin. */
  readonly rule: Obj;
  /** CIS-5.1.1 for cluster-admin, CIS-5.1.3 for a wildcard, CIS-5.1.8 for an escalating verb. */
  readonly control: string;
  readonly clusterWide: boolean;
  readonly namespace: string;
  readonly subject: Obj;
  /** For a RoleBinding to a role of its own: a Role of its namespace rather than a ClusterRole. */
  readonly viaRole: boolean;
  /** For an aggregated role: the label it carries, and which of the roles it reaches is bound. */
  readonly label: string;
  readonly bound: number;
}

const ruleAndControl: fc.Arbitrary<{ rule: Obj; control: string }> = fc.oneof(
  wildcardRule.map(rule => ({ rule, control: 'CIS-5.1.3' })),
  escalatingRule.map(rule => ({ rule, control: 'CIS-5.1.8' })),
);

const injection: fc.Arbitrary<Injection> = fc.record({
  grant: fc.constantFrom<Grant>('cluster-admin', 'wildcard', 'aggregated', 'escalating'),
  wildcard: wildcardRule,
  escalating: escalatingRule,
  either: ruleAndControl,
  clusterWide: fc.boolean(),
  namespace: fc.constantFrom('customer1', 'customer2', 'kube-system', 'tooling'),
  subject: tenantSubject,
  viaRole: fc.boolean(),
  label: fc.constantFrom('view', 'edit', 'admin'),
  bound: fc.nat(2),
}).map(({ grant, wildcard, escalating, either, ...rest }) => {
  if (grant === 'cluster-admin') return { ...rest, grant, rule: {}, control: 'CIS-5.1.1' };
  if (grant === 'wildcard') return { ...rest, grant, rule: wildcard, control: 'CIS-5.1.3' };
  if (grant === 'escalating') return { ...rest, grant, rule: escalating, control: 'CIS-5.1.8' };
  return { ...rest, grant, ...either };
});

/** The objects an injection adds, and the binding the control must name. */
function inject(i: Injection): { objects: Obj[]; binding: string } {
  const objects: Obj[] = [];
  let roleRef: Obj;
  if (i.grant === 'cluster-admin') {
    roleRef = { kind: 'ClusterRole', name: 'cluster-admin' };
  } else if (i.grant === 'aggregated') {
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'injected-aggregate', labels: { [`${RBAC}/aggregate-to-${i.label}`]: 'true' } },
      rules: [i.rule],
    });
    const targets = REACHES[i.label];
    roleRef = { kind: 'ClusterRole', name: targets[i.bound % targets.length] };
  } else {
    const namespaced = i.viaRole && !i.clusterWide;
    objects.push(namespaced
      ? { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'injected', namespace: i.namespace }, rules: [i.rule] }
      : { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'injected' }, rules: [i.rule] });
    roleRef = { kind: namespaced ? 'Role' : 'ClusterRole', name: 'injected' };
  }
  const metadata = i.clusterWide ? { name: 'injected' } : { name: 'injected', namespace: i.namespace };
  objects.push({ apiVersion: `${RBAC}/v1`, kind: i.clusterWide ? 'ClusterRoleBinding' : 'RoleBinding', metadata, roleRef: { apiGroup: RBAC, ...roleRef }, subjects: [i.subject] });
  return { objects, binding: i.clusterWide ? 'ClusterRoleBinding injected' : `RoleBinding ${i.namespace}/injected` };
}

describe('RBAC evidence properties', () => {
  test('a grant injected for a tenant, in any form, never leaves the control that forbids it passing', () => {
    fc.assert(fc.property(injection, i => {
      const { objects, binding } = inject(i);
      const model = ClusterModel.fromObjects([...MULTI_TENANT, ...objects]);
      const [customer1] = collectEvidence(model, ['customer1', 'customer2']);
      const result = customer1.controls.find(c => c.control.id === i.control)!.result;
      expect([i.control, result.status]).toEqual([i.control, 'fail']);
      expect(result.evidence).toContain(binding);
      // Outside the tenant's namespace (or across the cluster) it is access beyond it too.
      const beyond = customer1.controls.find(c => c.control.id === 'MTB-PL1-CC-CPI-1')!.result;
      if (i.clusterWide || i.namespace !== 'customer1') expect(beyond.status).toBe('fail');
    }), { numRuns: 200 });
  });
});

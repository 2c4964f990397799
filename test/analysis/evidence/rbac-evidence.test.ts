// The RBAC controls attacked as a hostile tenant (or a careless platform team) would: grants that
// live outside the tenant's namespace, roles widened through aggregation, other tenants' subjects
// bound in, and what Kubernetes itself binds on every cluster.
import { App, Testing } from 'cdk8s';
import { guardrailsChart } from '../../../examples/guardrails';
import { multiTenantChart } from '../../../examples/multi-tenant';
import { teamsChart } from '../../../examples/teams';
import { collectEvidence, ControlResult } from '../../../src/analysis/evidence';
import { ClusterModel } from '../../../src/model/cluster-model';
import { expectValidManifests } from '../../schema';

type Obj = Record<string, any>;

function synth(...builds: Array<(app: App) => unknown>): Obj[] {
  const app = Testing.app();
  for (const build of builds) build(app);
  return app.charts.flatMap(c => Testing.synth(c));
}

const MULTI_TENANT = synth(multiTenantChart);
const RBAC = 'rbac.authorization.k8s.io';

/** Every control's result for one namespace, the evidence covering `covered` (all the input's managed namespaces by default). */
function evidenceOf(objects: Obj[], namespace = 'customer1', covered?: string[]): Record<string, ControlResult> {
  const model = ClusterModel.fromObjects(objects);
  const names = covered ?? model.namespaces.filter(n => n.managed).map(n => n.name);
  const result = collectEvidence(model, names).find(r => r.namespace === namespace)!;
  return Object.fromEntries(result.controls.map(c => [c.control.id, c.result]));
}

const roleBinding = (namespace: string, name: string, roleRef: Obj, subjects: Obj[]): Obj =>
  ({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: RBAC, ...roleRef }, subjects });
const clusterRoleBinding = (name: string, roleRef: Obj, subjects: Obj[]): Obj =>
  ({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC, ...roleRef }, subjects });
const clusterRole = (name: string, rules: Obj[], labels: Record<string, string> = {}, extra: Obj = {}): Obj =>
  ({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name, labels }, rules, ...extra });
const group = (name: string) => ({ kind: 'Group', name, apiGroup: RBAC });
const ref = (kind: string, name: string) => ({ kind, name });
const EVERYTHING = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
const AGGREGATE_TO_VIEW = { [`${RBAC}/aggregate-to-view`]: 'true' };

/** Objects made by hand are real Kubernetes objects too. */
function valid(...objects: Obj[]): Obj[] {
  expectValidManifests(objects);
  return objects;
}

describe('a tenant bound outside its namespace', () => {
  const TENANT_IDENTITIES: Array<[string, Obj]> = [
    ['its admin group', group('customer1-admins')],
    ['the group of its service accounts', group('system:serviceaccounts:customer1')],
    ['every authenticated user', group('system:authenticated')],
    ['every service account', group('system:serviceaccounts')],
    ['one of its service accounts', { kind: 'ServiceAccount', name: 'ci', namespace: 'customer1' }],
    ['one of its service accounts, named as a user', { kind: 'User', name: 'system:serviceaccount:customer1:ci', apiGroup: RBAC }],
  ];

  test.each(TENANT_IDENTITIES)('cluster-admin in kube-system for %s fails CIS-5.1.1 and every RBAC control, naming the RoleBinding', (_what, subject) => {
    const binding = roleBinding('kube-system', 'tenant-admin', ref('ClusterRole', 'cluster-admin'), [subject]);
    const r = evidenceOf([...MULTI_TENANT, ...valid(binding)]);
    expect(r['CIS-5.1.1'].status).toBe('fail');
    expect(r['CIS-5.1.1'].evidence).toContain('RoleBinding kube-system/tenant-admin');
    expect(r['CIS-5.1.1'].reason).toMatch(/^RoleBinding kube-system\/tenant-admin \(.+\) gives cluster-admin in namespace kube-system through ClusterRole cluster-admin/);
    for (const id of ['MTB-PL1-CC-CPI-1', 'CIS-5.1.3', 'CIS-5.1.8', 'MTB-PL1-CC-TI-1', 'MTB-PL1-BC-CPI-2', 'NSA-CISA-RBAC-LEAST-PRIVILEGE']) {
      expect([id, r[id].status]).toEqual([id, 'fail']);
      expect(r[id].evidence).toContain('RoleBinding kube-system/tenant-admin');
    }
    expect(r['MTB-PL1-CC-CPI-1'].reason).toContain('gives access beyond customer1 in namespace kube-system');
    expect(r['MTB-PL1-CC-TI-1'].reason).toContain('gives create/update/patch/delete/deletecollection on resourcequotas in namespace kube-system');
  });

  test('through a ClusterRoleBinding: every namespace, cluster-scoped objects included', () => {
    const binding = clusterRoleBinding('tenant-admin', ref('ClusterRole', 'cluster-admin'), [group('customer1-admins')]);
    const r = evidenceOf([...MULTI_TENANT, ...valid(binding)]);
    expect(r['CIS-5.1.1']).toMatchObject({ status: 'fail', evidence: ['ClusterRoleBinding tenant-admin'] });
    expect(r['CIS-5.1.1'].reason).toBe('ClusterRoleBinding tenant-admin (Group/customer1-admins) gives cluster-admin in every namespace through ClusterRole cluster-admin');
    expect(r['MTB-PL1-CC-CPI-1'].reason).toContain('gives access beyond customer1, cluster-scoped objects included in every namespace');
    // The other tenant's group is not customer1's: customer2 is untouched.
    expect(evidenceOf([...MULTI_TENANT, binding], 'customer2')['CIS-5.1.1'].status).toBe('pass');
  });

  test('the same grants to a platform group pass; the tenant\'s own other namespace is not beyond it, cluster-admin there still fails', () => {
    const platform = roleBinding('kube-system', 'platform-admin', ref('ClusterRole', 'cluster-admin'), [group('platform')]);
    expect(evidenceOf([...MULTI_TENANT, platform])['CIS-5.1.1'].status).toBe('pass');
    const batch = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'customer1-batch', labels: { 'namespace-guard.dev/profile': 'tenant', 'namespace-guard.dev/tenant': 'customer1' } } };
    const view = roleBinding('customer1-batch', 'admins-view', ref('ClusterRole', 'view'), [group('customer1-admins')]);
    const r = evidenceOf([...MULTI_TENANT, ...valid(batch, view)]);
    expect(r['MTB-PL1-CC-CPI-1'].status).toBe('pass');
    expect(r['MTB-PL1-CC-CPI-1'].evidence).toContain('RoleBinding customer1-batch/admins-view');
    const admin = roleBinding('customer1-batch', 'admins-admin', ref('ClusterRole', 'cluster-admin'), [group('customer1-admins')]);
    expect(evidenceOf([...MULTI_TENANT, batch, admin])['CIS-5.1.1'].reason).toContain('gives cluster-admin in namespace customer1-batch');
  });
});

describe('aggregated ClusterRoles', () => {
  const viewers = roleBinding('customer1', 'viewers', ref('ClusterRole', 'view'), [group('customer1-viewers')]);

  test('Kubernetes\' view alone gives a tenant no wildcard, no escalating verb and no write to the objects that isolate it', () => {
    const r = evidenceOf([...MULTI_TENANT, viewers]);
    for (const id of ['CIS-5.1.3', 'CIS-5.1.8', 'MTB-PL1-CC-TI-1', 'MTB-PL1-CC-CPI-1']) expect([id, r[id].status]).toEqual([id, 'pass']);
    expect(r['MTB-PL1-BC-CPI-2'].reason).not.toContain('viewers');
  });

  test('a ClusterRole labelled aggregate-to-view with "*" fails the wildcard and write controls for a tenant bound to view, naming it', () => {
    const everything = clusterRole('everything', [EVERYTHING], AGGREGATE_TO_VIEW);
    const r = evidenceOf([...MULTI_TENANT, ...valid(viewers, everything)]);
    for (const id of ['CIS-5.1.3', 'MTB-PL1-BC-CPI-2', 'MTB-PL1-CC-TI-1', 'CIS-5.1.8']) {
      expect([id, r[id].status]).toEqual([id, 'fail']);
      expect(r[id].evidence).toEqual(expect.arrayContaining(['RoleBinding customer1/viewers', 'ClusterRole everything']));
      expect(r[id].reason).toContain('RoleBinding customer1/viewers (Group/customer1-viewers) gives ');
      expect(r[id].reason).toContain(' through ClusterRole view, which aggregates ClusterRole everything');
    }
  });

  test('escalate aggregated into view fails CIS-5.1.8 only, naming the aggregated role', () => {
    const escalate = clusterRole('role-escalator', [{ apiGroups: [RBAC], resources: ['roles'], verbs: ['escalate'] }], AGGREGATE_TO_VIEW);
    const r = evidenceOf([...MULTI_TENANT, ...valid(viewers, escalate)]);
    expect(r['CIS-5.1.8']).toMatchObject({ status: 'fail', evidence: ['RoleBinding customer1/viewers', 'ClusterRole role-escalator'] });
    expect(r['CIS-5.1.8'].reason).toBe('RoleBinding customer1/viewers (Group/customer1-viewers) gives the escalate verb through ClusterRole view, '
      + 'which aggregates ClusterRole role-escalator');
    expect(r['CIS-5.1.3'].status).toBe('pass');
  });

  test('view aggregates into edit and edit into admin: a role labelled for view reaches a tenant bound to admin', () => {
    const admins = roleBinding('customer1', 'admins', ref('ClusterRole', 'admin'), [group('customer1-admins')]);
    const r = evidenceOf([...MULTI_TENANT, admins, clusterRole('everything', [EVERYTHING], AGGREGATE_TO_VIEW)]);
    expect(r['CIS-5.1.3'].reason).toContain('through ClusterRole admin, which aggregates ClusterRole everything');
  });

  test('a cluster dump\'s view (rules filled in by the controller) still gathers a new aggregated role', () => {
    const dumped = clusterRole('view', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }], { [`${RBAC}/aggregate-to-edit`]: 'true' },
      { aggregationRule: { clusterRoleSelectors: [{ matchLabels: AGGREGATE_TO_VIEW }] } });
    expect(evidenceOf([...MULTI_TENANT, viewers, dumped])['CIS-5.1.3'].status).toBe('pass');
    const r = evidenceOf([...MULTI_TENANT, ...valid(viewers, dumped, clusterRole('everything', [EVERYTHING], AGGREGATE_TO_VIEW))]);
    expect(r['CIS-5.1.3'].evidence).toEqual(['RoleBinding customer1/viewers', 'ClusterRole view', 'ClusterRole everything']);
  });

  test('aggregation is transitive and a cycle ends', () => {
    const a = clusterRole('a', [], { loop: 'a' }, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { loop: 'b' } }] } });
    const b = clusterRole('b', [EVERYTHING], { loop: 'b' }, { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'loop', operator: 'In', values: ['a'] }] }] } });
    const bound = roleBinding('customer1', 'loop', ref('ClusterRole', 'a'), [group('customer1-admins')]);
    const r = evidenceOf([...MULTI_TENANT, ...valid(a, b, bound)]);
    expect(r['CIS-5.1.3'].reason).toContain('RoleBinding customer1/loop (Group/customer1-admins) gives a rule with "*" (every group, resource or verb) '
      + 'through ClusterRole a, which aggregates ClusterRole b');
  });

  test('an aggregated role whose sources the input does not hold, or that gathers every default role, cannot pass', () => {
    const monitoring = clusterRole('monitoring', [], {}, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] } });
    const bound = roleBinding('customer1', 'monitoring', ref('ClusterRole', 'monitoring'), [group('customer1-admins')]);
    const r = evidenceOf([...MULTI_TENANT, ...valid(monitoring, bound)]);
    expect(r['MTB-PL1-CC-TI-1'].status).toBe('fail');
    expect(r['MTB-PL1-CC-TI-1'].reason).toContain('names ClusterRole monitoring, whose rules the input cannot show in full '
      + '(ClusterRole monitoring aggregates ClusterRoles that the input does not hold)');
    const defaults = clusterRole('defaults', [], {}, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }] } });
    const boundDefaults = roleBinding('customer1', 'defaults', ref('ClusterRole', 'defaults'), [group('customer1-admins')]);
    const d = evidenceOf([...MULTI_TENANT, defaults, boundDefaults]);
    expect(d['CIS-5.1.8'].reason).toContain('Kubernetes\' own, not all of which are known here');
    // What it is known to hold is judged too: it gathers cluster-admin.
    expect(d['CIS-5.1.3'].reason).toContain('which aggregates');
    expect(d['CIS-5.1.1'].reason).toBe('RoleBinding customer1/defaults (Group/customer1-admins) gives the rules of cluster-admin through ClusterRole defaults, '
      + 'which aggregates ClusterRole cluster-admin');
  });

  test('a malformed selector is bad input naming the document and the field', () => {
    const bad = clusterRole('bad', [], {}, { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Like' }] }] } });
    const model = ClusterModel.fromObjects([...MULTI_TENANT, bad]);
    expect(() => collectEvidence(model, ['customer1'])).toThrow(/document \d+: ClusterRole bad: aggregationRule\.clusterRoleSelectors\[0\]\.matchExpressions\[0\]\.operator: unknown operator "Like"/);
  });

  test('resourceNames narrow a grant, and the reason says to which objects', () => {
    const role = {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'quota-bumper', namespace: 'customer1' },
      rules: [{ apiGroups: [''], resources: ['resourcequotas'], resourceNames: ['namespace-quota'], verbs: ['get', 'update', 'create'] }],
    };
    const bound = roleBinding('customer1', 'quota-bumper', ref('Role', 'quota-bumper'), [group('customer1-admins')]);
    const r = evidenceOf([...MULTI_TENANT, ...valid(role, bound)]);
    // A rule that names objects never allows create.
    expect(r['MTB-PL1-CC-TI-1'].reason).toBe('RoleBinding customer1/quota-bumper (Group/customer1-admins) gives update on resourcequotas named namespace-quota '
      + 'through Role customer1/quota-bumper');
    // With the guardrails, admission is asked about that quota only, and denies it.
    const guarded = evidenceOf([...synth(multiTenantChart, guardrailsChart), role, bound]);
    expect(guarded['MTB-PL1-CC-TI-1'].status).toBe('pass');
    expect(guarded['MTB-PL1-CC-TI-1'].reason).toContain('named namespace-quota through Role customer1/quota-bumper, but admission denies the one request tried with it');
  });
});

describe('another tenant\'s subjects (MTB-PL1-BC-CPI-2)', () => {
  test('a RoleBinding in customer1 naming a service account of customer2 fails customer1\'s CPI-2; for customer2 it is access beyond its namespace', () => {
    const binding = roleBinding('customer1', 'partner', ref('ClusterRole', 'view'), [{ kind: 'ServiceAccount', name: 'default', namespace: 'customer2' }]);
    const objects = [...MULTI_TENANT, ...valid(binding)];
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-BC-CPI-2'].status).toBe('fail');
    expect(r['MTB-PL1-BC-CPI-2'].evidence).toContain('RoleBinding customer1/partner');
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain('RoleBinding customer1/partner names ServiceAccount/customer2/default, a tenant of customer2 '
      + '(another tenant\'s namespace): it gives them ClusterRole view in customer1');
    const other = evidenceOf(objects, 'customer2');
    expect(other['MTB-PL1-CC-CPI-1'].status).toBe('fail');
    expect(other['MTB-PL1-CC-CPI-1'].reason).toContain('RoleBinding customer1/partner (ServiceAccount/customer2/default) gives access beyond customer2 in namespace customer1');
    // customer2's own objects are not changed by it, and view writes nothing: its CPI-2 stands or falls on its own bindings.
    expect(other['MTB-PL1-BC-CPI-2'].reason).not.toContain('partner');
    // With the guardrails taking back the admin Role's writes, the binding is all that fails, and the fix is about it alone.
    // (Labelled as the platform's: unlabelled, the tenant's admins could delete it, and the guardrails let them.)
    const platforms = { ...binding, metadata: { ...binding.metadata, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard' } } };
    const guarded = evidenceOf([...synth(multiTenantChart, guardrailsChart), platforms]);
    expect(guarded['MTB-PL1-BC-CPI-2']).toMatchObject({ status: 'fail', evidence: ['RoleBinding customer1/partner'] });
    expect(guarded['MTB-PL1-BC-CPI-2'].fix).toMatch(/^bind no subject of another tenant .* belongs to the platform, not to a tenant's RoleBindings$/);
  });

  test('another tenant\'s group, in a RoleBinding or a ClusterRoleBinding, names the binding that makes it that tenant\'s', () => {
    const inside = roleBinding('customer1', 'helpers', ref('ClusterRole', 'view'), [group('customer2-admins')]);
    const r = evidenceOf([...MULTI_TENANT, inside]);
    expect(r['MTB-PL1-BC-CPI-2'].evidence).toEqual(expect.arrayContaining(['RoleBinding customer1/helpers', 'RoleBinding customer2/namespace-guard-admin']));
    const everywhere = clusterRoleBinding('helpers', ref('ClusterRole', 'view'), [group('customer2-admins')]);
    expect(evidenceOf([...MULTI_TENANT, everywhere])['MTB-PL1-BC-CPI-2'].reason)
      .toContain('ClusterRoleBinding helpers names Group/customer2-admins, a tenant of customer2 (another tenant\'s namespace): '
        + 'it gives them ClusterRole view in every namespace, customer1 included');
  });

  test('the groups that stand for everyone are every other tenant too', () => {
    const binding = roleBinding('customer1', 'public', ref('ClusterRole', 'view'), [group('system:authenticated')]);
    const r = evidenceOf([...MULTI_TENANT, binding], 'customer1', ['customer1']);
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain('RoleBinding customer1/public names Group/system:authenticated, every authenticated user and service account '
      + 'of the cluster, other tenants included');
  });

  test('two namespaces of one tenant (same profile and owner) may share a group', () => {
    const labels = (name: string) => ({ 'namespace-guard.dev/profile': 'zone', 'namespace-guard.dev/zone': 'data', 'kubernetes.io/metadata.name': name });
    const objects = ['orders', 'customers'].flatMap(name => [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: labels(name) } },
      roleBinding(name, 'operators', ref('ClusterRole', 'view'), [group('data-operators')]),
    ]);
    const r = evidenceOf(valid(...objects), 'orders');
    expect(r['MTB-PL1-BC-CPI-2'].status).toBe('pass');
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain('no binding that grants in orders names another tenant\'s subjects');
    expect(r['MTB-PL1-CC-CPI-1'].status).toBe('pass');
  });

  test('the teams example: the sre group, a viewer of every team, is another team\'s subject in each', () => {
    const teams = synth(teamsChart);
    const catalog = evidenceOf(teams, 'catalog');
    expect(catalog['MTB-PL1-BC-CPI-2'].reason).toContain('RoleBinding catalog/namespace-guard-view names Group/sre, a tenant of checkout and payments '
      + '(another tenant\'s namespaces): it gives them Role catalog/namespace-guard-view in catalog');
    expect(catalog['MTB-PL1-BC-CPI-2'].evidence).toEqual(expect.arrayContaining(['RoleBinding payments/namespace-guard-view', 'RoleBinding checkout/namespace-guard-view']));
    expect(catalog['MTB-PL1-CC-CPI-1'].reason).toContain('RoleBinding payments/namespace-guard-view (Group/sre) gives access beyond catalog in namespace payments');
  });
});

describe('a group bound in every namespace', () => {
  test('every binding decides the status; the reason and the evidence are cut, and say so', () => {
    const names = Array.from({ length: 120 }, (_, i) => `team-${String(i).padStart(3, '0')}`);
    const objects = names.flatMap(name => [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'namespace-guard.dev/profile': 'team', 'namespace-guard.dev/team': name } } },
      { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'viewer', namespace: name }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
      roleBinding(name, 'viewers', ref('Role', 'viewer'), [group('sre')]),
    ]);
    const r = evidenceOf(objects, 'team-000');
    // 119 other namespaces: the first 20 problems, then a count.
    expect(r['MTB-PL1-CC-CPI-1'].status).toBe('fail');
    expect(r['MTB-PL1-CC-CPI-1'].reason.split('; ')).toHaveLength(21);
    expect(r['MTB-PL1-CC-CPI-1'].reason).toMatch(/; and 99 more problems of the kind \(the evidence lists the first 200 of 238 objects\)$/);
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain('names Group/sre, a tenant of team-001, team-002, team-003, team-004, team-005, team-006, team-007, team-008, '
      + 'team-009, team-010 and 109 more (another tenant\'s namespaces)');
    // 120 bindings and their 120 Roles examined: TI-1 passes on all of them, listing the first 200.
    expect(r['MTB-PL1-CC-TI-1'].status).toBe('pass');
    expect(r['MTB-PL1-CC-TI-1'].evidence).toHaveLength(200);
    expect(r['MTB-PL1-CC-TI-1'].reason).toMatch(/^the 120 bindings naming tenants of team-000 \(RoleBinding team-000\/viewers, .* and 110 more\) give none write access to ResourceQuotas /);
    expect(r['MTB-PL1-CC-TI-1'].reason).toMatch(/\(the evidence lists the first 200 of 240 objects\)$/);
  });
});

describe('what Kubernetes binds on every cluster', () => {
  const DEFAULT_BINDINGS = [
    clusterRoleBinding('system:basic-user', ref('ClusterRole', 'system:basic-user'), [group('system:authenticated')]),
    clusterRoleBinding('system:discovery', ref('ClusterRole', 'system:discovery'), [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', ref('ClusterRole', 'system:public-info-viewer'), [group('system:authenticated'), group('system:unauthenticated')]),
    clusterRoleBinding('system:service-account-issuer-discovery', ref('ClusterRole', 'system:service-account-issuer-discovery'), [group('system:serviceaccounts')]),
    clusterRoleBinding('cluster-admin', ref('ClusterRole', 'cluster-admin'), [group('system:masters')]),
  ];
  const WITH_GUARDRAILS = synth(multiTenantChart, guardrailsChart);

  test('the default ClusterRoleBindings give tenants nothing: every RBAC control still passes, judged by the roles\' rules', () => {
    const r = evidenceOf([...WITH_GUARDRAILS, ...valid(...DEFAULT_BINDINGS)]);
    for (const id of ['MTB-PL1-CC-CPI-1', 'MTB-PL1-BC-CPI-2', 'MTB-PL1-CC-TI-1', 'CIS-5.1.1', 'CIS-5.1.3', 'CIS-5.1.8', 'NSA-CISA-RBAC-LEAST-PRIVILEGE']) {
      expect([id, r[id].status]).toEqual([id, 'pass']);
    }
    // Examined, not skipped.
    expect(r['CIS-5.1.3'].evidence).toEqual(expect.arrayContaining(['ClusterRoleBinding system:basic-user', 'ClusterRoleBinding system:discovery']));
    expect(r['CIS-5.1.3'].evidence).not.toContain('ClusterRoleBinding cluster-admin');
  });

  test('a default role the input widens is judged by the input\'s rules', () => {
    const widened = clusterRole('system:basic-user', [EVERYTHING]);
    const r = evidenceOf([...WITH_GUARDRAILS, ...DEFAULT_BINDINGS, ...valid(widened)]);
    expect(r['CIS-5.1.3'].status).toBe('fail');
    expect(r['CIS-5.1.3'].evidence).toEqual(['ClusterRoleBinding system:basic-user', 'ClusterRole system:basic-user']);
    expect(r['MTB-PL1-CC-CPI-1'].reason).toContain('ClusterRoleBinding system:basic-user (Group/system:authenticated) gives access beyond customer1');
  });

  test('a binding of a tenant to a Kubernetes role outside the table cannot be shown, so it fails the controls that read roles', () => {
    const delegator = clusterRoleBinding('auth-delegator', ref('ClusterRole', 'system:auth-delegator'), [group('customer1-admins')]);
    const r = evidenceOf([...WITH_GUARDRAILS, delegator]);
    expect(r['MTB-PL1-CC-TI-1'].reason).toContain('names ClusterRole system:auth-delegator, which neither the input nor Kubernetes\' defaults hold');
    expect(r['MTB-PL1-CC-CPI-1'].status).toBe('fail');
  });
});

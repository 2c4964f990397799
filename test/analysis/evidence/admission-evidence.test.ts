import { App, Chart, Testing } from 'cdk8s';
import { guardrailsChart } from '../../../examples/guardrails';
import { CUSTOMERS, multiTenantChart } from '../../../examples/multi-tenant';
import { AdmissionSimulator } from '../../../src/analysis/admission';
import { collectEvidence, ControlResult } from '../../../src/analysis/evidence';
import { tenantUser } from '../../../src/analysis/evidence/admission-proof';
import { Subject } from '../../../src/bundles/access';
import { ClusterGuardrails } from '../../../src/guardrails/cluster-guardrails';
import { ClusterModel } from '../../../src/model/cluster-model';
import { expectValidManifests } from '../../schema';

type Obj = Record<string, any>;

function synth(...builds: Array<(app: App) => unknown>): Obj[] {
  const app = Testing.app();
  for (const build of builds) build(app);
  return app.charts.flatMap(c => Testing.synth(c));
}

const WITH_GUARDRAILS = synth(multiTenantChart, guardrailsChart);
const WITHOUT_GUARDRAILS = synth(multiTenantChart);
const isAdmission = (o: Obj) => o.apiVersion.startsWith('admissionregistration.k8s.io/');

function evidenceOf(objects: Obj[], namespace = 'customer1'): Record<string, ControlResult> {
  const [result] = collectEvidence(ClusterModel.fromObjects(objects), [namespace]);
  return Object.fromEntries(result.controls.map(c => [c.control.id, c.result]));
}

const RBAC_CONTROLS = ['MTB-PL1-CC-TI-1', 'MTB-PL1-BC-CPI-2', 'NSA-CISA-RBAC-LEAST-PRIVILEGE'];
const MANAGED_OBJECTS = 'ValidatingAdmissionPolicy namespace-guard-managed-objects (binding namespace-guard-managed-objects)';
const ROLE_BINDINGS = 'ValidatingAdmissionPolicy namespace-guard-role-bindings (binding namespace-guard-role-bindings)';

/** The example's objects with one change to a guardrail binding. */
function withBinding(name: string, change: (binding: Obj) => Obj | undefined): Obj[] {
  const objects = structuredClone(WITH_GUARDRAILS);
  const index = objects.findIndex(o => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata.name === name);
  expect(index).toBeGreaterThanOrEqual(0);
  const changed = change(objects[index]);
  return changed ? objects.map((o, i) => (i === index ? changed : o)) : objects.filter((_, i) => i !== index);
}

const quotaEditor = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'quota-editor', namespace: 'customer1' },
    rules: [{ apiGroups: [''], resources: ['resourcequotas'], verbs: ['get', 'update', 'patch', 'delete'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'ci-quota', namespace: 'customer1' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'quota-editor' },
    subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'customer1' }],
  },
];

describe('the multi-tenant example with the cluster guardrails', () => {
  test.each(CUSTOMERS)('%s passes the RBAC write controls: admission denies every write its admin Role allows, naming the policies', name => {
    const r = evidenceOf(WITH_GUARDRAILS, name);
    for (const id of RBAC_CONTROLS) expect([id, r[id].status]).toEqual([id, 'pass']);
    const cpi2 = r['MTB-PL1-BC-CPI-2'];
    // Update and delete of each Role and RoleBinding of the namespace, and the two widening RoleBinding creations.
    const rbacObjects = WITH_GUARDRAILS.filter(o => o.metadata.namespace === name && ['Role', 'RoleBinding'].includes(o.kind)).length;
    expect(cpi2.reason).toBe(`RoleBinding ${name}/namespace-guard-admin (Group/${name}-admins) gives create/update/patch/delete/deletecollection on roles `
      + `and create/update/patch/delete/deletecollection on rolebindings through Role ${name}/namespace-guard-admin, `
      + `but admission denies all ${rbacObjects * 2 + 2} requests tried with it: ${MANAGED_OBJECTS} and ${ROLE_BINDINGS}; `
      + `no binding that grants in ${name} names another tenant's subjects`);
    expect(cpi2.evidence).toEqual([
      `RoleBinding ${name}/namespace-guard-admin`, `Role ${name}/namespace-guard-admin`,
      'ValidatingAdmissionPolicy namespace-guard-managed-objects', 'ValidatingAdmissionPolicyBinding namespace-guard-managed-objects',
      'ValidatingAdmissionPolicy namespace-guard-role-bindings', 'ValidatingAdmissionPolicyBinding namespace-guard-role-bindings',
    ]);
    expect(r['NSA-CISA-RBAC-LEAST-PRIVILEGE'].evidence).toEqual(expect.arrayContaining(['ValidatingAdmissionPolicy namespace-guard-managed-objects']));
    expect(r['NSA-CISA-RBAC-LEAST-PRIVILEGE'].reason).toContain(`MTB-PL1-BC-CPI-2: RoleBinding ${name}/namespace-guard-admin`);
  });

  test('without the guardrails the same namespaces fail as before, and the simulator is not even built', () => {
    const build = jest.spyOn(AdmissionSimulator, 'fromManifests');
    try {
      for (const name of CUSTOMERS) {
        const r = evidenceOf(WITHOUT_GUARDRAILS, name);
        expect(r['MTB-PL1-BC-CPI-2'].status).toBe('fail');
        expect(r['MTB-PL1-BC-CPI-2'].reason).not.toContain('admission');
        expect(r['MTB-PL1-BC-CPI-2'].evidence).toEqual([`RoleBinding ${name}/namespace-guard-admin`, `Role ${name}/namespace-guard-admin`]);
        expect(r['NSA-CISA-RBAC-LEAST-PRIVILEGE'].status).toBe('fail');
      }
      expect(build).not.toHaveBeenCalled();
      evidenceOf(WITH_GUARDRAILS);
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      build.mockRestore();
    }
  });

  test('a quota grant to a tenant service account: TI-1 fails on RBAC alone, passes once the guardrails deny its updates and deletes', () => {
    const plain = evidenceOf([...WITHOUT_GUARDRAILS, ...quotaEditor]);
    expect(plain['MTB-PL1-CC-TI-1'].status).toBe('fail');
    const guarded = evidenceOf([...WITH_GUARDRAILS, ...quotaEditor]);
    expect(guarded['MTB-PL1-CC-TI-1']).toEqual({
      status: 'pass',
      evidence: expect.arrayContaining(['RoleBinding customer1/ci-quota', 'ValidatingAdmissionPolicy namespace-guard-managed-objects']),
      // An update and a delete of each of the namespace's two ResourceQuotas.
      reason: expect.stringContaining('RoleBinding customer1/ci-quota (ServiceAccount/customer1/ci) gives update/patch/delete on resourcequotas '
        + `through Role customer1/quota-editor, but admission denies all 4 requests tried with it: ${MANAGED_OBJECTS}`),
    });
    expect(guarded['MTB-PL1-CC-TI-1'].reason).toContain('the other binding naming tenants of customer1 (RoleBinding customer1/namespace-guard-admin) gives none');
  });

  test('Kubernetes\' edit ClusterRole writes NetworkPolicies: the guardrails deny creating an allow-all one and changing the existing ones', () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      // The platform's (the guard's label): unlabelled, the namespace's admins could change it, and CPI-2 would fail on that.
      metadata: { name: 'devs', namespace: 'customer1', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'devs' }],
    };
    const r = evidenceOf([...WITH_GUARDRAILS, binding]);
    const unlabelled = evidenceOf([...WITH_GUARDRAILS, { ...binding, metadata: { name: 'devs', namespace: 'customer1' } }]);
    expect(unlabelled['MTB-PL1-BC-CPI-2'].reason).toContain('and admission lets UPDATE of RoleBinding customer1/devs as Group/customer1-admins through');
    const policies = WITH_GUARDRAILS.filter(o => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'customer1').length;
    expect(r['MTB-PL1-BC-CPI-2'].status).toBe('pass');
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain('RoleBinding customer1/devs (Group/devs) gives create/update/patch/delete/deletecollection on networkpolicies '
      + `through ClusterRole edit, but admission denies all ${policies * 2 + 1} requests tried with it: `
      + 'ValidatingAdmissionPolicy namespace-guard-network-policies (binding namespace-guard-network-policies)');
    // Admission takes back writes only: the impersonation edit allows stays a finding.
    expect(r['CIS-5.1.8'].status).toBe('fail');
  });
});

describe('guardrails that do not hold for the tenant fail again, naming the request admission lets through', () => {
  test('the tenant group among the platform admins', () => {
    const guardrails = (app: App) => {
      const chart = new Chart(app, 'guardrails');
      new ClusterGuardrails(chart, 'guardrails', { platformAdmins: [Subject.group('platform-admins'), Subject.group('customer1-admins')] });
      return chart;
    };
    const objects = synth(multiTenantChart, guardrails);
    expectValidManifests(objects.filter(isAdmission));
    const r = evidenceOf(objects);
    for (const id of ['MTB-PL1-BC-CPI-2', 'NSA-CISA-RBAC-LEAST-PRIVILEGE']) expect([id, r[id].status]).toEqual([id, 'fail']);
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain('through Role customer1/namespace-guard-admin, and admission lets '
      + 'UPDATE of Role customer1/namespace-guard-admin as Group/customer1-admins through');
    expect(r['MTB-PL1-BC-CPI-2'].evidence).toEqual(['RoleBinding customer1/namespace-guard-admin', 'Role customer1/namespace-guard-admin']);
    // The other customer's admins are still tenants there.
    expect(evidenceOf(objects, 'customer2')['MTB-PL1-BC-CPI-2'].status).toBe('pass');
  });

  test('the managed-objects binding set to warn only', () => {
    const objects = withBinding('namespace-guard-managed-objects', b => ({ ...b, spec: { ...b.spec, validationActions: ['Warn'] } }));
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-BC-CPI-2'].status).toBe('fail');
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain(', and admission lets UPDATE of Role customer1/namespace-guard-admin as Group/customer1-admins through '
      + `(with only a warning from ${MANAGED_OBJECTS})`);
    expect(r['NSA-CISA-RBAC-LEAST-PRIVILEGE'].reason).toMatch(/^MTB-PL1-BC-CPI-2: .* admission lets UPDATE of Role customer1\/namespace-guard-admin/);
  });

  test('the role-bindings binding removed: a RoleBinding handing the namespace to everyone gets through', () => {
    const r = evidenceOf(withBinding('namespace-guard-role-bindings', () => undefined));
    expect(r['MTB-PL1-BC-CPI-2'].status).toBe('fail');
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain('and admission lets CREATE of a RoleBinding customer1/everyone to Group system:authenticated as Group/customer1-admins through');
  });

  test('with no object of the resource in the namespace there is nothing for admission to deny, so the grant is not taken back', () => {
    const objects = [...WITH_GUARDRAILS.filter(o => !(o.kind === 'ResourceQuota' && o.metadata.namespace === 'customer1')), ...quotaEditor];
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-CC-TI-1'].status).toBe('fail');
    expect(r['MTB-PL1-CC-TI-1'].reason).toContain('gives update/patch/delete on resourcequotas through Role customer1/quota-editor, '
      + 'and there is no request for admission to judge: the input has no such object in customer1');
  });
});

describe('the user a tenant acts as', () => {
  test.each([
    ['Group/devs', 'member-of-devs', ['devs', 'system:authenticated']],
    ['User/alice', 'alice', ['system:authenticated']],
    ['Group/oidc:org/team', 'member-of-oidc:org/team', ['oidc:org/team', 'system:authenticated']],
    ['ServiceAccount/customer1/ci', 'system:serviceaccount:customer1:ci', ['system:serviceaccounts', 'system:serviceaccounts:customer1', 'system:authenticated']],
    ['Group/system:serviceaccounts:customer1', 'system:serviceaccount:customer1:default',
      ['system:serviceaccounts:customer1', 'system:serviceaccounts', 'system:authenticated']],
    ['Group/system:unauthenticated', 'system:anonymous', ['system:unauthenticated']],
  ])('%s acts as %s', (tenant, username, groups) => {
    expect(tenantUser(tenant, 'customer1')).toEqual({ username, groups });
  });
});

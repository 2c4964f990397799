import * as fc from 'fast-check';
import { container, customer, evidenceOf, HARDENED, MULTI_TENANT, rawPod, synth } from './example-tenant';
import { CUSTOMERS } from '../../../examples/multi-tenant';
import { teamsChart } from '../../../examples/teams';
import { collectEvidence, CONTROLS, defaultNamespaces } from '../../../src/analysis/evidence';
import { COUNTED_OBJECTS, countKeys } from '../../../src/analysis/evidence/namespace-controls';
import { listText } from '../../../src/analysis/evidence/refs';
import { ClusterModel } from '../../../src/model/cluster-model';

const POD_CONTROLS = [
  'MTB-PL1-BC-CPI-3', 'MTB-PL1-BC-CPI-4', 'MTB-PL1-BC-CPI-5', 'MTB-PL1-BC-CPI-6', 'MTB-PL1-BC-HI-1', 'MTB-PL1-BC-HI-3', 'MTB-PL1-BC-HI-4',
  'MTB-PL1-BC-HI-5', 'CIS-5.2.2', 'CIS-5.2.3', 'CIS-5.2.4', 'CIS-5.2.5', 'CIS-5.2.6', 'CIS-5.2.7', 'CIS-5.2.8', 'CIS-5.2.9', 'CIS-5.2.10',
  'CIS-5.2.11', 'CIS-5.2.12', 'CIS-5.2.13', 'CIS-5.7.2', 'CIS-5.7.3', 'NSA-CISA-POD-NON-ROOT', 'NSA-CISA-POD-PRIVILEGE',
];

describe('the catalogue', () => {
  test('ids are unique and every framework is represented, MTB first, then CIS, then NSA/CISA', () => {
    const ids = CONTROLS.map(c => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const frameworks = CONTROLS.map(c => c.framework.name);
    expect([...new Set(frameworks)]).toEqual(['MTB', 'CIS', 'NSA/CISA']);
    expect(ids).toEqual(expect.arrayContaining(['MTB-PL1-CC-FNS-1', 'MTB-PL1-CC-FNS-2', 'MTB-PL1-BC-CPI-2', 'MTB-PL1-CC-TI-1', 'MTB-PL1-BC-HI-1', 'CIS-5.3.2', 'MTB-PL1-BC-NI-1']));
    expect(CONTROLS.find(c => c.id === 'MTB-PL1-CC-FNS-1')!.title).toBe('Configure namespace resource quotas');
    expect(CONTROLS.find(c => c.id === 'MTB-PL1-BC-NI-1')!.title).toBe('Default deny network connections across tenants');
  });
});

describe('the multi-tenant example', () => {
  const model = ClusterModel.fromObjects(MULTI_TENANT);

  test('covers the managed namespaces, the customers', () => {
    expect(defaultNamespaces(model)).toEqual({ names: CUSTOMERS, selection: 'managed' });
  });

  test.each(CUSTOMERS)('%s passes the quota, pod, network, token and quota-protection controls, each with its proof', name => {
    const [result] = collectEvidence(model, [name]);
    const byId = Object.fromEntries(result.controls.map(c => [c.control.id, c.result]));
    for (const id of [...POD_CONTROLS, 'MTB-PL1-CC-FNS-1', 'MTB-PL1-CC-FNS-2', 'MTB-PL1-BC-HI-1-NodePort', 'MTB-PL1-CC-TI-1', 'MTB-PL1-CC-CPI-1',
      'CIS-5.1.1', 'CIS-5.1.3', 'CIS-5.1.5', 'CIS-5.1.6', 'CIS-5.1.8', 'CIS-5.2.1', 'CIS-5.3.2', 'NSA-CISA-NET-DEFAULT-DENY',
      'NSA-CISA-RESOURCE-POLICIES', 'NSA-CISA-POD-IMMUTABLE-FS', 'NSA-CISA-POD-SA-TOKEN', 'MTB-PL1-BC-NI-1']) {
      expect([id, byId[id].status]).toEqual([id, 'pass']);
      expect(byId[id].fix).toBeUndefined();
    }
    expect(byId['MTB-PL1-CC-FNS-1'].evidence).toEqual([`ResourceQuota ${name}/namespace-quota`]);
    expect(byId['MTB-PL1-BC-HI-1'].evidence).toEqual([`Namespace ${name}`, `Deployment ${name}/database`, `Deployment ${name}/backend`, `Deployment ${name}/auth`]);
    expect(byId['MTB-PL1-BC-HI-1'].reason).toContain('enforces Pod Security "restricted"');
    expect(byId['CIS-5.3.2'].evidence).toEqual([`NetworkPolicy ${name}/default-deny`]);
    expect(byId['MTB-PL1-CC-TI-1'].evidence).toEqual([`RoleBinding ${name}/namespace-guard-admin`, `Role ${name}/namespace-guard-admin`]);
    expect(byId['CIS-5.1.5'].evidence).toEqual([`ServiceAccount ${name}/default`]);
  });

  test('the admin access level fails MTB-PL1-BC-CPI-2: its Role writes Roles and RoleBindings', () => {
    const r = evidenceOf(customer());
    expect(r['MTB-PL1-BC-CPI-2'].status).toBe('fail');
    expect(r['MTB-PL1-BC-CPI-2'].evidence).toEqual(['RoleBinding customer1/namespace-guard-admin', 'Role customer1/namespace-guard-admin']);
    expect(r['MTB-PL1-BC-CPI-2'].reason).toMatch(/\(Group\/customer1-admins\) gives .* on roles and .* on rolebindings through Role customer1\/namespace-guard-admin/);
    expect(r['NSA-CISA-RBAC-LEAST-PRIVILEGE'].status).toBe('fail');
    expect(r['NSA-CISA-RBAC-LEAST-PRIVILEGE'].reason).toMatch(/^MTB-PL1-BC-CPI-2: /);
  });

  test('a team namespace that enforces baseline passes the baseline controls and fails the restricted ones, naming the level', () => {
    const teams = synth(teamsChart);
    const baseline = teams.find(o => o.kind === 'Namespace' && o.metadata.labels['pod-security.kubernetes.io/enforce'] === 'baseline')!.metadata.name;
    const r = evidenceOf(teams, baseline);
    expect(r['MTB-PL1-BC-HI-1'].status).toBe('pass');
    expect(r['CIS-5.2.2'].status).toBe('pass');
    expect(r['MTB-PL1-BC-CPI-4'].status).toBe('fail');
    expect(r['MTB-PL1-BC-CPI-4'].reason).toContain(`Namespace ${baseline} enforces Pod Security "baseline"`);
    expect(r['MTB-PL1-BC-CPI-4'].fix).toContain('pod-security.kubernetes.io/enforce: restricted');
  });
});

describe('hostile variants of a tenant fail the right control with the right evidence', () => {
  test('a hostPath pod fails the hostPath controls only, naming the pod', () => {
    const objects = [...customer(), rawPod('node-reader', { ...HARDENED, containers: [container()], volumes: [{ name: 'root', hostPath: { path: '/' } }] })];
    const r = evidenceOf(objects);
    for (const id of ['MTB-PL1-BC-HI-1', 'CIS-5.2.12']) {
      expect(r[id].status).toBe('fail');
      expect(r[id].evidence).toEqual(['Namespace customer1', 'Pod customer1/node-reader']);
      expect(r[id].reason).toBe('Pod customer1/node-reader has hostPathVolumes at spec.volumes[0].hostPath');
    }
    expect(r['MTB-PL1-BC-HI-4'].status).toBe('pass');
    expect(r['MTB-PL1-BC-CPI-5'].status).toBe('pass');
  });

  test('a privileged container fails the privileged controls, naming the Deployment', () => {
    const objects = customer();
    objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'auth')!.spec.template.spec.containers[0].securityContext.privileged = true;
    const r = evidenceOf(objects);
    for (const id of ['MTB-PL1-BC-CPI-5', 'CIS-5.2.2', 'NSA-CISA-POD-PRIVILEGE']) {
      expect(r[id].status).toBe('fail');
      expect(r[id].evidence).toEqual(['Namespace customer1', 'Deployment customer1/auth']);
      expect(r[id].reason).toContain('Deployment customer1/auth has privileged at spec.template.spec.containers[0].securityContext.privileged');
      expect(r[id].fix).toContain('change the pod spec of Deployment customer1/auth');
    }
    expect(r['MTB-PL1-BC-HI-1'].status).toBe('pass');
  });

  test('host namespaces are told apart: hostPID fails the PID controls, not the IPC or network ones', () => {
    const r = evidenceOf([...customer(), rawPod('pid', { ...HARDENED, hostPID: true, containers: [container()] })]);
    expect([r['MTB-PL1-BC-HI-4'].status, r['CIS-5.2.3'].status]).toEqual(['fail', 'fail']);
    expect([r['MTB-PL1-BC-HI-5'].status, r['MTB-PL1-BC-HI-3'].status, r['CIS-5.2.5'].status]).toEqual(['pass', 'pass', 'pass']);
  });

  test('a namespace in warn and audit mode only does not pass on its labels', () => {
    const objects = customer();
    const labels = objects.find(o => o.kind === 'Namespace')!.metadata.labels;
    delete labels['pod-security.kubernetes.io/enforce'];
    delete labels['pod-security.kubernetes.io/enforce-version'];
    const r = evidenceOf(objects);
    for (const id of POD_CONTROLS) expect([id, r[id].status]).toEqual([id, 'fail']);
    expect(r['MTB-PL1-BC-HI-1'].reason).toBe('Namespace customer1 only warns and audits at Pod Security level "restricted" '
      + '(no pod-security.kubernetes.io/enforce label): nothing rejects hostPath volumes');
    expect(r['MTB-PL1-BC-HI-1'].evidence).toEqual(['Namespace customer1']);
    expect(r['CIS-5.2.1'].status).toBe('fail');
  });

  test('monitor mode\'s enforce: privileged says that the audit label only reports', () => {
    const objects = customer();
    objects.find(o => o.kind === 'Namespace')!.metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged';
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-BC-CPI-5'].reason).toContain('admits privileged containers: "baseline" rejects them (its audit label at "restricted" only reports them)');
  });

  test('a version pinned before a check existed does not pass that control', () => {
    const objects = customer();
    objects.find(o => o.kind === 'Namespace')!.metadata.labels['pod-security.kubernetes.io/enforce-version'] = 'v1.18';
    const r = evidenceOf(objects);
    expect(r['CIS-5.7.2'].status).toBe('fail');
    expect(r['CIS-5.7.2'].reason).toContain('seccompProfile_restricted');
    expect(r['MTB-PL1-BC-HI-1'].status).toBe('pass');
  });

  test('a quota without ephemeral-storage fails MTB-PL1-CC-FNS-1 and names what is missing', () => {
    const objects = customer();
    const hard = objects.find(o => o.kind === 'ResourceQuota')!.spec.hard;
    delete hard['requests.ephemeral-storage'];
    delete hard['limits.ephemeral-storage'];
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-CC-FNS-1']).toEqual({
      status: 'fail',
      evidence: ['ResourceQuota customer1/namespace-quota'],
      reason: 'no ResourceQuota of customer1 limits ephemeral-storage',
      fix: expect.stringContaining('add requests.ephemeral-storage to spec.hard'),
    });
    expect(r['MTB-PL1-CC-FNS-2'].status).toBe('pass');
  });

  test('object counts: a quota without secrets and configmaps fails FNS-2 naming them and what it counts; count/<resource> keys count', () => {
    const objects = customer();
    const hard = objects.find(o => o.kind === 'ResourceQuota')!.spec.hard;
    delete hard.secrets;
    delete hard.configmaps;
    const r = evidenceOf(objects)['MTB-PL1-CC-FNS-2'];
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('no ResourceQuota of customer1 counts secrets and configmaps; ResourceQuota customer1/namespace-quota counts '
      + listText(COUNTED_OBJECTS.filter(k => k !== 'secrets' && k !== 'configmaps')));
    expect(r.fix).toContain('add secrets and configmaps to spec.hard');
    hard['count/secrets'] = '10';
    hard['count/configmaps'] = '10';
    expect(evidenceOf(objects)['MTB-PL1-CC-FNS-2'].status).toBe('pass');
  });

  test('object counts: the example tenant\'s quota counts every kind, and says which', () => {
    expect(evidenceOf(customer())['MTB-PL1-CC-FNS-2']).toEqual({
      status: 'pass',
      evidence: ['ResourceQuota customer1/namespace-quota'],
      reason: 'ResourceQuota customer1/namespace-quota counts pods, services, secrets, configmaps, persistentvolumeclaims, replicationcontrollers, '
        + 'resourcequotas, serviceaccounts, deployments.apps, replicasets.apps, statefulsets.apps, daemonsets.apps, jobs.batch, cronjobs.batch, '
        + 'horizontalpodautoscalers.autoscaling, poddisruptionbudgets.policy, ingresses.networking.k8s.io, roles.rbac.authorization.k8s.io '
        + 'and rolebindings.rbac.authorization.k8s.io',
    });
  });

  test('object counts: a quota that does not count Roles fails FNS-2 naming roles and the key to add', () => {
    const objects = customer();
    delete objects.find(o => o.kind === 'ResourceQuota')!.spec.hard['count/roles.rbac.authorization.k8s.io'];
    const r = evidenceOf(objects)['MTB-PL1-CC-FNS-2'];
    expect(r.status).toBe('fail');
    expect(r.evidence).toEqual(['ResourceQuota customer1/namespace-quota']);
    expect(r.reason).toMatch(/^no ResourceQuota of customer1 counts roles\.rbac\.authorization\.k8s\.io; ResourceQuota customer1\/namespace-quota counts pods, /);
    expect(r.reason).toContain('ingresses.networking.k8s.io and rolebindings.rbac.authorization.k8s.io');
    expect(r.fix).toBe('add count/roles.rbac.authorization.k8s.io to spec.hard of the namespace\'s ResourceQuota (the bundle\'s Quota sets them all)');
  });

  test.each(COUNTED_OBJECTS)('object counts: without %s FNS-2 fails naming it', kind => {
    const objects = customer();
    const hard = objects.find(o => o.kind === 'ResourceQuota')!.spec.hard;
    for (const key of countKeys(kind)) delete hard[key];
    const r = evidenceOf(objects)['MTB-PL1-CC-FNS-2'];
    expect(r.status).toBe('fail');
    expect(r.reason.startsWith(`no ResourceQuota of customer1 counts ${kind}; `)).toBe(true);
    expect(r.fix).toContain(`add ${countKeys(kind)[0]} to spec.hard`);
  });

  test('object counts: keys Kubernetes does not count by (a bare serviceaccounts, count/ without the group) do not count', () => {
    const objects = customer();
    const hard = objects.find(o => o.kind === 'ResourceQuota')!.spec.hard;
    hard.serviceaccounts = hard['count/serviceaccounts'];
    delete hard['count/serviceaccounts'];
    hard['count/deployments'] = hard['count/deployments.apps'];
    delete hard['count/deployments.apps'];
    expect(evidenceOf(objects)['MTB-PL1-CC-FNS-2'].reason).toMatch(/^no ResourceQuota of customer1 counts serviceaccounts and deployments\.apps; /);
  });

  test('object counts: two quotas together count every kind, and both are the evidence', () => {
    const objects = customer();
    const quota = objects.find(o => o.kind === 'ResourceQuota')!;
    const second = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'rbac-counts', namespace: 'customer1' },
      spec: {
        hard: {
          'count/roles.rbac.authorization.k8s.io': '5', 'count/rolebindings.rbac.authorization.k8s.io': '5',
        },
      },
    };
    delete quota.spec.hard['count/roles.rbac.authorization.k8s.io'];
    delete quota.spec.hard['count/rolebindings.rbac.authorization.k8s.io'];
    const r = evidenceOf([...objects, second])['MTB-PL1-CC-FNS-2'];
    expect(r.status).toBe('pass');
    expect(r.evidence).toEqual(['ResourceQuota customer1/namespace-quota', 'ResourceQuota customer1/rbac-counts']);
  });

  test('object counts: random removals of counted kinds (a key deleted, misspelt, or the quota scoped) never pass and name each kind', () => {
    fc.assert(fc.property(
      fc.subarray([...COUNTED_OBJECTS], { minLength: 1 }),
      fc.constantFrom('delete', 'misspell', 'scope'),
      (removed, how) => {
        const objects = customer();
        const quota = objects.find(o => o.kind === 'ResourceQuota')!;
        for (const kind of removed) {
          for (const key of countKeys(kind)) {
            if (quota.spec.hard[key] === undefined) continue;
            if (how === 'misspell') quota.spec.hard[`${key}s`] = quota.spec.hard[key];
            delete quota.spec.hard[key];
          }
        }
        // Scoping moves what is left into a quota that counts only some pods.
        if (how === 'scope') objects.push({ ...structuredClone(quota), metadata: { name: 'besteffort', namespace: 'customer1' }, spec: { hard: { ...quota.spec.hard, ...Object.fromEntries(removed.map(k => [countKeys(k)[0], '1'])) }, scopes: ['BestEffort'] } });
        const r = evidenceOf(objects)['MTB-PL1-CC-FNS-2'];
        expect(r.status).toBe('fail');
        const named = r.reason.slice(0, r.reason.indexOf(';') < 0 ? undefined : r.reason.indexOf(';'));
        for (const kind of removed) expect(named).toContain(kind);
      },
    ), { numRuns: 60 });
  });

  test('a scoped quota does not count', () => {
    const objects = customer();
    objects.find(o => o.kind === 'ResourceQuota')!.spec.scopes = ['BestEffort'];
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-CC-FNS-1'].status).toBe('fail');
    expect(r['MTB-PL1-CC-FNS-1'].reason).toContain('ResourceQuota customer1/namespace-quota and ResourceQuota customer1/namespace-guard-system-priority are scoped');
    expect(r['MTB-PL1-CC-FNS-2']).toMatchObject({
      status: 'fail',
      evidence: [],
      reason: expect.stringMatching(/^customer1 has no unscoped ResourceQuota \(ResourceQuota customer1\/namespace-quota and ResourceQuota customer1\/namespace-guard-system-priority are scoped, counting only some pods, and left out\), so nothing counts pods, services, /),
    });
  });

  test('a RoleBinding that lets a tenant group edit resourcequotas fails MTB-PL1-CC-TI-1 with the binding and its Role as evidence', () => {
    const objects = [...customer(),
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'quota-editor', namespace: 'customer1' },
        rules: [{ apiGroups: [''], resources: ['resourcequotas', 'pods'], verbs: ['get', 'update', 'patch'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'devs-quota', namespace: 'customer1' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'quota-editor' },
        subjects: [{ kind: 'Group', name: 'customer1-devs', apiGroup: 'rbac.authorization.k8s.io' }],
      }];
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-CC-TI-1']).toEqual({
      status: 'fail',
      evidence: ['RoleBinding customer1/devs-quota', 'Role customer1/quota-editor'],
      reason: 'RoleBinding customer1/devs-quota (Group/customer1-devs) gives update/patch on resourcequotas through Role customer1/quota-editor',
      fix: expect.stringContaining('bind tenants to roles without write access'),
    });
    expect(r['CIS-5.1.3'].status).toBe('pass');
  });

  test('a wildcard Role fails CIS-5.1.3 and, bound, the write controls too; unbound it still fails 5.1.3', () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'everything', namespace: 'customer1' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    };
    const unbound = evidenceOf([...customer(), role]);
    expect(unbound['CIS-5.1.3'].status).toBe('fail');
    expect(unbound['CIS-5.1.3'].evidence).toEqual(['Role customer1/everything']);
    expect(unbound['MTB-PL1-CC-TI-1'].status).toBe('pass');
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'ci', namespace: 'customer1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'everything' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'customer1' }],
    };
    const bound = evidenceOf([...customer(), role, binding]);
    for (const id of ['CIS-5.1.3', 'MTB-PL1-CC-TI-1', 'MTB-PL1-BC-CPI-2', 'CIS-5.1.8']) {
      expect([id, bound[id].status]).toEqual([id, 'fail']);
      expect(bound[id].evidence).toEqual(expect.arrayContaining(['RoleBinding customer1/ci', 'Role customer1/everything']));
    }
    expect(bound['MTB-PL1-CC-TI-1'].reason).toContain('(ServiceAccount/customer1/ci) gives create/update/patch/delete/deletecollection on resourcequotas');
  });

  test('Kubernetes\' edit ClusterRole (not in the input) writes NetworkPolicies and impersonates: CPI-2 and CIS-5.1.8 fail, TI-1 passes', () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'devs', namespace: 'customer1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'devs' }],
    };
    const r = evidenceOf([...customer(), binding]);
    expect(r['MTB-PL1-CC-TI-1'].status).toBe('pass');
    expect(r['MTB-PL1-BC-CPI-2'].reason).toContain('RoleBinding customer1/devs (Group/devs) gives create/update/patch/delete/deletecollection on networkpolicies through ClusterRole edit');
    // It may also impersonate the namespace's service accounts.
    expect(r['CIS-5.1.8'].reason).toBe('RoleBinding customer1/devs (Group/devs) gives the impersonate verb through ClusterRole edit');
  });

  test('a binding to a role the input does not hold cannot pass', () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'mystery', namespace: 'customer1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'custom-ops' },
      subjects: [{ kind: 'User', name: 'alice' }],
    };
    const r = evidenceOf([...customer(), binding]);
    expect(r['MTB-PL1-CC-TI-1'].status).toBe('fail');
    expect(r['MTB-PL1-CC-TI-1'].reason).toContain('names ClusterRole custom-ops, which neither the input nor Kubernetes\' defaults hold, so what it grants cannot be shown');
  });

  test('a ClusterRoleBinding of cluster-admin to a tenant group fails CIS-5.1.1 and MTB-PL1-CC-CPI-1; one to a platform group does not', () => {
    const crb = (group: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `admin-${group}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', name: group }],
    });
    const r = evidenceOf([...customer(), crb('customer1-admins'), crb('platform')]);
    for (const id of ['CIS-5.1.1', 'MTB-PL1-CC-CPI-1']) {
      expect([id, r[id].status]).toEqual([id, 'fail']);
      expect(r[id].evidence).toEqual(['ClusterRoleBinding admin-customer1-admins']);
    }
    expect(evidenceOf([...customer(), crb('platform')])['CIS-5.1.1'].status).toBe('pass');
  });

  test('without any binding the RBAC controls pass on what the input shows, with no evidence and a reason that says so', () => {
    const objects = customer().filter(o => o.kind !== 'RoleBinding');
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-CC-TI-1']).toEqual({
      status: 'pass',
      evidence: [],
      reason: 'no RoleBinding or ClusterRoleBinding in the input names a tenant of customer1, so nothing in the input gives one write access to ResourceQuotas',
    });
  });

  test('a missing default deny fails CIS-5.3.2 and the network separation control; an ingress-only deny names egress', () => {
    const without = customer().filter(o => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny'));
    const r = evidenceOf(without);
    expect(r['CIS-5.3.2'].status).toBe('fail');
    expect(r['CIS-5.3.2'].reason).toBe('no enforced NetworkPolicy of customer1 selects every pod and denies all ingress and egress');
    expect(r['NSA-CISA-NET-DEFAULT-DENY'].status).toBe('fail');
    const ingressOnly = [...without, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-in', namespace: 'customer1' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    }];
    expect(evidenceOf(ingressOnly)['CIS-5.3.2'].reason).toBe('no enforced NetworkPolicy of customer1 selects every pod and denies all egress');
  });

  test('automountServiceAccountToken left on fails the token controls, naming the workload', () => {
    const objects = customer();
    objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'backend')!.spec.template.spec.automountServiceAccountToken = true;
    const r = evidenceOf(objects);
    for (const id of ['CIS-5.1.6', 'NSA-CISA-POD-SA-TOKEN']) {
      expect(r[id].status).toBe('fail');
      expect(r[id].evidence).toEqual(['Deployment customer1/backend']);
      expect(r[id].reason).toContain('mounts an API token (spec.template.spec.automountServiceAccountToken: true) as service account "default"');
    }
  });

  test('a pod that does not refuse a token, under a service account that is not in the input, gets one', () => {
    const r = evidenceOf([...customer(), rawPod('worker', { serviceAccountName: 'worker', containers: [container()] })]);
    expect(r['CIS-5.1.6'].reason).toBe('Pod customer1/worker gets an API token: neither it nor service account "worker" (not in the input) sets automountServiceAccountToken: false');
  });

  test('a default ServiceAccount that mounts tokens fails CIS-5.1.5', () => {
    const objects = customer();
    delete objects.find(o => o.kind === 'ServiceAccount' && o.metadata.name === 'default')!.automountServiceAccountToken;
    const r = evidenceOf(objects);
    expect(r['CIS-5.1.5'].status).toBe('fail');
    expect(r['CIS-5.1.5'].reason).toBe('ServiceAccount customer1/default does not set automountServiceAccountToken: false');
    expect(evidenceOf(customer().filter(o => o.kind !== 'ServiceAccount'))['CIS-5.1.5'].reason).toContain('the input has no ServiceAccount customer1/default');
  });

  test('a NodePort Service fails the NodePort control', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'debug', namespace: 'customer1' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
    const r = evidenceOf([...customer(), svc]);
    expect(r['MTB-PL1-BC-HI-1-NodePort'].status).toBe('fail');
    expect(r['MTB-PL1-BC-HI-1-NodePort'].evidence).toEqual(['ResourceQuota customer1/namespace-quota', 'Service customer1/debug']);
  });

  test('a container with a writable root filesystem fails the immutable filesystem control; without workloads it does not apply', () => {
    const objects = customer();
    delete objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'auth')!.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem;
    expect(evidenceOf(objects)['NSA-CISA-POD-IMMUTABLE-FS']).toMatchObject({ status: 'fail', evidence: ['Deployment customer1/auth'] });
    expect(evidenceOf(customer().filter(o => o.kind !== 'Deployment'))['NSA-CISA-POD-IMMUTABLE-FS'].status).toBe('not-applicable');
  });
});

describe('namespaces covered', () => {
  test('without managed namespaces, every namespace but Kubernetes\' own', () => {
    const model = ClusterModel.fromObjects(['kube-system', 'kube-public', 'kube-node-lease', 'default', 'shop'].map(name =>
      ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
    expect(defaultNamespaces(model)).toEqual({ names: ['default', 'shop'], selection: 'all' });
  });

  test('the output is sorted by namespace and keeps catalogue order', () => {
    const result = collectEvidence(ClusterModel.fromObjects(MULTI_TENANT), ['customer2', 'customer1']);
    expect(result.map(r => r.namespace)).toEqual(['customer1', 'customer2']);
    expect(result[0].controls.map(c => c.control.id)).toEqual(CONTROLS.map(c => c.id));
  });
});

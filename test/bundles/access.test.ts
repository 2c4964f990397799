import { AccessLevel, Exposure, SecurityZone, Subject, TeamNamespace, TenantNamespace } from '../../src';
import { findObject, K8sObject, newChart, objectsOf, synthValid } from '../helpers';

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', '*'];
const GUARDED_RESOURCES = ['networkpolicies', 'resourcequotas', 'limitranges'];

/** A chart with every access level granted in every profile. */
function everyProfile(): K8sObject[] {
  const { chart } = newChart();
  const subjectsOf = (name: string) => ({
    admins: [Subject.group(`${name}-admins`)],
    editors: [Subject.user(`${name}-dev@example.com`), Subject.serviceAccount('deployer')],
    viewers: [Subject.serviceAccount('dashboard', 'monitoring')],
  });
  new TenantNamespace(chart, 'customer1', subjectsOf('customer1'));
  new TeamNamespace(chart, 'payments', subjectsOf('payments'));
  new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'], ...subjectsOf('web') });
  return synthValid(chart);
}

function rulesOf(objects: K8sObject[], namespace: string, level: AccessLevel): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  return findObject(objects, 'Role', namespace, `namespace-guard-${level}`).rules;
}

function grants(rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>, resource: string, verb: string): boolean {
  return rules.some(r => (r.resources.includes(resource) || r.resources.includes('*')) && (r.verbs.includes(verb) || r.verbs.includes('*')));
}

describe('RBAC', () => {
  test('only namespaced Roles and RoleBindings, one pair per granted level', () => {
    const objects = everyProfile();
    const rbac = objects.filter(o => o.apiVersion.startsWith('rbac.authorization.k8s.io/'));
    expect(new Set(rbac.map(o => o.kind))).toEqual(new Set(['Role', 'RoleBinding']));
    expect(objects.filter(o => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    for (const ns of ['customer1', 'payments', 'storefront', 'cart']) {
      expect(objectsOf(objects, 'Role', ns).map(r => r.metadata.name).sort())
        .toEqual(['namespace-guard-admin', 'namespace-guard-edit', 'namespace-guard-view']);
      expect(objectsOf(objects, 'RoleBinding', ns)).toHaveLength(3);
    }
  });

  test('every RoleBinding refers to the Role of its own namespace, never a ClusterRole', () => {
    const objects = everyProfile();
    for (const binding of objectsOf(objects, 'RoleBinding')) {
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: binding.metadata.name });
      expect(objects.some(o => o.kind === 'Role' && o.metadata.namespace === binding.metadata.namespace && o.metadata.name === binding.roleRef.name)).toBe(true);
    }
  });

  test('no level may write network policies, resource quotas or limit ranges', () => {
    const objects = everyProfile();
    for (const role of objectsOf(objects, 'Role')) {
      for (const resource of GUARDED_RESOURCES) {
        for (const verb of WRITE_VERBS) expect(grants(role.rules, resource, verb)).toBe(false);
      }
    }
  });

  test('no wildcard, no non-resource URL and no cluster-scoped resource is granted', () => {
    for (const role of objectsOf(everyProfile(), 'Role')) {
      for (const rule of role.rules) {
        expect(rule.apiGroups).not.toContain('*');
        expect(rule.resources).not.toContain('*');
        expect(rule.verbs).not.toContain('*');
        expect(rule).not.toHaveProperty('nonResourceURLs');
        for (const r of ['namespaces', 'nodes', 'clusterroles', 'clusterrolebindings', 'persistentvolumes']) expect(rule.resources).not.toContain(r);
      }
    }
  });

  test('view reads but never writes and never reads secrets; edit writes workloads and secrets; admin manages roles', () => {
    const objects = everyProfile();
    const view = rulesOf(objects, 'payments', AccessLevel.VIEW);
    const edit = rulesOf(objects, 'payments', AccessLevel.EDIT);
    const admin = rulesOf(objects, 'payments', AccessLevel.ADMIN);
    expect(grants(view, 'pods', 'list')).toBe(true);
    expect(grants(view, 'networkpolicies', 'get')).toBe(true);
    expect(grants(view, 'secrets', 'get')).toBe(false);
    expect(view.every(r => r.verbs.every(v => ['get', 'list', 'watch'].includes(v)))).toBe(true);
    expect(grants(edit, 'deployments', 'create')).toBe(true);
    expect(grants(edit, 'secrets', 'update')).toBe(true);
    expect(grants(edit, 'pods/exec', 'create')).toBe(true);
    expect(grants(edit, 'rolebindings', 'create')).toBe(false);
    expect(grants(edit, 'serviceaccounts', 'create')).toBe(false);
    expect(grants(admin, 'rolebindings', 'create')).toBe(true);
    expect(grants(admin, 'serviceaccounts', 'create')).toBe(true);
  });

  test('subjects render with the RBAC apiGroup, service accounts with their namespace', () => {
    const objects = everyProfile();
    expect(findObject(objects, 'RoleBinding', 'payments', 'namespace-guard-admin').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'payments-admins' },
    ]);
    expect(findObject(objects, 'RoleBinding', 'payments', 'namespace-guard-edit').subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'payments-dev@example.com' },
      { kind: 'ServiceAccount', name: 'deployer', namespace: 'payments' },
    ]);
    expect(findObject(objects, 'RoleBinding', 'cart', 'namespace-guard-view').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'dashboard', namespace: 'monitoring' },
    ]);
  });

  test('a subject listed twice under one level is bound once', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'payments', {
      editors: [Subject.group('devs'), Subject.group('devs'), Subject.serviceAccount('ci'), Subject.serviceAccount('ci', 'payments')],
    });
    const binding = findObject(synthValid(chart), 'RoleBinding', 'payments', 'namespace-guard-edit');
    expect(binding.subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'payments' },
    ]);
  });

  test('a user and a group of the same name are different subjects', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'payments', { admins: [Subject.user('ops')], viewers: [Subject.group('ops'), Subject.serviceAccount('ops', 'tools')] });
    const objects = synthValid(chart);
    expect(findObject(objects, 'RoleBinding', 'payments', 'namespace-guard-admin').subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'ops' },
    ]);
    expect(findObject(objects, 'RoleBinding', 'payments', 'namespace-guard-view').subjects).toHaveLength(2);
  });

  test('Subject exposes its kind, name and namespace', () => {
    expect(Subject.user('alice')).toMatchObject({ kind: 'User', name: 'alice', namespaceName: undefined });
    expect(Subject.group('devs')).toMatchObject({ kind: 'Group', name: 'devs' });
    expect(Subject.serviceAccount('ci', 'tools')).toMatchObject({ kind: 'ServiceAccount', name: 'ci', namespaceName: 'tools' });
  });
});

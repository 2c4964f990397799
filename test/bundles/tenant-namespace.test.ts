import { Testing } from 'cdk8s';
import { ClusterProfile, Peer, PodSecurityLevel, Port, Quota, RuleId, Subject, TenantNamespace } from '../../src';
import {
  errorOf, findObject, flowPolicyNames, namespaceLabels, namespaceOf, newChart, objectsOf, policyNames, policyOf, synthValid, valuesUnder,
} from '../helpers';

function platform() {
  const { app, chart } = newChart();
  const cluster = new ClusterProfile(chart, 'cluster', {
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
    monitoring: Peer.namespaceNamed('monitoring'),
  });
  return { app, chart, cluster };
}

describe('TenantNamespace', () => {
  test('the namespace and tenant name default to the construct id', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1');
    expect(tenant.tenantName).toBe('customer1');
    expect(tenant.namespaceName).toBe('customer1');
    const labels = namespaceLabels(synthValid(chart), 'customer1');
    expect(labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard',
      'namespace-guard.dev/profile': 'tenant',
      'namespace-guard.dev/tenant': 'customer1',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
    });
    expect(labels).not.toHaveProperty('namespace-guard.dev/team');
    expect(labels).not.toHaveProperty('namespace-guard.dev/zone');
  });

  test('tenantName and namespaceName can differ', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'c1', { tenantName: 'Acme_Corp', namespaceName: 'acme-prod' });
    const objects = synthValid(chart);
    expect(namespaceLabels(objects, 'acme-prod')['namespace-guard.dev/tenant']).toBe('Acme_Corp');
    expect(objectsOf(objects, 'Namespace')).toHaveLength(1);
  });

  test('always enforces restricted, even when asked for less', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1', { podSecurity: PodSecurityLevel.PRIVILEGED } as any);
    expect(tenant.podSecurity).toBe(PodSecurityLevel.RESTRICTED);
    expect(namespaceLabels(synthValid(chart), 'customer1')['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('is default-deny both ways with DNS and same-namespace traffic only', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    const objects = synthValid(chart);
    expect(policyNames(objects, 'customer1')).toEqual(['allow-dns', 'allow-same-namespace', 'default-deny']);
    expect(policyOf(objects, 'customer1', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('quota, limits, RBAC and the default ServiceAccount come with it', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { quota: Quota.small(), admins: [Subject.group('customer1-admins')] });
    const objects = synthValid(chart);
    expect(findObject(objects, 'ResourceQuota', 'customer1', 'namespace-quota').spec.hard.pods).toBe('20');
    expect(findObject(objects, 'LimitRange', 'customer1', 'container-limits').spec.limits[0].max.cpu).toBe('4');
    expect(findObject(objects, 'RoleBinding', 'customer1', 'namespace-guard-admin').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'customer1-admins' },
    ]);
    expect(findObject(objects, 'ServiceAccount', 'customer1', 'default').automountServiceAccountToken).toBe(false);
  });

  test('reaches only the shared services it declares, written on its side only', () => {
    const { chart, cluster } = platform();
    const tenant = new TenantNamespace(chart, 'customer1', { cluster });
    tenant.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
    tenant.connections.allowFrom(cluster.monitoring, Port.named('metrics'));
    tenant.connections.allowTo(Peer.pods('shared', { app: 'billing-api' }), Port.tcp(443));
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'customer1')).toEqual(['allow-from-ingress-nginx', 'allow-from-monitoring', 'allow-to-shared-billing-api']);
    expect(policyOf(objects, 'customer1', 'allow-from-ingress-nginx').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    });
    // Only the tenant's namespace is managed here.
    expect(objectsOf(objects, 'NetworkPolicy').every(p => p.metadata.namespace === 'customer1')).toBe(true);
  });

  test('adding a customer is one more construct, and customers stay isolated from each other', () => {
    const { app, chart, cluster } = platform();
    const customers = ['customer1', 'customer2', 'customer3'];
    for (const customer of customers) {
      const tenant = new TenantNamespace(chart, customer, { cluster, admins: [Subject.group(`${customer}-admins`)] });
      tenant.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
    }
    expect(app.charts).toHaveLength(1);
    const objects = synthValid(chart);
    expect(objectsOf(objects, 'Namespace').map(n => n.metadata.name)).toEqual(customers);
    for (const customer of customers) {
      const own = objects.filter(o => o.metadata.namespace === customer);
      const namesSelected = valuesUnder(own, 'kubernetes.io/metadata.name');
      for (const other of customers.filter(c => c !== customer)) expect(namesSelected).not.toContain(other);
      expect(flowPolicyNames(objects, customer)).toEqual(['allow-from-ingress-nginx']);
    }
  });

  test('a flow between two tenants fails synthesis until both acknowledge it, naming each other', () => {
    const { chart } = newChart();
    const one = new TenantNamespace(chart, 'customer1');
    const two = new TenantNamespace(chart, 'customer2');
    one.pods({ app: 'billing' }).connections.allowTo(two.pods({ app: 'invoices' }), Port.tcp(8080));
    const both = errorOf(() => Testing.synth(chart));
    expect(both).toContain('[test/customer1] cross-tenant-flow:');
    expect(both).toContain('[test/customer2] cross-tenant-flow:');

    one.acknowledge(RuleId.CROSS_TENANT_FLOW, 'billing reads invoices from customer2 by contract', { appliesTo: ['customer2'] });
    const oneSide = errorOf(() => Testing.synth(chart));
    expect(oneSide).not.toContain('[test/customer1]');
    expect(oneSide).toContain('[test/customer2] cross-tenant-flow: tenant namespace "customer2" admits traffic from tenant namespace "customer1"');

    two.acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer2 shares invoices with customer1 by contract', { appliesTo: ['customer1'] });
    const objects = synthValid(chart);
    expect(namespaceOf(objects, 'customer1').metadata.annotations).toEqual({
      'namespace-guard.dev/acknowledged': 'cross-tenant-flow[customer2]: billing reads invoices from customer2 by contract',
    });
    expect(flowPolicyNames(objects, 'customer2')).toEqual(['allow-from-customer1-billing-to-invoices']);
  });

  test('an acknowledgement for one tenant does not accept a new flow to another', () => {
    const { chart } = newChart();
    const a = new TenantNamespace(chart, 'customer1');
    const b = new TenantNamespace(chart, 'customer2');
    const c = new TenantNamespace(chart, 'customer3');
    a.connections.allowTo(b, Port.tcp(8080));
    a.acknowledge(RuleId.CROSS_TENANT_FLOW, 'billing reads invoices from customer2 by contract', { appliesTo: ['customer2'] });
    b.acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer2 serves customer1 by contract', { appliesTo: ['customer1'] });
    expect(synthValid(chart).length).toBeGreaterThan(0);

    // The attack: a new flow from customer1 to customer3 hides behind the old acknowledgement.
    a.connections.allowTo(c, Port.tcp(8080));
    const errors = errorOf(() => Testing.synth(chart));
    expect(errors).toContain('[test/customer1] cross-tenant-flow: tenant namespace "customer1" sends traffic to tenant namespace "customer3"');
    expect(errors).toContain('[test/customer3] cross-tenant-flow: tenant namespace "customer3" admits traffic from tenant namespace "customer1"');
    expect(errors).not.toContain('tenant namespace "customer2"');
    expect(a.findings.map(f => [f.target, f.acknowledgedReason])).toEqual([
      ['customer2', 'billing reads invoices from customer2 by contract'],
      ['customer3', undefined],
    ]);
  });

  test('a flow inside one tenant is not a cross-tenant flow', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1', { allowSameNamespace: false });
    tenant.pods({ app: 'web' }).connections.allowTo(tenant.pods({ app: 'db' }), Port.tcp(5432));
    expect(tenant.findings.filter(f => f.ruleId === RuleId.CROSS_TENANT_FLOW)).toEqual([]);
    expect(flowPolicyNames(synthValid(chart), 'customer1')).toEqual(['allow-from-customer1-web-to-db', 'allow-to-customer1-db-from-web']);
  });
});

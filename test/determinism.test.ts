import { App, Chart, Testing } from 'cdk8s';
import * as yaml from 'yaml';
import {
  ClusterDns, ClusterProfile, Exposure, Peer, PodSecurityLevel, Port, Quota, RuleId, SecurityZone, Subject, TeamNamespace, TenantNamespace,
} from '../src';
import { expectValidManifests } from './schema';

/** A platform with every profile and flow kind, built from scratch each time. */
function buildPlatform(options: { reversePorts?: boolean } = {}): App {
  const app = Testing.app();
  const chart = new Chart(app, 'platform');
  const cluster = new ClusterProfile(chart, 'cluster', {
    dns: ClusterDns.kubeDnsAndNodeLocal('169.254.20.10'),
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
    monitoring: Peer.namespaceNamed('monitoring'),
    apiServer: Peer.ipv4('10.0.0.1/32'),
  });
  const ports = [Port.tcp(8443), Port.tcp(8080), Port.named('metrics'), Port.udpRange(30000, 30010)];
  const ordered = options.reversePorts ? [...ports].reverse() : ports;

  const customers = ['customer1', 'customer2', 'customer3'].map(name => {
    const tenant = new TenantNamespace(chart, name, { cluster, quota: Quota.small(), admins: [Subject.group(`${name}-admins`)] });
    tenant.connections.allowFrom(cluster.ingressController, ...ordered);
    tenant.connections.allowFrom(cluster.monitoring, Port.named('metrics'));
    return tenant;
  });
  customers[0].connections.allowTo(customers[1].pods({ app: 'api' }), Port.tcp(8080));
  customers[0].acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer1 resells customer2 services', { appliesTo: ['customer2'] });
  customers[1].acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer2 is served to customer1', { appliesTo: ['customer1'] });

  const checkout = new TeamNamespace(chart, 'checkout', { cluster, editors: [Subject.group('checkout-devs')] });
  const payments = new TeamNamespace(chart, 'payments', { cluster, podSecurity: PodSecurityLevel.BASELINE, viewers: [Subject.serviceAccount('dash', 'monitoring')] });
  checkout.pods({ app: 'web' }).connections.allowTo(payments.pods({ app: 'api' }), ...ordered);
  // The UDP range between teams is a team-flow-ports finding: accepted, so its annotation is part of the output.
  checkout.acknowledge(RuleId.TEAM_FLOW_PORTS, 'the media relay uses a UDP port range', { appliesTo: ['payments'] });
  payments.acknowledge(RuleId.TEAM_FLOW_PORTS, 'the media relay uses a UDP port range', { appliesTo: ['checkout'] });

  const web = new SecurityZone(chart, 'web', { cluster, exposure: Exposure.INTERNET, namespaces: ['storefront', 'cart'], internetPorts: ordered });
  const data = new SecurityZone(chart, 'data', { cluster, exposure: Exposure.RESTRICTED, namespaces: ['orders-db', 'customers-db'] });
  const ops = new SecurityZone(chart, 'ops', { cluster, exposure: Exposure.OPERATIONS, namespaces: ['observability'], operationsPorts: [Port.named('metrics')] });
  web.connections.allowTo(data, Port.tcp(5432));
  data.connections.allowFrom(ops, Port.named('metrics'));
  return app;
}

function objectsOf(text: string): any[] {
  return yaml.parseAllDocuments(text).map(d => d.toJSON()).filter(o => o !== null);
}

describe('determinism', () => {
  test('two fresh apps give byte-identical YAML', () => {
    const first = buildPlatform().synthYaml();
    const second = buildPlatform().synthYaml();
    expect(second).toBe(first);
    expectValidManifests(objectsOf(first));
  });

  test('synthesizing one app twice gives the same YAML', () => {
    const app = buildPlatform();
    const first = app.synthYaml();
    expect(app.synthYaml()).toBe(first);
    expectValidManifests(objectsOf(first));
  });

  test('the order in which ports are declared does not change the output', () => {
    const forward = buildPlatform().synthYaml();
    const reversed = buildPlatform({ reversePorts: true }).synthYaml();
    expect(reversed).toBe(forward);
    expectValidManifests(objectsOf(forward));
  });

  test('objects come out bundle by bundle, in creation order, with a fixed order inside each bundle', () => {
    const objects = objectsOf(buildPlatform().synthYaml());
    expectValidManifests(objects);
    const namespaces = objects.filter(o => o.kind === 'Namespace').map(o => o.metadata.name);
    expect(namespaces).toEqual(['customer1', 'customer2', 'customer3', 'checkout', 'payments', 'storefront', 'cart', 'orders-db', 'customers-db', 'observability']);
    // Each bundle's objects are contiguous and start with its Namespace.
    let current = '';
    const seen = new Set<string>();
    for (const o of objects) {
      const ns = o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace;
      if (ns !== current) {
        expect(o.kind).toBe('Namespace');
        expect(seen.has(ns)).toBe(false);
        seen.add(ns);
        current = ns;
      }
    }
    const customer1 = objects.filter(o => (o.metadata.namespace ?? o.metadata.name) === 'customer1').map(o => `${o.kind}/${o.metadata.name}`);
    expect(customer1).toEqual([
      'Namespace/customer1',
      'ServiceAccount/default',
      'ResourceQuota/namespace-quota',
      'ResourceQuota/namespace-guard-system-priority',
      'LimitRange/container-limits',
      'Role/namespace-guard-admin',
      'RoleBinding/namespace-guard-admin',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/allow-same-namespace',
      'NetworkPolicy/allow-from-ingress-nginx',
      'NetworkPolicy/allow-from-monitoring',
      'NetworkPolicy/allow-to-customer2-api',
    ]);
  });

  test('the whole platform stays in its one chart', () => {
    const app = buildPlatform();
    expect(app.charts).toHaveLength(1);
    const objects = Testing.synth(app.charts[0]);
    expectValidManifests(objects);
    expect(objects).toEqual(objectsOf(app.synthYaml()));
  });
});

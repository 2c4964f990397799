// tenant-data-access: a flow into a tenant from a team, or from a zone that does not face the
// internet, fails until the tenant acknowledges it naming the other namespace; read from both sides
// of the flow, at synthesis and on any YAML.
import { Chart, Testing } from 'cdk8s';
import { restrictedDeployment } from '../../examples/workloads';
import {
  ClusterDns, ClusterProfile, Enforcement, Exposure, Findings, FindingSeverity, Peer, Port, RuleId, SecurityZone, TeamNamespace, TenantNamespace,
} from '../../src';
import { ClusterModel } from '../../src/model/cluster-model';
import { parseManifests } from '../../src/model/manifests';
import { evaluateRules, RuleFinding } from '../../src/rules/evaluate';
import { errorOf, manifestErrorOf, namespaceOf, newChart, synthValid } from '../helpers';
import { analyticsReadsDatabase, SCENARIOS } from './scenarios';

/** The synth error lines, without cdk8s's heading and the guard's path prefix. */
function synthErrors(chart: Chart): string[] {
  return errorOf(() => Testing.synth(chart)).split('\n').slice(1).map(l => l.trim().replace(/^\[namespace-guard\] /, ''));
}

/** The tenant-data-access findings of the app, as `path target severity acknowledged`. */
function tenantDataAccess(chart: Chart): string[] {
  Findings.silence(chart);
  return Findings.of(chart).filter(f => f.ruleId === RuleId.TENANT_DATA_ACCESS)
    .map(f => `${f.path} ${f.objectKind}/${f.objectName} [${f.target}] ${f.severity}${f.acknowledgedReason ? ' (acknowledged)' : ''}`);
}

const ANALYTICS_FIX = 'remove the flow, or acknowledge tenant-data-access for "analytics" on tenant "customer1" with the reason it may reach the tenant\'s pods';

describe('tenant-data-access at synthesis', () => {
  test('a team reading a tenant\'s database fails synthesis, naming the tenant\'s construct, the team\'s namespace and the fix', () => {
    const { chart } = newChart();
    SCENARIOS['tenant-data-access: a team reads a tenant\'s database'](chart);
    expect(synthErrors(chart)).toEqual([
      '[test/customer1] tenant-data-access: tenant namespace "customer1" admits traffic from team namespace "analytics" '
      + `(policy allow-from-analytics-to-database). Fix: ${ANALYTICS_FIX}`,
    ]);
  });

  test('one-sided, only the team\'s egress written: reported against the tenant, whose Namespace holds the acknowledgement', () => {
    const { chart } = newChart();
    SCENARIOS['tenant-data-access: one-sided, only the team\'s egress through Peer.pods'](chart);
    expect(synthErrors(chart)).toContain('[test/customer1] tenant-data-access: team namespace "analytics" sends traffic to tenant namespace "customer1" '
      + `(policy analytics/allow-to-customer1-database). Fix: ${ANALYTICS_FIX}`);
    expect(tenantDataAccess(chart)).toEqual(['test/customer1 Namespace/customer1 [analytics] error']);
  });

  test('acknowledged on the tenant naming analytics, it passes, written into the tenant\'s Namespace and still listed', () => {
    const { chart } = newChart();
    SCENARIOS['tenant-data-access: acknowledged on the tenant, naming the team'](chart);
    Findings.silence(chart);
    const objects = synthValid(chart);
    expect(namespaceOf(objects, 'customer1').metadata.annotations).toEqual({
      'namespace-guard.dev/acknowledged': 'tenant-data-access[analytics]: analytics reads usage data under the DPA of 2025-03',
    });
    expect(tenantDataAccess(chart)).toEqual(['test/customer1 NetworkPolicy/allow-from-analytics-to-database [analytics] error (acknowledged)']);
  });

  test('a blanket acknowledgement is refused when it is made, naming the construct and the fix', () => {
    const { chart } = newChart();
    const { tenant } = analyticsReadsDatabase(chart);
    const message = errorOf(() => tenant.acknowledge(RuleId.TENANT_DATA_ACCESS, 'analytics may read every tenant'));
    expect(message).toContain('[test/customer1] acknowledge("tenant-data-access") must name the team\'s or zone\'s namespace: '
      + 'a blanket acknowledgement would also accept every future flow');
  });

  test('an acknowledgement for another namespace, or one made on the team, does not accept the flow', () => {
    const other = newChart();
    analyticsReadsDatabase(other.chart).tenant.acknowledge(RuleId.TENANT_DATA_ACCESS, 'billing reconciles invoices nightly', { appliesTo: ['billing'] });
    expect(tenantDataAccess(other.chart)).toEqual(['test/customer1 NetworkPolicy/allow-from-analytics-to-database [analytics] error']);

    const onTeam = newChart();
    analyticsReadsDatabase(onTeam.chart).analytics.acknowledge(RuleId.TENANT_DATA_ACCESS, 'analytics reads usage data by contract', { appliesTo: ['customer1'] });
    expect(synthErrors(onTeam.chart)).toEqual([expect.stringMatching(/^\[test\/customer1\] tenant-data-access: tenant namespace "customer1" admits traffic from team namespace "analytics"/)]);
  });

  test('a restricted zone admitted by the tenant is reported; an internet-facing zone\'s flow is not', () => {
    const restricted = newChart();
    SCENARIOS['tenant-data-access: a restricted zone admitted by the tenant through Peer.namespaceNamed'](restricted.chart);
    expect(tenantDataAccess(restricted.chart)).toEqual(['test/customer1 NetworkPolicy/allow-from-orders-db [orders-db] error']);
    expect(Findings.of(restricted.chart).find(f => f.ruleId === RuleId.TENANT_DATA_ACCESS)!.message)
      .toBe('tenant namespace "customer1" admits traffic from namespace "orders-db" of restricted zone "data" (policy allow-from-orders-db)');

    const internet = newChart();
    const web = new SecurityZone(internet.chart, 'web', { exposure: Exposure.INTERNET, namespaces: ['storefront'], internetPorts: [Port.tcp(8443)] });
    web.connections.allowTo(new TenantNamespace(internet.chart, 'customer1'), Port.tcp(8080));
    expect(synthValid(internet.chart).length).toBeGreaterThan(0);
    expect(tenantDataAccess(internet.chart)).toEqual([]);
  });

  test('an internal zone\'s flow declared with the zone\'s connections is reported on the tenant\'s policy only (one finding per flow)', () => {
    const { chart } = newChart();
    const support = new SecurityZone(chart, 'support', { exposure: Exposure.INTERNAL, namespaces: ['helpdesk'] });
    support.connections.allowTo(new TenantNamespace(chart, 'customer1'), Port.tcp(8080));
    expect(tenantDataAccess(chart)).toEqual(['test/customer1 NetworkPolicy/allow-from-zone-support [helpdesk] error']);
  });

  test('the ClusterProfile\'s ingress controller, monitoring (on its named ports) and DNS flows are not reported', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', {
      dns: ClusterDns.kubeDns({ namespaceName: 'coredns' }),
      ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
      monitoring: Peer.namespaceNamed('observability'),
    });
    // The monitoring runs in an operations zone, which reaches every pod on its metrics port; the DNS in an internal zone.
    new SecurityZone(chart, 'ops', { cluster, exposure: Exposure.OPERATIONS, namespaces: ['observability'], operationsPorts: [Port.named('metrics')] });
    new SecurityZone(chart, 'platform', { cluster, exposure: Exposure.INTERNAL, namespaces: ['coredns'] });
    new SecurityZone(chart, 'edge', { cluster, exposure: Exposure.INTERNET, namespaces: ['edge-proxy'], internetPorts: [Port.tcp(443)] });
    const tenant = new TenantNamespace(chart, 'customer1', { cluster });
    const web = restrictedDeployment(chart, 'customer1', { app: 'web', image: 'registry.example.com/web:1.0.0', ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }] });
    tenant.podsOf(web).connections.allowFrom(cluster.ingressController, Port.tcp(8080));
    tenant.podsOf(web).connections.allowFrom(Peer.pods('edge-proxy', { app: 'envoy' }), Port.tcp(8080));
    tenant.connections.allowFrom(cluster.monitoring, ...cluster.monitoringPorts);
    expect(tenantDataAccess(chart)).toEqual([]);
    // The same monitoring on a numbered port could be any service (the database's): reported.
    tenant.connections.allowFrom(cluster.monitoring, Port.tcp(5432));
    expect(tenantDataAccess(chart)).toEqual(['test/customer1 NetworkPolicy/allow-from-observability [observability] error']);
  });

  test('a team is reported even as the declared monitoring: the exemption is a zone\'s', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { monitoring: Peer.namespaceNamed('observability') });
    new TeamNamespace(chart, 'observability', { cluster });
    new TenantNamespace(chart, 'customer1', { cluster }).connections.allowFrom(cluster.monitoring, ...cluster.monitoringPorts);
    expect(tenantDataAccess(chart)).toEqual(['test/customer1 NetworkPolicy/allow-from-observability [observability] error']);
  });

  test('a team\'s egress to every pod is not a flow into an isolated tenant; the tenant\'s own rules decide', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    new TeamNamespace(chart, 'scanner').connections.allowTo(Peer.allPods(), Port.tcp(443));
    expect(tenantDataAccess(chart)).toEqual([]);
  });

  test('in monitor mode the finding is a warning, as for the other flow rules', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1', { enforcement: Enforcement.MONITOR });
    tenant.acknowledge(RuleId.MONITORED_TENANT, 'rolling out; enforced from 2027-01-15');
    tenant.connections.allowFrom(new TeamNamespace(chart, 'analytics'), Port.tcp(5432));
    expect(tenantDataAccess(chart)).toEqual([`test/customer1 NetworkPolicy/allow-from-analytics [analytics] ${FindingSeverity.WARNING}`]);
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });

  test('a flow between two tenants is cross-tenant-flow\'s alone', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1').connections.allowTo(new TenantNamespace(chart, 'customer2'), Port.tcp(8080));
    Findings.silence(chart);
    expect([...new Set(Findings.of(chart).map(f => f.ruleId))]).toEqual([RuleId.CROSS_TENANT_FLOW]);
  });
});

// ---------------------------------------------------------------------------------------------
// Any YAML

function findingsOf(yaml: string): RuleFinding[] {
  return evaluateRules(ClusterModel.fromManifests(parseManifests(yaml, 'input.yaml'))).filter(f => f.rule.id === RuleId.TENANT_DATA_ACCESS);
}

const summary = (findings: RuleFinding[]) => findings.map(f => `${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} [${f.target}]${f.acknowledgement ? ' (acknowledged)' : ''}`);

function namespace(name: string, labels: Record<string, string>, acknowledged?: string): string {
  const annotations = acknowledged === undefined ? {} : { 'namespace-guard.dev/acknowledged': acknowledged };
  return `---\napiVersion: v1\nkind: Namespace\nmetadata: ${JSON.stringify({ name, labels, annotations })}\n`;
}

const tenant = (name: string, acknowledged?: string) => namespace(name, { 'namespace-guard.dev/profile': 'tenant' }, acknowledged);
const team = (name: string) => namespace(name, { 'namespace-guard.dev/profile': 'team' });

function policy(ns: string, name: string, spec: Record<string, unknown>): string {
  return `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: ${JSON.stringify(spec)}\n`;
}

const DEFAULT_DENY = (ns: string) => policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
/** Only the team's side: egress from its reporter to customer1's database on 5432. */
const READ_DATABASE = policy('analytics', 'read-customer1', {
  podSelector: { matchLabels: { app: 'reporter' } },
  policyTypes: ['Egress'],
  egress: [{
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer1' } }, podSelector: { matchLabels: { app: 'database' } } }],
    ports: [{ protocol: 'TCP', port: 5432 }],
  }],
});

describe('tenant-data-access on any YAML', () => {
  test('the one-sided form (only the team\'s egress written) is found, on the tenant\'s Namespace, which holds its acknowledgement', () => {
    const findings = findingsOf(tenant('customer1') + DEFAULT_DENY('customer1') + team('analytics') + READ_DATABASE);
    expect(summary(findings)).toEqual(['Namespace /customer1 [analytics]']);
    expect(findings[0].namespace).toBe('customer1');
    expect(findings[0].message).toBe('team namespace "analytics" sends traffic to tenant namespace "customer1" (policy analytics/read-customer1)');
    expect(findings[0].fix).toBe(ANALYTICS_FIX);
    const acknowledged = findingsOf(tenant('customer1', 'tenant-data-access[analytics]: the reporter reads usage data by contract')
      + DEFAULT_DENY('customer1') + team('analytics') + READ_DATABASE);
    expect(summary(acknowledged)).toEqual(['Namespace /customer1 [analytics] (acknowledged)']);
  });

  test('the tenant\'s ingress rules count by name, by label and for every namespace; the team\'s matching egress adds nothing', () => {
    const admit = (from: unknown[]) => policy('customer1', 'admit', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from, ports: [{ port: 5432 }] }] });
    const base = tenant('customer1') + DEFAULT_DENY('customer1') + team('analytics') + READ_DATABASE;
    expect(summary(findingsOf(base + admit([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'analytics' } } }]))))
      .toEqual(['NetworkPolicy customer1/admit [analytics]']);
    expect(summary(findingsOf(base + admit([{ namespaceSelector: { matchLabels: { 'namespace-guard.dev/profile': 'team' } } }]))))
      .toEqual(['NetworkPolicy customer1/admit [analytics]']);
    expect(summary(findingsOf(base + admit([{ namespaceSelector: {} }])))).toEqual(['NetworkPolicy customer1/admit [analytics]']);
  });

  test('an egress rule to every namespace reaches a tenant that does not isolate all its pods for ingress', () => {
    const everywhere = policy('analytics', 'scan', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] });
    expect(findingsOf(tenant('customer1') + DEFAULT_DENY('customer1') + team('analytics') + everywhere)).toEqual([]);
    const partial = policy('customer1', 'deny-db', { podSelector: { matchLabels: { app: 'database' } }, policyTypes: ['Ingress'] });
    const open = findingsOf(tenant('customer1') + partial + team('analytics') + everywhere);
    expect(summary(open)).toEqual(['Namespace /customer1 [analytics]']);
    expect(open[0].message).toBe('team namespace "analytics" sends traffic to tenant namespace "customer1" (policy analytics/scan), '
      + 'and not every pod of "customer1" is isolated for ingress, so nothing stops it there');
  });

  test('unmanaged namespaces and internet-facing zones are not this rule\'s; a blanket acknowledgement is bad input', () => {
    const unmanaged = '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: analytics}\n';
    expect(findingsOf(tenant('customer1') + team('other') + unmanaged + READ_DATABASE)).toEqual([]);
    const internetZone = namespace('analytics', { 'namespace-guard.dev/profile': 'zone', 'namespace-guard.dev/zone': 'web', 'namespace-guard.dev/exposure': 'internet' });
    expect(findingsOf(tenant('customer1') + internetZone + READ_DATABASE)).toEqual([]);
    const internalZone = namespace('analytics', { 'namespace-guard.dev/profile': 'zone', 'namespace-guard.dev/zone': 'bi', 'namespace-guard.dev/exposure': 'internal' });
    expect(findingsOf(tenant('customer1') + DEFAULT_DENY('customer1') + internalZone + READ_DATABASE)[0].message)
      .toBe('namespace "analytics" of internal zone "bi" sends traffic to tenant namespace "customer1" (policy analytics/read-customer1)');
    const error = manifestErrorOf(() => findingsOf(tenant('customer1', 'tenant-data-access: everyone may read customer1') + team('analytics') + READ_DATABASE));
    expect(error.message).toBe('input.yaml document 1: Namespace customer1: acknowledges "tenant-data-access" without naming the team\'s or zone\'s namespace: '
      + 'a blanket acknowledgement would also accept every future one; name each target');
  });

  test('monitor mode\'s allow-all is not a flow; a monitoring-annotated rule is exempt on named ports only', () => {
    const allowAll = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: monitor-allow-all, namespace: customer1, annotations: {namespace-guard.dev/monitor-only: "true"}}\n'
      + 'spec: {podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{}], egress: [{}]}\n';
    expect(findingsOf(tenant('customer1') + DEFAULT_DENY('customer1') + allowAll + team('analytics'))).toEqual([]);
    const ops = namespace('observability', { 'namespace-guard.dev/profile': 'zone', 'namespace-guard.dev/zone': 'ops', 'namespace-guard.dev/exposure': 'operations' });
    const scrape = (ports: unknown[]) => '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n'
      + 'metadata: {name: allow-from-observability, namespace: customer1, annotations: {namespace-guard.dev/flow: monitoring}}\n'
      + `spec: ${JSON.stringify({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports }] })}\n`;
    expect(findingsOf(tenant('customer1') + DEFAULT_DENY('customer1') + ops + scrape([{ port: 'metrics' }]))).toEqual([]);
    expect(summary(findingsOf(tenant('customer1') + DEFAULT_DENY('customer1') + ops + scrape([{ port: 'metrics' }, { port: 5432 }]))))
      .toEqual(['NetworkPolicy customer1/allow-from-observability [observability]']);
  });
});

// MTB-PL1-BC-NI-1 (default deny network connections across tenants) for a tenant's namespace: derived
// from the reachability of the whole input, attacked with the flows a hostile tenant or team would add.
import { App, Chart, Testing } from 'cdk8s';
import { CUSTOMERS, multiTenantChart } from '../../../examples/multi-tenant';
import { restrictedDeployment } from '../../../examples/workloads';
import { Port, RuleId, TeamNamespace, TenantNamespace } from '../../../src';
import { collectEvidence, ControlResult } from '../../../src/analysis/evidence';
import { ClusterModel } from '../../../src/model/cluster-model';

type Obj = Record<string, any>;

const ID = 'MTB-PL1-BC-NI-1';

function synth(build: (app: App) => unknown): Obj[] {
  const app = Testing.app();
  build(app);
  return app.charts.flatMap(c => Testing.synth(c));
}

function isolationOf(objects: Obj[], namespace = 'customer1'): ControlResult {
  const [result] = collectEvidence(ClusterModel.fromObjects(objects), [namespace]);
  return result.controls.find(c => c.control.id === ID)!.result;
}

const MULTI_TENANT = synth(multiTenantChart);

/**
 * The multi-tenant example plus an analytics team whose reporter reads customer1's database on 5432,
 * declared with the bundles (both sides written) and acknowledged on customer1, so that it synthesizes.
 */
const WITH_ANALYTICS = synth(app => {
  const chart = multiTenantChart(app);
  const analytics = new TeamNamespace(chart, 'analytics');
  restrictedDeployment(chart, 'analytics', { app: 'reporter', image: 'registry.example.com/analytics/reporter:1.0.0' });
  const customer1 = chart.node.findChild('customer1') as TenantNamespace;
  const database = chart.node.findChild('customer1-database');
  customer1.podsOf(database).connections.allowFrom(analytics, Port.tcp(5432));
  customer1.acknowledge(RuleId.TENANT_DATA_ACCESS, 'analytics reads usage data under the DPA of 2025-03', { appliesTo: ['analytics'] });
});

/** The objects with customer1's acknowledgement annotation set to `text`, or removed. */
function acknowledging(objects: Obj[], text?: string): Obj[] {
  const copy = structuredClone(objects);
  const namespace = copy.find(o => o.kind === 'Namespace' && o.metadata.name === 'customer1')!;
  namespace.metadata.annotations = text === undefined ? {} : { 'namespace-guard.dev/acknowledged': text };
  return copy;
}

const policy = (namespace: string, name: string, spec: Obj): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const ALLOW_ALL = (namespace: string) => policy(namespace, 'allow-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
const namespace = (name: string, labels: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const pod = (ns: string, name: string, labels: Obj = { app: name }, ports: Obj[] = []): Obj => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'app', image: 'app:1', ports }] },
});

describe('MTB-PL1-BC-NI-1 for a tenant', () => {
  test.each(CUSTOMERS)('the multi-tenant example: %s and the other customer reach nothing of each other', name => {
    const other = CUSTOMERS.find(c => c !== name)!;
    const r = isolationOf(MULTI_TENANT, name);
    expect(r.status).toBe('pass');
    expect(r.fix).toBeUndefined();
    expect(r.evidence).toContain(`NetworkPolicy ${name}/default-deny`);
    expect(r.reason).toBe(`no pod of ${other} can connect to a pod of ${name}, nor one of ${name} to theirs, on any port `
      + '(reachability over every NetworkPolicy and cluster network policy of the input, as enforced now)');
  });

  test('a team namespace with a flow into customer1 fails, naming the team, the port and both policies that admit it', () => {
    const r = isolationOf(acknowledging(WITH_ANALYTICS));
    expect(r.status).toBe('fail');
    expect(r.evidence).toEqual(['NetworkPolicy analytics/allow-to-customer1-database', 'NetworkPolicy customer1/allow-from-analytics-to-database']);
    expect(r.reason).toBe('team namespace analytics reaches customer1 on TCP 5432 (for example analytics/reporter → customer1/database on TCP 5432: '
      + 'egress of analytics/reporter allowed by analytics/allow-to-customer1-database egress[0]; '
      + 'ingress of customer1/database allowed by customer1/allow-from-analytics-to-database ingress[0])');
    expect(r.fix).toContain('namespace-guard.dev/acknowledged: tenant-data-access[analytics]');
    // customer2 is not touched by it.
    expect(isolationOf(acknowledging(WITH_ANALYTICS), 'customer2').status).toBe('pass');
  });

  test('acknowledged on customer1 naming analytics, it passes, with the acknowledgement and its reason', () => {
    const r = isolationOf(WITH_ANALYTICS);
    expect(r.status).toBe('pass');
    expect(r.evidence).toContain('Namespace customer1');
    expect(r.reason).toContain('but the acknowledged and exempt ones below');
    expect(r.reason).toContain('acknowledged on Namespace customer1: team namespace analytics reaches customer1 on TCP 5432 '
      + '(tenant-data-access: analytics reads usage data under the DPA of 2025-03)');
  });

  test('only an acknowledgement naming the namespace counts: a blanket one, one for another namespace or another rule\'s do not', () => {
    for (const text of [
      'tenant-data-access: every team may read customer1',
      'tenant-data-access[billing]: billing reconciles invoices',
      'cross-tenant-flow[analytics]: analytics is not a tenant',
    ]) {
      expect([text, isolationOf(acknowledging(WITH_ANALYTICS, text)).status]).toEqual([text, 'fail']);
    }
  });

  test('an allow-all policy added to customer2 admits customer1\'s pods: it fails once customer1\'s pods can send, for both tenants', () => {
    // customer2 admits everything, but customer1's default deny keeps its pods from sending: no connection exists.
    const open = [...structuredClone(MULTI_TENANT), ALLOW_ALL('customer2')];
    expect(isolationOf(open, 'customer2').status).toBe('pass');
    // A hostile customer1 opens its egress: now its pods reach customer2's, on every port.
    const hostile = [...open, policy('customer1', 'egress-anywhere', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })];
    const two = isolationOf(hostile, 'customer2');
    expect(two.status).toBe('fail');
    expect(two.reason).toMatch(/^tenant namespace customer1 reaches customer2 on all \(for example customer1\/\S+ → customer2\/\S+ on TCP 1: /);
    expect(two.evidence).toEqual(['NetworkPolicy customer1/egress-anywhere', 'NetworkPolicy customer2/allow-all']);
    expect(two.fix).toContain('cross-tenant-flow[customer1]');
    const one = isolationOf(hostile, 'customer1');
    expect(one.status).toBe('fail');
    expect(one.reason).toMatch(/^customer1 reaches tenant namespace customer2 on all /);
  });

  test('a cluster network policy that accepts a team into customer1 bypasses its NetworkPolicies, and fails naming the tier rule', () => {
    const accept = {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'analytics-reads-everyone' },
      spec: {
        tier: 'Admin',
        priority: 5,
        subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'customer1' } } },
        ingress: [{ name: 'from-analytics', action: 'Accept', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'analytics' } } }] }],
      },
    };
    const objects = [...structuredClone(MULTI_TENANT), namespace('analytics', { 'namespace-guard.dev/profile': 'team' }), pod('analytics', 'reporter'), accept];
    const r = isolationOf(objects);
    expect(r.status).toBe('fail');
    expect(r.reason).toContain('team namespace analytics reaches customer1 on all');
    expect(r.reason).toContain('ingress of customer1/');
    expect(r.reason).toContain('accepted by ClusterNetworkPolicy analytics-reads-everyone rule from-analytics (priority 5)');
    expect(r.evidence).toContain('ClusterNetworkPolicy analytics-reads-everyone');
  });

  test('a tenant in monitor mode is open to every team now: it fails', () => {
    const objects = [...acknowledging(WITH_ANALYTICS), ALLOW_ALL('customer1')];
    objects.push(pod('analytics', 'scraper'));
    const r = isolationOf(objects);
    expect(r.status).toBe('fail');
    expect(r.evidence).toContain('NetworkPolicy customer1/allow-all');
  });

  test('zones: an internet-facing one is exempt, the declared monitoring on its named ports is, DNS to a zone is; anything else fails', () => {
    const zone = (name: string, zoneName: string, exposure: string) => namespace(name, {
      'namespace-guard.dev/profile': 'zone', 'namespace-guard.dev/zone': zoneName, 'namespace-guard.dev/exposure': exposure,
    });
    const objects = [
      ...structuredClone(MULTI_TENANT),
      zone('storefront', 'web', 'internet'), pod('storefront', 'shop'),
      zone('observability', 'ops', 'operations'), pod('observability', 'prometheus'),
      zone('coredns', 'platform', 'internal'), pod('coredns', 'dns', { 'k8s-app': 'kube-dns' }, [{ containerPort: 53, protocol: 'UDP' }]),
      pod('customer1', 'exporter', { app: 'exporter' }, [{ name: 'metrics', containerPort: 9187 }]),
      // customer1 lets the web zone and the monitoring in, and resolves names in the platform zone.
      policy('customer1', 'from-web', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storefront' } } }] }] }),
      {
        ...policy('customer1', 'allow-from-observability', {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ port: 'metrics' }] }],
        }),
        metadata: { name: 'allow-from-observability', namespace: 'customer1', annotations: { 'namespace-guard.dev/flow': 'monitoring' } },
      },
      policy('customer1', 'to-coredns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'coredns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
      }),
    ];
    const r = isolationOf(objects);
    expect(r.status).toBe('pass');
    expect(r.reason).toContain('exempt: customer1 reaches namespace coredns of internal zone platform on TCP 53, UDP 53 (DNS); '
      + 'namespace observability of operations zone ops reaches customer1 on TCP 9187 (the cluster\'s declared monitoring, on its named ports)');
    expect(r.reason).toContain('exempt as internet-facing zones: storefront reaches customer1 on all');

    // The monitoring policy on a numbered port, and DNS's zone reached on another port, are flows like any other.
    const numbered = structuredClone(objects);
    numbered.find(o => o.metadata.name === 'allow-from-observability')!.spec.ingress[0].ports = [{ port: 5432 }];
    numbered.find(o => o.metadata.name === 'to-coredns')!.spec.egress[0].ports.push({ protocol: 'TCP', port: 8080 });
    const failed = isolationOf(numbered);
    expect(failed.status).toBe('fail');
    expect(failed.reason).toContain('customer1 reaches namespace coredns of internal zone platform on TCP 8080 (for example customer1/auth → coredns/dns on TCP 8080: '
      + 'egress of customer1/auth allowed by customer1/to-coredns egress[0]; no NetworkPolicy isolates coredns/dns for ingress)');
    expect(failed.reason).toContain('namespace observability of operations zone ops reaches customer1 on TCP 5432 (for example observability/prometheus → customer1/');
    expect(failed.fix).toContain('tenant-data-access[coredns] and tenant-data-access[observability]');
  });

  test('the reason names at most five of the namespaces the tenant is isolated from', () => {
    const teams = ['t1', 't2', 't3', 't4', 't5', 't6'].flatMap(name => [namespace(name, { 'namespace-guard.dev/profile': 'team' }), policy(name, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    expect(isolationOf([...structuredClone(MULTI_TENANT), ...teams]).reason)
      .toMatch(/^no pod of customer2, t1, t2, t3, t4 or 2 more can connect to a pod of customer1, nor one of customer1 to theirs, on any port \(/);
  });

  test('namespaces without a profile that reach the tenant are named as left to the default-deny controls', () => {
    const objects = [...structuredClone(MULTI_TENANT), namespace('ingress-nginx'), pod('ingress-nginx', 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' })];
    const r = isolationOf(objects);
    expect(r.status).toBe('pass');
    expect(r.reason).toContain('not checked here, as namespaces without a profile (the default-deny controls cover them): ingress-nginx reaches customer1 on TCP 8080, TCP 9000');
  });

  test('not applicable without another tenant, team or zone namespace, and for a namespace that is not a tenant\'s', () => {
    const alone = MULTI_TENANT.filter(o => o.metadata.namespace === 'customer1' || (o.kind === 'Namespace' && o.metadata.name === 'customer1'));
    expect(isolationOf(alone)).toEqual({
      status: 'not-applicable',
      evidence: [],
      reason: 'no other tenant, team or zone namespace in the input for customer1 to be isolated from (internet-facing zones are exempt)',
    });
    const team = synth(app => new TeamNamespace(new Chart(app, 'teams'), 'payments'));
    expect(isolationOf([...team, ...MULTI_TENANT], 'payments')).toEqual({
      status: 'not-applicable',
      evidence: [],
      reason: 'payments is not a tenant\'s namespace (namespace-guard.dev/profile: tenant), which is what this control isolates',
    });
  });
});

describe('an undeclared network plugin', () => {
  test('tenants opened to each other through an ipBlock of the pod range fail the control where the plugin matches pod addresses', () => {
    const app = Testing.app();
    multiTenantChart(app);
    const objects: Record<string, any>[] = app.charts.flatMap(c => Testing.synth(c));
    const block = (ns: string, direction: 'ingress' | 'egress') => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `office-${direction}`, namespace: ns },
      spec: { podSelector: {}, policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'], [direction]: [{ [direction === 'ingress' ? 'from' : 'to']: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] },
    });
    const model = ClusterModel.fromObjects([...objects, block('customer1', 'egress'), block('customer2', 'ingress')]);
    const [evidence] = collectEvidence(model, ['customer2']);
    const result = evidence.controls.find(c => c.control.id === 'MTB-PL1-BC-NI-1')!.result;
    expect(result.status).toBe('fail');
    expect(result.reason).toContain('tenant namespace customer1 reaches customer2 on all where the network plugin matches ipBlocks against pod addresses');
  });
});

// The intended connectivity of the example scenarios, proven on the synthesized NetworkPolicies
// with the reachability engine (plus representative pods of the cluster's DNS, ingress
// controller and monitoring).
import { App, Chart, Testing } from 'cdk8s';
import { calicoRolloutChart } from '../../examples/calico-rollout';
import { CUSTOMERS, multiTenantChart } from '../../examples/multi-tenant';
import { securityZonesChart } from '../../examples/security-zones';
import { teamsChart } from '../../examples/teams';
import { ConnectivityReport, Flows, Port } from '../../src';
import { expectValidManifests } from '../schema';

const DNS_POD = 'kube-system/kube-dns';
const DNS = 'TCP 53, UDP 53';
/** Ports of every protocol that a leak between isolated namespaces would most likely use. */
const PROBES = [
  Port.tcp(53), Port.udp(53), Port.tcp(5432), Port.tcp(8080), Port.tcp(8443), Port.tcp(9000), Port.tcp(9090), Port.udp(9090), Port.sctp(8080),
];

interface Scenario {
  readonly chart: Chart;
  readonly objects: any[];
  readonly report: ConnectivityReport;
  readonly flows: Flows;
  /** The namespaces the example's bundles manage. */
  readonly managed: string[];
}

function scenario(build: (app: App) => Chart): Scenario {
  const app = Testing.app();
  const chart = build(app);
  const objects = Testing.synth(chart);
  expectValidManifests(objects);
  const flows = Flows.of(chart);
  expectValidManifests(flows.report.analyzedObjects());
  const managed = objects
    .filter(o => o.kind === 'Namespace' && o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'cdk8s-namespace-guard')
    .map(o => o.metadata.name)
    .sort();
  return { chart, objects, report: flows.report, flows, managed };
}

/** `source -> destination: ports` for every ordered pair of different namespaces with traffic. */
const crossNamespaceFlows = (report: ConnectivityReport) => report.reachablePairs().map(p => `${p.sourceNamespace} -> ${p.destinationNamespace}: ${p.ports}`);
const podsOf = (report: ConnectivityReport, namespaceName: string) => report.pods.filter(p => p.startsWith(`${namespaceName}/`));

/** DNS on UDP and TCP 53 from every pod of every managed namespace. */
function expectDnsFromEverywhere(s: Scenario): void {
  expect(s.managed.length).toBeGreaterThan(0);
  for (const ns of s.managed) {
    s.flows.assertAllowed(ns, DNS_POD, Port.udp(53));
    s.flows.assertAllowed(ns, DNS_POD, Port.tcp(53));
    for (const pod of podsOf(s.report, ns)) {
      s.flows.assertAllowed(pod, DNS_POD, Port.udp(53));
      s.flows.assertAllowed(pod, DNS_POD, Port.tcp(53));
    }
  }
}

describe('multi-tenant SaaS example', () => {
  const s = scenario(multiTenantChart);

  test('the analysed cluster holds the tenants and the cluster services', () => {
    expect(s.managed).toEqual(CUSTOMERS);
    expect(s.report.pods).toEqual([
      'customer1/auth', 'customer1/backend', 'customer1/database',
      'customer2/auth', 'customer2/backend', 'customer2/database',
      'ingress-nginx/ingress-nginx', DNS_POD, 'monitoring/monitoring',
    ]);
  });

  test.each(CUSTOMERS)('%s is fully isolated from every other tenant, on every port and protocol', customer => {
    for (const other of CUSTOMERS.filter(c => c !== customer)) {
      expect(s.report.allowedPorts(customer, other)).toBe('none');
      expect(s.report.allowedPorts(other, customer)).toBe('none');
      for (const a of podsOf(s.report, customer)) {
        for (const b of podsOf(s.report, other)) {
          expect(`${a} -> ${b}: ${s.report.allowedPorts(a, b)}`).toBe(`${a} -> ${b}: none`);
          expect(`${b} -> ${a}: ${s.report.allowedPorts(b, a)}`).toBe(`${b} -> ${a}: none`);
        }
      }
      for (const port of PROBES) {
        s.flows.assertDenied(customer, other, port);
        s.flows.assertDenied(other, customer, port);
      }
    }
  });

  test.each(CUSTOMERS)('%s is reachable only from the ingress controller, on the declared ports', customer => {
    const sources = s.report.namespaceMatrix().filter(c => c.destinationNamespace === customer && c.ports !== 'none').map(c => `${c.sourceNamespace}: ${c.ports}`);
    expect(sources).toEqual([`${customer}: TCP 5432, TCP 9000`, 'ingress-nginx: TCP 8080, TCP 9000']);
    const ingress = 'ingress-nginx/ingress-nginx';
    expect(s.report.allowedPorts(ingress, `${customer}/backend`)).toBe('TCP 8080');
    expect(s.report.allowedPorts(ingress, `${customer}/auth`)).toBe('TCP 9000');
    expect(s.report.allowedPorts(ingress, `${customer}/database`)).toBe('none');
    s.flows.assertAllowed(ingress, `${customer}/backend`, Port.tcp(8080));
    s.flows.assertAllowed(ingress, `${customer}/auth`, Port.tcp(9000));
    s.flows.assertDenied(ingress, `${customer}/database`, Port.tcp(5432));
    s.flows.assertDenied('monitoring', customer, Port.tcp(9090));
    s.flows.assertDenied('kube-system', customer, Port.tcp(8080));
  });

  test.each(CUSTOMERS)('inside %s, every service reaches only what it calls', customer => {
    const within = (from: string, to: string) => s.report.allowedPorts(`${customer}/${from}`, `${customer}/${to}`);
    const services = ['auth', 'backend', 'database'];
    const table = services.flatMap(from => services.map(to => `${from} -> ${to}: ${within(from, to)}`));
    expect(table).toEqual([
      'auth -> auth: none', 'auth -> backend: none', 'auth -> database: none',
      'backend -> auth: TCP 9000', 'backend -> backend: none', 'backend -> database: TCP 5432',
      'database -> auth: none', 'database -> backend: none', 'database -> database: none',
    ]);
  });

  test('only the declared flows exist', () => {
    expect(crossNamespaceFlows(s.report)).toEqual([
      `customer1 -> kube-system: ${DNS}`,
      `customer2 -> kube-system: ${DNS}`,
      'ingress-nginx -> customer1: TCP 8080, TCP 9000',
      'ingress-nginx -> customer2: TCP 8080, TCP 9000',
      // The cluster services have no NetworkPolicies of their own (this app does not manage them).
      'ingress-nginx -> kube-system: all',
      'ingress-nginx -> monitoring: all',
      'ingress-nginx -> internet: all',
      'kube-system -> ingress-nginx: all',
      'kube-system -> monitoring: all',
      'kube-system -> internet: all',
      'monitoring -> ingress-nginx: all',
      'monitoring -> kube-system: all',
      'monitoring -> internet: all',
      // The internet node (a public address) reaches the unmanaged cluster services, and no tenant.
      'internet -> ingress-nginx: all',
      'internet -> kube-system: all',
      'internet -> monitoring: all',
    ]);
    for (const customer of CUSTOMERS) {
      s.flows.assertDenied('internet', customer, Port.tcp(8080));
      s.flows.assertDenied(customer, 'internet', Port.tcp(443));
    }
  });

  test('DNS (kube-dns on UDP and TCP 53) is reachable from every managed namespace', () => {
    expectDnsFromEverywhere(s);
  });
});

describe('team segmentation example', () => {
  const s = scenario(teamsChart);

  test('only the declared flows exist: the ingress controller to catalog and checkout, checkout to payments', () => {
    expect(s.managed).toEqual(['catalog', 'checkout', 'payments']);
    expect(crossNamespaceFlows(s.report)).toEqual([
      `catalog -> kube-system: ${DNS}`,
      `checkout -> kube-system: ${DNS}`,
      'checkout -> payments: TCP 8080',
      'ingress-nginx -> catalog: TCP 8080',
      'ingress-nginx -> checkout: TCP 8080',
      'ingress-nginx -> kube-system: all',
      'ingress-nginx -> internet: all',
      'kube-system -> ingress-nginx: all',
      'kube-system -> internet: all',
      `payments -> kube-system: ${DNS}`,
      'internet -> ingress-nginx: all',
      'internet -> kube-system: all',
    ]);
  });

  test('the one team-to-team call is allowed per service and port, and nothing else between teams', () => {
    s.flows.assertAllowed('checkout/checkout-api', 'payments/payments-api', Port.tcp(8080));
    expect(s.report.allowedPorts('checkout/checkout-api', 'payments/payments-api')).toBe('TCP 8080');
    s.flows.assertDenied('payments', 'checkout', Port.tcp(8080));
    s.flows.assertDenied('ingress-nginx', 'payments', Port.tcp(8080));
    const teams = s.managed;
    for (const a of teams) {
      for (const b of teams.filter(t => t !== a)) {
        const expected = a === 'checkout' && b === 'payments' ? 'TCP 8080' : 'none';
        expect(`${a} -> ${b}: ${s.report.allowedPorts(a, b)}`).toBe(`${a} -> ${b}: ${expected}`);
      }
    }
  });

  test('each team talks freely inside its own namespace', () => {
    for (const team of s.managed) expect(s.report.allowedPorts(team, team)).toBe('all');
  });

  test('DNS (kube-dns on UDP and TCP 53) is reachable from every managed namespace', () => {
    expectDnsFromEverywhere(s);
  });
});

describe('security zones example', () => {
  const s = scenario(securityZonesChart);
  const zones: { [zone: string]: string[] } = {
    web: ['storefront'],
    auth: ['identity'],
    data: ['customers-db', 'orders-db'],
    ops: ['devops-tools', 'observability'],
  };
  const zoneOf = (ns: string) => Object.keys(zones).find(z => zones[z].includes(ns));

  test('the members of every zone are managed, and DNS is a pod (the NodeLocal address is not)', () => {
    expect(s.managed).toEqual(Object.values(zones).flat().sort());
    expect(s.report.namespaces).toEqual([...s.managed, 'kube-system'].sort());
  });

  test('web → data on 5432 and web → auth on 8443', () => {
    for (const db of zones.data) {
      s.flows.assertAllowed('storefront', db, Port.tcp(5432));
      s.flows.assertAllowed('storefront/storefront', `${db}/postgres`, Port.tcp(5432));
      expect(s.report.allowedPorts('storefront', db)).toBe('TCP 5432');
    }
    s.flows.assertAllowed('storefront/storefront', 'identity/identity', Port.tcp(8443));
    expect(s.report.allowedPorts('storefront', 'identity')).toBe('TCP 8443');
    s.flows.assertDenied('identity', 'storefront', Port.tcp(8443));
    s.flows.assertDenied('storefront', 'identity', Port.tcp(5432));
  });

  test('ops scrapes every zone on the metrics port (9090) only', () => {
    for (const ops of zones.ops) {
      for (const ns of [...zones.web, ...zones.auth, ...zones.data]) {
        s.flows.assertAllowed(ops, ns, Port.tcp(9090));
        expect(`${ops} -> ${ns}: ${s.report.allowedPorts(ops, ns)}`).toBe(`${ops} -> ${ns}: TCP 9090`);
      }
    }
  });

  test('nothing else crosses a zone boundary', () => {
    const crossZone = s.report.reachablePairs()
      .filter(p => zoneOf(p.sourceNamespace) && zoneOf(p.destinationNamespace) && zoneOf(p.sourceNamespace) !== zoneOf(p.destinationNamespace))
      .map(p => `${zoneOf(p.sourceNamespace)}/${p.sourceNamespace} -> ${zoneOf(p.destinationNamespace)}/${p.destinationNamespace}: ${p.ports}`);
    expect(crossZone).toEqual([
      'ops/devops-tools -> data/customers-db: TCP 9090',
      'ops/devops-tools -> auth/identity: TCP 9090',
      'ops/devops-tools -> data/orders-db: TCP 9090',
      'ops/devops-tools -> web/storefront: TCP 9090',
      'ops/observability -> data/customers-db: TCP 9090',
      'ops/observability -> auth/identity: TCP 9090',
      'ops/observability -> data/orders-db: TCP 9090',
      'ops/observability -> web/storefront: TCP 9090',
      'web/storefront -> data/customers-db: TCP 5432',
      'web/storefront -> auth/identity: TCP 8443',
      'web/storefront -> data/orders-db: TCP 5432',
    ]);
  });

  test('only the declared flows exist', () => {
    expect(crossNamespaceFlows(s.report)).toEqual([
      `customers-db -> kube-system: ${DNS}`,
      'customers-db -> orders-db: all',
      'devops-tools -> customers-db: TCP 9090',
      'devops-tools -> identity: TCP 9090',
      `devops-tools -> kube-system: ${DNS}`, // operations zones reach other pods on their operationsPorts only
      'devops-tools -> observability: all',
      'devops-tools -> orders-db: TCP 9090',
      'devops-tools -> storefront: TCP 9090',
      `identity -> kube-system: ${DNS}`,
      'kube-system -> internet: all',
      'observability -> customers-db: TCP 9090',
      'observability -> devops-tools: all',
      'observability -> identity: TCP 9090',
      `observability -> kube-system: ${DNS}`,
      'observability -> orders-db: TCP 9090',
      'observability -> storefront: TCP 9090',
      'orders-db -> customers-db: all',
      `orders-db -> kube-system: ${DNS}`,
      'storefront -> customers-db: TCP 5432',
      'storefront -> identity: TCP 8443',
      `storefront -> kube-system: ${DNS}`,
      'storefront -> orders-db: TCP 5432',
      'internet -> kube-system: all',
      // The INTERNET zone's exposure: public addresses reach storefront on its internetPorts only.
      'internet -> storefront: TCP 8443',
    ]);
  });

  test('the internet reaches the internet-facing zone on its internet ports only, and no other zone', () => {
    s.flows.assertAllowed('internet', 'storefront/storefront', Port.tcp(8443));
    expect(s.report.allowedPorts('internet', 'storefront')).toBe('TCP 8443');
    expect(s.report.explain('internet', 'storefront/storefront', Port.tcp(8443))).toMatch(/^allowed: .*ingress to storefront\/storefront is allowed by storefront\//);
    for (const ns of [...zones.auth, ...zones.data, ...zones.ops]) expect(`${ns}: ${s.report.allowedPorts('internet', ns)}`).toBe(`${ns}: none`);
    expect(s.report.explain('internet', 'customers-db', Port.tcp(5432))).toMatch(/^denied: /);
  });

  test('the restricted data zone sends nothing but DNS out of the zone', () => {
    for (const db of zones.data) {
      const outOfZone = s.report.reachablePairs().filter(p => p.sourceNamespace === db && !zones.data.includes(p.destinationNamespace));
      expect(outOfZone.map(p => `${p.destinationNamespace}: ${p.ports}`)).toEqual([`kube-system: ${DNS}`]);
      for (const ns of s.managed.filter(n => !zones.data.includes(n))) {
        for (const port of PROBES) s.flows.assertDenied(db, ns, port);
      }
      s.flows.assertDenied(`${db}/postgres`, DNS_POD, Port.tcp(5432));
    }
  });

  test('DNS (kube-dns on UDP and TCP 53) is reachable from every managed namespace', () => {
    expectDnsFromEverywhere(s);
  });
});

describe('rolling out on Calico in monitor mode example', () => {
  const s = scenario(calicoRolloutChart);
  const enforced = Flows.fromReport(s.report.asEnforced());

  test('now search is open both ways: Calico only reports its staged policies', () => {
    expect(s.managed).toEqual(['recommendations', 'search']);
    expect(s.report.allowedPorts('kube-system', 'search')).toBe('all');
    expect(s.report.allowedPorts('search', 'ingress-nginx')).toBe('all');
    s.flows.assertAllowed('ingress-nginx', 'search/search-api', Port.tcp(9090));
    // recommendations enforces: search reaches it on the declared port only, even now.
    expect(s.report.allowedPorts('search', 'recommendations')).toBe('TCP 8080');
    s.flows.assertDenied('search', 'recommendations', Port.tcp(9090));
  });

  test('as enforced, only the declared flows exist', () => {
    expect(crossNamespaceFlows(s.report.asEnforced())).toEqual([
      'ingress-nginx -> kube-system: all',
      'ingress-nginx -> search: TCP 8080',
      'ingress-nginx -> internet: all',
      'kube-system -> ingress-nginx: all',
      'kube-system -> internet: all',
      `recommendations -> kube-system: ${DNS}`,
      `search -> kube-system: ${DNS}`,
      'search -> recommendations: TCP 8080',
      'internet -> ingress-nginx: all',
      'internet -> kube-system: all',
    ]);
    enforced.assertAllowed('ingress-nginx', 'search/search-api', Port.tcp(8080));
    enforced.assertDenied('ingress-nginx', 'search/search-api', Port.tcp(9090));
    enforced.assertAllowed('search/search-api', 'recommendations/recommender', Port.tcp(8080));
    enforced.assertAllowed('search/search-api', DNS_POD, Port.udp(53));
  });

  test('what enforcement would block: everything search does not declare, and nothing else', () => {
    expect(s.report.enforcementChanges().map(c => `${c.sourceNamespace} -> ${c.destinationNamespace}: ${c.ports} -> ${c.enforcedPorts}`)).toEqual([
      'ingress-nginx -> search: all -> TCP 8080',
      'kube-system -> search: all -> none',
      'search -> ingress-nginx: all -> none',
      `search -> kube-system: all -> ${DNS}`,
      'search -> internet: all -> none',
      'internet -> search: all -> none',
    ]);
    expect(s.report.enforcementChanges().every(c => c.openedPorts === 'none')).toBe(true);
  });
});

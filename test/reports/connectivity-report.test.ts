import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { restrictedDeployment } from '../../examples/workloads';
import {
  ClusterDns, ClusterProfile, ConnectivityReport, Exposure, NamespaceReachability, NetworkBackend, Peer, Port, SecurityZone, TeamNamespace,
} from '../../src';
import { errorOf } from '../helpers';
import { expectValidManifests } from '../schema';

const INGRESS = Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });

/**
 * A small platform: `shop` (web → db, web reachable from the ingress controller and scraped by
 * monitoring) and `billing` (one api, nothing declared), under one ClusterProfile.
 */
function platform(app: App = Testing.app(), id = 'platform'): { app: App; chart: Chart; cluster: ClusterProfile } {
  const chart = new Chart(app, id);
  const cluster = new ClusterProfile(chart, 'cluster', { ingressController: INGRESS, monitoring: Peer.namespaceNamed('monitoring') });
  const shop = new TeamNamespace(chart, 'shop', { cluster, allowSameNamespace: false });
  new TeamNamespace(chart, 'billing', { cluster, allowSameNamespace: false });
  restrictedDeployment(chart, 'shop', { app: 'web', image: 'nginx:1.27.1', ports: [{ number: 8080, name: 'http' }] });
  restrictedDeployment(chart, 'shop', { app: 'db', image: 'postgres:16.4', ports: [{ number: 5432, name: 'postgres' }] });
  restrictedDeployment(chart, 'billing', { app: 'api', image: 'registry.example.com/billing/api:1.0.0', ports: [{ number: 8443, name: 'https' }] });
  const web = shop.pods({ app: 'web' });
  web.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
  web.connections.allowTo(shop.pods({ app: 'db' }), Port.tcp(5432));
  shop.connections.allowFrom(cluster.monitoring, Port.tcp(9090));
  return { app, chart, cluster };
}

/** The report of a chart, after checking the synthesized objects and the analysed ones against the schema. */
function reportOf(chart: Chart): ConnectivityReport {
  expectValidManifests(Testing.synth(chart));
  const report = ConnectivityReport.fromChart(chart);
  expectValidManifests(report.analyzedObjects());
  return report;
}

const pod = (namespace: string, name: string, labels: { [key: string]: string }, ports: object[] = []) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'example:1', ports }] },
});
const namespaceObject = (name: string, labels: { [key: string]: string } = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const denyAll = (namespace: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});

const cellsOf = (report: ConnectivityReport) => Object.fromEntries(report.namespaceMatrix().map(c => [`${c.sourceNamespace}>${c.destinationNamespace}`, c.ports]));

describe('cluster endpoints', () => {
  test('the DNS, ingress controller and monitoring of the ClusterProfile become readable pods', () => {
    const report = reportOf(platform().chart);
    expect(report.namespaces).toEqual(['billing', 'ingress-nginx', 'kube-system', 'monitoring', 'shop']);
    expect(report.pods).toEqual([
      'billing/api', 'ingress-nginx/ingress-nginx', 'kube-system/kube-dns', 'monitoring/monitoring', 'shop/db', 'shop/web',
    ]);
    const endpoints = report.analyzedObjects().filter(o => o.metadata.annotations?.['namespace-guard.dev/cluster-endpoint']);
    expect(endpoints.map(o => [o.kind, `${o.metadata.namespace}/${o.metadata.name}`, o.metadata.annotations['namespace-guard.dev/cluster-endpoint']])).toEqual([
      ['Pod', 'kube-system/kube-dns', 'dns'],
      ['Pod', 'ingress-nginx/ingress-nginx', 'ingress-controller'],
      ['Pod', 'monitoring/monitoring', 'monitoring'],
    ]);
    const dns = endpoints[0];
    expect(dns.metadata.labels).toEqual({ 'k8s-app': 'kube-dns' });
    expect(dns.spec.containers[0].ports).toEqual([
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
    ]);
    expect(endpoints[1].metadata.labels).toEqual({ 'app.kubernetes.io/name': 'ingress-nginx' });
    expect(endpoints[2].metadata.labels).toEqual({});
  });

  test('custom kube-dns namespace and labels name the DNS pod', () => {
    const chart = Testing.chart();
    const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDns({ namespaceName: 'dns', podLabels: { 'app.kubernetes.io/name': 'coredns' } }) });
    new TeamNamespace(chart, 'shop', { cluster });
    restrictedDeployment(chart, 'shop', { app: 'web', image: 'nginx:1.27.1' });
    const report = reportOf(chart);
    expect(report.pods).toEqual(['dns/coredns', 'shop/web']);
    expect(report.canReach('shop', 'dns/coredns', Port.udp(53))).toBe(true);
    expect(report.canReach('shop', 'dns/coredns', Port.tcp(53))).toBe(true);
    expect(report.canReach('shop', 'dns/coredns', Port.tcp(54))).toBe(false);
  });

  test('a NodeLocal DNSCache address is no pod; kube-dns behind it is', () => {
    const nodeLocal = Testing.chart();
    const only = new ClusterProfile(nodeLocal, 'cluster', { dns: ClusterDns.nodeLocal('169.254.20.10') });
    new TeamNamespace(nodeLocal, 'shop', { cluster: only });
    restrictedDeployment(nodeLocal, 'shop', { app: 'web', image: 'nginx:1.27.1' });
    expect(reportOf(nodeLocal).namespaces).toEqual(['shop']);

    const both = Testing.chart();
    const cluster = new ClusterProfile(both, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal('169.254.20.10') });
    new TeamNamespace(both, 'shop', { cluster });
    restrictedDeployment(both, 'shop', { app: 'web', image: 'nginx:1.27.1' });
    const report = reportOf(both);
    expect(report.pods).toEqual(['kube-system/kube-dns', 'shop/web']);
    expect(report.allowedPorts('shop', 'kube-system')).toBe('TCP 53, UDP 53');
  });

  test('without a ClusterProfile, the default kube-dns that bundles allow is used', () => {
    const chart = Testing.chart();
    new TeamNamespace(chart, 'shop');
    restrictedDeployment(chart, 'shop', { app: 'web', image: 'nginx:1.27.1' });
    const report = reportOf(chart);
    expect(report.pods).toEqual(['kube-system/kube-dns', 'shop/web']);
    expect(report.canReach('shop/web', 'kube-system/kube-dns', Port.udp(53))).toBe(true);
  });

  test('peers that are no single named namespace, managed peers and existing workloads get no extra pod', () => {
    const chart = Testing.chart();
    const shop = new TeamNamespace(chart, 'shop');
    const cluster = new ClusterProfile(chart, 'cluster', {
      ingressController: Peer.pods('edge', { app: 'controller' }),
      monitoring: Peer.namespacesWithLabels({ purpose: 'monitoring' }),
    });
    restrictedDeployment(chart, 'shop', { app: 'web', image: 'nginx:1.27.1' });
    restrictedDeployment(chart, 'edge', { app: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2' });
    shop.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
    const report = reportOf(chart);
    // The Deployment edge/controller (in a namespace managed elsewhere) already stands for the ingress controller.
    expect(report.pods).toEqual(['edge/controller', 'kube-system/kube-dns', 'shop/web']);

    const managed = Testing.chart();
    const tools = new TeamNamespace(managed, 'tools');
    restrictedDeployment(managed, 'tools', { app: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.54.1' });
    new ClusterProfile(managed, 'cluster', { monitoring: tools, ingressController: Peer.ipv4('10.0.0.0/24') });
    expect(reportOf(managed).pods).toEqual(['kube-system/kube-dns', 'tools/prometheus']);
  });

  test('fromChart uses the profiles in the chart, else those of its app; fromApp uses all of them', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const first = new ClusterProfile(a, 'cluster', { ingressController: Peer.pods('edge-a', { app: 'edge' }) });
    const b = new Chart(app, 'b');
    new ClusterProfile(b, 'cluster', { ingressController: Peer.pods('edge-b', { app: 'edge' }) });
    const c = new Chart(app, 'c');
    // With two profiles in the app, the bundle must name one.
    new TeamNamespace(c, 'shop', { cluster: first });
    restrictedDeployment(c, 'shop', { app: 'web', image: 'nginx:1.27.1' });

    expect(ConnectivityReport.fromChart(a).pods).toEqual(['edge-a/edge', 'kube-system/kube-dns']);
    expect(ConnectivityReport.fromChart(b).pods).toEqual(['edge-b/edge', 'kube-system/kube-dns']);
    expect(reportOf(c).pods).toEqual(['edge-a/edge', 'edge-b/edge', 'kube-system/kube-dns', 'shop/web']);
    const whole = ConnectivityReport.fromApp(app);
    expect(whole.pods).toEqual(['edge-a/edge', 'edge-b/edge', 'kube-system/kube-dns', 'shop/web']);
    expectValidManifests(whole.analyzedObjects());
  });
});

describe('queries', () => {
  const report = reportOf(platform().chart);

  test('canReach answers for namespaces (some pod) and pods', () => {
    expect(report.canReach('ingress-nginx', 'shop', Port.tcp(8080))).toBe(true);
    expect(report.canReach('ingress-nginx/ingress-nginx', 'shop/web', Port.tcp(8080))).toBe(true);
    expect(report.canReach('ingress-nginx/ingress-nginx', 'shop/db', Port.tcp(8080))).toBe(false);
    expect(report.canReach('ingress-nginx', 'shop/db', Port.tcp(5432))).toBe(false);
    expect(report.canReach('shop/web', 'shop/db', Port.tcp(5432))).toBe(true);
    expect(report.canReach('shop/db', 'shop/web', Port.tcp(8080))).toBe(false);
    expect(report.canReach('shop', 'shop', Port.tcp(5432))).toBe(true);
    expect(report.canReach('monitoring', 'shop', Port.tcp(9090))).toBe(true);
    expect(report.canReach('monitoring', 'billing', Port.tcp(9090))).toBe(false);
    expect(report.canReach('shop', 'billing', Port.tcp(8443))).toBe(false);
    expect(report.canReach('billing', 'kube-system', Port.udp(53))).toBe(true);
    expect(report.canReach('billing', 'kube-system', Port.sctp(53))).toBe(false);
    expect(report.canReach('billing', 'billing', Port.tcp(8443))).toBe(false);
  });

  test('allowedPorts prints the port sets', () => {
    expect(report.allowedPorts('shop', 'kube-system')).toBe('TCP 53, UDP 53');
    expect(report.allowedPorts('ingress-nginx', 'shop')).toBe('TCP 8080');
    expect(report.allowedPorts('shop/web', 'shop/db')).toBe('TCP 5432');
    expect(report.allowedPorts('shop', 'shop/db')).toBe('TCP 5432');
    expect(report.allowedPorts('shop', 'billing')).toBe('none');
    expect(report.allowedPorts('kube-system', 'ingress-nginx')).toBe('all');
  });

  test('explain gives the engine explanation for pods', () => {
    expect(report.explain('ingress-nginx/ingress-nginx', 'shop/web', Port.tcp(8080))).toBe(
      'allowed: egress from ingress-nginx/ingress-nginx is not isolated; ingress to shop/web is allowed by shop/allow-from-ingress-nginx-to-web ingress[0]',
    );
    expect(report.explain('shop/db', 'shop/web', Port.tcp(8080))).toMatch(/^denied: egress from shop\/db is isolated by shop\/default-deny/);
  });

  test('explain names a pod pair for namespaces', () => {
    const allowed = report.explain('shop', 'kube-system', Port.udp(53));
    expect(allowed).toMatch(/^allowed: shop\/db can reach kube-system\/kube-dns on UDP\/53 \(2 of 2 pod pairs from shop to kube-system can\): allowed: egress from shop\/db is allowed by shop\/allow-dns egress\[0\]/);
    const denied = report.explain('shop', 'billing', Port.tcp(8443));
    expect(denied).toMatch(/^denied: none of the 2 pod pairs from shop to billing is allowed on TCP\/8443; for example shop\/\w+ to billing\/api: denied: /);
    expect(denied).toContain('billing/default-deny');
    // The pair closest to being allowed shows which side is missing: here ingress to the db.
    const closest = report.explain('ingress-nginx', 'shop/db', Port.tcp(5432));
    expect(closest).toBe(
      'denied: the one pod pair from ingress-nginx to shop/db is not allowed on TCP/5432; for example ingress-nginx/ingress-nginx to shop/db: '
      + 'denied: ingress to shop/db is isolated by shop/default-deny, shop/allow-from-shop-web-to-db, shop/allow-from-monitoring '
      + 'and no ingress rule allows TCP/5432 from ingress-nginx/ingress-nginx',
    );
  });

  test('unknown namespaces and pods throw errors that list what is known', () => {
    expect(errorOf(() => report.canReach('nope', 'shop', Port.tcp(80)))).toBe(
      'unknown source namespace "nope"; known namespaces: billing, ingress-nginx, kube-system, monitoring, shop (use "namespace/name" for a pod, "internet" for a public address)',
    );
    expect(errorOf(() => report.canReach('shop', 'shop/api', Port.tcp(80)))).toBe('unknown destination pod "shop/api"; known pods of that namespace: shop/db, shop/web');
    expect(errorOf(() => report.explain('x/y', 'shop', Port.tcp(80)))).toMatch(/^unknown source pod "x\/y"; known pods: billing\/api, /);
    expect(errorOf(() => report.allowedPorts('', 'shop'))).toMatch(/the source must be a namespace name, a pod key such as "customer1\/backend" or "internet"/);
  });

  test.each([
    ['Port.tcpRange(8000, 8100)', Port.tcpRange(8000, 8100)],
    ['Port.allTcp()', Port.allTcp()],
    ['Port.named("metrics")', Port.named('metrics')],
    ['Port.allTraffic()', Port.allTraffic()],
  ])('%s is refused: one numeric port at a time', (_, port) => {
    expect(errorOf(() => report.canReach('shop', 'billing', port))).toMatch(/^canReach: ".+" is not a single numeric port; .*pass Port.tcp\(n\), Port.udp\(n\) or Port.sctp\(n\)$/);
    expect(errorOf(() => report.explain('shop', 'billing', port))).toMatch(/^explain: .* is not a single numeric port/);
  });

  test('invalid port numbers and non-ports are refused', () => {
    expect(errorOf(() => report.canReach('shop', 'billing', Port.tcp(0)))).toMatch(/^canReach: port 0 of "TCP 0" is not a valid port number/);
    expect(errorOf(() => report.canReach('shop', 'billing', Port.udp(70000)))).toMatch(/port 70000 of "UDP 70000" is not a valid port number/);
    expect(errorOf(() => report.canReach('shop', 'billing', 8080 as any))).toBe('canReach: expected a Port such as Port.tcp(5432), got number');
  });
});

describe('matrix and renderings', () => {
  const report = reportOf(platform().chart);

  test('namespaceMatrix has one plain entry per ordered pair, in order', () => {
    const matrix = report.namespaceMatrix();
    // The namespaces, then the internet node, which has no entry with itself.
    const names = [...report.namespaces, 'internet'];
    expect(report.internetNode).toBe('internet');
    expect(matrix.map(c => [c.sourceNamespace, c.destinationNamespace])).toEqual(names.flatMap(a => names.map(b => [a, b])).filter(([a, b]) => a !== 'internet' || b !== 'internet'));
    // jsii structs: only strings and booleans, and a JSON round trip changes nothing.
    for (const c of matrix) {
      expect(Object.keys(c).sort()).toEqual(['destinationNamespace', 'everyPod', 'everyPodPorts', 'ports', 'sourceNamespace']);
      expect(typeof c.ports).toBe('string');
      expect(typeof c.everyPod).toBe('boolean');
    }
    expect(JSON.parse(JSON.stringify(matrix))).toEqual(matrix);
    const cell = (from: string, to: string) => matrix.find(c => c.sourceNamespace === from && c.destinationNamespace === to)!;
    expect(cell('shop', 'kube-system')).toEqual({ sourceNamespace: 'shop', destinationNamespace: 'kube-system', ports: 'TCP 53, UDP 53', everyPodPorts: 'TCP 53, UDP 53', everyPod: true });
    expect(cell('ingress-nginx', 'shop')).toEqual({ sourceNamespace: 'ingress-nginx', destinationNamespace: 'shop', ports: 'TCP 8080', everyPodPorts: 'none', everyPod: false });
    expect(cell('shop', 'billing')).toMatchObject({ ports: 'none', everyPod: false });
    // Team namespaces deny public addresses both ways; the unmanaged cluster services let them through.
    expect(cell('internet', 'shop')).toMatchObject({ ports: 'none' });
    expect(cell('shop', 'internet')).toMatchObject({ ports: 'none' });
    expect(cell('internet', 'ingress-nginx')).toEqual({ sourceNamespace: 'internet', destinationNamespace: 'ingress-nginx', ports: 'all', everyPodPorts: 'all', everyPod: true });
  });

  test('reachablePairs lists the pairs with traffic, without a namespace to itself unless asked', () => {
    const pairs = (list: NamespaceReachability[]) => list.map(c => `${c.sourceNamespace} -> ${c.destinationNamespace}: ${c.ports}`);
    expect(pairs(report.reachablePairs())).toEqual([
      'billing -> kube-system: TCP 53, UDP 53',
      'ingress-nginx -> kube-system: all',
      'ingress-nginx -> monitoring: all',
      'ingress-nginx -> shop: TCP 8080',
      'ingress-nginx -> internet: all',
      'kube-system -> ingress-nginx: all',
      'kube-system -> monitoring: all',
      'kube-system -> internet: all',
      'monitoring -> ingress-nginx: all',
      'monitoring -> kube-system: all',
      'monitoring -> shop: TCP 9090',
      'monitoring -> internet: all',
      'shop -> kube-system: TCP 53, UDP 53',
      'internet -> ingress-nginx: all',
      'internet -> kube-system: all',
      'internet -> monitoring: all',
    ]);
    const withSelf = pairs(report.reachablePairs(true));
    expect(withSelf).toContain('shop -> shop: TCP 5432');
    expect(withSelf).not.toContain('billing -> billing: none');
    expect(withSelf.length).toBe(pairs(report.reachablePairs()).length + 4);
  });

  test('toMarkdown is a matrix table with — for no traffic', () => {
    expect(report.toMarkdown()).toBe([
      '| from ↓ / to → | billing | ingress-nginx | kube-system | monitoring | shop | internet |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| **billing** | — | — | TCP 53, UDP 53 | — | — | — |',
      '| **ingress-nginx** | — | all | all | all | TCP 8080 | all |',
      '| **kube-system** | — | all | all | all | — | all |',
      '| **monitoring** | — | all | all | all | TCP 9090 | all |',
      '| **shop** | — | — | TCP 53, UDP 53 | — | TCP 5432 | — |',
      '| *internet* | — | all | all | all | — | — |',
      '',
    ].join('\n'));
  });

  test('toMermaid groups namespaces by team and draws every allowed flow but self-traffic', () => {
    const mermaid = report.toMermaid();
    expect(mermaid).toBe([
      'flowchart LR',
      '  subgraph g_team_billing["team: billing"]',
      '    ns_billing["billing"]',
      '  end',
      '  subgraph g_team_shop["team: shop"]',
      '    ns_shop["shop"]',
      '  end',
      '  subgraph g_cluster["cluster"]',
      '    ns_ingress_nginx["ingress-nginx"]',
      '    ns_kube_system["kube-system"]',
      '    ns_monitoring["monitoring"]',
      '  end',
      '  subgraph g_outside_the_cluster["outside the cluster"]',
      '    ns_internet(("internet"))',
      '  end',
      '  ns_billing -->|"TCP 53, UDP 53"| ns_kube_system',
      '  ns_ingress_nginx -->|"all"| ns_kube_system',
      '  ns_ingress_nginx -->|"all"| ns_monitoring',
      '  ns_ingress_nginx -->|"TCP 8080"| ns_shop',
      '  ns_ingress_nginx -->|"all"| ns_internet',
      '  ns_kube_system -->|"all"| ns_ingress_nginx',
      '  ns_kube_system -->|"all"| ns_monitoring',
      '  ns_kube_system -->|"all"| ns_internet',
      '  ns_monitoring -->|"all"| ns_ingress_nginx',
      '  ns_monitoring -->|"all"| ns_kube_system',
      '  ns_monitoring -->|"TCP 9090"| ns_shop',
      '  ns_monitoring -->|"all"| ns_internet',
      '  ns_shop -->|"TCP 53, UDP 53"| ns_kube_system',
      '  ns_internet -->|"all"| ns_ingress_nginx',
      '  ns_internet -->|"all"| ns_kube_system',
      '  ns_internet -->|"all"| ns_monitoring',
      '',
    ].join('\n'));
    const edges = mermaid.split('\n').filter(l => l.includes('-->'));
    expect(edges.length).toBe(report.reachablePairs().length);
    for (const e of edges) {
      const [from, to] = [e.trim().split(' ')[0], e.trim().split(' ').pop()];
      expect(from).not.toBe(to);
    }
  });

  test('toJson is the matrix as plain JSON', () => {
    const json = report.toJson();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.namespaces).toEqual(report.namespaces);
    expect(json.internet).toBe('internet');
    expect(json.matrix).toEqual(report.namespaceMatrix());
  });

  test('every rendering is identical for two builds of the same app', () => {
    const again = reportOf(platform().chart);
    expect(again.toMarkdown()).toBe(report.toMarkdown());
    expect(again.toMermaid()).toBe(report.toMermaid());
    expect(JSON.stringify(again.toJson())).toBe(JSON.stringify(report.toJson()));
  });

  test('zones group their members; other ids stay unique', () => {
    const chart = Testing.chart();
    const cluster = new ClusterProfile(chart, 'cluster');
    const web = new SecurityZone(chart, 'web', { cluster, exposure: Exposure.INTERNET, namespaces: ['shop-a', 'shop-b'], internetPorts: [Port.tcp(8443)] });
    const data = new SecurityZone(chart, 'data', { cluster, exposure: Exposure.RESTRICTED, namespaces: ['db'] });
    web.connections.allowTo(data, Port.tcp(5432));
    const mermaid = reportOf(chart).toMermaid();
    expect(mermaid).toContain('  subgraph g_zone_web["zone: web"]\n    ns_shop_a["shop-a"]\n    ns_shop_b["shop-b"]\n  end');
    expect(mermaid).toContain('  subgraph g_zone_data["zone: data"]\n    ns_db["db"]\n  end');
    expect(mermaid).toContain('  ns_shop_a -->|"all"| ns_shop_b');
    expect(mermaid).toContain('  ns_shop_b -->|"TCP 5432"| ns_db');
    expect(mermaid.indexOf('g_zone_data')).toBeLessThan(mermaid.indexOf('g_zone_web'));
  });
});

describe('fromManifests', () => {
  test('analyses plain objects as they are, with no cluster endpoints added', () => {
    const objects = [
      namespaceObject('a', { 'namespace-guard.dev/zone': 'x.y' }),
      namespaceObject('b', { 'namespace-guard.dev/zone': 'x-y' }),
      namespaceObject('end', { 'namespace-guard.dev/tenant': 't' }),
      pod('a', 'p', { app: 'p' }, [{ containerPort: 80 }]),
      pod('b', 'q', { app: 'q' }),
      denyAll('end'),
    ];
    expectValidManifests(objects);
    const report = ConnectivityReport.fromManifests(objects);
    expect(report.pods).toEqual(['a/p', 'b/q', 'end/*']);
    expect(report.analyzedObjects()).toEqual(objects);
    expect(report.canReach('b', 'a', Port.tcp(80))).toBe(true);
    expect(report.canReach('a', 'end', Port.tcp(80))).toBe(false);
    expect(report.canReach('a', 'end/*', Port.tcp(80))).toBe(false);
    expect(cellsOf(report)).toMatchObject({ 'a>b': 'all', 'a>end': 'none', 'end>a': 'none', 'end>end': 'none' });
    const mermaid = report.toMermaid();
    // Zone titles that differ only in punctuation still get distinct ids; `end` is safe as ns_end.
    expect(mermaid).toContain('subgraph g_zone_x_y["zone: x-y"]');
    expect(mermaid).toContain('subgraph g_zone_x_y_2["zone: x.y"]');
    expect(mermaid).toContain('subgraph g_tenant_t["tenant: t"]\n    ns_end["end"]');
    expect(mermaid.indexOf('g_zone_x_y')).toBeLessThan(mermaid.indexOf('g_tenant_t'));
  });

  test('an empty list is an empty report', () => {
    const report = ConnectivityReport.fromManifests([]);
    expect(report.namespaces).toEqual([]);
    expect(report.toMarkdown()).toBe('| from ↓ / to → |\n| --- |\n');
    expect(report.toMermaid()).toBe('flowchart LR\n');
    expect(report.toJson()).toEqual({ namespaces: [], internet: 'internet', matrix: [] });
  });

  test('bad input fails with the object it is about', () => {
    expect(errorOf(() => ConnectivityReport.fromManifests({ kind: 'Pod' } as any))).toBe(
      'ConnectivityReport.fromManifests expects a list of Kubernetes objects, got object',
    );
    expect(errorOf(() => ConnectivityReport.fromManifests([{ kind: 'Pod' }]))).toBe('<objects> document 1: not a Kubernetes object: missing apiVersion');
  });
});

describe('the network plugin and the internet\'s addresses', () => {
  const objects = (backend?: string) => {
    const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const app = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const policy = (namespace: string, spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace }, spec });
    return {
      backend,
      objects: [ns('a'), ns('b'), app('a'), app('b'),
        policy('a', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
        policy('b', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })],
    };
  };

  test('an undeclared plugin: pods opened to each other through an ipBlock can reach each other, and explain says where', () => {
    const report = ConnectivityReport.fromManifests(objects().objects);
    expect(report.dependsOnNetworkPlugin).toBe(true);
    expect(report.canReach('a', 'b', Port.tcp(80))).toBe(true);
    expect(report.explain('a', 'b', Port.tcp(80))).toMatch(/^allowed where the network plugin matches ipBlocks against pod addresses \(Calico does, Cilium does not\): /);
    expect(report.allowedPorts('a', 'b')).toBe('all');
  });

  test('a ClusterProfile that declares the plugin settles it: on Cilium the ipBlocks hold no pod', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cilium');
    new ClusterProfile(chart, 'cluster', { networkBackend: NetworkBackend.CILIUM, podCidrs: ['10.244.0.0/16'] });
    objects().objects.forEach((o, i) => new ApiObject(chart, `object-${i}`, o as any));
    const report = ConnectivityReport.fromChart(chart);
    expect(report.dependsOnNetworkPlugin).toBe(false);
    expect(report.canReach('a', 'b', Port.tcp(80))).toBe(false);
    // The declared pod range is the cluster's, not the internet's.
    expect(report.internetAddresses).not.toContain('10.244.0.0/16');
  });

  test('the internet node stands for every public address, as CIDR blocks', () => {
    const report = ConnectivityReport.fromManifests(objects().objects);
    expect(report.internetAddresses).toContain('1.0.0.0/8');
    expect(report.internetAddresses).not.toContain('10.0.0.0/8');
  });
});

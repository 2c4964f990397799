// What enforcement would block: the report as enforced next to the one of what the cluster lets
// through now, for a namespace in monitor mode on each network backend.
import { Chart, Testing } from 'cdk8s';
import { restrictedDeployment } from '../../examples/workloads';
import {
  ClusterProfile, ConnectivityReport, EnforcementChange, Enforcement, Findings, Flows, NetworkBackend, Peer, Port, TeamNamespace,
} from '../../src';
import { expectValidManifests } from '../schema';

/**
 * `shop` (web → db, web reachable from the ingress controller, scraped by monitoring, web → the
 * billing api) in the given mode, and `billing`, which enforces.
 */
function platform(backend: NetworkBackend, enforcement: Enforcement): Chart {
  const chart = new Chart(Testing.app(), 'platform');
  Findings.silence(chart);
  const cluster = new ClusterProfile(chart, 'cluster', {
    networkBackend: backend,
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
    monitoring: Peer.namespaceNamed('monitoring'),
  });
  const shop = new TeamNamespace(chart, 'shop', { cluster, enforcement });
  const billing = new TeamNamespace(chart, 'billing', { cluster });
  restrictedDeployment(chart, 'shop', { app: 'web', image: 'nginx:1.27.1', ports: [{ number: 8080, name: 'http' }] });
  restrictedDeployment(chart, 'shop', { app: 'db', image: 'postgres:16.4', ports: [{ number: 5432, name: 'postgres' }] });
  restrictedDeployment(chart, 'billing', { app: 'api', image: 'registry.example.com/billing/api:1.0.0', ports: [{ number: 8443, name: 'https' }] });
  const web = shop.pods({ app: 'web' });
  web.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
  web.connections.allowTo(shop.pods({ app: 'db' }), Port.tcp(5432));
  web.connections.allowTo(billing.pods({ app: 'api' }), Port.tcp(8443));
  shop.connections.allowFrom(cluster.monitoring, Port.tcp(9090));
  return chart;
}

function reportOf(chart: Chart): ConnectivityReport {
  expectValidManifests(Testing.synth(chart));
  const report = ConnectivityReport.fromChart(chart);
  expectValidManifests(report.analyzedObjects());
  return report;
}

const BACKENDS = [NetworkBackend.KUBERNETES, NetworkBackend.CALICO, NetworkBackend.CILIUM];
const DNS = 'TCP 53, UDP 53';

/** What enforcing shop closes, whatever the backend: everything it does not declare. */
const CHANGES: EnforcementChange[] = [
  { sourceNamespace: 'ingress-nginx', destinationNamespace: 'shop', ports: 'all', enforcedPorts: 'TCP 8080', closedPorts: 'all UDP, all SCTP, TCP 1-8079, TCP 8081-65535', openedPorts: 'none' },
  { sourceNamespace: 'kube-system', destinationNamespace: 'shop', ports: 'all', enforcedPorts: 'none', closedPorts: 'all', openedPorts: 'none' },
  { sourceNamespace: 'monitoring', destinationNamespace: 'shop', ports: 'all', enforcedPorts: 'TCP 9090', closedPorts: 'all UDP, all SCTP, TCP 1-9089, TCP 9091-65535', openedPorts: 'none' },
  { sourceNamespace: 'shop', destinationNamespace: 'ingress-nginx', ports: 'all', enforcedPorts: 'none', closedPorts: 'all', openedPorts: 'none' },
  { sourceNamespace: 'shop', destinationNamespace: 'kube-system', ports: 'all', enforcedPorts: DNS, closedPorts: 'all SCTP, TCP 1-52, UDP 1-52, TCP 54-65535, UDP 54-65535', openedPorts: 'none' },
  { sourceNamespace: 'shop', destinationNamespace: 'monitoring', ports: 'all', enforcedPorts: 'none', closedPorts: 'all', openedPorts: 'none' },
  // The internet node: shop declares no flow to or from public addresses.
  { sourceNamespace: 'shop', destinationNamespace: 'internet', ports: 'all', enforcedPorts: 'none', closedPorts: 'all', openedPorts: 'none' },
  { sourceNamespace: 'internet', destinationNamespace: 'shop', ports: 'all', enforcedPorts: 'none', closedPorts: 'all', openedPorts: 'none' },
];

describe.each(BACKENDS)('a namespace in monitor mode on %s', backend => {
  const monitored = reportOf(platform(backend, Enforcement.MONITOR));
  const enforced = reportOf(platform(backend, Enforcement.ENFORCE));

  test('now, nothing stops traffic to and from it', () => {
    for (const other of ['ingress-nginx', 'kube-system', 'monitoring']) {
      expect(monitored.allowedPorts(other, 'shop')).toBe('all');
      expect(monitored.allowedPorts('shop', other)).toBe('all');
    }
    expect(monitored.canReach('monitoring', 'shop/db', Port.tcp(5432))).toBe(true);
  });

  test('as enforced, it is exactly the report of the same app in enforce mode', () => {
    expect(monitored.asEnforced().namespaceMatrix()).toEqual(enforced.namespaceMatrix());
    expect(monitored.asEnforced().pods).toEqual(enforced.pods);
    for (const [from, to] of [['monitoring', 'shop/db'], ['shop/web', 'billing/api'], ['shop/db', 'billing/api']]) {
      expect(monitored.asEnforced().allowedPorts(from, to)).toBe(enforced.allowedPorts(from, to));
    }
    Flows.fromReport(monitored.asEnforced()).assertDenied('monitoring', 'shop/db', Port.tcp(5432));
    Flows.fromReport(monitored.asEnforced()).assertAllowed('shop/web', 'billing/api', Port.tcp(8443));
    expect(monitored.asEnforced().explain('monitoring', 'shop/web', Port.tcp(9090))).toMatch(/^allowed: monitoring\/monitoring can reach shop\/web on TCP\/9090/);
  });

  test('the changes are what enforcement would block, and nothing it would open', () => {
    expect(monitored.enforcementChanges()).toEqual(CHANGES);
    // Within shop, allow-same-namespace keeps every port open: no change there either.
    expect(monitored.enforcementChanges(true)).toEqual(CHANGES);
  });

  test('the enforcement markdown is the enforced matrix with the cells enforcement changes struck through', () => {
    expect(monitored.toEnforcementMarkdown()).toBe([
      '| from ↓ / to → | billing | ingress-nginx | kube-system | monitoring | shop | internet |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      `| **billing** | all | — | ${DNS} | — | — | — |`,
      '| **ingress-nginx** | — | all | all | all | ~~all~~ → TCP 8080 | all |',
      '| **kube-system** | — | all | all | all | ~~all~~ → — | all |',
      '| **monitoring** | — | all | all | all | ~~all~~ → TCP 9090 | all |',
      `| **shop** | TCP 8443 | ~~all~~ → — | ~~all~~ → ${DNS} | ~~all~~ → — | all | ~~all~~ → — |`,
      '| *internet* | — | all | all | all | ~~all~~ → — | — |',
      '',
    ].join('\n'));
    expect(monitored.asEnforced().toMarkdown()).toBe(enforced.toMarkdown());
  });
});

describe('without monitor mode', () => {
  const report = reportOf(platform(NetworkBackend.CALICO, Enforcement.ENFORCE));

  test('enforcement changes nothing, and the report as enforced answers the same', () => {
    expect(report.enforcementChanges(true)).toEqual([]);
    expect(report.asEnforced().namespaceMatrix()).toEqual(report.namespaceMatrix());
    expect(report.toEnforcementMarkdown()).toBe(report.toMarkdown());
  });

  test('the report as enforced is its own asEnforced()', () => {
    const enforced = report.asEnforced();
    expect(enforced.asEnforced()).toBe(enforced);
    expect(report.asEnforced()).toBe(enforced);
    expect(enforced.enforcementChanges()).toEqual([]);
  });
});

test('a staged policy that admits more than the NetworkPolicy it replaces opens ports, from plain manifests', () => {
  const pod = (namespace: string, name: string) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
  });
  const ingress = (ports: object[]) => ({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports }] });
  const report = ConnectivityReport.fromManifests([
    pod('a', 'client'), pod('b', 'server'),
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'b' }, spec: ingress([{ port: 80 }]) },
    { apiVersion: 'projectcalico.org/v3', kind: 'StagedKubernetesNetworkPolicy', metadata: { name: 'web', namespace: 'b' }, spec: ingress([{ port: 80 }, { port: 443 }]) },
  ]);
  expectValidManifests(report.analyzedObjects());
  // The policy admits every source, the internet node too.
  expect(report.enforcementChanges()).toEqual([
    { sourceNamespace: 'a', destinationNamespace: 'b', ports: 'TCP 80', enforcedPorts: 'TCP 80, TCP 443', closedPorts: 'none', openedPorts: 'TCP 443' },
    { sourceNamespace: 'internet', destinationNamespace: 'b', ports: 'TCP 80', enforcedPorts: 'TCP 80, TCP 443', closedPorts: 'none', openedPorts: 'TCP 443' },
  ]);
});

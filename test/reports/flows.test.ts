import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { restrictedDeployment } from '../../examples/workloads';
import { ClusterProfile, ConnectivityReport, Flows, Peer, Port, TenantNamespace } from '../../src';
import { errorOf, thrownBy } from '../helpers';
import { expectValidManifests } from '../schema';

/** Two tenants behind an ingress controller; `acme/api` is reachable from it on 8080. */
function tenants(app: App = Testing.app()): { app: App; chart: Chart; acme: TenantNamespace } {
  const chart = new Chart(app, 'tenants');
  const cluster = new ClusterProfile(chart, 'cluster', { ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }) });
  const acme = new TenantNamespace(chart, 'acme', { cluster });
  const globex = new TenantNamespace(chart, 'globex', { cluster });
  for (const tenant of ['acme', 'globex']) {
    restrictedDeployment(chart, tenant, { app: 'api', image: 'registry.example.com/api:1.0.0', ports: [{ number: 8080, name: 'http' }] });
  }
  acme.pods({ app: 'api' }).connections.allowFrom(cluster.ingressController, Port.tcp(8080));
  globex.pods({ app: 'api' }).connections.allowFrom(cluster.ingressController, Port.tcp(8080));
  return { app, chart, acme };
}

/** Flows of the app of `chart`, after checking every synthesized object against the schema. */
function flowsOf(chart: Chart): Flows {
  expectValidManifests(Testing.synth(chart));
  const flows = Flows.of(chart);
  expectValidManifests(flows.report.analyzedObjects());
  return flows;
}

describe('Flows.of', () => {
  test('a chart is analysed with the whole app it belongs to', () => {
    const { app, chart } = tenants();
    const other = new Chart(app, 'other');
    new TenantNamespace(other, 'initech');
    restrictedDeployment(other, 'initech', { app: 'api', image: 'registry.example.com/api:1.0.0' });
    expectValidManifests(Testing.synth(other));
    const flows = flowsOf(chart);
    expect(flows.report).toBeInstanceOf(ConnectivityReport);
    expect(flows.report.namespaces).toEqual(['acme', 'globex', 'ingress-nginx', 'initech', 'kube-system']);
    flows.assertDenied('initech', 'acme', Port.tcp(8080));
    flows.assertAllowed('initech', 'kube-system/kube-dns', Port.udp(53));
  });

  test('an app, a chart and a construct inside it give the same report', () => {
    const { app, chart, acme } = tenants();
    const markdown = flowsOf(chart).report.toMarkdown();
    expect(Flows.of(app).report.toMarkdown()).toBe(markdown);
    expect(Flows.of(acme).report.toMarkdown()).toBe(markdown);
  });

  test('the app is synthesized when Flows.of is called: later flows need a new Flows', () => {
    const { chart, acme } = tenants();
    const before = flowsOf(chart);
    acme.pods({ app: 'api' }).connections.allowTo(Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }), Port.tcp(10254));
    before.assertDenied('acme', 'ingress-nginx', Port.tcp(10254));
    flowsOf(chart).assertAllowed('acme', 'ingress-nginx', Port.tcp(10254));
  });

  test('a chart outside an App is refused (cdk8s cannot synthesize it)', () => {
    const chart = new Chart(new Construct(undefined as any, ''), 'standalone');
    expect(errorOf(() => Flows.of(chart))).toBe('Flows.of: "standalone" is not inside a cdk8s App; create its chart in an App (new App() or Testing.app())');
  });

  test('anything but a construct is refused', () => {
    expect(errorOf(() => Flows.of(undefined as any))).toBe('Flows.of expects an app, a chart or a construct inside one, got undefined');
    expect(errorOf(() => Flows.of({} as any))).toBe('Flows.of expects an app, a chart or a construct inside one, got object');
    expect(errorOf(() => Flows.fromReport({} as any))).toBe('Flows.fromReport expects a ConnectivityReport');
  });
});

describe('assertions', () => {
  const flows = flowsOf(tenants().chart);

  test('passing assertions return nothing', () => {
    expect(flows.assertAllowed('ingress-nginx/ingress-nginx', 'acme/api', Port.tcp(8080))).toBeUndefined();
    expect(flows.assertAllowed('ingress-nginx', 'globex', Port.tcp(8080))).toBeUndefined();
    expect(flows.assertAllowed('acme', 'kube-system/kube-dns', Port.tcp(53))).toBeUndefined();
    expect(flows.assertDenied('acme', 'globex', Port.tcp(8080))).toBeUndefined();
    expect(flows.assertDenied('globex/api', 'acme/api', Port.udp(8080))).toBeUndefined();
    expect(flows.assertDenied('ingress-nginx', 'acme', Port.tcp(9090))).toBeUndefined();
  });

  test('a failed assertAllowed throws a plain Error with the engine explanation', () => {
    const error = thrownBy(() => flows.assertAllowed('acme/api', 'globex/api', Port.tcp(8080)));
    expect(error.constructor).toBe(Error);
    expect(error.message).toBe(
      'expected acme/api to reach globex/api on TCP 8080, but it cannot: denied: '
      + 'egress from acme/api is isolated by acme/default-deny, acme/allow-dns, acme/allow-same-namespace and no egress rule allows TCP/8080 to globex/api; '
      + 'ingress to globex/api is isolated by globex/default-deny, globex/allow-same-namespace, globex/allow-from-ingress-nginx-to-api '
      + 'and no ingress rule allows TCP/8080 from acme/api',
    );
    expect(errorOf(() => flows.assertAllowed('acme', 'globex', Port.tcp(8080)))).toMatch(
      /^expected acme to reach globex on TCP 8080, but it cannot: denied: the one pod pair from acme to globex is not allowed on TCP\/8080; for example acme\/api to globex\/api: denied: /,
    );
  });

  test('a failed assertDenied throws with the rules that allow the traffic', () => {
    const error = thrownBy(() => flows.assertDenied('ingress-nginx', 'acme', Port.tcp(8080)));
    expect(error.constructor).toBe(Error);
    expect(error.message).toBe(
      'expected ingress-nginx not to reach acme on TCP 8080, but it can: allowed: ingress-nginx/ingress-nginx can reach acme/api on TCP/8080 '
      + '(1 of 1 pod pair from ingress-nginx to acme can): allowed: egress from ingress-nginx/ingress-nginx is not isolated; '
      + 'ingress to acme/api is allowed by acme/allow-from-ingress-nginx-to-api ingress[0]',
    );
  });

  test('bad arguments throw as such, not as failed assertions', () => {
    expect(errorOf(() => flows.assertDenied('acme', 'globex', Port.allTraffic()))).toMatch(/^canReach: "all traffic" is not a single numeric port/);
    expect(errorOf(() => flows.assertAllowed('acme', 'initech', Port.tcp(80)))).toMatch(/^unknown destination namespace "initech"/);
  });

  test('Flows over a report from plain manifests', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'server', namespace: 'b', labels: { app: 'server' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27.1' }] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'only-443', namespace: 'b' },
        spec: { podSelector: {}, ingress: [{ ports: [{ port: 443, protocol: 'TCP' }] }] },
      },
    ];
    expectValidManifests(objects);
    const manual = Flows.fromReport(ConnectivityReport.fromManifests(objects));
    manual.assertAllowed('a/client', 'b/server', Port.tcp(443));
    manual.assertDenied('a/client', 'b/server', Port.tcp(80));
    expect(errorOf(() => manual.assertAllowed('a', 'b', Port.tcp(80)))).toContain('ingress to b/server is isolated by b/only-443 and no ingress rule allows TCP/80 from a/client');
  });
});

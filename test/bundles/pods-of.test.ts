// podsOf(workload) and Port.ofWorkload(workload): flows name a workload instead of copying its
// labels and ports, and the policies on both sides select that workload's pods.
import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ConnectivityReport, Exposure, Findings, PodHardening, Port, Protocol, RuleId, SecurityZone, TeamNamespace,
} from '../../src';
import { errorOf, findObject, flowPolicyNames, newChart, policyOf, synthValid } from '../helpers';

const ADDR = 'cdk8s.io/metadata.addr';

/** A cdk8s-plus Deployment with the given container ports (its pods are hardened for `restricted`). */
function deployment(
  scope: Construct, namespace: string, name: string, ports: kplus.ContainerPort[], props: Partial<kplus.DeploymentProps> = {},
): kplus.Deployment {
  const d = new kplus.Deployment(scope, `${namespace}-${name}`, {
    metadata: { name, namespace },
    containers: [{ name, image: `registry.example.com/${name}:1.0.0`, ports, resources: RESOURCES }],
    ...props,
  });
  PodHardening.restricted(d);
  return d;
}

const RESOURCES = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
};

/** The rendered selector labels of a workload's pods. */
function renderedSelector(workload: Construct): { [key: string]: string } {
  return ApiObject.of(workload).toJson().spec.selector.matchLabels;
}

/** A plain ApiObject Deployment, not a cdk8s-plus one. */
function rawDeployment(scope: Construct, id: string, namespace: string, spec: { [key: string]: unknown }): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: id, namespace }, spec });
}

const CONTAINERS = [{ name: 'app', image: 'registry.example.com/app:1.0.0', ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }] }];

describe('podsOf', () => {
  test('both sides of a flow select the workload\'s pods, and only them', () => {
    const { chart } = newChart();
    const shop = new TeamNamespace(chart, 'shop');
    const payments = new TeamNamespace(chart, 'payments');
    const web = deployment(chart, 'shop', 'web', []);
    deployment(chart, 'shop', 'batch', []);
    const api = deployment(chart, 'payments', 'api', [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }]);
    deployment(chart, 'payments', 'ledger', [{ number: 8080, name: 'http' }]);

    shop.podsOf(web).connections.allowTo(payments.podsOf(api), ...Port.ofWorkload(api, { names: ['http'] }));
    const objects = synthValid(chart);

    // The kplus default: the pods are selected by their address label, as the Deployment selects them.
    const webPods = renderedSelector(web);
    const apiPods = renderedSelector(api);
    expect(Object.keys(webPods)).toEqual([ADDR]);
    expect(flowPolicyNames(objects, 'shop')).toEqual(['allow-to-payments-api-from-web']);
    expect(flowPolicyNames(objects, 'payments')).toEqual(['allow-from-shop-web-to-api']);
    const egress = policyOf(objects, 'shop', 'allow-to-payments-api-from-web');
    expect(egress.spec.podSelector).toEqual({ matchLabels: webPods });
    expect(egress.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: { matchLabels: apiPods } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
    const ingress = policyOf(objects, 'payments', 'allow-from-shop-web-to-api');
    expect(ingress.spec.podSelector).toEqual({ matchLabels: apiPods });
    expect(ingress.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: webPods } }]);

    // The analysis of the synthesized policies: web reaches api on its http port, and nothing else crosses.
    const report = ConnectivityReport.fromChart(chart);
    expect(report.allowedPorts('shop/web', 'payments/api')).toBe('TCP 8080');
    expect(report.canReach('shop/web', 'payments/ledger', Port.tcp(8080))).toBe(false);
    expect(report.canReach('shop/batch', 'payments/api', Port.tcp(8080))).toBe(false);
    expect(report.canReach('shop/web', 'payments/api', Port.tcp(9090))).toBe(false);
    // No selector of the flow misses the workloads (unmatched-flow-selector would say so).
    expect(Findings.of(chart).filter(f => f.ruleId === RuleId.UNMATCHED_FLOW_SELECTOR)).toEqual([]);
  });

  test('a workload with a selector of its own is selected by it, and named after the workload', () => {
    const { chart } = newChart();
    const shop = new TeamNamespace(chart, 'shop');
    const web = deployment(chart, 'shop', 'storefront', [{ number: 8443, name: 'https' }], { select: false });
    web.select(kplus.LabelSelector.of({ labels: { app: 'web', tier: 'front' } }));
    web.podMetadata.addLabel('app', 'web');
    web.podMetadata.addLabel('tier', 'front');
    const pods = shop.podsOf(web);
    expect(pods.podLabels).toEqual({ app: 'web', tier: 'front' });
    expect(pods.peerName).toBe('shop-storefront');
    pods.connections.allowFrom(shop, ...Port.ofWorkload(web));
    const objects = synthValid(chart);
    // Both sides live in the namespace; the policies read as the workload's name.
    expect(flowPolicyNames(objects, 'shop')).toEqual(['allow-from-shop-to-storefront', 'allow-to-shop-storefront']);
    expect(policyOf(objects, 'shop', 'allow-from-shop-to-storefront').spec.podSelector).toEqual({ matchLabels: { app: 'web', tier: 'front' } });
    expect(policyOf(objects, 'shop', 'allow-to-shop-storefront').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'web', tier: 'front' } } }],
      ports: [{ protocol: 'TCP', port: 8443 }],
    }]);
  });

  test('every cdk8s-plus workload kind: by its selector, or by its pod labels where it has none', () => {
    const { chart } = newChart({ namespace: 'jobs' });
    const team = new TeamNamespace(chart, 'jobs');
    const containers = [{ image: 'registry.example.com/worker:1.0.0', ports: [{ number: 8080 }] }];
    const stateful = new kplus.StatefulSet(chart, 'db', { containers, service: new kplus.Service(chart, 'db-svc', { ports: [{ port: 5432 }] }) });
    const daemon = new kplus.DaemonSet(chart, 'agent', { containers });
    const job = new kplus.Job(chart, 'migrate', { containers });
    const pod = new kplus.Pod(chart, 'debug', { containers });
    for (const w of [stateful, daemon, job, pod]) {
      PodHardening.restricted(w);
      const pods = team.podsOf(w);
      const rendered = ApiObject.of(w).toJson();
      // A Job renders no selector and a Pod has none: their pods carry the pod template's labels.
      const template = rendered.kind === 'Pod' ? rendered.metadata.labels : rendered.spec.template.metadata.labels;
      expect(Object.entries(pods.podLabels).every(([k, v]) => template[k] === v)).toBe(true);
      expect(pods.podLabels[ADDR]).toBe(template[ADDR]);
      pods.connections.allowFrom(team, ...Port.ofWorkload(w));
    }
    // Both sides of each flow, named after the workloads (cdk8s names them from their paths).
    const names = flowPolicyNames(synthValid(chart), 'jobs');
    expect(names).toHaveLength(8);
    expect(names).toContain(`allow-from-jobs-to-${ApiObject.of(job).name}`);
  });

  test('any ApiObject with a pod template: its selector, else its template labels', () => {
    const { chart } = newChart();
    PodHardening.restrictedInManagedNamespaces(chart);
    const team = new TeamNamespace(chart, 'apps');
    const template = { metadata: { labels: { app: 'api', version: 'v2' } }, spec: { containers: CONTAINERS } };
    const bySelector = rawDeployment(chart, 'api', 'apps', { selector: { matchLabels: { app: 'api' } }, template });
    const byExpression = rawDeployment(chart, 'canary', 'apps', {
      selector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'version', operator: 'In', values: ['v2'] }] }, template,
    });
    const pod = new ApiObject(chart, 'client', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'apps', labels: { app: 'client' } }, spec: { containers: CONTAINERS },
    });
    expect(team.podsOf(bySelector).podLabels).toEqual({ app: 'api' });
    // Selector expressions cannot be matchLabels: every template label is, and every pod carries them.
    expect(team.podsOf(byExpression).podLabels).toEqual({ app: 'api', version: 'v2' });
    expect(team.podsOf(pod).podLabels).toEqual({ app: 'client' });
    team.podsOf(bySelector).connections.allowFrom(team.podsOf(pod), ...Port.ofWorkload(bySelector, { names: ['http'] }));
    const objects = synthValid(chart);
    expect(policyOf(objects, 'apps', 'allow-from-apps-client-to-api').spec).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } }, podSelector: { matchLabels: { app: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });

    // A custom resource with a standard pod template (not synthesized here: it has no schema).
    const custom = newChart();
    const rollouts = new TeamNamespace(custom.chart, 'rollouts');
    const rollout = new ApiObject(custom.chart, 'rollout', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'rollout', namespace: 'rollouts' },
      spec: { template: { metadata: { labels: { app: 'rollout' } }, spec: { containers: CONTAINERS } } },
    });
    expect(rollouts.podsOf(rollout).podLabels).toEqual({ app: 'rollout' });
    expect(Port.ofWorkload(rollout).map(p => p.toString())).toEqual(['TCP 8080', 'TCP 9090']);
  });

  test('a zone selects a workload from the member it runs in', () => {
    const { chart } = newChart();
    const web = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'] });
    const data = new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] });
    const cart = deployment(chart, 'cart', 'cart', []);
    const db = deployment(chart, 'orders-db', 'postgres', [{ number: 5432, name: 'postgres' }]);
    const pods = web.podsOf(cart);
    expect(pods.peerName).toBe('cart');
    pods.connections.allowTo(data.podsOf(db), ...Port.ofWorkload(db));
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'cart')).toEqual(['allow-from-zone-web', 'allow-to-orders-db-postgres-from-cart', 'allow-to-zone-web']);
    expect(flowPolicyNames(objects, 'orders-db')).toEqual(['allow-from-cart-to-postgres']);
    expect(flowPolicyNames(objects, 'storefront')).toEqual(['allow-from-zone-web', 'allow-to-zone-web']);
    expect(errorOf(() => data.podsOf(cart))).toBe('[test/data] podsOf(test/cart-cart): the Deployment "cart" runs in namespace "cart", '
      + 'which is not a member of zone "data". Fix: set its metadata.namespace to a member: "orders-db"');
  });

  test('errors name the bundle, the workload and the fix', () => {
    const { chart } = newChart();
    const shop = new TeamNamespace(chart, 'shop');
    new TeamNamespace(chart, 'payments');
    const elsewhere = deployment(chart, 'payments', 'api', []);
    expect(errorOf(() => shop.podsOf(elsewhere))).toBe('[test/shop] podsOf(test/payments-api): the Deployment "api" runs in namespace "payments", not in "shop". '
      + 'Fix: select it from the bundle of its namespace (test/payments.podsOf), or set its metadata.namespace to "shop"');
    const nowhere = new kplus.Deployment(chart, 'nowhere', { metadata: { name: 'nowhere' }, containers: [{ image: 'x' }] });
    expect(errorOf(() => shop.podsOf(nowhere))).toContain('the Deployment "nowhere" names no namespace, not in "shop". Fix: set its metadata.namespace to "shop"');
    const config = new kplus.ConfigMap(chart, 'config', { metadata: { namespace: 'shop' } });
    expect(errorOf(() => shop.podsOf(config))).toMatch(/^\[test\/shop\] podsOf\(test\/config\): test\/config is a ConfigMap, which has no pod template\. Fix: pass a workload/);
    const unlabelled = rawDeployment(chart, 'unlabelled', 'shop', { template: { spec: { containers: CONTAINERS } } });
    expect(errorOf(() => shop.podsOf(unlabelled))).toContain('test/unlabelled has no pod selector and no pod template labels, so nothing selects its pods');
    const mismatched = rawDeployment(chart, 'mismatched', 'shop', {
      selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: CONTAINERS } },
    });
    expect(errorOf(() => shop.podsOf(mismatched))).toContain('has a selector that its own pod template does not match (app=other)');
    expect(errorOf(() => shop.podsOf({} as any))).toBe('[test/shop] podsOf([object Object]) was given [object Object] instead of a workload. '
      + 'Fix: pass a cdk8s-plus workload (for example a kplus.Deployment) or the ApiObject of a workload');
  });

  test('a workload changed after its pods were read fails synthesis', () => {
    const { chart } = newChart();
    const shop = new TeamNamespace(chart, 'shop');
    const web = deployment(chart, 'shop', 'web', [{ number: 8080, name: 'http' }], { select: false });
    web.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
    web.podMetadata.addLabel('app', 'web');
    shop.podsOf(web).connections.allowFrom(shop, ...Port.ofWorkload(web));
    // Reading again is harmless; changing the selector or the ports afterwards is not.
    shop.podsOf(web);
    web.select(kplus.LabelSelector.of({ labels: { tier: 'front' } }));
    web.podMetadata.addLabel('tier', 'front');
    web.containers[0].addPort({ number: 9090 });
    expect(() => synthValid(chart)).toThrow(/its namespace or pod labels and its container ports changed after flows were declared with it \(podsOf, Port\.ofWorkload\)/);

    const other = newChart();
    PodHardening.restrictedInManagedNamespaces(other.chart);
    const team = new TeamNamespace(other.chart, 'team');
    const raw = rawDeployment(other.chart, 'api', 'team', { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: CONTAINERS } } });
    team.podsOf(raw).connections.allowFrom(team, Port.tcp(8080));
    raw.addJsonPatch(JsonPatch.replace('/metadata/namespace', 'elsewhere'));
    Findings.silence(other.chart);
    expect(() => synthValid(other.chart)).toThrow(/test\/api.*its namespace or pod labels changed after flows were declared with it/);
  });
});

describe('Port.ofWorkload', () => {
  test('one port per container port, with its protocol, init containers included; by name on request', () => {
    const chart = new Chart(newChart().app, 'ports');
    const dns = new kplus.Deployment(chart, 'dns', {
      metadata: { namespace: 'infra' },
      containers: [{ image: 'coredns', ports: [{ number: 53, name: 'dns', protocol: kplus.Protocol.UDP }, { number: 53, name: 'dns-tcp' }] }],
      initContainers: [{ image: 'proxy', ports: [{ number: 9153, name: 'metrics' }] }],
    });
    expect(Port.ofWorkload(dns).map(p => p.toString())).toEqual(['UDP 53', 'TCP 53', 'TCP 9153']);
    expect(Port.ofWorkload(dns, { byName: true }).map(p => p.toString())).toEqual(['UDP dns', 'TCP dns-tcp', 'TCP metrics']);
    expect(Port.ofWorkload(dns, { names: ['metrics'], byName: true }).map(p => [p.toString(), p.protocol])).toEqual([['TCP metrics', Protocol.TCP]]);
  });

  test('errors name the workload and the fix', () => {
    const { chart } = newChart();
    const bare = new kplus.Deployment(chart, 'bare', { metadata: { name: 'bare', namespace: 'x' }, containers: [{ image: 'x' }] });
    expect(errorOf(() => Port.ofWorkload(bare))).toBe('[test/bare] Port.ofWorkload: the Deployment "bare" declares no container port. '
      + 'Fix: declare the ports on its containers (for example ports: [{ number: 8080, name: "http" }]), or list the ports with Port.tcp(...)');
    const api = new kplus.Deployment(chart, 'api', { metadata: { name: 'api', namespace: 'x' }, containers: [{ image: 'x', ports: [{ number: 8080, name: 'http' }, { number: 9000 }] }] });
    expect(errorOf(() => Port.ofWorkload(api, { names: ['grpc'] }))).toBe('[test/api] Port.ofWorkload: the Deployment "api" has no container port named "grpc". '
      + 'Fix: list names among "http", or leave names out for every port');
    expect(errorOf(() => Port.ofWorkload(api, { byName: true }))).toContain('container port TCP 9000 of the Deployment "api" has no name');
    const config = new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'x' } });
    expect(errorOf(() => Port.ofWorkload(config))).toContain('[test/config] Port.ofWorkload: test/config is a ConfigMap, which has no pod template');
    expect(findObject(synthValid(chart), 'Deployment', 'x', 'api').spec.template.spec.containers[0].ports).toEqual([
      { containerPort: 8080, name: 'http' }, { containerPort: 9000 },
    ]);
  });
});

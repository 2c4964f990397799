// Monitor mode per network backend: what a monitored bundle writes on a plain Kubernetes CNI, on
// Calico (staged policies) and on Cilium (the allow-all, with a warning), and that switching a bundle
// from MONITOR to ENFORCE changes only what it must.
import { Chart, Testing } from 'cdk8s';
import {
  ClusterProfile, Enforcement, Findings, FindingSeverity, NamespaceBundle, NetworkBackend, Peer, Port, RuleId, TeamNamespace,
} from '../../src';
import { errorOf, findObject, K8sObject, newChart, objectsOf, policyNames, synthValid } from '../helpers';
import { SCENARIOS } from '../rules/scenarios';

const STAGED = 'StagedKubernetesNetworkPolicy';
const INTENDED = ['allow-dns', 'allow-from-ingress-nginx-to-web', 'allow-same-namespace', 'allow-to-payments-api-from-web', 'default-deny'];

/**
 * One app: a profile for the backend, the bundle `shop` in the given mode with a flow in and a flow
 * out, and the enforcing bundle `payments` at the other end of the flow out.
 */
function app(backend: NetworkBackend | undefined, enforcement: Enforcement): { chart: Chart; shop: TeamNamespace } {
  const { chart } = newChart();
  Findings.silence(chart);
  const cluster = new ClusterProfile(chart, 'cluster', {
    ...(backend === undefined ? {} : { networkBackend: backend }),
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  });
  const shop = new TeamNamespace(chart, 'shop', { cluster, enforcement });
  const payments = new TeamNamespace(chart, 'payments', { cluster });
  shop.pods({ app: 'web' }).connections.allowFrom(cluster.ingressController, Port.tcp(8080));
  shop.pods({ app: 'web' }).connections.allowTo(payments.pods({ app: 'api' }), Port.tcp(8443));
  return { chart, shop };
}

const synth = (backend: NetworkBackend | undefined, enforcement: Enforcement) => synthValid(app(backend, enforcement).chart);
const names = (objects: K8sObject[], kind: string, namespace: string) => objectsOf(objects, kind, namespace).map(o => o.metadata.name).sort();
const key = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** What changes between two syntheses: objects that go, objects that come, objects that differ. */
function diff(before: K8sObject[], after: K8sObject[]) {
  const was = new Map(before.map(o => [key(o), o]));
  const is = new Map(after.map(o => [key(o), o]));
  return {
    removed: before.filter(o => !is.has(key(o))),
    added: after.filter(o => !was.has(key(o))),
    changed: after.filter(o => was.has(key(o)) && JSON.stringify(was.get(key(o))) !== JSON.stringify(o)).map(key),
  };
}

/** The labels whose values differ between two versions of an object, with both values. */
function labelChanges(a: K8sObject, b: K8sObject): { [label: string]: [string | undefined, string | undefined] } {
  const la = a.metadata.labels ?? {};
  const lb = b.metadata.labels ?? {};
  const out: { [label: string]: [string | undefined, string | undefined] } = {};
  for (const k of new Set([...Object.keys(la), ...Object.keys(lb)])) if (la[k] !== lb[k]) out[k] = [la[k], lb[k]];
  return out;
}

describe('the profile', () => {
  test('defaults to a plain Kubernetes backend', () => {
    const { chart } = newChart();
    expect(new ClusterProfile(chart, 'cluster').networkBackend).toBe(NetworkBackend.KUBERNETES);
    expect(new ClusterProfile(chart, 'calico', { networkBackend: NetworkBackend.CALICO }).networkBackend).toBe('calico');
  });

  test('refuses a backend that is not a NetworkBackend, with the path and the choices', () => {
    const { chart } = newChart();
    expect(errorOf(() => new ClusterProfile(chart, 'cluster', { networkBackend: 'flannel' as NetworkBackend }))).toBe(
      '[test/cluster] networkBackend "flannel" is not a NetworkBackend; use NetworkBackend.KUBERNETES, CALICO or CILIUM. '
      + 'Fix: correct the ClusterProfile properties as described');
  });
});

describe('monitor mode on a plain Kubernetes backend', () => {
  test('writes the intended NetworkPolicies and a monitor-only allow-all, exactly as without a profile backend', () => {
    const objects = synth(NetworkBackend.KUBERNETES, Enforcement.MONITOR);
    expect(policyNames(objects, 'shop')).toEqual([...INTENDED, 'monitor-allow-all'].sort());
    expect(findObject(objects, 'NetworkPolicy', 'shop', 'monitor-allow-all').metadata.annotations).toEqual({ 'namespace-guard.dev/monitor-only': 'true' });
    expect(objectsOf(objects, STAGED)).toEqual([]);
    expect(Testing.synth(app(undefined, Enforcement.MONITOR).chart)).toEqual(objects);
  });
});

describe('monitor mode on Calico', () => {
  test('writes every intended policy as a staged policy, and no NetworkPolicy at all in the namespace', () => {
    const objects = synth(NetworkBackend.CALICO, Enforcement.MONITOR);
    expect(names(objects, STAGED, 'shop')).toEqual(INTENDED);
    expect(policyNames(objects, 'shop')).toEqual([]);
    const deny = findObject(objects, STAGED, 'shop', 'default-deny');
    expect(deny).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: STAGED,
      metadata: { name: 'default-deny', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard' } },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    // The enforcing bundle of the same app is not affected.
    expect(policyNames(objects, 'payments')).toEqual(['allow-dns', 'allow-from-shop-web-to-api', 'allow-same-namespace', 'default-deny']);
    expect(names(objects, STAGED, 'payments')).toEqual([]);
  });

  test('an enforcing bundle on Calico writes plain NetworkPolicies', () => {
    const objects = synth(NetworkBackend.CALICO, Enforcement.ENFORCE);
    expect(policyNames(objects, 'shop')).toEqual(INTENDED);
    expect(objectsOf(objects, STAGED)).toEqual([]);
  });

  test('the rules read the staged policies as the intended ones: a monitored tenant\'s flow to another tenant is found, as a warning', () => {
    const { chart } = newChart();
    Findings.silence(chart);
    SCENARIOS['monitored-tenant: a tenant in monitor mode on Calico, its flow to another tenant staged'](chart);
    const one = NamespaceBundle.find(chart, 'customer1')!;
    expect(errorOf(() => synthValid(chart))).toContain('[test/customer1] monitored-tenant: ');
    one.acknowledge(RuleId.MONITORED_TENANT, 'migration to enforcement tracked in PLAT-42');
    synthValid(chart);
    expect(one.findings.map(f => [f.ruleId, f.severity, f.objectKind, f.objectName, f.message])).toEqual([
      [RuleId.MONITORED_TENANT, FindingSeverity.ERROR, 'Namespace', 'customer1',
        'tenant namespace "customer1" is in monitor mode: Pod Security enforces baseline only, its network policies are only staged '
        + '(Calico reports them, nothing enforces them), and its findings are only warnings, so the customer is not isolated'],
      [RuleId.CROSS_TENANT_FLOW, FindingSeverity.WARNING, STAGED, 'allow-to-customer2',
        'tenant namespace "customer1" sends traffic to tenant namespace "customer2" (policy allow-to-customer2)'],
    ]);
  });

  test('staged policies are the other side of a flow: a flow into a monitored namespace that its staged policies do not admit is one-sided', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { networkBackend: NetworkBackend.CALICO });
    new TeamNamespace(chart, 'shop', { cluster, enforcement: Enforcement.MONITOR });
    const payments = new TeamNamespace(chart, 'payments', { cluster });
    // Written on one side only: shop's staged default-deny will drop it once shop enforces.
    payments.connections.allowTo(Peer.namespaceNamed('shop'), Port.tcp(8080));
    expect(Findings.of(chart).map(f => [f.ruleId, f.severity, f.namespaceName, f.target])).toEqual([
      [RuleId.ONE_SIDED_FLOW, FindingSeverity.ERROR, 'payments', 'shop'],
    ]);
  });
});

describe('monitor mode on Cilium', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  const build = () => {
    const { chart } = newChart();
    SCENARIOS['unaudited-monitor-mode: a team in monitor mode on Cilium'](chart);
    return { chart, shop: NamespaceBundle.find(chart, 'shop')! };
  };
  const message = 'namespace "shop" is in monitor mode on Cilium, whose policy audit mode applies to the whole agent or to single endpoints, '
    + 'not to a namespace: policy monitor-allow-all (namespace-guard.dev/monitor-only) lets all traffic through, so nothing in the cluster '
    + 'reports what the intended policies would block';
  const fix = 'review what enforcement would block with namespace-guard reach --as-enforced (or ConnectivityReport.asEnforced()); for Cilium '
    + 'to report it, enforce the bundle with Cilium\'s policy audit mode on for its endpoints; or acknowledge the finding';

  test('keeps the allow-all, marked with the backend, and warns once at synthesis', () => {
    const { chart, shop } = build();
    const objects = synthValid(chart);
    expect(findObject(objects, 'NetworkPolicy', 'shop', 'monitor-allow-all').metadata.annotations).toEqual({
      'namespace-guard.dev/monitor-only': 'true',
      'namespace-guard.dev/network-backend': 'cilium',
    });
    expect(objectsOf(objects, STAGED)).toEqual([]);
    expect(warn.mock.calls).toEqual([[`[namespace-guard] warning (monitor mode) [test/shop] unaudited-monitor-mode: ${message}. Fix: ${fix}`]]);
    expect(shop.findings).toEqual([{
      ruleId: RuleId.UNAUDITED_MONITOR_MODE,
      severity: FindingSeverity.WARNING,
      path: 'test/shop',
      namespaceName: 'shop',
      objectKind: 'NetworkPolicy',
      objectName: 'monitor-allow-all',
      message,
      fix,
      monitored: true,
    }]);
  });

  test('the warning is acknowledged on the bundle', () => {
    const { chart, shop } = build();
    shop.acknowledge(RuleId.UNAUDITED_MONITOR_MODE, 'reviewed with reach --as-enforced every week until PLAT-7');
    synthValid(chart);
    expect(shop.findings.map(f => f.acknowledgedReason)).toEqual(['reviewed with reach --as-enforced every week until PLAT-7']);
    expect(warn.mock.calls.map(c => c[0])).toEqual([expect.stringMatching(/^\[namespace-guard\] acknowledged \[test\/shop\] unaudited-monitor-mode: /)]);
  });

  test('an enforcing bundle on Cilium, and monitor mode on the other backends, are not this finding', () => {
    for (const [backend, enforcement] of [
      [NetworkBackend.CILIUM, Enforcement.ENFORCE], [NetworkBackend.KUBERNETES, Enforcement.MONITOR], [NetworkBackend.CALICO, Enforcement.MONITOR],
    ] as const) {
      const { chart } = app(backend, enforcement);
      synthValid(chart);
      expect(Findings.of(chart).filter(f => f.ruleId === RuleId.UNAUDITED_MONITOR_MODE)).toEqual([]);
    }
  });
});

describe('switching a bundle from MONITOR to ENFORCE changes only what it must', () => {
  // Pod Security goes from enforcing baseline (auditing at restricted) to enforcing restricted.
  const namespaceChange = {
    'namespace-guard.dev/enforcement': ['monitor', 'enforce'],
    'pod-security.kubernetes.io/enforce': ['baseline', 'restricted'],
  };

  test.each([NetworkBackend.KUBERNETES, NetworkBackend.CILIUM])('on %s the allow-all goes, and with it the monitor annotations', backend => {
    const monitored = synth(backend, Enforcement.MONITOR);
    const enforced = synth(backend, Enforcement.ENFORCE);
    const d = diff(monitored, enforced);
    expect(d.removed.map(key)).toEqual(['NetworkPolicy shop/monitor-allow-all']);
    expect(d.added).toEqual([]);
    expect(d.changed).toEqual(['Namespace /shop']);
    expect(labelChanges(findObject(monitored, 'Namespace', undefined, 'shop'), findObject(enforced, 'Namespace', undefined, 'shop'))).toEqual(namespaceChange);
    expect(enforced.filter(o => JSON.stringify(o.metadata.annotations ?? {}).includes('monitor'))).toEqual([]);
  });

  test('on calico each staged policy becomes the NetworkPolicy of the same name and spec', () => {
    const monitored = synth(NetworkBackend.CALICO, Enforcement.MONITOR);
    const enforced = synth(NetworkBackend.CALICO, Enforcement.ENFORCE);
    const d = diff(monitored, enforced);
    expect(d.removed.map(key).sort()).toEqual(INTENDED.map(n => `${STAGED} shop/${n}`));
    expect(d.added.map(o => ({ ...o, apiVersion: 'projectcalico.org/v3', kind: STAGED })).sort((a, b) => key(a).localeCompare(key(b))))
      .toEqual([...d.removed].sort((a, b) => key(a).localeCompare(key(b))));
    expect(d.added.map(o => `${o.apiVersion} ${o.kind}`)).toEqual(INTENDED.map(() => 'networking.k8s.io/v1 NetworkPolicy'));
    expect(d.changed).toEqual(['Namespace /shop']);
    expect(labelChanges(findObject(monitored, 'Namespace', undefined, 'shop'), findObject(enforced, 'Namespace', undefined, 'shop'))).toEqual(namespaceChange);
  });
});

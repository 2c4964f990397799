import { ApiObject, Chart } from 'cdk8s';
import {
  ClusterDns,
  ClusterProfile,
  Enforcement,
  NamespaceBundle,
  Peer,
  PodSecurityLevel,
  Port,
  RuleId,
  Subject,
  TeamNamespace,
  TeamNamespaceProps,
} from '../../src';
import {
  errorOf, findObject, flowPolicyNames, K8sObject, namespaceLabels, namespaceOf, newChart, objectsOf, policyNames, policyOf, synthValid, valuesUnder,
} from '../helpers';

function bundle(chart: Chart, props: TeamNamespaceProps = {}): NamespaceBundle {
  return new TeamNamespace(chart, 'apps', { namespaceName: 'apps', teamName: 'apps-team', ...props });
}

const DNS_PORTS = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];
const KUBE_DNS_PEER = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};

describe('the objects of a bundle', () => {
  test('the Namespace is the default child, so Node.of(bundle).defaultChild and ApiObject.of(bundle) find it', () => {
    const { chart } = newChart();
    const apps = bundle(chart);
    expect(apps.node.defaultChild).toBe(apps.namespaceObject);
    expect(ApiObject.of(apps)).toBe(apps.namespaceObject);
    expect(apps.namespaceObject.kind).toBe('Namespace');
  });

  test('a bundle is a Namespace, a ServiceAccount, a quota, a limit range and the base policies, in that order', () => {
    const { chart } = newChart();
    bundle(chart);
    const objects = synthValid(chart);
    expect(objects.map(o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//apps',
      'ServiceAccount/apps/default',
      'ResourceQuota/apps/namespace-quota',
      'ResourceQuota/apps/namespace-guard-system-priority',
      'LimitRange/apps/container-limits',
      'NetworkPolicy/apps/default-deny',
      'NetworkPolicy/apps/allow-dns',
      'NetworkPolicy/apps/allow-same-namespace',
    ]);
  });

  test('every namespaced object carries the managed-by label and lives in the bundle namespace', () => {
    const { chart } = newChart();
    bundle(chart, { admins: [Subject.group('apps-admins')] });
    const objects = synthValid(chart);
    for (const o of objects) {
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('cdk8s-namespace-guard');
      if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe('apps');
    }
  });

  test('the Namespace carries the profile, owner, enforcement and pinned Pod Security labels', () => {
    const { chart } = newChart();
    bundle(chart);
    const objects = synthValid(chart);
    expect(namespaceLabels(objects, 'apps')).toEqual({
      'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard',
      'namespace-guard.dev/profile': 'team',
      'namespace-guard.dev/team': 'apps-team',
      'namespace-guard.dev/enforcement': 'enforce',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
    });
    expect(namespaceOf(objects, 'apps').metadata.annotations).toBeUndefined();
  });

  test('namespaceLabels are added next to the bundle labels', () => {
    const { chart } = newChart();
    bundle(chart, { namespaceLabels: { 'cost-centre': 'cc-42', 'example.com/owner': 'platform' } });
    const labels = namespaceLabels(synthValid(chart), 'apps');
    expect(labels).toMatchObject({ 'cost-centre': 'cc-42', 'example.com/owner': 'platform', 'namespace-guard.dev/profile': 'team' });
  });

  test('the default ServiceAccount does not mount its token', () => {
    const { chart } = newChart();
    bundle(chart);
    const sa = findObject(synthValid(chart), 'ServiceAccount', 'apps', 'default');
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('no RBAC objects without subjects', () => {
    const { chart } = newChart();
    bundle(chart);
    const objects = synthValid(chart);
    expect(objects.filter(o => o.apiVersion.startsWith('rbac.authorization.k8s.io/'))).toEqual([]);
  });
});

describe('base network policies', () => {
  test('default-deny selects every pod and denies all ingress and egress', () => {
    const { chart } = newChart();
    bundle(chart);
    const policy = policyOf(synthValid(chart), 'apps', 'default-deny');
    expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('allow-dns allows UDP and TCP 53 to the kube-dns pods in kube-system by default', () => {
    const { chart } = newChart();
    bundle(chart);
    const policy = policyOf(synthValid(chart), 'apps', 'allow-dns');
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [KUBE_DNS_PEER], ports: DNS_PORTS }],
    });
  });

  test('allow-dns reaches a NodeLocal DNSCache by its /32 address', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.nodeLocal('169.254.20.10') });
    bundle(chart, { cluster });
    const policy = policyOf(synthValid(chart), 'apps', 'allow-dns');
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: DNS_PORTS }]);
  });

  test('allow-dns reaches both NodeLocal DNSCache and kube-dns when both are declared', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal('169.254.20.10') });
    bundle(chart, { cluster });
    const policy = policyOf(synthValid(chart), 'apps', 'allow-dns');
    expect(policy.spec.egress).toEqual([{ to: [KUBE_DNS_PEER, { ipBlock: { cidr: '169.254.20.10/32' } }], ports: DNS_PORTS }]);
  });

  test('allow-dns follows a custom DNS namespace and pod labels', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDns({ namespaceName: 'dns', podLabels: { app: 'coredns' } }) });
    bundle(chart, { cluster });
    const policy = policyOf(synthValid(chart), 'apps', 'allow-dns');
    expect(policy.spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } },
      podSelector: { matchLabels: { app: 'coredns' } },
    }]);
  });

  test('no namespace is ever selected by a forgeable "name" label', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', {
      dns: ClusterDns.kubeDnsAndNodeLocal('169.254.20.10'),
      ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
      monitoring: Peer.namespaceNamed('monitoring'),
    });
    const apps = bundle(chart, { cluster });
    apps.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
    apps.connections.allowFrom(cluster.monitoring, Port.named('metrics'));
    const other = new TeamNamespace(chart, 'other', { cluster });
    other.connections.allowTo(apps.pods({ app: 'api' }), Port.tcp(8080));
    const selectors = valuesUnder(synthValid(chart), 'namespaceSelector') as Array<{ matchLabels?: object; matchExpressions?: Array<{ key: string }> }>;
    expect(selectors.length).toBeGreaterThan(0);
    for (const selector of selectors) {
      expect(Object.keys(selector.matchLabels ?? {})).not.toContain('name');
      for (const expression of selector.matchExpressions ?? []) expect(expression.key).toBe('kubernetes.io/metadata.name');
    }
  });

  test('allow-same-namespace lets the pods of the namespace talk to each other', () => {
    const { chart } = newChart();
    bundle(chart);
    const policy = policyOf(synthValid(chart), 'apps', 'allow-same-namespace');
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
  });

  test('allowSameNamespace: false leaves the pods of the namespace isolated from each other', () => {
    const { chart } = newChart();
    bundle(chart, { allowSameNamespace: false });
    expect(policyNames(synthValid(chart), 'apps')).toEqual(['allow-dns', 'default-deny']);
  });
});

describe('Pod Security versions', () => {
  test('the default version is v1.35 on all three modes', () => {
    const { chart } = newChart();
    bundle(chart);
    const labels = namespaceLabels(synthValid(chart), 'apps');
    for (const mode of ['enforce', 'audit', 'warn']) expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.35');
  });

  test('the cluster profile version applies unless the bundle pins its own; latest only when asked', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { podSecurityVersion: 'v1.33' });
    new TeamNamespace(chart, 'from-cluster', { cluster });
    new TeamNamespace(chart, 'own', { cluster, podSecurityVersion: 'v1.31' });
    new TeamNamespace(chart, 'follows', { podSecurityVersion: 'latest' });
    const objects = synthValid(chart);
    expect(namespaceLabels(objects, 'from-cluster')['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
    expect(namespaceLabels(objects, 'own')['pod-security.kubernetes.io/audit-version']).toBe('v1.31');
    expect(namespaceLabels(objects, 'follows')['pod-security.kubernetes.io/warn-version']).toBe('latest');
    const pinned = objectsOf(objects, 'Namespace').filter(n => n.metadata.name !== 'follows');
    for (const ns of pinned) expect(Object.values(ns.metadata.labels ?? {})).not.toContain('latest');
  });
});

describe('monitor mode', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test('enforces baseline at least (a pod never owns its node), audits and warns at the chosen level', () => {
    const { chart } = newChart();
    bundle(chart, { enforcement: Enforcement.MONITOR, podSecurity: PodSecurityLevel.BASELINE });
    const labels = namespaceLabels(synthValid(chart), 'apps');
    expect(labels).toMatchObject({
      'namespace-guard.dev/enforcement': 'monitor',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'baseline',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'baseline',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
    });
  });

  test('adds monitor-allow-all and keeps the intended policies for review', () => {
    const { chart } = newChart();
    const apps = bundle(chart, { enforcement: Enforcement.MONITOR });
    apps.connections.allowFrom(Peer.namespaceNamed('ingress'), Port.tcp(8080));
    const objects = synthValid(chart);
    expect(policyNames(objects, 'apps')).toEqual(['allow-dns', 'allow-from-ingress', 'allow-same-namespace', 'default-deny', 'monitor-allow-all']);
    expect(policyOf(objects, 'apps', 'monitor-allow-all').spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}],
    });
  });

  test('an enforcing bundle has no monitor-allow-all policy', () => {
    const { chart } = newChart();
    bundle(chart);
    expect(policyNames(synthValid(chart), 'apps')).not.toContain('monitor-allow-all');
  });

  test('findings are only warned, with the path and rule id, and synthesis succeeds', () => {
    const { chart } = newChart();
    const apps = bundle(chart, { enforcement: Enforcement.MONITOR, podSecurity: PodSecurityLevel.PRIVILEGED });
    const objects = synthValid(chart);
    synthValid(chart);
    expect(objects.length).toBeGreaterThan(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('[namespace-guard] warning (monitor mode) [test/apps] privileged-pod-security:');
    expect(apps.findings.map(f => [f.ruleId, f.acknowledgedReason])).toEqual([[RuleId.PRIVILEGED_POD_SECURITY, undefined]]);
  });

  test('a monitored bundle without findings warns nothing', () => {
    const { chart } = newChart();
    bundle(chart, { enforcement: Enforcement.MONITOR });
    synthValid(chart);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('charts', () => {
  test('with a chart namespace, the Namespace has no metadata.namespace and the rest keep their own', () => {
    const { chart } = newChart({ namespace: 'chart-wide' });
    bundle(chart);
    const objects = synthValid(chart);
    const ns = namespaceOf(objects, 'apps');
    expect(ns.metadata).not.toHaveProperty('namespace');
    for (const o of objects.filter(x => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('apps');
  });

  test('every object lands in the caller chart; no chart is created', () => {
    const { app, chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster');
    for (const name of ['one', 'two', 'three']) new TeamNamespace(chart, name, { cluster, editors: [Subject.group(`${name}-devs`)] });
    expect(app.charts).toHaveLength(1);
    expect(app.charts[0]).toBe(chart);
    const objects = synthValid(chart);
    expect(objectsOf(objects, 'Namespace').map(n => n.metadata.name)).toEqual(['one', 'two', 'three']);
    expect(objects).toHaveLength(3 * 10);
  });

  test('NamespaceBundle.all and find see the bundles of the app, not of another app', () => {
    const { chart } = newChart();
    const one = new TeamNamespace(chart, 'one');
    const two = bundle(chart);
    const other = newChart();
    new TeamNamespace(other.chart, 'one');
    expect(NamespaceBundle.all(chart)).toEqual([one, two]);
    expect(NamespaceBundle.find(two, 'one')).toBe(one);
    expect(NamespaceBundle.find(chart, 'missing')).toBeUndefined();
    expect(NamespaceBundle.all(other.chart)).toHaveLength(1);
    expect(NamespaceBundle.find(other.chart, 'one')).not.toBe(one);
  });
});

describe('flows and findings', () => {
  test('flows declared after construction still land in the output', () => {
    const { chart } = newChart();
    const apps = bundle(chart);
    const before = synthValid(chart);
    expect(flowPolicyNames(before, 'apps')).toEqual([]);
    apps.connections.allowTo(Peer.ipv4('10.10.0.0/16'), Port.tcp(443));
    apps.connections.allowTo(Peer.ipv4('10.10.0.0/16'), Port.tcp(8443));
    const policy = policyOf(synthValid(chart), 'apps', 'allow-to-cidr-10-10-0-0-16');
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 8443 }] }]);
  });

  test('a plain bundle has no findings', () => {
    const { chart } = newChart();
    expect(bundle(chart).findings).toEqual([]);
  });

  test('an acknowledgement is trimmed and written to the Namespace annotation', () => {
    const { chart } = newChart();
    const apps = bundle(chart, { podSecurity: PodSecurityLevel.PRIVILEGED });
    apps.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, '  CSI node plugins need host access  ');
    const objects: K8sObject[] = synthValid(chart);
    expect(namespaceOf(objects, 'apps').metadata.annotations).toEqual({
      'namespace-guard.dev/acknowledged': 'privileged-pod-security: CSI node plugins need host access',
    });
    expect(apps.findings).toEqual([expect.objectContaining({
      ruleId: 'privileged-pod-security', path: 'test/apps', acknowledgedReason: 'CSI node plugins need host access',
    })]);
  });

  test('acknowledging twice with different reasons is an error, not a silent replacement', () => {
    const { chart } = newChart();
    const apps = bundle(chart, { podSecurity: PodSecurityLevel.PRIVILEGED });
    apps.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'first reason given here');
    expect(errorOf(() => apps.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'second reason given here'))).toBe(
      '[test/apps] acknowledge("privileged-pod-security"): "privileged-pod-security" is acknowledged twice with different reasons '
      + '("first reason given here" and "second reason given here"); keep one reason. Fix: acknowledge each rule and target once');
    // The same reason again is harmless.
    apps.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'first reason given here');
    expect(apps.findings[0].acknowledgedReason).toBe('first reason given here');
    expect(namespaceOf(synthValid(chart), 'apps').metadata.annotations?.['namespace-guard.dev/acknowledged']).toBe('privileged-pod-security: first reason given here');
  });
});

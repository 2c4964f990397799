import {
  ClusterDns, ClusterProfile, Peer, Port, Protocol, TeamNamespace, TenantNamespace,
} from '../../src';
import { DEFAULT_POD_SECURITY_VERSION } from '../../src/cluster/pod-security-version';
import { errorOf, flowPolicyNames, namespaceLabels, newChart, policyOf, synthValid } from '../helpers';

describe('ClusterProfile', () => {
  test('defaults: kube-dns in kube-system and the default Pod Security version', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster');
    expect(cluster.podSecurityVersion).toBe(DEFAULT_POD_SECURITY_VERSION);
    expect(DEFAULT_POD_SECURITY_VERSION).toBe('v1.35');
    new TeamNamespace(chart, 'team', { cluster });
    const objects = synthValid(chart);
    expect(policyOf(objects, 'team', 'allow-dns').spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }]);
  });

  test('the profile itself synthesizes no objects; bundles stay in the caller chart', () => {
    const { app, chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.nodeLocal('169.254.20.10') });
    new TeamNamespace(chart, 'team', { cluster });
    const objects = synthValid(chart);
    expect(objects.every(o => o.metadata.namespace === 'team' || o.metadata.name === 'team')).toBe(true);
    expect(app.charts).toEqual([chart]);
  });

  test('ingressController, monitoring and apiServer are the declared peers', () => {
    const { chart } = newChart();
    const ingress = Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
    const monitoring = Peer.namespaceNamed('monitoring');
    const apiServer = Peer.ipv4('10.0.0.1/32');
    const cluster = new ClusterProfile(chart, 'cluster', { ingressController: ingress, monitoring, apiServer });
    expect(cluster.ingressController).toBe(ingress);
    expect(cluster.monitoring).toBe(monitoring);
    expect(cluster.apiServer).toBe(apiServer);

    const tenant = new TenantNamespace(chart, 'customer1', { cluster });
    tenant.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
    tenant.connections.allowFrom(cluster.monitoring, Port.named('metrics'));
    tenant.pods({ app: 'webhook' }).connections.allowFrom(cluster.apiServer, Port.tcp(8443));
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'customer1')).toEqual([
      'allow-from-cidr-10-0-0-1-32-to-webhook', 'allow-from-ingress-nginx', 'allow-from-monitoring',
    ]);
    expect(policyOf(objects, 'customer1', 'allow-from-cidr-10-0-0-1-32-to-webhook').spec).toEqual({
      podSelector: { matchLabels: { app: 'webhook' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [{ protocol: 'TCP', port: 8443 }] }],
    });
  });

  test('peers that were not declared throw with the fix', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster');
    expect(errorOf(() => cluster.ingressController)).toBe(
      '[test/cluster] the cluster profile declares no ingressController. Fix: pass ingressController: '
      + 'Peer.pods("ingress-nginx", { "app.kubernetes.io/name": "ingress-nginx" }) to the ClusterProfile',
    );
    expect(errorOf(() => cluster.monitoring)).toContain('declares no monitoring');
    expect(errorOf(() => cluster.apiServer)).toContain('declares no apiServer');
  });

  test('monitoringPorts: named ports only, metrics by default', () => {
    const { chart } = newChart();
    expect(new ClusterProfile(chart, 'default').monitoringPorts.map(p => p.toString())).toEqual(['TCP metrics']);
    const ports = [Port.named('prom'), Port.named('otlp', Protocol.UDP)];
    const own = new ClusterProfile(chart, 'own', { monitoringPorts: ports });
    expect(own.monitoringPorts).toEqual(ports);
    expect(own.monitoringPorts).not.toBe(ports);
    expect(errorOf(() => new ClusterProfile(chart, 'numbers', { monitoringPorts: [Port.named('metrics'), Port.tcp(9090), Port.allTraffic()] }))).toBe(
      '[test/numbers] monitoringPorts lists TCP 9090, which is not a named port: a number could be any service of the scraped pods; '
      + 'list the container port names monitoring scrapes, for example [Port.named("metrics")], or leave monitoringPorts out for that default; '
      + 'monitoringPorts lists all traffic, which is not a named port: a number could be any service of the scraped pods; '
      + 'list the container port names monitoring scrapes, for example [Port.named("metrics")], or leave monitoringPorts out for that default. '
      + 'Fix: correct the ClusterProfile properties as described');
    expect(errorOf(() => new ClusterProfile(chart, 'empty', { monitoringPorts: [] }))).toContain('monitoringPorts must list at least one port');
    expect(errorOf(() => new ClusterProfile(chart, 'invalid', { monitoringPorts: [Port.named('Metrics_Port')] })))
      .toContain('monitoringPorts: named port "Metrics_Port" is not a valid container port name');
    expect(errorOf(() => new ClusterProfile(chart, 'text', { monitoringPorts: ['metrics' as any] }))).toContain('monitoringPorts lists "metrics", which is not a Port');
  });

  test('the Pod Security version is shared by the bundles that use the profile', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { podSecurityVersion: 'v1.32' });
    new TeamNamespace(chart, 'one', { cluster });
    new TenantNamespace(chart, 'two', { cluster });
    const objects = synthValid(chart);
    for (const ns of ['one', 'two']) {
      const labels = namespaceLabels(objects, ns);
      for (const mode of ['enforce', 'audit', 'warn']) expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.32');
    }
  });

  test('pod, service and node CIDRs are declared once, of either family, and exposed as given', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', {
      podCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['192.168.0.0/20'],
    });
    expect([cluster.podCidrs, cluster.serviceCidrs, cluster.nodeCidrs]).toEqual([['10.244.0.0/16', 'fd00:10:244::/56'], ['10.96.0.0/12'], ['192.168.0.0/20']]);
    expect(new ClusterProfile(chart, 'empty').podCidrs).toEqual([]);
  });

  test('NodeLocal DNS may be IPv6', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.nodeLocal('fd00::a') });
    new TeamNamespace(chart, 'team', { cluster });
    expect(policyOf(synthValid(chart), 'team', 'allow-dns').spec.egress[0].to).toEqual([{ ipBlock: { cidr: 'fd00::a/128' } }]);
  });

  test.each([
    ['a CIDR as NodeLocal address', { dns: ClusterDns.nodeLocal('169.254.20.10/32') }, 'NodeLocal DNS address "169.254.20.10/32" is not a single IP address'],
    ['an invalid DNS namespace', { dns: ClusterDns.kubeDns({ namespaceName: 'Kube_System' }) }, 'DNS namespace "Kube_System" is invalid'],
    ['invalid DNS pod labels', { dns: ClusterDns.kubeDns({ podLabels: { 'k8s-app': 'kube dns' } }) }, 'label value "kube dns" (key "k8s-app") is invalid'],
    ['a pod selector as apiServer', { apiServer: Peer.allPods() }, 'apiServer must be an IP block'],
    ['a bad ingress controller peer', { ingressController: Peer.pods('Ingress', { app: 'nginx' }) }, 'ingressController: namespace name "Ingress" is invalid'],
    ['a bad Pod Security version', { podSecurityVersion: 'v1.x' }, 'podSecurityVersion "v1.x" is not a Pod Security Admission version'],
    ['an octal-looking NodeLocal address', { dns: ClusterDns.nodeLocal('169.254.020.10') }, 'NodeLocal DNS address "169.254.020.10" is not a single IP address'],
    ['a NodeLocal address with a zone', { dns: ClusterDns.nodeLocal('fe80::a%eth0') }, 'NodeLocal DNS address "fe80::a%eth0" is not a single IP address'],
    ['an octal-looking apiServer', { apiServer: Peer.ipv4('010.0.0.1/32') }, 'apiServer: Peer.ipv4("010.0.0.1/32"): "010.0.0.1/32" is not a CIDR block'],
    ['a hex pod CIDR', { podCidrs: ['0xa.244.0.0/16'] }, 'podCidrs: "0xa.244.0.0/16" is not a CIDR block; write it as address/prefix in canonical form (no leading zeros)'],
    ['an octal-looking pod CIDR', { podCidrs: ['012.0.0.0/8'] }, 'podCidrs: "012.0.0.0/8" is not a CIDR block'],
    ['a zero-padded prefix', { serviceCidrs: ['10.96.0.0/012'] }, 'serviceCidrs: "10.96.0.0/012" is not a CIDR block'],
    ['host bits in a service CIDR', { serviceCidrs: ['10.96.0.1/12'] }, 'serviceCidrs: "10.96.0.1/12" has host bits set; did you mean "10.96.0.0/12"?'],
    ['an IPv6 node CIDR with a zone', { nodeCidrs: ['fe80::%eth0/64'] }, 'nodeCidrs: "fe80::%eth0/64" is not a CIDR block'],
    ['a bare node address', { nodeCidrs: ['10.0.0.1'] }, 'nodeCidrs: "10.0.0.1" has no prefix length; did you mean "10.0.0.1/32"?'],
    ['every address as pod CIDR', { podCidrs: ['::/0'] }, 'podCidrs: "::/0" is every address'],
  ])('refuses %s', (_name, props, problem) => {
    const { chart } = newChart();
    const message = errorOf(() => new ClusterProfile(chart, 'cluster', props));
    expect(message).toMatch(/^\[test\/cluster\] /);
    expect(message).toContain(problem);
    expect(message).toContain('Fix: correct the ClusterProfile properties as described');
  });
});

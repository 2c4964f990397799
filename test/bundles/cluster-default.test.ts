// The app's only ClusterProfile is every bundle's default: forgetting `cluster` must not silently
// fall back to kube-dns (a DNS outage on a NodeLocal DNSCache cluster).
import {
  ClusterDns, ClusterProfile, Exposure, Port, SecurityZone, TeamNamespace, TenantNamespace,
} from '../../src';
import { findObject, newChart, synthValid } from '../helpers';

const NODE_LOCAL = '169.254.20.10';

function dnsPeers(objects: any[], namespace: string): unknown[] {
  return findObject(objects, 'NetworkPolicy', namespace, 'allow-dns').spec.egress[0].to;
}

describe('the default cluster profile', () => {
  test('with one ClusterProfile, bundles without cluster use its DNS, ranges and Pod Security version', () => {
    const { chart } = newChart();
    new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal(NODE_LOCAL), podSecurityVersion: 'v1.33', podCidrs: ['52.0.0.0/16'] });
    const tenant = new TenantNamespace(chart, 'customer1');
    new SecurityZone(chart, 'web', { exposure: Exposure.INTERNET, namespaces: ['storefront'], internetPorts: [Port.tcp(443)] });
    const objects = synthValid(chart);
    for (const ns of ['customer1', 'storefront']) {
      expect(dnsPeers(objects, ns)).toContainEqual({ ipBlock: { cidr: `${NODE_LOCAL}/32` } });
      expect(findObject(objects, 'Namespace', undefined, ns).metadata.labels?.['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
    }
    expect(tenant.podSecurityVersion).toBe('v1.33');
    // The internet peer of the zone excludes the declared pod CIDR.
    const internet = findObject(objects, 'NetworkPolicy', 'storefront', 'allow-from-internet').spec.ingress[0].from[0].ipBlock;
    expect(internet.except).toContain('52.0.0.0/16');
  });

  test('a bundle may override the DNS without a second profile', () => {
    const { chart } = newChart();
    new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal(NODE_LOCAL) });
    new TeamNamespace(chart, 'legacy', { dns: ClusterDns.kubeDns() });
    new TeamNamespace(chart, 'payments');
    const objects = synthValid(chart);
    expect(dnsPeers(objects, 'legacy')).not.toContainEqual({ ipBlock: { cidr: `${NODE_LOCAL}/32` } });
    expect(dnsPeers(objects, 'payments')).toContainEqual({ ipBlock: { cidr: `${NODE_LOCAL}/32` } });
    expect(() => new TeamNamespace(chart, 'bad', { dns: { nodeLocal: true } as any })).toThrow(/\[test\/bad\] .*dns \{"nodeLocal":true\} is not a ClusterDns; use ClusterDns.kubeDns\(\)/);
  });

  test('with several profiles, a bundle must name one', () => {
    const { chart } = newChart();
    const east = new ClusterProfile(chart, 'east');
    new ClusterProfile(chart, 'west', { dns: ClusterDns.kubeDnsAndNodeLocal(NODE_LOCAL) });
    expect(() => new TenantNamespace(chart, 'customer1')).toThrow(
      '[test/customer1] the app has 2 ClusterProfiles (test/east, test/west) and the bundle names none. Fix: pass cluster: the ClusterProfile of the cluster this namespace runs on');
    expect(() => new SecurityZone(chart, 'db', { exposure: Exposure.RESTRICTED, namespaces: ['db'] })).toThrow(/\[test\/db\] the app has 2 ClusterProfiles/);
    new TenantNamespace(chart, 'customer2', { cluster: east });
    synthValid(chart);
  });

  test('a profile created after a bundle that names none fails synthesis instead of being ignored', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal(NODE_LOCAL) });
    expect(() => chart.node.root.node.validate()).not.toThrow();
    const errors = chart.node.findAll().flatMap(c => c.node.validate());
    expect(errors).toEqual([
      'ClusterProfile test/cluster was created after this bundle, which names no cluster profile and so used kube-dns and no declared ranges. '
      + 'Fix: create the ClusterProfile before the bundles, or pass cluster to the bundle',
    ]);
    expect(() => (chart.node.root as any).synth()).toThrow(/ClusterProfile test\/cluster was created after this bundle/);
  });

  test('a profile created later that says nothing the bundle reads (only the monitoring bundle) is fine; two profiles after a bundle that names none are not', () => {
    const { chart } = newChart();
    const tools = new TeamNamespace(chart, 'tools');
    new ClusterProfile(chart, 'cluster', { monitoring: tools });
    synthValid(chart);

    const { chart: two } = newChart();
    new TeamNamespace(two, 'shop');
    new ClusterProfile(two, 'east');
    new ClusterProfile(two, 'west');
    expect(two.node.findAll().flatMap(c => c.node.validate())).toEqual([
      'the app has 2 ClusterProfiles (test/east, test/west), created after this bundle, which names none. '
      + 'Fix: create the ClusterProfile before the bundles, or pass cluster to the bundle',
    ]);
  });

  test('without any profile, kube-dns as before', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    const objects = synthValid(chart);
    expect(dnsPeers(objects, 'customer1')).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
    ]);
  });
});

// The two address rules at synthesis: link-local-egress (cloud metadata and the node's link-local
// addresses) and cluster-range-flow (a tenant reaching the cluster's pod or Service CIDR by address).
import { ApiObject, Chart } from 'cdk8s';
import {
  ClusterDns, ClusterProfile, Enforcement, Exposure, Findings, Peer, Port, RuleId, SecurityZone, TeamNamespace, TenantNamespace,
} from '../../src';
import { newChart, synthValid } from '../helpers';
import { SCENARIOS } from './scenarios';

/** `rule target policy` per finding, with `(acknowledged)` when accepted. */
function summary(chart: Chart): string[] {
  Findings.silence(chart);
  return Findings.of(chart).map(f => `${f.ruleId} ${f.target} ${f.objectName}${f.acknowledgedReason ? ' (acknowledged)' : ''}${f.severity === 'warning' ? ' (warning)' : ''}`);
}

function rawEgressPolicy(chart: Chart, namespace: string, name: string, egress: unknown[], annotations?: Record<string, string>): void {
  new ApiObject(chart, name, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress },
  });
}

describe('link-local-egress', () => {
  test('Peer.internet() opens neither the metadata service nor link-local addresses: no finding', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'payments');
    team.connections.allowTo(Peer.internet(), Port.tcp(80), Port.tcp(443));
    new SecurityZone(chart, 'web', { exposure: Exposure.INTERNET, namespaces: ['storefront'], internetPorts: [Port.tcp(443)] });
    synthValid(chart);
    expect(summary(chart)).toEqual([]);
  });

  test('an IP block over the link-local range on port 80 fails synthesis: the metadata address and the range', () => {
    const { chart } = newChart();
    SCENARIOS['link-local-egress: a team opens the link-local range on port 80'](chart);
    expect(summary(chart)).toEqual([
      'link-local-egress 169.254.169.254/32 allow-to-cidr-169-254-0-0-16',
      'link-local-egress 169.254.0.0/16 allow-to-cidr-169-254-0-0-16',
    ]);
    const finding = Findings.of(chart)[0];
    expect(finding.severity).toBe('error');
    expect(finding.message).toBe('NetworkPolicy "allow-to-cidr-169-254-0-0-16" in namespace "payments" opens the cloud metadata address 169.254.169.254/32 (egress[0]): '
      + 'pods could reach the node\'s cloud identity or node-local services');
    expect(() => synthValid(chart)).toThrow(/link-local-egress: NetworkPolicy "allow-to-cidr-169-254-0-0-16" in namespace "payments" opens the cloud metadata address/);
  });

  test('the metadata address through its IPv4-mapped and NAT64 forms is the metadata address', () => {
    const { chart } = newChart();
    SCENARIOS['link-local-egress: the metadata address through its IPv4-mapped and NAT64 forms'](chart);
    expect(summary(chart)).toEqual([
      'link-local-egress 169.254.169.254/32 allow-to-cidr-ffff-169-254-169-254-128',
      'link-local-egress 169.254.169.254/32 allow-to-cidr-64-ff9b-a9fe-a9fe-128',
    ]);
  });

  test('every cloud\'s metadata address, on any port, even 53', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'payments');
    team.connections.allowTo(Peer.ipv6('fd00:ec2::/64'), Port.tcp(80));
    team.connections.allowTo(Peer.ipv4('100.100.100.0/24'), Port.tcp(80));
    team.connections.allowTo(Peer.ipv4('169.254.169.254/32'), Port.udp(53));
    expect(summary(chart)).toEqual([
      'link-local-egress fd00:ec2::254/128 allow-to-cidr-fd00-ec2-64',
      'link-local-egress 100.100.100.200/32 allow-to-cidr-100-100-100-0-24',
      'link-local-egress 169.254.169.254/32 allow-to-cidr-169-254-169-254-32',
    ]);
  });

  test('an egress rule without "to", or a block of a whole family, is one finding per policy: the metadata addresses even on port 53 alone', () => {
    const { chart } = newChart();
    SCENARIOS['link-local-egress: an IP block of everything, and an open rule on port 53 (metadata on any port)'](chart);
    expect(summary(chart)).toEqual([
      'link-local-egress undefined allow-to-cidr-0-0-0-0-0-except',
      'link-local-egress undefined open-dns',
    ]);
    const [block, open] = Findings.of(chart);
    expect(block.message).toBe('NetworkPolicy "allow-to-cidr-0-0-0-0-0-except" in namespace "payments" opens every address (egress[0]), '
      + 'the cloud metadata addresses 169.254.169.254/32, 100.100.100.200/32, 168.63.129.16/32 and link-local addresses (169.254.0.0/16) beyond port 53 included: '
      + 'pods could reach the node\'s cloud identity or node-local services');
    expect(open.message).toContain('opens every address (egress[0]), the cloud metadata addresses 169.254.169.254/32, fd00:ec2::254/128, 100.100.100.200/32, 168.63.129.16/32 included');
    expect(open.fix).toContain('acknowledge link-local-egress on the namespace without appliesTo');
  });

  test('an open egress rule is acknowledged on the namespace without appliesTo; naming addresses does not cover it', () => {
    const named = newChart().chart;
    rawEgressPolicy(named, 'tools', 'allow-all', [{}]);
    new TeamNamespace(named, 'tools').acknowledge(RuleId.LINK_LOCAL_EGRESS, 'the tools reach the metadata service', { appliesTo: ['169.254.169.254/32'] });
    expect(summary(named)).toEqual(['link-local-egress undefined allow-all']);
    const blanket = newChart().chart;
    rawEgressPolicy(blanket, 'tools', 'allow-all', [{}]);
    new TeamNamespace(blanket, 'tools').acknowledge(RuleId.LINK_LOCAL_EGRESS, 'the tools reach the metadata service');
    expect(summary(blanket)).toEqual(['link-local-egress undefined allow-all (acknowledged)']);
  });

  test('link-local DNS on port 53 is no finding: NodeLocal DNSCache (ClusterDns) and the AWS VPC resolver', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal('169.254.20.10') });
    const team = new TeamNamespace(chart, 'payments', { cluster });
    team.connections.allowTo(Peer.ipv4('169.254.169.253/32'), Port.udp(53), Port.tcp(53));
    rawEgressPolicy(chart, 'payments', 'fe80-dns', [{ to: [{ ipBlock: { cidr: 'fe80::/10' } }], ports: [{ protocol: 'UDP', port: 53 }] }]);
    synthValid(chart);
    expect(summary(chart)).toEqual([]);
    // On another port, or on a named port (which may be any number), it is a finding.
    team.connections.allowTo(Peer.ipv4('169.254.20.10/32'), Port.tcp(8080));
    team.connections.allowTo(Peer.ipv6('fe80::/64'), Port.named('dns'));
    expect(summary(chart)).toEqual([
      'link-local-egress 169.254.0.0/16 allow-to-cidr-169-254-20-10-32',
      'link-local-egress fe80::/10 allow-to-cidr-fe80-64',
    ]);
  });

  test('an except that closes the metadata address and the link-local range clears the finding', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'payments');
    team.connections.allowTo(Peer.ipv4('169.0.0.0/8', ['169.254.0.0/17', '169.254.128.0/17']), Port.tcp(80));
    synthValid(chart);
    expect(summary(chart)).toEqual([]);
  });

  test('acknowledged on the namespace per address; monitor-only policies are skipped; monitor mode warns', () => {
    const { chart } = newChart();
    SCENARIOS['link-local-egress: acknowledged for one address only'](chart);
    expect(summary(chart)).toEqual([
      'link-local-egress 169.254.169.254/32 allow-to-cidr-169-254-0-0-16',
      'link-local-egress 169.254.0.0/16 allow-to-cidr-169-254-0-0-16 (acknowledged)',
    ]);

    const other = newChart().chart;
    rawEgressPolicy(other, 'tools', 'allow-all', [{}], { 'namespace-guard.dev/monitor-only': 'true' });
    const monitored = new TeamNamespace(other, 'monitored', { enforcement: Enforcement.MONITOR });
    monitored.connections.allowTo(Peer.ipv4('169.254.169.254/32'), Port.tcp(80));
    expect(summary(other)).toEqual(['link-local-egress 169.254.169.254/32 allow-to-cidr-169-254-169-254-32 (warning)']);
  });
});

describe('cluster-range-flow', () => {
  test('a tenant flow to a block covering the declared pod or Service CIDR fails synthesis, naming the range', () => {
    const { chart } = newChart();
    SCENARIOS['cluster-range-flow: a tenant flow to a block covering the pod CIDR'](chart);
    expect(summary(chart)).toEqual([
      'cluster-range-flow 10.244.0.0/16 allow-to-cidr-10-0-0-0-8',
      'cluster-range-flow 10.96.0.0/12 allow-to-cidr-10-0-0-0-8',
      'cluster-range-flow 10.96.0.0/12 allow-from-cidr-10-96-0-0-16',
    ]);
    expect(Findings.of(chart)[0].message).toBe('tenant namespace "customer1" sends traffic to the cluster\'s pod CIDR 10.244.0.0/16 by address '
      + '(ipBlock 10.0.0.0/8, policy allow-to-cidr-10-0-0-0-8), which reaches every tenant\'s pods');
    expect(Findings.of(chart)[0].fix).toBe('select the pods by namespace and labels instead, except 10.244.0.0/16 from the block, '
      + 'or acknowledge cluster-range-flow for "10.244.0.0/16" on tenant "customer1"');
  });

  test('acknowledged per range on the tenant', () => {
    const { chart } = newChart();
    SCENARIOS['cluster-range-flow: acknowledged for the service CIDR only'](chart);
    expect(summary(chart)).toEqual([
      'cluster-range-flow 10.244.0.0/16 allow-to-cidr-10-0-0-0-8',
      'cluster-range-flow 10.96.0.0/12 allow-to-cidr-10-0-0-0-8 (acknowledged)',
    ]);
  });

  test('no finding without declared ranges, for blocks that except the ranges, for Peer.internet(), or outside tenants', () => {
    const { chart } = newChart();
    const undeclared = new TenantNamespace(chart, 'customer1');
    undeclared.connections.allowTo(Peer.ipv4('10.0.0.0/8'), Port.tcp(443));
    synthValid(chart);
    expect(summary(chart)).toEqual([]);

    const declared = newChart().chart;
    const cluster = new ClusterProfile(declared, 'cluster', { podCidrs: ['11.0.0.0/16', 'fd00:10::/56'], serviceCidrs: ['10.96.0.0/12'] });
    const tenant = new TenantNamespace(declared, 'customer2', { cluster });
    tenant.connections.allowTo(Peer.ipv4('10.0.0.0/8', ['10.96.0.0/12']), Port.tcp(443));
    tenant.connections.allowTo(Peer.internet(), Port.tcp(443));
    new TeamNamespace(declared, 'payments', { cluster }).connections.allowTo(Peer.ipv4('11.0.0.0/8'), Port.tcp(443));
    synthValid(declared);
    expect(summary(declared)).toEqual([]);
    // The IPv4-mapped form of the pod CIDR is the pod CIDR.
    tenant.connections.allowTo(Peer.ipv6('::ffff:11.0.0.0/112'), Port.tcp(443));
    tenant.connections.allowTo(Peer.ipv6('fd00::/8'), Port.tcp(443));
    expect(summary(declared)).toEqual([
      'cluster-range-flow 11.0.0.0/16 allow-to-cidr-ffff-11-0-0-0-112',
      'cluster-range-flow fd00:10::/56 allow-to-cidr-fd00-8',
      'link-local-egress fd00:ec2::254/128 allow-to-cidr-fd00-8',
    ]);
  });
});

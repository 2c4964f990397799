import { ClusterProfile, Exposure, IPeer, Peer, Port, SecurityZone, TeamNamespace } from '../../src';
import { IpBlock } from '../../src/model/ip-block';
import { cidrBounds, parseCidr } from '../../src/private/cidr';
import { LINK_LOCAL_RANGES, METADATA_RANGES, NON_PUBLIC_RANGES } from '../../src/private/special-ranges';
import { errorOf, newChart, policyOf, synthValid } from '../helpers';

/** The IPv4 and IPv6 internet except lists, as rendered. */
const INTERNET_V4_EXCEPT = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '168.63.129.16/32', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24',
  '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/3',
];
const INTERNET_V6_EXCEPT = [
  '::/96', '::ffff:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48', '100::/64', '2001::/23', '2001:db8::/32', '2002::/16', '3fff::/20', '5f00::/16',
  'fc00::/7', 'fe80::/10', 'ff00::/8',
];

/** The rendered internet blocks, read back by the model's ipBlock reader. */
function internetBlocks(cluster?: (chart: any) => ClusterProfile): IpBlock[] {
  const { chart } = newChart();
  const team = new TeamNamespace(chart, 'team', { cluster: cluster?.(chart) });
  team.connections.allowTo(Peer.internet(), Port.tcp(80));
  const to = policyOf(synthValid(chart), 'team', 'allow-to-internet').spec.egress[0].to as Array<{ ipBlock: unknown }>;
  return to.map((peer, i) => IpBlock.parse(peer.ipBlock, `to[${i}]`));
}

/** The `to` peers and the policy name an egress flow from a team to `peer` renders. */
function egressTo(peer: IPeer): { name: string; to: unknown } {
  const { chart } = newChart();
  const team = new TeamNamespace(chart, 'team');
  team.connections.allowTo(peer, Port.tcp(443));
  const name = `allow-to-${peer.peerName}`;
  const policy = policyOf(synthValid(chart), 'team', name);
  return { name, to: policy.spec.egress[0].to };
}

describe('Peer', () => {
  test('namespaceNamed selects the namespace by kubernetes.io/metadata.name', () => {
    const peer = Peer.namespaceNamed('monitoring');
    expect(peer.peerName).toBe('monitoring');
    expect(peer.toPeerSpec().managedEndpoints).toEqual([]);
    expect(egressTo(peer).to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
  });

  test('namespacesWithLabels selects namespaces by their labels', () => {
    const peer = Peer.namespacesWithLabels({ 'example.com/shared': 'true', 'env': 'prod' });
    expect(peer.peerName).toBe('namespaces-prod-true');
    expect(egressTo(peer).to).toEqual([{ namespaceSelector: { matchLabels: { 'example.com/shared': 'true', 'env': 'prod' } } }]);
  });

  test('pods selects labelled pods in one namespace', () => {
    const peer = Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
    expect(peer.peerName).toBe('ingress-nginx');
    expect(egressTo(peer).to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
    }]);
  });

  test('allPods selects every pod of every namespace, not IP blocks', () => {
    const peer = Peer.allPods();
    expect(peer.peerName).toBe('all-pods');
    expect(egressTo(peer).to).toEqual([{ namespaceSelector: {} }]);
  });

  test('ipv4 renders an ipBlock, with except when given', () => {
    expect(egressTo(Peer.ipv4('10.0.0.0/8')).to).toEqual([{ ipBlock: { cidr: '10.0.0.0/8' } }]);
    const excepted = Peer.ipv4('10.0.0.0/8', ['10.1.0.0/16', '10.2.0.0/16']);
    expect(excepted.peerName).toBe('cidr-10-0-0-0-8-except');
    expect(egressTo(excepted).to).toEqual([{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] } }]);
  });

  test('ipv6 renders an ipBlock', () => {
    const peer = Peer.ipv6('fd00:10::/32', ['fd00:10:1::/48']);
    expect(egressTo(peer).to).toEqual([{ ipBlock: { cidr: 'fd00:10::/32', except: ['fd00:10:1::/48'] } }]);
  });

  test('internet is every public address of both families', () => {
    const peer = Peer.internet();
    expect(peer.peerName).toBe('internet');
    expect(egressTo(peer).to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: INTERNET_V4_EXCEPT } },
      { ipBlock: { cidr: '::/0', except: INTERNET_V6_EXCEPT } },
    ]);
  });

  test('internet opens no special-purpose range: not the metadata service, link-local, CGNAT, loopback, mapped or NAT64 forms', () => {
    const blocks = internetBlocks();
    const opened = (cidr: string) => blocks.some(b => b.opens(parseCidr(cidr)!));
    for (const range of NON_PUBLIC_RANGES) expect([range.cidr, opened(range.cidr)]).toEqual([range.cidr, false]);
    for (const { range } of [...METADATA_RANGES, ...LINK_LOCAL_RANGES]) {
      const text = `${range.address.toString()}/${range.prefix}`;
      expect([text, opened(text)]).toEqual([text, false]);
    }
    for (const attack of ['169.254.169.254/32', '100.100.100.200/32', '168.63.129.16/32', '127.0.0.1/32', '0.0.0.0/32', '100.64.0.1/32',
      'fe80::1/128', '::1/128', '::/128', '::ffff:a9fe:a9fe/128', '64:ff9b::a9fe:a9fe/128', 'fd00:ec2::254/128', '::a9fe:a9fe/128', '2002:a9fe:a9fe::/48']) {
      expect([attack, opened(attack)]).toEqual([attack, false]);
    }
    // The public internet stays open.
    for (const open of ['8.8.8.8/32', '1.1.1.1/32', '2606:4700:4700::1111/128', '2a00:1450::/32']) expect([open, opened(open)]).toEqual([open, true]);
  });

  test('the internet except lists are minimal: sorted, non-overlapping, inside the block', () => {
    for (const list of [INTERNET_V4_EXCEPT, INTERNET_V6_EXCEPT]) {
      const bounds = list.map(c => cidrBounds(parseCidr(c)!));
      for (let i = 1; i < bounds.length; i++) expect(bounds[i][0] > bounds[i - 1][1]).toBe(true);
    }
  });

  test('internet also excludes the pod, service and node CIDRs the bundle\'s ClusterProfile declares', () => {
    const cluster = (chart: any) => new ClusterProfile(chart, 'cluster', {
      podCidrs: ['11.0.0.0/16', 'fd00:10::/56'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['203.0.113.0/25', '12.1.2.0/24'],
    });
    const blocks = internetBlocks(cluster);
    // Ranges already excluded (10.96/12, 203.0.113/25, fd00:10::/56) are not repeated; the others are added in order.
    expect(blocks.map(b => b.except)).toEqual([
      [...INTERNET_V4_EXCEPT.slice(0, 2), '11.0.0.0/16', '12.1.2.0/24', ...INTERNET_V4_EXCEPT.slice(2)],
      INTERNET_V6_EXCEPT,
    ]);
    expect(blocks.some(b => b.opens(parseCidr('11.0.5.1/32')!))).toBe(false);
    // Peer.internet() itself takes no argument: the same peer renders per bundle.
    expect(internetBlocks().map(b => b.except)).toEqual([INTERNET_V4_EXCEPT, INTERNET_V6_EXCEPT]);
  });

  test('addresses are read strictly: octal-looking, hex, zero-padded prefixes and zones are refused, never reinterpreted', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'team');
    for (const [peer, text] of [
      [Peer.ipv4('012.0.0.0/8'), '"012.0.0.0/8" is not a CIDR block; write it as address/prefix in canonical form (no leading zeros)'],
      [Peer.ipv4('0xa.0.0.0/8'), '"0xa.0.0.0/8" is not a CIDR block'],
      [Peer.ipv4('10.0.0.0/08'), '"10.0.0.0/08" is not a CIDR block'],
      [Peer.ipv4('10.0.0.0/8', ['010.1.0.0/16']), 'except "010.1.0.0/16" is not a CIDR block'],
      [Peer.ipv6('fe80::1%eth0/64'), '"fe80::1%eth0/64" is not a CIDR block'],
      [Peer.ipv6('::ffff:012.0.0.1/128'), '"::ffff:012.0.0.1/128" is not a CIDR block'],
      [Peer.ipv6('::ffff:0xa.0.0.1/128'), '"::ffff:0xa.0.0.1/128" is not a CIDR block'],
    ] as const) {
      expect(errorOf(() => team.connections.allowTo(peer, Port.tcp(80)))).toContain(text);
    }
    // An IPv4-mapped block is an IPv6 block (the analysis reads it as the IPv4 block it embeds).
    team.connections.allowTo(Peer.ipv6('::ffff:10.0.0.1/128'), Port.tcp(80));
    expect(errorOf(() => team.connections.allowTo(Peer.ipv4('::ffff:10.0.0.1/128'), Port.tcp(80)))).toContain('is an IPv6 block; use Peer.ipv6()');
  });

  test('a bundle as a peer selects its namespace and stands behind the flow', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'payments');
    expect(team.peerName).toBe('payments');
    expect(team.toPeerSpec()).toEqual({ selectors: [{ namespaceNames: ['payments'] }], managedEndpoints: [{ bundle: team }] });
  });

  test('a zone as a peer selects all its members by name', () => {
    const { chart } = newChart();
    const zone = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'] });
    const spec = zone.toPeerSpec();
    expect(spec.selectors).toEqual([{ namespaceNames: ['storefront', 'cart'] }]);
    expect(spec.managedEndpoints.map(e => e.bundle)).toEqual(zone.members);
  });

  test('bad peers are reported when they are used, with the construct path', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'team');
    const bad = Peer.namespaceNamed('Not_A_Namespace');
    expect(errorOf(() => team.connections.allowTo(bad, Port.tcp(80))))
      .toContain('[test/team] connections.allowTo(not-a-namespace): namespace name "Not_A_Namespace" is invalid');
    expect(errorOf(() => team.connections.allowTo(Peer.namespacesWithLabels({}), Port.tcp(80))))
      .toContain('use Peer.allPods() to select every namespace');
    expect(errorOf(() => team.connections.allowTo(Peer.ipv6('10.0.0.0/8'), Port.tcp(80))))
      .toContain('"10.0.0.0/8" is an IPv4 block; use Peer.ipv4() for it');
    expect(errorOf(() => team.connections.allowTo(Peer.ipv6('fd00::1/8'), Port.tcp(80))))
      .toContain('did you mean "fd00::/8"?');
    expect(errorOf(() => team.connections.allowTo(Peer.ipv4('10.0.0.0/8', ['10.0.0.0/8']), Port.tcp(80))))
      .toContain('except "10.0.0.0/8" is not a smaller block inside "10.0.0.0/8"');
  });
});

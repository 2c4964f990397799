import { Exposure, IPeer, Peer, Port, SecurityZone, TeamNamespace } from '../../src';
import { errorOf, newChart, policyOf, synthValid } from '../helpers';

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
    expect(peer.peerName).toBe('ingress-nginx-ingress-nginx');
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
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } },
      { ipBlock: { cidr: '::/0', except: ['fc00::/7'] } },
    ]);
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

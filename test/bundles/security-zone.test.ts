import { Testing } from 'cdk8s';
import {
  ClusterProfile, Exposure, NamespaceBundle, Peer, PodSecurityLevel, Port, Profile, RuleId, SecurityZone, TeamNamespace, TenantNamespace,
} from '../../src';
import {
  errorOf, flowPolicyNames, namespaceLabels, namespaceOf, newChart, policyNames, policyOf, synthValid,
} from '../helpers';

const IN_WEB = { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['cart', 'storefront'] }] } };

describe('zone members', () => {
  test('every member is a complete bundle labelled with the zone and its exposure', () => {
    const { chart } = newChart();
    const web = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'] });
    expect(web.zoneName).toBe('web');
    expect(web.peerName).toBe('zone-web');
    expect(web.members.map(m => m.node.path)).toEqual(['test/web/storefront', 'test/web/cart']);
    const objects = synthValid(chart);
    for (const ns of ['storefront', 'cart']) {
      expect(namespaceLabels(objects, ns)).toMatchObject({
        'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard',
        'namespace-guard.dev/profile': 'zone',
        'namespace-guard.dev/zone': 'web',
        'namespace-guard.dev/exposure': 'internal',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.35',
      });
      expect(policyNames(objects, ns)).toEqual(expect.arrayContaining(['default-deny', 'allow-dns', 'allow-same-namespace']));
      expect(objects.filter(o => o.metadata.namespace === ns).map(o => o.kind))
        .toEqual(expect.arrayContaining(['ServiceAccount', 'ResourceQuota', 'LimitRange']));
    }
  });

  test('zoneName overrides the construct id', () => {
    const { chart } = newChart();
    new SecurityZone(chart, 'z1', { zoneName: 'payments-dmz', exposure: Exposure.INTERNAL, namespaces: ['pay'] });
    expect(namespaceLabels(synthValid(chart), 'pay')['namespace-guard.dev/zone']).toBe('payments-dmz');
  });

  test('member() returns the bundle of a member namespace', () => {
    const { chart } = newChart();
    const web = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'] });
    expect(web.member('cart')).toBe(web.members[1]);
    expect(errorOf(() => web.member('billing'))).toContain('[test/web] zone "web" has no member namespace "billing"');
  });

  test('members of one zone may talk to each other, written in every member', () => {
    const { chart } = newChart();
    new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'] });
    const objects = synthValid(chart);
    for (const ns of ['storefront', 'cart']) {
      expect(flowPolicyNames(objects, ns)).toEqual(['allow-from-zone-web', 'allow-to-zone-web']);
      expect(policyOf(objects, ns, 'allow-from-zone-web').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [IN_WEB] }] });
      expect(policyOf(objects, ns, 'allow-to-zone-web').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [IN_WEB] }] });
    }
  });

  test('a single-member zone needs no zone-wide policy', () => {
    const { chart } = newChart();
    new SecurityZone(chart, 'auth', { exposure: Exposure.INTERNAL, namespaces: ['identity'] });
    expect(flowPolicyNames(synthValid(chart), 'identity')).toEqual([]);
  });

  test('allowWithinZone: false isolates the members from each other and within their namespace', () => {
    const { chart } = newChart();
    new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'], allowWithinZone: false });
    const objects = synthValid(chart);
    for (const ns of ['storefront', 'cart']) expect(policyNames(objects, ns)).toEqual(['allow-dns', 'default-deny']);
  });

  test('allowSameNamespace set on its own wins over allowWithinZone', () => {
    const { chart } = newChart();
    new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'], allowWithinZone: false, allowSameNamespace: true });
    new SecurityZone(chart, 'app', { exposure: Exposure.INTERNAL, namespaces: ['api', 'worker'], allowSameNamespace: false });
    const objects = synthValid(chart);
    expect(policyNames(objects, 'cart')).toEqual(['allow-dns', 'allow-same-namespace', 'default-deny']);
    expect(policyNames(objects, 'api')).toEqual(['allow-dns', 'allow-from-zone-app', 'allow-to-zone-app', 'default-deny']);
  });

  test('acknowledge() acknowledges in every member', () => {
    const { chart } = newChart();
    const agents = new SecurityZone(chart, 'agents', { exposure: Exposure.OPERATIONS, namespaces: ['csi', 'cni'], operationsPorts: [Port.named('metrics')], podSecurity: PodSecurityLevel.PRIVILEGED });
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain('[test/agents/csi] privileged-pod-security');
    expect(message).toContain('[test/agents/cni] privileged-pod-security');
    agents.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'node agents need host access');
    const objects = synthValid(chart);
    for (const ns of ['csi', 'cni']) {
      expect(namespaceOf(objects, ns).metadata.annotations?.['namespace-guard.dev/acknowledged']).toBe('privileged-pod-security: node agents need host access');
    }
  });
});

describe('zone-to-zone flows', () => {
  test('declared once, written in every member of both zones', () => {
    const { chart } = newChart();
    const web = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'] });
    const data = new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['orders-db', 'customers-db'] });
    web.connections.allowTo(data, Port.tcp(5432));
    const objects = synthValid(chart);
    const inData = { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['customers-db', 'orders-db'] }] } };
    for (const ns of ['storefront', 'cart']) {
      expect(policyOf(objects, ns, 'allow-to-zone-data').spec).toEqual({
        podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [inData], ports: [{ protocol: 'TCP', port: 5432 }] }],
      });
    }
    for (const ns of ['orders-db', 'customers-db']) {
      expect(policyOf(objects, ns, 'allow-from-zone-web').spec).toEqual({
        podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [IN_WEB], ports: [{ protocol: 'TCP', port: 5432 }] }],
      });
    }
  });

  test('pod selections of zones select the pods in every member', () => {
    const { chart } = newChart();
    const web = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront', 'cart'] });
    const data = new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] });
    web.pods({ app: 'api' }).connections.allowTo(data.pods({ app: 'postgres' }), Port.tcp(5432));
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'cart')).toContain('allow-to-zone-data-postgres-from-api');
    expect(policyOf(objects, 'orders-db', 'allow-from-zone-web-api-to-postgres').spec).toEqual({
      podSelector: { matchLabels: { app: 'postgres' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ...IN_WEB, podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
  });
});

describe('exposures', () => {
  test('an internet zone admits the internet on the declared ports, with the private ranges closed', () => {
    const { chart } = newChart();
    new SecurityZone(chart, 'web', { exposure: Exposure.INTERNET, namespaces: ['storefront'], internetPorts: [Port.tcp(443), Port.tcp(80)] });
    const objects = synthValid(chart);
    expect(namespaceLabels(objects, 'storefront')['namespace-guard.dev/exposure']).toBe('internet');
    expect(policyOf(objects, 'storefront', 'allow-from-internet').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [
          { ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16']) } },
          { ipBlock: { cidr: '::/0', except: expect.arrayContaining(['::ffff:0:0/96', '64:ff9b::/96', 'fc00::/7', 'fe80::/10']) } },
        ],
        ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }],
      }],
    });
  });

  test('internetPeer replaces the internet, for example a load balancer range', () => {
    const { chart } = newChart();
    new SecurityZone(chart, 'web', {
      exposure: Exposure.INTERNET, namespaces: ['storefront'], internetPorts: [Port.tcp(8443)], internetPeer: Peer.ipv4('10.100.0.0/24'),
    });
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'storefront')).toEqual(['allow-from-cidr-10-100-0-0-24']);
    expect(policyOf(objects, 'storefront', 'allow-from-cidr-10-100-0-0-24').spec.ingress)
      .toEqual([{ from: [{ ipBlock: { cidr: '10.100.0.0/24' } }], ports: [{ protocol: 'TCP', port: 8443 }] }]);
  });

  test('an operations zone reaches every pod of the cluster on its operationsPorts only, nothing external', () => {
    const { chart } = newChart();
    const ops = new SecurityZone(chart, 'ops', { exposure: Exposure.OPERATIONS, namespaces: ['observability'], operationsPorts: [Port.named('metrics'), Port.tcp(9100)] });
    const objects = synthValid(chart);
    expect(policyOf(objects, 'observability', 'allow-to-all-pods').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 9100 }, { protocol: 'TCP', port: 'metrics' }] }],
    });
    expect(errorOf(() => ops.connections.allowTo(Peer.internet(), Port.tcp(443))))
      .toContain('[test/ops] connections.allowTo(internet): operations zone "ops" allows no traffic to addresses outside the private ranges');
    // The node's link-local addresses and the shared range are not private either.
    for (const peer of [Peer.ipv4('169.254.169.254/32'), Peer.ipv4('100.64.0.0/10'), Peer.ipv6('fe80::/10'), Peer.ipv6('::ffff:169.254.169.254/128')]) {
      expect(errorOf(() => ops.connections.allowTo(peer, Port.tcp(80)))).toContain('allows no traffic to addresses outside the private ranges');
    }
  });

  test('an operations zone must declare its ports, and only an operations zone may', () => {
    const { chart } = newChart();
    expect(errorOf(() => new SecurityZone(chart, 'ops', { exposure: Exposure.OPERATIONS, namespaces: ['observability'] })))
      .toContain('[test/ops] invalid security zone: an operations zone needs operationsPorts; list the ports it reaches on every pod, for example operationsPorts: [Port.named("metrics")]');
    expect(errorOf(() => new SecurityZone(chart, 'ops2', { exposure: Exposure.OPERATIONS, namespaces: ['tools'], operationsPorts: [Port.allTraffic()] })))
      .toContain('[test/ops2] invalid security zone: operationsPorts lists Port.allTraffic(), which opens every port of every pod');
    expect(errorOf(() => new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront'], operationsPorts: [Port.named('metrics')] })))
      .toContain('[test/web] invalid security zone: operationsPorts is set but the zone\'s exposure is "internal"; remove operationsPorts or use Exposure.OPERATIONS');
  });

  test('an internal zone treats only RFC 1918, fc00::/7 and the cluster\'s declared ranges as private', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { podCidrs: ['100.64.0.0/16'], nodeCidrs: ['11.0.0.0/20'] });
    const auth = new SecurityZone(chart, 'auth', { cluster, exposure: Exposure.INTERNAL, namespaces: ['identity'] });
    for (const cidr of ['169.254.0.0/16', '169.254.169.254/32', '100.64.0.0/10', '127.0.0.0/8', '8.8.8.0/24']) {
      expect(errorOf(() => auth.connections.allowTo(Peer.ipv4(cidr), Port.tcp(443)))).toContain(`internal zone "auth" allows no traffic to addresses outside the private ranges (${cidr})`);
    }
    expect(errorOf(() => auth.connections.allowTo(Peer.ipv6('fe80::/10'), Port.tcp(443)))).toContain('(fe80::/10)');
    auth.connections.allowTo(Peer.ipv4('100.64.1.0/24'), Port.tcp(8080)); // inside the declared pod CIDR
    auth.connections.allowTo(Peer.ipv4('11.0.1.0/24'), Port.tcp(10250)); // inside the declared node CIDR
    auth.connections.allowTo(Peer.ipv6('::ffff:10.1.0.0/112'), Port.tcp(636)); // mapped RFC 1918
    expect(flowPolicyNames(synthValid(chart), 'identity')).toEqual(['allow-to-cidr-100-64-1-0-24', 'allow-to-cidr-11-0-1-0-24', 'allow-to-cidr-ffff-10-1-0-0-112']);
  });

  test('a restricted zone allows no egress but DNS, and refuses ingress from non-zones', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { monitoring: Peer.namespaceNamed('monitoring') });
    const data = new SecurityZone(chart, 'data', { cluster, exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] });
    const web = new SecurityZone(chart, 'web', { cluster, exposure: Exposure.INTERNAL, namespaces: ['storefront'] });
    const tenant = new TenantNamespace(chart, 'customer1', { cluster });
    const team = new TeamNamespace(chart, 'payments', { cluster });

    const refusals = [
      () => data.connections.allowTo(web, Port.tcp(8080)),
      () => data.pods({ app: 'postgres' }).connections.allowTo(Peer.ipv4('10.0.0.0/8'), Port.tcp(443)),
      () => web.connections.allowFrom(data, Port.tcp(8080)),
      () => tenant.connections.allowTo(data, Port.tcp(5432)),
      () => data.connections.allowFrom(team.pods({ app: 'api' }), Port.tcp(5432)),
      () => data.connections.allowFrom(cluster.monitoring, Port.named('metrics')),
    ];
    const messages = refusals.map(r => errorOf(r));
    expect(messages.slice(0, 3).every(m => m.includes('restricted zone "data" allows no egress but DNS'))).toBe(true);
    expect(messages.slice(3).every(m => m.includes('restricted zone "data" admits traffic only from declared zones'))).toBe(true);

    // Nothing was half-written, and DNS still works.
    web.connections.allowTo(data, Port.tcp(5432));
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'orders-db')).toEqual(['allow-from-zone-web']);
    expect(flowPolicyNames(objects, 'storefront')).toEqual(['allow-to-zone-data']);
    expect(flowPolicyNames(objects, 'customer1')).toEqual([]);
    expect(flowPolicyNames(objects, 'payments')).toEqual([]);
    expect(policyNames(objects, 'orders-db')).toContain('allow-dns');
  });

  test('zone membership cannot be claimed: a subclass of a profile, or of NamespaceBundle, is no zone member', () => {
    const { chart } = newChart();
    const data = new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] });
    // A subclass of a profile keeps that profile: it is a team, not a zone.
    class ZoneLookalike extends TeamNamespace {}
    const lookalike = new ZoneLookalike(chart, 'lookalike', { namespaceLabels: { tier: 'zone' } });
    expect(lookalike.profile).toBe(Profile.TEAM);
    expect(errorOf(() => data.connections.allowFrom(lookalike, Port.tcp(5432))))
      .toContain('restricted zone "data" admits traffic only from declared zones');
    // A bare bundle cannot be made at all, so it cannot claim the zone profile either.
    expect(errorOf(() => new (class extends NamespaceBundle {
      constructor() {
        super(chart, 'claimed', { namespaceName: 'claimed' });
      }
    })())).toBe('[test/claimed] a NamespaceBundle cannot be created directly: its profile (tenant, team or zone) is a security claim that only '
      + 'TenantNamespace, TeamNamespace and SecurityZone grant. Fix: create a TenantNamespace, a TeamNamespace or a SecurityZone (or extend one of them)');
    // A member of another zone is a declared zone.
    const web = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['storefront'] });
    data.connections.allowFrom(web, Port.tcp(5432));
    expect(flowPolicyNames(synthValid(chart), 'orders-db')).toEqual(['allow-from-zone-web']);
  });

  test('an operations zone may scrape a restricted zone', () => {
    const { chart } = newChart();
    const ops = new SecurityZone(chart, 'ops', { exposure: Exposure.OPERATIONS, namespaces: ['observability'], operationsPorts: [Port.named('metrics')] });
    const data = new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] });
    data.connections.allowFrom(ops, Port.named('metrics'));
    const objects = synthValid(chart);
    expect(policyOf(objects, 'orders-db', 'allow-from-zone-ops').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
      ports: [{ protocol: 'TCP', port: 'metrics' }],
    }]);
    expect(flowPolicyNames(objects, 'observability')).toEqual(['allow-to-all-pods', 'allow-to-zone-data']);
    // The all-pods egress carries only the declared ports; a flow on another port is declared like any other.
    expect(policyOf(objects, 'observability', 'allow-to-all-pods').spec.egress).toEqual([{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 'metrics' }] }]);
  });
});

import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ClusterProfile, ConnectivityReport, Exposure, IPeer, NamespaceBundle, Peer, PodHardening, PodSecurityLevel, Port, Profile, Protocol, RuleId,
  SecurityZone, TeamNamespace, TenantNamespace,
} from '../../src';
import {
  errorOf, flowPolicyNames, namespaceLabels, namespaceOf, newChart, policyNames, policyOf, synthValid,
} from '../helpers';

const RESOURCES = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
};

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
      // Not the profile's monitoring object: a look-alike of it.
      () => data.connections.allowFrom(Peer.namespaceNamed('monitoring'), Port.named('metrics')),
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

describe('the cluster\'s monitoring in a restricted zone', () => {
  const MONITORING = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
  /** The flow policies of a member, without the zone's own within-zone ones. */
  const flowsOf = (objects: ReturnType<typeof synthValid>, ns: string) => flowPolicyNames(objects, ns).filter(n => !n.endsWith('-zone-data'));

  /** A restricted data zone of two members, each with a postgres Deployment that publishes its metrics port by name. */
  function dataZone(props: { monitoring?: IPeer; monitoringPorts?: Port[]; databases?: boolean } = {}) {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { monitoring: props.monitoring ?? Peer.namespaceNamed('monitoring'), monitoringPorts: props.monitoringPorts });
    const data = new SecurityZone(chart, 'data', { cluster, exposure: Exposure.RESTRICTED, namespaces: ['orders-db', 'customers-db'] });
    for (const ns of props.databases === false ? [] : ['orders-db', 'customers-db']) {
      const db = new kplus.Deployment(chart, `${ns}-postgres`, {
        metadata: { name: 'postgres', namespace: ns },
        containers: [{ image: 'postgres:16.4', ports: [{ number: 5432, name: 'postgres' }, { number: 9187, name: 'metrics' }], resources: RESOURCES }],
      });
      PodHardening.restricted(db);
    }
    return { chart, cluster, data };
  }

  test('admits the profile\'s own monitoring object on its monitoring ports, annotated as the monitoring flow', () => {
    const { chart, cluster, data } = dataZone();
    expect(cluster.monitoringPorts.map(p => p.toString())).toEqual(['TCP metrics']);
    data.connections.allowFrom(cluster.monitoring, ...cluster.monitoringPorts);
    const web = new SecurityZone(chart, 'web', { cluster, exposure: Exposure.INTERNAL, namespaces: ['storefront'] });
    web.connections.allowTo(data, Port.tcp(5432));
    const objects = synthValid(chart);
    for (const ns of ['orders-db', 'customers-db']) {
      const policy = policyOf(objects, ns, 'allow-from-monitoring');
      expect(policy.metadata.annotations).toEqual({ 'namespace-guard.dev/flow': 'monitoring' });
      expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [MONITORING], ports: [{ protocol: 'TCP', port: 'metrics' }] }] });
      // Zone flows are not the monitoring flow.
      expect(policyOf(objects, ns, 'allow-from-zone-web').metadata.annotations).toBeUndefined();
    }
    // The monitoring pods reach the metrics port of the databases, and nothing else.
    const report = ConnectivityReport.fromChart(chart);
    expect(report.canReach('monitoring', 'orders-db/postgres', Port.tcp(9187))).toBe(true);
    expect(report.canReach('monitoring', 'orders-db/postgres', Port.tcp(5432))).toBe(false);
    expect(report.canReach('storefront', 'orders-db/postgres', Port.tcp(5432))).toBe(true);
  });

  test('members and pod selections of the zone admit it too', () => {
    const { chart, cluster, data } = dataZone();
    data.member('orders-db').connections.allowFrom(cluster.monitoring, Port.named('metrics'));
    data.pods({ app: 'exporter' }).connections.allowFrom(cluster.monitoring, Port.named('metrics'));
    const objects = synthValid(chart);
    expect(flowsOf(objects, 'orders-db')).toEqual(['allow-from-monitoring', 'allow-from-monitoring-to-exporter']);
    expect(flowsOf(objects, 'customers-db')).toEqual(['allow-from-monitoring-to-exporter']);
    expect(policyOf(objects, 'customers-db', 'allow-from-monitoring-to-exporter').metadata.annotations).toEqual({ 'namespace-guard.dev/flow': 'monitoring' });
  });

  test('a look-alike peer, or the monitoring of another profile, stays refused', () => {
    const { chart, cluster, data } = dataZone();
    const lookalike = errorOf(() => data.connections.allowFrom(Peer.namespaceNamed('monitoring'), Port.named('metrics')));
    expect(lookalike).toBe('[test/data] connections.allowFrom(monitoring): restricted zone "data" admits traffic only from declared zones and its '
      + 'cluster\'s declared monitoring, and monitoring is a look-alike of the declared monitoring, not it. Fix: declare the client as a SecurityZone '
      + 'and allow the flow from it, or use Exposure.INTERNAL; for monitoring, allow the profile\'s own object: allowFrom(cluster.monitoring, ...cluster.monitoringPorts)');
    // A profile of one's own cannot vouch for a peer either: the zone trusts its own profile only.
    const own = new ClusterProfile(chart, 'own', { monitoring: Peer.allPods() });
    expect(errorOf(() => data.connections.allowFrom(own.monitoring, Port.named('metrics'))))
      .toContain('restricted zone "data" admits traffic only from declared zones');
    expect(errorOf(() => data.connections.allowFrom(cluster.ingressController, Port.named('metrics')))).toContain('declares no ingressController');
    expect(flowsOf(synthValid(chart), 'orders-db')).toEqual([]);
  });

  test('what the profile hands out cannot widen what the zone admits', () => {
    const { chart, cluster, data } = dataZone({ databases: false });
    // Editing the returned spec or port list changes neither the monitoring peer nor its ports.
    cluster.monitoring.toPeerSpec().selectors.push({ namespaceNames: ['attacker'] });
    cluster.monitoring.toPeerSpec().selectors[0].namespaceNames!.push('attacker');
    cluster.monitoringPorts.push(Port.named('postgres'));
    expect(errorOf(() => data.connections.allowFrom(cluster.monitoring, Port.named('postgres')))).toContain('only on its monitoring ports (TCP metrics), not on TCP postgres');
    data.connections.allowFrom(cluster.monitoring, ...cluster.monitoringPorts.filter(p => p.toString() === 'TCP metrics'));
    expect(policyOf(synthValid(chart), 'orders-db', 'allow-from-monitoring').spec.ingress).toEqual([{ from: [MONITORING], ports: [{ protocol: 'TCP', port: 'metrics' }] }]);
  });

  test('only on the named monitoring ports: numbers, all ports or other names are refused', () => {
    const { chart, cluster, data } = dataZone();
    const refused = [Port.tcp(9187), Port.tcp(5432), Port.allTcp(), Port.allTraffic(), Port.named('postgres'), Port.named('metrics', Protocol.UDP)];
    for (const port of refused) {
      expect(errorOf(() => data.connections.allowFrom(cluster.monitoring, Port.named('metrics'), port))).toBe(
        `[test/data] connections.allowFrom(monitoring): restricted zone "data" admits the cluster's monitoring only on its monitoring ports (TCP metrics), not on ${port}. `
        + 'Fix: scrape the named ports of test/cluster\'s monitoringPorts, for example allowFrom(cluster.monitoring, ...cluster.monitoringPorts); '
        + 'a number could be any service of the pods, a name is what they publish for monitoring');
    }
    // A restricted zone still sends nothing, not even to monitoring.
    expect(errorOf(() => data.connections.allowTo(cluster.monitoring, Port.named('metrics')))).toContain('restricted zone "data" allows no egress but DNS');
    // Nothing was half-written.
    expect(flowsOf(synthValid(chart), 'orders-db')).toEqual([]);
  });

  test('the profile chooses the port names', () => {
    const { chart, cluster, data } = dataZone({ monitoringPorts: [Port.named('prom'), Port.named('otlp-udp', Protocol.UDP)], databases: false });
    expect(errorOf(() => data.connections.allowFrom(cluster.monitoring, Port.named('metrics')))).toContain('only on its monitoring ports (TCP prom, UDP otlp-udp), not on TCP metrics');
    data.connections.allowFrom(cluster.monitoring, ...cluster.monitoringPorts);
    expect(policyOf(synthValid(chart), 'orders-db', 'allow-from-monitoring').spec.ingress[0].ports).toEqual([
      { protocol: 'TCP', port: 'prom' }, { protocol: 'UDP', port: 'otlp-udp' },
    ]);
  });

  test.each([
    ['every pod of the cluster', Peer.allPods(), 'namespaces by label or every namespace'],
    ['namespaces by label', Peer.namespacesWithLabels({ team: 'sre' }), 'namespaces by label or every namespace'],
    ['an address block', Peer.ipv4('10.0.0.0/8'), 'an address block'],
  ])('monitoring declared as %s does not open a restricted zone', (_what, monitoring, selects) => {
    const { cluster, data } = dataZone({ monitoring });
    expect(errorOf(() => data.connections.allowFrom(cluster.monitoring, Port.named('metrics')))).toBe(
      `[test/data] connections.allowFrom(${monitoring.peerName}): restricted zone "data" admits the cluster's monitoring only when it names its namespaces, `
      + `but test/cluster's monitoring selects ${selects}. Fix: declare monitoring by namespace in the ClusterProfile, for example Peer.namespaceNamed("monitoring") `
      + 'or Peer.pods("monitoring", { "app.kubernetes.io/name": "prometheus" })');
  });

  test('in other bundles the monitoring flow is recorded as such, apart from a look-alike flow', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { monitoring: Peer.namespaceNamed('monitoring') });
    const tenant = new TenantNamespace(chart, 'customer1', { cluster });
    tenant.connections.allowFrom(cluster.monitoring, Port.named('metrics'));
    tenant.connections.allowFrom(Peer.namespaceNamed('monitoring'), Port.tcp(8080));
    const objects = synthValid(chart);
    // Two flows from the same namespace, two policies: the declared monitoring's is marked, the other is not.
    const policies = flowPolicyNames(objects, 'customer1').map(n => policyOf(objects, 'customer1', n));
    expect(policies.map(p => [p.metadata.annotations, p.spec.ingress])).toEqual(expect.arrayContaining([
      [{ 'namespace-guard.dev/flow': 'monitoring' }, [{ from: [MONITORING], ports: [{ protocol: 'TCP', port: 'metrics' }] }]],
      [undefined, [{ from: [MONITORING], ports: [{ protocol: 'TCP', port: 8080 }] }]],
    ]));
    expect(policies).toHaveLength(2);
  });
});

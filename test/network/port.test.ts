import { Peer, Port, Protocol, TeamNamespace, TenantNamespace } from '../../src';
import { errorOf, newChart, policyOf, synthValid, valuesUnder } from '../helpers';

/** The ports list an egress flow with the given ports renders (undefined when there is none). */
function renderedPorts(...ports: Port[]): unknown {
  const { chart } = newChart();
  new TeamNamespace(chart, 'team').connections.allowTo(Peer.namespaceNamed('shared'), ...ports);
  return policyOf(synthValid(chart), 'team', 'allow-to-shared').spec.egress[0].ports;
}

describe('Port', () => {
  test.each([
    ['Port.tcp(8080)', Port.tcp(8080), [{ protocol: 'TCP', port: 8080 }]],
    ['Port.udp(53)', Port.udp(53), [{ protocol: 'UDP', port: 53 }]],
    ['Port.sctp(9899)', Port.sctp(9899), [{ protocol: 'SCTP', port: 9899 }]],
    ['Port.tcpRange(8000, 8100)', Port.tcpRange(8000, 8100), [{ protocol: 'TCP', port: 8000, endPort: 8100 }]],
    ['Port.udpRange(30000, 30100)', Port.udpRange(30000, 30100), [{ protocol: 'UDP', port: 30000, endPort: 30100 }]],
    ['Port.sctpRange(1, 2)', Port.sctpRange(1, 2), [{ protocol: 'SCTP', port: 1, endPort: 2 }]],
    ['Port.allTcp()', Port.allTcp(), [{ protocol: 'TCP' }]],
    ['Port.allUdp()', Port.allUdp(), [{ protocol: 'UDP' }]],
    ['Port.allSctp()', Port.allSctp(), [{ protocol: 'SCTP' }]],
    ['Port.named("metrics")', Port.named('metrics'), [{ protocol: 'TCP', port: 'metrics' }]],
    ['Port.named("dns", UDP)', Port.named('dns', Protocol.UDP), [{ protocol: 'UDP', port: 'dns' }]],
    ['Port.allTraffic()', Port.allTraffic(), undefined],
  ])('%s renders as expected', (_name, port, expected) => {
    expect(renderedPorts(port)).toEqual(expected);
  });

  test('every-port variants never render port 0', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'team');
    team.connections.allowTo(Peer.namespaceNamed('a'), Port.allTcp(), Port.allUdp(), Port.allSctp());
    team.connections.allowTo(Peer.namespaceNamed('b'), Port.allTraffic());
    const objects = synthValid(chart);
    expect(valuesUnder(objects, 'port')).not.toContain(0);
    expect(policyOf(objects, 'team', 'allow-to-a').spec.egress[0].ports).toEqual([{ protocol: 'SCTP' }, { protocol: 'TCP' }, { protocol: 'UDP' }]);
    expect(policyOf(objects, 'team', 'allow-to-b').spec.egress[0]).not.toHaveProperty('ports');
  });

  test('readable forms and properties', () => {
    expect(Port.tcp(8080).toString()).toBe('TCP 8080');
    expect(Port.udp(53).toString()).toBe('UDP 53');
    expect(Port.tcpRange(8000, 8100).toString()).toBe('TCP 8000-8100');
    expect(Port.allTcp().toString()).toBe('all TCP');
    expect(Port.named('metrics').toString()).toBe('TCP metrics');
    expect(Port.allTraffic().toString()).toBe('all traffic');
    expect(Port.allTraffic().isAllTraffic).toBe(true);
    expect(Port.allTraffic().protocol).toBeUndefined();
    expect(Port.allTcp().isAllTraffic).toBe(false);
    expect(Port.sctp(1).protocol).toBe(Protocol.SCTP);
  });

  test('the same port named twice renders once', () => {
    expect(renderedPorts(Port.tcp(443), Port.tcp(443), Port.named('https'), Port.named('https'))).toEqual([
      { protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 'https' },
    ]);
  });

  test.each([
    ['port 0 suggests allTcp', Port.tcp(0), 'use Port.allTcp() for every port of the protocol'],
    ['SCTP port 0 suggests allSctp', Port.sctp(0), 'use Port.allSctp()'],
    ['negative port', Port.udp(-1), 'port -1 of "UDP -1" is not a valid port number; use an integer from 1 to 65535'],
    ['fractional port', Port.tcp(80.5), 'use an integer from 1 to 65535'],
    ['end port too large', Port.tcpRange(60000, 70000), 'end port 70000 of "TCP 60000-70000" is not a valid port number'],
    ['range of one port', Port.tcpRange(80, 80), 'use a single port when both ends are equal'],
    ['named port too long', Port.named('metrics-endpoint-1'), 'named port "metrics-endpoint-1" is not a valid container port name'],
    ['named port of digits only', Port.named('8080'), 'with at least one letter'],
    ['named port with double hyphen', Port.named('my--port'), 'single "-"'],
    ['empty named port', Port.named(''), 'named port "" is not a valid container port name'],
  ])('%s is refused with the fix', (_name, port, fix) => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'team');
    const message = errorOf(() => team.connections.allowFrom(Peer.namespaceNamed('clients'), port));
    expect(message).toMatch(/^\[test\/team\] connections\.allowFrom\(clients\): /);
    expect(message).toContain(fix);
  });
});

describe('port order in policies', () => {
  test('ports render by protocol, then numerically', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1');
    tenant.connections.allowFrom(Peer.namespaceNamed('ingress'), Port.tcp(8080), Port.udp(53), Port.tcp(80), Port.tcp(443));
    const policy = policyOf(synthValid(chart), 'customer1', 'allow-from-ingress');
    expect(policy.spec.ingress[0].ports).toEqual([
      { port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }, { port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' },
    ]);
  });
});

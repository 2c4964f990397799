import { Connections, Peer, Port, TeamNamespace } from '../../src';
import { errorOf, flowPolicyNames, newChart, policiesOf, policyOf, synthValid } from '../helpers';

const NS = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

function twoTeams() {
  const { app, chart } = newChart();
  const checkout = new TeamNamespace(chart, 'checkout');
  const payments = new TeamNamespace(chart, 'payments');
  return { app, chart, checkout, payments };
}

describe('Connections', () => {
  test('allowTo between managed bundles writes egress in the source and ingress in the destination', () => {
    const { chart, checkout, payments } = twoTeams();
    checkout.connections.allowTo(payments, Port.tcp(8080));
    const objects = synthValid(chart);
    expect(policyOf(objects, 'checkout', 'allow-to-payments').spec).toEqual({
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [NS('payments')], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
    expect(policyOf(objects, 'payments', 'allow-from-checkout').spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [NS('checkout')], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });

  test('allowFrom is the same flow seen from the other side', () => {
    const viaTo = twoTeams();
    viaTo.checkout.connections.allowTo(viaTo.payments, Port.tcp(8080));
    const viaFrom = twoTeams();
    viaFrom.payments.connections.allowFrom(viaFrom.checkout, Port.tcp(8080));
    expect(synthValid(viaFrom.chart)).toEqual(synthValid(viaTo.chart));
  });

  test('flows to external peers are written on our side only', () => {
    const { chart, checkout } = twoTeams();
    checkout.connections.allowTo(Peer.namespaceNamed('shared'), Port.tcp(443));
    checkout.connections.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.tcp(8443));
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'checkout')).toEqual(['allow-from-cidr-10-0-0-0-8', 'allow-to-shared']);
    expect(flowPolicyNames(objects, 'payments')).toEqual([]);
    expect(objects.filter(o => o.metadata.namespace === 'shared')).toEqual([]);
  });

  test('pod subsets name the policies after the peer and the pods on each side', () => {
    const { chart, checkout, payments } = twoTeams();
    checkout.pods({ app: 'web' }).connections.allowTo(payments.pods({ app: 'api', tier: 'backend' }), Port.tcp(8080));
    checkout.pods({ app: 'web' }).connections.allowTo(Peer.namespaceNamed('shared'), Port.tcp(443));
    checkout.connections.allowFrom(payments.pods({ app: 'callbacks' }), Port.tcp(9000));
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'checkout')).toEqual([
      'allow-from-payments-callbacks', 'allow-to-payments-api-backend-from-web', 'allow-to-shared-from-web',
    ]);
    expect(flowPolicyNames(objects, 'payments')).toEqual(['allow-from-checkout-web-to-api-backend', 'allow-to-checkout-from-callbacks']);
    expect(policyOf(objects, 'payments', 'allow-to-checkout-from-callbacks').spec).toEqual({
      podSelector: { matchLabels: { app: 'callbacks' } },
      policyTypes: ['Egress'],
      egress: [{ to: [NS('checkout')], ports: [{ protocol: 'TCP', port: 9000 }] }],
    });
  });

  test('declaring the same flow again is harmless', () => {
    const once = twoTeams();
    once.checkout.connections.allowTo(once.payments.pods({ app: 'api' }), Port.tcp(8080));
    const twice = twoTeams();
    for (let i = 0; i < 3; i++) twice.checkout.connections.allowTo(twice.payments.pods({ app: 'api' }), Port.tcp(8080));
    twice.payments.pods({ app: 'api' }).connections.allowFrom(twice.checkout, Port.tcp(8080));
    expect(twice.app.synthYaml()).toBe(once.app.synthYaml());
    expect(synthValid(twice.chart)).toEqual(synthValid(once.chart));
  });

  test('ports of the same flow merge into one policy, in a stable order', () => {
    const { chart, checkout, payments } = twoTeams();
    checkout.connections.allowTo(payments, Port.tcp(8443));
    checkout.connections.allowTo(payments, Port.udp(5353), Port.tcp(8080));
    checkout.connections.allowTo(payments, Port.tcp(8080));
    const objects = synthValid(chart);
    const ports = [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8443 }, { protocol: 'UDP', port: 5353 }];
    expect(policiesOf(objects, 'checkout').filter(p => p.metadata.name.startsWith('allow-to-'))).toHaveLength(1);
    expect(policyOf(objects, 'checkout', 'allow-to-payments').spec.egress).toEqual([{ to: [NS('payments')], ports }]);
    expect(policyOf(objects, 'payments', 'allow-from-checkout').spec.ingress).toEqual([{ from: [NS('checkout')], ports }]);
  });

  test('all traffic absorbs the other ports of the flow', () => {
    const { chart, checkout } = twoTeams();
    checkout.connections.allowTo(Peer.namespaceNamed('shared'), Port.tcp(443));
    checkout.connections.allowTo(Peer.namespaceNamed('shared'), Port.allTraffic());
    const objects = synthValid(chart);
    expect(policyOf(objects, 'checkout', 'allow-to-shared').spec.egress).toEqual([{ to: [NS('shared')] }]);
  });

  test('flows added after a synthesis land in the next one', () => {
    const { chart, checkout, payments } = twoTeams();
    expect(flowPolicyNames(synthValid(chart), 'payments')).toEqual([]);
    checkout.connections.allowTo(payments, Port.tcp(8080));
    expect(flowPolicyNames(synthValid(chart), 'payments')).toEqual(['allow-from-checkout']);
  });

  test('two peers whose readable names collide get distinct names that do not depend on declaration order', () => {
    const build = (reversed: boolean) => {
      const { chart, checkout } = twoTeams();
      const declarations = [
        () => checkout.connections.allowTo(Peer.namespaceNamed('shared-api'), Port.tcp(80)),
        () => checkout.connections.allowTo(Peer.pods('shared', { app: 'api' }), Port.tcp(80)),
      ];
      (reversed ? declarations.reverse() : declarations).forEach(declare => declare());
      return synthValid(chart);
    };
    const objects = build(false);
    const names = flowPolicyNames(objects, 'checkout');
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^allow-to-shared-api-[0-9a-f]{8}$/);
    expect(flowPolicyNames(build(true), 'checkout')).toEqual(names);
    // Each name stays with its flow: the policy for the namespace peer is the same either way.
    const namespacePolicy = (o: typeof objects) => o.find(x => x.kind === 'NetworkPolicy' && x.spec.egress?.[0]?.to?.[0]?.podSelector === undefined
      && x.spec.egress?.[0]?.to?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'shared-api')?.metadata.name;
    expect(namespacePolicy(build(true))).toBe(namespacePolicy(objects));
  });

  test('generated policy names are DNS labels of at most 63 characters', () => {
    const { chart } = newChart();
    const long = 'a'.repeat(60);
    const team = new TeamNamespace(chart, 'team', { namespaceName: long });
    team.pods({ app: 'x'.repeat(50) }).connections.allowTo(Peer.namespaceNamed('b'.repeat(63)), Port.tcp(80));
    const objects = synthValid(chart);
    const names = policiesOf(objects, long).map(p => p.metadata.name);
    expect(names).toHaveLength(4);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  test('a refused flow leaves neither side written', () => {
    const { chart, checkout, payments } = twoTeams();
    expect(errorOf(() => checkout.connections.allowTo(payments, Port.tcp(80), Port.allTraffic()))).toContain('[test/checkout]');
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'checkout')).toEqual([]);
    expect(flowPolicyNames(objects, 'payments')).toEqual([]);
  });

  test('connections of something that manages no namespace are refused', () => {
    const { chart } = newChart();
    const connections = new Connections(chart, Peer.namespaceNamed('elsewhere'));
    expect(errorOf(() => connections.allowTo(Peer.namespaceNamed('shared'), Port.tcp(80))))
      .toContain('[test] connections.allowTo(shared): these connections belong to no managed namespace. Fix: declare flows on a bundle');
  });
});

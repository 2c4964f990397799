// unknown-named-port: a flow on a port name that none of its destination pods has matches nothing,
// so it fails synthesis with the names that do exist.
import { ApiObject, Chart } from 'cdk8s';
import { restrictedDeployment } from '../../examples/workloads';
import { Findings, Peer, Port, Protocol, TeamNamespace } from '../../src';
import { newChart, synthValid } from '../helpers';
import { SCENARIOS } from './scenarios';

function summary(chart: Chart): string[] {
  Findings.silence(chart);
  return Findings.of(chart).filter(f => f.ruleId === 'unknown-named-port')
    .map(f => `${f.namespaceName}/${f.objectName} ${f.target}${f.acknowledgedReason ? ' (acknowledged)' : ''}`);
}

describe('unknown-named-port', () => {
  test('a misspelled port name fails synthesis, saying which names exist and which one was meant', () => {
    const { chart } = newChart();
    SCENARIOS['unknown-named-port: a flow on a misspelled metrics port, and an egress flow to a port the peer lacks'](chart);
    expect(summary(chart).sort()).toEqual([
      'checkout/allow-to-payments-api grpc',
      'payments/allow-from-checkout-cart grpc',
      'payments/allow-from-monitoring metircs',
    ]);
    const [typo] = Findings.of(chart).filter(f => f.target === 'metircs');
    expect(typo.severity).toBe('error');
    expect(typo.message).toBe('NetworkPolicy "allow-from-monitoring" in namespace "payments" allows TCP port "metircs" (ingress[0]), but none of the pods it '
      + 'applies to (Deployment api) has a container port of that name, so the rule matches nothing; their TCP ports are named "http", "metrics"');
    expect(typo.fix).toBe('did you mean "metrics"? Name that port in the policy (Port.named("metrics")), or name the container port "metircs"');
    const egress = Findings.of(chart).find(f => f.namespaceName === 'checkout')!;
    expect(egress.message).toContain('allows TCP port "grpc" (egress[0]), but none of the pods it sends to (Deployment api) has a container port of that name');
    expect(egress.fix).toBe('name a container port "grpc" on the destination pods, use a port number, or acknowledge unknown-named-port for "grpc"');
    expect(() => synthValid(chart)).toThrow(/unknown-named-port: NetworkPolicy "allow-from-monitoring" in namespace "payments" allows TCP port "metircs"/);
  });

  test('the right name, a port number, or no workload in the input is no finding', () => {
    const { chart } = newChart();
    const payments = new TeamNamespace(chart, 'payments');
    restrictedDeployment(chart, 'payments', { app: 'api', image: 'registry.example.com/api:1.0.0', ports: [{ number: 9090, name: 'metrics' }] });
    payments.connections.allowFrom(Peer.namespaceNamed('monitoring'), Port.named('metrics'), Port.tcp(8080));
    // No workload in "empty": its pods are deployed from elsewhere, so the name cannot be judged.
    new TeamNamespace(chart, 'empty').connections.allowFrom(Peer.namespaceNamed('monitoring'), Port.named('metircs'));
    // Egress to addresses: the destinations are unknown.
    payments.connections.allowTo(Peer.ipv4('203.0.113.0/24'), Port.named('https'));
    expect(summary(chart)).toEqual([]);
    synthValid(chart);
  });

  test('the protocol is part of the name: a UDP port named like a TCP one is a finding', () => {
    const { chart } = newChart();
    const dns = new TeamNamespace(chart, 'dns');
    restrictedDeployment(chart, 'dns', { app: 'coredns', image: 'registry.example.com/coredns:1.11', ports: [{ number: 5353, name: 'dns' }] });
    dns.connections.allowFrom(Peer.namespaceNamed('apps'), Port.named('dns', Protocol.UDP));
    expect(summary(chart)).toEqual(['dns/allow-from-apps dns']);
    expect(Findings.of(chart)[0].message).toContain('allows UDP port "dns"');
    expect(Findings.of(chart)[0].message).not.toContain('their UDP ports');
  });

  test('acknowledged per port name on the namespace', () => {
    const { chart } = newChart();
    SCENARIOS['unknown-named-port: acknowledged for one port name'](chart);
    expect(summary(chart)).toEqual(['payments/allow-from-monitoring admin (acknowledged)', 'payments/allow-from-monitoring metircs']);
  });

  test('any YAML: a raw policy and a raw workload', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'shop');
    new ApiObject(chart, 'web', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'web', ports: [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9000 }] }] },
    });
    new ApiObject(chart, 'np', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'htpp' }] }] },
    });
    expect(summary(chart)).toEqual(['shop/web htpp']);
    expect(Findings.of(chart).find(f => f.ruleId === 'unknown-named-port')!.fix).toBe('did you mean "http"? Name that port in the policy (Port.named("http")), or name the container port "htpp"');
  });
});

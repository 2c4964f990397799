import { Testing } from 'cdk8s';
import { PodSecurityLevel, Port, RuleId, Subject, TeamNamespace } from '../../src';
import {
  errorOf, findObject, flowPolicyNames, namespaceLabels, namespaceOf, newChart, objectsOf, policyOf, synthValid,
} from '../helpers';

describe('TeamNamespace', () => {
  test('the namespace and team name default to the construct id', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'payments');
    expect(team.teamName).toBe('payments');
    expect(team.namespaceName).toBe('payments');
    expect(namespaceLabels(synthValid(chart), 'payments')).toMatchObject({
      'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard',
      'namespace-guard.dev/profile': 'team',
      'namespace-guard.dev/team': 'payments',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
    });
  });

  test('teamName and namespaceName can be set separately', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 't', { teamName: 'Payments', namespaceName: 'payments-prod' });
    expect(namespaceLabels(synthValid(chart), 'payments-prod')['namespace-guard.dev/team']).toBe('Payments');
  });

  test('baseline is enforced while restricted is still audited and warned', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'legacy', { podSecurity: PodSecurityLevel.BASELINE });
    expect(namespaceLabels(synthValid(chart), 'legacy')).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('privileged needs an acknowledged reason', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'node-agents', { podSecurity: PodSecurityLevel.PRIVILEGED });
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain('[test/node-agents] privileged-pod-security: namespace "node-agents" enforces Pod Security level "privileged"');

    team.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'CSI node plugin needs host mounts');
    const objects = synthValid(chart);
    expect(namespaceLabels(objects, 'node-agents')['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(namespaceOf(objects, 'node-agents').metadata.annotations?.['namespace-guard.dev/acknowledged'])
      .toBe('privileged-pod-security: CSI node plugin needs host mounts');
  });

  test('team subjects get namespaced edit and admin roles', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'payments', { admins: [Subject.group('payments-leads')], editors: [Subject.group('payments-devs')] });
    const objects = synthValid(chart);
    expect(objectsOf(objects, 'Role', 'payments').map(r => r.metadata.name)).toEqual(['namespace-guard-admin', 'namespace-guard-edit']);
    expect(findObject(objects, 'RoleBinding', 'payments', 'namespace-guard-edit').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'payments-devs' },
    ]);
  });

  test('a flow to another team is declared per service and port, and written on both sides', () => {
    const { chart } = newChart();
    const checkout = new TeamNamespace(chart, 'checkout');
    const payments = new TeamNamespace(chart, 'payments');
    checkout.connections.allowTo(payments.pods({ app: 'api' }), Port.tcp(8080));
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'checkout')).toEqual(['allow-to-payments-api']);
    expect(flowPolicyNames(objects, 'payments')).toEqual(['allow-from-checkout-to-api']);
    expect(policyOf(objects, 'payments', 'allow-from-checkout-to-api').spec).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'checkout' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    });
  });

  test('a team-to-team flow that allows all traffic is refused and leaves nothing written', () => {
    const { chart } = newChart();
    const checkout = new TeamNamespace(chart, 'checkout');
    const payments = new TeamNamespace(chart, 'payments');
    expect(errorOf(() => checkout.connections.allowTo(payments, Port.allTraffic())))
      .toContain('a flow between teams "checkout" and "payments" allows all traffic');
    expect(errorOf(() => payments.pods({ app: 'api' }).connections.allowFrom(checkout, Port.tcp(80), Port.allTraffic())))
      .toContain('declare team-to-team flows per service and port');
    const objects = synthValid(chart);
    expect(flowPolicyNames(objects, 'checkout')).toEqual([]);
    expect(flowPolicyNames(objects, 'payments')).toEqual([]);
  });

  test('all traffic inside one team is fine', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'payments', { allowSameNamespace: false });
    team.pods({ app: 'api' }).connections.allowTo(team.pods({ app: 'db' }), Port.allTraffic());
    const objects = synthValid(chart);
    expect(policyOf(objects, 'payments', 'allow-to-payments-db-from-api').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: { matchLabels: { app: 'db' } } }],
    }]);
  });
});

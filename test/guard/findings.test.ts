import { Testing } from 'cdk8s';
import {
  Exposure, Finding, Findings, FindingSeverity, NamespaceBundle, Peer, PodSecurityLevel, Port, RuleId, SecurityZone,
  TeamNamespace, TenantNamespace,
} from '../../src';
import { RULES } from '../../src/rules/all-rules';
import { errorOf, namespaceOf, newChart, synthValid } from '../helpers';
import { SCENARIOS } from '../rules/scenarios';

function tenants() {
  const { chart } = newChart();
  const one = new TenantNamespace(chart, 'customer1');
  const two = new TenantNamespace(chart, 'customer2');
  return { chart, one, two };
}

describe('rule ids', () => {
  test('are stable strings', () => {
    expect(RuleId.CROSS_TENANT_FLOW).toBe('cross-tenant-flow');
    expect(RuleId.PRIVILEGED_POD_SECURITY).toBe('privileged-pod-security');
    // The registry and the constants are one list: every constant is a rule, every rule a constant, in one order.
    expect(RULES.map(r => r.id)).toEqual(RuleId.all());
    expect(new Set(RuleId.all()).size).toBe(RuleId.all().length);
  });
});

describe('cross-tenant-flow', () => {
  test('a declared flow between tenants is a finding on both tenants', () => {
    const { one, two } = tenants();
    one.connections.allowTo(two, Port.tcp(8080));
    const expected: Finding[] = [{
      ruleId: 'cross-tenant-flow',
      severity: FindingSeverity.ERROR,
      path: 'test/customer1',
      namespaceName: 'customer1',
      objectKind: 'NetworkPolicy',
      objectName: 'allow-to-customer2',
      target: 'customer2',
      message: 'tenant namespace "customer1" sends traffic to tenant namespace "customer2" (policy allow-to-customer2)',
      fix: 'remove the flow, or acknowledge cross-tenant-flow for "customer2" on tenant "customer1" with the reason these tenants may talk',
      monitored: false,
    }];
    expect(one.findings).toEqual(expected);
    expect(two.findings).toEqual([expect.objectContaining({
      ruleId: 'cross-tenant-flow',
      path: 'test/customer2',
      message: 'tenant namespace "customer2" admits traffic from tenant namespace "customer1" (policy allow-from-customer1)',
    })]);
  });

  test('fails synthesis with the rule id and both paths', () => {
    const { chart } = newChart();
    SCENARIOS['cross-tenant-flow: between pod subsets'](chart);
    const message = errorOf(() => Testing.synth(chart));
    expect(message.split('\n').slice(1).map(l => l.trim().replace(/^\[namespace-guard\] /, ''))).toEqual([
      '[test/customer1] cross-tenant-flow: tenant namespace "customer1" sends traffic to tenant namespace "customer2" (policy allow-to-customer2-from-billing). '
      + 'Fix: remove the flow, or acknowledge cross-tenant-flow for "customer2" on tenant "customer1" with the reason these tenants may talk',
      '[test/customer2] cross-tenant-flow: tenant namespace "customer2" admits traffic from tenant namespace "customer1" (policy allow-from-customer1-billing). '
      + 'Fix: remove the flow, or acknowledge cross-tenant-flow for "customer1" on tenant "customer2" with the reason these tenants may talk',
    ]);
  });

  test('acknowledged by both tenants, the flow synthesizes and stays visible', () => {
    const { chart, one, two } = tenants();
    one.connections.allowTo(two, Port.tcp(8080));
    one.acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer1 calls the customer2 API by contract', { appliesTo: ['customer2'] });
    expect(errorOf(() => Testing.synth(chart))).toContain('[test/customer2] cross-tenant-flow');
    two.acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer2 serves customer1 by contract', { appliesTo: ['customer1'] });
    const objects = synthValid(chart);
    expect(one.findings.map(f => f.acknowledgedReason)).toEqual(['customer1 calls the customer2 API by contract']);
    expect(two.findings.map(f => f.acknowledgedReason)).toEqual(['customer2 serves customer1 by contract']);
    expect(namespaceOf(objects, 'customer2').metadata.annotations).toEqual({
      'namespace-guard.dev/acknowledged': 'cross-tenant-flow[customer1]: customer2 serves customer1 by contract',
    });
  });

  test('flows from tenants to teams, zones and external peers are no cross-tenant findings', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1');
    const team = new TeamNamespace(chart, 'billing');
    const zone = new SecurityZone(chart, 'shared', { exposure: Exposure.INTERNAL, namespaces: ['shared-api'] });
    tenant.connections.allowTo(team, Port.tcp(8080));
    tenant.connections.allowTo(zone, Port.tcp(443));
    tenant.connections.allowTo(Peer.namespaceNamed('elsewhere'), Port.tcp(443));
    expect(tenant.findings).toEqual([]);
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });

  test('the rule only concerns tenants', () => {
    const { chart } = newChart();
    const a = new TeamNamespace(chart, 'team-a');
    const b = new TeamNamespace(chart, 'team-b');
    a.connections.allowTo(b, Port.tcp(80));
    expect([...a.findings, ...b.findings]).toEqual([]);
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });

  test('in monitor mode the findings are warned and synthesis succeeds', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { chart } = newChart();
      SCENARIOS['cross-tenant-flow: in monitor mode'](chart);
      const objects = synthValid(chart);
      expect(objects.length).toBeGreaterThan(0);
      expect(warn.mock.calls.map(c => String(c[0]))).toEqual([
        expect.stringContaining('acknowledged [test/customer1] monitored-tenant:'),
        expect.stringContaining('[test/customer1] cross-tenant-flow: tenant namespace "customer1" sends traffic'),
        expect.stringContaining('acknowledged [test/customer2] monitored-tenant:'),
        expect.stringContaining('[test/customer2] cross-tenant-flow: tenant namespace "customer2" admits traffic'),
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('privileged-pod-security', () => {
  test('a privileged bundle of any profile needs an acknowledgement', () => {
    const { chart } = newChart();
    SCENARIOS['privileged-pod-security: a team and a zone member'](chart);
    const message = errorOf(() => Testing.synth(chart));
    for (const path of ['test/agents', 'test/nodes/csi']) expect(message).toContain(`[${path}] privileged-pod-security:`);
    NamespaceBundle.find(chart, 'agents')!.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'runs node debugging agents');
    (chart.node.findChild('nodes') as SecurityZone).acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'the CSI driver mounts host paths');
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });

  test('an acknowledgement on a zone covers every member, and is written on each member Namespace', () => {
    const { chart } = newChart();
    SCENARIOS['privileged-pod-security: acknowledged on the zone'](chart);
    const objects = synthValid(chart);
    for (const member of ['csi', 'agents']) {
      expect(namespaceOf(objects, member).metadata.annotations).toEqual({
        'namespace-guard.dev/acknowledged': 'privileged-pod-security: the CSI driver mounts host paths',
      });
    }
    expect(Findings.of(chart).map(f => [f.path, f.acknowledgedReason])).toEqual([
      ['test/nodes/csi', 'the CSI driver mounts host paths'],
      ['test/nodes/agents', 'the CSI driver mounts host paths'],
    ]);
  });

  test('baseline and restricted bundles have no finding', () => {
    const { chart } = newChart();
    const baseline = new TeamNamespace(chart, 'legacy', { podSecurity: PodSecurityLevel.BASELINE });
    expect(baseline.findings).toEqual([]);
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });
});

describe('acknowledge()', () => {
  test('refuses unknown rules and short reasons, and records nothing then', () => {
    const { chart, one, two } = tenants();
    one.connections.allowTo(two, Port.tcp(8080));
    expect(errorOf(() => one.acknowledge('cross_tenant_flow', 'a long enough reason'))).toContain('acknowledge("cross_tenant_flow") names no known rule');
    expect(errorOf(() => one.acknowledge(RuleId.CROSS_TENANT_FLOW, 'too short'))).toContain('needs a reason of at least 10 characters, got "too short"');
    expect(errorOf(() => one.acknowledge(RuleId.CROSS_TENANT_FLOW, ' padded  '))).toContain('needs a reason of at least 10 characters');
    expect(one.findings[0].acknowledgedReason).toBeUndefined();
    expect(errorOf(() => Testing.synth(chart))).toContain('[test/customer1] cross-tenant-flow');
  });

  test('a reason of exactly 10 characters is enough', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'agents', { podSecurity: PodSecurityLevel.PRIVILEGED });
    team.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, '0123456789');
    expect(team.findings[0].acknowledgedReason).toBe('0123456789');
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });

  test('acknowledging a rule without findings is harmless and still written down', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1');
    tenant.acknowledge(RuleId.CROSS_TENANT_FLOW, 'prepared for the billing integration', { appliesTo: ['billing'] });
    expect(tenant.findings).toEqual([]);
    expect(namespaceOf(synthValid(chart), 'customer1').metadata.annotations).toEqual({
      'namespace-guard.dev/acknowledged': 'cross-tenant-flow[billing]: prepared for the billing integration',
    });
  });

  test('several acknowledgements are written one per line, sorted, with their targets', () => {
    const { chart } = newChart();
    const bundle = new TenantNamespace(chart, 'raw');
    bundle.acknowledge(RuleId.UNMATCHED_FLOW_SELECTOR, 'pods of this namespace come from a Helm chart');
    bundle.acknowledge(RuleId.CROSS_TENANT_FLOW, 'shares a cache with customer3 and customer2', { appliesTo: ['customer3', 'customer2'] });
    expect(namespaceOf(synthValid(chart), 'raw').metadata.annotations?.['namespace-guard.dev/acknowledged'])
      .toBe('cross-tenant-flow[customer2,customer3]: shares a cache with customer3 and customer2\nunmatched-flow-selector: pods of this namespace come from a Helm chart');
  });

  test('a cross-tenant acknowledgement must name the other tenants', () => {
    const { one } = tenants();
    expect(errorOf(() => one.acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer1 talks to anyone'))).toBe(
      '[test/customer1] acknowledge("cross-tenant-flow") must name the other tenant\'s namespace: a blanket acknowledgement would also accept every future flow. '
      + 'Fix: list them, for example acknowledge("cross-tenant-flow", "customer1 talks to anyone", { appliesTo: ["customer2"] })');
  });

  test('appliesTo must name targets the rule has, in a valid form', () => {
    const { chart, one } = tenants();
    const team = new TeamNamespace(chart, 'agents', { podSecurity: PodSecurityLevel.PRIVILEGED });
    expect(errorOf(() => team.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'node agents need it', { appliesTo: ['x'] })))
      .toContain('[test/agents] acknowledge("privileged-pod-security"): "privileged-pod-security" findings have no targets, so appliesTo cannot name any. Fix: remove appliesTo');
    expect(errorOf(() => one.acknowledge(RuleId.CROSS_TENANT_FLOW, 'a long enough reason', { appliesTo: ['customer 2'] })))
      .toContain('appliesTo entry "customer 2" is not a name');
    expect(errorOf(() => one.acknowledge(RuleId.CROSS_TENANT_FLOW, 'first line\nsecond line', { appliesTo: ['customer2'] })))
      .toContain('needs a reason on one line');
  });

  test('a chart-wide acknowledgement and one on the bundle may not disagree', () => {
    const { chart } = newChart();
    const team = new TeamNamespace(chart, 'agents', { podSecurity: PodSecurityLevel.PRIVILEGED });
    team.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'node agents need host access');
    Findings.acknowledge(chart, RuleId.PRIVILEGED_POD_SECURITY, 'everything here is legacy');
    expect(errorOf(() => Testing.synth(chart))).toContain('[namespace-guard] [test/agents] the acknowledgements made on test and test/agents disagree: '
      + '"privileged-pod-security" is acknowledged twice with different reasons');
  });

  test('an acknowledgement that covers no object of its rule is an error with the fix', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1');
    tenant.acknowledge(RuleId.POD_SECURITY, 'legacy images being migrated');
    expect(errorOf(() => Testing.synth(chart))).toContain(
      '[test/customer1] acknowledge("pod-security") covers no Pod or Deployment or StatefulSet or DaemonSet or ReplicaSet or ReplicationController or Job or CronJob. '
      + 'Fix: acknowledge it on the Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob it is about, or on a construct that holds them');
  });
});

describe('cross-tenant-flow through external peers', () => {
  test.each([
    'cross-tenant-flow: through Peer.namespaceNamed',
    'cross-tenant-flow: through Peer.pods',
    'cross-tenant-flow: through Peer.allPods',
    'cross-tenant-flow: through a tenant label selector',
  ] as const)('%s naming another tenant is a finding', name => {
    const { chart } = newChart();
    SCENARIOS[name](chart);
    const one = NamespaceBundle.find(chart, 'customer1')!;
    expect(one.findings.filter(f => f.ruleId === RuleId.CROSS_TENANT_FLOW).map(f => f.message)).toEqual([
      expect.stringContaining('sends traffic to tenant namespace "customer2"'),
    ]);
    expect(errorOf(() => Testing.synth(chart))).toContain('[test/customer1] cross-tenant-flow');
  });

  test('selectors that match no other tenant are not findings', () => {
    const { chart, one } = tenants();
    one.connections.allowTo(Peer.namespaceNamed('monitoring'), Port.tcp(9090));
    one.connections.allowTo(Peer.namespacesWithLabels({ 'namespace-guard.dev/tenant': 'customer1' }), Port.tcp(80));
    one.connections.allowTo(Peer.ipv4('10.0.0.0/8'), Port.tcp(443));
    expect(one.findings).toEqual([]);
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });
});

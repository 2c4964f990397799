import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { hostPathInTenantChart } from '../../examples/broken/hostpath-in-tenant';
import { restrictedDeployment } from '../../examples/workloads';
import {
  Findings, FindingSeverity, Peer, PodSecurityLevel, Port, Quota, RuleId, TeamNamespace, TenantNamespace,
} from '../../src';
import { errorOf, newChart, synthValid } from '../helpers';
import { restrictedPod, SCENARIOS, service } from './scenarios';

/** The synth error lines, without cdk8s's heading and the guard's path prefix. */
function synthErrors(chart: Chart): string[] {
  return errorOf(() => Testing.synth(chart)).split('\n').slice(1).map(l => l.trim().replace(/^\[namespace-guard\] /, ''));
}

const q = (text: string) => kplus.k8s.Quantity.fromString(text);

describe('pod-security', () => {
  test('a default cdk8s-plus Deployment in a tenant fails with the missing seccomp profile and capability drop', () => {
    const { chart } = newChart();
    SCENARIOS['pod-security: a default cdk8s-plus Deployment in a tenant'](chart);
    const errors = synthErrors(chart);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^\[test\/web\] pod-security: Deployment ".*" in namespace "customer1" fails Pod Security "restricted" \(v1\.35\) check capabilities_restricted/);
    expect(errors[0]).toContain('spec.template.spec.containers[0].securityContext.capabilities.drop');
    expect(errors[0]).toContain('Fix: unrestricted capabilities: container "main" must drop ALL capabilities: set securityContext.capabilities.drop: ["ALL"]');
    expect(errors[1]).toContain('check seccompProfile_restricted at spec.template.spec.containers[0].securityContext.seccompProfile.type');
    expect(errors[1]).toContain('must set securityContext.seccompProfile.type to RuntimeDefault or Localhost');
  });

  test('a restricted-compliant Deployment passes', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    restrictedDeployment(chart, 'customer1', { app: 'web', image: 'nginx:1.27', ports: [{ number: 8080, name: 'http' }] });
    expect(synthValid(chart).some(o => o.kind === 'Deployment')).toBe(true);
    expect(Findings.of(chart)).toEqual([]);
  });

  test('typed objects and raw ApiObjects are checked too', () => {
    const { chart } = newChart();
    SCENARIOS['pod-security: a typed privileged Pod and a raw host-network Pod'](chart);
    const checks = Findings.of(chart).map(f => `${f.path} ${f.message.replace(/.* check (\S+) .*/, '$1')}`);
    expect(checks).toContain('test/typed privileged');
    expect(checks).toContain('test/raw hostNamespaces');
    expect(checks).toContain('test/raw seccompProfile_restricted');
  });

  test('the namespace level and pinned version decide: baseline admits what restricted rejects', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'team', { podSecurity: PodSecurityLevel.BASELINE, podSecurityVersion: 'v1.30' });
    new kplus.Deployment(chart, 'web', { metadata: { namespace: 'team' }, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    expect(synthValid(chart).length).toBeGreaterThan(0);

    new ApiObject(chart, 'hostpath', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hostpath', namespace: 'team' },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], volumes: [{ name: 'h', hostPath: { path: '/var' } }] },
    });
    const errors = synthErrors(chart);
    expect(errors).toEqual([expect.stringContaining('fails Pod Security "baseline" (v1.30) check hostPathVolumes at spec.volumes[0].hostPath')]);
  });

  test('workloads outside managed namespaces are not checked', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    new kplus.Deployment(chart, 'web', { metadata: { namespace: 'elsewhere' }, containers: [{ image: 'nginx:1.27' }] });
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });

  test('a finding acknowledged on the workload stays visible and no longer fails', () => {
    const { chart } = newChart();
    SCENARIOS['pod-security: acknowledged on the workload'](chart);
    const objects = synthValid(chart);
    expect(objects.find(o => o.kind === 'Deployment')?.metadata.annotations).toEqual({
      'namespace-guard.dev/acknowledged': 'pod-security: legacy image, migration tracked in PLAT-123',
    });
    const findings = Findings.of(chart);
    expect(findings.length).toBe(2);
    expect(findings.every(f => f.acknowledgedReason === 'legacy image, migration tracked in PLAT-123')).toBe(true);
  });

  test('an acknowledgement that names one check leaves the other failing', () => {
    const { chart } = newChart();
    SCENARIOS['pod-security: one check acknowledged, the other not'](chart);
    const errors = synthErrors(chart);
    expect(errors).toEqual([expect.stringContaining('[test/web] pod-security: Deployment')]);
    expect(errors[0]).toContain('check seccompProfile_restricted');
    expect(Findings.of(chart).map(f => [f.target, f.acknowledgedReason])).toEqual([
      ['capabilities_restricted', 'the image cannot drop capabilities yet'],
      ['seccompProfile_restricted', undefined],
    ]);
  });

  test('in monitor mode the findings are warnings and synthesis succeeds', () => {
    const { chart } = newChart();
    SCENARIOS['pod-security: in monitor mode'](chart);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(synthValid(chart).length).toBeGreaterThan(0);
      expect(warn.mock.calls.map(c => String(c[0]))).toEqual([
        expect.stringMatching(/^\[namespace-guard\] acknowledged \[test\/customer1\] monitored-tenant: .*\(reason: rolling out; enforced from 2027-01-15\)$/),
        expect.stringMatching(/^\[namespace-guard\] warning \(monitor mode\) \[test\/web\] pod-security: .*capabilities_restricted/),
        expect.stringMatching(/^\[namespace-guard\] warning \(monitor mode\) \[test\/web\] pod-security: .*seccompProfile_restricted/),
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  test('the broken example (a hostPath pod in a tenant) fails with exactly what to change', () => {
    const app = Testing.app();
    const chart = hostPathInTenantChart(app);
    expect(synthErrors(chart)).toEqual([
      '[broken/node-reader] pod-security: Pod "node-reader" in namespace "customer1" fails Pod Security "restricted" (v1.35) '
      + 'check restrictedVolumes at spec.volumes[0].hostPath. Fix: restricted volume types: volume "host" uses restricted volume type "hostPath"; '
      + 'remove the hostPath volume "host" and use one of the allowed types instead: configMap, csi, downwardAPI, emptyDir, ephemeral, image, '
      + 'persistentVolumeClaim, projected, secret',
    ]);
  });
});

describe('container-resources', () => {
  test('a request above the default limit is rejected with the fix', () => {
    const { chart } = newChart();
    SCENARIOS['container-resources: a request above the default limit'](chart);
    const errors = synthErrors(chart);
    expect(errors).toEqual([
      '[test/big] container-resources: Pod "big" container "app" (spec.containers[0].resources) requests cpu 1 but its limit is 500m '
      + '(a missing limit comes from the LimitRange default), so the pod is rejected. Fix: set resources.limits.cpu to at least 1, or lower the request',
    ]);
  });

  test('a limit above the per-container maximum is rejected', () => {
    const { chart } = newChart();
    SCENARIOS['container-resources: a limit above the per-container maximum'](chart);
    expect(synthErrors(chart)).toEqual([expect.stringContaining('has memory limit 2Gi, above the namespace\'s per-container maximum 1Gi. Fix: lower resources.limits.memory to at most 1Gi')]);
  });

  test('containers within the defaults and maximums pass', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    restrictedPod(chart, 'customer1', 'fine', { resources: { requests: { cpu: q('200m') }, limits: { cpu: q('1') } } });
    restrictedPod(chart, 'customer1', 'bare');
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });
});

describe('quota-fit', () => {
  test('replicas whose requests exceed the quota are a finding on the bundle', () => {
    const { chart } = newChart();
    SCENARIOS['quota-fit: 25 replicas in a small quota'](chart);
    const errors = synthErrors(chart);
    expect(errors).toContainEqual(expect.stringMatching(/^\[test\/customer1\] quota-fit: the workloads of namespace "customer1" declare requests\.cpu 2\.5, above its quota of 2 /));
    expect(errors).toContainEqual(expect.stringContaining('declare pods 25, above its quota of 20'));
    expect(errors.every(e => /Fix: raise (requests|limits)\.\S+ in ResourceQuota namespace-quota|Fix: raise pods in ResourceQuota namespace-quota/.test(e))).toBe(true);
  });

  test('workloads that fit pass', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { quota: Quota.small() });
    restrictedDeployment(chart, 'customer1', { app: 'web', image: 'nginx:1.27', replicas: 8 });
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });
});

describe('service-exposure', () => {
  test('NodePort and LoadBalancer Services are rejected where the quota forbids them', () => {
    const { chart } = newChart();
    SCENARIOS['service-exposure: a NodePort and a LoadBalancer Service'](chart);
    const errors = synthErrors(chart);
    expect(errors).toEqual([
      expect.stringMatching(/^\[test\/svc-nodeport\] service-exposure: Service "svc-nodeport" of type NodePort exceeds .*services\.nodeports \(1 used, 0 allowed\)/),
      expect.stringMatching(/^\[test\/svc-loadbalancer\] service-exposure: .*services\.nodeports \(2 used, 0 allowed\), services\.loadbalancers \(1 used, 0 allowed\)/),
    ]);
    expect(errors[1]).toContain('Quota.of({ nodePorts: 2, loadBalancers: 1 })');
  });

  test('Services are accepted when the quota allows them, and ClusterIP always', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { quota: Quota.of({ nodePorts: 2, loadBalancers: 1 }) });
    service(chart, 'NodePort');
    service(chart, 'LoadBalancer');
    service(chart, 'ClusterIP');
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });
});

describe('one-sided-flow', () => {
  test('a managed namespace reached through an external peer is a finding', () => {
    const { chart } = newChart();
    SCENARIOS['one-sided-flow: a managed namespace through an external peer'](chart);
    expect(synthErrors(chart)).toEqual([
      '[test/checkout] one-sided-flow: policy allow-to-payments-api in "checkout" allows egress to namespace "payments", '
      + 'but no NetworkPolicy of "payments" admits ingress from "checkout", so "payments" still drops the traffic. '
      + 'Fix: write the other side too: an ingress rule for "checkout" in a NetworkPolicy of "payments" (with the library, declare the flow with the bundle '
      + 'or bundle.pods({...}), not with Peer.namespaceNamed or Peer.pods, so both sides are written)',
    ]);
  });

  test('the same flow declared with the bundle is written on both sides and passes', () => {
    const { chart } = newChart();
    const checkout = new TeamNamespace(chart, 'checkout');
    const payments = new TeamNamespace(chart, 'payments');
    checkout.connections.allowTo(payments, Port.tcp(8080));
    expect(synthValid(chart).length).toBeGreaterThan(0);
    expect(Findings.of(chart)).toEqual([]);
  });
});

describe('unmatched-flow-selector', () => {
  test('a pod selector no workload matches is a warning, and synthesis succeeds', () => {
    const { chart } = newChart();
    SCENARIOS['unmatched-flow-selector: a typo in a pod selector'](chart);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(synthValid(chart).length).toBeGreaterThan(0);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(
        '[namespace-guard] warning [test/customer1] unmatched-flow-selector: policy allow-from-ingress-nginx-to-bakend applies to pods with app=bakend in "customer1"'));
      expect(Findings.of(chart).map(f => [f.ruleId, f.severity])).toEqual([[RuleId.UNMATCHED_FLOW_SELECTOR, FindingSeverity.WARNING]]);
    } finally {
      warn.mockRestore();
    }
  });

  test('a selector that matches a workload is no finding', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1');
    tenant.pods({ app: 'backend' }).connections.allowFrom(Peer.namespaceNamed('ingress-nginx'), Port.tcp(8080));
    restrictedDeployment(chart, 'customer1', { app: 'backend', image: 'nginx:1.27' });
    expect(Findings.of(chart)).toEqual([]);
  });
});

describe('acknowledgements', () => {
  test('need a known rule and a reason of at least 10 characters, and name the path', () => {
    const { chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27' }] });
    expect(errorOf(() => Findings.acknowledge(web, RuleId.POD_SECURITY, 'because'))).toContain('[test/web] acknowledge("pod-security") needs a reason of at least 10 characters');
    expect(errorOf(() => Findings.acknowledge(web, 'pod-securty', 'a long enough reason'))).toContain('[test/web] acknowledge("pod-securty") names no known rule');
  });

  test('a chart-wide acknowledgement covers everything inside it', () => {
    const app = new App();
    const chart = new Chart(app, 'legacy');
    SCENARIOS['pod-security: acknowledged for the whole chart'](chart);
    const objects = Testing.synth(chart);
    expect(objects.find(o => o.kind === 'Deployment')?.metadata.annotations).toEqual({
      'namespace-guard.dev/acknowledged': 'pod-security: whole legacy chart is being migrated',
    });
    // Only the workloads carry a workload rule's acknowledgement.
    expect(objects.find(o => o.kind === 'Namespace')?.metadata.annotations).toBeUndefined();
  });
});

describe('acknowledged findings in the synth output', () => {
  test('are printed once with their reason', () => {
    const { chart } = newChart();
    SCENARIOS['pod-security: acknowledged on the workload'](chart);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      synthValid(chart);
      synthValid(chart);
      const lines = warn.mock.calls.map(c => String(c[0]));
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        expect(line).toMatch(/^\[namespace-guard\] acknowledged \[test\/web\] pod-security: .* \(reason: legacy image, migration tracked in PLAT-123\)$/);
        expect(line).not.toContain('\n');
      }
    } finally {
      warn.mockRestore();
    }
  });

  test('are not printed once the app is silenced, and stay in Findings.of()', () => {
    const { chart } = newChart();
    SCENARIOS['pod-security: acknowledged on the workload'](chart);
    Findings.silence(chart);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      synthValid(chart);
      expect(warn).not.toHaveBeenCalled();
      expect(Findings.of(chart).map(f => f.acknowledgedReason)).toEqual(['legacy image, migration tracked in PLAT-123', 'legacy image, migration tracked in PLAT-123']);
    } finally {
      warn.mockRestore();
    }
  });
});

import { Enforcement, Subject, TenantNamespace } from '../../src';
import { ClusterGuardrails } from '../../src/guardrails/cluster-guardrails';
import { errorOf, K8sObject, newChart, objectsOf, synthValid } from '../helpers';

function guardrails(props?: Partial<ConstructorParameters<typeof ClusterGuardrails>[2]>, chartNamespace?: string): K8sObject[] {
  const { chart } = newChart(chartNamespace ? { namespace: chartNamespace } : undefined);
  new ClusterGuardrails(chart, 'guardrails', { platformAdmins: [Subject.group('platform-admins')], ...props });
  new TenantNamespace(chart, 'customer1', { tenantName: 'customer1' });
  return synthValid(chart);
}

const NAMESPACE_MODE_POLICIES = ['ingress-hosts', 'role-bindings', 'service-account-tokens', 'services'].map(n => `namespace-guard-${n}`);

describe('ClusterGuardrails', () => {
  test('emits one schema-valid ValidatingAdmissionPolicy per guardrail, each with its bindings', () => {
    const objects = guardrails();
    const policies = objectsOf(objects, 'ValidatingAdmissionPolicy');
    expect(policies.map(p => p.metadata.name)).toEqual([
      'namespace-guard-managed-objects', 'namespace-guard-network-policies', 'namespace-guard-namespaces', 'namespace-guard-services',
      'namespace-guard-ingress-hosts', 'namespace-guard-role-bindings', 'namespace-guard-service-account-tokens',
    ]);
    for (const policy of policies) {
      expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(policy.metadata.namespace).toBeUndefined();
      expect(policy.spec.failurePolicy).toBe('Fail');
      const bindings = objectsOf(objects, 'ValidatingAdmissionPolicyBinding').filter(b => b.spec.policyName === policy.metadata.name);
      expect(bindings.length).toBe(NAMESPACE_MODE_POLICIES.includes(policy.metadata.name) ? 2 : 1);
    }
  });

  test('when enforcing, denies everywhere except the tenant-facing policies in namespaces in monitor mode', () => {
    const bindings = objectsOf(guardrails(), 'ValidatingAdmissionPolicyBinding');
    const services = bindings.filter(b => b.spec.policyName === 'namespace-guard-services');
    expect(services.map(b => b.spec.validationActions)).toEqual([['Deny'], ['Warn', 'Audit']]);
    expect(services[0].spec.matchResources.namespaceSelector.matchExpressions).toContainEqual(
      { key: 'namespace-guard.dev/enforcement', operator: 'NotIn', values: ['monitor'] });
    expect(services[1].spec.matchResources.namespaceSelector.matchExpressions).toContainEqual(
      { key: 'namespace-guard.dev/enforcement', operator: 'In', values: ['monitor'] });
    // A namespace in monitor mode cannot relax the protection of the guard's own objects and labels.
    for (const name of ['managed-objects', 'network-policies', 'namespaces']) {
      const own = bindings.filter(b => b.spec.policyName === `namespace-guard-${name}`);
      expect(own.map(b => b.spec.validationActions)).toEqual([['Deny']]);
    }
  });

  test('every binding of a namespaced policy selects only the managed namespaces', () => {
    for (const binding of objectsOf(guardrails(), 'ValidatingAdmissionPolicyBinding')) {
      if (binding.spec.policyName === 'namespace-guard-namespaces') {
        // Matched by match conditions on both the old and the new Namespace instead.
        expect(binding.spec.matchResources).toBeUndefined();
        continue;
      }
      expect(binding.spec.matchResources.namespaceSelector.matchExpressions).toContainEqual(
        { key: 'app.kubernetes.io/managed-by', operator: 'In', values: ['cdk8s-namespace-guard'] });
    }
  });

  test('in monitor mode, every binding only warns and audits', () => {
    const bindings = objectsOf(guardrails({ enforcement: Enforcement.MONITOR }), 'ValidatingAdmissionPolicyBinding');
    expect(bindings.length).toBe(7);
    for (const b of bindings) expect(b.spec.validationActions).toEqual(['Warn', 'Audit']);
  });

  test('a chart-wide namespace does not leak onto the cluster-scoped policies', () => {
    const objects = guardrails({}, 'apps');
    for (const o of [...objectsOf(objects, 'ValidatingAdmissionPolicy'), ...objectsOf(objects, 'ValidatingAdmissionPolicyBinding')]) {
      expect(o.metadata.namespace).toBeUndefined();
    }
  });

  test('the platform admins and Kubernetes\' own controllers are the only exemptions', () => {
    const objects = guardrails({ platformAdmins: [Subject.group('platform-admins'), Subject.user('ops@example.com'), Subject.serviceAccount('argocd-application-controller', 'argocd')] });
    for (const policy of objectsOf(objects, 'ValidatingAdmissionPolicy')) {
      const privileged = policy.spec.variables.find((v: any) => v.name === 'privileged').expression;
      expect(privileged).toContain("'platform-admins'");
      expect(privileged).toContain("'ops@example.com'");
      expect(privileged).toContain("'system:serviceaccount:argocd:argocd-application-controller'");
      expect(privileged).toContain("'system:serviceaccount:kube-system:namespace-controller'");
      expect(privileged).toContain("'system:serviceaccount:kube-system:generic-garbage-collector'");
    }
  });

  test('the number of objects does not grow with the number of namespaces', () => {
    const { chart } = newChart();
    new ClusterGuardrails(chart, 'guardrails', { platformAdmins: [Subject.group('platform-admins')] });
    for (let i = 0; i < 20; i++) new TenantNamespace(chart, `t${i}`, { tenantName: `t${i}` });
    const objects = synthValid(chart);
    expect(objectsOf(objects, 'ValidatingAdmissionPolicy').length).toBe(7);
    expect(objectsOf(objects, 'ValidatingAdmissionPolicyBinding').length).toBe(11);
  });

  describe('refuses, naming the construct and the fix', () => {
    const attempt = (props: any) => errorOf(() => {
      const { chart } = newChart();
      new ClusterGuardrails(chart, 'guardrails', props);
    });

    test('no platform admins', () => {
      expect(attempt({ platformAdmins: [] })).toMatch(/\[test\/guardrails\] invalid ClusterGuardrails: platformAdmins is empty.*Fix:/);
    });

    test('a service account without its namespace', () => {
      expect(attempt({ platformAdmins: [Subject.serviceAccount('deployer')] })).toMatch(/service account "deployer" has no namespace; give it/);
    });

    test.each(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'])('the group %s, which holds every tenant', group => {
      expect(attempt({ platformAdmins: [Subject.group(group)] })).toMatch(new RegExp(`Group "${group}" includes tenants`));
    });

    test('an unknown enforcement', () => {
      expect(attempt({ platformAdmins: [Subject.group('admins')], enforcement: 'off' })).toMatch(/enforcement "off" is not an Enforcement/);
    });

    test('a second ClusterGuardrails in the app', () => {
      expect(errorOf(() => {
        const { chart } = newChart();
        new ClusterGuardrails(chart, 'one', { platformAdmins: [Subject.group('admins')] });
        new ClusterGuardrails(chart, 'two', { platformAdmins: [Subject.group('admins')] });
      })).toMatch(/\[test\/two\] the app already has ClusterGuardrails at test\/one/);
    });
  });
});

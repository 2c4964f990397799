import { Enforcement, IngressAnnotations, Subject, TenantNamespace } from '../../src';
import { ClusterGuardrails } from '../../src/guardrails/cluster-guardrails';
import { errorOf, K8sObject, newChart, objectsOf, synthValid } from '../helpers';

function guardrails(props?: Partial<ConstructorParameters<typeof ClusterGuardrails>[2]>, chartNamespace?: string): K8sObject[] {
  const { chart } = newChart(chartNamespace ? { namespace: chartNamespace } : undefined);
  new ClusterGuardrails(chart, 'guardrails', { platformAdmins: [Subject.group('platform-admins')], ...props });
  new TenantNamespace(chart, 'customer1', { tenantName: 'customer1' });
  return synthValid(chart);
}

// Only what protects the namespace itself follows its monitor mode: tokens are its own identity.
const NAMESPACE_MODE_POLICIES = ['namespace-guard-service-account-tokens'];
const POLICIES = [
  'managed-objects', 'network-policies', 'namespaces', 'services', 'ingress-hosts', 'ingress-annotations', 'role-bindings',
  'service-account-tokens', 'pod-scheduling', 'probe-hosts', 'persistent-volume-claims', 'endpoints',
].map(n => `namespace-guard-${n}`);

describe('ClusterGuardrails', () => {
  test('emits one schema-valid ValidatingAdmissionPolicy per guardrail, each with its bindings', () => {
    const objects = guardrails();
    const policies = objectsOf(objects, 'ValidatingAdmissionPolicy');
    expect(policies.map(p => p.metadata.name)).toEqual(POLICIES);
    for (const policy of policies) {
      expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(policy.metadata.namespace).toBeUndefined();
      expect(policy.spec.failurePolicy).toBe('Fail');
      const bindings = objectsOf(objects, 'ValidatingAdmissionPolicyBinding').filter(b => b.spec.policyName === policy.metadata.name);
      expect(bindings.length).toBe(NAMESPACE_MODE_POLICIES.includes(policy.metadata.name) ? 2 : 1);
    }
  });

  test('when enforcing, denies everywhere; only the namespace\'s own tokens follow its monitor mode', () => {
    const bindings = objectsOf(guardrails(), 'ValidatingAdmissionPolicyBinding');
    const tokens = bindings.filter(b => b.spec.policyName === 'namespace-guard-service-account-tokens');
    expect(tokens.map(b => b.spec.validationActions)).toEqual([['Deny'], ['Warn', 'Audit']]);
    expect(tokens[0].spec.matchResources.namespaceSelector.matchExpressions).toContainEqual(
      { key: 'namespace-guard.dev/enforcement', operator: 'NotIn', values: ['monitor'] });
    expect(tokens[1].spec.matchResources.namespaceSelector.matchExpressions).toContainEqual(
      { key: 'namespace-guard.dev/enforcement', operator: 'In', values: ['monitor'] });
    // A namespace in monitor mode relaxes nothing that protects its neighbours, the node or the guard itself.
    for (const name of POLICIES.filter(p => !NAMESPACE_MODE_POLICIES.includes(p))) {
      const own = bindings.filter(b => b.spec.policyName === name);
      expect([name, own.map(b => b.spec.validationActions)]).toEqual([name, [['Deny']]]);
      expect(JSON.stringify(own[0].spec.matchResources ?? {})).not.toContain('namespace-guard.dev/enforcement');
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
    expect(bindings.length).toBe(POLICIES.length);
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
      // On the tenants' kinds, the platform admins are exempt only for the guard's own objects.
      if (!['managed-objects', 'network-policies', 'namespaces'].map(n => `namespace-guard-${n}`).includes(policy.metadata.name)) {
        expect(privileged).toContain("'app.kubernetes.io/managed-by'");
      }
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
    expect(objectsOf(objects, 'ValidatingAdmissionPolicy').length).toBe(POLICIES.length);
    expect(objectsOf(objects, 'ValidatingAdmissionPolicyBinding').length).toBe(POLICIES.length + NAMESPACE_MODE_POLICIES.length);
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

    test('a system priority class, or one that is no name', () => {
      expect(attempt({ platformAdmins: [Subject.group('admins')], priorityClasses: ['system-node-critical'] }))
        .toMatch(/priorityClasses: "system-node-critical" is one of Kubernetes' system classes.*Fix:/);
      expect(attempt({ platformAdmins: [Subject.group('admins')], priorityClasses: ['Tenant High'] })).toMatch(/priorityClasses: "Tenant High": /);
    });

    test('an allowed annotation outside the controller\'s prefix, or an unknown risk level', () => {
      expect(attempt({ platformAdmins: [Subject.group('admins')], ingressAnnotations: IngressAnnotations.ingressNginx({ allow: ['auth-url'] }) }))
        .toMatch(/allow holds "auth-url", which does not start with the prefix "nginx.ingress.kubernetes.io\/"/);
      expect(attempt({ platformAdmins: [Subject.group('admins')], ingressAnnotations: IngressAnnotations.ingressNginx({ maxRisk: 'Extreme' as any }) }))
        .toMatch(/maxRisk "Extreme" is not an IngressAnnotationRisk/);
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

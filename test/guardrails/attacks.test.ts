// Each guardrail meets the attack it exists for, made by a tenant's own admin, and ordinary tenant
// work still goes through. The guardrails are judged by the offline admission simulator, on the
// synthesized manifests, as the API server would judge them.
import { Enforcement, Findings, Quota, Subject, TenantNamespace } from '../../src';
import { AdmissionResult, AdmissionSimulator, completeUserInfo, RequestOperation } from '../../src/analysis/admission';
import { ClusterGuardrails } from '../../src/guardrails/cluster-guardrails';
import { KubeObject, toManifests } from '../../src/model/manifests';
import { RuleId } from '../../src/rules/rule-id';
import { newChart, synthValid } from '../helpers';

const TENANT_ADMIN = completeUserInfo('mallory', ['customer1-admins']);
const PLATFORM_ADMIN = completeUserInfo('pat', ['platform-admins']);
const GITOPS = completeUserInfo('system:serviceaccount:argocd:argocd-application-controller');
const NAMESPACE_CONTROLLER = completeUserInfo('system:serviceaccount:kube-system:namespace-controller');
const GARBAGE_COLLECTOR = completeUserInfo('system:serviceaccount:kube-system:generic-garbage-collector');

function cluster(enforcement?: Enforcement): { objects: KubeObject[]; simulator: AdmissionSimulator } {
  const { chart } = newChart();
  Findings.silence(chart);
  new ClusterGuardrails(chart, 'guardrails', {
    platformAdmins: [Subject.group('platform-admins'), Subject.serviceAccount('argocd-application-controller', 'argocd')],
    enforcement,
  });
  new TenantNamespace(chart, 'customer1', {
    tenantName: 'customer1',
    admins: [Subject.group('customer1-admins')],
    ingressHosts: ['shop.customer1.example.com', '*.api.customer1.example.com'],
    apiAccessServiceAccounts: ['operator'],
  });
  new TenantNamespace(chart, 'customer2', { tenantName: 'customer2', admins: [Subject.group('customer2-admins')], ingressHosts: ['shop.customer2.example.com'] });
  new TenantNamespace(chart, 'customer3', {
    tenantName: 'customer3', admins: [Subject.group('customer3-admins')], quota: Quota.of({ nodePorts: 2 }), enforcement: Enforcement.MONITOR,
  }).acknowledge(RuleId.MONITORED_TENANT, 'onboarding: watching what the tenant runs before enforcing');
  const objects = synthValid(chart) as KubeObject[];
  return { objects, simulator: AdmissionSimulator.fromManifests(objects.flatMap((o, i) => toManifests(o, 'synthesis', i + 1))) };
}

const { objects, simulator } = cluster();

function request(operation: RequestOperation, object: KubeObject | null, oldObject: KubeObject | null, user = TENANT_ADMIN): AdmissionResult {
  return simulator.admit({ operation, object, oldObject, userInfo: user });
}
const create = (object: KubeObject, user = TENANT_ADMIN) => request('CREATE', object, null, user);
const update = (object: KubeObject, oldObject: KubeObject, user = TENANT_ADMIN) => request('UPDATE', object, oldObject, user);
const remove = (oldObject: KubeObject, user = TENANT_ADMIN) => request('DELETE', null, oldObject, user);

const deniedBy = (result: AdmissionResult) => [...new Set(result.denials.map(d => d.policy))];
const synthesized = (kind: string, namespace: string | undefined, name: string) =>
  JSON.parse(JSON.stringify(objects.find(o => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name)!)) as any;

function service(spec: Record<string, unknown>, namespace = 'customer1'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace }, spec: { ports: [{ port: 80 }], ...spec } };
}
function ingress(spec: Record<string, unknown>, namespace = 'customer1'): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace }, spec };
}
const rule = (host?: string) => ({
  ...(host ? { host } : {}),
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
});
function roleBinding(subjects: unknown[], name = 'app-readers'): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: 'customer1' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app-reader' },
    subjects,
  };
}
function pod(spec: Record<string, unknown>, name = 'app'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'customer1' }, spec: { ...RESTRICTED_POD, ...spec } };
}
const RESTRICTED_POD = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
function deployment(podSpec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'customer1' },
    spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { ...RESTRICTED_POD, ...podSpec } } },
  };
}

describe('the guard\'s own objects', () => {
  test('a tenant admin cannot delete or rewrite the guard\'s Role, RoleBinding, quota or default ServiceAccount', () => {
    const role = synthesized('Role', 'customer1', 'namespace-guard-admin');
    expect(deniedBy(remove(role))).toEqual(['namespace-guard-managed-objects']);
    const escalated = synthesized('Role', 'customer1', 'namespace-guard-admin');
    escalated.rules.push({ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['*'] });
    expect(deniedBy(update(escalated, role))).toEqual(['namespace-guard-managed-objects']);

    const binding = synthesized('RoleBinding', 'customer1', 'namespace-guard-admin');
    const widened = synthesized('RoleBinding', 'customer1', 'namespace-guard-admin');
    widened.subjects.push({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' });
    expect(deniedBy(update(widened, binding))).toEqual(['namespace-guard-managed-objects', 'namespace-guard-role-bindings']);

    expect(deniedBy(remove(synthesized('ResourceQuota', 'customer1', 'namespace-quota')))).toEqual(['namespace-guard-managed-objects']);
    const tokens = synthesized('ServiceAccount', 'customer1', 'default');
    const automounting = { ...tokens, automountServiceAccountToken: true };
    expect(deniedBy(update(automounting, tokens))).toContain('namespace-guard-managed-objects');
  });

  test('removing the managed-by label does not take an object out of the guardrails\' reach', () => {
    const quota = synthesized('ResourceQuota', 'customer1', 'namespace-quota');
    const unlabelled = synthesized('ResourceQuota', 'customer1', 'namespace-quota');
    delete unlabelled.metadata.labels;
    unlabelled.spec.hard['limits.cpu'] = '1000';
    expect(deniedBy(update(unlabelled, quota))).toEqual(['namespace-guard-managed-objects']);
  });

  test('a tenant admin cannot add, change or delete a NetworkPolicy, labelled or not', () => {
    const allowAll: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-all', namespace: 'customer1' },
      spec: { podSelector: {}, ingress: [{}], egress: [{}], policyTypes: ['Ingress', 'Egress'] },
    };
    expect(deniedBy(create(allowAll))).toEqual(['namespace-guard-network-policies']);
    expect(deniedBy(remove(synthesized('NetworkPolicy', 'customer1', 'default-deny')))).toEqual(['namespace-guard-network-policies']);
  });

  test('platform admins and the GitOps controller manage them; Kubernetes\' controllers can still empty a namespace being deleted', () => {
    const role = synthesized('Role', 'customer1', 'namespace-guard-admin');
    expect(update(role, role, GITOPS).allowed).toBe(true);
    expect(remove(synthesized('NetworkPolicy', 'customer1', 'default-deny'), PLATFORM_ADMIN).allowed).toBe(true);
    for (const controller of [NAMESPACE_CONTROLLER, GARBAGE_COLLECTOR]) {
      for (const [kind, name] of [['Role', 'namespace-guard-admin'], ['NetworkPolicy', 'default-deny'], ['ResourceQuota', 'namespace-quota'],
        ['LimitRange', 'container-limits'], ['ServiceAccount', 'default'], ['RoleBinding', 'namespace-guard-admin']]) {
        expect(remove(synthesized(kind, 'customer1', name), controller)).toMatchObject({ allowed: true, denials: [] });
      }
    }
  });
});

describe('managed Namespaces', () => {
  const ns = () => synthesized('Namespace', undefined, 'customer1');

  test.each([
    ['lowering Pod Security', (n: any) => { n.metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged'; }],
    ['unpinning the Pod Security version', (n: any) => { delete n.metadata.labels['pod-security.kubernetes.io/enforce-version']; }],
    ['switching to monitor mode', (n: any) => { n.metadata.labels['namespace-guard.dev/enforcement'] = 'monitor'; }],
    ['removing the managed-by label', (n: any) => { delete n.metadata.labels['app.kubernetes.io/managed-by']; }],
    ['declaring more Ingress hosts', (n: any) => { n.metadata.annotations['namespace-guard.dev/ingress-hosts'] += ',shop.customer2.example.com'; }],
    ['acknowledging findings', (n: any) => { n.metadata.annotations = { ...n.metadata.annotations, 'namespace-guard.dev/acknowledged': 'pod-security: mine' }; }],
  ])('%s is denied to anyone but the platform admins', (_, change) => {
    const changed = ns();
    change(changed);
    expect(deniedBy(update(changed, ns()))).toEqual(['namespace-guard-namespaces']);
    expect(update(changed, ns(), PLATFORM_ADMIN).allowed).toBe(true);
  });

  test('a cost-centre label is anybody\'s to change, and deleting the namespace is the platform\'s', () => {
    const labelled = ns();
    labelled.metadata.labels['cost-centre'] = 'cc-42';
    expect(update(labelled, ns()).allowed).toBe(true);
    expect(deniedBy(remove(ns()))).toEqual(['namespace-guard-namespaces']);
    expect(remove(ns(), PLATFORM_ADMIN).allowed).toBe(true);
  });
});

describe('Services', () => {
  test('externalIPs (CVE-2020-8554) and ExternalName Services are denied', () => {
    expect(deniedBy(create(service({ externalIPs: ['203.0.113.10'] })))).toEqual(['namespace-guard-services']);
    expect(deniedBy(create(service({ type: 'ExternalName', externalName: 'billing.customer2.svc.cluster.local', ports: undefined }))))
      .toEqual(['namespace-guard-services']);
  });

  test('NodePort and LoadBalancer Services need the bundle\'s quota to allow them', () => {
    const result = create(service({ type: 'NodePort' }));
    expect(deniedBy(result)).toEqual(['namespace-guard-services']);
    expect(result.denials[0].message).toMatch(/Services of type NodePort are not allowed in namespace customer1/);
    expect(deniedBy(create(service({ type: 'LoadBalancer' })))).toEqual(['namespace-guard-services']);
  });

  test('a ClusterIP Service is ordinary tenant work', () => {
    expect(create(service({ selector: { app: 'web' } }))).toMatchObject({ allowed: true, denials: [], warnings: [] });
  });

  test('in a namespace in monitor mode, the same Service is denied too: externalIPs capture every namespace\'s traffic', () => {
    const result = create(service({ externalIPs: ['203.0.113.10'] }, 'customer3'), completeUserInfo('eve', ['customer3-admins']));
    expect(deniedBy(result)).toEqual(['namespace-guard-services']);
    // Its quota allows node ports, so a NodePort Service raises nothing there.
    expect(create(service({ type: 'NodePort' }, 'customer3'), completeUserInfo('eve', ['customer3-admins']))).toMatchObject({ allowed: true, warnings: [] });
  });
});

describe('Ingress hosts', () => {
  test('claiming another tenant\'s host is denied (the CVE-2021-25740 class)', () => {
    const result = create(ingress({ rules: [rule('shop.customer2.example.com')] }));
    expect(deniedBy(result)).toEqual(['namespace-guard-ingress-hosts']);
    expect(result.denials[0].message).toMatch(/shop\.customer2\.example\.com are not declared for namespace customer1/);
    expect(deniedBy(create(ingress({ rules: [rule('shop.customer1.example.com')], tls: [{ hosts: ['shop.customer2.example.com'] }] }))))
      .toEqual(['namespace-guard-ingress-hosts']);
  });

  test('an Ingress without a host, or with a default backend, claims every host and is denied', () => {
    expect(deniedBy(create(ingress({ rules: [rule()] })))).toEqual(['namespace-guard-ingress-hosts']);
    expect(deniedBy(create(ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } })))).toEqual(['namespace-guard-ingress-hosts']);
  });

  test('a wildcard covers exactly one more DNS label', () => {
    expect(create(ingress({ rules: [rule('v1.api.customer1.example.com')] })).allowed).toBe(true);
    expect(deniedBy(create(ingress({ rules: [rule('a.v1.api.customer1.example.com')] })))).toEqual(['namespace-guard-ingress-hosts']);
    expect(deniedBy(create(ingress({ rules: [rule('evilapi.customer1.example.com')] })))).toEqual(['namespace-guard-ingress-hosts']);
  });

  test('declared hosts are ordinary tenant work; a namespace without declared hosts gets no Ingress', () => {
    expect(create(ingress({ rules: [rule('shop.customer1.example.com')], tls: [{ hosts: ['shop.customer1.example.com'], secretName: 'tls' }] })))
      .toMatchObject({ allowed: true, denials: [] });
    // A host claims part of the shared controller, so monitor mode does not relax it.
    expect(deniedBy(create(ingress({ rules: [rule('customer3.example.com')] }, 'customer3'), completeUserInfo('eve', ['customer3-admins']))))
      .toEqual(['namespace-guard-ingress-hosts']);
  });
});

describe('RoleBindings', () => {
  test.each([
    ['every signed-in user', { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }],
    ['anonymous requests', { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:anonymous' }],
    ['every service account of the cluster', { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts' }],
    ['another tenant\'s service accounts', { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:customer2' }],
    ['another tenant\'s service account', { kind: 'ServiceAccount', name: 'backend', namespace: 'customer2' }],
    ['another tenant\'s service account, as a user', { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccount:customer2:backend' }],
  ])('binding %s is denied', (_, subject) => {
    const result = create(roleBinding([subject]));
    expect(deniedBy(result)).toEqual(['namespace-guard-role-bindings']);
    expect(result.denials[0].message).toContain(subject.name);
  });

  test('binding the namespace\'s own service accounts and the team\'s people is ordinary tenant work', () => {
    expect(create(roleBinding([
      { kind: 'ServiceAccount', name: 'backend', namespace: 'customer1' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:customer1' },
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice@example.com' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'customer1-developers' },
    ]))).toMatchObject({ allowed: true, denials: [] });
  });
});

describe('service-account tokens', () => {
  test('a service-account-token Secret is denied; an ordinary Secret is not', () => {
    const token: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name: 'steal', namespace: 'customer1', annotations: { 'kubernetes.io/service-account.name': 'default' } },
    } as any;
    expect(deniedBy(create(token))).toEqual(['namespace-guard-service-account-tokens']);
    const opaque = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'db', namespace: 'customer1' }, stringData: { user: 'app' } } as any;
    expect(create(opaque)).toMatchObject({ allowed: true, denials: [] });
  });

  test('a ServiceAccount must turn automount off unless the bundle declared it for API access', () => {
    const sa = (name: string, automount?: boolean) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: 'customer1' },
      ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
    }) as KubeObject;
    expect(deniedBy(create(sa('backend')))).toEqual(['namespace-guard-service-account-tokens']);
    expect(create(sa('backend', false)).allowed).toBe(true);
    expect(create(sa('operator')).allowed).toBe(true);
  });

  test('pods and workload templates that mount a token for an undeclared service account are denied', () => {
    expect(deniedBy(create(pod({ automountServiceAccountToken: true })))).toEqual(['namespace-guard-service-account-tokens']);
    const projected = {
      serviceAccountName: 'backend',
      volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'kubernetes' } }] } }],
    };
    expect(deniedBy(create(pod(projected)))).toEqual(['namespace-guard-service-account-tokens']);
    expect(deniedBy(create(deployment({ automountServiceAccountToken: true })))).toEqual(['namespace-guard-service-account-tokens']);
    // The deprecated serviceAccount field names the account too.
    expect(deniedBy(create(pod({ serviceAccount: 'backend', automountServiceAccountToken: true })))).toEqual(['namespace-guard-service-account-tokens']);
  });

  test('the declared API-access service account may mount its token; other pods run without one', () => {
    expect(create(pod({ serviceAccountName: 'operator', automountServiceAccountToken: true }))).toMatchObject({ allowed: true, denials: [] });
    expect(create(deployment({ automountServiceAccountToken: false }))).toMatchObject({ allowed: true, denials: [], warnings: [] });
  });
});

describe('Pod Security admission, as the API server applies it', () => {
  const privileged = { containers: [{ name: 'app', image: 'app:1', securityContext: { privileged: true } }] };

  test('a privileged pod is denied by the namespace\'s enforce label', () => {
    const result = create(pod(privileged));
    expect(deniedBy(result)).toEqual(['PodSecurity']);
    expect(result.denials[0].message).toMatch(/violates PodSecurity "restricted:v1\.35"/);
  });

  test('a Deployment with the same template is admitted with a warning (its pods would be denied)', () => {
    const result = create(deployment(privileged));
    expect(result.allowed).toBe(true);
    expect(result.warnings.map(w => w.policy)).toContain('PodSecurity');
  });
});

describe('monitor mode', () => {
  test('guardrails in monitor mode warn and audit what they would deny', () => {
    const monitoring = cluster(Enforcement.MONITOR).simulator;
    const result = monitoring.admit({ operation: 'CREATE', object: service({ externalIPs: ['203.0.113.10'] }), oldObject: null, userInfo: TENANT_ADMIN });
    expect(result).toMatchObject({ allowed: true, denials: [] });
    expect(result.warnings.map(w => w.policy)).toEqual(['namespace-guard-services']);
  });
});

test('the synthesized app holds the guardrails and the annotations they read', () => {
  const ns = synthesized('Namespace', undefined, 'customer1');
  expect(ns.metadata.annotations['namespace-guard.dev/ingress-hosts']).toBe('*.api.customer1.example.com,shop.customer1.example.com');
  expect(ns.metadata.annotations['namespace-guard.dev/api-access-service-accounts']).toBe('operator');
  expect(objects.filter(o => o.kind === 'ValidatingAdmissionPolicy').length).toBe(12);
});

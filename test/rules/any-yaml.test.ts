// The rules on manifests this library did not write: each applies where the labels and objects
// make it meaningful, and nowhere else.
import { ClusterModel } from '../../src/model/cluster-model';
import { parseManifests } from '../../src/model/manifests';
import { evaluateRules, RuleFinding } from '../../src/rules/evaluate';

function findingsOf(yaml: string): RuleFinding[] {
  return evaluateRules(ClusterModel.fromManifests(parseManifests(yaml, 'input.yaml')));
}

const summary = (findings: RuleFinding[]) => findings.map(f => `${f.rule.id} ${f.object.kind}/${f.namespace}/${f.object.name}${f.target ? ` [${f.target}]` : ''}${f.acknowledgement ? ' (acknowledged)' : ''}`);

const namespace = (name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) => `---
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: ${JSON.stringify(labels)}
  annotations: ${JSON.stringify(annotations)}
`;

const rootPod = (namespaceName: string, name: string, extra = '') => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespaceName}, labels: {app: ${name}}${extra}}
spec:
  containers: [{name: app, image: busybox:1.36}]
`;

describe('pod-security applies where Pod Security labels are', () => {
  test('a labelled namespace checks its workloads at its level and version; an unlabelled one does not', () => {
    const findings = findingsOf([
      namespace('strict', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.30' }),
      namespace('open'),
      rootPod('strict', 'host', ', annotations: {}'),
      '---\napiVersion: v1\nkind: Pod\nmetadata: {name: hostnet, namespace: strict}\nspec: {hostNetwork: true, containers: [{name: app, image: busybox}]}\n',
      '---\napiVersion: v1\nkind: Pod\nmetadata: {name: hostnet, namespace: open}\nspec: {hostNetwork: true, containers: [{name: app, image: busybox}]}\n',
    ].join(''));
    expect(summary(findings)).toEqual(['pod-security Pod/strict/hostnet [hostNamespaces]']);
    expect(findings[0].message).toBe('Pod "hostnet" in namespace "strict" fails Pod Security "baseline" (v1.30) check hostNamespaces at spec.hostNetwork');
  });

  test('objects without a namespace are in default, and a labelled default is checked', () => {
    const findings = findingsOf(namespace('default', { 'pod-security.kubernetes.io/enforce': 'baseline' })
      + '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostPID: true, containers: [{name: app, image: busybox}]}\n');
    expect(summary(findings)).toEqual(['pod-security Pod/default/p [hostNamespaces]']);
    expect(findings[0].message).toContain('(latest)');
  });

  test('an invalid level label is read as restricted, as the admission plugin does', () => {
    const findings = findingsOf(namespace('odd', { 'pod-security.kubernetes.io/enforce': 'strict' }) + rootPod('odd', 'p'));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every(f => f.message.includes('fails Pod Security "restricted" (latest)'))).toBe(true);
  });

  test('privileged-pod-security reports a privileged namespace', () => {
    const findings = findingsOf(namespace('agents', { 'pod-security.kubernetes.io/enforce': 'privileged' }));
    expect(summary(findings)).toEqual(['privileged-pod-security Namespace/agents/agents']);
  });
});

describe('container-resources and quota-fit apply where a LimitRange or ResourceQuota is', () => {
  const limits = `---
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: shop}
spec:
  limits:
  - type: Container
    default: {cpu: 500m}
    defaultRequest: {cpu: 100m}
    max: {cpu: "1"}
    min: {memory: 64Mi}
`;
  const deployment = (name: string, replicas: number, resources: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: busybox, resources: ${resources}}]
`;

  test('defaults, maximum and minimum of a LimitRange', () => {
    const findings = findingsOf(namespace('shop') + limits
      + deployment('big', 1, '{requests: {cpu: "2", memory: 128Mi}}')
      + deployment('tiny', 1, '{requests: {memory: 16Mi}}'));
    expect(summary(findings)).toEqual([
      'container-resources Deployment/shop/big [app]',
      'container-resources Deployment/shop/tiny [app]',
    ]);
    expect(findings[0].message).toBe('Deployment "big" container "app" (spec.template.spec.containers[0].resources) requests cpu 2 but its limit is 500m '
      + '(a missing limit comes from the LimitRange default), so the pod is rejected');
    expect(findings[1].message).toContain('requests memory 16Mi, below the namespace\'s per-container minimum 64Mi');
  });

  test('no LimitRange, no container check', () => {
    expect(findingsOf(namespace('shop') + deployment('big', 1, '{requests: {cpu: "2"}}'))).toEqual([]);
  });

  test('a quota counts a kubectl dump\'s pods once, reads "cpu" as requests.cpu, and skips scoped quotas', () => {
    const pod = (name: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: x}]
spec: {containers: [{name: app, image: busybox, resources: {requests: {cpu: 600m}, limits: {cpu: 600m}}}]}
status: {phase: Running, podIP: 10.0.0.1}
`;
    const dump = namespace('shop') + `---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: shop}
spec: {hard: {cpu: "1", pods: 10}}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: best-effort-only, namespace: shop}
spec: {hard: {pods: 0}, scopes: [BestEffort]}
` + deployment('web', 2, '{requests: {cpu: 600m}, limits: {cpu: 600m}}') + `---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-1
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: y}]
spec:
  replicas: 2
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: busybox, resources: {requests: {cpu: 600m}}}]}}
` + pod('web-1-a') + pod('web-1-b');
    const findings = findingsOf(dump);
    expect(summary(findings)).toEqual(['quota-fit ResourceQuota/shop/compute [cpu]']);
    expect(findings[0].message).toMatch(/^the workloads of namespace "shop" declare cpu 1\.2, above its quota of 1 \(Pod web-1-a \(1 replica\), Pod web-1-b \(1 replica\)\)$/);
  });

  test('Services over the quota\'s node ports and load balancers', () => {
    const findings = findingsOf(namespace('shop') + `---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: shop}
spec: {hard: {services.nodeports: "1", services.loadbalancers: "0"}}
---
apiVersion: v1
kind: Service
metadata: {name: np, namespace: shop}
spec: {type: NodePort, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: shop}
spec: {type: LoadBalancer, allocateLoadBalancerNodePorts: false, ports: [{port: 443}]}
`);
    expect(summary(findings)).toEqual(['service-exposure Service/shop/lb']);
    expect(findings[0].message).toContain('services.loadbalancers (1 used, 0 allowed)');
  });
});

describe('the flow rules', () => {
  const tenant = (name: string, annotations: Record<string, string> = {}) => namespace(name, { 'namespace-guard.dev/profile': 'tenant', 'namespace-guard.dev/tenant': name }, annotations);
  const policy = (ns: string, name: string, spec: string, annotations = '{}') => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${ns}, annotations: ${annotations}}
spec: ${spec}
`;

  test('cross-tenant rules apply where tenant labels are, whoever wrote the policy', () => {
    const findings = findingsOf(tenant('a') + tenant('b') + tenant('c') + namespace('shared')
      + policy('a', 'open-to-all', '{podSelector: {}, ingress: [{}]}')
      + policy('b', 'to-shared', '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shared}}}]}]}'));
    expect(summary(findings)).toEqual([
      'cross-tenant-flow NetworkPolicy/a/open-to-all [b]',
      'cross-tenant-flow NetworkPolicy/a/open-to-all [c]',
    ]);
    expect(findings[0].message).toBe('tenant namespace "a" admits traffic from tenant namespace "b" (policy open-to-all)');
  });

  test('the library\'s monitor-only allow-all policy is not a flow', () => {
    const findings = findingsOf(tenant('a') + tenant('b')
      + policy('a', 'monitor-allow-all', '{podSelector: {}, ingress: [{}], egress: [{}]}', '{namespace-guard.dev/monitor-only: "true"}'));
    expect(findings).toEqual([]);
  });

  test('without tenant labels there is no tenant to cross', () => {
    expect(findingsOf(namespace('a') + namespace('b') + policy('a', 'open', '{podSelector: {}, ingress: [{}]}'))).toEqual([]);
  });

  test('a flow into a default-deny namespace that does not admit it is one-sided', () => {
    const findings = findingsOf(namespace('web') + namespace('db') + namespace('open')
      + policy('db', 'default-deny', '{podSelector: {}, policyTypes: [Ingress]}')
      + policy('web', 'to-db', '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: db}}}]}]}')
      + policy('web', 'to-open', '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: open}}}]}]}'));
    expect(summary(findings)).toEqual(['one-sided-flow NetworkPolicy/web/to-db [db]']);
    // Written on both sides, the flow is fine.
    const both = findingsOf(namespace('web') + namespace('db')
      + policy('db', 'from-web', '{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: web}}}]}]}')
      + policy('web', 'to-db', '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: db}}}]}]}'));
    expect(both).toEqual([]);
  });

  test('a pod selector that matches nothing in a declared namespace is a warning', () => {
    const findings = findingsOf(namespace('shop') + rootPod('shop', 'web')
      + policy('shop', 'api', '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]}'));
    expect(summary(findings)).toEqual(['unmatched-flow-selector NetworkPolicy/shop/api [api]']);
    expect(findings[0].severity).toBe('warning');
  });
});

describe('acknowledgements read from the manifests', () => {
  test('a Namespace annotation accepts the findings it names, and only those', () => {
    const ack = { 'namespace-guard.dev/acknowledged': 'cross-tenant-flow[b]: shared billing by contract' };
    const findings = findingsOf(namespace('a', { 'namespace-guard.dev/profile': 'tenant' }, ack)
      + namespace('b', { 'namespace-guard.dev/profile': 'tenant' })
      + namespace('c', { 'namespace-guard.dev/profile': 'tenant' })
      + '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: open, namespace: a}\nspec: {podSelector: {}, ingress: [{}]}\n');
    expect(summary(findings)).toEqual([
      'cross-tenant-flow NetworkPolicy/a/open [b] (acknowledged)',
      'cross-tenant-flow NetworkPolicy/a/open [c]',
    ]);
    expect(findings[0].acknowledgement?.reason).toBe('shared billing by contract');
  });

  test('a workload annotation accepts its own findings', () => {
    const findings = findingsOf(namespace('strict', { 'pod-security.kubernetes.io/enforce': 'baseline' })
      + '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: strict\n  annotations: {namespace-guard.dev/acknowledged: "pod-security[hostNamespaces]: node exporter needs the host network"}\n'
      + 'spec: {hostNetwork: true, containers: [{name: app, image: busybox}]}\n');
    expect(summary(findings)).toEqual(['pod-security Pod/strict/p [hostNamespaces] (acknowledged)']);
  });

  test.each([
    ['an unknown rule', 'Namespace', 'pod-securty: a long enough reason', 'acknowledges "pod-securty", which is no rule'],
    ['a blanket cross-tenant acknowledgement', 'Namespace', 'cross-tenant-flow: talks to everyone here', 'without naming the other tenant\'s namespace'],
    ['a workload rule on a Namespace', 'Namespace', 'pod-security: legacy images everywhere', 'its findings are acknowledged on the object it is about'],
    ['targets for a rule without them', 'Namespace', 'privileged-pod-security[x]: node agents need it', 'its findings have no targets to name'],
    ['two reasons for one target', 'Namespace', 'quota-fit[pods]: first reason given\nquota-fit[pods]: second reason given', 'acknowledged twice with different reasons'],
    ['a short reason', 'Namespace', 'quota-fit: short', 'needs a reason of at least 10 characters'],
  ])('%s is bad input naming the file and document', (_name, _kind, text, problem) => {
    expect(() => findingsOf(namespace('x', {}, { 'namespace-guard.dev/acknowledged': text }))).toThrow(problem);
    expect(() => findingsOf(namespace('x', {}, { 'namespace-guard.dev/acknowledged': text }))).toThrow(/^input\.yaml document 1: /);
  });
});

describe('the tenancy rules apply to managed namespaces (the library\'s managed-by label, or a profile)', () => {
  const managed = (name: string, annotations: Record<string, string> = {}, labels: Record<string, string> = {}) =>
    namespace(name, { 'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard', ...labels }, annotations);
  const service = (ns: string, name: string, spec: string) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: ${spec}\n`;
  const ingressYaml = (ns: string, name: string, host: string) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${ns}}
spec:
  rules: [{host: ${host}, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`;

  test('the model reads the declarations from the Namespace annotations', () => {
    const model = ClusterModel.fromManifests(parseManifests(managed('shop', {
      'namespace-guard.dev/ingress-hosts': '*.shop.example.com,Shop.example.com',
      'namespace-guard.dev/api-access-service-accounts': 'ci,operator',
      'namespace-guard.dev/service-types': 'LoadBalancer,NodePort',
    }) + namespace('plain'), 'input.yaml'));
    expect(model.namespace('shop')).toMatchObject({
      managed: true,
      ingressHosts: ['*.shop.example.com', 'shop.example.com'],
      apiAccessServiceAccounts: ['ci', 'operator'],
      serviceTypes: ['LoadBalancer', 'NodePort'],
    });
    expect(model.namespace('plain')).toMatchObject({ managed: false, ingressHosts: [], apiAccessServiceAccounts: [], serviceTypes: [] });
    expect(ClusterModel.fromManifests(parseManifests(namespace('t', { 'namespace-guard.dev/profile': 'team' }), 'input.yaml')).namespace('t')?.managed).toBe(true);
  });

  test('externalIPs and ExternalName in a managed namespace; not in an unmanaged one', () => {
    const findings = findingsOf(managed('shop') + namespace('infra')
      + service('shop', 'ips', '{ports: [{port: 80}], externalIPs: [192.0.2.1]}')
      + service('shop', 'alias', '{type: ExternalName, externalName: db.billing.svc.cluster.local.}')
      + service('infra', 'ips', '{ports: [{port: 80}], externalIPs: [192.0.2.1]}')
      + service('infra', 'alias', '{type: ExternalName, externalName: example.com}'));
    expect(summary(findings)).toEqual(['service-external-ips Service/shop/ips', 'service-external-name Service/shop/alias']);
    expect(findings[1].message).toContain('a Service of namespace "billing"');
  });

  test('Ingress hosts against the annotation; one host in two unmanaged namespaces conflicts too', () => {
    const findings = findingsOf(managed('shop', { 'namespace-guard.dev/ingress-hosts': '*.shop.example.com' })
      + ingressYaml('shop', 'ok', 'www.shop.example.com') + ingressYaml('shop', 'bad', 'bank.example.com')
      + ingressYaml('a', 'one', 'wiki.example.com') + ingressYaml('b', 'two', 'wiki.example.com'));
    expect(summary(findings)).toEqual([
      'ingress-host Ingress/shop/bad',
      'ingress-host-conflict Ingress/a/one [b]',
      'ingress-host-conflict Ingress/b/two [a]',
    ]);
  });

  test('RoleBinding subjects: another managed namespace\'s service account is refused, an unmanaged one\'s allowed', () => {
    const findings = findingsOf(managed('shop') + managed('billing') + `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: ServiceAccount, name: deployer, namespace: billing}
- {kind: ServiceAccount, name: argocd-application-controller, namespace: argocd}
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: system:masters}
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: system:serviceaccounts:shop}
`);
    expect(summary(findings)).toEqual([
      'role-binding-subject RoleBinding/shop/deployers [system:serviceaccount:billing:deployer]',
      'role-binding-subject RoleBinding/shop/deployers [system:masters]',
    ]);
    expect(findings[0].message).toBe('RoleBinding "deployers" in namespace "shop" grants ClusterRole "edit" to service account "deployer" of namespace '
      + '"billing", another managed namespace: its pods act in "shop" across the boundary');
  });

  test('service-account tokens: the model keeps a Secret\'s type, never its data', () => {
    const yaml = managed('shop', { 'namespace-guard.dev/api-access-service-accounts': 'operator' }) + `---
apiVersion: v1
kind: Secret
metadata: {name: token, namespace: shop}
type: kubernetes.io/service-account-token
data: {token: c2VjcmV0}
stringData: {extra: secret}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: shop}
data: {password: c2VjcmV0}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: operator, namespace: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: true
`;
    const model = ClusterModel.fromManifests(parseManifests(yaml, 'input.yaml'));
    expect(model.secrets.map(s => [s.name, s.secretType])).toEqual([['token', 'kubernetes.io/service-account-token'], ['creds', 'Opaque']]);
    expect(JSON.stringify(model.objects.map(o => o.manifest.object))).not.toContain('c2VjcmV0');
    expect(JSON.stringify(model.objects.map(o => o.manifest.object))).not.toContain('"secret"');
    expect(summary(evaluateRules(model))).toEqual(['service-account-token Secret/shop/token', 'service-account-token ServiceAccount/shop/web']);
  });

  test('an old Pod Security version is reported for any namespace with Pod Security labels', () => {
    const findings = findingsOf(namespace('legacy', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.21' })
      + namespace('fine', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.30' })
      + namespace('open', { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': 'v1.21' }));
    expect(summary(findings).filter(s => !s.startsWith('privileged-pod-security'))).toEqual(['pod-security-version Namespace/legacy/legacy']);
  });

  test('a monitored tenant stays an error; its other findings are warnings', () => {
    const findings = findingsOf(namespace('c1', {
      'namespace-guard.dev/profile': 'tenant', 'namespace-guard.dev/enforcement': 'monitor', 'pod-security.kubernetes.io/audit': 'restricted',
    }) + rootPod('c1', 'p'));
    expect(findings.filter(f => f.rule.id === 'monitored-tenant').map(f => f.severity)).toEqual(['error']);
    expect(findings.filter(f => f.rule.id === 'pod-security').every(f => f.severity === 'warning')).toBe(true);
  });

  test('team-flow-ports reads NetworkPolicies of team namespaces', () => {
    const team = (n: string) => namespace(n, { 'namespace-guard.dev/profile': 'team' });
    const findings = findingsOf(team('checkout') + team('payments') + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-payments, namespace: checkout}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: payments}}}]
    ports: [{protocol: TCP, port: 8000, endPort: 9000}, {protocol: UDP}, {protocol: TCP, port: 443}]
`);
    expect(summary(findings).filter(s => s.startsWith('team-flow-ports'))).toEqual(['team-flow-ports NetworkPolicy/checkout/to-payments [payments]']);
    expect(findings.find(f => f.rule.id === 'team-flow-ports')!.message).toBe('team namespace "checkout" sends traffic to team namespace "payments" '
      + 'on port range TCP/8000-9000, every UDP port (policy to-payments): team-to-team flows name their ports');
  });
});

describe('quota-fit adds quantities exactly', () => {
  const quota = (cpu: string) => `---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: shop}
spec: {hard: {requests.cpu: "${cpu}"}}
`;
  const deployment = (replicas: number, cpu: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: web:1, resources: {requests: {cpu: "${cpu}"}}}]}
`;

  test('three replicas of 0.1 CPU fill a quota of 300m exactly; one millicpu less is a finding', () => {
    expect(summary(findingsOf(namespace('shop') + quota('300m') + deployment(3, '0.1')))).toEqual([]);
    expect(summary(findingsOf(namespace('shop') + quota('299m') + deployment(3, '0.1')))).toEqual(['quota-fit ResourceQuota/shop/q [requests.cpu]']);
    // A nano-unit over is over: no float tolerance hides it.
    expect(summary(findingsOf(namespace('shop') + quota('300m') + deployment(3, '100000001n')))).toEqual(['quota-fit ResourceQuota/shop/q [requests.cpu]']);
  });
});

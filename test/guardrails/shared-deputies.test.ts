// What tenants share carries no tenant's request into another: the ingress controller, the
// scheduler, storage, Service endpoints and identities. Each attack is made as a tenant against the
// synthesized guardrails and judged by the offline admission simulator, next to the ordinary work
// that stays admitted. A neighbour in monitor mode weakens only itself.
import {
  ClusterProfile, Enforcement, Findings, IngressAnnotations, PodSecurityLevel, Quota, RuleId, Subject, TenantNamespace,
} from '../../src';
import { AdmissionResult, AdmissionSimulator, completeUserInfo, RequestOperation, UserInfo } from '../../src/analysis/admission';
import { ClusterGuardrails } from '../../src/guardrails/cluster-guardrails';
import { KubeObject, toManifests } from '../../src/model/manifests';
import { newChart, synthValid } from '../helpers';

const MALLORY = completeUserInfo('mallory', ['customer1-admins']);
const EVE = completeUserInfo('eve', ['customer3-admins']);
const GITOPS = completeUserInfo('system:serviceaccount:argocd:argocd-application-controller');
const TENANT_SYNC = completeUserInfo('system:serviceaccount:customer1:flux-sync', ['system:serviceaccounts', 'system:serviceaccounts:customer1']);
const KUBE_DNS_IP = '10.96.0.10';

function cluster(): { objects: KubeObject[]; simulator: AdmissionSimulator } {
  const { chart } = newChart();
  Findings.silence(chart);
  new ClusterProfile(chart, 'cluster', { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['192.168.10.0/24'] });
  new ClusterGuardrails(chart, 'guardrails', {
    platformAdmins: [Subject.group('platform-admins'), Subject.serviceAccount('argocd-application-controller', 'argocd')],
    priorityClasses: ['tenant-high'],
    ingressAnnotations: IngressAnnotations.ingressNginx({ allow: ['nginx.ingress.kubernetes.io/auth-secret'] }),
  });
  new TenantNamespace(chart, 'customer1', {
    tenantName: 'customer1',
    // The tenant's own GitOps sync runs as a service account of its namespace, with the admin role.
    admins: [Subject.group('customer1-admins'), Subject.serviceAccount('flux-sync')],
    ingressHosts: ['shop.customer1.example.com'],
  });
  new TenantNamespace(chart, 'customer2', { tenantName: 'customer2', admins: [Subject.group('customer2-admins')], ingressHosts: ['shop.customer2.example.com'] });
  new TenantNamespace(chart, 'customer3', {
    tenantName: 'customer3', admins: [Subject.group('customer3-admins')], quota: Quota.of({ nodePorts: 1 }), enforcement: Enforcement.MONITOR,
  }).acknowledge(RuleId.MONITORED_TENANT, 'onboarding: watching what the tenant runs before enforcing');
  const objects = synthValid(chart) as KubeObject[];
  return { objects, simulator: AdmissionSimulator.fromManifests(objects.flatMap((o, i) => toManifests(o, 'synthesis', i + 1))) };
}

const { objects, simulator } = cluster();

function request(operation: RequestOperation, object: KubeObject | null, oldObject: KubeObject | null, user: UserInfo): AdmissionResult {
  return simulator.admit({ operation, object, oldObject, userInfo: user });
}
const create = (object: KubeObject, user: UserInfo = MALLORY) => request('CREATE', object, null, user);
const update = (object: KubeObject, oldObject: KubeObject, user: UserInfo = MALLORY) => request('UPDATE', object, oldObject, user);
const deniedBy = (result: AdmissionResult) => [...new Set(result.denials.map(d => d.policy))];
const admitted = { allowed: true, denials: [] };

function ingress(host: string, annotations: Record<string, string> = {}, namespace = 'customer1'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace, annotations },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  };
}
const RESTRICTED_POD = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
function pod(spec: Record<string, unknown>, namespace = 'customer1'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace }, spec: { ...RESTRICTED_POD, ...spec } };
}
function deployment(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'customer1' },
    spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { ...RESTRICTED_POD, ...spec } } },
  };
}
function claim(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'customer1' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  };
}
function slice(addresses: string[], addressType = 'IPv4', labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'db-1', namespace: 'customer1', labels: { 'kubernetes.io/service-name': 'db', ...labels } },
    addressType,
    endpoints: addresses.map(a => ({ addresses: [a] })),
    ports: [{ name: 'db', port: 5432, protocol: 'TCP' }],
  } as KubeObject;
}
function endpoints(ips: string[], notReady: string[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'db', namespace: 'customer1' },
    subsets: [{
      addresses: ips.map(ip => ({ ip })), ...(notReady.length ? { notReadyAddresses: notReady.map(ip => ({ ip })) } : {}), ports: [{ port: 5432 }],
    }],
  } as KubeObject;
}
function roleBinding(subjects: unknown[], namespace = 'customer1'): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'helpers', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app-reader' },
    subjects,
  };
}
const group = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });

describe('the ingress controller as a deputy', () => {
  test.each([
    ['claims a host the namespace never declared', 'server-alias', 'shop.customer2.example.com'],
    ['sends the controller\'s requests to another tenant\'s Service', 'auth-url', 'http://billing.customer2.svc.cluster.local/steal'],
    ['sends a copy of every request to the metadata service', 'mirror-target', 'http://169.254.169.254/latest/meta-data'],
    ['runs configuration in the controller', 'configuration-snippet', 'proxy_pass http://169.254.169.254;'],
    ['reads another namespace\'s Secret, even though the platform allows the annotation', 'auth-secret', 'customer2/basic-auth'],
  ])('an Ingress that %s is denied', (_, name, value) => {
    const result = create(ingress('shop.customer1.example.com', { [`nginx.ingress.kubernetes.io/${name}`]: value }));
    expect(deniedBy(result)).toEqual(['namespace-guard-ingress-annotations']);
    expect(result.denials[0].message).toContain(`nginx.ingress.kubernetes.io/${name}`);
    expect(result.denials[0].message).toMatch(/Fix: /);
  });

  test('a plain Ingress with common annotations on a declared host, and a Secret of its own, are admitted', () => {
    expect(create(ingress('shop.customer1.example.com', {
      'nginx.ingress.kubernetes.io/rewrite-target': '/',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/proxy-body-size': '8m',
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    }))).toMatchObject(admitted);
    expect(create(ingress('shop.customer1.example.com', { 'nginx.ingress.kubernetes.io/auth-secret': 'basic-auth' }))).toMatchObject(admitted);
    expect(create(ingress('shop.customer1.example.com', { 'nginx.ingress.kubernetes.io/auth-secret': 'customer1/basic-auth' }))).toMatchObject(admitted);
  });

  test('an annotation of the controller\'s prefix that its catalogue does not know is denied', () => {
    expect(deniedBy(create(ingress('shop.customer1.example.com', { 'nginx.ingress.kubernetes.io/no-such-thing': 'x' }))))
      .toEqual(['namespace-guard-ingress-annotations']);
  });
});

describe('the scheduler as a deputy', () => {
  test('a system priority class, or one the platform does not list, is denied', () => {
    for (const priorityClassName of ['system-node-critical', 'system-cluster-critical', 'platform-critical']) {
      const result = create(pod({ priorityClassName }));
      expect([priorityClassName, deniedBy(result)]).toEqual([priorityClassName, ['namespace-guard-pod-scheduling']]);
    }
    expect(deniedBy(create(deployment({ priorityClassName: 'system-node-critical' })))).toEqual(['namespace-guard-pod-scheduling']);
  });

  test('spec.nodeName with a toleration of every taint is denied, in a Pod and in a template', () => {
    const placed = { nodeName: 'control-plane-1', tolerations: [{ operator: 'Exists' }] };
    expect(deniedBy(create(pod(placed)))).toEqual(['namespace-guard-pod-scheduling']);
    expect(deniedBy(create(deployment(placed)))).toEqual(['namespace-guard-pod-scheduling']);
  });

  test('a pod without a priority class, or with the platform\'s, is admitted; so is a label change on a scheduled pod', () => {
    expect(create(pod({}))).toMatchObject(admitted);
    expect(create(pod({ priorityClassName: 'tenant-high' }))).toMatchObject(admitted);
    const scheduled = pod({ nodeName: 'worker-3', priorityClassName: 'tenant-high' });
    const relabelled = JSON.parse(JSON.stringify(scheduled));
    relabelled.metadata.labels = { release: 'canary' };
    expect(update(relabelled, scheduled)).toMatchObject(admitted);
    // An update cannot move it either.
    const moved = JSON.parse(JSON.stringify(scheduled));
    moved.spec.nodeName = 'control-plane-1';
    expect(deniedBy(update(moved, scheduled))).toEqual(['namespace-guard-pod-scheduling']);
  });
});

describe('storage and endpoints', () => {
  test('a claim that names its PersistentVolume is denied; a claim from a StorageClass is admitted', () => {
    const result = create(claim({ volumeName: 'node-root-hostpath' }));
    expect(deniedBy(result)).toEqual(['namespace-guard-persistent-volume-claims']);
    expect(result.denials[0].message).toContain('node-root-hostpath');
    expect(create(claim({ storageClassName: 'standard' }))).toMatchObject(admitted);
  });

  test('the volume binder binds the claim, and the tenant may still resize it', () => {
    const pending = claim({ storageClassName: 'standard' });
    const bound = claim({ storageClassName: 'standard', volumeName: 'pvc-1234' });
    expect(update(bound, pending, completeUserInfo('system:serviceaccount:kube-system:persistent-volume-binder'))).toMatchObject(admitted);
    const resized = claim({ storageClassName: 'standard', volumeName: 'pvc-1234', resources: { requests: { storage: '2Gi' } } });
    expect(update(resized, bound)).toMatchObject(admitted);
  });

  test.each([
    ['the metadata service', '169.254.169.254'],
    ['Azure\'s WireServer', '168.63.129.16'],
    ['Alibaba Cloud\'s metadata service', '100.100.100.200'],
    ['kube-dns\'s ClusterIP', KUBE_DNS_IP],
    ['a node', '192.168.10.7'],
    ['an internet address', '8.8.8.8'],
  ])('a hand-written EndpointSlice or Endpoints pointing at %s is denied', (_, address) => {
    for (const object of [slice([address]), endpoints([address]), endpoints(['10.244.1.5'], [address])]) {
      const result = create(object);
      expect([object.kind, deniedBy(result)]).toEqual([object.kind, ['namespace-guard-endpoints']]);
      expect(result.denials[0].message).toContain(address);
    }
  });

  test('FQDN and IPv6 slices are denied: only IPv4 pod addresses can be checked', () => {
    expect(deniedBy(create(slice(['metadata.google.internal'], 'FQDN')))).toEqual(['namespace-guard-endpoints']);
    expect(deniedBy(create(slice(['fd00:ec2::254'], 'IPv6')))).toEqual(['namespace-guard-endpoints']);
  });

  test('pod addresses are admitted, and the endpoint controllers write whatever the pods have', () => {
    expect(create(slice(['10.244.1.5', '10.244.2.9']))).toMatchObject(admitted);
    expect(create(endpoints(['10.244.1.5'], ['10.244.3.1']))).toMatchObject(admitted);
    const controller = completeUserInfo('system:serviceaccount:kube-system:endpointslice-controller');
    expect(create(slice(['10.244.1.5'], 'IPv4', { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }), controller))
      .toMatchObject(admitted);
  });
});

describe('identities', () => {
  test('a tenant admin cannot bind its Role to another tenant\'s admin group', () => {
    const result = create(roleBinding([group('customer2-admins')]));
    expect(deniedBy(result)).toEqual(['namespace-guard-role-bindings']);
    expect(result.denials[0].message).toContain('Group/customer2-admins (customer2)');
  });

  test('its own group and people are ordinary work', () => {
    expect(create(roleBinding([group('customer1-admins'), group('customer1-developers')]))).toMatchObject(admitted);
  });
});

describe('a neighbour in monitor mode weakens only itself', () => {
  test('a Service whose externalIPs capture kube-dns\'s ClusterIP for every namespace is denied', () => {
    const capture: KubeObject = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'customer3' }, spec: { externalIPs: [KUBE_DNS_IP], ports: [{ port: 53, protocol: 'UDP' }] },
    };
    expect(deniedBy(create(capture, EVE))).toEqual(['namespace-guard-services']);
  });

  test('an Ingress on another tenant\'s declared host is denied', () => {
    expect(deniedBy(create(ingress('shop.customer1.example.com', {}, 'customer3'), EVE))).toEqual(['namespace-guard-ingress-hosts']);
  });

  test('a RoleBinding to system:authenticated is denied', () => {
    expect(deniedBy(create(roleBinding([group('system:authenticated')], 'customer3'), EVE))).toEqual(['namespace-guard-role-bindings']);
  });

  test('a privileged hostPath Pod (root on the node) is denied by Pod Security, which enforces baseline there', () => {
    const root = pod({
      hostPID: true,
      containers: [{ name: 'x', image: 'busybox', securityContext: { privileged: true }, volumeMounts: [{ name: 'host', mountPath: '/host' }] }],
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
    }, 'customer3');
    const result = create(root, EVE);
    expect(deniedBy(result)).toEqual(['PodSecurity']);
    expect(result.denials[0].message).toMatch(/violates PodSecurity "baseline:v1\.35"/);
  });

  test('a Pod that only misses a restricted-level field is admitted, with the warning monitor mode is for', () => {
    const loose = pod({ securityContext: {}, containers: [{ name: 'app', image: 'app:1' }] }, 'customer3');
    const result = create(loose, EVE);
    expect(result).toMatchObject(admitted);
    expect(result.warnings.map(w => w.policy)).toEqual(['PodSecurity']);
    expect(result.warnings[0].message).toMatch(/restricted:v1\.35/);
  });

  test('the namespace\'s own Pod Security labels say so', () => {
    const ns = objects.find(o => o.kind === 'Namespace' && o.metadata?.name === 'customer3')!;
    expect(ns.metadata!.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': PodSecurityLevel.BASELINE,
      'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
      'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
    });
  });
});

describe('GitOps: a platform controller is not every tenant\'s bypass', () => {
  test('what a tenant would route through the platform\'s controller is judged as the tenant\'s', () => {
    expect(deniedBy(create(pod({ priorityClassName: 'system-node-critical' }), GITOPS))).toEqual(['namespace-guard-pod-scheduling']);
    expect(deniedBy(create(roleBinding([group('system:authenticated')]), GITOPS))).toEqual(['namespace-guard-role-bindings']);
    expect(deniedBy(create(ingress('shop.customer2.example.com'), GITOPS))).toEqual(['namespace-guard-ingress-hosts']);
  });

  test('the controller still writes the guard\'s own objects, and ordinary work like anyone', () => {
    for (const o of objects.filter(x => x.metadata?.namespace === 'customer1')) {
      expect([o.kind, o.metadata!.name, request('CREATE', o, null, GITOPS).allowed]).toEqual([o.kind, o.metadata!.name, true]);
    }
    expect(create(ingress('shop.customer1.example.com'), GITOPS)).toMatchObject(admitted);
  });

  test('a forged managed-by label does not make an object the guard\'s', () => {
    const forged = roleBinding([group('system:authenticated')]);
    forged.metadata!.labels = { 'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard' };
    expect(deniedBy(create(forged, GITOPS))).toContain('namespace-guard-role-bindings');
  });

  test('a tenant\'s own sync, running as its service account, is the tenant: its work goes through, its attacks do not', () => {
    expect(create(ingress('shop.customer1.example.com'), TENANT_SYNC)).toMatchObject(admitted);
    expect(deniedBy(create(ingress('shop.customer2.example.com'), TENANT_SYNC))).toEqual(['namespace-guard-ingress-hosts']);
    expect(deniedBy(create(pod({ nodeName: 'worker-1' }), TENANT_SYNC))).toEqual(['namespace-guard-pod-scheduling']);
  });
});

describe('probe and lifecycle hosts on servers older than 1.34', () => {
  test('a probe that makes the kubelet fetch the metadata service is denied by the guardrail, not only by Pod Security 1.34', () => {
    const probing = pod({
      containers: [{
        ...RESTRICTED_POD.containers[0],
        livenessProbe: { httpGet: { host: '169.254.169.254', path: '/latest/meta-data/iam/security-credentials/', port: 80 } },
      }],
    });
    expect(deniedBy(create(probing))).toEqual(expect.arrayContaining(['namespace-guard-probe-hosts']));
    const hooked = deployment({ containers: [{ ...RESTRICTED_POD.containers[0], lifecycle: { preStop: { tcpSocket: { host: '168.63.129.16', port: 80 } } } }] });
    expect(deniedBy(create(hooked))).toEqual(['namespace-guard-probe-hosts']);
  });

  test('a probe of the pod\'s own IP is ordinary work', () => {
    const probing = pod({ containers: [{ ...RESTRICTED_POD.containers[0], readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } }] });
    expect(create(probing)).toMatchObject(admitted);
  });
});

describe('on every supported API server', () => {
  const manifests = objects.flatMap((o, i) => toManifests(o, 'synthesis', i + 1));
  const attacks: Array<[string, KubeObject, UserInfo]> = [
    ['server-alias', ingress('shop.customer1.example.com', { 'nginx.ingress.kubernetes.io/server-alias': 'shop.customer2.example.com' }), MALLORY],
    ['system priority', pod({ priorityClassName: 'system-node-critical' }), MALLORY],
    ['volumeName', claim({ volumeName: 'node-root-hostpath' }), MALLORY],
    ['metadata endpoint', slice(['169.254.169.254']), MALLORY],
    ['another tenant\'s group', roleBinding([group('customer2-admins')]), MALLORY],
    ['probe host', pod({ containers: [{ ...RESTRICTED_POD.containers[0], startupProbe: { tcpSocket: { host: '169.254.169.254', port: 80 } } }] }), MALLORY],
  ];

  test.each([30, 31, 32, 33, 34, 35])('Kubernetes 1.%i compiles every guardrail and gives the same verdicts', minor => {
    const versioned = AdmissionSimulator.fromManifests(manifests, () => {}, { kubernetesMinor: minor });
    for (const [name, object, user] of attacks) {
      const result = versioned.admit({ operation: 'CREATE', object, oldObject: null, userInfo: user });
      expect([name, result.allowed, result.notChecked]).toEqual([name, false, []]);
    }
    expect(versioned.admit({ operation: 'CREATE', object: ingress('shop.customer1.example.com'), oldObject: null, userInfo: MALLORY }))
      .toMatchObject({ allowed: true, denials: [], notChecked: [] });
  });
});

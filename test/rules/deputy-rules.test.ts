// The rules against shared deputies: the ingress controller's annotations, the scheduler, the
// PersistentVolume binder, the endpoint controllers and RBAC. Each attack is a finding; the ordinary
// work next to it stays clean.
import { Chart } from 'cdk8s';
import { Findings } from '../../src';
import { ClusterModel } from '../../src/model/cluster-model';
import { ClusterNetwork } from '../../src/model/cluster-network';
import { parseManifests } from '../../src/model/manifests';
import { evaluateRules, RuleFinding } from '../../src/rules/evaluate';
import { newChart } from '../helpers';
import { SCENARIOS } from './scenarios';

function findingsOf(yaml: string, network = ClusterNetwork.UNDECLARED): RuleFinding[] {
  return evaluateRules(ClusterModel.fromManifests(parseManifests(yaml, 'input.yaml'), network));
}

const summary = (findings: RuleFinding[]) => findings.map(f => `${f.rule.id} ${f.object.kind}/${f.namespace}/${f.object.name}${f.target ? ` [${f.target}]` : ''}`);

function synthSummary(chart: Chart): string[] {
  Findings.silence(chart);
  return Findings.of(chart).map(f => `${f.ruleId} ${f.objectKind}/${f.namespaceName}/${f.objectName}${f.target ? ` [${f.target}]` : ''}`);
}

const managed = (name: string, annotations: Record<string, string> = {}) => `---
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: {app.kubernetes.io/managed-by: cdk8s-namespace-guard}
  annotations: ${JSON.stringify(annotations)}
`;

const ingress = (ns: string, name: string, host: string, annotations: Record<string, string>) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${ns}, annotations: ${JSON.stringify(annotations)}}
spec:
  ingressClassName: nginx
  rules: [{host: ${host}, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`;

const N = 'nginx.ingress.kubernetes.io/';

describe('ingress-annotation', () => {
  test('hosts, snippets, outside destinations and another namespace\'s Secret are findings; common annotations are not', () => {
    const findings = findingsOf(managed('shop', { 'namespace-guard.dev/ingress-hosts': 'shop.example.com' }) + managed('bank') + ingress('shop', 'web', 'shop.example.com', {
      [`${N}rewrite-target`]: '/$2',
      [`${N}ssl-redirect`]: 'true',
      [`${N}proxy-body-size`]: '8m',
      [`${N}auth-secret`]: 'basic-auth',
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    }) + ingress('shop', 'attack', 'shop.example.com', {
      [`${N}server-alias`]: 'login.bank.example.com',
      [`${N}configuration-snippet`]: 'proxy_pass http://10.0.0.1;',
      [`${N}mirror-target`]: 'http://169.254.169.254/latest/meta-data/',
      [`${N}auth-tls-secret`]: 'bank/client-ca',
      [`${N}no-such-thing`]: 'on',
    }) + ingress('bank', 'own', 'bank.example.com', { [`${N}auth-secret`]: 'bank/basic-auth' })
      // Unmanaged namespaces are not judged.
      + ingress('infra', 'legacy', 'legacy.example.com', { [`${N}server-snippet`]: 'x' }));
    expect(summary(findings)).toEqual([
      `ingress-annotation Ingress/shop/attack [${N}server-alias]`,
      `ingress-annotation Ingress/shop/attack [${N}configuration-snippet]`,
      `ingress-annotation Ingress/shop/attack [${N}mirror-target]`,
      `ingress-annotation Ingress/shop/attack [${N}auth-tls-secret]`,
      `ingress-annotation Ingress/shop/attack [${N}no-such-thing]`,
      'ingress-host Ingress/bank/own',
    ]);
    expect(findings[2].message).toBe(`Ingress "attack" in namespace "shop" sets ${N}mirror-target: the controller would send requests to `
      + '"http://169.254.169.254/latest/meta-data/" with its own network access, past the namespace\'s NetworkPolicies');
    expect(findings[0].fix).toContain('ClusterGuardrails ingressAnnotations');
    expect(findings[3].message).toContain('would read Secret "client-ca" of namespace "bank"');
    expect(findings[3].fix).toBe('name a Secret of namespace "shop" instead, or remove the annotation');
  });

  test('acknowledged on the Ingress for one key, that key passes', () => {
    const findings = findingsOf(managed('shop', { 'namespace-guard.dev/ingress-hosts': 'shop.example.com' }) + ingress('shop', 'web', 'shop.example.com', {
      [`${N}auth-url`]: 'http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth',
      [`${N}server-alias`]: 'www.shop.example.com',
      'namespace-guard.dev/acknowledged': `ingress-annotation[${N}auth-url]: the platform's oauth2-proxy`,
    }));
    expect(summary(findings.filter(f => !f.acknowledgement))).toEqual([`ingress-annotation Ingress/shop/web [${N}server-alias]`]);
  });

  test('synthesis fails on the attack', () => {
    const { chart } = newChart();
    SCENARIOS['ingress-annotation: a server alias, a snippet, an auth URL into another tenant and another tenant\'s Secret'](chart);
    expect(synthSummary(chart)).toEqual([
      // cdk8s writes annotations sorted by key.
      `ingress-annotation Ingress/customer3/shop [${N}auth-secret]`,
      `ingress-annotation Ingress/customer3/shop [${N}auth-url]`,
      `ingress-annotation Ingress/customer3/shop [${N}configuration-snippet]`,
      `ingress-annotation Ingress/customer3/shop [${N}server-alias]`,
    ]);
  });
});

describe('pod-scheduling', () => {
  const pod = (ns: string, name: string, spec: string, status = '') => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec: {containers: [{name: app, image: busybox}]${spec}}
${status}`;

  test('nodeName and system priority classes of managed namespaces; ordinary pods and observed pods\' nodeName are not', () => {
    const findings = findingsOf(managed('shop') + pod('shop', 'pinned', ', nodeName: master-1')
      + pod('shop', 'critical', ', priorityClassName: system-cluster-critical')
      + pod('shop', 'plain', '') + pod('shop', 'high', ', priorityClassName: high-priority')
      // A running pod: the scheduler wrote nodeName.
      + pod('shop', 'running', ', nodeName: worker-3', 'status: {phase: Running}\n')
      + pod('kube-system', 'dns', ', priorityClassName: system-cluster-critical')
      + `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {nodeName: master-1, containers: [{name: app, image: busybox}]}
`);
    expect(summary(findings)).toEqual([
      'pod-scheduling Pod/shop/pinned [nodeName]',
      'pod-scheduling Pod/shop/critical [system-cluster-critical]',
      'pod-scheduling Deployment/shop/web [nodeName]',
    ]);
    expect(findings[0].message).toContain('Pod "pinned" in namespace "shop" sets spec.nodeName "master-1": its pods go to that node without the scheduler');
    expect(findings[2].message).toContain('sets spec.template.spec.nodeName "master-1"');
  });

  test('synthesis fails on the attack', () => {
    const { chart } = newChart();
    SCENARIOS['pod-scheduling: a Pod on a chosen node and a system priority class'](chart);
    expect(synthSummary(chart)).toEqual(['pod-scheduling Pod/customer1/pinned [nodeName]', 'pod-scheduling Pod/customer1/pinned [system-node-critical]']);
  });
});

describe('claim-volume-name', () => {
  const pvc = (name: string, spec: string) => `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}, namespace: shop}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}${spec}}
`;
  const pv = (name: string, spec: string, annotations = '{}') => `---
apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}, annotations: ${annotations}}
spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce]${spec}}
`;

  test('a claim naming its volume is a finding unless the volume was made for it', () => {
    const findings = findingsOf(managed('shop')
      + pv('local-data', ', local: {path: /mnt/disks/ssd1}, nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: Exists}]}]}}')
      + pv('other', ', csi: {driver: x, volumeHandle: v}, claimRef: {namespace: bank, name: ledger}')
      + pv('prebound', ', csi: {driver: x, volumeHandle: w}, claimRef: {namespace: shop, name: prebound}')
      + pv('chosen', ', csi: {driver: x, volumeHandle: y}, claimRef: {namespace: shop, name: chosen}', '{pv.kubernetes.io/bound-by-controller: "yes"}')
      + pvc('classy', ', storageClassName: gp3')
      + pvc('local', ', volumeName: local-data')
      + pvc('steal', ', volumeName: other')
      + pvc('prebound', ', volumeName: prebound')
      + pvc('chosen', ', volumeName: chosen')
      + pvc('unknown', ', volumeName: pv-0001'));
    expect(summary(findings)).toEqual([
      'claim-volume-name PersistentVolumeClaim/shop/local',
      'claim-volume-name PersistentVolumeClaim/shop/steal',
      'claim-volume-name PersistentVolumeClaim/shop/chosen',
      'claim-volume-name PersistentVolumeClaim/shop/unknown',
    ]);
    expect(findings[0].message).toBe('PersistentVolumeClaim "local" in namespace "shop" sets spec.volumeName "local-data" (a local volume of the node '
      + 'directory "/mnt/disks/ssd1", bound to no claim): it takes that volume, whoever\'s data it holds, if the volume is free');
    expect(findings[1].message).toContain('bound or reserved for claim "ledger" of namespace "bank"');
    expect(findings[2].message).toContain('bound to this claim by the controller at the claim\'s request');
    expect(findings[3].message).toContain('a PersistentVolume the input does not hold');
  });

  test('synthesis fails on the attack', () => {
    const { chart } = newChart();
    SCENARIOS['claim-volume-name: a claim of another tenant\'s volume and a hostPath volume'](chart);
    expect(synthSummary(chart)).toEqual([
      'claim-volume-name PersistentVolumeClaim/customer1/steal',
      'claim-volume-name PersistentVolumeClaim/customer1/root',
    ]);
  });
});

describe('endpoint-address', () => {
  const service = (name: string, selector: boolean) =>
    `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec: {ports: [{port: 80}]${selector ? ', selector: {app: web}' : ''}}\n`;
  const slice = (name: string, serviceName: string, addresses: string[], labels: Record<string, string> = {}, type = 'IPv4') => `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}, namespace: shop, labels: ${JSON.stringify({ 'kubernetes.io/service-name': serviceName, ...labels })}}
addressType: ${type}
endpoints: [{addresses: ${JSON.stringify(addresses)}}]
ports: [{port: 80, protocol: TCP}]
`;
  const endpoints = (name: string, ips: string[]) => `---
apiVersion: v1
kind: Endpoints
metadata: {name: ${name}, namespace: shop}
subsets: [{addresses: ${JSON.stringify(ips.map(ip => ({ ip })))}, ports: [{port: 80}]}]
`;
  const controller = { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' };
  const yaml = managed('shop') + service('web', true) + service('db', false) + service('fake', false)
    + slice('web-abc', 'web', ['10.244.1.5', '192.168.7.7'], controller)
    + slice('db-1', 'db', ['100.100.100.200', '10.244.2.9', '203.0.113.4'])
    + slice('fake-1', 'fake', ['168.63.129.16'], controller) // the controller's label on a selector-less Service's slice
    + endpoints('db', ['169.254.169.254'])
    + endpoints('web', ['10.0.0.1'])
    + slice('ext', 'ext', ['db.example.com'], {}, 'FQDN');

  test('without pod CIDRs, the special-purpose addresses, and says what was not checked', () => {
    const findings = findingsOf(yaml);
    expect(summary(findings)).toEqual([
      'endpoint-address EndpointSlice/shop/db-1 [100.100.100.200]',
      'endpoint-address EndpointSlice/shop/fake-1 [168.63.129.16]',
      'endpoint-address Endpoints/shop/db [169.254.169.254]',
      'endpoint-address EndpointSlice/shop/ext [db.example.com]',
    ]);
    expect(findings[0].message).toBe('EndpointSlice "db-1" in namespace "shop" sends Service "db"\'s traffic to 100.100.100.200, a cloud metadata address '
      + '(the node\'s cloud identity and credentials); whether the other addresses are in the pod network was not checked: the cluster\'s pod CIDRs '
      + 'are not declared (ClusterProfile podCidrs, --pod-cidr): the ingress controller and kube-proxy connect there with their own network access, '
      + 'past the namespace\'s NetworkPolicies');
    expect(findings[0].message).not.toContain('API server refuses');
    expect(findings[2].message).toContain('(the API server refuses this address in Endpoints and EndpointSlices, so the object cannot be applied as written)');
  });

  test('with pod CIDRs, every address outside them', () => {
    const findings = findingsOf(yaml, ClusterNetwork.of({ podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] }));
    expect(summary(findings)).toEqual([
      'endpoint-address EndpointSlice/shop/db-1 [100.100.100.200]',
      'endpoint-address EndpointSlice/shop/db-1 [203.0.113.4]',
      'endpoint-address EndpointSlice/shop/fake-1 [168.63.129.16]',
      'endpoint-address Endpoints/shop/db [169.254.169.254]',
      'endpoint-address EndpointSlice/shop/ext [db.example.com]',
    ]);
    expect(findings[1].message).toContain('203.0.113.4, outside the pod CIDRs (10.244.0.0/16): ');
  });

  test('synthesis fails on the attack, with the cluster\'s ranges', () => {
    const { chart } = newChart();
    SCENARIOS['endpoint-address: a selector-less Service pointed at a cloud metadata address and the API server'](chart);
    expect(synthSummary(chart)).toEqual([
      'endpoint-address EndpointSlice/customer1/meta-1 [100.100.100.200]',
      'endpoint-address EndpointSlice/customer1/meta-1 [10.96.0.1]',
    ]);
  });
});

describe('role-binding-subject: another managed namespace\'s declared subjects', () => {
  test('another tenant\'s admin group is a finding; the bundle\'s own grants are not', () => {
    const { chart } = newChart();
    SCENARIOS['role-binding-subject: another tenant\'s admin group'](chart);
    expect(synthSummary(chart)).toEqual(['role-binding-subject RoleBinding/customer1/share [customer2-admins]']);
    Findings.silence(chart);
    expect(Findings.of(chart)[0].message).toBe('RoleBinding "share" in namespace "customer1" grants Role "namespace-guard-view" to Group "customer2-admins", '
      + 'which managed namespace "customer2" declares among its admins: the admin group of another managed namespace gets access to "customer1" across the boundary');
  });

  test('a group both namespaces declare is not a finding', () => {
    const yaml = [managed('a'), managed('b')].join('') + ['a', 'b'].map(ns => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: namespace-guard-view, namespace: ${ns}, labels: {app.kubernetes.io/managed-by: cdk8s-namespace-guard}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: namespace-guard-view}
subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: sre}, {kind: Group, apiGroup: rbac.authorization.k8s.io, name: ${ns}-team}]
`).join('') + `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: extra, namespace: a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: sre}, {kind: User, apiGroup: rbac.authorization.k8s.io, name: b-team}, {kind: Group, apiGroup: rbac.authorization.k8s.io, name: b-team}]
`;
    // The User b-team is not the Group b-team.
    expect(summary(findingsOf(yaml))).toEqual(['role-binding-subject RoleBinding/a/extra [b-team]']);
  });
});


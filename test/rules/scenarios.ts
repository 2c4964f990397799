// The failing cases of the rule tests, one builder each. The rule tests assert what synthesis
// reports for them; the parity test runs `namespace-guard check` on their YAML and expects the same.
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { restrictedDeployment } from '../../examples/workloads';
import {
  ClusterProfile, ContainerLimits, Enforcement, Exposure, Findings, NetworkBackend, Peer, PodSecurityLevel, Port, Quota, RuleId, SecurityZone,
  Subject, TeamNamespace, TenantNamespace,
} from '../../src';

const q = (text: string) => kplus.k8s.Quantity.fromString(text);

/** A Pod that passes Pod Security restricted, with `extra` fields on its container. */
export function restrictedPod(scope: Chart, namespace: string, name: string, extra: { [key: string]: unknown } = {}) {
  return new kplus.k8s.KubePod(scope, name, {
    metadata: { name, namespace },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'app',
        image: 'registry.example.com/app:1.0.0',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        ...extra,
      }],
    },
  });
}

/** A Service of the given type in customer1. */
export function service(chart: Chart, type: string) {
  return new kplus.k8s.KubeService(chart, `svc-${type.toLowerCase()}`, {
    metadata: { name: `svc-${type.toLowerCase()}`, namespace: 'customer1' },
    spec: { type, selector: { app: 'web' }, ports: [{ port: 80, targetPort: kplus.k8s.IntOrString.fromNumber(8080) }] },
  });
}

function twoTenants(chart: Chart, props = {}) {
  return [new TenantNamespace(chart, 'customer1', props), new TenantNamespace(chart, 'customer2', props)];
}

/** Each failing case of the rule tests: it builds its objects into the chart it is given. */
export const SCENARIOS = {
  'pod-security: a default cdk8s-plus Deployment in a tenant': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    new kplus.Deployment(chart, 'web', { metadata: { namespace: 'customer1' }, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
  },
  'pod-security: a typed privileged Pod and a raw host-network Pod': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    restrictedPod(chart, 'customer1', 'typed', { securityContext: { privileged: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } });
    new ApiObject(chart, 'raw', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'raw', namespace: 'customer1' },
      spec: { hostNetwork: true, containers: [{ name: 'app', image: 'busybox:1.36' }] },
    });
  },
  'pod-security: a hostPath Pod in a baseline team at v1.30': (chart: Chart) => {
    new TeamNamespace(chart, 'team', { podSecurity: PodSecurityLevel.BASELINE, podSecurityVersion: 'v1.30' });
    new kplus.Deployment(chart, 'web', { metadata: { namespace: 'team' }, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    new ApiObject(chart, 'hostpath', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hostpath', namespace: 'team' },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], volumes: [{ name: 'h', hostPath: { path: '/var' } }] },
    });
  },
  'pod-security: acknowledged on the workload': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    const web = new kplus.Deployment(chart, 'web', { metadata: { namespace: 'customer1' }, containers: [{ image: 'nginx:1.27' }] });
    Findings.acknowledge(web, RuleId.POD_SECURITY, 'legacy image, migration tracked in PLAT-123');
  },
  'pod-security: one check acknowledged, the other not': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    const web = new kplus.Deployment(chart, 'web', { metadata: { namespace: 'customer1' }, containers: [{ image: 'nginx:1.27' }] });
    Findings.acknowledge(web, RuleId.POD_SECURITY, 'the image cannot drop capabilities yet', { appliesTo: ['capabilities_restricted'] });
  },
  'pod-security: acknowledged for the whole chart': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    new kplus.Deployment(chart, 'web', { metadata: { namespace: 'customer1' }, containers: [{ image: 'nginx:1.27' }] });
    Findings.acknowledge(chart, RuleId.POD_SECURITY, 'whole legacy chart is being migrated');
  },
  'pod-security: in monitor mode': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { enforcement: Enforcement.MONITOR })
      .acknowledge(RuleId.MONITORED_TENANT, 'rolling out; enforced from 2027-01-15');
    new kplus.Deployment(chart, 'web', { metadata: { namespace: 'customer1' }, containers: [{ image: 'nginx:1.27' }] });
  },
  'container-resources: a request above the default limit': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    restrictedPod(chart, 'customer1', 'big', { resources: { requests: { cpu: q('1') } } });
  },
  'container-resources: a limit above the per-container maximum': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { containerLimits: ContainerLimits.of({ maxMemory: '1Gi' }) });
    restrictedPod(chart, 'customer1', 'hungry', { resources: { requests: { memory: q('512Mi') }, limits: { memory: q('2Gi') } } });
  },
  'quota-fit: 25 replicas in a small quota': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { quota: Quota.small() });
    restrictedDeployment(chart, 'customer1', { app: 'web', image: 'nginx:1.27', replicas: 25 });
  },
  'service-exposure: a NodePort and a LoadBalancer Service': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    service(chart, 'NodePort');
    service(chart, 'LoadBalancer');
  },
  'one-sided-flow: a managed namespace through an external peer': (chart: Chart) => {
    const checkout = new TeamNamespace(chart, 'checkout');
    new TeamNamespace(chart, 'payments');
    checkout.connections.allowTo(Peer.pods('payments', { app: 'api' }), Port.tcp(8080));
  },
  'unmatched-flow-selector: a typo in a pod selector': (chart: Chart) => {
    const tenant = new TenantNamespace(chart, 'customer1');
    tenant.pods({ app: 'bakend' }).connections.allowFrom(Peer.namespaceNamed('ingress-nginx'), Port.tcp(8080));
    restrictedDeployment(chart, 'customer1', { app: 'backend', image: 'nginx:1.27' });
  },
  'cross-tenant-flow: declared between two tenants': (chart: Chart) => {
    const [one, two] = twoTenants(chart);
    one.connections.allowTo(two, Port.tcp(8080));
  },
  'cross-tenant-flow: between pod subsets': (chart: Chart) => {
    const [one, two] = twoTenants(chart);
    two.connections.allowFrom(one.pods({ app: 'billing' }), Port.tcp(8080));
  },
  'cross-tenant-flow: acknowledged by one side only': (chart: Chart) => {
    const [one, two] = twoTenants(chart);
    one.connections.allowTo(two, Port.tcp(8080));
    one.acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer1 calls the customer2 API by contract', { appliesTo: ['customer2'] });
  },
  'cross-tenant-flow: acknowledged for another tenant than the new flow': (chart: Chart) => {
    const [one, two] = twoTenants(chart);
    const three = new TenantNamespace(chart, 'customer3');
    one.connections.allowTo(two, Port.tcp(8080));
    one.connections.allowTo(three, Port.tcp(8080));
    one.acknowledge(RuleId.CROSS_TENANT_FLOW, 'billing reads invoices from customer2 by contract', { appliesTo: ['customer2'] });
    two.acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer2 serves customer1 by contract', { appliesTo: ['customer1'] });
  },
  'cross-tenant-flow: through Peer.namespaceNamed': (chart: Chart) => {
    twoTenants(chart)[0].connections.allowTo(Peer.namespaceNamed('customer2'), Port.tcp(8080));
  },
  'cross-tenant-flow: through Peer.pods': (chart: Chart) => {
    twoTenants(chart)[0].connections.allowTo(Peer.pods('customer2', { app: 'api' }), Port.tcp(8080));
  },
  'cross-tenant-flow: through Peer.allPods': (chart: Chart) => {
    twoTenants(chart)[0].connections.allowTo(Peer.allPods(), Port.tcp(8080));
  },
  'cross-tenant-flow: through a tenant label selector': (chart: Chart) => {
    twoTenants(chart)[0].connections.allowTo(Peer.namespacesWithLabels({ 'namespace-guard.dev/tenant': 'customer2' }), Port.tcp(8080));
  },
  'cross-tenant-flow: in monitor mode': (chart: Chart) => {
    const [one, two] = twoTenants(chart, { enforcement: Enforcement.MONITOR });
    one.connections.allowTo(two, Port.tcp(8080));
    for (const tenant of [one, two]) tenant.acknowledge(RuleId.MONITORED_TENANT, 'rolling out; enforced from 2027-01-15');
  },
  'privileged-pod-security: a team and a zone member': (chart: Chart) => {
    new TeamNamespace(chart, 'agents', { podSecurity: PodSecurityLevel.PRIVILEGED });
    new SecurityZone(chart, 'nodes', { exposure: Exposure.OPERATIONS, namespaces: ['csi'], operationsPorts: [Port.named('metrics')], podSecurity: PodSecurityLevel.PRIVILEGED });
  },
  'privileged-pod-security: acknowledged on the zone': (chart: Chart) => {
    const zone = new SecurityZone(chart, 'nodes', { exposure: Exposure.OPERATIONS, namespaces: ['csi', 'agents'], operationsPorts: [Port.named('metrics')], podSecurity: PodSecurityLevel.PRIVILEGED });
    zone.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'the CSI driver mounts host paths');
  },
  'service-external-ips: a Service with externalIPs in a tenant': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    new kplus.k8s.KubeService(chart, 'intercept', {
      metadata: { name: 'intercept', namespace: 'customer1' },
      spec: { selector: { app: 'web' }, ports: [{ port: 443 }], externalIPs: ['203.0.113.10'] },
    });
  },
  'service-external-name: to another tenant\'s Service and to an outside name': (chart: Chart) => {
    twoTenants(chart);
    externalName(chart, 'customer1', 'peek', 'api.customer2.svc.cluster.local');
    externalName(chart, 'customer1', 'partner', 'api.partner.example.com');
  },
  'ingress-host: an undeclared host and a catch-all Ingress': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { ingressHosts: ['customer1.example.com'] });
    ingress(chart, 'customer1', 'steal', ['customer1.example.com', 'login.example.com']);
    ingress(chart, 'customer1', 'catch-all', [undefined]);
  },
  'ingress-host: an Ingress in a namespace that declares no host': (chart: Chart) => {
    new TeamNamespace(chart, 'team');
    ingress(chart, 'team', 'web', ['team.example.com']);
  },
  'ingress-host-conflict: a tenant\'s host claimed from an unmanaged namespace': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { ingressHosts: ['shop.example.com'] });
    ingress(chart, 'customer1', 'shop', ['shop.example.com']);
    ingress(chart, 'legacy', 'takeover', ['shop.example.com']);
  },
  'role-binding-subject: broad system groups and another tenant\'s service account': (chart: Chart) => {
    twoTenants(chart);
    new kplus.k8s.KubeRoleBinding(chart, 'everyone', {
      metadata: { name: 'everyone', namespace: 'customer1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'namespace-guard-view' },
      subjects: [
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:customer2' },
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccount:customer2:api' },
        { kind: 'ServiceAccount', name: 'api', namespace: 'customer2' },
        { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'customer1-admins' },
      ],
    });
  },
  'role-binding-subject: a bundle granting another tenant\'s service account': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { editors: [Subject.serviceAccount('deployer', 'customer2')] });
    new TenantNamespace(chart, 'customer2');
  },
  'service-account-token: a token Secret, mounted tokens and an automounting ServiceAccount': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { apiAccessServiceAccounts: ['operator'] });
    new kplus.k8s.KubeSecret(chart, 'token', {
      metadata: { name: 'ci-token', namespace: 'customer1', annotations: { 'kubernetes.io/service-account.name': 'default' } },
      type: 'kubernetes.io/service-account-token',
    });
    new kplus.k8s.KubeServiceAccount(chart, 'ci', { metadata: { name: 'ci', namespace: 'customer1' } });
    new kplus.k8s.KubeServiceAccount(chart, 'operator', { metadata: { name: 'operator', namespace: 'customer1' } });
    restrictedPod(chart, 'customer1', 'automount').addJsonPatch(JsonPatch.add('/spec/automountServiceAccountToken', true));
    restrictedPod(chart, 'customer1', 'projected').addJsonPatch(
      JsonPatch.add('/spec/serviceAccountName', 'ci'),
      JsonPatch.add('/spec/volumes', [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } }]),
    );
    restrictedPod(chart, 'customer1', 'allowed').addJsonPatch(
      JsonPatch.add('/spec/serviceAccountName', 'operator'),
      JsonPatch.add('/spec/automountServiceAccountToken', true),
    );
  },
  'pod-security-version: a team pinned at v1.24': (chart: Chart) => {
    new TeamNamespace(chart, 'team', { podSecurityVersion: 'v1.24' });
  },
  'team-flow-ports: every TCP port and a full range between teams': (chart: Chart) => {
    const checkout = new TeamNamespace(chart, 'checkout');
    const payments = new TeamNamespace(chart, 'payments');
    checkout.pods({ app: 'web' }).connections.allowTo(payments, Port.allTcp());
    payments.connections.allowTo(checkout.pods({ app: 'web' }), Port.tcpRange(1, 65535));
    restrictedDeployment(chart, 'checkout', { app: 'web', image: 'nginx:1.27' });
  },
  'team-flow-ports: all traffic through Peer.namespaceNamed': (chart: Chart) => {
    new TeamNamespace(chart, 'checkout').connections.allowTo(Peer.namespaceNamed('payments'), Port.allTraffic());
    new TeamNamespace(chart, 'payments');
  },
  'monitored-tenant: a tenant in monitor mode': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { enforcement: Enforcement.MONITOR });
  },
  'monitored-tenant: a tenant in monitor mode on Calico, its flow to another tenant staged': (chart: Chart) => {
    const cluster = new ClusterProfile(chart, 'cluster', { networkBackend: NetworkBackend.CALICO });
    const one = new TenantNamespace(chart, 'customer1', { cluster, enforcement: Enforcement.MONITOR });
    const two = new TenantNamespace(chart, 'customer2', { cluster });
    one.connections.allowTo(two, Port.tcp(8080));
    two.acknowledge(RuleId.CROSS_TENANT_FLOW, 'customer2 takes exports from customer1 by contract', { appliesTo: ['customer1'] });
  },
  'unaudited-monitor-mode: a team in monitor mode on Cilium': (chart: Chart) => {
    const cluster = new ClusterProfile(chart, 'cluster', { networkBackend: NetworkBackend.CILIUM });
    new TeamNamespace(chart, 'shop', { cluster, enforcement: Enforcement.MONITOR });
  },
  'link-local-egress: a team opens the link-local range on port 80': (chart: Chart) => {
    new TeamNamespace(chart, 'payments').connections.allowTo(Peer.ipv4('169.254.0.0/16'), Port.tcp(80));
  },
  'link-local-egress: the metadata address through its IPv4-mapped and NAT64 forms': (chart: Chart) => {
    const team = new TeamNamespace(chart, 'payments');
    team.connections.allowTo(Peer.ipv6('::ffff:169.254.169.254/128'), Port.tcp(80));
    team.connections.allowTo(Peer.ipv6('64:ff9b::a9fe:a9fe/128'), Port.tcp(80));
  },
  'link-local-egress: an IP block of everything, and an open rule on port 53 (metadata on any port)': (chart: Chart) => {
    const team = new TeamNamespace(chart, 'payments');
    team.connections.allowTo(Peer.ipv4('0.0.0.0/0', ['10.0.0.0/8']), Port.tcp(443));
    new ApiObject(chart, 'open-dns', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'open-dns', namespace: 'payments' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] },
    });
  },
  'link-local-egress: acknowledged for one address only': (chart: Chart) => {
    const team = new TeamNamespace(chart, 'payments');
    team.connections.allowTo(Peer.ipv4('169.254.0.0/16'), Port.tcp(80));
    team.acknowledge(RuleId.LINK_LOCAL_EGRESS, 'the node agent listens on a link-local address', { appliesTo: ['169.254.0.0/16'] });
  },
  'cluster-range-flow: a tenant flow to a block covering the pod CIDR': (chart: Chart) => {
    const cluster = new ClusterProfile(chart, 'cluster', { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] });
    const tenant = new TenantNamespace(chart, 'customer1', { cluster });
    tenant.connections.allowTo(Peer.ipv4('10.0.0.0/8'), Port.tcp(443));
    tenant.connections.allowFrom(Peer.ipv4('10.96.0.0/16'), Port.tcp(8080));
  },
  'cluster-range-flow: acknowledged for the service CIDR only': (chart: Chart) => {
    const cluster = new ClusterProfile(chart, 'cluster', { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] });
    const tenant = new TenantNamespace(chart, 'customer1', { cluster });
    tenant.connections.allowTo(Peer.ipv4('10.0.0.0/8'), Port.tcp(443));
    tenant.acknowledge(RuleId.CLUSTER_RANGE_FLOW, 'the tenant calls a shared ClusterIP by address', { appliesTo: ['10.96.0.0/12'] });
  },
  'unknown-named-port: a flow on a misspelled metrics port, and an egress flow to a port the peer lacks': (chart: Chart) => {
    const payments = new TeamNamespace(chart, 'payments');
    restrictedDeployment(chart, 'payments', { app: 'api', image: 'registry.example.com/api:1.0.0', ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }] });
    payments.connections.allowFrom(Peer.namespaceNamed('monitoring'), Port.named('metircs'));
    const checkout = new TeamNamespace(chart, 'checkout');
    restrictedDeployment(chart, 'checkout', { app: 'cart', image: 'registry.example.com/cart:1.0.0', ports: [{ number: 8080, name: 'http' }] });
    checkout.connections.allowTo(Peer.pods('payments', { app: 'api' }), Port.named('grpc'));
    payments.connections.allowFrom(Peer.pods('checkout', { app: 'cart' }), Port.named('grpc'));
  },
  'unknown-named-port: acknowledged for one port name': (chart: Chart) => {
    const payments = new TeamNamespace(chart, 'payments');
    restrictedDeployment(chart, 'payments', { app: 'api', image: 'registry.example.com/api:1.0.0', ports: [{ number: 9090, name: 'metrics' }] });
    payments.connections.allowFrom(Peer.namespaceNamed('monitoring'), Port.named('admin'), Port.named('metircs'));
    payments.acknowledge(RuleId.UNKNOWN_NAMED_PORT, 'the admin sidecar is injected by the mesh', { appliesTo: ['admin'] });
  },
  'tenant-data-access: a team reads a tenant\'s database': (chart: Chart) => {
    analyticsReadsDatabase(chart);
  },
  'tenant-data-access: acknowledged on the tenant, naming the team': (chart: Chart) => {
    analyticsReadsDatabase(chart).tenant.acknowledge(RuleId.TENANT_DATA_ACCESS, 'analytics reads usage data under the DPA of 2025-03', { appliesTo: ['analytics'] });
  },
  'tenant-data-access: one-sided, only the team\'s egress through Peer.pods': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    new TeamNamespace(chart, 'analytics').connections.allowTo(Peer.pods('customer1', { app: 'database' }), Port.tcp(5432));
  },
  'tenant-data-access: a restricted zone admitted by the tenant through Peer.namespaceNamed': (chart: Chart) => {
    new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] });
    new TenantNamespace(chart, 'customer1').connections.allowFrom(Peer.namespaceNamed('orders-db'), Port.tcp(8080));
  },
  'tenant-data-access: the declared monitoring on a numbered port': (chart: Chart) => {
    const cluster = new ClusterProfile(chart, 'cluster', { monitoring: Peer.namespaceNamed('observability') });
    new SecurityZone(chart, 'ops', { cluster, exposure: Exposure.OPERATIONS, namespaces: ['observability'], operationsPorts: [Port.named('metrics')] });
    new TenantNamespace(chart, 'customer1', { cluster }).connections.allowFrom(cluster.monitoring, Port.tcp(5432));
  },
  'ingress-annotation: a server alias, a snippet, an auth URL into another tenant and another tenant\'s Secret': (chart: Chart) => {
    twoTenants(chart, { ingressHosts: [] });
    new TenantNamespace(chart, 'customer3', { ingressHosts: ['shop.customer3.example.com'] });
    const shop = ingress(chart, 'customer3', 'shop', ['shop.customer3.example.com']);
    shop.metadata.addAnnotation('nginx.ingress.kubernetes.io/rewrite-target', '/');
    shop.metadata.addAnnotation('nginx.ingress.kubernetes.io/server-alias', 'login.customer2.example.com');
    shop.metadata.addAnnotation('nginx.ingress.kubernetes.io/configuration-snippet', 'more_set_headers "X: y";');
    shop.metadata.addAnnotation('nginx.ingress.kubernetes.io/auth-url', 'http://billing.customer2.svc.cluster.local/internal');
    shop.metadata.addAnnotation('nginx.ingress.kubernetes.io/auth-secret', 'customer2/basic-auth');
  },
  'pod-scheduling: a Pod on a chosen node and a system priority class': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1');
    const pod = restrictedPod(chart, 'customer1', 'pinned');
    pod.addJsonPatch(JsonPatch.add('/spec/nodeName', 'control-plane-1'), JsonPatch.add('/spec/priorityClassName', 'system-node-critical'));
  },
  'claim-volume-name: a claim of another tenant\'s volume and a hostPath volume': (chart: Chart) => {
    twoTenants(chart);
    new ApiObject(chart, 'pv-data', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'customer2-data' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' }, claimRef: { namespace: 'customer2', name: 'data' } },
    });
    new ApiObject(chart, 'pv-host', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'node-root' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/' } },
    });
    for (const [name, volume] of [['steal', 'customer2-data'], ['root', 'node-root']]) {
      new kplus.k8s.KubePersistentVolumeClaim(chart, `pvc-${name}`, {
        metadata: { name, namespace: 'customer1' },
        spec: { volumeName: volume, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: q('1Gi') } } },
      });
    }
  },
  'endpoint-address: a selector-less Service pointed at a cloud metadata address and the API server': (chart: Chart) => {
    const cluster = new ClusterProfile(chart, 'cluster', { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] });
    new TenantNamespace(chart, 'customer1', { cluster });
    new kplus.k8s.KubeService(chart, 'svc-meta', { metadata: { name: 'meta', namespace: 'customer1' }, spec: { ports: [{ port: 80 }] } });
    new ApiObject(chart, 'slice-meta', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'meta-1', namespace: 'customer1', labels: { 'kubernetes.io/service-name': 'meta' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['100.100.100.200', '10.96.0.1', '10.244.3.7'] }],
      ports: [{ port: 80, protocol: 'TCP' }],
    });
  },
  'role-binding-subject: another tenant\'s admin group': (chart: Chart) => {
    new TenantNamespace(chart, 'customer1', { admins: [Subject.group('customer1-admins')] });
    new TenantNamespace(chart, 'customer2', { admins: [Subject.group('customer2-admins')] });
    new kplus.k8s.KubeRoleBinding(chart, 'share', {
      metadata: { name: 'share', namespace: 'customer1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'namespace-guard-view' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'customer2-admins' }],
    });
  },
};

/**
 * customer1's database, which the analytics team's reporter reads:
 * `tenant.podsOf(database).connections.allowFrom(analytics, Port.tcp(5432))`.
 */
export function analyticsReadsDatabase(chart: Chart) {
  const tenant = new TenantNamespace(chart, 'customer1');
  const analytics = new TeamNamespace(chart, 'analytics');
  const database = restrictedDeployment(chart, 'customer1', { app: 'database', image: 'postgres:16.4', ports: [{ number: 5432, name: 'postgres' }] });
  restrictedDeployment(chart, 'analytics', { app: 'reporter', image: 'registry.example.com/analytics/reporter:1.0.0' });
  tenant.podsOf(database).connections.allowFrom(analytics, Port.tcp(5432));
  return { tenant, analytics, database };
}

function externalName(chart: Chart, namespace: string, name: string, target: string) {
  new kplus.k8s.KubeService(chart, `${namespace}-${name}`, { metadata: { name, namespace }, spec: { type: 'ExternalName', externalName: target } });
}

/** An Ingress with one rule per host (undefined: a rule without a host). */
export function ingress(chart: Chart, namespace: string, name: string, hosts: Array<string | undefined>) {
  const backend = { service: { name: 'web', port: { number: 80 } } };
  return new kplus.k8s.KubeIngress(chart, `${namespace}-${name}`, {
    metadata: { name, namespace },
    spec: { rules: hosts.map(host => ({ ...(host ? { host } : {}), http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } })) },
  });
}

export type ScenarioName = keyof typeof SCENARIOS;

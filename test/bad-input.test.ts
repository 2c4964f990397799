import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ClusterDns,
  ClusterProfile,
  ContainerLimits,
  Enforcement,
  Exposure,
  NamespaceBundle,
  Peer,
  PodSecurityLevel,
  Port,
  Quota,
  SecurityZone,
  Subject,
  TeamNamespace,
  TenantNamespace,
} from '../src';
import { newChart, thrownBy } from './helpers';

// Every bad input must be rejected with a message that names the construct path as
// "[<path>]" and says how to fix it. Each case builds its own app and returns what to check.
interface BadInput {
  /** The construct path the message must name. */
  readonly path: string;
  /** A distinctive part of the fix the message must contain. */
  readonly fix: string | RegExp;
  /** Builds the bad input in a fresh chart (`test`); throws the error under test. */
  readonly build: (chart: Chart) => unknown;
}

function bad(name: string, path: string, fix: string | RegExp, build: (chart: Chart) => unknown): [string, BadInput] {
  return [name, { path, fix, build }];
}

const cases: Array<[string, BadInput]> = [
  // Namespace names
  bad('namespace name with upper case', 'test/Customer1', 'pass a name such as "customer1"',
    c => new TenantNamespace(c, 'Customer1')),
  bad('namespace name longer than 63 characters', 'test/long', /at most 63\).*pass a name such as "a{54}-[0-9a-f]{8}"/,
    c => new TenantNamespace(c, 'long', { namespaceName: 'a'.repeat(64) })),
  bad('namespace name with an underscore', 'test/team_a', 'pass a name such as "team-a"',
    c => new TeamNamespace(c, 'team_a')),
  bad('namespace name with a leading hyphen', 'test/lead', 'pass a name such as "team"',
    c => new TeamNamespace(c, 'lead', { namespaceName: '-team' })),
  bad('empty namespace name', 'test/customer9', /it is empty; pass a name such as "customer9"/,
    c => new TenantNamespace(c, 'customer9', { namespaceName: '' })),
  bad('reserved namespace "default"', 'test/default', 'choose a name of your own',
    c => new TenantNamespace(c, 'default')),
  bad('reserved namespace "kube-system"', 'test/sys', 'choose a name of your own',
    c => new TeamNamespace(c, 'sys', { namespaceName: 'kube-system' })),
  bad('reserved "kube-" prefix', 'test/web/kube-foo', 'names starting with "kube-" are reserved too',
    c => new SecurityZone(c, 'web', { exposure: Exposure.INTERNAL, namespaces: ['kube-foo'] })),

  // Names and labels
  bad('tenant name that is not a label value', 'test/acme', 'use a name such as "acme-corp"',
    c => new TenantNamespace(c, 'acme', { namespaceName: 'acme', tenantName: 'acme corp' })),
  bad('invalid label key in namespaceLabels', 'test/billing', 'its name part must consist of letters, digits',
    c => new TeamNamespace(c, 'billing', { namespaceLabels: { 'cost centre': 'cc-1' } })),
  bad('invalid label value in namespaceLabels', 'test/billing', 'it must consist of letters, digits, "-", "_" and "."',
    c => new TeamNamespace(c, 'billing', { namespaceLabels: { 'cost-centre': 'cc 1' } })),
  bad('bundle-owned label key in namespaceLabels', 'test/billing', "remove them and use the bundle's properties instead",
    c => new TeamNamespace(c, 'billing', { namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'privileged' } })),
  bad('pods() without labels', 'test/billing', 'select pods by at least one valid label',
    c => new TeamNamespace(c, 'billing').pods({})),
  bad('pods() with an invalid label value', 'test/web', 'select pods by at least one valid label, for example pods({ app: "web" })',
    c => new SecurityZone(c, 'web', { exposure: Exposure.INTERNAL, namespaces: ['shop'] }).pods({ app: 'web server' })),
  bad('pods() with an invalid label key', 'test/billing', 'its prefix "-example.com" is not a DNS subdomain',
    c => new TeamNamespace(c, 'billing').pods({ '-example.com/app': 'api' })),
  bad('pods() given undefined', 'test/billing', 'select pods by at least one valid label',
    c => new TeamNamespace(c, 'billing').pods(undefined as any)),

  // Quantities, quota and container limits
  bad('quantity that is not a quantity ("2 cores")', 'test/customer1', 'examples: "500m", "2", "512Mi", "10Gi"',
    c => new TenantNamespace(c, 'customer1', { quota: Quota.of({ requestsCpu: '2 cores' }) })),
  bad('negative quantity', 'test/customer1', 'use a quantity of at least 0',
    c => new TenantNamespace(c, 'customer1', { quota: Quota.of({ limitsMemory: '-1Gi' }) })),
  bad('quantity given as a number', 'test/customer1', 'must be a string quantity such as "2" or "4Gi"',
    c => new TenantNamespace(c, 'customer1', { quota: Quota.of({ requestsCpu: 2 as any }) })),
  bad('quota requests above limits', 'test/customer1', 'raise limitsCpu or lower requestsCpu',
    c => new TenantNamespace(c, 'customer1', { quota: Quota.of({ requestsCpu: '10', limitsCpu: '8' }) })),
  bad('negative object count', 'test/customer1', 'quota pods must be a whole number of at least 0, not -1',
    c => new TenantNamespace(c, 'customer1', { quota: Quota.of({ pods: -1 }) })),
  bad('fractional object count', 'test/customer1', 'quota services must be a whole number of at least 0, not 1.5',
    c => new TenantNamespace(c, 'customer1', { quota: Quota.of({ services: 1.5 }) })),
  bad('container default request above default limit', 'test/team-a', 'a default request must not exceed the default limit',
    c => new TeamNamespace(c, 'team-a', { containerLimits: ContainerLimits.of({ defaultRequestCpu: '1', defaultLimitCpu: '500m' }) })),
  bad('container default limit above max', 'test/team-a', 'lower the default limit or raise the maximum',
    c => new TeamNamespace(c, 'team-a', { containerLimits: ContainerLimits.of({ defaultLimitMemory: '2Gi', maxMemory: '1Gi' }) })),
  bad('container max above the quota limit', 'test/team-a', 'lower maxCpu to at most "8"',
    c => new TeamNamespace(c, 'team-a', { containerLimits: ContainerLimits.of({ maxCpu: '16' }) })),
  bad('container default request above the quota request', 'test/team-a', 'lower the default request or raise the quota',
    c => new TeamNamespace(c, 'team-a', {
      quota: Quota.of({ requestsMemory: '64Mi' }),
      containerLimits: ContainerLimits.of({ defaultRequestMemory: '128Mi' }),
    })),

  // CIDRs
  bad('CIDR with host bits set', 'test/customer1', 'did you mean "10.0.0.0/8"?',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(Peer.ipv4('10.1.2.3/8'), Port.tcp(443))),
  bad('bare IP address instead of a CIDR', 'test/customer1', 'did you mean "10.1.2.3/32"?',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(Peer.ipv4('10.1.2.3'), Port.tcp(443))),
  bad('garbage CIDR', 'test/customer1', 'write it as address/prefix in canonical form (no leading zeros), for example "10.0.0.0/8"',
    c => new TenantNamespace(c, 'customer1').connections.allowFrom(Peer.ipv4('ten.zero/8'), Port.tcp(443))),
  bad('octal-looking IPv4 block', 'test/customer1', 'canonical form (no leading zeros), for example "10.0.0.0/8"',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(Peer.ipv4('012.0.0.0/8'), Port.tcp(443))),
  bad('IPv6 block with a zone', 'test/customer1', 'canonical form (no leading zeros), for example "fd00::/8"',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(Peer.ipv6('fe80::1%eth0/64'), Port.tcp(443))),
  bad('IPv6 block given to Peer.ipv4', 'test/customer1', 'use Peer.ipv6() for it',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(Peer.ipv4('fd00::/8'), Port.tcp(443))),
  bad('except block outside the CIDR', 'test/customer1', 'list only sub-blocks of the CIDR in except',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(Peer.ipv4('10.0.0.0/8', ['192.168.0.0/16']), Port.tcp(443))),

  // Ports
  bad('port 0', 'test/customer1', 'use Port.allTcp() for every port of the protocol',
    c => new TenantNamespace(c, 'customer1').connections.allowFrom(Peer.namespaceNamed('ingress'), Port.tcp(0))),
  bad('UDP port 0', 'test/customer1', 'use Port.allUdp() for every port of the protocol',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(Peer.namespaceNamed('dns'), Port.udp(0))),
  bad('port above 65535', 'test/customer1', 'use an integer from 1 to 65535',
    c => new TenantNamespace(c, 'customer1').connections.allowFrom(Peer.namespaceNamed('ingress'), Port.tcp(70000))),
  bad('backwards port range', 'test/customer1', 'give the lower port first',
    c => new TenantNamespace(c, 'customer1').connections.allowFrom(Peer.namespaceNamed('ingress'), Port.tcpRange(9000, 8000))),
  bad('invalid named port', 'test/customer1', 'use at most 15 lower-case letters, digits and single "-"',
    c => new TenantNamespace(c, 'customer1').connections.allowFrom(Peer.namespaceNamed('monitoring'), Port.named('Metrics_Port'))),
  bad('no port given', 'test/customer1', 'pass Port.allTraffic() to allow every port and protocol',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(Peer.namespaceNamed('shared'))),
  bad('something that is not a peer', 'test/customer1', 'pass a bundle, a zone, bundle.pods({...}) or a Peer',
    c => new TenantNamespace(c, 'customer1').connections.allowTo(undefined as any, Port.tcp(80))),

  // Duplicates and zones
  bad('namespace managed by two bundles', 'test/team-x', 'give each bundle its own namespace name',
    c => {
      new TenantNamespace(c, 'shared');
      return new TeamNamespace(c, 'team-x', { namespaceName: 'shared' });
    }),
  bad('namespace in a zone and a tenant', 'test/web/shop', 'give each bundle its own namespace name',
    c => {
      new TenantNamespace(c, 'shop');
      return new SecurityZone(c, 'web', { exposure: Exposure.INTERNAL, namespaces: ['shop'] });
    }),
  bad('namespace listed twice in a zone', 'test/web', 'list each member once',
    c => new SecurityZone(c, 'web', { exposure: Exposure.INTERNAL, namespaces: ['shop', 'cart', 'shop'] })),
  bad('zone with an empty namespace name', 'test/web', 'give every member namespace a name such as "storefront"',
    c => new SecurityZone(c, 'web', { exposure: Exposure.INTERNAL, namespaces: ['shop', ''] })),
  bad('zone without namespaces', 'test/web', 'list them in namespaces',
    c => new SecurityZone(c, 'web', { exposure: Exposure.INTERNAL, namespaces: [] })),
  bad('internet zone without internetPorts', 'test/dmz', 'internetPorts: [Port.tcp(8443)]',
    c => new SecurityZone(c, 'dmz', { exposure: Exposure.INTERNET, namespaces: ['storefront'] })),
  bad('internetPorts on an internal zone', 'test/auth', 'remove internetPorts or use Exposure.INTERNET',
    c => new SecurityZone(c, 'auth', { exposure: Exposure.INTERNAL, namespaces: ['identity'], internetPorts: [Port.tcp(443)] })),
  bad('operations zone without operationsPorts', 'test/ops', 'operationsPorts: [Port.named("metrics")]',
    c => new SecurityZone(c, 'ops', { exposure: Exposure.OPERATIONS, namespaces: ['observability'] })),
  bad('operationsPorts on an internal zone', 'test/auth', 'remove operationsPorts or use Exposure.OPERATIONS',
    c => new SecurityZone(c, 'auth', { exposure: Exposure.INTERNAL, namespaces: ['identity'], operationsPorts: [Port.named('metrics')] })),
  bad('every port as operationsPorts', 'test/ops', 'list the ports the tools use, for example Port.named("metrics")',
    c => new SecurityZone(c, 'ops', { exposure: Exposure.OPERATIONS, namespaces: ['observability'], operationsPorts: [Port.allTraffic()] })),
  bad('unknown exposure', 'test/auth', 'use Exposure.INTERNET, INTERNAL, RESTRICTED or OPERATIONS',
    c => new SecurityZone(c, 'auth', { exposure: 'public' as any, namespaces: ['identity'] })),
  bad('member() of a namespace outside the zone', 'test/auth', 'use one of "identity"',
    c => new SecurityZone(c, 'auth', { exposure: Exposure.INTERNAL, namespaces: ['identity'] }).member('billing')),

  // Pod Security and enforcement
  bad('Pod Security version without "v"', 'test/team-a', 'did you mean "v1.30"?',
    c => new TeamNamespace(c, 'team-a', { podSecurityVersion: '1.30' })),
  bad('Pod Security version of another major', 'test/team-a', 'use "v1.<minor>" such as "v1.35", or "latest"',
    c => new TeamNamespace(c, 'team-a', { podSecurityVersion: 'v2.0' })),
  bad('unknown Pod Security level', 'test/team-a', 'use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED',
    c => new TeamNamespace(c, 'team-a', { podSecurity: 'strict' as any })),
  bad('unknown enforcement', 'test/team-a', 'use Enforcement.ENFORCE or MONITOR',
    c => new TeamNamespace(c, 'team-a', { enforcement: 'enforced' as any })),

  // Findings and acknowledgements
  bad('acknowledge() of an unknown rule', 'test/customer1', 'use one of "cross-tenant-flow", "privileged-pod-security"',
    c => new TenantNamespace(c, 'customer1').acknowledge('cross-tenant', 'billing reads invoices by contract')),
  bad('acknowledge() with a short reason', 'test/customer1', 'write down why the finding is acceptable',
    c => new TenantNamespace(c, 'customer1').acknowledge('cross-tenant-flow', 'ok')),
  bad('acknowledge() with a blank reason', 'test/customer1', 'needs a reason of at least 10 characters',
    c => new TenantNamespace(c, 'customer1').acknowledge('cross-tenant-flow', '            ')),

  // RBAC subjects
  bad('subject granted two access levels', 'test/team-a', 'list each subject under one access level',
    c => new TeamNamespace(c, 'team-a', { admins: [Subject.group('team-a')], viewers: [Subject.group('team-a')] })),
  bad('service account granted two levels, once with its namespace spelled out', 'test/team-a', 'ServiceAccount "ci" is granted both admin and view; list each subject under one access level',
    c => new TeamNamespace(c, 'team-a', { admins: [Subject.serviceAccount('ci')], viewers: [Subject.serviceAccount('ci', 'team-a')] })),
  bad('invalid service account name', 'test/team-a', 'it must consist of lower-case letters, digits, "-" and "."',
    c => new TeamNamespace(c, 'team-a', { editors: [Subject.serviceAccount('CI_Bot')] })),
  bad('invalid service account namespace', 'test/team-a', 'service account namespace "CI" is invalid',
    c => new TeamNamespace(c, 'team-a', { editors: [Subject.serviceAccount('ci', 'CI')] })),
  bad('empty user name', 'test/team-a', 'give the user name',
    c => new TeamNamespace(c, 'team-a', { viewers: [Subject.user('')] })),

  // Cluster profile
  bad('NodeLocal DNS address given as a CIDR', 'test/cluster', 'give the address alone, for example "169.254.20.10"',
    c => new ClusterProfile(c, 'cluster', { dns: ClusterDns.nodeLocal('169.254.20.10/32') })),
  bad('octal-looking pod CIDR', 'test/cluster', 'podCidrs: "012.0.0.0/8" is not a CIDR block; write it as address/prefix in canonical form',
    c => new ClusterProfile(c, 'cluster', { podCidrs: ['012.0.0.0/8'] })),
  bad('service CIDR with host bits', 'test/cluster', 'did you mean "10.96.0.0/12"?',
    c => new ClusterProfile(c, 'cluster', { serviceCidrs: ['10.96.0.1/12'] })),
  bad('NodeLocal DNS address that is not an address', 'test/cluster', 'give the address alone, for example "169.254.20.10"',
    c => new ClusterProfile(c, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal('node-local') })),
  bad('kube-dns with empty pod labels', 'test/cluster', 'give the DNS pods\' labels such as { "k8s-app": "kube-dns" }',
    c => new ClusterProfile(c, 'cluster', { dns: ClusterDns.kubeDns({ podLabels: {} }) })),
  bad('apiServer that is not an IP block', 'test/cluster', 'apiServer must be an IP block such as Peer.ipv4("10.0.0.1/32")',
    c => new ClusterProfile(c, 'cluster', { apiServer: Peer.namespaceNamed('kube-system') })),
  bad('cluster profile with a bad Pod Security version', 'test/cluster', 'did you mean "v1.29"?',
    c => new ClusterProfile(c, 'cluster', { podSecurityVersion: '1.29' })),
  bad('cluster profile with a bad monitoring peer', 'test/cluster', 'did you mean "10.0.0.0/16"?',
    c => new ClusterProfile(c, 'cluster', { monitoring: Peer.ipv4('10.0.1.0/16') })),
  bad('ingressController used but not declared', 'test/cluster', 'pass ingressController: Peer.pods("ingress-nginx"',
    c => new ClusterProfile(c, 'cluster').ingressController),
  bad('monitoring used but not declared', 'test/cluster', 'pass monitoring: Peer.namespaceNamed("monitoring") to the ClusterProfile',
    c => new ClusterProfile(c, 'cluster').monitoring),
  bad('apiServer used but not declared', 'test/cluster', 'pass apiServer: Peer.ipv4("10.0.0.1/32") to the ClusterProfile',
    c => new ClusterProfile(c, 'cluster').apiServer),
  bad('numbered monitoring port', 'test/cluster', 'list the container port names monitoring scrapes, for example [Port.named("metrics")]',
    c => new ClusterProfile(c, 'cluster', { monitoringPorts: [Port.tcp(9090)] })),

  // Workloads named in flows
  bad('pods of a workload of another namespace', 'test/customer1', 'set its metadata.namespace to "customer1"',
    c => new TenantNamespace(c, 'customer1').podsOf(new kplus.Deployment(c, 'api', { metadata: { namespace: 'customer2' }, containers: [{ image: 'api' }] }))),
  bad('pods of something that runs no pods', 'test/customer1', 'pass a workload whose pod template carries labels',
    c => new TenantNamespace(c, 'customer1').podsOf(new kplus.ConfigMap(c, 'config', { metadata: { namespace: 'customer1' } }))),
  bad('ports of a workload without container ports', 'test/api', 'declare the ports on its containers',
    c => Port.ofWorkload(new kplus.Deployment(c, 'api', { metadata: { namespace: 'customer1' }, containers: [{ image: 'api' }] }))),

  // Posture refusals
  bad('egress from a restricted zone', 'test/data', 'let the other side call into this zone',
    c => new SecurityZone(c, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] })
      .connections.allowTo(Peer.ipv4('10.20.0.0/16'), Port.tcp(443))),
  bad('ingress into a restricted zone from a tenant', 'test/customer1', 'declare the client as a SecurityZone and allow the flow from it',
    c => {
      const data = new SecurityZone(c, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] });
      return new TenantNamespace(c, 'customer1').connections.allowTo(data, Port.tcp(5432));
    }),
  bad('internal zone talking to the internet', 'test/auth', 'use Exposure.INTERNET for internet-facing namespaces',
    c => new SecurityZone(c, 'auth', { exposure: Exposure.INTERNAL, namespaces: ['identity'] })
      .connections.allowTo(Peer.internet(), Port.tcp(443))),
  bad('monitoring into a restricted zone on a numbered port', 'test/data', 'scrape the named ports of test/cluster\'s monitoringPorts',
    c => {
      const cluster = new ClusterProfile(c, 'cluster', { monitoring: Peer.namespaceNamed('monitoring') });
      const data = new SecurityZone(c, 'data', { cluster, exposure: Exposure.RESTRICTED, namespaces: ['orders-db'] });
      return data.connections.allowFrom(cluster.monitoring, Port.tcp(9090));
    }),
  bad('team-to-team flow allowing all traffic', 'test/team-a', 'declare team-to-team flows per service and port',
    c => {
      const b = new TeamNamespace(c, 'team-b');
      return new TeamNamespace(c, 'team-a').connections.allowTo(b, Port.allTraffic());
    }),

  // Synth-time findings (reported by the validation, through cdk8s)
  bad('cross-tenant flow at synth', 'test/customer1', 'acknowledge cross-tenant-flow for "customer2" on tenant "customer1" with the reason these tenants may talk',
    c => {
      const one = new TenantNamespace(c, 'customer1');
      const two = new TenantNamespace(c, 'customer2');
      one.connections.allowTo(two, Port.tcp(8080));
      two.acknowledge('cross-tenant-flow', 'customer2 serves customer1 by contract', { appliesTo: ['customer1'] });
      return Testing.synth(c);
    }),
  bad('blanket cross-tenant acknowledgement', 'test/customer2', 'acknowledge("cross-tenant-flow", "customer2 serves everyone", { appliesTo: ["customer2"] })',
    c => new TenantNamespace(c, 'customer2').acknowledge('cross-tenant-flow', 'customer2 serves everyone')),
  bad('two reasons for the same acknowledgement', 'test/customer2', 'acknowledge each rule and target once',
    c => {
      const two = new TenantNamespace(c, 'customer2');
      two.acknowledge('cross-tenant-flow', 'customer2 serves customer1 by contract', { appliesTo: ['customer1'] });
      two.acknowledge('cross-tenant-flow', 'a different story about customer1', { appliesTo: ['customer1'] });
    }),
  bad('acknowledgement of a workload rule on a bundle', 'test/customer1', 'acknowledge it on the Pod, Deployment',
    c => {
      new TenantNamespace(c, 'customer1').acknowledge('pod-security', 'legacy images being migrated');
      return Testing.synth(c);
    }),
  bad('a NamespaceBundle claimed outside the profiles', 'test/claimed', 'create a TenantNamespace, a TeamNamespace or a SecurityZone',
    c => new (class extends NamespaceBundle {
      constructor() {
        super(c, 'claimed', { namespaceName: 'claimed' });
      }
    })()),
  bad('privileged team at synth', 'test/platform', 'acknowledge why this namespace needs privileged pods',
    c => {
      new TeamNamespace(c, 'platform', { podSecurity: PodSecurityLevel.PRIVILEGED });
      return Testing.synth(c);
    }),
  bad('privileged bundle at synth', 'test/node-agents', 'PodSecurityLevel.BASELINE or RESTRICTED',
    c => {
      new TeamNamespace(c, 'node-agents', {
        namespaceName: 'node-agents',
        teamName: 'infra',
        podSecurity: PodSecurityLevel.PRIVILEGED,
        viewers: [Subject.group('infra')],
        enforcement: Enforcement.ENFORCE,
      });
      return Testing.synth(c);
    }),
];

function errorFor(input: BadInput): Error {
  const { chart } = newChart();
  return thrownBy(() => input.build(chart));
}

function messageOf(input: BadInput): string {
  return errorFor(input).message;
}

describe('bad input is rejected with the construct path and the fix', () => {
  test('the table covers at least 35 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  test.each(cases)('%s', (_name, input) => {
    const message = messageOf(input);
    expect(message).toContain(`[${input.path}]`);
    if (typeof input.fix === 'string') {
      expect(message).toContain(input.fix);
    } else {
      expect(message).toMatch(input.fix);
    }
  });
});

describe('messages read like advice, not crashes', () => {
  test.each(cases)('%s: no stack trace or TypeError', (_name, input) => {
    const error = errorFor(input);
    expect(error.constructor).toBe(Error);
    const message = String(error);
    expect(message).not.toContain('at Object.');
    expect(message).not.toContain('TypeError');
    expect(message).not.toMatch(/\n\s+at /);
    expect(message).not.toMatch(/undefined is not|Cannot read propert/);
  });

  test('cross-tenant findings are listed by cdk8s validation as "[path] rule: message"', () => {
    const input = cases.find(([name]) => name === 'cross-tenant flow at synth')![1];
    const message = messageOf(input);
    expect(message).toMatch(/^Validation failed with the following errors:/);
    expect(message).toContain('[test/customer1] cross-tenant-flow: tenant namespace "customer1" sends traffic to tenant namespace "customer2" (policy allow-to-customer2)');
    // customer2 acknowledged its side, so only customer1 is reported.
    expect(message).not.toContain('[test/customer2]');
  });
});

// The rules that close the gaps a tenant could use to leave its namespace: external IPs,
// ExternalName Services, Ingress hosts, RoleBinding subjects, API tokens, old Pod Security
// versions, port-less team flows and monitored tenants. Each attack fails synthesis; each
// acknowledgement accepts only what it names.
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { restrictedDeployment } from '../../examples/workloads';
import {
  Enforcement, Findings, FindingSeverity, Peer, Port, RuleId, TeamNamespace, TenantNamespace,
} from '../../src';
import { ClusterModel } from '../../src/model/cluster-model';
import { evaluateRules } from '../../src/rules/evaluate';
import { Rule } from '../../src/rules/rule';
import { errorOf, findObject, namespaceOf, newChart, synthValid } from '../helpers';
import { ingress, SCENARIOS } from './scenarios';

/** The synth error lines, without cdk8s's heading and the guard's prefix. */
function synthErrors(chart: Chart): string[] {
  return errorOf(() => Testing.synth(chart)).split('\n').slice(1).map(l => l.trim().replace(/^\[namespace-guard\] /, ''));
}

/** `rule kind/namespace/name [target]` of every finding, acknowledged ones marked. */
function summary(chart: Chart): string[] {
  Findings.silence(chart);
  return Findings.of(chart).map(f => `${f.ruleId} ${f.objectKind}/${f.namespaceName}/${f.objectName}${f.target ? ` [${f.target}]` : ''}`
    + `${f.acknowledgedReason ? ' (acknowledged)' : ''}`);
}

describe('service-external-ips', () => {
  test('a Service with externalIPs in a tenant fails synthesis (CVE-2020-8554)', () => {
    const { chart } = newChart();
    SCENARIOS['service-external-ips: a Service with externalIPs in a tenant'](chart);
    expect(synthErrors(chart)).toEqual([
      '[test/intercept] service-external-ips: Service "intercept" in namespace "customer1" sets spec.externalIPs (203.0.113.10): every node then '
      + 'sends traffic for those addresses to its pods, so it can intercept traffic meant for any address it names (CVE-2020-8554). '
      + 'Fix: remove spec.externalIPs and expose the Service through the ingress controller (or a LoadBalancer the quota allows); '
      + 'cluster-wide, turn on the DenyServiceExternalIPs admission plugin',
    ]);
  });

  test('acknowledged on the Service, it is written there and no longer fails', () => {
    const { chart } = newChart();
    SCENARIOS['service-external-ips: a Service with externalIPs in a tenant'](chart);
    Findings.acknowledge(chart.node.findChild('intercept'), RuleId.SERVICE_EXTERNAL_IPS, 'the address is reserved for this tenant by the network team');
    const service = findObject(synthValid(chart), 'Service', 'customer1', 'intercept');
    expect(service.metadata.annotations).toEqual({
      'namespace-guard.dev/acknowledged': 'service-external-ips: the address is reserved for this tenant by the network team',
    });
  });

  test('unmanaged namespaces are not checked', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    new kplus.k8s.KubeService(chart, 'lb', {
      metadata: { name: 'lb', namespace: 'ingress-nginx' },
      spec: { selector: { app: 'nginx' }, ports: [{ port: 443 }], externalIPs: ['203.0.113.10'] },
    });
    expect(summary(chart)).toEqual([]);
  });
});

describe('service-external-name', () => {
  test('an ExternalName to another tenant\'s Service says so; one to an outside name fails too', () => {
    const { chart } = newChart();
    SCENARIOS['service-external-name: to another tenant\'s Service and to an outside name'](chart);
    const errors = synthErrors(chart);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBe('[test/customer1-peek] service-external-name: Service "peek" in namespace "customer1" is of type ExternalName pointing to '
      + '"api.customer2.svc.cluster.local", a Service of namespace "customer2": an ingress controller or proxy that follows it forwards traffic into '
      + '"customer2" with its own network access, past the flows both namespaces declare (the class of CVE-2021-25740). '
      + 'Fix: call the other namespace\'s Service directly and declare the flow to "customer2" (connections.allowTo), or acknowledge it on the Service');
    expect(errors[1]).toContain('Service "partner" in namespace "customer1" is of type ExternalName pointing to "api.partner.example.com": ');
  });

  test('a short .svc name of another namespace is recognised too', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'team');
    new kplus.k8s.KubeService(chart, 'alias', { metadata: { name: 'alias', namespace: 'team' }, spec: { type: 'ExternalName', externalName: 'vault.secrets.svc' } });
    expect(synthErrors(chart)[0]).toContain('pointing to "vault.secrets.svc", a Service of namespace "secrets"');
  });
});

describe('ingress-host', () => {
  test('an undeclared host and a rule without a host fail; the declared host passes', () => {
    const { chart } = newChart();
    SCENARIOS['ingress-host: an undeclared host and a catch-all Ingress'](chart);
    expect(synthErrors(chart)).toEqual([
      '[test/customer1-steal] ingress-host: Ingress "steal" in namespace "customer1" claims "login.example.com", which the namespace does not declare '
      + '(it declares customer1.example.com). Fix: use a declared host, or declare it in the bundle\'s ingressHosts (the Namespace\'s '
      + 'namespace-guard.dev/ingress-hosts annotation)',
      '[test/customer1-catch-all] ingress-host: Ingress "catch-all" in namespace "customer1" has a rule without a host or a default backend, so it '
      + 'claims every host name the ingress controller serves. Fix: give every rule a host the namespace declares (it declares customer1.example.com) '
      + 'and remove spec.defaultBackend',
    ]);
  });

  test('a namespace that declares no host may claim none', () => {
    const { chart } = newChart();
    SCENARIOS['ingress-host: an Ingress in a namespace that declares no host'](chart);
    expect(synthErrors(chart)).toEqual([expect.stringContaining('claims "team.example.com", which the namespace does not declare (it declares none)')]);
  });

  test('a wildcard covers one label; TLS hosts are checked too', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { ingressHosts: ['*.customer1.example.com'] });
    ingress(chart, 'customer1', 'ok', ['shop.customer1.example.com', '*.customer1.example.com']);
    ingress(chart, 'customer1', 'deep', ['a.b.customer1.example.com']);
    ingress(chart, 'customer1', 'apex', ['customer1.example.com']);
    const tls = ingress(chart, 'customer1', 'tls', ['shop.customer1.example.com']);
    tls.addJsonPatch(JsonPatch.add('/spec/tls', [{ hosts: ['bank.example.com'], secretName: 'bank-tls' }]));
    expect(summary(chart)).toEqual([
      'ingress-host Ingress/customer1/deep',
      'ingress-host Ingress/customer1/apex',
      'ingress-host Ingress/customer1/tls',
    ]);
    expect(Findings.of(chart)[2].message).toContain('claims "bank.example.com"');
  });

  test('a default backend claims every host', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { ingressHosts: ['customer1.example.com'] });
    new kplus.k8s.KubeIngress(chart, 'default', {
      metadata: { name: 'default', namespace: 'customer1' },
      spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
    });
    expect(summary(chart)).toEqual(['ingress-host Ingress/customer1/default']);
  });
});

describe('ingress-host-conflict', () => {
  test('a tenant\'s host claimed from an unmanaged namespace is reported on both Ingresses, naming the other namespace', () => {
    const { chart } = newChart();
    SCENARIOS['ingress-host-conflict: a tenant\'s host claimed from an unmanaged namespace'](chart);
    expect(summary(chart)).toEqual([
      'ingress-host-conflict Ingress/customer1/shop [legacy]',
      'ingress-host-conflict Ingress/legacy/takeover [customer1]',
    ]);
    expect(Findings.of(chart)[1].message).toBe('Ingress "takeover" in namespace "legacy" claims "shop.example.com", which Ingresses of namespace '
      + '"customer1" claim too: the ingress controller merges them, so either namespace can take over the other\'s traffic');
  });

  test('two Ingresses of one namespace may share a host', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { ingressHosts: ['shop.example.com'] });
    ingress(chart, 'customer1', 'web', ['shop.example.com']);
    ingress(chart, 'customer1', 'api', ['shop.example.com']);
    expect(summary(chart)).toEqual([]);
  });
});

describe('role-binding-subject', () => {
  test('broad system groups, a service account user and another tenant\'s service account fail; a GitOps controller\'s is allowed', () => {
    const { chart } = newChart();
    SCENARIOS['role-binding-subject: broad system groups and another tenant\'s service account'](chart);
    expect(summary(chart)).toEqual([
      'role-binding-subject RoleBinding/customer1/everyone [system:authenticated]',
      'role-binding-subject RoleBinding/customer1/everyone [system:serviceaccounts:customer2]',
      'role-binding-subject RoleBinding/customer1/everyone [system:serviceaccount:customer2:api]',
      'role-binding-subject RoleBinding/customer1/everyone [system:serviceaccount:customer2:api]',
    ]);
    const messages = Findings.of(chart).map(f => f.message);
    expect(messages[0]).toBe('RoleBinding "everyone" in namespace "customer1" grants Role "namespace-guard-view" to Group "system:authenticated", '
      + 'which is every authenticated user and service account of the cluster');
    expect(messages[3]).toContain('to service account "api" of namespace "customer2", another managed namespace');
    expect(Findings.of(chart)[3].fix).toContain('service accounts of unmanaged namespaces, such as a GitOps controller\'s, are allowed');
  });

  test('a bundle granting another tenant\'s service account fails synthesis', () => {
    const { chart } = newChart();
    SCENARIOS['role-binding-subject: a bundle granting another tenant\'s service account'](chart);
    expect(synthErrors(chart)).toEqual([expect.stringMatching(
      /^\[test\/customer1\] role-binding-subject: RoleBinding "namespace-guard-edit" in namespace "customer1" grants Role "namespace-guard-edit" to service account "deployer" of namespace "customer2"/,
    )]);
  });

  test('an acknowledgement accepts only the subjects it names', () => {
    const { chart } = newChart();
    SCENARIOS['role-binding-subject: broad system groups and another tenant\'s service account'](chart);
    Findings.acknowledge(chart.node.findChild('everyone'), RuleId.ROLE_BINDING_SUBJECT, 'customer2 support staff read customer1 by contract',
      { appliesTo: ['system:serviceaccount:customer2:api', 'system:serviceaccounts:customer2'] });
    expect(summary(chart).filter(s => !s.endsWith('(acknowledged)'))).toEqual(['role-binding-subject RoleBinding/customer1/everyone [system:authenticated]']);
  });
});

describe('service-account-token', () => {
  test('a token Secret, a pod that automounts, a projected token and an automounting ServiceAccount fail; the declared account passes', () => {
    const { chart } = newChart();
    SCENARIOS['service-account-token: a token Secret, mounted tokens and an automounting ServiceAccount'](chart);
    expect(summary(chart)).toEqual([
      'service-account-token Secret/customer1/ci-token',
      'service-account-token ServiceAccount/customer1/ci',
      'service-account-token Pod/customer1/automount',
      'service-account-token Pod/customer1/projected',
    ]);
    const [secret, account, automount, projected] = Findings.of(chart);
    expect(secret.message).toBe('Secret "ci-token" in namespace "customer1" is a long-lived service-account token (type '
      + 'kubernetes.io/service-account-token): it never expires, and whoever can read Secrets in the namespace can use it');
    expect(account.fix).toBe('set automountServiceAccountToken: false, or list "ci" in the bundle\'s apiAccessServiceAccounts '
      + '(the Namespace\'s namespace-guard.dev/api-access-service-accounts annotation)');
    expect(automount.message).toBe('Pod "automount" in namespace "customer1" mounts an API token (spec.automountServiceAccountToken: true), '
      + 'but its service account "default" is not declared for API access');
    expect(projected.message).toContain('spec.volumes[0] projects a serviceAccountToken (volume "token")), but its service account "ci"');
  });

  test('a plain bundle, with its default ServiceAccount, has no finding', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    restrictedDeployment(chart, 'customer1', { app: 'web', image: 'nginx:1.27' });
    expect(summary(chart)).toEqual([]);
  });

  test('a Deployment\'s pod template is read like a Pod', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'team', { apiAccessServiceAccounts: ['operator'] });
    const deployment = restrictedDeployment(chart, 'team', { app: 'web', image: 'nginx:1.27' });
    ApiObject.of(deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/automountServiceAccountToken', true));
    expect(summary(chart)).toEqual(['service-account-token Deployment/team/web']);
  });
});

describe('pod-security-version', () => {
  test('a team pinned at v1.24 fails; v1.25 passes', () => {
    const { chart } = newChart();
    SCENARIOS['pod-security-version: a team pinned at v1.24'](chart);
    expect(synthErrors(chart)).toEqual([
      '[test/team] pod-security-version: namespace "team" holds pods to Pod Security "restricted" at version v1.24, older than v1.25 (Pod Security '
      + 'Admission GA): that version lacks checks added since (restricted has no capability check before v1.22 and no seccomp check before v1.19), '
      + 'so it admits pods the current standard rejects. Fix: pin v1.25 or later (podSecurityVersion, or ClusterProfile\'s), or acknowledge the old '
      + 'version on the namespace with the reason',
    ]);
    const other = newChart().chart;
    new TeamNamespace(other, 'team', { podSecurityVersion: 'v1.25' });
    expect(summary(other)).toEqual([]);
  });

  test('acknowledged on the bundle, it is written on the Namespace', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'team', { podSecurityVersion: 'v1.23' }).acknowledge(RuleId.POD_SECURITY_VERSION, 'the cluster runs 1.23 until March');
    expect(namespaceOf(synthValid(chart), 'team').metadata.annotations?.['namespace-guard.dev/acknowledged'])
      .toBe('pod-security-version: the cluster runs 1.23 until March');
  });
});

describe('team-flow-ports', () => {
  test('Port.allTcp() and Port.tcpRange(1, 65535) between two teams fail on both sides', () => {
    const { chart } = newChart();
    SCENARIOS['team-flow-ports: every TCP port and a full range between teams'](chart);
    const errors = synthErrors(chart);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBe('[test/checkout] team-flow-ports: team namespace "checkout" sends traffic to team namespace "payments" on every TCP port '
      + '(policy allow-to-payments-from-web): team-to-team flows name their ports. Fix: declare the flow per service and port (for example Port.tcp(8080)), '
      + 'or acknowledge team-flow-ports for "payments" on team "checkout" with the reason');
    expect(errors.filter(e => e.includes('on port range TCP/1-65535'))).toHaveLength(2);
  });

  test('all traffic through Peer.namespaceNamed fails too (the bundle refuses it only between bundles)', () => {
    const { chart } = newChart();
    SCENARIOS['team-flow-ports: all traffic through Peer.namespaceNamed'](chart);
    expect(summary(chart)).toContain('team-flow-ports NetworkPolicy/checkout/allow-to-payments [payments]');
  });

  test('named and single ports pass; acknowledging names the other team', () => {
    const { chart } = newChart();
    const checkout = new TeamNamespace(chart, 'checkout');
    const payments = new TeamNamespace(chart, 'payments');
    checkout.connections.allowTo(payments, Port.tcp(8080), Port.named('grpc'));
    expect(summary(chart)).toEqual([]);
    checkout.connections.allowTo(payments, Port.udpRange(10000, 10100));
    checkout.acknowledge(RuleId.TEAM_FLOW_PORTS, 'media relay needs the RTP range', { appliesTo: ['payments'] });
    payments.acknowledge(RuleId.TEAM_FLOW_PORTS, 'media relay needs the RTP range', { appliesTo: ['checkout'] });
    expect(summary(chart)).toEqual([
      'team-flow-ports NetworkPolicy/checkout/allow-to-payments [payments] (acknowledged)',
      'team-flow-ports NetworkPolicy/payments/allow-from-checkout [checkout] (acknowledged)',
    ]);
  });

  test('a flow from a team to a tenant or a cluster service is not a team flow', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'checkout').connections.allowTo(Peer.namespaceNamed('monitoring'), Port.allTcp());
    new TeamNamespace(chart, 'payments');
    expect(summary(chart)).toEqual([]);
  });
});

describe('monitored-tenant', () => {
  test('a tenant in monitor mode is an error even though monitor mode makes every other finding a warning', () => {
    const { chart } = newChart();
    SCENARIOS['monitored-tenant: a tenant in monitor mode'](chart);
    restrictedDeployment(chart, 'customer1', { app: 'web', image: 'nginx:1.27' }).addContainer({ image: 'nginx:1.27', name: 'sidecar' });
    Findings.silence(chart);
    const findings = Findings.of(chart);
    expect(findings.find(f => f.ruleId === RuleId.MONITORED_TENANT)).toMatchObject({ severity: FindingSeverity.ERROR, monitored: true });
    expect(findings.filter(f => f.ruleId === RuleId.POD_SECURITY).every(f => f.severity === FindingSeverity.WARNING)).toBe(true);
    expect(synthErrors(chart)).toEqual([
      '[test/customer1] monitored-tenant: tenant namespace "customer1" is in monitor mode: Pod Security enforces baseline only, every NetworkPolicy is '
      + 'bypassed by monitor-allow-all, and its findings are only warnings, so the customer is not isolated. Fix: enforce (Enforcement.ENFORCE), '
      + 'or acknowledge it on the tenant with the reason and the date monitor mode ends',
    ]);
  });

  test('a team in monitor mode is not a finding', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'team', { enforcement: Enforcement.MONITOR });
    expect(summary(chart)).toEqual([]);
  });

  test('keeping the severity in monitor mode is a flag of the rule, not of its id', () => {
    const model = ClusterModel.fromObjects([{
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'm', labels: { 'namespace-guard.dev/enforcement': 'monitor' } },
    }]);
    const rule = (keeps: boolean): Rule => ({
      id: 'any-rule',
      severity: FindingSeverity.ERROR,
      summary: 's',
      description: 'd',
      remedy: 'r',
      securitySeverity: 1,
      acknowledgedOn: 'namespace',
      objectKinds: ['Namespace'],
      keepsSeverityInMonitorMode: keeps,
      check: m => [{ object: m.namespace('m')!.object!, namespace: 'm', message: 'x', fix: 'y' }],
    });
    expect(evaluateRules(model, [rule(true)]).map(f => f.severity)).toEqual([FindingSeverity.ERROR]);
    expect(evaluateRules(model, [rule(false)]).map(f => f.severity)).toEqual([FindingSeverity.WARNING]);
  });
});

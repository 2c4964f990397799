// What a bundle declares on its Namespace for the rules and the cluster's admission guardrails:
// Ingress hosts, API-access service accounts and Service types; and the declarations it refuses.
import { Chart } from 'cdk8s';
import {
  Exposure, NamespaceBundleOptions, Quota, SecurityZone, Subject, TeamNamespace, TenantNamespace,
} from '../../src';
import { errorOf, namespaceOf, newChart, objectsOf, synthValid } from '../helpers';

const HOSTS = 'namespace-guard.dev/ingress-hosts';
const API_ACCESS = 'namespace-guard.dev/api-access-service-accounts';
const SERVICE_TYPES = 'namespace-guard.dev/service-types';

function annotationsOf(props: NamespaceBundleOptions): { [key: string]: string } {
  const { chart } = newChart();
  new TenantNamespace(chart, 'customer1', props);
  return namespaceOf(synthValid(chart), 'customer1').metadata.annotations ?? {};
}

describe('the Namespace annotations', () => {
  test('none when nothing is declared', () => {
    expect(annotationsOf({})).toEqual({});
  });

  test('ingress hosts: comma-separated, sorted, wildcards as *.domain', () => {
    expect(annotationsOf({ ingressHosts: ['shop.example.com', '*.customer1.example.com', 'api.example.com'] })).toEqual({
      [HOSTS]: '*.customer1.example.com,api.example.com,shop.example.com',
    });
  });

  test('API-access service accounts: comma-separated, sorted', () => {
    expect(annotationsOf({ apiAccessServiceAccounts: ['operator', 'ci-deployer'] })).toEqual({ [API_ACCESS]: 'ci-deployer,operator' });
  });

  test.each([
    [{ nodePorts: 2 }, 'NodePort'],
    [{ loadBalancers: 1 }, 'LoadBalancer'],
    [{ nodePorts: 3, loadBalancers: 1 }, 'LoadBalancer,NodePort'],
  ])('service types follow the quota (%j → %s)', (values, types) => {
    expect(annotationsOf({ quota: Quota.of(values) })[SERVICE_TYPES]).toBe(types);
  });

  test('no service types when the quota allows neither node ports nor load balancers', () => {
    expect(annotationsOf({ quota: Quota.large() })[SERVICE_TYPES]).toBeUndefined();
  });

  test('the bundle exposes what it declared', () => {
    const { chart } = newChart();
    const tenant = new TenantNamespace(chart, 'customer1', { ingressHosts: ['b.example.com', 'a.example.com'], apiAccessServiceAccounts: ['ops'] });
    expect(tenant.ingressHosts).toEqual(['a.example.com', 'b.example.com']);
    expect(tenant.apiAccessServiceAccounts).toEqual(['ops']);
  });

  test('API-access service accounts are not created by the bundle: they belong to their workloads', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { apiAccessServiceAccounts: ['operator'] });
    expect(objectsOf(synthValid(chart), 'ServiceAccount').map(o => o.metadata.name)).toEqual(['default']);
  });

  test('the bundle\'s default ServiceAccount does not mount its token', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    expect(objectsOf(synthValid(chart), 'ServiceAccount', 'customer1')[0].automountServiceAccountToken).toBe(false);
  });
});

describe('refused declarations', () => {
  const invalid = (props: NamespaceBundleOptions) => errorOf(() => new TenantNamespace(newChart().chart, 'customer1', props));

  test.each([
    ['Shop.example.com', 'has upper-case letters; write it as "shop.example.com"'],
    ['shop.*.example.com', 'has a "*" other than a leading "*." wildcard'],
    ['10.0.0.1', 'is an IP address'],
    ['shop_example.com', 'is not a DNS name'],
    ['*', 'has a "*" other than a leading "*." wildcard'],
  ])('ingress host %s', (host, problem) => {
    const message = invalid({ ingressHosts: [host] });
    expect(message).toMatch(/^\[test\/customer1\] invalid tenant bundle: ingressHosts: /);
    expect(message).toContain(problem);
    expect(message).toContain('use lower-case DNS names such as "shop.example.com", or a wildcard such as "*.shop.example.com"');
  });

  test('a host listed twice', () => {
    expect(invalid({ ingressHosts: ['a.example.com', 'a.example.com'] })).toContain('ingressHosts lists "a.example.com" more than once; list each once');
  });

  test('an invalid service account name', () => {
    expect(invalid({ apiAccessServiceAccounts: ['CI Deployer'] })).toContain('apiAccessServiceAccounts: it must consist of lower-case letters');
  });

  test('two bundles declaring the same host: the error names both', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { ingressHosts: ['shop.example.com'] });
    expect(errorOf(() => new TenantNamespace(chart, 'customer2', { ingressHosts: ['shop.example.com'] }))).toBe(
      '[test/customer2] ingressHosts declares "shop.example.com" of test/customer1 (namespace "customer1"): two namespaces claiming one host '
      + 'can take over each other\'s traffic. Fix: give the host to one bundle only, or use distinct names (for example "customer2.shop.example.com")');
  });

  test.each([
    ['*.example.com', 'shop.example.com'],
    ['shop.example.com', '*.example.com'],
  ])('a wildcard overlapping a host of another bundle (%s, then %s)', (first, second) => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { ingressHosts: [first] });
    const message = errorOf(() => new TeamNamespace(chart, 'team', { ingressHosts: [second] }));
    expect(message).toContain(`[test/team] ingressHosts declares "${second}", which overlaps "${first}" of test/customer1`);
  });

  test('a wildcard covers one label only: *.example.com and a.b.example.com do not overlap', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1', { ingressHosts: ['*.example.com'] });
    new TenantNamespace(chart, 'customer2', { ingressHosts: ['a.b.example.com', 'example.com'] });
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });

  test('the members of one zone share its hosts', () => {
    const { chart } = newChart();
    const zone = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['shop', 'cart'], ingressHosts: ['shop.example.com'] });
    expect(zone.members.map(m => m.ingressHosts)).toEqual([['shop.example.com'], ['shop.example.com']]);
    expect(errorOf(() => new TenantNamespace(chart, 'customer1', { ingressHosts: ['shop.example.com'] }))).toContain('of test/web/shop');
  });
});

describe('broad system subjects are refused at construction, not acknowledgeable', () => {
  const grant = (chart: Chart, props: NamespaceBundleOptions) => errorOf(() => new TeamNamespace(chart, 'team', props));

  test.each([
    ['viewers', 'Group', 'system:authenticated', 'every authenticated user and service account of the cluster'],
    ['viewers', 'Group', 'system:unauthenticated', 'every unauthenticated request'],
    ['editors', 'User', 'system:anonymous', 'every anonymous request'],
    ['editors', 'Group', 'system:serviceaccounts', 'every service account of the cluster'],
    ['admins', 'Group', 'system:masters', 'the cluster administrators'],
    ['admins', 'Group', 'system:nodes', 'every node\'s kubelet'],
    ['viewers', 'Group', 'system:serviceaccounts:payments', 'every service account of namespace "payments"'],
  ] as const)('%s: %s "%s"', (prop, kind, name, what) => {
    const subject = kind === 'Group' ? Subject.group(name) : Subject.user(name);
    const message = grant(newChart().chart, { [prop]: [subject] });
    expect(message).toMatch(/^\[test\/team\] invalid team bundle: /);
    expect(message).toContain(`${prop} grants ${kind} "${name}", which is ${what}`);
    expect(message).toContain('grant the real group of the people who need it instead, for example Subject.group("team-a-developers")');
  });

  test('a service account spelled as a user of another namespace: the fix names the ServiceAccount subject', () => {
    const message = grant(newChart().chart, { admins: [Subject.user('system:serviceaccount:argocd:deployer')] });
    expect(message).toContain('admins grants User "system:serviceaccount:argocd:deployer", which is service account "deployer" of namespace "argocd"');
    expect(message).toContain('grant the service account itself: Subject.serviceAccount("deployer", "argocd")');
  });

  test('the service accounts of the namespace itself are its own', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'team', {
      viewers: [Subject.group('system:serviceaccounts:team'), Subject.user('system:serviceaccount:team:dashboard')],
      editors: [Subject.serviceAccount('deployer', 'argocd')],
    });
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });
});

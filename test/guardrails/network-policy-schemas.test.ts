// The schemas of test/schemas/ are not vacuous: each accepts what the guardrails write and refuses
// the mistakes the network-policy-api CRDs refuse (and the few stricter checks they document).
import { ClusterGuardrails, ClusterNetworkPolicyApi, Exposure, Findings, SecurityZone, Subject, TenantNamespace } from '../../src';
import { K8sObject, newChart, synthValid } from '../helpers';
import { isCidr, schemaProblems } from '../schema';

function written(api: ClusterNetworkPolicyApi): K8sObject[] {
  const { chart } = newChart();
  Findings.silence(chart);
  new ClusterGuardrails(chart, 'guardrails', { platformAdmins: [Subject.group('admins')], networkPolicyApi: api });
  new TenantNamespace(chart, 'a');
  new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['db'] });
  return synthValid(chart).filter(o => o.apiVersion.startsWith('policy.networking.k8s.io/'));
}

const v1alpha2 = written(ClusterNetworkPolicyApi.V1ALPHA2);
const v1alpha1 = written(ClusterNetworkPolicyApi.V1ALPHA1);

/** A copy of the written policy `name` changed by `change`. */
function mutated(objects: K8sObject[], name: string, change: (o: any) => void): any {
  const copy = JSON.parse(JSON.stringify(objects.find(o => o.metadata.name === name)));
  change(copy);
  return copy;
}

const peers = (n: number) => Array.from({ length: n }, (_, i) => ({ namespaces: { matchLabels: { team: `t${i}` } } }));
const rules = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `r${i}`, action: 'Deny', to: [{ namespaces: {} }] }));

describe('the network-policy-api schemas', () => {
  test('accept every policy the guardrails write, in both versions', () => {
    expect([...v1alpha2, ...v1alpha1].map(o => o.kind).sort()).toEqual([
      'AdminNetworkPolicy', 'AdminNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy',
      'ClusterNetworkPolicy', 'ClusterNetworkPolicy', 'ClusterNetworkPolicy', 'ClusterNetworkPolicy',
    ]);
    expect([...v1alpha2, ...v1alpha1].flatMap(schemaProblems)).toEqual([]);
  });

  describe('ClusterNetworkPolicy v1alpha2 refuses', () => {
    const cases: Array<[string, string, (o: any) => void, RegExp]> = [
      ['a priority above 1000', 'namespace-guard-metadata', o => { o.spec.priority = 1001; }, /\/spec\/priority must be <= 1000/],
      ['a negative priority', 'namespace-guard-metadata', o => { o.spec.priority = -1; }, /\/spec\/priority must be >= 0/],
      ['no priority', 'namespace-guard-metadata', o => { delete o.spec.priority; }, /\/spec must have required property 'priority'/],
      ['an unknown tier', 'namespace-guard-metadata', o => { o.spec.tier = 'Developer'; }, /\/spec\/tier must be equal to one of the allowed values/],
      ['the v1alpha1 action Allow', 'namespace-guard-baseline', o => { o.spec.egress[0].action = 'Allow'; }, /\/spec\/egress\/0\/action must be equal to one of the allowed values/],
      ['a subject with two selectors', 'namespace-guard-isolation-a', o => {
        o.spec.subject.pods = { podSelector: {} };
      }, /\/spec\/subject must NOT have more than 1 properties/],
      ['an empty subject', 'namespace-guard-isolation-a', o => { o.spec.subject = {}; }, /\/spec\/subject must NOT have fewer than 1 properties/],
      ['a peer with two selectors', 'namespace-guard-isolation-a', o => {
        o.spec.ingress[0].from[0].pods = { podSelector: {} };
      }, /\/spec\/ingress\/0\/from\/0 must NOT have more than 1 properties/],
      ['networks in an ingress peer', 'namespace-guard-isolation-a', o => {
        o.spec.ingress[0].from = [{ networks: ['10.0.0.0/8'] }];
      }, /\/spec\/ingress\/0\/from\/0 must NOT have additional properties/],
      ['a rule without peers', 'namespace-guard-isolation-a', o => { o.spec.ingress[0].from = []; }, /\/spec\/ingress\/0\/from must NOT have fewer than 1 items/],
      ['26 peers in a rule', 'namespace-guard-isolation-a', o => { o.spec.egress[0].to = peers(26); }, /\/spec\/egress\/0\/to must NOT have more than 25 items/],
      ['26 rules in a direction', 'namespace-guard-isolation-a', o => { o.spec.egress = rules(26); }, /\/spec\/egress must NOT have more than 25 items/],
      ['a rule name over 100 characters', 'namespace-guard-isolation-a', o => {
        o.spec.egress[0].name = 'x'.repeat(101);
      }, /\/spec\/egress\/0\/name must NOT have more than 100 characters/],
      ['a pods peer without a pod selector', 'namespace-guard-isolation-db', o => {
        delete o.spec.egress.find((r: any) => r.name === 'pass-dns').to[0].pods.podSelector;
      }, /must have required property 'podSelector'/],
      ['an IPv4-mapped IPv6 network, which isCIDR refuses', 'namespace-guard-metadata', o => {
        o.spec.egress[0].to[0].networks.push('::ffff:169.254.169.254/128');
      }, /\/spec\/egress\/0\/to\/0\/networks\/\d+ must pass "x-is-cidr" keyword validation/],
      ['a prefix longer than the address', 'namespace-guard-metadata', o => {
        o.spec.egress[0].to[0].networks = ['10.0.0.0/33'];
      }, /networks\/0 must pass "x-is-cidr" keyword validation/],
      ['26 networks in a peer', 'namespace-guard-metadata', o => {
        o.spec.egress[0].to[0].networks = Array.from({ length: 26 }, (_, i) => `10.0.${i}.0/24`);
      }, /networks must NOT have more than 25 items/],
      ['a port range that does not start below its end', 'namespace-guard-baseline', o => {
        o.spec.egress[0].protocols = [{ tcp: { destinationPort: { range: { start: 53, end: 53 } } } }];
      }, /\/spec\/egress\/0\/protocols\/0\/tcp\/destinationPort\/range must pass "x-start-before-end" keyword validation/],
      ['a port number and a range at once', 'namespace-guard-baseline', o => {
        o.spec.egress[0].protocols[0].udp.destinationPort.range = { start: 1, end: 2 };
      }, /destinationPort must NOT have more than 1 properties/],
      ['port 0', 'namespace-guard-baseline', o => { o.spec.egress[0].protocols[0].udp.destinationPort.number = 0; }, /number must be >= 1/],
      ['two protocols in one entry', 'namespace-guard-baseline', o => {
        o.spec.egress[0].protocols[0].tcp = { destinationPort: { number: 53 } };
      }, /protocols\/0 must NOT have more than 1 properties/],
      ['a named port towards networks', 'namespace-guard-baseline', o => {
        o.spec.egress[0].protocols = [{ destinationNamedPort: 'dns' }];
        o.spec.egress[0].to = [{ networks: ['169.254.20.10/32'] }];
      }, /\/spec\/egress\/0 must pass "x-no-named-port-with-networks" keyword validation/],
      ['the experimental nodes peer', 'namespace-guard-baseline', o => { o.spec.egress[1].to = [{ nodes: {} }]; }, /must NOT have additional properties/],
      ['an unknown field', 'namespace-guard-baseline', o => { o.spec.egress[1].log = true; }, /\/spec\/egress\/1 must NOT have additional properties/],
      ['a namespace on the cluster-scoped object', 'namespace-guard-metadata', o => { o.metadata.namespace = 'apps'; }, /\/metadata must NOT have additional properties/],
      ['a name that is not a DNS subdomain', 'namespace-guard-metadata', o => { o.metadata.name = 'Guard_Metadata'; }, /\/metadata\/name must match pattern/],
      ['In without values', 'namespace-guard-isolation-a', o => {
        o.spec.ingress[0].from[0].namespaces.matchExpressions[0].values = [];
      }, /matchExpressions\/0\/values must NOT have fewer than 1 items/],
      ['an unknown selector operator', 'namespace-guard-isolation-a', o => {
        o.spec.ingress[0].from[0].namespaces.matchExpressions[0].operator = 'Matches';
      }, /matchExpressions\/0\/operator must be equal to one of the allowed values/],
      ['a status', 'namespace-guard-metadata', o => { o.status = { conditions: [] }; }, /^[^:]+: \/ must NOT have additional properties/],
    ];
    test.each(cases)('%s', (_what, name, change, problem) => {
      const problems = schemaProblems(mutated(v1alpha2, name, change));
      expect(problems.some(p => problem.test(p))).toBe(true);
    });
  });

  describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1 refuse', () => {
    const cases: Array<[string, string, (o: any) => void, RegExp]> = [
      ['a Baseline policy not named default', 'default', o => { o.metadata.name = 'namespace-guard-baseline'; }, /\/metadata\/name must be equal to constant/],
      ['Pass in the Baseline policy', 'default', o => { o.spec.egress[1].action = 'Pass'; }, /\/spec\/egress\/1\/action must be equal to one of the allowed values/],
      ['a priority on the Baseline policy', 'default', o => { o.spec.priority = 5; }, /\/spec must NOT have additional properties/],
      ['the v1alpha2 action Accept', 'namespace-guard-metadata', o => { o.spec.egress[0].action = 'Accept'; }, /action must be equal to one of the allowed values/],
      ['a tier', 'namespace-guard-metadata', o => { o.spec.tier = 'Admin'; }, /\/spec must NOT have additional properties/],
      ['no priority on an Admin policy', 'namespace-guard-metadata', o => { delete o.spec.priority; }, /\/spec must have required property 'priority'/],
      ['a pods peer without a namespace selector', 'namespace-guard-isolation-db', o => {
        delete o.spec.egress.find((r: any) => r.name === 'pass-dns').to[0].pods.namespaceSelector;
      }, /must have required property 'namespaceSelector'/],
      ['v1alpha2 protocols', 'default', o => { o.spec.egress[0].protocols = o.spec.egress[0].ports; delete o.spec.egress[0].ports; }, /must NOT have additional properties/],
      ['a port without a protocol', 'default', o => { delete o.spec.egress[0].ports[0].portNumber.protocol; }, /must have required property 'protocol'/],
      ['an unknown protocol', 'default', o => { o.spec.egress[0].ports[0].portNumber.protocol = 'ICMP'; }, /protocol must be equal to one of the allowed values/],
      ['the experimental named port', 'default', o => { o.spec.egress[0].ports = [{ namedPort: 'dns' }]; }, /ports\/0 must NOT have additional properties/],
      ['101 rules in a direction', 'namespace-guard-isolation-a', o => { o.spec.egress = rules(101); }, /\/spec\/egress must NOT have more than 100 items/],
      ['101 peers in a rule', 'namespace-guard-isolation-a', o => { o.spec.egress[0].to = peers(101); }, /\/spec\/egress\/0\/to must NOT have more than 100 items/],
      ['an IPv4-mapped network', 'namespace-guard-metadata', o => {
        o.spec.egress[0].to[0].networks = ['::ffff:a9fe:a9fe/128'];
      }, /networks\/0 must pass "x-is-cidr" keyword validation/],
    ];
    test.each(cases)('%s', (_what, name, change, problem) => {
      const problems = schemaProblems(mutated(v1alpha1, name, change));
      expect(problems.some(p => problem.test(p))).toBe(true);
    });
  });

  test('isCIDR reads addresses as Kubernetes does', () => {
    for (const ok of ['10.0.0.0/8', '169.254.169.254/32', '0.0.0.0/0', '::/0', 'fd00:ec2::254/128', '64:ff9b::169.254.169.254/128', '10.0.0.1/8']) {
      expect([ok, isCidr(ok)]).toEqual([ok, true]);
    }
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', '010.0.0.0/8', '::ffff:169.254.169.254/128', '::ffff:a9fe:a9fe/128',
      '0:0:0:0:0:ffff:a9fe:a9fe/128', 'fe80::1%eth0/64', 'fd00::/129', 'example.com/32']) {
      expect([bad, isCidr(bad)]).toEqual([bad, false]);
    }
  });
});

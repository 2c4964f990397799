// The network-policy-api tiers in the reachability engine: Admin tier (AdminNetworkPolicy v1alpha1,
// ClusterNetworkPolicy v1alpha2 tier Admin) before the NetworkPolicies, Baseline tier
// (ClusterNetworkPolicy tier Baseline, BaselineAdminNetworkPolicy) for pods no NetworkPolicy
// isolates, per direction and per port.
import { PortSet, ReachabilityModel } from '../../../src/analysis/reachability';
import { ClusterModel } from '../../../src/model/cluster-model';
import { NAMESPACE_NAME_LABEL } from '../../../src/model/vocabulary';

const GROUP = 'policy.networking.k8s.io';

const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

function pod(key: string, labels: Record<string, string> = {}, extra: { ips?: string[]; ports?: object[]; hostNetwork?: boolean } = {}) {
  const [namespace, name] = key.split('/');
  const ips = extra.ips ?? [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { ...(extra.hostNetwork ? { hostNetwork: true } : {}), containers: [{ name: 'c', ports: extra.ports ?? [] }] },
    status: { phase: 'Running', ...(ips.length > 0 ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}) },
  };
}

const netpol = (namespace: string, name: string, spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const denyAll = (namespace: string) => netpol(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

interface Rules { readonly ingress?: object[]; readonly egress?: object[] }

const cnp = (name: string, tier: 'Admin' | 'Baseline', priority: number, subject: object, rules: Rules) =>
  ({ apiVersion: `${GROUP}/v1alpha2`, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject, ...rules } });
const anp = (name: string, priority: number, subject: object, rules: Rules) =>
  ({ apiVersion: `${GROUP}/v1alpha1`, kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, subject, ...rules } });
const banp = (subject: object, rules: Rules) =>
  ({ apiVersion: `${GROUP}/v1alpha1`, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject, ...rules } });

const inNamespace = (name: string) => ({ namespaces: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } });
const everyNamespace = { namespaces: {} };
const tcp = (port: number) => ({ tcp: { destinationPort: { number: port } } });

/** Two namespaces x and y with one pod each, x/a (10.0.1.1) and y/b (10.0.2.1, listening on http=8080). */
function twoPods(): object[] {
  return [
    ns('x', { team: 'x' }), ns('y', { team: 'y' }),
    pod('x/a', { app: 'a' }, { ips: ['10.0.1.1'] }),
    pod('y/b', { app: 'b' }, { ips: ['10.0.2.1'], ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090, protocol: 'UDP' }] }),
  ];
}

const model = (objects: object[]) => ReachabilityModel.fromObjects(objects);
const ports = (m: ReachabilityModel, from = 'x/a', to = 'y/b') => m.allowedPorts(from, to).toString();

describe('the Admin tier', () => {
  test('Deny wins over a NetworkPolicy that allows; the verdict names tier, policy, rule and priority', () => {
    const m = model([
      ...twoPods(),
      netpol('y', 'allow-all', { podSelector: {}, ingress: [{}] }),
      cnp('tenant-isolation', 'Admin', 100, inNamespace('y'), {
        ingress: [{ name: 'deny-other-tenants', action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'x' } } }] }],
      }),
    ]);
    const v = m.evaluate('x/a', 'y/b', 80);
    expect(v.allowed).toBe(false);
    expect(v.ingress).toMatchObject({
      allowed: false,
      decidedBy: 'Admin',
      isolated: true,
      isolatingPolicies: ['y/allow-all'],
      allowingRules: [],
      admin: { tier: 'Admin', action: 'Deny', policy: 'ClusterNetworkPolicy tenant-isolation', rule: 'rule deny-other-tenants', priority: 100 },
    });
    expect(v.explanation).toBe('denied: ingress to y/b is denied by the Admin tier: ClusterNetworkPolicy tenant-isolation rule deny-other-tenants (priority 100)');
    expect(v.sentences).toEqual([
      'Egress: no NetworkPolicy of namespace x selects x/a for egress, so its egress is not restricted.',
      'Ingress: the Admin tier denies TCP/80 from x/a: ClusterNetworkPolicy tenant-isolation rule deny-other-tenants (priority 100) '
        + '(Deny from namespaces team=x, on every port) is the first Admin tier rule that matches it, so no NetworkPolicy or Baseline rule is consulted.',
    ]);
  });

  test('Accept opens what the NetworkPolicies deny, but only in its direction: the other side still decides', () => {
    const accept = anp('allow-monitoring', 5, inNamespace('x'), { egress: [{ name: 'scrape', action: 'Allow', to: [inNamespace('y')] }] });
    const m = model([...twoPods(), denyAll('x'), accept]);
    const v = m.evaluate('x/a', 'y/b', 9090);
    expect(v.allowed).toBe(true);
    expect(v.egress).toMatchObject({ allowed: true, decidedBy: 'Admin', isolated: true, admin: { action: 'Accept', text: 'AdminNetworkPolicy allow-monitoring rule scrape (priority 5)' } });
    expect(v.explanation).toBe('allowed: egress from x/a is accepted by the Admin tier: AdminNetworkPolicy allow-monitoring rule scrape (priority 5); ingress to y/b is not isolated');
    // Accept on egress does not reach past the destination's own NetworkPolicies.
    const isolatedDestination = model([...twoPods(), denyAll('x'), denyAll('y'), accept]);
    const w = isolatedDestination.evaluate('x/a', 'y/b', 9090);
    expect(w.allowed).toBe(false);
    expect(w.egress.allowed).toBe(true);
    expect(w.ingress).toMatchObject({ allowed: false, decidedBy: 'NetworkPolicy' });
  });

  test('policies apply by priority, lower first, whatever their order in the input', () => {
    const deny = (priority: number) => cnp('deny', 'Admin', priority, inNamespace('y'), { ingress: [{ action: 'Deny', from: [everyNamespace] }] });
    const accept = (priority: number) => cnp('accept', 'Admin', priority, inNamespace('y'), { ingress: [{ action: 'Accept', from: [everyNamespace] }] });
    expect(model([...twoPods(), deny(20), accept(10)]).evaluate('x/a', 'y/b', 80).ingress.admin?.policy).toBe('ClusterNetworkPolicy accept');
    expect(model([...twoPods(), accept(10), deny(20)]).evaluate('x/a', 'y/b', 80).allowed).toBe(true);
    expect(model([...twoPods(), accept(30), deny(20)]).evaluate('x/a', 'y/b', 80).allowed).toBe(false);
    expect(model([...twoPods(), deny(20), accept(30)]).evaluate('x/a', 'y/b', 80).ingress.admin?.policy).toBe('ClusterNetworkPolicy deny');
  });

  test('within a policy the first rule whose peer and port match decides, per port', () => {
    const m = model([...twoPods(), denyAll('y'), cnp('ordered', 'Admin', 1, inNamespace('y'), {
      ingress: [
        { name: 'no-8080', action: 'Deny', from: [everyNamespace], protocols: [tcp(8080)] },
        { name: 'not-z', action: 'Deny', from: [inNamespace('z')] }, // matches no pod of x: skipped
        { name: 'from-x', action: 'Accept', from: [inNamespace('x')], protocols: [{ tcp: { destinationPort: { range: { start: 8000, end: 8100 } } } }] },
        { name: 'rest', action: 'Deny', from: [everyNamespace] },
      ],
    })]);
    expect(ports(m)).toBe('TCP 8000-8079, TCP 8081-8100');
    expect(m.evaluate('x/a', 'y/b', 8080).ingress.admin?.rule).toBe('rule no-8080');
    expect(m.evaluate('x/a', 'y/b', 8081).ingress.admin?.rule).toBe('rule from-x');
    expect(m.evaluate('x/a', 'y/b', 53, 'UDP').ingress.admin?.rule).toBe('rule rest');
  });

  test('Pass hands the traffic to the NetworkPolicies, which decide for a pod they isolate', () => {
    const passThenDeny = cnp('delegate', 'Admin', 10, inNamespace('y'), {
      ingress: [
        { name: 'to-owners', action: 'Pass', from: [inNamespace('x')], protocols: [tcp(80)] },
        { name: 'deny-rest', action: 'Deny', from: [everyNamespace] },
      ],
    });
    const allowing = model([...twoPods(), passThenDeny, netpol('y', 'allow-x', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] })]);
    expect(ports(allowing)).toBe('TCP 80');
    const v = allowing.evaluate('x/a', 'y/b', 80);
    expect(v.ingress).toMatchObject({ allowed: true, decidedBy: 'NetworkPolicy', allowingRules: ['y/allow-x ingress[0]'], admin: { action: 'Pass' } });
    expect(v.explanation).toBe('allowed: egress from x/a is not isolated; ingress to y/b is passed by the Admin tier: ClusterNetworkPolicy delegate rule to-owners '
      + '(priority 10) to the NetworkPolicies, and allowed by y/allow-x ingress[0]');
    expect(v.sentences[1]).toBe('Ingress: the Admin tier passes TCP/80 from x/a to the NetworkPolicies: ClusterNetworkPolicy delegate rule to-owners (priority 10) '
      + `(Pass from namespaces ${NAMESPACE_NAME_LABEL}=x, on TCP/80) is the first Admin tier rule that matches it.`);
    expect(v.sentences[2]).toMatch(/^Ingress: y\/b is isolated for ingress by y\/allow-x; TCP\/80 from x\/a is admitted by y\/allow-x ingress\[0\]/);

    const denying = model([...twoPods(), passThenDeny, denyAll('y')]);
    expect(ports(denying)).toBe('none');
    expect(denying.evaluate('x/a', 'y/b', 80).explanation).toBe('denied: ingress to y/b is passed by the Admin tier: ClusterNetworkPolicy delegate rule to-owners '
      + '(priority 10) to the NetworkPolicies, which isolate it (y/default-deny), and no ingress rule allows TCP/80 from x/a');
    // Passed, not isolated, no Baseline: allowed by default.
    const open = model([...twoPods(), passThenDeny]);
    expect(ports(open)).toBe('TCP 80');
    expect(open.evaluate('x/a', 'y/b', 80).explanation).toBe('allowed: egress from x/a is not isolated; ingress to y/b is passed by the Admin tier: '
      + 'ClusterNetworkPolicy delegate rule to-owners (priority 10) to the NetworkPolicies, none of which isolates it');
  });

  test('Pass skips the rest of the Admin tier only: lower-precedence Admin policies no longer see the passed ports', () => {
    const m = model([
      ...twoPods(),
      anp('pass-web', 1, inNamespace('y'), { ingress: [{ action: 'Pass', from: [everyNamespace], ports: [{ portNumber: { port: 80 } }] }] }),
      anp('deny-all', 2, inNamespace('y'), { ingress: [{ action: 'Deny', from: [everyNamespace] }] }),
    ]);
    expect(ports(m)).toBe('TCP 80');
  });

  test('the two API versions make one Admin tier ordered by priority', () => {
    const v1 = (priority: number) => anp('old', priority, inNamespace('y'), { ingress: [{ action: 'Deny', from: [everyNamespace] }] });
    const v2 = (priority: number) => cnp('new', 'Admin', priority, inNamespace('y'), { ingress: [{ action: 'Accept', from: [everyNamespace] }] });
    expect(model([...twoPods(), denyAll('y'), v1(5), v2(10)]).evaluate('x/a', 'y/b', 80).ingress.admin?.text).toBe('AdminNetworkPolicy old ingress[0] (priority 5)');
    const later = model([...twoPods(), denyAll('y'), v1(15), v2(10)]).evaluate('x/a', 'y/b', 80);
    expect(later.allowed).toBe(true);
    expect(later.ingress.admin?.text).toBe('ClusterNetworkPolicy new ingress[0] (priority 10)');
  });

  test('policies of one priority apply in name order, and the tie is noted when they select a common pod', () => {
    const objects = [
      ...twoPods(),
      cnp('b-deny', 'Admin', 7, inNamespace('y'), { ingress: [{ action: 'Deny', from: [everyNamespace] }] }),
      anp('a-accept', 7, everyNamespace, { ingress: [{ action: 'Allow', from: [everyNamespace] }] }),
      cnp('c-other', 'Admin', 7, inNamespace('nobody'), { ingress: [{ action: 'Deny', from: [everyNamespace] }] }),
    ];
    expect(model(objects).evaluate('x/a', 'y/b', 80).ingress.admin?.policy).toBe('AdminNetworkPolicy a-accept');
    const notes = ClusterModel.fromObjects(objects, 'tiers.yaml').notes.filter((n) => n.code === 'tied-priority');
    expect(notes.map((n) => n.message)).toEqual([
      'AdminNetworkPolicy a-accept (tiers.yaml document 6) and ClusterNetworkPolicy b-deny (tiers.yaml document 5) share priority 7 in the Admin tier '
        + 'and both select Pod y/b: the API leaves their order to the implementation; the analysis applies AdminNetworkPolicy a-accept first (by name)',
    ]);
  });
});

describe('the Baseline tier', () => {
  const baselineDeny = cnp('default-deny', 'Baseline', 100, everyNamespace, {
    ingress: [{ name: 'deny-ingress', action: 'Deny', from: [everyNamespace] }],
    egress: [{ name: 'deny-egress', action: 'Deny', to: [everyNamespace] }],
  });

  test('decides only for pods no NetworkPolicy isolates, per direction', () => {
    const m = model([
      ...twoPods(), pod('y/c', { app: 'c' }), baselineDeny,
      // y/b is isolated for ingress only: its ingress is the NetworkPolicies' to decide, its egress the Baseline's.
      netpol('y', 'b-from-x', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] }),
      netpol('x', 'a-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
    ]);
    const toB = m.evaluate('x/a', 'y/b', 80);
    expect(toB.allowed).toBe(true);
    expect([toB.egress.decidedBy, toB.ingress.decidedBy]).toEqual(['NetworkPolicy', 'NetworkPolicy']);
    const toC = m.evaluate('x/a', 'y/c', 80);
    expect(toC.allowed).toBe(false);
    expect(toC.ingress).toMatchObject({ decidedBy: 'Baseline', isolated: false, baseline: { tier: 'Baseline', action: 'Deny', rule: 'rule deny-ingress', priority: 100 } });
    expect(toC.explanation).toBe('denied: ingress to y/c is not isolated by a NetworkPolicy and is denied by the Baseline tier: ClusterNetworkPolicy default-deny rule deny-ingress (priority 100)');
    expect(toC.sentences[1]).toBe('Ingress: no NetworkPolicy of namespace y selects y/c for ingress, so the Baseline tier decides; it denies TCP/80 from x/a: '
      + 'ClusterNetworkPolicy default-deny rule deny-ingress (priority 100) (Deny from namespaces {}, on every port) is the first Baseline tier rule that matches it.');
    const fromB = m.evaluate('y/b', 'x/a', 80);
    expect(fromB.egress).toMatchObject({ allowed: false, decidedBy: 'Baseline', baseline: { rule: 'rule deny-egress' } });
  });

  test('Admin Accept and Deny skip it; traffic the Admin tier passes reaches it when no NetworkPolicy isolates', () => {
    const m = model([...twoPods(), baselineDeny, cnp('admin', 'Admin', 1, inNamespace('y'), {
      ingress: [
        { action: 'Accept', from: [everyNamespace], protocols: [tcp(80)] },
        { action: 'Pass', from: [everyNamespace], protocols: [tcp(81)] },
      ],
    })]);
    expect(ports(m, 'x/a', 'y/b')).toBe('none'); // x/a's egress is denied by the baseline
    expect(ports(m, 'y/b', 'y/b')).toBe('none');
    const opened = model([...twoPods(), baselineDeny, netpol('x', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }), cnp('admin', 'Admin', 1, inNamespace('y'), {
      ingress: [
        { action: 'Accept', from: [everyNamespace], protocols: [tcp(80)] },
        { action: 'Pass', from: [everyNamespace], protocols: [tcp(81)] },
      ],
    })]);
    expect(ports(opened)).toBe('TCP 80');
    const passed = opened.evaluate('x/a', 'y/b', 81);
    expect(passed.ingress).toMatchObject({ allowed: false, decidedBy: 'Baseline', admin: { action: 'Pass' }, baseline: { action: 'Deny' } });
    expect(passed.explanation).toBe('denied: ingress to y/b is passed by the Admin tier: ClusterNetworkPolicy admin ingress[1] (priority 1) to the NetworkPolicies, '
      + 'none of which isolates it, and is denied by the Baseline tier: ClusterNetworkPolicy default-deny rule deny-ingress (priority 100)');
  });

  test('Baseline ClusterNetworkPolicies come by priority, the BaselineAdminNetworkPolicy after them; Pass in the Baseline tier allows', () => {
    const banpDeny = banp(everyNamespace, { ingress: [{ name: 'deny', action: 'Deny', from: [everyNamespace] }] });
    expect(ports(model([...twoPods(), banpDeny]))).toBe('none');
    const accepted = model([...twoPods(), banpDeny, cnp('web', 'Baseline', 1000, inNamespace('y'), { ingress: [{ action: 'Accept', from: [everyNamespace], protocols: [tcp(80)] }] })]);
    expect(ports(accepted)).toBe('TCP 80');
    expect(accepted.evaluate('x/a', 'y/b', 81).ingress.baseline?.text).toBe('BaselineAdminNetworkPolicy default rule deny');
    const passing = model([...twoPods(), banpDeny, cnp('pass', 'Baseline', 0, inNamespace('y'), {
      ingress: [{ action: 'Pass', from: [inNamespace('x')], protocols: [{ udp: {} }] }, { action: 'Deny', from: [everyNamespace] }],
    })]);
    expect(ports(passing)).toBe('all UDP');
    const v = passing.evaluate('x/a', 'y/b', 53, 'UDP');
    expect(v.explanation).toContain('is not isolated by a NetworkPolicy and is passed by the Baseline tier: ClusterNetworkPolicy pass ingress[0] (priority 0) (allowed by default)');
    expect(v.sentences[1]).toContain('so the Baseline tier decides; it passes UDP/53 from x/a on to the default, which allows it');
  });

  test('with no Baseline rule matching, the traffic is allowed and each rule says why it did not match', () => {
    const m = model([...twoPods(), cnp('narrow', 'Baseline', 3, inNamespace('y'), {
      ingress: [{ name: 'from-z', action: 'Deny', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'z' } } } }], protocols: [tcp(80)] }],
    })]);
    const v = m.evaluate('x/a', 'y/b', 81);
    expect(v).toMatchObject({ allowed: true, ingress: { decidedBy: 'default' } });
    expect(v.sentences.slice(1)).toEqual([
      'Ingress: no NetworkPolicy of namespace y selects y/b for ingress, so the Baseline tier decides, and no Baseline tier rule matches TCP/81 from x/a, so it is allowed:',
      '  - ClusterNetworkPolicy narrow rule from-z (priority 3) (Deny from pods app=z in namespaces {}, on TCP/80): the source x/a (labels app=a) '
        + 'does not match pods app=z; and wrong port: it matches TCP 80, not TCP/81.',
    ]);
  });
});

describe('ports, peers and subjects', () => {
  const denyIngress = (name: string, rule: object) => cnp(name, 'Admin', 1, inNamespace('y'), { ingress: [{ action: 'Deny', from: [everyNamespace], ...rule }] });
  const deniedPorts = (rule: object) => model([...twoPods(), denyIngress('d', rule)]).allowedPorts('x/a', 'y/b');
  const complement = (set: PortSet) => PortSet.ALL.subtract(set);

  test('v1alpha2 protocols: a number, a range, a whole protocol, and no protocols for every port', () => {
    expect(complement(deniedPorts({ protocols: [tcp(80), { sctp: { destinationPort: { range: { start: 100, end: 200 } } } }] })).toString()).toBe('TCP 80, SCTP 100-200');
    expect(complement(deniedPorts({ protocols: [{ udp: {} }] })).toString()).toBe('all UDP');
    expect(complement(deniedPorts({ protocols: [{ udp: null }] })).toString()).toBe('all UDP');
    expect(deniedPorts({}).toString()).toBe('none');
  });

  test('v1alpha1 ports: portNumber (TCP by default), portRange, and no ports for every port', () => {
    const old = (rule: object) => model([...twoPods(), anp('d', 1, inNamespace('y'), { ingress: [{ action: 'Deny', from: [everyNamespace], ...rule }] })]).allowedPorts('x/a', 'y/b');
    expect(complement(old({ ports: [{ portNumber: { port: 53 } }, { portNumber: { protocol: 'UDP', port: 53 } }, { portRange: { protocol: 'SCTP', start: 1, end: 9 } }] })).toString())
      .toBe('SCTP 1-9, TCP 53, UDP 53');
    expect(old({}).toString()).toBe('none');
  });

  test('named ports resolve on the destination pod\'s container ports, with their protocol, for ingress and egress', () => {
    expect(complement(deniedPorts({ protocols: [{ destinationNamedPort: 'http' }, { destinationNamedPort: 'metrics' }] })).toString()).toBe('TCP 8080, UDP 9090');
    const egress = model([...twoPods(), anp('e', 1, inNamespace('x'), { egress: [{ action: 'Deny', to: [everyNamespace], ports: [{ namedPort: 'http' }] }] })]);
    expect(complement(egress.allowedPorts('x/a', 'y/b')).toString()).toBe('TCP 8080');
    // x/a declares no port named http: nothing to deny towards it.
    expect(egress.allowedPorts('x/a', 'x/a').isAll).toBe(true);
    const v = egress.evaluate('x/a', 'x/a', 8080);
    expect(v.sentences[0]).toBe('Egress: no Admin tier rule matches TCP/8080 to x/a:');
    expect(v.sentences[1]).toBe('  - AdminNetworkPolicy e egress[0] (priority 1) (Deny to namespaces {}, on named port http): wrong port: named port http names no container port of x/a.');
  });

  test('namespaces and pods peers and subjects; host-network pods are neither subjects nor such peers', () => {
    const objects = [
      ...twoPods(),
      pod('y/host', { app: 'b' }, { ips: ['192.168.0.5'], hostNetwork: true }),
      pod('x/host', { app: 'a' }, { ips: ['192.168.0.6'], hostNetwork: true }),
      cnp('pods', 'Admin', 1, { pods: { namespaceSelector: { matchLabels: { team: 'y' } }, podSelector: { matchLabels: { app: 'b' } } } }, {
        ingress: [{ name: 'deny-a', action: 'Deny', from: [{ pods: { podSelector: { matchLabels: { app: 'a' } } } }] }],
      }),
    ];
    const m = model(objects);
    expect(ports(m, 'x/a', 'y/b')).toBe('none');
    expect(ports(m, 'x/a', 'y/host')).toBe('all'); // not a subject
    expect(ports(m, 'x/host', 'y/b')).toBe('all'); // not a peer
    expect(m.evaluate('x/host', 'y/b', 80).sentences[1]).toBe('Ingress: no Admin tier rule matches TCP/80 from x/host:');
    expect(m.evaluate('x/host', 'y/b', 80).sentences[2]).toContain('the source x/host runs on the host network, which namespaces and pods peers never select');
  });

  test('networks peers match the other pod\'s addresses (egress only), host-network pods included; pods without an IP by their pod range', () => {
    const objects = [
      ...twoPods(),
      pod('y/dual', {}, { ips: ['10.0.3.1', 'fd00::1'] }),
      pod('y/host', {}, { ips: ['192.168.0.5'], hostNetwork: true }),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'y' }, spec: { template: { metadata: { labels: {} }, spec: { containers: [] } } } },
      cnp('egress', 'Admin', 1, inNamespace('x'), {
        egress: [{ name: 'private', action: 'Deny', to: [{ networks: ['10.0.2.0/24', 'fd00::/64', '192.168.0.0/16'] }] }],
      }),
    ];
    const m = model(objects);
    expect(ports(m, 'x/a', 'y/b')).toBe('none');
    expect(ports(m, 'x/a', 'y/dual')).toBe('none'); // its IPv6 address is in fd00::/64
    expect(ports(m, 'x/a', 'y/host')).toBe('none');
    // y/web's pods get addresses of the pod range (private ranges assumed): those in the networks are denied, the others not.
    expect(ports(m, 'x/a', 'y/web')).toBe('all');
    expect(m.pod('y/web').units.map(u => u.variant)).toEqual(['addresses outside 10.0.2.0/24, 192.168.0.0/16, fd00::/64', 'addresses in 10.0.2.0/24, 192.168.0.0/16, fd00::/64']);
    expect(m.evaluate('x/a', 'y/web', 80).allowed).toBe(true);
    expect(m.evaluate('x/a', 'y/web', 80).sentences[0]).toBe('For the pods of y/web with addresses outside 10.0.2.0/24, 192.168.0.0/16, fd00::/64:');
    expect(m.evaluate('x/a', 'y/web', 80).sentences.join('\n')).toContain('the pods of y/web with addresses outside 10.0.2.0/24, 192.168.0.0/16, fd00::/64 are not in networks');
    const v4only = model([...twoPods(), pod('y/v6', {}, { ips: ['fd00::2'] }), cnp('v4', 'Admin', 1, inNamespace('x'), { egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] })]);
    expect([ports(v4only, 'x/a', 'y/b'), ports(v4only, 'x/a', 'y/v6')]).toEqual(['none', 'all']);
  });

  test('experimental nodes and domainNames peers match no pod and are noted; a peer of unknown type fails closed', () => {
    const objects = [
      ...twoPods(),
      cnp('experimental', 'Admin', 1, inNamespace('x'), {
        egress: [
          { name: 'nodes', action: 'Deny', to: [{ nodes: {} }] },
          { name: 'names', action: 'Accept', to: [{ domainNames: ['*.example.com'] }] },
        ],
      }),
    ];
    expect(ports(model(objects))).toBe('all');
    expect(ClusterModel.fromObjects(objects).notes.map((n) => n.code)).toEqual(['unevaluated-peer', 'unevaluated-peer']);
    const future = (action: string) => model([...twoPods(), denyAll('y'), cnp('future', 'Admin', 1, inNamespace('y'), {
      ingress: [{ action, from: [{ serviceAccounts: { name: 'x' } }] }, { action: 'Accept', from: [everyNamespace], protocols: [tcp(80)] }],
    })]);
    expect(ports(future('Accept'))).toBe('TCP 80'); // the first rule matches nothing
    expect(ports(future('Pass'))).toBe('none'); // the first rule denies everything
    const notes = ClusterModel.fromObjects([cnp('future', 'Admin', 1, inNamespace('y'), { ingress: [{ action: 'Pass', from: [{ serviceAccounts: {} }] }] })]).notes;
    expect(notes.map((n) => n.message)).toEqual([expect.stringMatching(/sets no known field \(serviceAccounts\).*fail closed, so this rule denies all traffic$/)]);
  });

  test('rules without matching subjects or with only other directions change nothing', () => {
    const m = model([...twoPods(), cnp('egress-only', 'Admin', 1, inNamespace('y'), { egress: [{ action: 'Deny', to: [everyNamespace] }] })]);
    expect(ports(m, 'x/a', 'y/b')).toBe('all');
    expect(ports(m, 'y/b', 'x/a')).toBe('none');
  });
});

describe('namespace matrices with cluster policies', () => {
  /**
   * Three tenants (t1 with a second pod its web pod may reach), a shared monitoring namespace and
   * kube-system; every tenant is default-deny with DNS, an Admin policy per tenant denies other
   * tenants but passes its own namespace and accepts monitoring on the named port http, and a
   * Baseline policy denies ingress to everything but kube-system and egress to everything else.
   */
  function tenants(): object[] {
    const objects: object[] = [
      ns('kube-system'), pod('kube-system/dns', { k8s: 'dns' }, { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }),
      ns('monitoring'), pod('monitoring/prometheus', { app: 'prometheus' }),
      ns('empty'),
      cnp('baseline', 'Baseline', 1000, { namespaces: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: ['kube-system'] }] } }, {
        ingress: [{ action: 'Deny', from: [everyNamespace] }],
        egress: [{ action: 'Accept', to: [inNamespace('kube-system')] }, { action: 'Deny', to: [everyNamespace] }],
      }),
    ];
    for (const t of ['t1', 't2', 't3']) {
      objects.push(
        ns(t, { tenant: t }), pod(`${t}/web`, { app: 'web' }, { ports: [{ name: 'http', containerPort: 8080 }] }), denyAll(t),
        netpol(t, 'dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { k8s: 'dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }] }),
        cnp(`isolate-${t}`, 'Admin', 100, { namespaces: { matchLabels: { tenant: t } } }, {
          ingress: [
            { name: 'monitoring', action: 'Accept', from: [inNamespace('monitoring')], protocols: [{ destinationNamedPort: 'http' }] },
            { name: 'own', action: 'Pass', from: [{ namespaces: { matchLabels: { tenant: t } } }] },
            { name: 'other-tenants', action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'tenant', operator: 'Exists' }] } }] },
          ],
        }),
      );
    }
    objects.push(
      pod('t1/db', { app: 'db' }),
      netpol('t1', 'web-to-db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
      netpol('t1', 'web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }] }),
    );
    return objects;
  }

  function expectMatricesAgree(m: ReachabilityModel): void {
    const pods = m.podPortMatrix();
    const matrix = m.namespaceMatrix();
    for (const from of m.namespaces) {
      for (const to of m.namespaces) {
        const cells = from.pods.flatMap((a) => to.pods.map((b) => pods.ports(a.key, b.key)));
        const some = cells.reduce((acc, s) => acc.union(s), PortSet.NONE);
        // The pair names make a failure say which cell is wrong.
        expect([from.name, to.name, matrix.some(from.name, to.name).toString()]).toEqual([from.name, to.name, some.toString()]);
        expect(matrix.every(from.name, to.name).equals(cells.reduce((acc, s) => acc.intersect(s), PortSet.ALL))).toBe(true);
      }
    }
  }

  test('equal the pod matrices aggregated, where Admin Accept opens pairs the NetworkPolicies deny', () => {
    const m = model(tenants());
    expectMatricesAgree(m);
    const matrix = m.namespaceMatrix();
    // The Admin tier accepts monitoring into the tenants, but monitoring's own egress, which no
    // NetworkPolicy isolates, is denied by the Baseline tier.
    expect(matrix.some('monitoring', 't1').toString()).toBe('none');
    expect(matrix.some('t1', 'kube-system').toString()).toBe('UDP 53');
    expect(matrix.some('t1', 't2').toString()).toBe('none');
    expect(matrix.some('t1', 't1').toString()).toBe('all');
    expect(matrix.every('t1', 't1').toString()).toBe('none');
  });

  test('stay exact when an Admin Accept is the only way between two isolated namespaces', () => {
    const objects = [...tenants(), netpol('monitoring', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })];
    const m = model(objects);
    expectMatricesAgree(m);
    expect(m.namespaceMatrix().some('monitoring', 't1').toString()).toBe('TCP 8080');
    expect(m.namespaceMatrix(8080).some('monitoring', 't2')).toBe(true);
    expect(m.podMatrix(8080).allowed('monitoring/prometheus', 't1/db')).toBe(false);
  });

  test('stay exact with selfTraffic allow, Pass rules in the Baseline tier and a closing Admin Deny', () => {
    const objects = [
      ...tenants(),
      cnp('close-t3', 'Admin', 0, { namespaces: { matchLabels: { tenant: 't3' } } }, {
        egress: [{ action: 'Pass', to: [inNamespace('kube-system')] }, { action: 'Deny', to: [everyNamespace] }],
      }),
      cnp('open-empty', 'Baseline', 1, inNamespace('empty'), { egress: [{ action: 'Pass', to: [inNamespace('monitoring')] }] }),
    ];
    expectMatricesAgree(model(objects));
    expectMatricesAgree(ReachabilityModel.fromObjects(objects, { selfTraffic: 'allow' }));
    expect(model(objects).namespaceMatrix().some('empty', 'monitoring').toString()).toBe('none'); // monitoring's ingress is baseline-denied
  });
});

// Reading the network-policy-api kinds: one internal form for v1alpha1 and v1alpha2, and invalid
// input refused with the file, document, object and field, as the CRDs' schemas would refuse it.
import { ClusterModel } from '../../../src/model/cluster-model';
import { ManifestError, parseManifests } from '../../../src/model/manifests';

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';

function cnp(spec: string, name = 'p'): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${indent(spec)}`;
}

function anp(spec: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: p\nspec:\n${indent(spec)}`;
}

function banp(spec: string, name = 'default'): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${indent(spec)}`;
}

function indent(text: string): string {
  return text.trim().split('\n').map((l) => `  ${l}`).join('\n') + '\n';
}

/** The model of a namespace (document 1) and the given policy (document 2) of `tiers.yaml`. */
function read(policy: string): ClusterModel {
  return ClusterModel.fromManifests(parseManifests(`${NAMESPACE}---\n${policy}`, 'tiers.yaml'));
}

const SUBJECT = 'subject:\n  namespaces: {}';

describe('reading', () => {
  test('v1alpha1 and v1alpha2 read into one form: tier, priority, subject, rules with action, peers and ports', () => {
    const model = read(anp(`
priority: 7
${SUBJECT}
ingress:
  - name: web
    action: Allow
    from:
      - pods:
          namespaceSelector: {matchLabels: {team: a}}
          podSelector: {matchLabels: {app: web}}
    ports:
      - portNumber: {port: 80}
      - portRange: {protocol: UDP, start: 1000, end: 2000}
      - namedPort: http
egress:
  - action: Pass
    to:
      - networks: [10.0.0.0/8]
`));
    const policy = model.clusterPolicies[0].policy;
    expect([policy.kind, policy.tier, policy.priority, policy.label, policy.origin]).toEqual(['AdminNetworkPolicy', 'Admin', 7, 'AdminNetworkPolicy p', 'tiers.yaml document 2']);
    expect(policy.subject.namespaceSelector.matchesEverything).toBe(true);
    const [ingress] = policy.ingress;
    expect([ingress.label, ingress.action, ingress.writtenAction, ingress.direction]).toEqual(['rule web', 'Accept', 'Allow', 'ingress']);
    expect(ingress.ports).toEqual([
      { kind: 'range', protocol: 'TCP', from: 80, to: 80 },
      { kind: 'range', protocol: 'UDP', from: 1000, to: 2000 },
      { kind: 'named', name: 'http' },
    ]);
    expect(ingress.peers.map((p) => (p.kind === 'pods' ? [p.namespaceSelector.text, p.podSelector?.text] : p.kind))).toEqual([['team=a', 'app=web']]);
    expect([policy.egress[0].label, policy.egress[0].action, policy.egress[0].ports]).toEqual(['egress[0]', 'Pass', undefined]);
    expect(policy.egress[0].peers[0]).toMatchObject({ kind: 'networks', networks: [expect.objectContaining({ cidr: '10.0.0.0/8' })] });

    const v2 = read(cnp(`
tier: Baseline
priority: 0
subject:
  pods:
    podSelector: {}
ingress:
  - action: Deny
    from:
      - namespaces: {matchLabels: {team: b}}
    protocols:
      - tcp: {destinationPort: {number: 443}}
      - sctp: {}
      - destinationNamedPort: dns
`)).clusterPolicies[0].policy;
    expect([v2.tier, v2.priority, v2.subject.namespaceSelector.matchesEverything, v2.subject.podSelector?.matchesEverything]).toEqual(['Baseline', 0, true, true]);
    expect(v2.ingress[0].ports).toEqual([
      { kind: 'range', protocol: 'TCP', from: 443, to: 443 },
      { kind: 'all', protocol: 'SCTP' },
      { kind: 'named', name: 'dns' },
    ]);
    const peer = v2.ingress[0].peers[0];
    expect(peer.kind === 'pods' && peer.podSelector === undefined && peer.namespaceSelector.text).toBe('team=b');
  });

  test('rule ids number the rules of all cluster policies, ingress before egress, without meeting NetworkPolicy rule ids', () => {
    const rule = (dir: 'ingress' | 'egress') => `${dir}:\n  - action: Deny\n    ${dir === 'ingress' ? 'from' : 'to'}:\n      - namespaces: {}`;
    const model = ClusterModel.fromManifests(parseManifests([
      cnp(`tier: Admin\npriority: 1\n${SUBJECT}\n${rule('egress')}\n${rule('ingress')}`, 'a'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: shop}\nspec:\n  podSelector: {}\n  ingress: [{}]\n',
      cnp(`tier: Admin\npriority: 2\n${SUBJECT}\n${rule('ingress')}`, 'b'),
    ].join('---\n'), 'ids.yaml'));
    expect(model.clusterPolicies.map((p) => [...p.policy.ingress, ...p.policy.egress].map((r) => `${p.policy.name} ${r.direction} ${r.id}`))).toEqual([
      ['a ingress 0', 'a egress 1'], ['b ingress 2'],
    ]);
    expect(model.networkPolicies[0].policy.ingress[0].id).toBe(0);
  });

  test('the kinds are cluster-scoped: a namespace in their metadata puts nothing in that namespace', () => {
    const model = read(cnp(`tier: Admin\npriority: 1\n${SUBJECT}`).replace('  name: p', '  name: p\n  namespace: elsewhere'));
    expect(model.clusterPolicies).toHaveLength(1);
    expect(model.namespaces.map((n) => n.name)).toEqual(['shop']);
  });
});

describe('invalid input names file, document, object and field', () => {
  const cases: Array<[string, string, string]> = [
    ['a ClusterNetworkPolicy without tier', cnp(`priority: 1\n${SUBJECT}`), 'ClusterNetworkPolicy p: spec.tier: must be Admin or Baseline, got null'],
    ['a priority out of range', cnp(`tier: Admin\npriority: 1001\n${SUBJECT}`), 'ClusterNetworkPolicy p: spec.priority: must be an integer from 0 to 1000 (lower is evaluated first), got 1001'],
    ['an AdminNetworkPolicy without priority', anp(SUBJECT), 'AdminNetworkPolicy p: spec.priority: must be an integer from 0 to 1000 (lower is evaluated first), got null'],
    ['no spec', 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: p\n', 'ClusterNetworkPolicy p: spec: is required and must be a mapping'],
    ['a subject with both fields', cnp('tier: Admin\npriority: 1\nsubject:\n  namespaces: {}\n  pods: {podSelector: {}}'),
      'ClusterNetworkPolicy p: spec.subject: must set exactly one of namespaces or pods, got both'],
    ['a pods subject without podSelector', cnp('tier: Admin\npriority: 1\nsubject:\n  pods: {namespaceSelector: {}}'),
      'ClusterNetworkPolicy p: spec.subject.pods.podSelector: is required ({} selects every pod)'],
    ['an invalid selector', cnp('tier: Admin\npriority: 1\nsubject:\n  namespaces: {matchExpressions: [{key: a, operator: Near}]}'),
      'ClusterNetworkPolicy p: spec.subject.namespaces.matchExpressions[0].operator: unknown operator "Near" (expected In, NotIn, Exists or DoesNotExist)'],
    ['the v1alpha1 action word in v1alpha2', cnp(`tier: Admin\npriority: 1\n${SUBJECT}\ningress:\n  - action: Allow\n    from: [{namespaces: {}}]`),
      'ClusterNetworkPolicy p: spec.ingress[0].action: must be Accept, Deny or Pass, got "Allow" (Allow is the v1alpha1 word)'],
    ['Pass in the BaselineAdminNetworkPolicy', banp(`${SUBJECT}\negress:\n  - action: Pass\n    to: [{namespaces: {}}]`),
      'BaselineAdminNetworkPolicy default: spec.egress[0].action: must be Allow or Deny, got "Pass": the BaselineAdminNetworkPolicy has no lower tier to pass to'],
    ['a BaselineAdminNetworkPolicy not named default', banp(SUBJECT, 'strict'),
      'BaselineAdminNetworkPolicy strict: metadata.name: must be "default": the BaselineAdminNetworkPolicy is a singleton, got "strict"'],
    ['a rule without peers', cnp(`tier: Admin\npriority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: []`),
      'ClusterNetworkPolicy p: spec.ingress[0].from: is required and must list at least one peer'],
    ['a peer with two fields', cnp(`tier: Admin\npriority: 1\n${SUBJECT}\negress:\n  - action: Deny\n    to: [{namespaces: {}, networks: [10.0.0.0/8]}]`),
      'ClusterNetworkPolicy p: spec.egress[0].to[0]: must set exactly one of namespaces, pods, networks, nodes, domainNames, got namespaces, networks'],
    ['networks in an ingress peer', cnp(`tier: Admin\npriority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: [{networks: [10.0.0.0/8]}]`),
      'ClusterNetworkPolicy p: spec.ingress[0].from[0].networks: is only allowed in egress peers'],
    ['an invalid CIDR', anp(`priority: 1\n${SUBJECT}\negress:\n  - action: Deny\n    to: [{networks: [10.0.0.0/8, 10.0.0.0/33]}]`),
      'AdminNetworkPolicy p: spec.egress[0].to[0].networks[1]: invalid CIDR "10.0.0.0/33"'],
    ['an empty networks list', anp(`priority: 1\n${SUBJECT}\negress:\n  - action: Deny\n    to: [{networks: []}]`),
      'AdminNetworkPolicy p: spec.egress[0].to[0].networks: must be a non-empty list of CIDRs'],
    ['the v1alpha1 ports field in v1alpha2', cnp(`tier: Admin\npriority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {port: 80}}]`),
      'ClusterNetworkPolicy p: spec.ingress[0].ports: is not a field of ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2): it matches ports with protocols'],
    ['the v1alpha2 protocols field in v1alpha1', anp(`priority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    protocols: [{tcp: {}}]`),
      'AdminNetworkPolicy p: spec.ingress[0].protocols: is not a field of AdminNetworkPolicy (policy.networking.k8s.io/v1alpha1): it matches ports with ports'],
    ['an empty ports list', anp(`priority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: []`),
      'AdminNetworkPolicy p: spec.ingress[0].ports: must be a non-empty list of ports (omit the field to match every port)'],
    ['a range that does not rise', cnp(`tier: Admin\npriority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    protocols: [{tcp: {destinationPort: {range: {start: 90, end: 90}}}}]`),
      'ClusterNetworkPolicy p: spec.ingress[0].protocols[0].tcp.destinationPort.range.end: must be greater than start (90); write a single port as a number'],
    ['a protocol entry with two fields', cnp(`tier: Admin\npriority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    protocols: [{tcp: {}, destinationNamedPort: http}]`),
      'ClusterNetworkPolicy p: spec.ingress[0].protocols[0]: must set exactly one of tcp, udp, sctp or destinationNamedPort, got tcp, destinationNamedPort'],
    ['a port number out of range', anp(`priority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {protocol: UDP, port: 70000}}]`),
      'AdminNetworkPolicy p: spec.ingress[0].ports[0].portNumber.port: must be a port number between 1 and 65535, got 70000'],
    ['an unknown protocol', anp(`priority: 1\n${SUBJECT}\ningress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {protocol: ICMP, port: 1}}]`),
      'AdminNetworkPolicy p: spec.ingress[0].ports[0].portNumber.protocol: must be TCP, UDP or SCTP, got "ICMP"'],
    ['a named port towards networks', cnp(`tier: Admin\npriority: 1\n${SUBJECT}\negress:\n  - action: Deny\n    to: [{networks: [10.0.0.0/8]}]\n    protocols: [{destinationNamedPort: http}]`),
      'ClusterNetworkPolicy p: spec.egress[0]: a named port cannot be used with networks, nodes or domainNames peers, which have no named ports'],
  ];

  test.each(cases)('%s', (_what, policy, problem) => {
    expect(() => read(policy)).toThrow(ManifestError);
    expect(() => read(policy)).toThrow(`tiers.yaml document 2: ${problem}`);
  });
});

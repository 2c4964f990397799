// Calico staged policies and monitor-only policies in any YAML: how the model reads them, which
// policies each reachability view evaluates, and what the rules make of them.
import { policiesInView, ReachabilityModel } from '../../src/analysis/reachability';
import { ClusterModel } from '../../src/model/cluster-model';
import { parseManifests } from '../../src/model/manifests';
import { evaluateRules } from '../../src/rules/evaluate';

const STAGED = 'StagedKubernetesNetworkPolicy';
const staged = (namespace: string | undefined, name: string, spec: object) =>
  ({ apiVersion: 'projectcalico.org/v3', kind: STAGED, metadata: { name, ...(namespace ? { namespace } : {}) }, spec });
const policy = (namespace: string, name: string, spec: object, annotations?: object) =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec });
const pod = (namespace: string, name: string) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const ALLOW_ALL = { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] };
const DENY_ALL = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
const MONITOR_ONLY = { 'namespace-guard.dev/monitor-only': 'true' };

describe('the model', () => {
  test('reads staged policies with stagedAction Set (the default) as NetworkPolicies flagged staged', () => {
    const model = ClusterModel.fromObjects([
      staged('shop', 'deny', DENY_ALL),
      { ...staged(undefined, 'set', { stagedAction: 'Set', podSelector: { matchLabels: { app: 'web' } } }) },
      policy('shop', 'allow-all', ALLOW_ALL, MONITOR_ONLY),
    ]);
    expect(model.networkPolicies.map(p => [p.kind, p.namespace, p.name, p.staged, p.monitorOnly, p.policy.affectsEgress])).toEqual([
      [STAGED, 'shop', 'deny', true, false, true],
      [STAGED, 'default', 'set', true, false, false],
      ['NetworkPolicy', 'shop', 'allow-all', false, true, true],
    ]);
    expect(model.namespace('shop')!.networkPolicies.map(p => p.name)).toEqual(['deny', 'allow-all']);
    // Read, so not noted as a policy of another API; the one selecting nothing still is.
    expect(model.notes.map(n => n.code)).toEqual(['policy-selects-nothing']);
  });

  test('a staged deletion, another stagedAction and Calico\'s own staged kinds are not read, and say so', () => {
    const model = ClusterModel.fromObjects([
      staged('shop', 'gone', { stagedAction: 'Delete' }),
      { apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 'calico', namespace: 'shop' }, spec: { selector: 'all()' } },
    ], 'input.yaml');
    expect(model.networkPolicies).toEqual([]);
    expect(model.notes.map(n => n.message)).toEqual([
      'not evaluated: StagedKubernetesNetworkPolicy shop/gone (projectcalico.org/v3, input.yaml document 1): only staged policies with '
      + 'stagedAction Set are, not "Delete", so what enforcing it would change is not shown',
      'not evaluated: StagedNetworkPolicy shop/calico (projectcalico.org/v3, input.yaml document 2): only networking.k8s.io/v1 NetworkPolicies '
      + 'and the policy.networking.k8s.io tiers (v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy, v1alpha2 ClusterNetworkPolicy) are, '
      + 'so a connection shown as allowed may still be denied by it (and the reverse)',
    ]);
  });

  test('a staged policy with an invalid spec is bad input, like a NetworkPolicy', () => {
    expect(() => ClusterModel.fromManifests(parseManifests(
      'apiVersion: projectcalico.org/v3\nkind: StagedKubernetesNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {podSelector: {}, ingress: [{ports: [{port: 0}]}]}\n',
      'staged.yaml',
    ))).toThrow('staged.yaml document 1: StagedKubernetesNetworkPolicy shop/p: spec.ingress[0].ports[0].port: must be a port number between 1 and 65535 or a port name');
  });
});

describe('the policy views of the reachability analysis', () => {
  const objects = [
    pod('shop', 'web'), pod('shop', 'db'), pod('other', 'client'),
    // A monitored namespace on a plain backend: the intended policy and the allow-all.
    policy('shop', 'default-deny', DENY_ALL),
    policy('shop', 'monitor-allow-all', ALLOW_ALL, MONITOR_ONLY),
    // A monitored namespace on Calico: only staged policies.
    staged('other', 'default-deny', DENY_ALL),
    staged('other', 'allow-web', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] }] }),
  ];

  test('effective: every NetworkPolicy (the allow-all too) and no staged one; enforced: no allow-all, the staged ones', () => {
    const model = ClusterModel.fromObjects(objects);
    expect(policiesInView(model, 'effective').map(p => `${p.kind} ${p.policy.key}`)).toEqual([
      'NetworkPolicy shop/default-deny', 'NetworkPolicy shop/monitor-allow-all',
    ]);
    expect(policiesInView(model, 'enforced').map(p => `${p.kind} ${p.policy.key}`)).toEqual([
      'NetworkPolicy shop/default-deny', `${STAGED} other/default-deny`, `${STAGED} other/allow-web`,
    ]);
  });

  test('a staged policy replaces the NetworkPolicy of its name once enforced, as applying it would', () => {
    const model = ClusterModel.fromObjects([policy('shop', 'web', ALLOW_ALL), staged('shop', 'web', DENY_ALL), policy('shop', 'other', DENY_ALL)]);
    expect(policiesInView(model, 'enforced').map(p => `${p.kind} ${p.policy.key}`)).toEqual([`${STAGED} shop/web`, 'NetworkPolicy shop/other']);
  });

  test('the matrices: everything is open now; once enforced, only what the policies admit', () => {
    const now = ReachabilityModel.fromObjects(objects);
    const enforced = ReachabilityModel.fromObjects(objects, { policyView: 'enforced' });
    expect(now.allowedPorts('other/client', 'shop/web').toString()).toBe('all');
    expect(now.allowedPorts('shop/web', 'other/client').toString()).toBe('all');
    expect(enforced.allowedPorts('other/client', 'shop/web').toString()).toBe('none'); // shop's default-deny
    expect(enforced.allowedPorts('shop/web', 'other/client').toString()).toBe('none');
    expect(enforced.allowedPorts('shop/web', 'shop/db').toString()).toBe('none');
    expect(enforced.evaluate('other/client', 'shop/web', 80).explanation).toMatch(/^denied: /);
    expect(enforced.evaluate('other/client', 'shop/web', 80).egress).toMatchObject({ allowed: true, isolatingPolicies: ['other/default-deny', 'other/allow-web'] });
  });
});

describe('the rules', () => {
  const tenant = (name: string, labels: object = {}) => ({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'namespace-guard.dev/profile': 'tenant', 'namespace-guard.dev/tenant': name, ...labels } },
  });

  test('read a staged policy as an intended one, reporting it by its kind', () => {
    const findings = evaluateRules(ClusterModel.fromObjects([
      tenant('a', { 'namespace-guard.dev/enforcement': 'monitor' }), tenant('b'),
      staged('a', 'to-b', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }] }] }),
      staged('a', 'to-metadata', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] }] }),
    ]));
    expect(findings.map(f => [f.rule.id, f.severity, `${f.object.kind}/${f.object.name}`, f.target])).toEqual([
      ['monitored-tenant', 'error', 'Namespace/a', undefined],
      ['cross-tenant-flow', 'warning', `${STAGED}/to-b`, 'b'],
      ['link-local-egress', 'warning', `${STAGED}/to-metadata`, '169.254.169.254/32'],
    ]);
    expect(findings[2].message).toMatch(/^StagedKubernetesNetworkPolicy "to-metadata" in namespace "a" opens /);
  });

  test('unaudited-monitor-mode reads the backend the bundles mark the allow-all with, in any YAML', () => {
    const findings = evaluateRules(ClusterModel.fromObjects([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'namespace-guard.dev/enforcement': 'monitor' } } },
      policy('shop', 'monitor-allow-all', ALLOW_ALL, { ...MONITOR_ONLY, 'namespace-guard.dev/network-backend': 'cilium' }),
      policy('plain', 'monitor-allow-all', ALLOW_ALL, MONITOR_ONLY),
      policy('marked', 'not-monitor-only', ALLOW_ALL, { 'namespace-guard.dev/network-backend': 'cilium' }),
    ])).filter(f => f.rule.id === 'unaudited-monitor-mode');
    expect(findings.map(f => [f.rule.id, f.severity, f.monitored, `${f.object.namespace}/${f.object.name}`])).toEqual([
      ['unaudited-monitor-mode', 'warning', true, 'shop/monitor-allow-all'],
    ]);
  });
});

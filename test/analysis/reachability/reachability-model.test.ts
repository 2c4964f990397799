import { ReachabilityModel, syntheticCluster } from '../../../src/analysis/reachability';
import { ClusterModel } from '../../../src/model/cluster-model';
import { ManifestError, parseManifests } from '../../../src/model/manifests';
import { NAMESPACE_NAME_LABEL } from '../../../src/model/vocabulary';

const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

function pod(key: string, labels: Record<string, string> = {}, extra: { ip?: string; ports?: object[]; phase?: string } = {}) {
  const [namespace, name] = key.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', ports: extra.ports ?? [] }] },
    status: { phase: extra.phase ?? 'Running', ...(extra.ip ? { podIP: extra.ip } : {}) },
  };
}

const netpol = (namespace: string, name: string, spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const denyAll = (namespace: string) => netpol(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

describe('cluster inventory', () => {
  test('workload pod templates stand for their pods, keyed by the workload name', () => {
    const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] } });
    const model = ReachabilityModel.fromObjects([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: template('web') } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { template: template('db') } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops' }, spec: { template: template('agent') } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ops' }, spec: { template: template('rs') } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'ops' }, spec: { template: template('once') } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'ops' }, spec: { jobTemplate: { spec: { template: template('nightly') } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ignored', namespace: 'shop' }, spec: {} },
    ]);
    expect(model.pods.map((p) => `${p.key}:${p.kind}:${p.labels.app}`)).toEqual([
      'ops/agent:DaemonSet:agent', 'ops/nightly:CronJob:nightly', 'ops/once:Job:once', 'ops/rs:ReplicaSet:rs',
      'shop/db:StatefulSet:db', 'shop/web:Deployment:web',
    ]);
    expect(model.pod('shop/web').ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(model.pod('shop/web').ips).toEqual([]);
  });

  test('objects without a namespace are in default; namespaces get the implied name label', () => {
    const model = ReachabilityModel.fromObjects([pod('default/loner', { app: 'x' }), ns('labelled', { team: 'a' })]);
    const defaultNs = model.namespaces.find((n) => n.name === 'default');
    expect(defaultNs?.labels).toEqual({ [NAMESPACE_NAME_LABEL]: 'default' });
    expect(defaultNs?.declared).toBe(false);
    const unnamespaced = ReachabilityModel.fromObjects([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }]);
    expect(unnamespaced.pods.map((p) => p.key)).toEqual(['default/p']);
    expect(model.namespaces.find((n) => n.name === 'labelled')?.labels).toEqual({ team: 'a', [NAMESPACE_NAME_LABEL]: 'labelled' });
  });

  test('a namespace without pods is represented by one unlabelled placeholder pod <ns>/*', () => {
    const model = ReachabilityModel.fromObjects([
      ns('empty'),
      netpol('policy-only', 'deny', { podSelector: {} }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'config-only' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cluster-scoped' } },
    ]);
    expect(model.namespaces.map((n) => n.name)).toEqual(['config-only', 'empty', 'policy-only']);
    expect(model.pods.map((p) => [p.key, p.kind, p.labels])).toEqual([
      ['config-only/*', 'Placeholder', {}], ['empty/*', 'Placeholder', {}], ['policy-only/*', 'Placeholder', {}],
    ]);
    // The placeholder is selected by podSelector {} like any pod would be.
    expect(model.evaluate('empty/*', 'policy-only/*', 80).allowed).toBe(false);
  });

  test('a kubectl dump with pods and their owners counts each pod once', () => {
    const owned = (kind: string, name: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: 'u' }] });
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [] } };
    const model = ReachabilityModel.fromObjects([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' }, spec: { template } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d4', namespace: 'a', ...owned('Deployment', 'web') }, spec: { template } },
      { ...pod('a/web-5d4-xyz', { app: 'web' }, { ip: '10.0.0.1' }), metadata: { name: 'web-5d4-xyz', namespace: 'a', labels: { app: 'web' }, ...owned('ReplicaSet', 'web-5d4') } },
      // No pods here: the Deployment stands for its (old) ReplicaSet.
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'b' }, spec: { template } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api-77', namespace: 'b', ...owned('Deployment', 'api') }, spec: { template } },
    ]);
    expect(model.pods.map((p) => `${p.key}:${p.kind}`)).toEqual(['a/web-5d4-xyz:Pod', 'b/api:Deployment']);
  });

  test('finished pods are left out; a later duplicate of the same object replaces the earlier one', () => {
    const model = ReachabilityModel.fromObjects([
      pod('a/done', {}, { phase: 'Succeeded' }),
      pod('a/p', { v: '1' }),
      pod('a/p', { v: '2' }),
      netpol('a', 'deny', { podSelector: { matchLabels: { v: '1' } } }),
      netpol('a', 'deny', { podSelector: { matchLabels: { v: '2' } } }),
    ]);
    expect(model.pods.map((p) => [p.key, p.labels.v])).toEqual([['a/p', '2']]);
    expect(model.policies).toHaveLength(1);
    expect(model.evaluate('a/p', 'a/p', 80).ingress.isolatingPolicies).toEqual(['a/deny']);
  });
});

describe('semantics not covered by the conformance cluster', () => {
  test('egress named ports resolve on the destination pod, not on the source', () => {
    const model = ReachabilityModel.fromObjects([
      pod('a/client', { app: 'client' }, { ports: [{ name: 'web', containerPort: 9000 }] }),
      pod('a/server', { app: 'server' }, { ports: [{ name: 'web', containerPort: 8080 }] }),
      netpol('a', 'client-egress', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'web' }] }] }),
    ]);
    expect(model.evaluate('a/client', 'a/server', 8080).allowed).toBe(true);
    expect(model.evaluate('a/client', 'a/server', 9000).allowed).toBe(false);
    expect(model.allowedPorts('a/client', 'a/server').toString()).toBe('TCP 8080');
    expect(model.allowedPorts('a/client', 'a/client').toString()).toBe('TCP 9000');
  });

  test('pods have addresses: a pod without status.podIP has one of the pod range, and the plugin decides whether ipBlocks match them', () => {
    const objects = [
      pod('a/client', { app: 'client' }, { ip: '10.0.0.1' }),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'server', namespace: 'a' }, spec: { template: { metadata: { labels: { app: 'server' } } } } },
      netpol('a', 'only-cidr', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
      netpol('a', 'client-cidr', { podSelector: { matchLabels: { app: 'client' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
    ];
    // Calico matches ipBlocks against pod addresses: the client's IP and the server's pod-range address are both in 0.0.0.0/0.
    const calico = ReachabilityModel.fromObjects(objects, { networkBackend: 'calico' });
    expect(calico.evaluate('a/client', 'a/server', 80).allowed).toBe(true);
    expect(calico.evaluate('a/server', 'a/client', 80).allowed).toBe(true);
    expect(calico.whereIpBlocksMatchPods).toBeUndefined();
    // Cilium never applies CIDR rules between its own endpoints.
    const cilium = ReachabilityModel.fromObjects(objects, { networkBackend: 'cilium' });
    expect(cilium.evaluate('a/client', 'a/server', 80).allowed).toBe(false);
    expect(cilium.evaluate('a/server', 'a/client', 80).sentences.join('\n')).toContain('on cilium ipBlocks never match the cluster\'s own pods and nodes');
    // Of an undeclared plugin it is not known: denied here, allowed where ipBlocks match pod addresses.
    const unknown = ReachabilityModel.fromObjects(objects);
    expect(unknown.evaluate('a/server', 'a/client', 80).allowed).toBe(false);
    expect(unknown.evaluate('a/server', 'a/client', 80).sentences.join('\n')).toContain('whether ipBlocks match pod addresses is up to the network plugin');
    expect(unknown.whereIpBlocksMatchPods?.evaluate('a/server', 'a/client', 80).allowed).toBe(true);
  });

  test('an ipBlock that holds some of the pod range splits a workload\'s pods by address, and the answer says for which', () => {
    const objects = [
      pod('a/client', { app: 'client' }, { ip: '192.168.1.1' }),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'b' }, spec: { template: { metadata: { labels: { app: 'api' } } } } },
      netpol('a', 'egress-block', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.244.1.0/24' } }] }] }),
    ];
    const cluster = ClusterModel.fromObjects(objects);
    const model = ReachabilityModel.fromCluster(cluster, { networkBackend: 'calico' });
    expect(model.pod('b/api').units.map(u => u.variant)).toEqual(['addresses outside 10.244.1.0/24', 'addresses in 10.244.1.0/24']);
    expect(model.allowedPorts('a/client', 'b/api').toString()).toBe('all');
    const verdict = model.evaluate('a/client', 'b/api', 443);
    expect(verdict.allowed).toBe(true);
    expect(verdict.explanation).toMatch(/\(for the pods of b\/api with addresses in 10\.244\.1\.0\/24\)$/);
    expect(verdict.sentences[0]).toBe('For the pods of b/api with addresses in 10.244.1.0/24:');
  });

  test('selfTraffic: allow exempts a pod talking to itself', () => {
    const objects = [pod('a/p'), denyAll('a')];
    expect(ReachabilityModel.fromObjects(objects).evaluate('a/p', 'a/p', 80).allowed).toBe(false);
    const lenient = ReachabilityModel.fromObjects(objects, { selfTraffic: 'allow' });
    const verdict = lenient.evaluate('a/p', 'a/p', 80);
    expect(verdict.allowed).toBe(true);
    expect(verdict.explanation).toMatch(/^allowed: a\/p is talking to itself/);
    expect(lenient.namespaceMatrix().some('a', 'a').isAll).toBe(true);
  });
});

describe('verdicts and explanations', () => {
  const model = ReachabilityModel.fromObjects([
    pod('x/a', { app: 'a' }),
    pod('y/b', { app: 'b' }),
    netpol('x', 'default-deny', { podSelector: {}, policyTypes: ['Egress'] }),
    netpol('x', 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }),
    netpol('y', 'allow-from-x', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'x' } } }] }] }),
  ]);

  test('a denial names the isolating policies and the missing rule', () => {
    const v = model.evaluate('x/a', 'y/b', 80);
    expect(v).toMatchObject({
      allowed: false,
      egress: { allowed: false, isolated: true, isolatingPolicies: ['x/default-deny', 'x/allow-dns'], allowingRules: [] },
      ingress: { allowed: true, isolated: true, isolatingPolicies: ['y/allow-from-x'], allowingRules: ['y/allow-from-x ingress[0]'] },
    });
    expect(v.explanation).toBe('denied: egress from x/a is isolated by x/default-deny, x/allow-dns and no egress rule allows TCP/80 to y/b');
  });

  test('an allowed connection names the rules on both sides', () => {
    const v = model.evaluate('x/a', 'y/b', 53, 'UDP');
    expect(v.allowed).toBe(true);
    expect(v.egress.allowingRules).toEqual(['x/allow-dns egress[0]']);
    expect(v.explanation).toBe('allowed: egress from x/a is allowed by x/allow-dns egress[0]; ingress to y/b is allowed by y/allow-from-x ingress[0]');
  });

  test('connections nothing isolates say so; denials in both directions explain both', () => {
    expect(model.evaluate('y/b', 'x/a', 80).explanation).toBe('allowed: no NetworkPolicy isolates egress from y/b or ingress to x/a');
    const strict = ReachabilityModel.fromObjects([pod('x/a'), pod('y/b'), denyAll('x'), denyAll('y')]);
    expect(strict.evaluate('x/a', 'y/b', 443).explanation).toBe(
      'denied: egress from x/a is isolated by x/default-deny and no egress rule allows TCP/443 to y/b; '
      + 'ingress to y/b is isolated by y/default-deny and no ingress rule allows TCP/443 from x/a');
  });

  test('sentences: an allowed side names the admitting rule with its peers and ports', () => {
    expect(model.evaluate('x/a', 'y/b', 53, 'UDP').sentences).toEqual([
      'Egress: x/a is isolated for egress by x/default-deny, x/allow-dns; UDP/53 to y/b is admitted by x/allow-dns egress[0] (to anywhere, on UDP/53).',
      'Ingress: y/b is isolated for ingress by y/allow-from-x; UDP/53 from x/a is admitted by y/allow-from-x ingress[0] '
        + '(from namespaceSelector kubernetes.io/metadata.name=x, on every port).',
    ]);
    expect(model.evaluate('y/b', 'x/a', 80).sentences).toEqual([
      'Egress: no NetworkPolicy of namespace y selects y/b for egress, so its egress is not restricted.',
      'Ingress: no NetworkPolicy of namespace x selects x/a for ingress, so its ingress is not restricted.',
    ]);
  });

  test('sentences: each rule that does not admit the traffic says why (port, namespace, pod labels, ipBlock)', () => {
    const m = ReachabilityModel.fromObjects([
      ns('x', { team: 'front' }),
      pod('x/a', { app: 'a' }, { ip: '10.0.0.5' }),
      pod('y/b', { app: 'b' }, { ports: [{ name: 'http', containerPort: 8080 }] }),
      pod('y/c', { app: 'c' }),
      netpol('y', 'mixed', {
        podSelector: { matchLabels: { app: 'b' } },
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { team: 'back' } } }] },
          { from: [{ podSelector: { matchLabels: { app: 'a' } } }] },
          { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'z' } } }, { ipBlock: { cidr: '192.168.0.0/16' } }] },
          { from: [{ namespaceSelector: {} }], ports: [{ port: 'http' }, { port: 9000, protocol: 'UDP' }] },
        ],
      }),
      netpol('y', 'deny-c', { podSelector: { matchLabels: { app: 'c' } } }),
    ]);
    expect(m.evaluate('x/a', 'y/b', 80).sentences).toEqual([
      'Egress: no NetworkPolicy of namespace x selects x/a for egress, so its egress is not restricted.',
      'Ingress: y/b is isolated for ingress by y/mixed, and no ingress rule admits TCP/80 from x/a:',
      '  - y/mixed ingress[0] (from namespaceSelector team=back, on every port): the source namespace x '
        + '(labels kubernetes.io/metadata.name=x,team=front) does not match namespaceSelector team=back.',
      '  - y/mixed ingress[1] (from podSelector app=a, on every port): the source x/a is in namespace x, '
        + 'but a peer without namespaceSelector only selects pods of y.',
      '  - y/mixed ingress[2] (from namespaceSelector {} + podSelector app=z or ipBlock 192.168.0.0/16, on every port): '
        + 'the source matches none of its 2 peers (x/a (labels app=a) does not match podSelector app=z; IP 10.0.0.5 of x/a is not in ipBlock 192.168.0.0/16).',
      '  - y/mixed ingress[3] (from namespaceSelector {}, on TCP/http, UDP/9000): wrong port: it allows TCP 8080, UDP 9000, not TCP/80; '
        + 'named ports TCP/http resolve on y/b\'s container ports.',
    ]);
    expect(m.evaluate('x/a', 'y/b', 8080).sentences[1]).toBe(
      'Ingress: y/b is isolated for ingress by y/mixed; TCP/8080 from x/a is admitted by y/mixed ingress[3] (from namespaceSelector {}, on TCP/http, UDP/9000).');
    expect(m.evaluate('x/a', 'y/c', 80).sentences[1]).toBe('Ingress: y/c is isolated for ingress by y/deny-c, which has no ingress rules, so all ingress is denied.');
  });

  test('sentences: an egress rule whose named port the destination does not declare says so', () => {
    const m = ReachabilityModel.fromObjects([
      pod('x/a', { app: 'a' }),
      pod('x/b', { app: 'b' }, { ports: [{ name: 'web', containerPort: 80 }] }),
      netpol('x', 'egress-metrics', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'metrics' }] }] }),
    ]);
    expect(m.evaluate('x/a', 'x/b', 80).sentences.slice(0, 2)).toEqual([
      'Egress: x/a is isolated for egress by x/egress-metrics, and no egress rule admits TCP/80 to x/b:',
      '  - x/egress-metrics egress[0] (to anywhere, on TCP/metrics): wrong port: TCP/metrics names no container port of x/b.',
    ]);
  });

  test('unknown pods and bad ports are reported clearly', () => {
    expect(() => model.evaluate('x/nope', 'y/b', 80)).toThrow('unknown pod "x/nope" (known: x/a, y/b)');
    expect(() => model.evaluate('x/a', 'y/b', 0)).toThrow('port must be an integer between 1 and 65535, got 0');
    expect(() => model.podMatrix(80, 'ICMP' as 'TCP')).toThrow('protocol must be TCP, UDP or SCTP, got "ICMP"');
  });
});

describe('namespace matrices', () => {
  const model = ReachabilityModel.fromObjects([
    pod('app/web', { app: 'web' }, { ports: [{ name: 'http', containerPort: 8080 }] }),
    pod('app/worker', { app: 'worker' }),
    pod('dns/coredns', { app: 'dns' }),
    pod('client/c'),
    denyAll('app'),
    netpol('app', 'egress-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
    }),
    netpol('app', 'web-from-client', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'client' } } }], ports: [{ port: 8080, endPort: 8090 }, { port: 'http' }] }],
    }),
  ]);

  test('reports exactly which ports some and every pod pair can use', () => {
    const m = model.namespaceMatrix();
    expect(m.some('app', 'dns').toString()).toBe('TCP 53, UDP 53');
    expect(m.every('app', 'dns').toString()).toBe('TCP 53, UDP 53');
    expect(m.some('client', 'app').toString()).toBe('TCP 8080-8090');
    expect(m.every('client', 'app').toString()).toBe('none'); // the worker is not reachable
    expect(m.some('dns', 'client').toString()).toBe('all');
    expect(m.some('app', 'client').toString()).toBe('none');
    expect([...m.reachablePairs()].map((c) => `${c.from}->${c.to}`)).toEqual([
      'app->dns', 'client->app', 'client->client', 'client->dns', 'dns->client', 'dns->dns',
    ]);
  });

  test('the one-port matrix answers some/every as booleans', () => {
    const m = model.namespaceMatrix(8085);
    expect([m.some('client', 'app'), m.every('client', 'app'), m.some('app', 'app'), m.every('dns', 'client')]).toEqual([true, false, false, true]);
    expect(m.toString().split('\n')[0]).toBe('-      app    client dns   ');
  });

  test('the pod matrix and pod port matrix agree with allowedPorts', () => {
    const ports = model.podPortMatrix();
    const on53 = model.podMatrix(53, 'UDP');
    for (const a of model.pods) {
      for (const b of model.pods) {
        expect(ports.ports(a.key, b.key).equals(model.allowedPorts(a.key, b.key))).toBe(true);
        expect(on53.allowed(a.key, b.key)).toBe(model.allowedPorts(a.key, b.key).contains('UDP', 53));
      }
    }
    expect(on53.countAllowed()).toBe(6); // app -> dns (2), and the four pairs among client and dns
  });
});

describe('errors in policies name the file, document and object', () => {
  const policyYaml = (spec: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: x}\nspec: ${spec}\n`;

  test.each([
    ['{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}', 'spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR "10.0.0.0/33"'],
    ['{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [nope]}}]}]}', 'spec.ingress[0].from[0].ipBlock.except[0]: invalid CIDR "nope"'],
    ['{podSelector: {}, egress: [{to: [{}]}]}', 'spec.egress[0].to[0]: must set podSelector, namespaceSelector or ipBlock'],
    ['{podSelector: {}, policyTypes: [ingress]}', 'spec.policyTypes[0]: must be Ingress or Egress, got "ingress"'],
    ['{podSelector: {matchExpressions: [{key: a, operator: Has}]}}', 'spec.podSelector.matchExpressions[0].operator: unknown operator "Has"'],
    // The API server rejects these, so the policy never exists: it must not count as isolating.
    ['{podSelector: {matchLabels: {app: "<unknown>"}}, policyTypes: [Ingress]}', 'spec.podSelector.matchLabels.app: label value "<unknown>" is invalid: it must consist of'],
    ['{podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [a b]}]}}', 'spec.podSelector.matchExpressions[0].values[0]: label value "a b"'],
    ['{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {"team/": a}}}]}]}', 'spec.ingress[0].from[0].namespaceSelector.matchLabels.team/: label key "team/" is invalid: its name part'],
  ])('%s', (spec, problem) => {
    const manifests = parseManifests(policyYaml(spec), 'policies/bad.yaml');
    expect(() => ReachabilityModel.fromManifests(manifests)).toThrow(ManifestError);
    expect(() => ReachabilityModel.fromManifests(manifests)).toThrow(`policies/bad.yaml document 2: NetworkPolicy x/bad: ${problem}`);
  });

  test('a pod whose labels the API server rejects is an error, not a pod the policies miss', () => {
    const manifests = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a, labels: {app: "<unknown>"}}\n', 'pods.yaml');
    expect(() => ReachabilityModel.fromManifests(manifests)).toThrow('pods.yaml document 1: Pod a/p: metadata.labels.app: label value "<unknown>"');
    const template = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\n'
      + 'spec: {selector: {matchLabels: {app: d}}, template: {metadata: {labels: {app: d, "-x": z}}, spec: {containers: [{name: c}]}}}\n';
    expect(() => ReachabilityModel.fromManifests(parseManifests(template, 'deploy.yaml')))
      .toThrow('deploy.yaml document 1: Deployment a/d: spec.template.metadata.labels.-x: label key "-x" is invalid: its name part');
  });

  test('bad pod data is reported the same way', () => {
    const manifests = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nstatus: {podIP: 10.0.0.300}\n', 'pods.yaml');
    expect(() => ReachabilityModel.fromManifests(manifests)).toThrow('pods.yaml document 1: Pod a/p: status.podIP: invalid IP address "10.0.0.300"');
  });
});

describe('a kubectl get ns,pods,netpol -A -o yaml dump', () => {
  test('loads and evaluates', () => {
    const dump = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Namespace',
      '  metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: web-1, namespace: shop, labels: {app: web}}',
      '  spec: {containers: [{name: web, ports: [{containerPort: 8080, name: http}]}]}',
      '  status: {phase: Running, podIP: 10.1.0.5, podIPs: [{ip: 10.1.0.5}, {ip: "fd00::5"}]}',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: debug, namespace: default}',
      '  status: {phase: Running, podIP: 10.1.0.9}',
      '- apiVersion: networking.k8s.io/v1',
      '  kind: NetworkPolicy',
      '  metadata: {name: web, namespace: shop}',
      '  spec:',
      '    podSelector: {matchLabels: {app: web}}',
      '    ingress:',
      '    - from: [{ipBlock: {cidr: "fd00::/64"}}, {ipBlock: {cidr: 10.1.0.9/32}}]',
      '      ports: [{port: http}]',
      'metadata: {resourceVersion: ""}',
    ].join('\n');
    // The policy admits pods by their IPs, which the plugin decides: Calico matches them.
    const model = ReachabilityModel.fromManifests(parseManifests(dump, 'dump.yaml'), { networkBackend: 'calico' });
    expect(model.pods.map((p) => [p.key, p.ips])).toEqual([['default/debug', ['10.1.0.9']], ['shop/web-1', ['10.1.0.5', 'fd00::5']]]);
    expect(model.evaluate('default/debug', 'shop/web-1', 8080).allowed).toBe(true);
    expect(model.evaluate('default/debug', 'shop/web-1', 80).allowed).toBe(false);
    expect(model.allowedPorts('shop/web-1', 'shop/web-1').toString()).toBe('TCP 8080'); // via its IPv6 address
    // Without the plugin declared, the same is allowed only where ipBlocks match pod addresses.
    const undeclared = ReachabilityModel.fromManifests(parseManifests(dump, 'dump.yaml'));
    expect(undeclared.evaluate('default/debug', 'shop/web-1', 8080).allowed).toBe(false);
    expect(undeclared.whereIpBlocksMatchPods!.evaluate('default/debug', 'shop/web-1', 8080).allowed).toBe(true);
  });
});

describe('syntheticCluster', () => {
  test('builds tenants with default-deny, DNS and ingress-controller policies', () => {
    const model = ReachabilityModel.fromObjects(syntheticCluster({ tenants: 3 }));
    expect(model.namespaces.map((n) => n.name)).toEqual(['ingress-nginx', 'kube-system', 'tenant-0000', 'tenant-0001', 'tenant-0002']);
    expect(model.pods).toHaveLength(2 + 3 * 3);
    expect(model.policies).toHaveLength(3 * 5);
    const m = model.namespaceMatrix();
    expect(m.some('tenant-0001', 'kube-system').toString()).toBe('TCP 53, UDP 53');
    expect(m.every('ingress-nginx', 'tenant-0002').toString()).toBe('TCP 8080');
    expect(m.some('tenant-0000', 'tenant-0001').toString()).toBe('none');
    expect(m.some('tenant-0000', 'tenant-0000').toString()).toBe('TCP 8080');
    expect(model.evaluate('tenant-0000/frontend', 'tenant-0000/backend', 8080).allowed).toBe(true);
    expect(model.evaluate('tenant-0000/backend', 'tenant-0000/frontend', 8080).allowed).toBe(false);
  });

  test('can emit pods with IPs instead of deployments', () => {
    const objects = syntheticCluster({ tenants: 2, workloadsPerTenant: 4, asPods: true });
    const model = ReachabilityModel.fromObjects(objects);
    expect(model.pods.every((p) => p.kind === 'Pod' && p.ips.length === 1)).toBe(true);
    expect(new Set(model.pods.map((p) => p.ips[0])).size).toBe(model.pods.length);
    expect(model.pods.map((p) => p.name).filter((n) => n.startsWith('worker'))).toEqual(['worker-1', 'worker-2', 'worker-1', 'worker-2']);
  });
});

describe('labels that controllers add to the pods', () => {
  const statefulSet = (name: string, replicas: number, labels: Record<string, string>) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'data' },
    spec: { replicas, template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports: [{ name: 'kafka', containerPort: 9092 }] }] } } },
  });

  test('a StatefulSet\'s pods carry their own pod-name: a policy that isolates kafka-0 only leaves kafka-1 and kafka-2 open', () => {
    const m = ReachabilityModel.fromObjects([
      statefulSet('kafka', 3, { app: 'kafka' }),
      pod('client/app'),
      netpol('data', 'broker-0', { podSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'kafka-0' } }, policyTypes: ['Ingress'] }),
    ]);
    expect(m.pod('data/kafka').units.map(u => u.variant)).toEqual([
      'statefulset.kubernetes.io/pod-name=kafka-0',
      'statefulset.kubernetes.io/pod-name in (kafka-1, kafka-2)',
    ]);
    const v = m.evaluate('client/app', 'data/kafka', 9092);
    expect(v.allowed).toBe(true);
    expect(v.explanation).toContain('for the pods of data/kafka with statefulset.kubernetes.io/pod-name in (kafka-1, kafka-2)');
    // Every pod of it: the isolated replica is not reachable.
    expect(m.namespaceMatrix().every('client', 'data').toString()).toBe('none');
  });

  test('a policy selecting one replica by name selects that pod, known from the StatefulSet\'s name and replicas', () => {
    const m = ReachabilityModel.fromObjects([
      statefulSet('kafka', 2, { app: 'kafka' }),
      pod('client/app'),
      netpol('data', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('data', 'kafka-1', {
        podSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'kafka-1' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'client' } } }] }],
      }),
    ]);
    expect(m.evaluate('client/app', 'data/kafka', 9092).allowed).toBe(true);
    expect(m.evaluate('client/app', 'data/kafka', 9092).sentences[0]).toBe('For the pods of data/kafka with statefulset.kubernetes.io/pod-name=kafka-1:');
    // A replica beyond the StatefulSet's count is no pod of it.
    const none = ReachabilityModel.fromObjects([
      statefulSet('kafka', 2, { app: 'kafka' }), pod('client/app'), netpol('data', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('data', 'kafka-5', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { 'apps.kubernetes.io/pod-index': '5' } }, namespaceSelector: {} }] }] }),
    ]);
    expect(none.allowedPorts('client/app', 'data/kafka').toString()).toBe('none');
  });

  test('a Job\'s pods carry its name in batch.kubernetes.io/job-name and job-name', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'db' },
      spec: { template: { metadata: { labels: {} }, spec: { containers: [{ name: 'c' }], restartPolicy: 'Never' } } },
    };
    const m = ReachabilityModel.fromObjects([
      job, pod('db/postgres', { app: 'postgres' }),
      netpol('db', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('db', 'from-migrate', { podSelector: { matchLabels: { app: 'postgres' } }, ingress: [{ from: [{ podSelector: { matchLabels: { 'batch.kubernetes.io/job-name': 'migrate' } } }] }] }),
    ]);
    expect(m.pod('db/migrate').labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'migrate', 'job-name': 'migrate' });
    expect(m.evaluate('db/migrate', 'db/postgres', 5432).allowed).toBe(true);
  });

  test('a value the manifest cannot tell (a Deployment\'s pod-template-hash) is present: a selector on it may match, and the answer says for which', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } } },
    };
    const m = ReachabilityModel.fromObjects([
      deployment, pod('other/client'),
      netpol('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('shop', 'hash', { podSelector: { matchLabels: { 'pod-template-hash': '5d9f8c7b6' } }, ingress: [{}] }),
    ]);
    expect(m.pod('shop/web').units.map(u => u.labels['pod-template-hash'])).toEqual(['5d9f8c7b6', '<unknown>']);
    const v = m.evaluate('other/client', 'shop/web', 80);
    expect(v.allowed).toBe(true);
    expect(v.explanation).toContain('for the pods of shop/web with pod-template-hash=5d9f8c7b6');
    // Without such a selector nothing is split and the labels are as written.
    const plain = ReachabilityModel.fromObjects([deployment]);
    expect(plain.pod('shop/web').units).toHaveLength(1);
    expect(plain.pod('shop/web').labels).toEqual({ app: 'web' });
  });
});

describe('pods on the host network', () => {
  const hostPod = (key: string, labels: Record<string, string>) => {
    const p = pod(key, labels);
    return { ...p, spec: { ...p.spec, hostNetwork: true } };
  };

  test('behind a default deny, no NetworkPolicy restricts them and no selector selects them as a peer', () => {
    const m = ReachabilityModel.fromObjects([
      hostPod('infra/agent', { app: 'agent' }), pod('shop/web', { app: 'web' }),
      denyAll('infra'),
      netpol('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      netpol('shop', 'from-agent', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'agent' } } }] }] }),
    ]);
    const inbound = m.evaluate('shop/web', 'infra/agent', 8080);
    expect(inbound.allowed).toBe(false); // shop denies its own egress
    const open = ReachabilityModel.fromObjects([hostPod('infra/agent', { app: 'agent' }), pod('any/client'), denyAll('infra')]);
    const v = open.evaluate('any/client', 'infra/agent', 10250);
    expect(v.allowed).toBe(true);
    expect(v.sentences[1]).toBe('Ingress: infra/agent runs on the host network, which NetworkPolicies do not select on most network plugins '
      + '(its traffic is the node\'s), so its ingress is not restricted.');
    // As a source it carries the node's address, which selectors never match.
    expect(m.evaluate('infra/agent', 'shop/web', 80).sentences.join('\n')).toContain('infra/agent runs on the host network, which namespaceSelector and podSelector peers never select');
  });
});

describe('pods and namespaces the policies anticipate', () => {
  test('a selector that matches no pod of the input stands for the pods that will carry its labels', () => {
    const objects = [
      pod('tenant/web', { app: 'web' }), pod('other/client'),
      netpol('tenant', 'admin', { podSelector: { matchLabels: { app: 'admin' } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 9000 }] }] }),
    ];
    expect(ReachabilityModel.fromObjects(objects).pods.map(p => p.key)).toEqual(['other/client', 'tenant/web']);
    const m = ReachabilityModel.fromObjects(objects, { anticipate: true });
    expect(m.pods.map(p => [p.key, p.kind])).toEqual([
      ['other/client', 'Pod'], ['tenant/web', 'Pod'], ['tenant/[app=admin]', 'Anticipated'], ['(new namespace)/*', 'Placeholder'],
    ]);
    expect(m.allowedPorts('other/client', 'tenant/[app=admin]').toString()).toBe('TCP 9000');
    expect(m.namespaces.find(n => n.name === '(new namespace)')?.anticipated).toBe(true);
  });

  test('a namespace selector that matches no namespace stands for a namespace that will carry its labels', () => {
    const m = ReachabilityModel.fromObjects([
      pod('tenant/web', { app: 'web' }), denyAll('tenant'),
      netpol('tenant', 'partners', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { partner: 'true' } } }] }] }),
    ], { anticipate: true });
    expect(m.namespaces.map(n => n.name)).toEqual(['tenant', '[partner=true]', '(new namespace)']);
    expect(m.allowedPorts('[partner=true]/*', 'tenant/web').toString()).toBe('all');
    // A namespace that no selector names by its labels is only reached by rules open to every namespace.
    expect(m.allowedPorts('(new namespace)/*', 'tenant/web').toString()).toBe('none');
  });
});

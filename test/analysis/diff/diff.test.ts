import { App, Chart, Testing } from 'cdk8s';
import { restrictedDeployment } from '../../../examples/workloads';
import { ClusterProfile, PodSecurityLevel, Port, Quota, Subject, TeamNamespace } from '../../../src';
import { ClusterDiff, compareClusters, portTexts } from '../../../src/analysis/diff';
import { PortSet } from '../../../src/analysis/reachability';
import { ClusterModel } from '../../../src/model/cluster-model';
import { ClusterNetwork } from '../../../src/model/cluster-network';
import { AddressSet } from '../../../src/private/address-set';
import { expectValidManifests } from '../../schema';

type Obj = Record<string, unknown>;

function ns(name: string, labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function policy(namespace: string, spec: Obj, name = 'p'): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const DENY_ALL = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };

function pod(namespace: string, name: string, labels: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'i' }] } };
}
const inNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

function diff(base: Obj[], head: Obj[]): ClusterDiff {
  return compareClusters(ClusterModel.fromObjects(base), ClusterModel.fromObjects(head));
}

describe('flows', () => {
  const isolated = [ns('a'), ns('b'), policy('a', DENY_ALL), policy('b', DENY_ALL)];
  const open = (ports: Obj[] | undefined) => [
    ns('a'), ns('b'),
    policy('a', { ...DENY_ALL, egress: [{ to: [inNamespace('b')] }] }),
    policy('b', { ...DENY_ALL, ingress: [{ from: [inNamespace('a')], ...(ports ? { ports } : {}) }] }),
  ];

  test('a flow added between two namespaces, with its ports; the reverse direction is untouched', () => {
    const d = diff(isolated, open([{ port: 8443 }]));
    expect(d.flows.map(f => [f.from, f.to, f.before.toString(), f.after.toString(), f.added.toString(), f.removed.toString()]))
      .toEqual([['a', 'b', 'none', 'TCP 8443', 'TCP 8443', 'none']]);
    expect(d.opens).toBe(true);
    expect(d.changed).toBe(true);
  });

  test('the internet node: exposing a namespace to public addresses, or opening egress to them, is a flow of its own', () => {
    const exposed = [ns('a'), ns('b'), policy('a', { ...DENY_ALL, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }] }),
      policy('b', DENY_ALL)];
    const d = diff(isolated, exposed);
    // 0.0.0.0/0 but 10/8 also holds the other private ranges: addresses outside the cluster (an office, a
    // VPN), and, where the plugin matches ipBlocks against pod addresses, pods there (a new namespace's).
    expect(d.flows.map(f => [f.from, f.to, f.added.toString(), f.where ?? ''])).toEqual([
      ['(other addresses)', 'a', 'TCP 443', ''], ['internet', 'a', 'TCP 443', ''],
      ['(new namespace)', 'a', 'TCP 443', 'where the network plugin matches ipBlocks against pod addresses (Calico does, Cilium does not)'],
    ]);
    expect(d.opens).toBe(true);
    const out = diff(isolated, [ns('a'), ns('b'), policy('a', { ...DENY_ALL, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }), policy('b', DENY_ALL)]);
    expect(out.flows.filter(f => f.where === undefined).map(f => [f.from, f.to, f.added.toString()])).toEqual([['a', '(other addresses)', 'all'], ['a', 'internet', 'all']]);
  });

  test('widened, narrowed, removed: only the difference is added or removed', () => {
    const widened = diff(open([{ port: 80 }]), open([{ port: 80 }, { port: 53, protocol: 'UDP' }]));
    expect(widened.flows.map(f => [f.added.toString(), f.removed.toString()])).toEqual([['UDP 53', 'none']]);
    expect(widened.opens).toBe(true);
    const narrowed = diff(open(undefined), open([{ protocol: 'TCP' }]));
    expect(narrowed.flows.map(f => [f.before.toString(), f.after.toString(), f.removed.toString()])).toEqual([['all', 'all TCP', 'all UDP, all SCTP']]);
    expect(narrowed.opens).toBe(false);
    expect(narrowed.changed).toBe(true);
    const removed = diff(open([{ port: 80 }]), isolated);
    expect(removed.flows.map(f => [f.from, f.to, f.removed.toString()])).toEqual([['a', 'b', 'TCP 80']]);
    expect(removed.opens).toBe(false);
  });

  test('a new namespace brings its flows as added ones; a namespace removed takes its flows away', () => {
    // Without policies every pod reaches every pod, within a namespace too, and the internet both ways.
    const added = diff([ns('a')], [ns('a'), ns('b')]);
    const both = ['(new namespace)->b', '(other addresses)->b', 'a->b', 'b->(new namespace)', 'b->(other addresses)', 'b->a', 'b->b', 'b->internet', 'internet->b'];
    expect(added.flows.map(f => `${f.from}->${f.to} +${f.added.toString()}`)).toEqual(both.map(pair => `${pair} +all`));
    const removed = diff([ns('a'), ns('b')], [ns('a')]);
    expect(removed.flows.map(f => `${f.from}->${f.to} -${f.removed.toString()}`)).toEqual(both.map(pair => `${pair} -all`));
    expect(removed.opens).toBe(false);
  });

  test('the same manifests in another order change nothing', () => {
    const d = diff(open([{ port: 80 }]), [...open([{ port: 80 }])].reverse());
    const nothing = { flows: [], podFlows: [], addresses: [], podSecurity: [], limits: [], access: [], roles: [], guardrails: [] };
    expect(d).toEqual({ ...nothing, opens: false, changed: false, unproven: [] });
  });

  test('ports are worded as reach words them, one entry per part', () => {
    expect(portTexts(PortSet.range('TCP', 53).union(PortSet.range('UDP', 53)))).toEqual(['TCP 53', 'UDP 53']);
    expect(portTexts(PortSet.protocol('TCP'))).toEqual(['all TCP']);
    expect(portTexts(PortSet.ALL)).toEqual(['all']);
    expect(portTexts(PortSet.range('TCP', 8080, 8090))).toEqual(['TCP 8080-8090']);
    expect(portTexts(PortSet.NONE)).toEqual([]);
  });
});

describe('what a change really opens', () => {
  const tenant = (extra: Obj[] = []) => [ns('t'), pod('t', 'web', { app: 'web' }), policy('t', DENY_ALL), ...extra];
  const egress = (cidr: string, port = 443) => policy('t', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr } }], ports: [{ port }] }] }, 'egress');

  test('egress to all of a cloud\'s range opens, though no single address of it stood for the internet', () => {
    const d = diff(tenant(), tenant([egress('52.0.0.0/8')]));
    expect(d.opens).toBe(true);
    expect(d.flows.filter(f => f.where === undefined).map(f => [f.from, f.to, f.added.toString()])).toEqual([['t', 'internet', 'TCP 443']]);
    expect(d.addresses.map(a => [a.namespace, a.direction, a.node, a.added.map(r => `${r.ports}: ${r.addresses}`)])).toEqual([
      ['t', 'egress', 'internet', ['TCP 443: 52.0.0.0/8']],
    ]);
  });

  test('a wider range on the same port opens: 52.0.0.0/8 to 0.0.0.0/1 keeps TCP 443 to the internet and adds addresses', () => {
    const d = diff(tenant([egress('52.0.0.0/8')]), tenant([egress('0.0.0.0/1')]));
    expect(d.flows.filter(f => f.from === 't' && f.to === 'internet')).toEqual([]);
    expect(d.opens).toBe(true);
    const internet = d.addresses.find(a => a.node === 'internet')!;
    expect(internet.added.map(r => r.ports.toString())).toEqual(['TCP 443']);
    expect(internet.added[0].addresses.overlaps(AddressSet.ofCidrs(['52.0.0.0/8']))).toBe(false);
    expect(internet.added[0].addresses.covers(AddressSet.ofCidrs(['1.0.0.0/8']))).toBe(true);
    // The private part of 0.0.0.0/1 is outside the cluster too (an external database's range matters).
    expect(d.addresses.find(a => a.node === '(other addresses)')?.added[0].addresses.covers(AddressSet.ofCidrs(['10.0.0.0/8']))).toBe(true);
  });

  test('an external database\'s private range is an opening', () => {
    const d = diff(tenant(), tenant([egress('10.20.0.0/16', 5432)]));
    expect(d.opens).toBe(true);
    expect(d.addresses.map(a => [a.node, a.added.map(r => `${r.ports}: ${r.addresses}`)])).toEqual([['(other addresses)', ['TCP 5432: 10.20.0.0/16']]]);
  });

  test('a policy for pods not deployed yet is judged by what it admits', () => {
    const admin = policy('t', { podSelector: { matchLabels: { app: 'admin' } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 9000 }] }] }, 'admin');
    const d = diff(tenant(), tenant([admin]));
    expect(d.opens).toBe(true);
    // Every namespace, a new one included: its pods can send there, and nothing isolates them.
    expect(d.flows.map(f => [f.from, f.to, f.added.toString()])).toContainEqual(['(new namespace)', 't', 'TCP 9000']);
  });

  test('two tenants opened to each other through an ipBlock of the private range: allowed where the plugin matches pod addresses', () => {
    const two = (extra: Obj[]) => [ns('a'), ns('b'), pod('a', 'app', {}), pod('b', 'app', {}), policy('a', DENY_ALL), policy('b', DENY_ALL), ...extra];
    const opened = [
      policy('a', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }, 'out'),
      policy('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }, 'in'),
    ];
    const d = diff(two([]), two(opened));
    expect(d.opens).toBe(true);
    const where = 'where the network plugin matches ipBlocks against pod addresses (Calico does, Cilium does not)';
    expect(d.flows.filter(f => f.from === 'a' && f.to === 'b').map(f => [f.added.toString(), f.where])).toEqual([['all', where]]);
    // Declared: Calico matches them, Cilium never does.
    const on = (backend: 'calico' | 'cilium', objects: Obj[]) => ClusterModel.fromManifests(
      ClusterModel.fromObjects(objects).objects.map(o => o.manifest), ClusterNetwork.of({ networkBackend: backend }));
    const calico = compareClusters(on('calico', two([])), on('calico', two(opened)));
    expect(calico.flows.filter(f => f.from === 'a' && f.to === 'b').map(f => [f.added.toString(), f.where])).toEqual([['all', undefined]]);
    const cilium = compareClusters(on('cilium', two([])), on('cilium', two(opened)));
    expect(cilium.flows.filter(f => f.from === 'a' && f.to === 'b')).toEqual([]);
  });

  test('a workload switched to the host network behind a default deny leaves the policies\' reach: it opens', () => {
    const web = (hostNetwork: boolean) => [ns('t'), policy('t', DENY_ALL), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 't' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { hostNetwork, containers: [{ name: 'c', image: 'i' }] } } },
    }];
    const d = diff(web(false), web(true));
    expect(d.opens).toBe(true);
    expect(d.flows.map(f => [f.from, f.to, f.added.toString()])).toContainEqual(['internet', 't', 'all']);
  });
});

describe('pod pairs the namespace matrix folds away', () => {
  test('a pod that gains every port where another pod of its namespace already had them opens', () => {
    // n2's web pods may send nothing; the other pod of n2 may send anywhere, so n2 -> n1 is "all" before and after.
    const base = [ns('n1'), ns('n2'), pod('n1', 'p0', {}), pod('n2', 'other', {}), pod('n2', 'web', { app: 'web' }),
      policy('n2', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'] }, 'web-no-egress')];
    const head = [...base, policy('n2', { podSelector: {}, egress: [{}] }, 'all-egress')];
    const d = diff(base, head);
    expect(d.flows.filter(f => f.from === 'n2' && f.to === 'n1')).toEqual([]);
    expect(d.podFlows.map(p => [p.from, p.to, p.added.toString()])).toContainEqual(['n2/web', 'n1/p0', 'all']);
    expect(d.opens).toBe(true);
  });
});

describe('what the comparison cannot show', () => {
  test('too many combinations of selector labels to try: a policy change counts as opening, and says why', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const keyed = (k: string) => policy('t', { podSelector: { matchLabels: { [k]: 'x' } }, ingress: [{ from: [{ podSelector: { matchLabels: { [k]: 'y' } } }] }] }, `p-${k}`);
    const base = [ns('t'), policy('t', DENY_ALL), ...keys.map(keyed)];
    const d = diff(base, [...base, policy('t', { podSelector: { matchLabels: { a: 'x' } }, policyTypes: ['Ingress'] }, 'narrow')]);
    expect(d.unproven).toHaveLength(1);
    expect(d.unproven[0]).toContain('could not all be tried');
    expect(d.opens).toBe(true);
    // The same input without a policy change proves nothing wrong.
    expect(diff(base, base)).toMatchObject({ opens: false, changed: false, unproven: [] });
  });
});

describe('Pod Security', () => {
  const enforce = (level: string, version?: string) => ({
    'pod-security.kubernetes.io/enforce': level,
    ...(version ? { 'pod-security.kubernetes.io/enforce-version': version } : {}),
  });
  const change = (before: Record<string, string>, after: Record<string, string>) =>
    diff([ns('a', before)], [ns('a', after)]).podSecurity.map(p => [p.before, p.after, p.lowers]);

  test('a lower level, or the same level at an older version, lowers; a higher one does not', () => {
    expect(change(enforce('restricted', 'v1.35'), enforce('baseline', 'v1.35')))
      .toEqual([[{ level: 'restricted', version: 'v1.35' }, { level: 'baseline', version: 'v1.35' }, true]]);
    expect(change(enforce('restricted'), enforce('restricted', 'v1.30'))).toEqual([[{ level: 'restricted', version: 'latest' }, { level: 'restricted', version: 'v1.30' }, true]]);
    expect(change(enforce('restricted', 'v1.30'), enforce('restricted', 'v1.32'))[0][2]).toBe(false);
    expect(change(enforce('baseline'), enforce('restricted'))[0][2]).toBe(false);
    // Privileged checks nothing at any version.
    expect(change(enforce('privileged', 'v1.35'), enforce('privileged', 'v1.20'))[0][2]).toBe(false);
    expect(change(enforce('restricted'), enforce('restricted'))).toEqual([]);
  });

  test('removing the enforce label admits anything, as privileged; monitor mode enforces what its enforce label says', () => {
    expect(change(enforce('baseline'), {})).toEqual([[{ level: 'baseline', version: 'latest' }, { level: 'privileged', version: 'latest' }, true]]);
    const monitor = { 'namespace-guard.dev/enforcement': 'monitor', ...enforce('privileged'), 'pod-security.kubernetes.io/audit': 'restricted' };
    expect(change(enforce('restricted'), monitor)[0].slice(1)).toEqual([{ level: 'privileged', version: 'latest' }, true]);
  });

  test('a new namespace lowers only when it enforces privileged (or nothing); a removed one is left to the flows', () => {
    const d = diff([ns('gone', enforce('restricted'))], [ns('strict', enforce('restricted')), ns('open')]);
    expect(d.podSecurity.map(p => [p.namespace, p.before, p.after.level, p.lowers])).toEqual([['open', null, 'privileged', true], ['strict', null, 'restricted', false]]);
  });
});

describe('quotas and limit ranges', () => {
  const quota = (hard: Obj, name = 'q', extra: Obj = {}) =>
    ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'a' }, spec: { hard, ...extra } });
  const limits = (items: Obj[]) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'a' }, spec: { limits: items } });
  const change = (before: Obj[], after: Obj[]) =>
    diff([ns('a'), ...before], [ns('a'), ...after]).limits.map(l => [l.key, l.before, l.after, l.raises]);

  test('a quota raised or removed raises; lowered or added does not; quantities compare by value', () => {
    expect(change([quota({ 'limits.cpu': '4', 'pods': 10 })], [quota({ 'limits.cpu': '8000m', 'pods': 5 })]))
      .toEqual([['limits.cpu', '4', '8000m', true], ['pods', '10', '5', false]]);
    expect(change([quota({ 'requests.memory': '1Gi' })], [])).toEqual([['requests.memory', '1Gi', null, true]]);
    expect(change([], [quota({ 'requests.memory': '1Gi' })])).toEqual([['requests.memory', null, '1Gi', false]]);
    expect(change([quota({ 'limits.cpu': '4' })], [quota({ 'limits.cpu': '4000m' })])).toEqual([['limits.cpu', '4', '4000m', false]]);
  });

  test('several quotas: the smallest value counts; a scoped quota keeps its own keys', () => {
    const two = [quota({ pods: '10' }, 'q1'), quota({ pods: '20' }, 'q2')];
    expect(change(two, [quota({ pods: '10' }, 'q1')])).toEqual([]);
    expect(change(two, [quota({ pods: '20' }, 'q2')])).toEqual([['pods', '10', '20', true]]);
    expect(change([], [quota({ pods: '3' }, 'best', { scopes: ['BestEffort'] })])).toEqual([['pods (scoped quota best)', null, '3', false]]);
  });

  test('LimitRange: a maximum raised or removed raises; minimums and defaults only change', () => {
    const before = limits([{ type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '500m' } }]);
    const after = limits([{ type: 'Container', max: { cpu: '4' }, min: { cpu: '50m' }, default: { cpu: '1' } }]);
    expect(change([before], [after])).toEqual([
      ['LimitRange Container default.cpu', '500m', '1', false],
      ['LimitRange Container max.cpu', '2', '4', true],
      ['LimitRange Container min.cpu', '100m', '50m', false],
    ]);
    expect(change([limits([{ type: 'Pod', max: { memory: '1Gi' } }])], [])).toEqual([['LimitRange Pod max.memory', '1Gi', null, true]]);
  });

  test('a value that is no quantity counts as raised when it changes', () => {
    expect(change([quota({ pods: 'ten' })], [quota({ pods: 'nine' })])).toEqual([['pods', 'ten', 'nine', true]]);
  });
});

describe('access', () => {
  const RBAC = 'rbac.authorization.k8s.io';
  const binding = (namespace: string, roleRef: Obj, subjects: Obj[], name = 'b') =>
    ({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: RBAC, ...roleRef }, subjects });
  const clusterBinding = (roleRef: Obj, subjects: Obj[], name = 'cb') =>
    ({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC, ...roleRef }, subjects });
  const rule = (apiGroups: string[], resources: string[], verbs: string[], extra: Obj = {}) => ({ apiGroups, resources, verbs, ...extra });
  const roleObject = (name: string, rules: Obj[], namespace = 'payments') => ({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, namespace }, rules });
  const clusterRoleObject = (name: string, rules: Obj[], labels: Record<string, string> = {}) =>
    ({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name, labels }, rules });
  const role = (name: string) => ({ kind: 'Role', name });
  const clusterRole = (name: string) => ({ kind: 'ClusterRole', name });
  const group = (name: string) => ({ kind: 'Group', name, apiGroup: RBAC });
  const EVERYTHING = rule(['*'], ['*'], ['*']);
  const run = (before: Obj[], after: Obj[]) => diff([ns('payments'), ...before], [ns('payments'), ...after]);
  const change = (before: Obj[], after: Obj[]) => run(before, after).access.map(a => [a.namespace, a.subject, a.before, a.after, a.added, a.raises]);
  const roleChanges = (before: Obj[], after: Obj[]) => run(before, after).roles.map(r => [r.role, r.change, r.added, r.removed, r.widens]);

  test('effective permissions, not role names: edit to admin adds what admin aggregates beyond edit; admin to view adds nothing', () => {
    const d = run([binding('payments', clusterRole('edit'), [group('payments-devs')])], [binding('payments', clusterRole('admin'), [group('payments-devs')])]);
    expect(d.access).toEqual([{
      namespace: 'payments',
      subject: 'Group/payments-devs',
      before: ['ClusterRole edit'],
      after: ['ClusterRole admin'],
      added: [
        'create on localsubjectaccessreviews.authorization.k8s.io',
        'get/list/watch/create/update/patch/delete/deletecollection on rolebindings.rbac.authorization.k8s.io',
        'get/list/watch/create/update/patch/delete/deletecollection on roles.rbac.authorization.k8s.io',
      ],
      removed: [],
      raises: true,
    }]);
    expect(d.opens).toBe(true);
    const down = run([binding('payments', clusterRole('admin'), [group('devs')])], [binding('payments', clusterRole('view'), [group('devs')])]);
    expect(down.access.map(a => [a.before, a.after, a.added, a.raises])).toEqual([[['ClusterRole admin'], ['ClusterRole view'], [], false]]);
    expect(down.access[0].removed).toContain('create/update/patch/delete/deletecollection on networkpolicies.networking.k8s.io');
    expect(down.opens).toBe(false);
    expect(down.changed).toBe(true);
  });

  test('a Role widened to "*" raises for every subject bound to it, and the Role itself widens', () => {
    const bound = binding('payments', role('deployer'), [group('devs')]);
    const before = [roleObject('deployer', [rule(['apps'], ['deployments'], ['get', 'update'])]), bound];
    const after = [roleObject('deployer', [EVERYTHING]), bound];
    expect(change(before, after)).toEqual([
      ['payments', 'Group/devs', ['Role deployer'], ['Role deployer'], ['every verb on every resource of every API group'], true],
    ]);
    expect(roleChanges(before, after)).toEqual([
      ['Role payments/deployer', 'widened', ['every verb on every resource of every API group'], [], true],
    ]);
    expect(run(before, after).opens).toBe(true);
  });

  test('a new ClusterRole aggregated into view raises for the subjects bound to view, and widens view but not what already covers it', () => {
    const bound = [binding('payments', clusterRole('view'), [group('auditors')]), clusterBinding(clusterRole('view'), [group('everyone-reads')])];
    const secrets = clusterRoleObject('read-secrets', [rule([''], ['secrets'], ['get'])], { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
    const d = run(bound, [...bound, secrets]);
    expect(d.access.map(a => [a.namespace, a.subject, a.added, a.raises])).toEqual([
      ['*', 'Group/everyone-reads', ['get on secrets'], true],
      ['payments', 'Group/auditors', ['get on secrets'], true],
    ]);
    // edit (and admin) read secrets already: only view widens; the new role alone is not wide.
    expect(d.roles.map(r => [r.role, r.change, r.added, r.widens])).toEqual([
      ['ClusterRole read-secrets', 'added', ['get on secrets'], false],
      ['ClusterRole view', 'widened', ['get on secrets'], true],
    ]);
    expect(d.opens).toBe(true);
    const everything = clusterRoleObject('everything', [EVERYTHING], { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
    expect(run(bound, [...bound, everything]).roles.map(r => [r.role, r.change, r.widens])).toEqual([
      ['ClusterRole admin', 'widened', true],
      ['ClusterRole edit', 'widened', true],
      ['ClusterRole everything', 'added', true],
      ['ClusterRole view', 'widened', true],
    ]);
  });

  test('a new Role with "*" bound to nobody opens; a new narrow one, a narrowed one and a removed one only change', () => {
    const wide = run([], [roleObject('anything', [EVERYTHING])]);
    expect(wide.access).toEqual([]);
    expect(wide.roles.map(r => [r.role, r.change, r.widens])).toEqual([['Role payments/anything', 'added', true]]);
    expect(wide.opens).toBe(true);
    for (const rules of [[rule(['rbac.authorization.k8s.io'], ['roles'], ['escalate'])], [rule([''], ['resourcequotas'], ['update'])], [rule([''], ['serviceaccounts'], ['impersonate'])]]) {
      expect(run([], [roleObject('sharp', rules)]).opens).toBe(true);
    }
    const narrow = run([], [roleObject('reader', [rule([''], ['pods'], ['get'])])]);
    expect(narrow.roles.map(r => [r.role, r.change, r.added, r.widens])).toEqual([['Role payments/reader', 'added', ['get on pods'], false]]);
    expect([narrow.opens, narrow.changed]).toEqual([false, true]);

    const bound = binding('payments', role('deployer'), [group('devs')]);
    const before = [roleObject('deployer', [rule([''], ['pods'], ['get', 'list', 'delete'])]), bound];
    const narrowed = run(before, [roleObject('deployer', [rule([''], ['pods'], ['get'])]), bound]);
    expect(narrowed.access.map(a => [a.subject, a.added, a.removed, a.raises])).toEqual([['Group/devs', [], ['list/delete on pods'], false]]);
    expect(narrowed.roles.map(r => [r.role, r.change, r.removed, r.widens])).toEqual([['Role payments/deployer', 'narrowed', ['list/delete on pods'], false]]);
    expect([narrowed.opens, narrowed.changed]).toEqual([false, true]);
    expect(run(before, []).roles.map(r => [r.role, r.change, r.widens])).toEqual([['Role payments/deployer', 'removed', false]]);
  });

  test('resourceNames narrow a rule: dropping them raises, adding them narrows, and a named create grants nothing', () => {
    const bound = binding('payments', role('config'), [group('devs')]);
    const named = [roleObject('config', [rule([''], ['configmaps'], ['get', 'update', 'create'], { resourceNames: ['app'] })]), bound];
    const all = [roleObject('config', [rule([''], ['configmaps'], ['get', 'update'])]), bound];
    expect(change(named, all)).toEqual([['payments', 'Group/devs', ['Role config'], ['Role config'], ['get/update on configmaps'], true]]);
    expect(change(all, named).map(c => c[5])).toEqual([false]);
    expect(run(all, named).access[0].removed).toEqual(['get/update on configmaps']);
    expect(run([], named).roles[0].added).toEqual(['get/update on configmaps named app']);
  });

  test('a new subject, a new binding or a role the input does not hold raises; a subject removed does not; service accounts are named with their namespace', () => {
    const sa = { kind: 'ServiceAccount', name: 'deployer' };
    const deployer = roleObject('deployer', [rule(['apps'], ['deployments'], ['update'])]);
    expect(change([deployer], [deployer, binding('payments', role('deployer'), [sa, { kind: 'User', name: 'alice' }, { kind: 'User', name: 'system:serviceaccount:payments:ci' }])])).toEqual([
      ['payments', 'ServiceAccount/payments/ci', [], ['Role deployer'], ['update on deployments.apps'], true],
      ['payments', 'ServiceAccount/payments/deployer', [], ['Role deployer'], ['update on deployments.apps'], true],
      ['payments', 'User/alice', [], ['Role deployer'], ['update on deployments.apps'], true],
    ]);
    expect(change([], [binding('payments', role('mystery'), [group('sre')])])).toEqual([
      ['payments', 'Group/sre', [], ['Role mystery'], ['what Role payments/mystery grants (neither the input nor Kubernetes\' defaults hold it)'], true],
    ]);
    expect(change([binding('payments', clusterRole('edit'), [group('sre')])], [])).toEqual([['payments', 'Group/sre', ['ClusterRole edit'], [], [], false]]);
  });

  test('ClusterRoleBindings grant in every namespace, "*", and cover what a namespace then adds; a namespace removed is left to the flows', () => {
    const crb = clusterBinding(clusterRole('view'), [group('auditors')]);
    expect(change([], [crb])).toEqual([['*', 'Group/auditors', [], ['ClusterRole view'], expect.arrayContaining(['get/list/watch on pods']), true]]);
    // Already granted everywhere: a RoleBinding adds a role, no permission.
    expect(change([crb], [crb, binding('payments', clusterRole('view'), [group('auditors')])])).toEqual([['payments', 'Group/auditors', [], ['ClusterRole view'], [], false]]);
    const d = diff([ns('old'), binding('old', clusterRole('admin'), [group('x')]), roleObject('r', [EVERYTHING], 'old')], []);
    expect(d.access).toEqual([]);
    expect(d.roles).toEqual([]);
  });

  test('an aggregated ClusterRole of the input whose sources it does not hold cannot be shown: binding it raises', () => {
    const aggregated = { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'monitoring' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] } };
    const d = run([aggregated], [aggregated, binding('payments', clusterRole('monitoring'), [group('ops')])]);
    expect(d.access.map(a => [a.subject, a.raises])).toEqual([['Group/ops', true]]);
    expect(d.access[0].added[0]).toMatch(/^what ClusterRole monitoring aggregates beyond the input/);
  });
});

describe('guardrails', () => {
  const vap = (spec: Obj, name = 'p') => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec });
  const vapb = (spec: Obj, name = 'b') => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec });
  const cnp = (spec: Obj, name = 'c') => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
  const validation = (expression: string) => ({ expression });
  const policySpec = (extra: Obj) => ({ matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] }, validations: [validation('true')], ...extra });
  const change = (before: Obj[], after: Obj[]) => diff(before, after).guardrails.map(g => [g.kind, g.name, g.change, g.detail, g.weakens]);

  test('a guardrail removed weakens; a policy or binding added does not', () => {
    expect(change([vap(policySpec({})), vapb({ policyName: 'p', validationActions: ['Deny'] })], [])).toEqual([
      ['ValidatingAdmissionPolicy', 'p', 'removed', 'removed', true],
      ['ValidatingAdmissionPolicyBinding', 'b', 'removed', 'removed', true],
    ]);
    expect(change([], [vap(policySpec({})), vapb({ policyName: 'p', validationActions: ['Deny'] })]).map(c => c[4])).toEqual([false, false]);
  });

  test('a policy changed: more validations or Ignore to Fail tighten; anything else weakens', () => {
    expect(change([vap(policySpec({}))], [vap(policySpec({ validations: [validation('true'), validation('false')] }))]))
      .toEqual([['ValidatingAdmissionPolicy', 'p', 'changed', 'spec.validations changed', false]]);
    expect(change([vap(policySpec({ validations: [validation('true'), validation('false')] }))], [vap(policySpec({}))])[0][4]).toBe(true);
    expect(change([vap(policySpec({ failurePolicy: 'Fail' }))], [vap(policySpec({ failurePolicy: 'Ignore' }))]))
      .toEqual([['ValidatingAdmissionPolicy', 'p', 'changed', 'failurePolicy Fail → Ignore', true]]);
    expect(change([vap(policySpec({ failurePolicy: 'Ignore' }))], [vap(policySpec({}))])).toEqual([['ValidatingAdmissionPolicy', 'p', 'changed', 'failurePolicy Ignore → unset', false]]);
    expect(change([vap(policySpec({}))], [vap(policySpec({ matchConstraints: { resourceRules: [] } }))])[0].slice(3)).toEqual(['spec.matchConstraints changed', true]);
  });

  test('a binding changed: Deny lost weakens, Deny gained tightens; labels alone are no change', () => {
    expect(change([vapb({ policyName: 'p', validationActions: ['Deny'] })], [vapb({ policyName: 'p', validationActions: ['Warn', 'Audit'] })]))
      .toEqual([['ValidatingAdmissionPolicyBinding', 'b', 'changed', 'validationActions Deny → Warn, Audit', true]]);
    expect(change([vapb({ policyName: 'p', validationActions: ['Warn', 'Audit'] })], [vapb({ policyName: 'p', validationActions: ['Deny', 'Audit'] })])[0][4]).toBe(false);
    expect(change([vapb({ policyName: 'p', validationActions: ['Deny'] })], [vapb({ policyName: 'q', validationActions: ['Deny'] })])[0].slice(3))
      .toEqual(['spec.policyName changed', true]);
    const labelled = { ...vapb({ policyName: 'p', validationActions: ['Deny'] }), metadata: { name: 'b', labels: { team: 'x' } } };
    expect(change([vapb({ policyName: 'p', validationActions: ['Deny'] })], [labelled])).toEqual([]);
  });

  test('cluster network policies: inserting Deny rules tightens, any other rule change weakens; added with Accept rules weakens', () => {
    const subject = { namespaces: {} };
    const deny = (name: string) => ({ name, action: 'Deny', from: [{ namespaces: {} }] });
    const accept = (name: string) => ({ name, action: 'Accept', from: [{ namespaces: {} }] });
    const spec = (ingress: Obj[]) => ({ tier: 'Admin', priority: 10, subject, ingress });
    expect(change([cnp(spec([accept('a')]))], [cnp(spec([deny('d'), accept('a')]))])).toEqual([['ClusterNetworkPolicy', 'c', 'changed', 'spec.ingress changed', false]]);
    expect(change([cnp(spec([deny('d')]))], [cnp(spec([accept('a'), deny('d')]))])[0][4]).toBe(true);
    expect(change([cnp(spec([deny('d')]))], [cnp({ ...spec([deny('d')]), priority: 20 })])[0].slice(3)).toEqual(['spec.priority changed', true]);
    expect(change([], [cnp(spec([accept('a')]))])).toEqual([['ClusterNetworkPolicy', 'c', 'added', 'added, with rules that accept or pass traffic', true]]);
    expect(change([], [cnp(spec([deny('d')]))])).toEqual([['ClusterNetworkPolicy', 'c', 'added', 'added', false]]);
  });
});

describe('compareClusters on synthesized bundles', () => {
  function teams(change: boolean): ClusterModel {
    const app = new App();
    const chart = new Chart(app, 'teams');
    const cluster = new ClusterProfile(chart, 'cluster');
    const payments = new TeamNamespace(chart, 'payments', {
      cluster,
      quota: change ? Quota.medium() : Quota.small(),
      admins: change ? [Subject.group('payments-devs')] : [],
      editors: change ? [] : [Subject.group('payments-devs')],
    });
    const catalog = new TeamNamespace(chart, 'catalog', { cluster, podSecurity: change ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED });
    restrictedDeployment(chart, 'payments', { app: 'api', image: 'registry.example.com/api:1.0.0', ports: [{ number: 8443, name: 'https' }] });
    restrictedDeployment(chart, 'catalog', { app: 'web', image: 'registry.example.com/web:1.0.0' });
    if (change) catalog.pods({ app: 'web' }).connections.allowTo(payments.pods({ app: 'api' }), Port.tcp(8443));
    const objects = Testing.synth(chart);
    expectValidManifests(objects);
    return ClusterModel.fromObjects(objects);
  }

  test('a pull request that raises access and quota, lowers a level and adds a flow opens, and says where', () => {
    const d = compareClusters(teams(false), teams(true));
    expect(d.opens).toBe(true);
    expect(d.flows.filter(f => !f.added.isEmpty && f.where === undefined).map(f => [f.from, f.to, f.added.toString()])).toEqual([['catalog', 'payments', 'TCP 8443']]);
    expect(d.podSecurity.map(p => [p.namespace, p.before?.level, p.after.level, p.lowers])).toEqual([['catalog', 'restricted', 'baseline', true]]);
    expect(d.access.map(a => [a.namespace, a.subject, a.before, a.after, a.raises]))
      .toEqual([['payments', 'Group/payments-devs', ['Role namespace-guard-edit'], ['Role namespace-guard-admin'], true]]);
    // The admin level writes the namespace's service accounts, Roles and RoleBindings; the new Role is wide for that.
    expect(d.access[0].added).toEqual([
      'create/update/patch/delete/deletecollection on serviceaccounts',
      'get/list/watch/create/update/patch/delete/deletecollection on rolebindings.rbac.authorization.k8s.io',
      'get/list/watch/create/update/patch/delete/deletecollection on roles.rbac.authorization.k8s.io',
    ]);
    expect(d.roles.map(r => [r.role, r.change, r.widens])).toEqual([
      ['Role payments/namespace-guard-admin', 'added', true],
      ['Role payments/namespace-guard-edit', 'removed', false],
    ]);
    expect(d.limits.length).toBeGreaterThan(0);
    expect(d.limits.every(l => l.namespace === 'payments' && l.raises)).toBe(true);
    expect(compareClusters(teams(false), teams(false)).changed).toBe(false);
  });
});

import { Chart, Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { TierVerdicts } from './tier-verdicts';
import {
  ClusterDns, ClusterGuardrails, ClusterNetworkPolicyApi, ClusterProfile, Enforcement, Exposure, Findings, Peer, Port, RuleId, SecurityZone, Subject,
  TeamNamespace, TenantNamespace,
} from '../../src';
import { errorOf, K8sObject, newChart, synthValid } from '../helpers';

type Build = (chart: Chart) => void;

/** The synthesized objects (schema-checked) of an app with the guardrails and what `build` adds. */
function synth(api: ClusterNetworkPolicyApi, build: Build, options: { chartNamespace?: string; guardrailsLast?: boolean } = {}): K8sObject[] {
  const { chart } = newChart(options.chartNamespace ? { namespace: options.chartNamespace } : undefined);
  Findings.silence(chart);
  const guardrails = () => new ClusterGuardrails(chart, 'guardrails', { platformAdmins: [Subject.group('platform-admins')], networkPolicyApi: api });
  if (!options.guardrailsLast) guardrails();
  build(chart);
  if (options.guardrailsLast) guardrails();
  return synthValid(chart);
}

function clusterPolicies(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter(o => o.apiVersion.startsWith('policy.networking.k8s.io/'));
}

function named(objects: readonly K8sObject[], name: string): K8sObject {
  const found = clusterPolicies(objects).filter(o => o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Two tenants with acknowledged flows between them: a calls b's api, and each names the other. */
function declareTenantFlow(a: TenantNamespace, b: TenantNamespace, to: Parameters<TenantNamespace['connections']['allowTo']>[0]): void {
  a.connections.allowTo(to, Port.tcp(8080));
  a.acknowledge(RuleId.CROSS_TENANT_FLOW, `${a.tenantName} calls ${b.tenantName} by contract`, { appliesTo: [b.namespaceName] });
  b.acknowledge(RuleId.CROSS_TENANT_FLOW, `${b.tenantName} serves ${a.tenantName} by contract`, { appliesTo: [a.namespaceName] });
}

const pod = (namespace: string, podLabels?: Record<string, string>) => ({ namespace, podLabels });

const APIS = [ClusterNetworkPolicyApi.V1ALPHA2, ClusterNetworkPolicyApi.V1ALPHA1];

describe('ClusterGuardrails network policies', () => {
  test('by default (ClusterNetworkPolicyApi.NONE) writes none', () => {
    const objects = synth(ClusterNetworkPolicyApi.NONE, chart => {
      new TenantNamespace(chart, 'a');
    });
    expect(clusterPolicies(objects)).toEqual([]);
    const { chart } = newChart();
    expect(new ClusterGuardrails(chart, 'g', { platformAdmins: [Subject.group('admins')] }).networkPolicyApi).toBe(ClusterNetworkPolicyApi.NONE);
  });

  test('v1alpha2: ClusterNetworkPolicies in the Admin and Baseline tiers, cluster-scoped, at documented priorities', () => {
    const objects = synth(ClusterNetworkPolicyApi.V1ALPHA2, chart => {
      new TenantNamespace(chart, 'a');
      new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['db'] });
      new TeamNamespace(chart, 'team');
    }, { chartNamespace: 'apps' });
    const policies = clusterPolicies(objects);
    expect(policies.map(p => [p.kind, p.metadata.name, p.spec.tier, p.spec.priority])).toEqual([
      ['ClusterNetworkPolicy', 'namespace-guard-metadata', 'Admin', 100],
      ['ClusterNetworkPolicy', 'namespace-guard-baseline', 'Baseline', 900],
      ['ClusterNetworkPolicy', 'namespace-guard-isolation-a', 'Admin', 110],
      ['ClusterNetworkPolicy', 'namespace-guard-isolation-db', 'Admin', 110],
    ]);
    for (const p of policies) {
      expect(p.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
      expect(p.metadata.namespace).toBeUndefined();
      expect(p.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard' });
    }
  });

  test('v1alpha1: AdminNetworkPolicies and the BaselineAdminNetworkPolicy singleton "default", with Allow and ports', () => {
    const objects = synth(ClusterNetworkPolicyApi.V1ALPHA1, chart => {
      new TenantNamespace(chart, 'a');
      new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['db'] });
    }, { chartNamespace: 'apps' });
    const policies = clusterPolicies(objects);
    expect(policies.map(p => [p.kind, p.metadata.name, p.spec.priority])).toEqual([
      ['AdminNetworkPolicy', 'namespace-guard-metadata', 100],
      ['BaselineAdminNetworkPolicy', 'default', undefined],
      ['AdminNetworkPolicy', 'namespace-guard-isolation-a', 110],
      ['AdminNetworkPolicy', 'namespace-guard-isolation-db', 110],
    ]);
    for (const p of policies) {
      expect(p.apiVersion).toBe('policy.networking.k8s.io/v1alpha1');
      expect(p.metadata.namespace).toBeUndefined();
      expect(p.spec.tier).toBeUndefined();
    }
    const baseline = named(objects, 'default');
    expect(baseline.spec.egress.map((r: any) => [r.name, r.action])).toEqual([['accept-dns', 'Allow'], ['deny-all', 'Deny']]);
    expect(baseline.spec.egress[0].ports).toEqual([{ portNumber: { protocol: 'UDP', port: 53 } }, { portNumber: { protocol: 'TCP', port: 53 } }]);
    // v1alpha1 requires both selectors of a pods peer.
    const dnsPeer = named(objects, 'namespace-guard-isolation-db').spec.egress.find((r: any) => r.name === 'pass-dns').to[0];
    expect(dnsPeer).toEqual({ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } });
  });

  describe.each(APIS)('%s', api => {
    test('tenants deny each other both ways; their own namespace, teams and the rest are left to the NetworkPolicies', () => {
      const v = new TierVerdicts(synth(api, chart => {
        ['a', 'b', 'c'].forEach(n => new TenantNamespace(chart, n));
        new TeamNamespace(chart, 'team');
      }));
      for (const [from, to] of [['a', 'b'], ['b', 'a'], ['a', 'c'], ['c', 'b']]) {
        expect(v.admin({ from: pod(from), to: pod(to) })).toEqual({ egress: 'Deny', ingress: 'Deny' });
      }
      expect(v.decide('Admin', 'ingress', { from: pod('b'), to: pod('a') })).toEqual({ action: 'Deny', policy: 'namespace-guard-isolation-a', rule: 'deny-other-tenants' });
      expect(v.admin({ from: pod('a', { app: 'x' }), to: pod('a', { app: 'y' }) })).toEqual({});
      expect(v.admin({ from: pod('a'), to: pod('team') })).toEqual({});
      expect(v.admin({ from: pod('ingress-nginx'), to: pod('a') })).toEqual({});
    });

    test('a declared and acknowledged flow between tenants is passed to the NetworkPolicies, only that way and only for those pods', () => {
      const v = new TierVerdicts(synth(api, chart => {
        const [a, b] = ['a', 'b'].map(n => new TenantNamespace(chart, n));
        declareTenantFlow(a, b, b.pods({ app: 'api' }));
      }));
      expect(v.admin({ from: pod('a', { app: 'web' }), to: pod('b', { app: 'api' }), protocol: 'TCP', port: 8080 })).toEqual({ egress: 'Pass', ingress: 'Pass' });
      expect(v.decide('Admin', 'ingress', { from: pod('a'), to: pod('b', { app: 'api' }) })).toEqual({ action: 'Pass', policy: 'namespace-guard-isolation-b', rule: 'pass-declared' });
      // a's side names b's api pods; b's side admits a into the namespace, where b's policies pick the pods.
      expect(v.admin({ from: pod('a'), to: pod('b', { app: 'db' }) })).toEqual({ egress: 'Deny', ingress: 'Pass' });
      expect(v.admin({ from: pod('b', { app: 'api' }), to: pod('a') })).toEqual({ egress: 'Deny', ingress: 'Deny' });
    });

    test('a flow declared by label is passed only to the other tenants the label selects', () => {
      const objects = synth(api, chart => {
        const a = new TenantNamespace(chart, 'a');
        new TenantNamespace(chart, 'b', { namespaceLabels: { partner: 'yes' } });
        new TenantNamespace(chart, 'c');
        new TeamNamespace(chart, 'team', { namespaceLabels: { partner: 'yes' } });
        a.connections.allowFrom(Peer.namespacesWithLabels({ partner: 'yes' }), Port.tcp(8080));
        a.acknowledge(RuleId.CROSS_TENANT_FLOW, 'partners call a by contract', { appliesTo: ['b'] });
        a.acknowledge(RuleId.TENANT_DATA_ACCESS, 'the partner team calls a by contract', { appliesTo: ['team'] });
      });
      const pass = named(objects, 'namespace-guard-isolation-a').spec.ingress[0];
      expect(pass).toEqual({ name: 'pass-declared', action: 'Pass', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }] });
      const v = new TierVerdicts(objects);
      expect(v.decide('Admin', 'ingress', { from: pod('b'), to: pod('a') })?.action).toBe('Pass');
      expect(v.decide('Admin', 'ingress', { from: pod('c'), to: pod('a') })?.action).toBe('Deny');
      // Not a tenant: not denied, so not passed either (the platform's own Admin policies still see it).
      expect(v.decide('Admin', 'ingress', { from: pod('team'), to: pod('a') })).toBeUndefined();
    });

    test('a restricted zone admits only its own zone and declared zones, and sends only to its zone and DNS', () => {
      const v = new TierVerdicts(synth(api, chart => {
        const web = new SecurityZone(chart, 'web', { exposure: Exposure.INTERNAL, namespaces: ['web1'] });
        new SecurityZone(chart, 'other', { exposure: Exposure.INTERNAL, namespaces: ['other1'] });
        const data = new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['db1', 'db2'] });
        web.connections.allowTo(data.pods({ app: 'postgres' }), Port.tcp(5432));
        new TenantNamespace(chart, 't');
      }));
      const ingress = (from: string, to = 'db1') => v.decide('Admin', 'ingress', { from: pod(from), to: pod(to, { app: 'postgres' }) })?.action;
      expect(ingress('web1')).toBe('Pass');
      expect(ingress('db2')).toBe('Pass');
      expect(ingress('db1')).toBe('Pass');
      for (const outsider of ['other1', 't', 'kube-system', 'unmanaged']) expect(ingress(outsider)).toBe('Deny');
      const egress = (to: { namespace: string; podLabels?: Record<string, string> } | { address: string }, port = 5432, protocol: 'TCP' | 'UDP' = 'TCP') =>
        v.decide('Admin', 'egress', { from: pod('db1'), to, protocol, port })?.action;
      expect(egress(pod('db2'))).toBe('Pass');
      expect(egress(pod('kube-system', { 'k8s-app': 'kube-dns' }), 53, 'UDP')).toBe('Pass');
      expect(egress(pod('kube-system', { 'k8s-app': 'kube-dns' }), 443)).toBe('Deny');
      for (const outside of [pod('web1'), pod('t'), { address: '8.8.8.8' }, { address: '10.1.2.3' }]) expect(egress(outside)).toBe('Deny');
      // The flow from web was declared from web's side: web's egress is not the zone's business.
      expect(v.decide('Admin', 'egress', { from: pod('web1'), to: pod('db1') })).toBeUndefined();
    });

    test('no managed namespace in enforce mode reaches the cloud metadata addresses, even with an acknowledged flow to them', () => {
      const objects = synth(api, chart => {
        new TenantNamespace(chart, 'a');
        const team = new TeamNamespace(chart, 'team');
        team.connections.allowTo(Peer.ipv4('169.254.169.254/32'), Port.tcp(80));
        team.acknowledge(RuleId.LINK_LOCAL_EGRESS, 'the node agent needs the instance identity', { appliesTo: ['169.254.169.254/32'] });
        new SecurityZone(chart, 'web', { exposure: Exposure.INTERNET, namespaces: ['web1'], internetPorts: [Port.tcp(8443)] });
      });
      const v = new TierVerdicts(objects);
      for (const namespace of ['a', 'team', 'web1']) {
        // Azure's WireServer (node bootstrap secrets on AKS) is a public address, and denied like the rest.
        for (const address of ['169.254.169.254', '100.100.100.200', '168.63.129.16']) {
          expect(v.decide('Admin', 'egress', { from: pod(namespace), to: { address }, protocol: 'TCP', port: 80 }))
            .toEqual({ action: 'Deny', policy: 'namespace-guard-metadata', rule: 'deny-cloud-metadata' });
        }
        expect(v.decide('Admin', 'egress', { from: pod(namespace), to: { address: '169.254.20.10' }, protocol: 'UDP', port: 53 })).toBeUndefined();
      }
      const networks = named(objects, 'namespace-guard-metadata').spec.egress[0].to[0].networks;
      // IPv6 and NAT64 forms too; not the IPv4-mapped ones, which Kubernetes' isCIDR refuses (they leave as IPv4).
      expect(networks).toEqual(expect.arrayContaining(['169.254.169.254/32', '100.100.100.200/32', '168.63.129.16/32', 'fd00:ec2::254/128', '64:ff9b::a9fe:a9fe/128']));
      expect(networks.filter((n: string) => n.startsWith('::ffff:'))).toEqual([]);
    });

    test('the Baseline closes a managed namespace without NetworkPolicies, but for the cluster profile\'s DNS', () => {
      const v = new TierVerdicts(synth(api, chart => {
        const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal('169.254.20.10') });
        new TenantNamespace(chart, 'a', { cluster });
        new TeamNamespace(chart, 'team', { cluster });
      }));
      const egress = (to: any, protocol: 'TCP' | 'UDP', port: number) => v.decide('Baseline', 'egress', { from: pod('a'), to, protocol, port })?.action;
      expect(egress(pod('kube-system', { 'k8s-app': 'kube-dns' }), 'UDP', 53)).toBe('Accept');
      expect(egress(pod('kube-system', { 'k8s-app': 'kube-dns' }), 'TCP', 53)).toBe('Accept');
      expect(egress({ address: '169.254.20.10' }, 'UDP', 53)).toBe('Accept');
      expect(egress(pod('kube-system', { 'k8s-app': 'kube-dns' }), 'TCP', 443)).toBe('Deny');
      expect(egress({ address: '1.1.1.1' }, 'UDP', 53)).toBe('Deny');
      // Same-namespace traffic is not kept: a namespace whose policies are gone fails closed.
      for (const to of [pod('a'), pod('team'), pod('unmanaged')]) expect(egress(to, 'TCP', 8080)).toBe('Deny');
      for (const from of [pod('a'), pod('team'), pod('kube-system')]) {
        expect(v.decide('Baseline', 'ingress', { from, to: pod('a'), protocol: 'TCP', port: 8080 })?.action).toBe('Deny');
      }
      expect(v.decide('Baseline', 'egress', { from: pod('unmanaged'), to: pod('a') })).toBeUndefined();
    });

    test('namespaces in monitor mode are never denied by the cluster tiers; enforcing tenants still deny them, as their own policies do', () => {
      const objects = synth(api, chart => {
        new TenantNamespace(chart, 'a');
        new TenantNamespace(chart, 'watched', { enforcement: Enforcement.MONITOR })
          .acknowledge(RuleId.MONITORED_TENANT, 'onboarding until the end of the month');
        new SecurityZone(chart, 'data', { exposure: Exposure.RESTRICTED, namespaces: ['db'], enforcement: Enforcement.MONITOR });
      });
      expect(clusterPolicies(objects).map(p => p.metadata.name).filter(n => n.includes('isolation'))).toEqual(['namespace-guard-isolation-a']);
      const v = new TierVerdicts(objects);
      for (const namespace of ['watched', 'db']) {
        for (const tier of ['Admin', 'Baseline'] as const) {
          expect(v.decide(tier, 'egress', { from: pod(namespace), to: { address: '169.254.169.254' }, protocol: 'TCP', port: 80 })).toBeUndefined();
          expect(v.decide(tier, 'egress', { from: pod(namespace), to: pod('a') })).toBeUndefined();
          expect(v.decide(tier, 'ingress', { from: pod('a'), to: pod(namespace) })).toBeUndefined();
        }
      }
      expect(v.admin({ from: pod('watched'), to: pod('a') })).toEqual({ ingress: 'Deny' });
    });
  });

  test('a pass rule holds at most 25 peers: more declared pod selections are split across rules', () => {
    const objects = synth(ClusterNetworkPolicyApi.V1ALPHA2, chart => {
      const [hub, client] = ['hub', 'client'].map(n => new TenantNamespace(chart, n));
      for (let i = 0; i < 30; i++) hub.connections.allowFrom(client.pods({ app: `caller-${i}` }), Port.tcp(8080));
      hub.acknowledge(RuleId.CROSS_TENANT_FLOW, 'client calls the hub by contract', { appliesTo: ['client'] });
      client.acknowledge(RuleId.CROSS_TENANT_FLOW, 'client calls the hub by contract', { appliesTo: ['hub'] });
    });
    const ingress = named(objects, 'namespace-guard-isolation-hub').spec.ingress;
    expect(ingress.map((r: any) => [r.name, r.action, r.from.length])).toEqual([
      ['pass-declared', 'Pass', 25], ['pass-declared-2', 'Pass', 5], ['deny-other-tenants', 'Deny', 1],
    ]);
    const v = new TierVerdicts(objects);
    // Peers are sorted by their labels as text: caller-5 to caller-9 come last.
    expect(v.decide('Admin', 'ingress', { from: pod('client', { app: 'caller-9' }), to: pod('hub') })?.rule).toBe('pass-declared-2');
    expect(v.decide('Admin', 'ingress', { from: pod('client', { app: 'caller-29' }), to: pod('hub') })?.rule).toBe('pass-declared');
    expect(v.decide('Admin', 'ingress', { from: pod('client', { app: 'caller-30' }), to: pod('hub') })?.action).toBe('Deny');
  });

  test('output does not depend on the order of construction or of declarations', () => {
    const build = (reverse: boolean): Build => chart => {
      const names = reverse ? ['c', 'b', 'a'] : ['a', 'b', 'c'];
      const tenants = new Map(names.map(n => [n, new TenantNamespace(chart, n)]));
      const flows: Array<[string, string, string]> = [['a', 'b', 'api'], ['a', 'c', 'api'], ['a', 'b', 'web'], ['c', 'b', 'api']];
      for (const [from, to, app] of reverse ? [...flows].reverse() : flows) {
        tenants.get(from)!.connections.allowTo(tenants.get(to)!.pods({ app }), Port.tcp(8080));
      }
      for (const [n, t] of tenants) t.acknowledge(RuleId.CROSS_TENANT_FLOW, 'these tenants share services by contract', { appliesTo: names.filter(o => o !== n) });
    };
    const rendered = (objects: K8sObject[]) => clusterPolicies(objects).map(p => yaml.stringify(p)).sort();
    const first = rendered(synth(ClusterNetworkPolicyApi.V1ALPHA2, build(false)));
    expect(rendered(synth(ClusterNetworkPolicyApi.V1ALPHA2, build(true)))).toEqual(first);
    expect(rendered(synth(ClusterNetworkPolicyApi.V1ALPHA2, build(false), { guardrailsLast: true }))).toEqual(first);
    expect(first.join('\n')).toContain('namespace-guard-isolation-c');
  });

  test('1,000 tenants with declared flows stay within the API limits, select by label, and pass exactly the declared flows', () => {
    const count = 1000;
    const name = (i: number) => `tenant-${String((i + count) % count).padStart(4, '0')}`;
    const objects = synth(ClusterNetworkPolicyApi.V1ALPHA2, chart => {
      const tenants = Array.from({ length: count }, (_, i) => new TenantNamespace(chart, name(i)));
      const hub = new TenantNamespace(chart, 'hub');
      tenants.forEach((t, i) => {
        for (const d of [1, 2, 3]) t.connections.allowTo(tenants[(i + d) % count].pods({ app: 'api' }), Port.tcp(8080));
        const partners = [1, 2, 3].flatMap(d => [name(i + d), name(i - d)]);
        if (i < 60) {
          hub.connections.allowFrom(t.pods({ app: `caller-${i}` }), Port.tcp(8443));
          partners.push('hub');
        }
        t.acknowledge(RuleId.CROSS_TENANT_FLOW, 'neighbours share services by contract', { appliesTo: partners });
      });
      hub.acknowledge(RuleId.CROSS_TENANT_FLOW, 'the hub serves its clients by contract', { appliesTo: Array.from({ length: 60 }, (_, i) => name(i)) });
    });
    const policies = clusterPolicies(objects);
    expect(policies).toHaveLength(count + 3);
    for (const p of policies) {
      expect(p.metadata.name.length).toBeLessThanOrEqual(253);
      for (const direction of ['ingress', 'egress']) {
        const rules = p.spec[direction] ?? [];
        expect(rules.length).toBeLessThanOrEqual(25);
        for (const rule of rules) {
          const peers = rule.from ?? rule.to;
          expect(peers.length).toBeLessThanOrEqual(25);
          // Selection by label: no selector lists more than the namespace's own declared peers.
          for (const peer of peers) {
            const selector = peer.namespaces ?? peer.pods?.namespaceSelector ?? {};
            for (const e of selector.matchExpressions ?? []) expect(e.values.length).toBeLessThanOrEqual(60);
          }
        }
      }
    }
    // The cluster-wide policies select by the labels the bundles write; an isolation policy selects its one namespace.
    for (const clusterWide of ['namespace-guard-metadata', 'namespace-guard-baseline']) {
      expect(named(objects, clusterWide).spec.subject).toEqual({
        namespaces: {
          matchLabels: { 'app.kubernetes.io/managed-by': 'cdk8s-namespace-guard' },
          matchExpressions: [{ key: 'namespace-guard.dev/enforcement', operator: 'NotIn', values: ['monitor'] }],
        },
      });
    }
    expect(named(objects, `namespace-guard-isolation-${name(7)}`).spec.subject).toEqual({ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': name(7) } } });
    const hub = named(objects, 'namespace-guard-isolation-hub').spec.ingress;
    expect(hub.map((r: any) => r.from.length)).toEqual([25, 25, 10, 1]);
    const v = new TierVerdicts(objects);
    expect(v.admin({ from: pod(name(10), { app: 'web' }), to: pod(name(12), { app: 'api' }) })).toEqual({ egress: 'Pass', ingress: 'Pass' });
    expect(v.admin({ from: pod(name(10)), to: pod(name(14), { app: 'api' }) })).toEqual({ egress: 'Deny', ingress: 'Deny' });
    expect(v.admin({ from: pod(name(998)), to: pod(name(1), { app: 'api' }) })).toEqual({ egress: 'Pass', ingress: 'Pass' });
    expect(v.admin({ from: pod(name(12)), to: pod(name(10)) })).toEqual({ egress: 'Deny', ingress: 'Deny' });
    expect(v.decide('Admin', 'ingress', { from: pod(name(59), { app: 'caller-59' }), to: pod('hub') })?.action).toBe('Pass');
    expect(v.decide('Admin', 'ingress', { from: pod(name(60), { app: 'caller-60' }), to: pod('hub') })?.action).toBe('Deny');
  }, 240_000);

  describe('refuses, naming the construct and the fix', () => {
    test('cluster network policies in monitor mode, which they cannot honour', () => {
      const { chart } = newChart();
      expect(errorOf(() => new ClusterGuardrails(chart, 'g', {
        platformAdmins: [Subject.group('admins')], enforcement: Enforcement.MONITOR, networkPolicyApi: ClusterNetworkPolicyApi.V1ALPHA2,
      }))).toMatch(/\[test\/g\] invalid ClusterGuardrails: networkPolicyApi cannot be combined with Enforcement.MONITOR.*Fix:/);
    });

    test('an unknown API', () => {
      const { chart } = newChart();
      expect(errorOf(() => new ClusterGuardrails(chart, 'g', { platformAdmins: [Subject.group('admins')], networkPolicyApi: 'v1' as any })))
        .toMatch(/networkPolicyApi "v1" is not a ClusterNetworkPolicyApi; use ClusterNetworkPolicyApi.V1ALPHA2, V1ALPHA1 or NONE/);
    });

    test('an unacknowledged flow between tenants fails synthesis, so nothing unacknowledged is ever passed', () => {
      const { chart } = newChart();
      Findings.silence(chart);
      new ClusterGuardrails(chart, 'g', { platformAdmins: [Subject.group('admins')], networkPolicyApi: ClusterNetworkPolicyApi.V1ALPHA2 });
      const [a, b] = ['a', 'b'].map(n => new TenantNamespace(chart, n));
      a.connections.allowTo(b, Port.tcp(8080));
      expect(errorOf(() => Testing.synth(chart))).toMatch(/cross-tenant-flow/);
    });
  });
});

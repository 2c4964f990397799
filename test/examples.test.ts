import * as fs from 'fs';
import * as path from 'path';
import { App, Testing, Yaml } from 'cdk8s';
import { expectValidManifests } from './schema';
import { calicoRolloutChart } from '../examples/calico-rollout';
import { CUSTOMERS, multiTenantChart } from '../examples/multi-tenant';
import { securityZonesChart } from '../examples/security-zones';
import { teamsChart } from '../examples/teams';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: any;
}

function synth(build: (app: App) => unknown): Manifest[] {
  const app = Testing.app();
  build(app);
  return app.charts.flatMap(c => Testing.synth(c));
}

const policies = (objs: Manifest[], ns: string) => objs.filter(o => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns);
const policy = (objs: Manifest[], ns: string, name: string) => policies(objs, ns).find(p => p.metadata.name === name);
const namespacesSelectedBy = (p: Manifest) => JSON.stringify(p.spec);

describe('multi-tenant SaaS example', () => {
  const objs = synth(multiTenantChart);

  test('matches the snapshot and the Kubernetes schema', () => {
    expectValidManifests(objs);
    expect(Yaml.stringify(...objs)).toMatchSnapshot();
  });

  test.each(CUSTOMERS)('%s denies everything by default and resolves DNS', customer => {
    const deny = policy(objs, customer, 'default-deny')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = policy(objs, customer, 'allow-dns')!;
    expect(dns.spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  test.each(CUSTOMERS)('%s has no rule that names another tenant', customer => {
    const others = CUSTOMERS.filter(c => c !== customer);
    for (const p of policies(objs, customer)) {
      for (const other of others) expect(namespacesSelectedBy(p)).not.toContain(`"${other}"`);
    }
  });

  test.each(CUSTOMERS)('%s is reachable from outside only through the ingress controller', customer => {
    const ingressPolicies = policies(objs, customer).filter(p => p.spec.ingress?.length);
    const sources = ingressPolicies.flatMap(p => p.spec.ingress.flatMap((r: any) => r.from ?? [{ any: true }]));
    const external = sources.filter((s: any) => s.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] !== customer);
    expect(external.length).toBeGreaterThan(0);
    for (const s of external) {
      expect(s).toEqual({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      });
    }
  });

  test.each(CUSTOMERS)('%s writes the backend → database flow on both sides', customer => {
    const egress = policy(objs, customer, `allow-to-${customer}-database-from-backend`)!;
    expect(egress.spec.podSelector).toEqual({ matchLabels: { app: 'backend' } });
    expect(egress.spec.egress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
    const ingress = policy(objs, customer, `allow-from-${customer}-backend-to-database`)!;
    expect(ingress.spec.podSelector).toEqual({ matchLabels: { app: 'database' } });
    expect(ingress.spec.ingress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
  });

  test.each(CUSTOMERS)('%s declares its own host and its Ingress claims only that one', customer => {
    const ns = objs.find(o => o.kind === 'Namespace' && o.metadata.name === customer)!;
    expect((ns.metadata as any).annotations['namespace-guard.dev/ingress-hosts']).toBe(`${customer}.saas.example.com`);
    const ingresses = objs.filter(o => o.kind === 'Ingress' && o.metadata.namespace === customer);
    expect(ingresses.flatMap(i => i.spec.rules.map((r: any) => r.host))).toEqual([`${customer}.saas.example.com`]);
  });

  test('every tenant has a full bundle', () => {
    for (const customer of CUSTOMERS) {
      const kinds = objs.filter(o => o.metadata.namespace === customer || (o.kind === 'Namespace' && o.metadata.name === customer)).map(o => o.kind);
      expect(new Set(kinds)).toEqual(new Set([
        'Namespace', 'ServiceAccount', 'ResourceQuota', 'LimitRange', 'Role', 'RoleBinding', 'NetworkPolicy', 'Deployment', 'Service', 'Ingress', 'Secret',
      ]));
    }
  });
});

describe('team segmentation example', () => {
  const objs = synth(teamsChart);

  test('matches the snapshot and the Kubernetes schema', () => {
    expectValidManifests(objs);
    expect(Yaml.stringify(...objs)).toMatchSnapshot();
  });

  test('each team binds its own groups in its own namespace only', () => {
    for (const team of ['payments', 'catalog', 'checkout']) {
      const bindings = objs.filter(o => o.kind === 'RoleBinding' && o.metadata.namespace === team);
      const groups = bindings.flatMap(b => b.subjects.map((s: any) => s.name)).sort();
      expect(groups).toEqual([`${team}-developers`, `${team}-leads`, 'sre'].sort());
      for (const b of bindings) expect(b.roleRef.kind).toBe('Role');
    }
    expect(objs.some(o => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toBe(false);
  });

  test('the one team-to-team call is written in both teams, on its port only', () => {
    const out = policy(objs, 'checkout', 'allow-to-payments-api-from-checkout-api')!;
    expect(out.spec.egress[0]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: { matchLabels: { app: 'payments-api' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    const into = policy(objs, 'payments', 'allow-from-checkout-api-to-payments-api')!;
    expect(into.spec.podSelector).toEqual({ matchLabels: { app: 'payments-api' } });
    const crossTeam = objs.filter(o => o.kind === 'NetworkPolicy' && /"(payments|catalog|checkout)"/.test(JSON.stringify(o.spec))
      && !JSON.stringify(o.spec).includes(`"${o.metadata.namespace}"`));
    expect(crossTeam.map(p => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual([
      'checkout/allow-to-payments-api-from-checkout-api',
      'payments/allow-from-checkout-api-to-payments-api',
    ]);
  });

  test('catalog runs at baseline but still audits and warns at restricted', () => {
    const ns = objs.find(o => o.kind === 'Namespace' && o.metadata.name === 'catalog')!;
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });
});

describe('security zones example', () => {
  const objs = synth(securityZonesChart);
  const members = { web: ['storefront'], auth: ['identity'], data: ['orders-db', 'customers-db'], ops: ['observability', 'devops-tools'] };

  test('matches the snapshot and the Kubernetes schema', () => {
    expectValidManifests(objs);
    expect(Yaml.stringify(...objs)).toMatchSnapshot();
  });

  test('web → data is written in web and in every data member', () => {
    expect(policy(objs, 'storefront', 'allow-to-zone-data')!.spec.egress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
    for (const ns of members.data) {
      const p = policy(objs, ns, 'allow-from-zone-web')!;
      expect(p.spec.ingress[0]).toEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storefront' } } }],
        ports: [{ port: 5432, protocol: 'TCP' }],
      });
    }
  });

  test('web → auth is written on both sides', () => {
    expect(policy(objs, 'storefront', 'allow-to-zone-auth')!.spec.egress[0].ports).toEqual([{ port: 8443, protocol: 'TCP' }]);
    expect(policy(objs, 'identity', 'allow-from-zone-web')!.spec.ingress[0].ports).toEqual([{ port: 8443, protocol: 'TCP' }]);
  });

  test('ops may scrape the metrics port of every zone', () => {
    for (const ns of [...members.web, ...members.auth, ...members.data]) {
      expect(policy(objs, ns, 'allow-from-zone-ops')!.spec.ingress[0].ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
    }
  });

  test('the data zone sends nothing but DNS and within-zone traffic', () => {
    for (const ns of members.data) {
      const egress = policies(objs, ns).filter(p => p.spec.policyTypes.includes('Egress') && p.spec.egress);
      expect(egress.map(p => p.metadata.name).sort()).toEqual(['allow-dns', 'allow-same-namespace', 'allow-to-zone-data']);
    }
  });

  test('only the web zone admits internet traffic', () => {
    const internet = objs.filter(o => o.kind === 'NetworkPolicy' && JSON.stringify(o.spec).includes('0.0.0.0/0'));
    expect(internet.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['storefront/allow-from-internet']);
    expect(internet[0].spec.ingress[0].ports).toEqual([{ port: 8443, protocol: 'TCP' }]);
  });
});

describe('rolling out on Calico in monitor mode example', () => {
  const objs = synth(calicoRolloutChart);
  const staged = (ns: string) => objs.filter(o => o.kind === 'StagedKubernetesNetworkPolicy' && o.metadata.namespace === ns);

  test('matches the snapshot and the schemas (Calico\'s staged policy included)', () => {
    expectValidManifests(objs);
    expect(Yaml.stringify(...objs)).toMatchSnapshot();
  });

  test('search, in monitor mode, has its intended policies staged and no NetworkPolicy', () => {
    expect(staged('search').map(p => p.metadata.name).sort()).toEqual([
      'allow-dns', 'allow-from-ingress-nginx-to-search-api', 'allow-same-namespace', 'allow-to-recommendations-recommender-from-search-api', 'default-deny',
    ]);
    expect(staged('search').every(p => p.apiVersion === 'projectcalico.org/v3')).toBe(true);
    expect(policies(objs, 'search')).toEqual([]);
    const ns = objs.find(o => o.kind === 'Namespace' && o.metadata.name === 'search')!;
    expect(ns.metadata.labels).toMatchObject({ 'namespace-guard.dev/enforcement': 'monitor', 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/audit': 'restricted' });
  });

  test('recommendations enforces with NetworkPolicies, and admits search on the declared port', () => {
    expect(staged('recommendations')).toEqual([]);
    expect(policy(objs, 'recommendations', 'allow-from-search-api-to-recommender')!.spec.ingress[0]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'search' } }, podSelector: { matchLabels: { app: 'search-api' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  test('nothing of it is an allow-all: monitor mode on Calico needs none', () => {
    expect(objs.filter(o => JSON.stringify(o.metadata).includes('monitor-only'))).toEqual([]);
  });
});

test('examples synthesize to byte-identical YAML twice', () => {
  const once = () => {
    const app = Testing.app();
    multiTenantChart(app);
    teamsChart(app);
    securityZonesChart(app);
    calicoRolloutChart(app);
    return app.synthYaml();
  };
  expect(once()).toEqual(once());
});

test('the examples are what a user would copy: they import the library by its package name, never its sources', () => {
  const dir = path.join(__dirname, '..', 'examples');
  const relative = fs.readdirSync(dir).filter(f => f.endsWith('.ts')).flatMap(f => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    return [...text.matchAll(/from '(\.\.\/[^']*)'|require\('(\.\.\/[^']*)'\)/g)].map(m => `${f}: ${m[1] ?? m[2]}`);
  });
  expect(relative).toEqual([]);
});

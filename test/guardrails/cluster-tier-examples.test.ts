// The cluster network tier holds the examples' isolation by itself: with every namespaced
// NetworkPolicy of one tenant deleted (as a tenant with too broad rights, or a mis-scoped GitOps
// tool, could), `reach` on the synthesized output still shows the tenants isolated from each other
// and the tenant default-deny; without the tier, the same deletion opens the tenant to everyone.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { guardrailsChart } from '../../examples/guardrails';
import { CUSTOMERS, multiTenantChart } from '../../examples/multi-tenant';
import { securityZonesChart } from '../../examples/security-zones';
import { teamsChart } from '../../examples/teams';
import { ClusterGuardrails, ClusterNetworkPolicyApi, Subject } from '../../src';
import { cli } from '../cli/run-cli';
import { expectValidManifests } from '../schema';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-tier-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The examples app as `npm run examples` builds it, with or without the cluster tier. */
function examples(tier: boolean): any[] {
  const app: App = Testing.app();
  multiTenantChart(app);
  teamsChart(app);
  securityZonesChart(app);
  if (tier) {
    guardrailsChart(app);
  } else {
    new ClusterGuardrails(new Chart(app, 'guardrails'), 'guardrails', {
      platformAdmins: [Subject.group('platform-admins')], networkPolicyApi: ClusterNetworkPolicyApi.NONE,
    });
  }
  const objects = app.charts.flatMap(c => Testing.synth(c)) as any[];
  expectValidManifests(objects);
  return objects;
}

/** Pods the cluster has besides the examples: CoreDNS, and an intruder in a namespace without policies. */
const CLUSTER_PODS = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: { containers: [{ name: 'coredns', image: 'coredns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }] },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'intruder', namespace: 'intruder' }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } },
];

/** Writes the objects without the NetworkPolicies of `namespace`, with the cluster's own pods; returns the file. */
function withoutPoliciesOf(objects: any[], namespace: string, name: string): string {
  const kept = objects.filter(o => !(o.kind === 'NetworkPolicy' && o.metadata?.namespace === namespace));
  expect(kept.length).toBeLessThan(objects.length);
  const file = path.join(dir, name);
  fs.writeFileSync(file, Yaml.stringify(...kept, ...CLUSTER_PODS));
  return file;
}

async function matrix(file: string, port: number, protocol = 'TCP'): Promise<Record<string, Record<string, boolean>>> {
  const r = await cli(['reach', '-f', file, '--port', String(port), '--protocol', protocol, '--format', 'json', '--quiet']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout).allowed;
}

const [victim, neighbour] = CUSTOMERS;
const pods = (m: Record<string, unknown>, ns: string) => Object.keys(m).filter(k => k.startsWith(`${ns}/`));

describe('the examples with the cluster network tier (ClusterNetworkPolicy v1alpha2)', () => {
  const withTier = examples(true);

  test('writes the Admin and Baseline tiers, and the tenant still has its own NetworkPolicies', () => {
    const tiers = withTier.filter(o => o.kind === 'ClusterNetworkPolicy');
    expect(new Set(tiers.map(t => t.spec.tier))).toEqual(new Set(['Admin', 'Baseline']));
    expect(tiers.map(t => t.metadata.name)).toContain(`namespace-guard-isolation-${victim}`);
    expect(withTier.filter(o => o.kind === 'NetworkPolicy' && o.metadata.namespace === victim).length).toBeGreaterThan(3);
  });

  test(`with every NetworkPolicy of ${victim} deleted, reach shows the tenants isolated both ways and ${victim} default-deny`, async () => {
    const file = withoutPoliciesOf(withTier, victim, 'tier.yaml');
    for (const port of [8080, 5432, 9000]) {
      const allowed = await matrix(file, port);
      const mine = pods(allowed, victim);
      const theirs = pods(allowed, neighbour);
      expect(mine.length).toBeGreaterThanOrEqual(3);
      for (const a of mine) {
        for (const b of theirs) {
          expect({ port, from: a, to: b, allowed: allowed[a][b] }).toEqual({ port, from: a, to: b, allowed: false });
          expect({ port, from: b, to: a, allowed: allowed[b][a] }).toEqual({ port, from: b, to: a, allowed: false });
        }
      }
      // Nothing outside the tenant reaches it: the Baseline tier is default-deny where no NetworkPolicy is left.
      for (const from of Object.keys(allowed).filter(k => !k.startsWith(`${victim}/`))) {
        for (const to of mine) expect({ port, from, to, allowed: allowed[from][to] }).toEqual({ port, from, to, allowed: false });
      }
    }
    // DNS still resolves.
    const dns = await matrix(file, 53, 'UDP');
    for (const a of pods(dns, victim)) expect({ a, dns: dns[a]['kube-system/coredns'] }).toEqual({ a, dns: true });

    const why = await cli(['reach', '-f', file, '--from', `${neighbour}/backend`, '--to', `${victim}/backend`, '--port', '8080']);
    expect(why.code).toBe(1);
    expect(why.stdout).toContain(`Ingress: the Admin tier denies TCP/8080 from ${neighbour}/backend: ClusterNetworkPolicy namespace-guard-isolation-${victim} rule deny-other-tenants`);
    const intruder = await cli(['reach', '-f', file, '--from', 'intruder/intruder', '--to', `${victim}/backend`, '--port', '8080']);
    expect(intruder.code).toBe(1);
    expect(intruder.stdout).toContain(`Ingress: no NetworkPolicy of namespace ${victim} selects ${victim}/backend for ingress, so the Baseline tier decides; `
      + 'it denies TCP/8080 from intruder/intruder: ClusterNetworkPolicy namespace-guard-baseline rule deny-all (priority 900)');
  });

  test('without the tier, the same deletion opens the tenant to any pod of an unguarded namespace', async () => {
    const file = withoutPoliciesOf(examples(false), victim, 'no-tier.yaml');
    const allowed = await matrix(file, 8080);
    expect(allowed['intruder/intruder'][`${victim}/backend`]).toBe(true);
    expect(allowed[`${victim}/backend`][`${neighbour}/backend`]).toBe(false); // only the neighbour's own policies still hold
  });
});

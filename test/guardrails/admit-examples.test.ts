// `namespace-guard admit` on the examples' synthesized YAML, as a platform team would run it in CI:
// a tenant admin's attack is denied with the policy and its fix, the tenant's own work is admitted.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import { guardrailsChart } from '../../examples/guardrails';
import { multiTenantChart } from '../../examples/multi-tenant';
import { cli } from '../cli/run-cli';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'admit-examples-'));
  const app = Testing.app({ outdir: path.join(dir, 'dist') });
  multiTenantChart(app);
  guardrailsChart(app);
  app.synth();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, ...objects: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Yaml.stringify(...objects));
  return file;
}

const AS_TENANT_ADMIN = ['--user', 'mallory', '--group', 'customer1-admins', '--format', 'json'];

test('the synthesized output holds the guardrails and the tenants', () => {
  const files = fs.readdirSync(path.join(dir, 'dist')).sort();
  expect(files).toEqual(['guardrails.k8s.yaml', 'multi-tenant.k8s.yaml']);
});

test('a tenant admin\'s Service with externalIPs and a hijacked host are denied, exit 1', async () => {
  const attack = write('attack.yaml',
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'intercept', namespace: 'customer1' }, spec: { ports: [{ port: 443 }], externalIPs: ['203.0.113.10'] } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'steal', namespace: 'customer1' },
      spec: { rules: [{ host: 'customer2.saas.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'backend', port: { number: 80 } } } }] } }] },
    });
  const result = await cli(['admit', '-f', path.join(dir, 'dist'), '--object', attack, '--operation', 'CREATE', ...AS_TENANT_ADMIN]);
  expect(result.code).toBe(1);
  const lines = result.stdout.trim().split('\n').map(l => JSON.parse(l));
  expect(lines.map(l => [l.kind, l.allowed, l.denials.map((d: any) => d.policy)])).toEqual([
    ['Service', false, ['namespace-guard-services']],
    ['Ingress', false, ['namespace-guard-ingress-hosts']],
  ]);
  expect(lines[0].denials[0].message).toMatch(/CVE-2020-8554.*Fix:/);
});

test('deleting the tenant\'s default-deny policy is denied; the namespace controller may', async () => {
  const output = fs.readFileSync(path.join(dir, 'dist', 'multi-tenant.k8s.yaml'), 'utf8');
  const defaultDeny = Yaml.load(path.join(dir, 'dist', 'multi-tenant.k8s.yaml'))
    .find((o: any) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'customer1' && o.metadata.name === 'default-deny');
  expect(output).toContain('default-deny');
  const file = write('default-deny.yaml', defaultDeny);
  const byTenant = await cli(['admit', '-f', path.join(dir, 'dist'), '--object', file, '--operation', 'DELETE', ...AS_TENANT_ADMIN]);
  expect(byTenant.code).toBe(1);
  expect(JSON.parse(byTenant.stdout).denials.map((d: any) => d.policy)).toEqual(['namespace-guard-network-policies']);
  const byController = await cli(['admit', '-f', path.join(dir, 'dist'), '--object', file, '--operation', 'DELETE',
    '--user', 'system:serviceaccount:kube-system:namespace-controller', '--format', 'json']);
  expect(byController.code).toBe(0);
});

test('the tenant\'s own workloads, Service, Ingress and Secret from the example are admitted, exit 0', async () => {
  const own = Yaml.load(path.join(dir, 'dist', 'multi-tenant.k8s.yaml'))
    .filter((o: any) => o.metadata.namespace === 'customer1' && o.metadata.labels?.['app.kubernetes.io/managed-by'] === undefined);
  expect(own.map((o: any) => o.kind).sort()).toEqual(['Deployment', 'Deployment', 'Deployment', 'Ingress', 'Secret', 'Service']);
  const result = await cli(['admit', '-f', path.join(dir, 'dist'), '--object', write('own.yaml', ...own), '--operation', 'CREATE', ...AS_TENANT_ADMIN]);
  expect(result.code).toBe(0);
  const lines = result.stdout.trim().split('\n').map(l => JSON.parse(l));
  expect(lines.length).toBe(own.length);
  for (const line of lines) expect(line).toMatchObject({ allowed: true, denials: [], warnings: [] });
});

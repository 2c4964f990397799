// The plugin against a stand-in for the cdk8s CLI's ValidationContext: what it reports and submits
// for findings, warnings, bad input and bad properties (test/package/synth-plugin.test.ts runs it
// inside the real `cdk8s synth`).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { NamespaceGuardValidation, TenantNamespace } from '../../src';
import { cli } from '../cli/run-cli';
import { expectValidManifests } from '../schema';

interface Recorded { violations: any[]; submitted: Array<{ status: string; metadata?: { [key: string]: string } }>; logged: string[] }

function contextFor(manifests: string[]): { context: any; recorded: Recorded } {
  const recorded: Recorded = { violations: [], submitted: [], logged: [] };
  const context = {
    manifests,
    report: {
      addViolation: (v: any) => recorded.violations.push(v),
      submit: (status: string, metadata?: { [key: string]: string }) => recorded.submitted.push({ status, metadata }),
    },
    logger: { log: (m: string) => recorded.logged.push(m) },
  };
  return { context, recorded };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-validation-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, objects: any[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, objects.map(o => JSON.stringify(o)).join('\n---\n'));
  return file;
}

const tenantObjects = (() => {
  const chart = new Chart(Testing.app(), 'tenant');
  new TenantNamespace(chart, 'customer1');
  return chart.toJson();
})();

const hostPathPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'node-reader', namespace: 'customer1' },
  spec: { containers: [{ name: 'reader', image: 'busybox:1.36' }], volumes: [{ name: 'host', hostPath: { path: '/' } }] },
};

test('the tenant objects it reads are valid manifests', () => {
  expectValidManifests(tenantObjects);
});

test('each unacknowledged finding of check is one violation; an error fails the report', async () => {
  const file = write('broken.yaml', [...tenantObjects, hostPathPod]);
  const { context, recorded } = contextFor([file]);
  await new NamespaceGuardValidation().validate(context);
  const r = await cli(['check', '-f', file, '--format', 'json', '--fail-on', 'never']);
  const open = JSON.parse(r.stdout).findings.filter((f: any) => !f.acknowledged);
  expect(open.length).toBeGreaterThan(0);
  expect(recorded.violations).toEqual(open.map((f: any) => ({
    ruleName: f.rule,
    recommendation: `${f.severity}: ${f.message}`,
    fix: f.fix,
    violatingResources: [{ resourceName: f.name, locations: [expect.stringContaining(`${f.kind} ${f.namespace}/${f.name} (${file} document ${f.document}`)], manifestPath: file }],
  })));
  const errors = open.filter((f: any) => f.severity === 'error').length;
  expect(errors).toBeGreaterThan(0);
  expect(recorded.submitted).toEqual([{ status: 'failure', metadata: { errors: String(errors), warnings: String(open.length - errors), acknowledged: '0' } }]);
});

test('clean manifests: no violation, success', async () => {
  const { context, recorded } = contextFor([write('clean.yaml', tenantObjects)]);
  await new NamespaceGuardValidation({}).validate(context);
  expect(recorded).toMatchObject({ violations: [], submitted: [{ status: 'success', metadata: { errors: '0', warnings: '0', acknowledged: '0' } }] });
});

test('warnings fail the report only with failOnWarnings', async () => {
  // A policy whose podSelector selects no workload: an unmatched-flow-selector warning.
  const ghost = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'ghost', namespace: 'customer1' },
    spec: { podSelector: { matchLabels: { app: 'ghost' } }, policyTypes: ['Ingress'] },
  };
  expectValidManifests([ghost]);
  const file = write('warning.yaml', [...tenantObjects, ghost]);
  const r = await cli(['check', '-f', file, '--format', 'json', '--fail-on', 'never']);
  expect(JSON.parse(r.stdout)).toMatchObject({ errors: 0, warnings: 1 });
  for (const failOnWarnings of [false, true]) {
    const { context, recorded } = contextFor([file]);
    await new NamespaceGuardValidation({ failOnWarnings }).validate(context);
    expect(recorded.violations.map(v => [v.ruleName, v.recommendation.split(':')[0]])).toEqual([['unmatched-flow-selector', 'warning']]);
    expect(recorded.submitted).toEqual([{ status: failOnWarnings ? 'failure' : 'success', metadata: { errors: '0', warnings: '1', acknowledged: '0' } }]);
  }
});

test('manifests it cannot read fail the report with a bad-input violation naming the file, and it still submits', async () => {
  const file = path.join(dir, 'bad.yaml');
  fs.writeFileSync(file, 'kind: [');
  const { context, recorded } = contextFor([file]);
  await new NamespaceGuardValidation().validate(context);
  expect(recorded.violations).toEqual([{
    ruleName: 'bad-input',
    recommendation: expect.stringContaining(`${file} document 1`),
    fix: expect.any(String),
    violatingResources: [{ resourceName: file, locations: [expect.stringContaining(file)], manifestPath: file }],
  }]);
  expect(recorded.submitted).toEqual([{ status: 'failure', metadata: { errors: '1', warnings: '0', acknowledged: '0' } }]);
});

test('bad properties are refused with the property and the fix', () => {
  expect(() => new NamespaceGuardValidation({ podCidrs: ['10.0.0.0/33'] })).toThrow(/NamespaceGuardValidation: properties in cdk8s\.yaml: pod CIDR/);
  expect(() => new NamespaceGuardValidation({ podCidrs: '10.0.0.0/16' } as any)).toThrow(/properties\.podCidrs must be a list of CIDRs/);
  expect(() => new NamespaceGuardValidation({ failOnWarning: true } as any)).toThrow(/unknown properties failOnWarning in cdk8s\.yaml; the properties are podCidrs, serviceCidrs, nodeCidrs, failOnWarnings/);
  expect(() => new NamespaceGuardValidation({ failOnWarnings: 'yes' } as any)).toThrow(/failOnWarnings must be true or false/);
});

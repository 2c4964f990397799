// The cdk8s CLI's validation plugin, run by the real `cdk8s synth`: a project whose cdk8s.yaml names
// this repository as a local package loads the built library (package.json main: lib/), which must
// be fresh. Its report must say what `namespace-guard check` says about the same manifests.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { expectBuiltLibrary } from './built-library';
import { TenantNamespace } from '../../src';
import { cli } from '../cli/run-cli';
import { blocksUnder, ROOT } from '../docs/markdown';

const OWN = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const TS_NODE = path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');

interface Synth {
  readonly dir: string;
  readonly result: SpawnSyncReturns<string>;
  /** The CLI's JSON validation report, one entry per plugin (undefined when none was written). */
  readonly reports?: any[];
}

const projects: string[] = [];

/** A cdk8s project running `app`, validated by the plugin from this repository, synthesized with the CLI. */
function synth(app: string, files: { [name: string]: string } = {}, properties?: object): Synth {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-plugin-'));
  projects.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const validation = { package: ROOT, version: OWN.version, class: 'NamespaceGuardValidation', ...(properties ? { properties } : {}) };
  // JSON is YAML: the paths need no quoting rules.
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), JSON.stringify({ language: 'typescript', app, validations: [validation] }, undefined, 2));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|TS_NODE_|CDK8S_)/i.test(k)));
  const result = spawnSync(CDK8S, ['synth', '--no-check-upgrade', '--validation-reports-output-file', 'reports.json'], {
    cwd: dir, timeout: 120_000, encoding: 'utf8', env: { ...env, NO_COLOR: '1' },
  });
  const file = path.join(dir, 'reports.json');
  return { dir, result, reports: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).reports : undefined };
}

/** What `namespace-guard check` reports on the synthesized manifests, unacknowledged only. */
async function checkFindings(dir: string): Promise<any[]> {
  const r = await cli(['check', '-f', path.join(dir, 'dist'), '--format', 'json', '--fail-on', 'never']);
  expect([r.code, r.stderr]).toEqual([0, expect.any(String)]);
  return JSON.parse(r.stdout).findings.filter((f: any) => !f.acknowledged);
}

/** The report's violations as rule, recommendation, fix, resource and manifest file name. */
function violations(s: Synth): any[] {
  expect(s.reports).toHaveLength(1);
  return s.reports![0].violations.map((v: any) => {
    expect(v.violatingConstructs).toHaveLength(1);
    const c = v.violatingConstructs[0];
    return {
      rule: v.ruleName,
      recommendation: v.recommendation,
      fix: v.fix,
      name: c.resourceName,
      file: path.basename(c.manifestPath),
      path: c.constructPath,
    };
  });
}

function expectedViolations(findings: any[]): any[] {
  return findings.map(f => ({
    rule: f.rule, recommendation: expect.stringContaining(f.message), fix: f.fix, name: f.name, file: path.basename(f.file), path: expect.anything(),
  }));
}

beforeAll(() => expectBuiltLibrary());

afterAll(() => {
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true });
});

describe('cdk8s synth on an app with a hostPath pod in a tenant namespace', () => {
  // The library's own guard stops such an app inside app.synth(); an app that includes the same
  // objects as raw YAML reaches the CLI's validation, which is what this test exercises.
  const tenant = new Chart(Testing.app(), 'tenant');
  new TenantNamespace(tenant, 'customer1');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'node-reader', namespace: 'customer1' },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'reader',
        image: 'busybox:1.36',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'host', mountPath: '/host', readOnly: true }],
      }],
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
    },
  };
  const raw = [...tenant.toJson(), pod].map(o => JSON.stringify(o)).join('\n---\n');
  const app = [
    `const { App, Chart, Include } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))});`,
    'const app = new App();',
    'new Include(new Chart(app, \'broken\'), \'raw\', { url: \'raw.yaml\' });',
    'app.synth();',
  ].join('\n');
  let broken: Synth;

  beforeAll(() => {
    broken = synth(`${process.execPath} app.js`, { 'app.js': app, 'raw.yaml': raw });
  }, 150_000);

  test('fails with the report\'s exit code, naming the rule and the fix', async () => {
    expect(broken.result.error).toBeUndefined();
    const output = broken.result.stdout + broken.result.stderr;
    // The CLI exits 2 on a failed validation report.
    expect([broken.result.status, output]).toEqual([2, expect.stringContaining('Validation Report')]);
    const findings = await checkFindings(broken.dir);
    const hostPath = findings.filter(f => f.severity === 'error' && f.name === 'node-reader');
    expect(hostPath.map(f => f.rule)).toEqual(['pod-security']);
    expect(hostPath[0].fix).toContain('hostPath');
    for (const f of hostPath) {
      expect(output).toContain(f.rule);
      expect(output).toContain(f.fix);
    }
    expect(output).toMatch(/Status\s*│\s*failure/);
  });

  test('reports every unacknowledged finding of `namespace-guard check` as a violation', async () => {
    const findings = await checkFindings(broken.dir);
    expect(violations(broken)).toEqual(expectedViolations(findings));
    expect(broken.reports![0].summary).toMatchObject({
      status: 'failure',
      plugin: ROOT,
      version: OWN.version,
      metadata: {
        errors: String(findings.filter(f => f.severity === 'error').length),
        warnings: String(findings.filter(f => f.severity !== 'error').length),
      },
    });
  });
});

describe('cdk8s synth passes on each example', () => {
  const SCENARIOS: Array<[string, string]> = [
    ['multi-tenant', 'multiTenantChart'],
    ['teams', 'teamsChart'],
    ['security-zones', 'securityZonesChart'],
    ['calico-rollout', 'calicoRolloutChart'],
  ];
  const example = (file: string) => JSON.stringify(path.join(ROOT, 'examples', file));
  /** An app of the given example charts, as a user's TypeScript app run by ts-node (without type checks: tsc covers the examples). */
  const appOf = (charts: Array<[string, string]>) => [
    `import { App } from ${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))};`,
    ...charts.map(([file, fn]) => `import { ${fn} } from ${example(file)};`),
    'const app = new App();',
    ...charts.map(([, fn]) => `${fn}(app);`),
    'app.synth();',
  ].join('\n');
  const command = `${process.execPath} ${TS_NODE} -T -P ${path.join(ROOT, 'examples', 'tsconfig.json')} app.ts`;

  const apps: Array<[string, Array<[string, string]>]> = [
    ...SCENARIOS.map((s): [string, Array<[string, string]>] => [s[0], [s]]),
    ['all four with the guardrails (as examples/main.ts)', [...SCENARIOS, ['guardrails', 'guardrailsChart']]],
  ];
  test.each(apps)('%s', async (_name, charts) => {
    const s = synth(command, { 'app.ts': appOf(charts) });
    expect(s.result.error).toBeUndefined();
    expect([s.result.status, s.result.stdout + s.result.stderr]).toEqual([0, expect.stringContaining('Validations finished')]);
    expect(s.reports![0].summary.status).toBe('success');
    const findings = await checkFindings(s.dir);
    expect(findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(violations(s)).toEqual(expectedViolations(findings));
  }, 150_000);
});

describe('the plugin\'s properties', () => {
  const empty = `new (require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))}).App)().synth();`;

  test('the README\'s cdk8s.yaml names the installed package and the class, and its properties are accepted', () => {
    const block = blocksUnder('README.md', '## Usage').find(b => b.headings.some(h => h.includes('the validation plugin')) && b.language === 'yaml');
    if (!block) throw new Error('README.md has no yaml block under "Inside `cdk8s synth`: the validation plugin"');
    const [entry] = parse(block.code).validations;
    expect(entry).toMatchObject({ package: `./node_modules/${OWN.name}`, class: 'NamespaceGuardValidation', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    const s = synth(`${process.execPath} app.js`, { 'app.js': empty }, entry.properties);
    expect([s.result.status, s.result.stdout + s.result.stderr]).toEqual([0, expect.stringContaining('Validations finished')]);
    expect(s.reports![0].summary).toMatchObject({ status: 'success', metadata: { errors: '0', warnings: '0', acknowledged: '0' } });
  }, 150_000);

  test('a bad CIDR stops the synthesis with a message naming the property', () => {
    const s = synth(`${process.execPath} app.js`, { 'app.js': empty }, { podCidrs: ['10.0.0.0/33'] });
    expect(s.result.status).not.toBe(0);
    expect(s.result.stdout + s.result.stderr).toContain('NamespaceGuardValidation: properties in cdk8s.yaml: pod CIDR');
  }, 150_000);
});

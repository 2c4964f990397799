// Synthesis and `namespace-guard check` run the same rules on the same model: for each example and
// each failing case of the rule tests, the command on the written YAML reports exactly the findings
// synthesis reported (rule, namespace, object, target, severity, acknowledged or not, and the text).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import { hostPathInTenantChart } from '../examples/broken/hostpath-in-tenant';
import { calicoRolloutChart } from '../examples/calico-rollout';
import { multiTenantChart } from '../examples/multi-tenant';
import { securityZonesChart } from '../examples/security-zones';
import { teamsChart } from '../examples/teams';
import { ClusterProfile, Finding, Findings } from '../src';
import { cli } from './cli/run-cli';
import { SCENARIOS } from './rules/scenarios';

interface Row {
  readonly rule: string;
  readonly severity: string;
  readonly acknowledged: boolean;
  readonly reason: string | null;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly target: string | null;
  readonly message: string;
  readonly fix: string;
}

const EXAMPLES: Array<[string, (app: App) => Chart]> = [
  ['example: multi-tenant', multiTenantChart],
  ['example: teams', teamsChart],
  ['example: security zones', securityZonesChart],
  ['example: rolling out on Calico', calicoRolloutChart],
  ['example: broken (hostPath in a tenant)', hostPathInTenantChart],
];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function fromSynthesis(f: Finding): Row {
  return {
    rule: f.ruleId,
    severity: f.severity,
    acknowledged: f.acknowledgedReason !== undefined,
    reason: f.acknowledgedReason ?? null,
    kind: f.objectKind,
    namespace: f.namespaceName,
    name: f.objectName,
    target: f.target ?? null,
    message: f.message,
    fix: f.fix,
  };
}

const key = (r: Row) => JSON.stringify(Object.keys(r).sort().map(k => [k, r[k as keyof Row]]));

/**
 * The YAML the app writes: its synthesis when it succeeds; when the rules fail it, every object as
 * synthesis renders it (acknowledgements included), since no YAML is written then.
 */
function writtenYaml(app: App, succeeds: boolean): string {
  if (succeeds) return app.synthYaml();
  return Yaml.stringify(...app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)).map(o => o.toJson()));
}

/** The cluster ranges the app's ClusterProfiles declare, as `check` flags: what the YAML cannot say. */
function clusterFlags(app: App): string[] {
  const profiles = app.node.findAll().filter((c): c is ClusterProfile => c instanceof ClusterProfile);
  return profiles.flatMap(p => [
    ...p.podCidrs.flatMap(c => ['--pod-cidr', c]),
    ...p.serviceCidrs.flatMap(c => ['--service-cidr', c]),
    ...p.nodeCidrs.flatMap(c => ['--node-cidr', c]),
  ]);
}

async function compare(name: string, app: App): Promise<{ synthesis: Row[]; command: Row[] }> {
  Findings.silence(app);
  const findings = Findings.of(app);
  const succeeds = !findings.some(f => f.severity === 'error' && f.acknowledgedReason === undefined);
  const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  fs.writeFileSync(file, writtenYaml(app, succeeds));
  const result = await cli(['check', '-f', file, '--format', 'json', '--fail-on', 'never', ...clusterFlags(app)]);
  // Warnings (what the input holds that is not evaluated, e.g. a host-network pod) precede the summary.
  expect(result.stderr.replace(/^namespace-guard: warning: .*\n/gm, '')).toMatch(/^namespace-guard: \d+ objects? in \d+ namespaces?: /);
  expect(result.code).toBe(0);
  const parsed = JSON.parse(result.stdout) as { findings: Array<Row & { file: string; document: number }>; errors: number; warnings: number };
  for (const f of parsed.findings) expect(f.file).toBe(file);
  const command = parsed.findings.map(({ file: _file, document: _document, ...row }) => row);
  const synthesis = findings.map(fromSynthesis);
  expect(parsed.errors).toBe(synthesis.filter(r => r.severity === 'error' && !r.acknowledged).length);
  expect(parsed.warnings).toBe(synthesis.filter(r => r.severity === 'warning' && !r.acknowledged).length);
  return { synthesis, command };
}

describe('the command reports what synthesis reported', () => {
  test.each(EXAMPLES)('%s', async (name, build) => {
    const app = Testing.app();
    build(app);
    const { synthesis, command } = await compare(name, app);
    expect(command.map(key).sort()).toEqual(synthesis.map(key).sort());
  });

  test.each(Object.keys(SCENARIOS) as Array<keyof typeof SCENARIOS>)('%s', async name => {
    const app = Testing.app();
    SCENARIOS[name](new Chart(app, 'test'));
    const { synthesis, command } = await compare(name, app);
    expect(synthesis.length).toBeGreaterThan(0); // every case is a failing case
    expect(command.map(key).sort()).toEqual(synthesis.map(key).sort());
  });
});

describe('the examples check clean', () => {
  test.each(EXAMPLES.filter(([name]) => !name.includes('broken')))('%s has no unacknowledged error', async (name, build) => {
    const app = Testing.app();
    build(app);
    const file = path.join(dir, `clean-${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    fs.writeFileSync(file, app.synthYaml());
    const result = await cli(['check', '-f', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/: 0 errors, /);
  });
});

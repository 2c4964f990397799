import * as path from 'path';
import { cli, useScratchDir } from './run-cli';

const write = useScratchDir('check');

const STRICT_NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: baseline}}\n';
const HOST_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: shop}\nspec: {hostPID: true, containers: [{name: a, image: busybox}]}\n';
const TYPO_POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\nspec: {podSelector: {matchLabels: {app: apii}}}\n';

describe('namespace-guard check', () => {
  test('JSON: one object, findings sorted by file, document and rule, counts of the unacknowledged ones', async () => {
    const a = write('a.yaml', `${STRICT_NAMESPACE}---\n${HOST_POD}`);
    const b = write('b.yaml', `${TYPO_POLICY}`);
    const r = await cli(['check', '-f', b, '-f', a, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['findings', 'errors', 'warnings']);
    expect(out.findings.map((f: any) => [path.basename(f.file), f.document, f.rule])).toEqual([
      ['a.yaml', 2, 'pod-security'],
      ['b.yaml', 1, 'unmatched-flow-selector'],
    ]);
    expect(out.findings[0]).toEqual({
      rule: 'pod-security',
      severity: 'error',
      acknowledged: false,
      reason: null,
      file: a,
      document: 2,
      kind: 'Pod',
      namespace: 'shop',
      name: 'agent',
      message: 'Pod "agent" in namespace "shop" fails Pod Security "baseline" (latest) check hostNamespaces at spec.hostPID',
      fix: expect.stringContaining('hostPID'),
      target: 'hostNamespaces',
    });
    expect([out.errors, out.warnings]).toEqual([1, 1]);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('namespace-guard: 3 objects in 1 namespace: 1 error, 1 warning, 0 acknowledged\n');
  });

  test('--fail-on decides the exit code: error (default), warning, never', async () => {
    const warningOnly = write('w.yaml', `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n${TYPO_POLICY}`);
    expect((await cli(['check', '-f', warningOnly])).code).toBe(0);
    expect((await cli(['check', '-f', warningOnly, '--fail-on', 'error'])).code).toBe(0);
    expect((await cli(['check', '-f', warningOnly, '--fail-on', 'warning'])).code).toBe(1);
    const failing = write('e.yaml', `${STRICT_NAMESPACE}---\n${HOST_POD}`);
    expect((await cli(['check', '-f', failing])).code).toBe(1);
    expect((await cli(['check', '-f', failing, '--fail-on', 'never'])).code).toBe(0);
  });

  test('acknowledged findings do not fail the check, and say why they are accepted', async () => {
    const file = write('ack.yaml', `${STRICT_NAMESPACE}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  namespace: shop\n`
      + '  annotations: {namespace-guard.dev/acknowledged: "pod-security[hostNamespaces]: the node agent reads host processes"}\n'
      + 'spec: {hostPID: true, containers: [{name: a, image: busybox}]}\n');
    const r = await cli(['check', '-f', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`ACKNOWLEDGED error pod-security: Pod shop/agent (${file} document 2)`);
    expect(lines[1]).toBe('  Pod "agent" in namespace "shop" fails Pod Security "baseline" (latest) check hostNamespaces at spec.hostPID');
    expect(lines[2]).toMatch(/^ {2}fix: host namespaces: /);
    expect(lines.slice(3)).toEqual(['  reason: the node agent reads host processes', '']);
    expect(r.stderr).toContain(': 0 errors, 0 warnings, 1 acknowledged');
  });

  test('a namespace in monitor mode only warns', async () => {
    const file = write('monitor.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n'
      + '    namespace-guard.dev/enforcement: monitor\n    pod-security.kubernetes.io/enforce: privileged\n    pod-security.kubernetes.io/audit: baseline\n'
      + `---\n${HOST_POD}`);
    const r = await cli(['check', '-f', file, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings.map((f: any) => [f.rule, f.severity])).toEqual([['pod-security', 'warning']]);
    expect((await cli(['check', '-f', file])).stdout).toMatch(/^WARNING \(monitor mode\) pod-security: Pod shop\/agent/);
  });

  test('nothing to report on manifests without the labels the rules need', async () => {
    const file = write('plain.yaml', `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n${HOST_POD}`);
    const r = await cli(['check', '-f', file]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'namespace-guard: 2 objects in 1 namespace: 0 errors, 0 warnings, 0 acknowledged\n' });
  });

  test('reads standard input', async () => {
    const r = await cli(['check', '-f', '-', '--format', 'json'], `${STRICT_NAMESPACE}---\n${HOST_POD}`);
    expect(JSON.parse(r.stdout).findings.map((f: any) => [f.file, f.document])).toEqual([['<stdin>', 2]]);
  });

  test.each([
    ['invalid YAML', 'kind: [\n', /bad\.yaml document 1: invalid YAML/],
    ['an invalid acknowledgement', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  annotations: {namespace-guard.dev/acknowledged: "nonsense"}\n',
      /bad\.yaml document 1: .*namespace-guard\.dev\/acknowledged.*line 1 "nonsense" is not/],
    ['a blanket cross-tenant acknowledgement', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  annotations: {namespace-guard.dev/acknowledged: "cross-tenant-flow: everyone may call us"}\n',
      /bad\.yaml document 1: Namespace x: acknowledges "cross-tenant-flow" without naming/],
    ['an invalid container port', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, ports: [{containerPort: 0}]}]}\n',
      /bad\.yaml document 1: Pod a\/p: spec\.containers\[0\]\.ports\[0\]\.containerPort: must be a port number/],
    ['an alias to another document', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: &x a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: *x}\n',
      /bad\.yaml document 2: /],
  ])('%s is bad input: exit 2, the file and document named, no stack trace', async (_name, text, message) => {
    const file = write('bad.yaml', text);
    const r = await cli(['check', '-f', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  test('an alias bomb ends with exit 2, quickly', async () => {
    let bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\n';
    for (let i = 1; i < 9; i++) {
      const p = String.fromCharCode(96 + i);
      const c = String.fromCharCode(97 + i);
      bomb += `${c}: &${c} [${Array(9).fill(`*${p}`).join(',')}]\n`;
    }
    const r = await cli(['check', '-f', '-'], bomb);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^namespace-guard: <stdin> document 1: /);
  });

  test('flags are checked: --format and --fail-on take known values, -f is required', async () => {
    expect((await cli(['check', '-f', '-', '--format', 'xml'], '')).code).toBe(2);
    expect((await cli(['check', '-f', '-', '--fail-on', 'info'], '')).code).toBe(2);
    const missing = await cli(['check']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-f, --file <path>' not specified");
  });

  test('tenant-data-access on raw YAML: a team namespace admitted into a tenant\'s database fails with exit 1, in every format', async () => {
    const file = write('tenant.yaml', [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: customer1, labels: {namespace-guard.dev/profile: tenant}}\n',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: analytics, labels: {namespace-guard.dev/profile: team}}\n',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-analytics, namespace: customer1}\n'
        + 'spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: '
        + '{matchLabels: {kubernetes.io/metadata.name: analytics}}}], ports: [{port: 5432}]}]}\n',
    ].join('---\n'));
    const table = await cli(['check', '-f', file]);
    expect(table.code).toBe(1);
    expect(table.stdout.split('\n').slice(0, 3)).toEqual([
      `ERROR tenant-data-access: NetworkPolicy customer1/allow-analytics (${file} document 3)`,
      '  tenant namespace "customer1" admits traffic from team namespace "analytics" (policy allow-analytics)',
      '  fix: remove the flow, or acknowledge tenant-data-access for "analytics" on tenant "customer1" with the reason it may reach the tenant\'s pods',
    ]);
    const sarif = await cli(['check', '-f', file, '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const run = JSON.parse(sarif.stdout).runs[0];
    const rule = run.tool.driver.rules.find((r: any) => r.id === 'tenant-data-access');
    expect(rule.shortDescription.text).toBe('A flow into a tenant\'s namespace from a team\'s namespace or a zone\'s that does not face the internet.');
    expect(rule.properties['security-severity']).toBe('8.0');
    expect(run.results.map((r: any) => [r.ruleId, r.level, run.tool.driver.rules[r.ruleIndex].id])).toEqual([['tenant-data-access', 'error', 'tenant-data-access']]);
  });

  test('--help documents the rules, the acknowledgement annotation, the formats and the exit codes', async () => {
    const r = await cli(['check', '--help']);
    expect(r.code).toBe(0);
    for (const text of ['cross-tenant-flow', 'tenant-data-access', 'namespace-guard.dev/acknowledged', '"findings"', '--fail-on', 'Exit status: 0 nothing unacknowledged']) {
      expect(r.stdout).toContain(text);
    }
  });
});

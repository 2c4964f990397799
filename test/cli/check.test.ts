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

  test('--help documents the rules, the acknowledgement annotation, the formats and the exit codes', async () => {
    const r = await cli(['check', '--help']);
    expect(r.code).toBe(0);
    for (const text of ['cross-tenant-flow', 'namespace-guard.dev/acknowledged', '"findings"', '--fail-on', 'Exit status: 0 nothing unacknowledged']) {
      expect(r.stdout).toContain(text);
    }
  });
});

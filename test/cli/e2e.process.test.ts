import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fixture, ROOT } from './run-cli';

jest.setTimeout(60_000);

const ENTRY = "require('./src/cli/main').run(process.argv.slice(1)).then(c => process.exitCode = c)";

/** Runs the command in a fresh node process, from source through ts-node, as a user would (no prior compile needed). */
function namespaceGuard(args: string[], input?: string) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', ENTRY, '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' },
    input,
    encoding: 'utf8',
  });
}

describe('namespace-guard in its own process', () => {
  test('reach --format json: exit 0, the matrix on stdout, nothing on stderr', () => {
    const r = namespaceGuard(['reach', '-f', 'test/cli/fixtures/kubectl-dump.yaml', '--level', 'namespace', '--port', '80', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"level":"namespace","port":80,"protocol":"TCP","allowed":{"internet":{"x":true,"y":false},'
      + '"x":{"internet":true,"x":true,"y":true},"y":{"internet":true,"x":true,"y":false}}}\n');
    expect(r.status).toBe(0);
  });

  test('reach --from --to reads stdin and exits 1 when denied', () => {
    const r = namespaceGuard(['reach', '-f', '-', '--from', 'x/web', '--to', 'y/db', '--port', '5432'], fs.readFileSync(fixture('kubectl-dump.yaml'), 'utf8'));
    expect(r.stdout).toBe('denied\nEgress: no NetworkPolicy of namespace x selects x/web for egress, so its egress is not restricted.\n'
      + 'Ingress: y/db is isolated for ingress by y/default-deny, which has no ingress rules, so all ingress is denied.\n');
    expect(r.status).toBe(1);
  });

  test('pod-security exits 1 for a violation and 2 for a bad flag', () => {
    const denied = namespaceGuard(['pod-security', '-f', 'test/cli/fixtures/cdk8s-plus-deployment.yaml']);
    expect(denied.status).toBe(1);
    expect(denied.stdout).toMatch(/^DENIED {2}Deployment shop\/c-web-c83c7fdb \[restricted:latest\]/);
    const bad = namespaceGuard(['pod-security', '-f', 'test/cli/fixtures/psa.yaml', '--level', 'strict']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('Allowed choices are baseline, restricted.');
  });

  test('check --format sarif: the file relative to the working directory and the line where the object starts', () => {
    const r = namespaceGuard(['check', '-f', 'test/cli/fixtures/cdk8s-plus-deployment.yaml', '--format', 'sarif']);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const locations = log.runs[0].results.map((x: any) => x.locations[0].physicalLocation);
    expect(locations.length).toBeGreaterThan(0);
    // Line 12 is the Deployment's apiVersion, after the header comment and the Namespace.
    expect(fs.readFileSync(fixture('cdk8s-plus-deployment.yaml'), 'utf8').split('\n')[11]).toBe('apiVersion: apps/v1');
    for (const l of locations) expect(l).toEqual({ artifactLocation: { uri: 'test/cli/fixtures/cdk8s-plus-deployment.yaml' }, region: { startLine: 12 } });
  });

  test('diff: markdown on stdout, the verdict on stderr, exit 1 with --fail-on open when the change opens something', () => {
    const base = 'test/cli/fixtures/diff/base.yaml';
    const head = 'test/cli/fixtures/diff/head.yaml';
    const opened = namespaceGuard(['diff', '--base', base, '--head', head, '--fail-on', 'open']);
    expect(opened.status).toBe(1);
    expect(opened.stdout).toMatch(/^\*\*namespace-guard diff: this change opens access\*\*: 2 flows added or widened/);
    expect(opened.stderr).toMatch(/^namespace-guard: opens: /);
    const closed = namespaceGuard(['diff', '--base', head, '--head', base, '--fail-on', 'open', '--format', 'json']);
    expect(closed.status).toBe(0);
    expect(JSON.parse(closed.stdout).opens).toBe(false);
  });

  test('bin/namespace-guard is valid JavaScript that runs lib/cli/main.js', () => {
    const bin = path.join(ROOT, 'bin', 'namespace-guard');
    const check = spawnSync(process.execPath, ['--check', bin], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(fs.readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n[^]*require\('\.\.\/lib\/cli\/main\.js'\)\.run\(process\.argv\.slice\(2\)\)/);
  });
});

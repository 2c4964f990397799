// A user's `cdk8s synth` that fails on the library's checks shows the message first, not the
// library line that threw it (which Node prints before an uncaught error).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SOURCES = path.join(__dirname, '..', 'src');

/** Runs an app as `cdk8s synth` runs it: a process of its own that ends with the uncaught error. */
function runApp(body: string): { status: number | null; lines: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-line-'));
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, [
    "import { App, Chart } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-27';",
    `import { TenantNamespace } from ${JSON.stringify(SOURCES)};`,
    'const app = new App({ outdir: ' + JSON.stringify(path.join(dir, 'dist')) + ' });',
    "const chart = new Chart(app, 'platform');",
    'void kplus;',
    body,
    'app.synth();',
  ].join('\n'));
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', file], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
    timeout: 60_000,
    // The app lives outside the repository, as a user's does; its packages come from ours.
    env: { ...process.env, NODE_PATH: path.join(__dirname, '..', 'node_modules'), TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, lines: r.stderr.split('\n') };
}

describe('the first line of a failing synthesis is the message', () => {
  test('bad input to a construct', () => {
    const r = runApp("new TenantNamespace(chart, 'Customer1');");
    expect(r.status).toBe(1);
    expect(r.lines[0]).toMatch(/^\[platform\/Customer1\] invalid tenant bundle: namespace name "Customer1" is invalid: .* Fix: correct the properties listed above$/);
  }, 60_000);

  test('a synth-time finding, which cdk8s throws as its validation failure', () => {
    const r = runApp("new TenantNamespace(chart, 'customer1');\n"
      + "new kplus.Deployment(chart, 'web', { metadata: { namespace: 'customer1' }, containers: [{ image: 'nginx' }] });");
    expect(r.status).toBe(1);
    expect(r.lines[0]).toBe('Validation failed with the following errors:');
    expect(r.lines[1]).toMatch(/^ {2}\[namespace-guard\] \[platform\/web\] pod-security: Deployment ".*" in namespace "customer1" fails Pod Security "restricted"/);
  }, 60_000);

  test('other errors of the app are left as Node prints them', () => {
    const r = runApp("throw new Error('the app\\'s own bug');");
    expect(r.status).toBe(1);
    expect(r.lines[0]).toMatch(/main\.ts:\d+$/);
    expect(r.lines.join('\n')).not.toMatch(/^the app's own bug$/m);
  }, 60_000);
});

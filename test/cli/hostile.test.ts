import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cli, spawnCli, useScratchDir } from './run-cli';
import { NAMESPACE_YAML as NS } from '../helpers';

// Hostile input, in the command's own process: every failure is bad input (exit 2) naming the file
// and document, never "unexpected error" with a stack trace, and nothing hangs.
jest.setTimeout(120_000);

const write = useScratchDir('hostile');

function expectBadInput(r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect([r.code, r.stdout]).toEqual([2, '']);
}

/** The classic "billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
function billionLaughs(indent: string): string {
  const lines = [`${indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) {
    lines.push(`${indent}${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

const BOMB = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: laughs, namespace: shop}\ndata:\n${billionLaughs('  ')}`;

describe('an alias bomb is bad input naming the file and the document, for every command', () => {
  test('check, in its own process', () => {
    const file = write('bomb.yaml', `${NS('shop')}---\n${BOMB}`);
    expectBadInput(spawnCli(['check', '-f', file]), new RegExp(`^namespace-guard: ${escape(file)} document 2: cannot read the YAML: too many aliases`));
  });

  test.each([
    ['reach', (f: string) => ['reach', '-f', f, '--level', 'namespace']],
    ['pod-security', (f: string) => ['pod-security', '-f', f]],
    ['diff', (f: string) => ['diff', '--base', f, '--head', f]],
    ['evidence', (f: string) => ['evidence', '-f', f]],
  ])('%s', async (_, args) => {
    const file = write('bomb.yaml', `${NS('shop')}---\n${BOMB}`);
    expectBadInput(await cli(args(file)), new RegExp(`^namespace-guard: ${escape(file)} document 2: cannot read the YAML: too many aliases`));
  });

  test('admit --object and reach --cluster name the file too', async () => {
    const manifests = write('ns.yaml', NS('shop'));
    const object = write('object.yaml', BOMB);
    expectBadInput(await cli(['admit', '-f', manifests, '--object', object, '--operation', 'CREATE', '--user', 'u']),
      new RegExp(`^namespace-guard: ${escape(object)} document 1: cannot read the YAML: too many aliases`));
    const cluster = write('cluster.yaml', billionLaughs(''));
    expectBadInput(await cli(['reach', '-f', manifests, '--cluster', cluster]),
      new RegExp(`^namespace-guard: --cluster ${escape(cluster)}: cannot read the YAML: too many aliases`));
  });
});

test('a mapping used as a key (found by the fuzz test) is bad input, not a runtime warning and a stringified key', () => {
  const file = write('key.yaml', `${NS('shop')}? {kind: Namespace}\n: x\n`);
  expectBadInput(spawnCli(['check', '-f', file]),
    new RegExp(`^namespace-guard: ${escape(file)} document 1: cannot read the YAML: a mapping or list is used as a key; keys of Kubernetes objects are text\n$`));
});

describe('links that lead nowhere, FIFOs and devices', () => {
  test('a directory walk skips dangling links, loops of links and links back to a directory already read, with a warning each', () => {
    const file = write('ns.yaml', NS('shop'));
    const dir = path.dirname(file);
    fs.symlinkSync('user@host.1234', path.join(dir, '.#ns.yaml')); // an editor's lock file
    fs.symlinkSync('nowhere.yaml', path.join(dir, 'gone.yaml'));
    fs.symlinkSync('self.yaml', path.join(dir, 'self.yaml'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'back'));
    const r = spawnCli(['check', '-f', dir]);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(r.stderr.split('\n').filter(l => l.includes('warning: skipped'))).toEqual([
      `namespace-guard: warning: skipped ${path.join(dir, '.#ns.yaml')}: hidden`,
      `namespace-guard: warning: skipped ${path.join(dir, 'gone.yaml')}: a dangling symbolic link (to nowhere.yaml)`,
      `namespace-guard: warning: skipped ${path.join(dir, 'self.yaml')}: a loop of symbolic links`,
      `namespace-guard: warning: skipped ${path.join(dir, 'sub', 'back')}: a symbolic link to a directory already read (a loop)`,
    ]);
    expect(r.code).toBe(0);
  });

  test('a FIFO is refused without being opened: named with -f, found in a directory, or given as --cluster; so is a device', async () => {
    const file = write('ns.yaml', NS('shop'));
    const dir = path.dirname(file);
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const notRegular = (p: string) => new RegExp(`${escape(p)}: not a regular file \\(a FIFO, socket or device\\)`);
    expectBadInput(spawnCli(['check', '-f', fifo], undefined, 20_000), notRegular(fifo));
    expectBadInput(await cli(['pod-security', '-f', dir]), notRegular(fifo));
    expectBadInput(spawnCli(['reach', '-f', file, '--cluster', fifo], undefined, 20_000), new RegExp(`^namespace-guard: --cluster ${notRegular(fifo).source}`));
    expectBadInput(await cli(['check', '-f', '/dev/zero']), notRegular('/dev/zero'));
  });
});

describe('pod-security refuses wrongly typed fields that the API server would reject', () => {
  const POD = (spec: string) => 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: baseline}}\n'
    + `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n${spec}`;

  test('privileged: "true", in its own process', () => {
    const file = write('pod.yaml', POD('  containers:\n  - name: c\n    image: i\n    securityContext: {privileged: "true"}\n'));
    expectBadInput(spawnCli(['pod-security', '-f', file]), new RegExp(`^namespace-guard: ${escape(file)} document 2: Pod shop/p: `
      + 'spec\\.containers\\[0\\]\\.securityContext\\.privileged: must be true or false, not string "true"'));
  });

  test.each([
    ['capabilities.add a string', '  containers:\n  - name: c\n    image: i\n    securityContext: {capabilities: {add: NET_ADMIN}}\n',
      'spec.containers[0].securityContext.capabilities.add: must be a list, not string "NET_ADMIN"'],
    ['containers a number', '  containers: 5\n', 'spec.containers: must be a list, not number 5'],
    ['a container a string', '  containers: [c]\n', 'spec.containers[0]: must be a mapping, not string "c"'],
    ['hostNetwork a string', '  hostNetwork: "yes"\n  containers: [{name: c, image: i}]\n', 'spec.hostNetwork: must be true or false, not string "yes"'],
    ['runAsUser a fraction', '  securityContext: {runAsUser: 0.5}\n  containers: [{name: c, image: i}]\n', 'spec.securityContext.runAsUser: must be an integer, not number 0.5'],
    ['a volume source a string', '  volumes: [{name: v, hostPath: /etc}]\n  containers: [{name: c, image: i}]\n', 'spec.volumes[0].hostPath: must be a mapping, not string "/etc"'],
  ])('%s: exit 2 naming the file, the document and the field, for pod-security, check and admit', async (_, spec, problem) => {
    const file = write('pod.yaml', POD(spec));
    const message = new RegExp(`^namespace-guard: ${escape(file)} document 2: Pod shop/p: ${escape(problem)} \\(the API server rejects the object\\)\n`);
    expectBadInput(await cli(['pod-security', '-f', file]), message);
    expectBadInput(await cli(['check', '-f', file]), message);
    expectBadInput(await cli(['admit', '-f', file, '--object', file, '--operation', 'CREATE', '--user', 'u']), message);
  });

  test('null is unset, as the API server reads it', async () => {
    const file = write('pod.yaml', POD('  hostNetwork: null\n  containers:\n  - name: c\n    image: i\n    securityContext: {privileged: null, capabilities: {add: null}}\n'));
    expect((await cli(['pod-security', '-f', file])).code).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

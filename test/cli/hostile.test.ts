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

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BOMB, escape, expectBadInput } from './hostile-input';
import { cli, spawnCli, useScratchDir } from './run-cli';
import { NAMESPACE_YAML as NS } from '../helpers';

// Hostile input, the command in its own process: exit 2 naming the file and document, never a
// stack trace, nothing hangs; links, FIFOs and devices are never opened.
jest.setTimeout(120_000);

const write = useScratchDir('hostile-process');

describe('an alias bomb is bad input naming the file and the document', () => {
  test('check, in its own process', () => {
    const file = write('bomb.yaml', `${NS('shop')}---\n${BOMB}`);
    expectBadInput(spawnCli(['check', '-f', file]), new RegExp(`^namespace-guard: ${escape(file)} document 2: cannot read the YAML: too many aliases`));
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
});

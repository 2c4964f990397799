import * as fs from 'fs';
import * as path from 'path';
import { cli, fixture, ROOT } from './run-cli';
import { run } from '../../src/cli/main';
import { RULES } from '../../src/rules/all-rules';

const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

describe('namespace-guard', () => {
  test.each([['--help'], ['-h']])('%s prints usage on stdout and exits 0', async (flag) => {
    const r = await cli([flag]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: namespace-guard \[options\] \[command\]\n/);
    expect(r.stdout).toContain('reach [options]');
    expect(r.stdout).toContain('pod-security [options]');
    expect(r.stdout).toContain('admit [options]');
    expect(r.stdout).toContain('diff [options]');
    expect(r.stdout).toContain('evidence [options]');
    expect(r.stdout).toContain('Exit status: 0 success, 1 a finding at or above --fail-on (check), a change that opens something\n'
      + 'or any change with --fail-on (diff), a denied connection (reach), a Pod Security violation\n'
      + '(pod-security), a denied request (admit) or a failed control with --fail-on fail (evidence), 2 bad\n'
      + 'usage or input.');
  });

  test.each([['--version'], ['-V']])('%s prints the package.json version and exits 0', async (flag) => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cli([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  test('check --help lists every rule of the registry with its summary, warnings marked', async () => {
    const r = await cli(['check', '--help']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    for (const rule of RULES) {
      const line = lines.find(l => l.startsWith(`  ${rule.id} `));
      expect([rule.id, line !== undefined]).toEqual([rule.id, true]);
      expect(r.stdout.replace(/\n +/g, ' ')).toContain(`${rule.summary}${rule.severity === 'warning' ? ' (warning)' : ''}`);
    }
  });

  test('reach --help documents the placeholder pods, the namespace semantics and the JSON shape', async () => {
    const r = await cli(['reach', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: namespace-guard reach \[options\]\n/);
    expect(r.stdout).toContain('placeholder pod keyed <namespace>/*: it is left out of pod-level');
    expect(r.stdout).toContain('a cell is allowed when SOME pod of the source namespace can reach SOME pod of the');
    expect(r.stdout).toContain('{"level":"pod","port":80,"protocol":"TCP","allowed":{"<ns>/<pod>":{"<ns>/<pod>":true}}}');
    expect(r.stdout).toContain('column "internet": every public address outside the cluster\'s declared ranges');
    expect(r.stdout).toContain('"where-ipblocks-match-pods"');
    expect(r.stdout).toContain('networkBackend      calico, cilium or kubernetes');
    expect(r.stdout).toContain('One connection: --from X --to Y --port N [--protocol P], each of X and Y a pod (<ns>/<pod>), a');
    expect(r.stdout).toContain('Cluster file: --cluster <file> declares what a ClusterProfile declares and manifests do not hold,');
    for (const flag of ['-f, --file <path>', '--level <level>', '--port <port>', '--protocol <protocol>', '--format <format>', '--from', '--to', '--cluster <file>']) {
      expect(r.stdout).toContain(flag);
    }
  });

  test('pod-security --help documents the namespace labels, the skipping rule and the JSON shape', async () => {
    const r = await cli(['pod-security', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: namespace-guard pod-security \[options\]\n/);
    expect(r.stdout).toContain('pod-security.kubernetes.io/enforce-version (default latest) labels of its Namespace in the input');
    expect(r.stdout).toContain('Objects without metadata.namespace are in "default", where kubectl creates them.');
    expect(r.stdout).toContain('has no enforce label are skipped and listed on stderr');
    expect(r.stdout).toContain('[{"file":"<path>","kind":"Pod","namespace":"<ns>","name":"<name>","level":"restricted",');
    expect(r.stdout).toContain('"version":"latest","levelSource":"flag","judgedVersion":"v1.37","kubernetesVersion":"1.37",');
    expect(r.stdout).toContain('--kubernetes-version <1.minor>');
    expect(r.stdout).toContain('"flag" (--level and --version) or "namespace-label" (the enforce labels of its Namespace,');
    expect(r.stdout).toMatch(/--version <version> +policy version for --level: v1\.0 \.\.\. v1\.37 or latest \(default:\s+latest\)/);
  });

  test('the help command prints a subcommand\'s help on stdout', async () => {
    const r = await cli(['help', 'pod-security']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: namespace-guard pod-security \[options\]\n/);
    expect(r.stderr).toBe('');
  });

  test('without a command it prints usage on stderr and exits 2', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: namespace-guard \[options\] \[command\]\n/);
  });

  test('an unknown command exits 2 with a message on stderr', async () => {
    const r = await cli(['reachability', '-f', fixture('kubectl-dump.yaml')]);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'namespace-guard: unknown command \'reachability\'\n(run "namespace-guard --help" for usage)\n',
    });
  });

  test.each([
    ['a missing -f', ['reach', '--port', '80'], 'namespace-guard: required option \'-f, --file <path>\' not specified\n'],
    ['an unknown option', ['reach', '-f', fixture('kubectl-dump.yaml'), '--colour'], 'namespace-guard: unknown option \'--colour\'\n'],
    ['-f without a value', ['reach', '-f'], 'namespace-guard: option \'-f, --file <path>\' argument missing\n'],
    ['a stray argument', ['reach', '-f', fixture('kubectl-dump.yaml'), 'extra'], 'namespace-guard: too many arguments for \'reach\'. Expected 0 arguments but got 1.\n'],
    ['pod-security without -f', ['pod-security'], 'namespace-guard: required option \'-f, --file <path>\' not specified\n'],
  ])('%s exits 2 with the message and a usage hint on stderr', async (_label, args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}(run "namespace-guard ${args[0]} --help" for usage)\n`);
  });

  test('program options are only read before the command: pod-security --version is the policy version', async () => {
    const r = await cli(['pod-security', '--version', 'v1.25', '--level', 'baseline', '-f', fixture('cdk8s-plus-deployment.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[baseline:v1.25]');
  });

  test('each run starts from fresh state', async () => {
    const args = ['reach', '-f', fixture('kubectl-dump.yaml'), '--port', '80', '--format', 'json'];
    const first = await cli(args);
    const second = await cli(args);
    expect(first.code).toBe(0);
    expect(second).toEqual(first);
  });

  test('by default it writes to the process streams', async () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await run(['--version'])).toBe(0);
      expect(out).toHaveBeenCalledWith(`${VERSION}\n`);
      expect(await run(['bogus'])).toBe(2);
      expect(err).toHaveBeenCalledWith('namespace-guard: unknown command \'bogus\'\n');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

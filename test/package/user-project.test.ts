// The README's "Use it in your project", followed to the letter: a separate package, made of the
// files the README shows, installs the packed library and synthesizes with the cdk8s CLI. Nothing
// comes from the network: the `npm pack` tarball of the built library (lib/, which `npx projen
// compile` writes and `npx projen build` writes before it tests) is unpacked into the package's
// node_modules, and the other packages the README's install lines name are linked from this
// repository's node_modules, as npm would install them.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { cli } from '../cli/run-cli';
import { blocksUnder, filesUnder, ROOT } from '../docs/markdown';
import { expectValidManifests } from '../schema';
import { expectBuiltLibrary } from './built-library';

const SECTION = '## Use it in your project';
const OWN = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const NAMESPACES = ['monitoring', 'customer1', 'customer2', 'customer3', 'billing', 'payments', 'catalog', 'storefront', 'orders-db'];

/** A package of an install line: `cdk8s@^2.70.106` is cdk8s with range ^2.70.106. */
interface Spec { readonly name: string; readonly range?: string; readonly dev: boolean }

/** The packages of the `npm install` lines of the README's install block. */
function installSpecs(): Spec[] {
  const block = blocksUnder('README.md', SECTION).find(b => b.headings.includes('### Install') && b.language === 'sh');
  if (!block) throw new Error(`README.md has no sh block under "${SECTION}" / "### Install"`);
  return block.code.split('\n').filter(l => l.startsWith('npm install ')).flatMap(line => {
    const words = line.split(/\s+/).slice(2).filter(w => w !== '');
    const dev = words.includes('--save-dev') || words.includes('-D');
    return words.filter(w => !w.startsWith('-')).map(w => {
      const at = w.indexOf('@', 1);
      return at < 0 ? { name: w, dev } : { name: w.slice(0, at), range: w.slice(at + 1), dev };
    });
  });
}

function run(command: string, args: string[], cwd: string, timeout: number): SpawnSyncReturns<string> {
  // The package is on its own: no npm or ts-node settings of the process that runs the tests.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|TS_NODE_|CDK8S_)/i.test(k)));
  return spawnSync(command, args, { cwd, timeout, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
}

/** Links a package of this repository's node_modules into the user's, with its commands in .bin. */
function link(project: string, name: string): void {
  const source = fs.realpathSync(path.join(ROOT, 'node_modules', name));
  const target = path.join(project, 'node_modules', name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(source, target, 'dir');
  linkCommands(project, name);
}

function linkCommands(project: string, name: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', name, 'package.json'), 'utf8'));
  const bin: { [command: string]: string } = typeof manifest.bin === 'string' ? { [name.split('/').pop()!]: manifest.bin } : manifest.bin ?? {};
  const dir = path.join(project, 'node_modules', '.bin');
  fs.mkdirSync(dir, { recursive: true });
  for (const [command, file] of Object.entries(bin)) {
    fs.symlinkSync(path.join('..', name, file), path.join(dir, command));
  }
}

describe('the README\'s install lines', () => {
  const specs = installSpecs();

  test('name the library and its peer dependencies, with the ranges of package.json', () => {
    const runtime = specs.filter(s => !s.dev);
    expect(runtime.map(s => s.name).sort()).toEqual([OWN.name, ...Object.keys(OWN.peerDependencies)].sort());
    for (const spec of runtime.filter(s => s.name !== OWN.name)) {
      expect([spec.name, spec.range]).toEqual([spec.name, OWN.peerDependencies[spec.name]]);
    }
  });

  test('name the tools with the ranges this repository builds and tests with', () => {
    const dev = specs.filter(s => s.dev);
    expect(dev.map(s => s.name).sort()).toEqual(['@types/node', 'cdk8s-cli', 'ts-node', 'typescript']);
    for (const spec of dev) expect([spec.name, spec.range]).toEqual([spec.name, OWN.devDependencies[spec.name]]);
  });

  test('agree with the requirements table', () => {
    const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const row = (name: string) => text.split('\n').find(l => l.startsWith(`| ${name} | `)) ?? `no row ${name}`;
    const version = (range: string) => range.replace(/^[\^~]/, '');
    const majorMinor = (range: string) => version(range).split('.').slice(0, 2).join('.');
    expect(row('Node.js')).toContain(`| ${version(OWN.devDependencies['@types/node'])} `);
    expect(row('TypeScript')).toContain(`| ${majorMinor(OWN.devDependencies.typescript)} |`);
    expect(row('cdk8s CLI')).toContain(`\`cdk8s-cli\` ${majorMinor(OWN.devDependencies['cdk8s-cli'])} or later`);
    for (const [name, range] of Object.entries<string>(OWN.peerDependencies)) {
      expect(row('cdk8s')).toMatch(new RegExp(`\`${name}\` [^,]*${version(range).replace(/\./g, '\\.')} or later`));
    }
  });
});

describe('a project made from the README synthesizes with the packed library', () => {
  let project = '';
  let synth: SpawnSyncReturns<string>;
  let objects: any[] = [];

  beforeAll(() => {
    expectBuiltLibrary();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'user-project-'));
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], ROOT, 60_000);
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const tarball = path.join(project, JSON.parse(pack.stdout)[0].filename);

    const specs = installSpecs();
    const library = path.join(project, 'node_modules', OWN.name);
    fs.mkdirSync(library, { recursive: true });
    const untar = run('tar', ['-xzf', tarball, '-C', library, '--strip-components=1'], project, 30_000);
    if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed: ${untar.stderr}`);
    linkCommands(project, OWN.name);
    for (const spec of specs.filter(s => s.name !== OWN.name)) link(project, spec.name);
    // What `npm init -y` and the install lines leave in package.json.
    const ranges = (dev: boolean) => Object.fromEntries(specs.filter(s => s.dev === dev).map(s => [s.name, s.range ?? '*']));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({
      name: 'platform', version: '1.0.0', private: true, dependencies: ranges(false), devDependencies: ranges(true),
    }, undefined, 2));

    const files = filesUnder('README.md', SECTION);
    expect([...files.keys()].sort()).toEqual(['cdk8s.yaml', 'main.ts', 'tsconfig.json']);
    for (const [name, block] of files) fs.writeFileSync(path.join(project, name), block.code);

    const synthCommand = blocksUnder('README.md', SECTION).find(b => b.headings.includes('### Synthesize'))!.code.trim();
    expect(synthCommand).toBe('npx cdk8s synth');
    // The CLI of the package, as npx runs it, without its check for a newer version (network).
    synth = run(path.join(project, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], project, 90_000);
    const output = path.join(project, 'dist', 'platform.k8s.yaml');
    if (synth.status === 0 && fs.existsSync(output)) {
      objects = parseAllDocuments(fs.readFileSync(output, 'utf8')).map(d => d.toJS());
    }
  }, 180_000);

  afterAll(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  const dist = () => path.join(project, 'dist');
  const ofKind = (kind: string, namespace?: string) =>
    objects.filter(o => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
  const policy = (namespace: string, name: string) => {
    const found = ofKind('NetworkPolicy', namespace).find(o => o.metadata.name === name);
    if (!found) throw new Error(`no NetworkPolicy ${namespace}/${name}`);
    return found;
  };

  test('cdk8s synth exits 0 and writes the chart\'s valid manifests to dist/', () => {
    expect(synth.error).toBeUndefined();
    // On failure, the received value shows what the synthesis printed.
    expect([synth.status, synth.stderr]).toEqual([0, expect.any(String)]);
    expect(fs.readdirSync(dist())).toEqual(['platform.k8s.yaml']);
    expect(ofKind('Namespace').map(o => o.metadata.name)).toEqual(NAMESPACES);
    expectValidManifests(objects);
  });

  test('every namespace denies all ingress and all egress by default', () => {
    for (const namespace of NAMESPACES) {
      expect([namespace, policy(namespace, 'default-deny').spec]).toEqual([namespace, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }]);
    }
  });

  test('DNS: customer3 resolves at its NodeLocal DNSCache, every other namespace at kube-dns, on UDP and TCP 53', () => {
    const dns = (namespace: string) => policy(namespace, 'allow-dns').spec.egress;
    const ports = [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }];
    expect(dns('customer3')).toEqual([{ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports }]);
    for (const namespace of NAMESPACES.filter(n => n !== 'customer3')) {
      expect([namespace, dns(namespace)]).toEqual([namespace, [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports,
      }]]);
    }
  });

  test('the billing call is written on both sides, and each tenant carries its acknowledgement', () => {
    const selector = (name: string) => [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }];
    expect(policy('customer1', 'allow-to-billing').spec).toEqual({
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: selector('billing'), ports: [{ port: 8443, protocol: 'TCP' }] }],
    });
    expect(policy('billing', 'allow-from-customer1').spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: selector('customer1'), ports: [{ port: 8443, protocol: 'TCP' }] }],
    });
    const acknowledged = (name: string) => ofKind('Namespace').find(o => o.metadata.name === name).metadata.annotations?.['namespace-guard.dev/acknowledged'];
    expect(acknowledged('customer1')).toMatch(/^cross-tenant-flow\[billing\]: /);
    expect(acknowledged('billing')).toMatch(/^cross-tenant-flow\[customer1\]: /);
    expect(acknowledged('customer2')).toBeUndefined();
  });

  test('who reaches whom is exactly what main.ts declares (reach on the output)', async () => {
    // Besides each namespace itself: customer1 calls billing, the web zone calls the database zone,
    // monitoring scrapes the `metrics` port (9090) everywhere, restricted orders-db included, and
    // the internet reaches the web zone on 8443.
    const declared = (from: string, to: string, port: number) => from === to
      || (from === 'customer1' && to === 'billing' && port === 8443)
      || (from === 'storefront' && to === 'orders-db' && port === 5432)
      || (from === 'monitoring' && port === 9090 && to !== 'internet')
      || (from === 'internet' && to === 'storefront' && port === 8443);
    for (const port of [8443, 5432, 9090, 80]) {
      const r = await cli(['reach', '-f', dist(), '--level', 'namespace', '--port', String(port), '--format', 'json']);
      expect(r.code).toBe(0);
      const allowed: { [from: string]: { [to: string]: boolean } } = JSON.parse(r.stdout).allowed;
      // The internet node (public addresses) is a row and a column, without a cell of its own.
      const nodes = [...NAMESPACES, 'internet'];
      const expected = Object.fromEntries(nodes.map(from => [from,
        Object.fromEntries(nodes.filter(to => !(from === 'internet' && to === 'internet')).map(to => [to, declared(from, to, port)]))]));
      expect([port, allowed]).toEqual([port, expected]);
    }
  }, 30_000);

  test('the web zone admits the internet on TCP 8443 only, and the monitoring zone reaches every pod on `metrics` only, admitted as the declared monitoring', () => {
    const internet = policy('storefront', 'allow-from-internet').spec.ingress;
    expect(internet).toHaveLength(1);
    expect(internet[0].ports).toEqual([{ port: 8443, protocol: 'TCP' }]);
    expect(internet[0].from.map((p: any) => p.ipBlock.cidr)).toEqual(['0.0.0.0/0', '::/0']);
    expect(policy('monitoring', 'allow-to-all-pods').spec.egress).toEqual([{ to: [{ namespaceSelector: {} }], ports: [{ port: 'metrics', protocol: 'TCP' }] }]);
    for (const namespace of NAMESPACES.filter(n => n !== 'monitoring')) {
      const admitted = policy(namespace, 'allow-from-monitoring');
      expect([namespace, admitted.spec.ingress[0].ports]).toEqual([namespace, [{ port: 'metrics', protocol: 'TCP' }]]);
      // The flow of the ClusterProfile's monitoring, which tenants admit without acknowledging tenant-data-access.
      expect([namespace, admitted.metadata.annotations]).toEqual([namespace, { 'namespace-guard.dev/flow': 'monitoring' }]);
    }
  });

  test('Roles only where subjects are given: admins in the tenants, admins, editors and viewers in the teams, none in the zones', () => {
    const bindings = (namespace: string) => ofKind('RoleBinding', namespace).map(o => `${o.metadata.name}: ${o.subjects.map((s: any) => s.name).join(',')}`);
    const roles = (namespace: string) => ofKind('Role', namespace).map(o => o.metadata.name);
    for (const tenant of ['customer1', 'customer2', 'customer3', 'billing']) {
      expect([tenant, roles(tenant), bindings(tenant)]).toEqual([tenant, ['namespace-guard-admin'], [`namespace-guard-admin: ${tenant}-admins`]]);
    }
    for (const team of ['payments', 'catalog']) {
      expect([team, roles(team), bindings(team)]).toEqual([team, ['namespace-guard-admin', 'namespace-guard-edit', 'namespace-guard-view'],
        [`namespace-guard-admin: ${team}-leads`, `namespace-guard-edit: ${team}-developers`, 'namespace-guard-view: support']]);
    }
    for (const member of ['monitoring', 'storefront', 'orders-db']) expect([member, roles(member)]).toEqual([member, []]);
  });

  test('one Deployment per namespace, every one of them admitted by Pod Security restricted', async () => {
    expect(ofKind('Deployment').map(o => o.metadata.namespace).sort()).toEqual([...NAMESPACES].sort());
    const r = await cli(['pod-security', '-f', dist(), '--format', 'json']);
    expect(r.code).toBe(0);
    const verdicts = JSON.parse(r.stdout).map((v: any) => [v.kind, v.namespace, v.allowed, v.violations]);
    expect(verdicts).toEqual(NAMESPACES.map(n => ['Deployment', n, true, []]));
    for (const namespace of NAMESPACES) {
      expect(ofKind('Namespace').find(o => o.metadata.name === namespace).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  }, 30_000);

  test('the synth-time checks pass on the output, as `namespace-guard check` runs them on any YAML', async () => {
    const r = await cli(['check', '-f', dist(), '--format', 'json']);
    expect(r.code).toBe(0);
    const findings: any[] = JSON.parse(r.stdout).findings;
    expect(findings.map(f => [f.rule, f.acknowledged])).toEqual([['cross-tenant-flow', true], ['cross-tenant-flow', true]]);
  }, 30_000);

  test('the installed package\'s own command runs: its bundled dependencies are all in the tarball', () => {
    const bin = path.join(project, 'node_modules', OWN.name, 'bin', 'namespace-guard');
    const r = run(process.execPath, [bin, 'check', '-f', dist(), '--format', 'json'], project, 60_000);
    expect(r.stderr).not.toMatch(/Cannot find module/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).errors).toBe(0);
    // admit loads the CEL evaluator and its protobuf runtime, which are bundled.
    const admit = run(process.execPath, [bin, 'admit', '-f', dist(), '--object', dist(), '--operation', 'CREATE', '--user', 'platform', '--quiet'], project, 60_000);
    expect(admit.stderr).not.toMatch(/Cannot find module/);
    expect(admit.status).toBe(0);
  }, 120_000);

  test.each([
    ['one of the two acknowledgements', /^billing\.acknowledge\(.*$/m, /cross-tenant-flow: tenant namespace "billing" admits traffic from tenant namespace "customer1"/],
    ['the PodHardening line', /^PodHardening\.restrictedInManagedNamespaces\(app\);$/m, /pod-security: Deployment "app" in namespace "customer1" fails Pod Security "restricted"/],
  ])('without %s, synthesis fails with the finding, as the README says', (_what, line, finding) => {
    const main = fs.readFileSync(path.join(project, 'main.ts'), 'utf8');
    expect(main).toMatch(line);
    const variant = path.join(project, 'variant.ts');
    fs.writeFileSync(variant, main.replace(line, '// left out'));
    const r = run(path.join(project, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'variant.ts'], project, 60_000);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(finding);
  }, 60_000);
});

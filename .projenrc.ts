import { cdk8s, javascript, JsonFile } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-namespace-guard',
  description:
    'cdk8s constructs that turn Kubernetes namespaces into real boundaries: tenant, team and security-zone bundles with default-deny network policies, Pod Security Admission, quotas and RBAC.',
  keywords: ['cdk8s', 'kubernetes', 'namespace', 'multi-tenancy', 'networkpolicy', 'pod-security', 'security'],
  author: 'cdk8s-namespace-guard maintainers',
  authorAddress: 'maintainers@cdk8s-namespace-guard.dev',
  repositoryUrl: 'https://github.com/cdk8s-namespace-guard/cdk8s-namespace-guard.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  projenrcTs: true,

  // cdk8s v2 (projen defaults to v1).
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],

  // Runtime helpers that are not jsii modules are bundled and kept out of the public API.
  bundledDeps: ['yaml@^2.8.1', 'ipaddr.js@^2.2.0', 'commander@^14.0.3', '@bufbuild/cel@~0.6.1', '@bufbuild/protobuf@^2.6.2', 'js-yaml@^4.1.0'],
  bin: { 'namespace-guard': 'bin/namespace-guard' },
  devDeps: [
    '@types/node@^20',
    '@types/js-yaml@^4.0.9',
    '@types/sarif@^2.1.7',
    'kubernetes-models@~4.5.1',
    'cdk8s-cli@^2.200.0',
    'fast-check@^4.3.0',
    'ajv@^8.17.1',
    'ts-node',
  ],

  // No hosted CI or release automation: .ci/run is the check.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Tests and examples import the library by its package name, as a user's app does.
      moduleNameMapper: { '^cdk8s-namespace-guard$': '<rootDir>/src' },
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', '.projenrc.ts', 'projenrc'],
  },
  gitignore: ['examples/dist/', 'dist/', 'cdk8s.out/'],
  npmIgnoreOptions: { ignorePatterns: ['examples/', 'bench/', '.ci/', 'docs/'] },

  // Other jsii languages. Their packaging needs registries this machine cannot reach, so the
  // build proves that the bindings generate (see the `bindings` task) instead of building them.
  publishToPypi: { distName: 'cdk8s-namespace-guard', module: 'cdk8s_namespace_guard' },
  publishToMaven: {
    javaPackage: 'dev.namespaceguard.cdk8s',
    mavenGroupId: 'dev.namespaceguard',
    mavenArtifactId: 'cdk8s-namespace-guard',
  },
  publishToGo: { moduleName: 'github.com/cdk8s-namespace-guard/cdk8s-namespace-guard-go' },
  publishToNuget: { dotNetNamespace: 'NamespaceGuard.Cdk8s', packageId: 'NamespaceGuard.Cdk8s' },
});

// Packed test fixtures (test/fixtures/): compressed data, never diffed or normalised as text.
project.gitattributes.addAttributes('*.gz', 'binary');

// jsii prints an end-of-life banner on Node 20; the warning is about the runtime, not our API.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// examples/ and bench/ are type-checked (and linted) with the library's settings but never emitted.
// The examples import the library by its package name, as a user's app does: `paths` for the type
// checker, a resolver hook for ts-node (which does not apply `paths`).
const PACKAGE_PATHS = { 'cdk8s-namespace-guard': ['../src'] };
// The benchmarks build on the examples' workloads, so they resolve the package name the same way.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      'extends': '../tsconfig.json',
      'compilerOptions': { rootDir: '..', noEmit: true, paths: PACKAGE_PATHS },
      'include': ['**/*.ts'],
      'ts-node': { require: [dir === 'examples' ? './resolve-package.ts' : '../examples/resolve-package.ts'] },
    },
  });
}
project.tryFindObjectFile('test/tsconfig.json')?.addOverride('compilerOptions.paths', PACKAGE_PATHS);
project.eslint?.addRules({ 'import/no-unresolved': ['error', { ignore: ['^cdk8s-namespace-guard$'] }] });

// Examples: the three scenarios from the brief, synthesized with the cdk8s CLI.
project.addTask('examples', {
  description: 'Synthesize the example scenarios into examples/dist/',
  steps: [
    { exec: 'cdk8s synth --no-check-upgrade --app "ts-node --prefer-ts-exts -P examples/tsconfig.json examples/main.ts" --output examples/dist' },
    { exec: 'ts-node --prefer-ts-exts -P projenrc/tsconfig.json projenrc/example-evidence.ts' },
    { say: 'Manifests written to examples/dist/ (one YAML file per scenario chart), who can talk to whom to examples/dist/connectivity.md, and the compliance evidence to examples/dist/evidence.md' },
  ],
});

project.addTask('bench', {
  description: 'Benchmark synthesis against raw cdk8s ApiObjects, the reachability analysis, and each command as a whole process against parsing its YAML (pass -- --quick for a smoke run)',
  env: { TS_NODE_PROJECT: 'bench/tsconfig.json' },
  steps: [
    { exec: 'node --expose-gc -r ts-node/register/transpile-only bench/synth.bench.ts', receiveArgs: true },
    { exec: 'node --expose-gc -r ts-node/register/transpile-only bench/analysis.bench.ts', receiveArgs: true },
    // The commands run as users run them: from the compiled lib/.
    { spawn: 'compile' },
    { exec: 'node -r ts-node/register/transpile-only bench/cli.bench.ts', receiveArgs: true },
  ],
});

// Prove the non-JS bindings generate (their full builds need PyPI, Maven Central and NuGet).
const bindings = project.addTask('bindings', {
  description: 'Generate Python, Java, Go and .NET bindings (code only) into dist/bindings',
  steps: [
    { exec: 'rm -rf dist/bindings' },
    { exec: 'jsii-pacmak --code-only --outdir dist/bindings --target python --target java --target go --target dotnet' },
    {
      name: 'every target generated source files',
      exec: 'node -e "const fs = require(\'fs\'); for (const t of [\'python\', \'java\', \'go\', \'dotnet\']) { if (fs.readdirSync(\'dist/bindings/\' + t, { recursive: true }).length === 0) { console.error(\'no \' + t + \' bindings generated\'); process.exit(1); } }"',
    },
  ],
});
for (const name of ['package', 'package-all']) {
  const task = project.tasks.tryFind(name)!;
  task.reset();
  task.spawn(project.tasks.tryFind('package:js')!);
  task.spawn(bindings);
}

// The inner loop: every test run in this process, without coverage. Tests that start processes
// (`*.process.test.ts`: the CLI, a user's app) and those of the packaged library (test/package/,
// which need a compiled lib/) are left to the full suite, which the build and CI run.
project.addTask('test:fast', {
  description: 'Run the tests quickly: no coverage, no spawned processes, no packaged library (the build runs them all)',
  exec: 'jest --ci --coverage=false --testPathIgnorePatterns /node_modules/ /test/package/ "\\.process\\.test\\.ts$"',
  receiveArgs: true,
});

// The test task never writes snapshots (jest --ci); test:update is the one deliberate way to do it.
project.tasks.tryFind('test:update')?.reset('jest -u --passWithNoTests', { receiveArgs: true });

// Build with every jsii warning visible (projen's default silences reserved-word warnings).
project.compileTask.reset('jsii');
project.tasks.tryFind('watch')?.reset('jsii -w');

project.synth();

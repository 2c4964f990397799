import { cli, fixture } from './run-cli';
import { serverClause, serverVersionOf } from '../../src/cli/kubernetes-version';

const PSA = fixture('psa.yaml');
const CDK8S_PLUS = fixture('cdk8s-plus-deployment.yaml');

const CAPABILITIES_MESSAGE = 'unrestricted capabilities: container \\"main\\" must drop ALL capabilities: set securityContext.capabilities.drop: [\\"ALL\\"]';
const SECCOMP_MESSAGE = 'seccompProfile: pod or container \\"main\\" must set securityContext.seccompProfile.type to RuntimeDefault or Localhost; '
  + 'setting it once in the pod-level securityContext covers every container';
const HOST_NETWORK_MESSAGE = 'host namespaces: hostNetwork=true shares the node\'s network namespace with the pod; remove hostNetwork from the pod spec or set it to false';
const PRIVILEGED_MESSAGE = 'privileged: container \\"agent\\" must not set securityContext.privileged=true; remove the field or set it to false';

/** Said on stderr when --kubernetes-version is not given. */
const ASSUMED_CLAUSE = ` (${serverClause(serverVersionOf(undefined))})`;
/** What the JSON adds after levelSource without --kubernetes-version. */
const ASSUMED = (judged: string) => `"judgedVersion":"${judged}","kubernetesVersion":"1.37","kubernetesVersionAssumed":true,`;

const NS = (name: string, labels: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const POD = (name: string, namespace?: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'app', image: 'example/app:1.0' }] } });

describe('pod-security: a default cdk8s-plus-27 Deployment in a restricted namespace', () => {
  test('is denied for the missing seccomp profile and capability drop (json)', async () => {
    const r = await cli(['pod-security', '-f', CDK8S_PLUS, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`[{"file":${JSON.stringify(CDK8S_PLUS)},"kind":"Deployment","namespace":"shop","name":"c-web-c83c7fdb",`
      + '"level":"restricted","version":"latest","levelSource":"namespace-label",' + ASSUMED('v1.37') + '"allowed":false,"violations":['
      + '{"check":"capabilities_restricted","path":"spec.template.spec.containers[0].securityContext.capabilities.drop",'
      + `"message":"${CAPABILITIES_MESSAGE}"},`
      + '{"check":"seccompProfile_restricted","path":"spec.template.spec.containers[0].securityContext.seccompProfile.type",'
      + `"message":"${SECCOMP_MESSAGE}"}]}]\n`);
    expect(r.stderr).toBe(`namespace-guard: checked 1: 0 allowed, 1 denied; 0 skipped${ASSUMED_CLAUSE}\n`);
  });

  test('is denied for the missing seccomp profile and capability drop (table)', async () => {
    const r = await cli(['pod-security', '-f', CDK8S_PLUS]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe([
      `DENIED  Deployment shop/c-web-c83c7fdb [restricted:latest] (${CDK8S_PLUS} document 2)`,
      `  - capabilities_restricted at spec.template.spec.containers[0].securityContext.capabilities.drop: ${JSON.parse(`"${CAPABILITIES_MESSAGE}"`)}`,
      `  - seccompProfile_restricted at spec.template.spec.containers[0].securityContext.seccompProfile.type: ${JSON.parse(`"${SECCOMP_MESSAGE}"`)}`,
      '',
    ].join('\n'));
    expect(r.stdout).toContain('must drop ALL capabilities');
    expect(r.stdout).toContain('must set securityContext.seccompProfile.type to RuntimeDefault or Localhost');
  });

  test('passes baseline, which needs neither', async () => {
    expect(await cli(['pod-security', '-f', CDK8S_PLUS, '--level', 'baseline', '--format', 'json'])).toEqual({
      code: 0,
      stdout: `[{"file":${JSON.stringify(CDK8S_PLUS)},"kind":"Deployment","namespace":"shop","name":"c-web-c83c7fdb",`
        + '"level":"baseline","version":"latest","levelSource":"flag",' + ASSUMED('v1.37') + '"allowed":true,"violations":[]}]\n',
      stderr: `namespace-guard: checked 1: 1 allowed, 0 denied; 0 skipped${ASSUMED_CLAUSE}\n`,
    });
  });
});

describe('pod-security: levels from the namespaces\' PSA labels', () => {
  test('json: one entry per checked object in input order; unlabelled namespaces are skipped on stderr', async () => {
    const r = await cli(['pod-security', '-f', PSA, '--format', 'json']);
    expect(r.code).toBe(1);
    const file = JSON.stringify(PSA);
    expect(r.stdout).toBe('['
      // Each entry says the level and version its namespace's enforce labels asked for.
      + `{"file":${file},"kind":"Pod","namespace":"secure","name":"hardened","level":"restricted","version":"v1.30","levelSource":"namespace-label",`
      + ASSUMED('v1.30') + '"allowed":true,"violations":[]},'
      + `{"file":${file},"kind":"Pod","namespace":"legacy","name":"plain","level":"baseline","version":"latest","levelSource":"namespace-label",`
      + ASSUMED('v1.37') + '"allowed":true,"violations":[]},'
      + `{"file":${file},"kind":"DaemonSet","namespace":"legacy","name":"node-agent","level":"baseline","version":"latest","levelSource":"namespace-label",`
      + ASSUMED('v1.37') + '"allowed":false,"violations":['
      + `{"check":"hostNamespaces","path":"spec.template.spec.hostNetwork","message":"${HOST_NETWORK_MESSAGE}"},`
      + `{"check":"privileged","path":"spec.template.spec.containers[0].securityContext.privileged","message":"${PRIVILEGED_MESSAGE}"}]}`
      + ']\n');
    expect(r.stderr).toBe(
      `namespace-guard: skipped Pod open/anything (${PSA} document 7): namespace open has no pod-security.kubernetes.io/enforce label; pass --level to check it\n`
      + `namespace-guard: checked 3: 2 allowed, 1 denied; 1 skipped${ASSUMED_CLAUSE}\n`);
  });

  test('table: the level and version used, from the enforce and enforce-version labels', async () => {
    const r = await cli(['pod-security', '-f', PSA]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe([
      `ALLOWED Pod secure/hardened [restricted:v1.30] (${PSA} document 4)`,
      `ALLOWED Pod legacy/plain [baseline:latest] (${PSA} document 5)`,
      `DENIED  DaemonSet legacy/node-agent [baseline:latest] (${PSA} document 6)`,
      `  - hostNamespaces at spec.template.spec.hostNetwork: ${HOST_NETWORK_MESSAGE}`,
      `  - privileged at spec.template.spec.containers[0].securityContext.privileged: ${JSON.parse(`"${PRIVILEGED_MESSAGE}"`)}`,
      '',
    ].join('\n'));
  });

  test('exit 0 when everything checked is allowed, even with skipped objects', async () => {
    const input = [NS('ok', { 'pod-security.kubernetes.io/enforce': 'privileged' }), POD('root', 'ok'), POD('elsewhere', 'unknown'), POD('floating')].join('\n---\n');
    const r = await cli(['pod-security', '-f', '-', '--format', 'json'], input);
    expect(r).toEqual({
      code: 0,
      stdout: '[{"file":"<stdin>","kind":"Pod","namespace":"ok","name":"root","level":"privileged","version":"latest","levelSource":"namespace-label",'
        + ASSUMED('v1.37') + '"allowed":true,"violations":[]}]\n',
      stderr: 'namespace-guard: skipped Pod unknown/elsewhere (<stdin> document 3): no Namespace unknown in the input to read its '
        + 'pod-security.kubernetes.io/enforce label from; pass --level to check it\n'
        + 'namespace-guard: skipped Pod default/floating (<stdin> document 4): no Namespace default in the input to read its '
        + 'pod-security.kubernetes.io/enforce label from; pass --level to check it\n'
        + `namespace-guard: checked 1: 1 allowed, 0 denied; 2 skipped${ASSUMED_CLAUSE}\n`,
    });
  });

  test('invalid labels fail closed like the admission plugin: restricted level, latest version', async () => {
    const input = [
      NS('typo', { 'pod-security.kubernetes.io/enforce': 'restrcited' }),
      NS('future', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.99' }),
      NS('garbled', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': '1.30' }),
      POD('a', 'typo'),
      POD('b', 'future'),
      POD('c', 'garbled'),
    ].join('\n---\n');
    const r = await cli(['pod-security', '-f', '-'], input);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith(' '))).toEqual([
      'DENIED  Pod typo/a [restricted:latest] (<stdin> document 4)',
      'ALLOWED Pod future/b [baseline:latest] (<stdin> document 5)',
      'ALLOWED Pod garbled/c [baseline:latest] (<stdin> document 6)',
      '',
    ]);
    // The JSON says what was checked, as read from the labels: the fail-closed level and version, not the labels' text.
    const json = await cli(['pod-security', '-q', '-f', '-', '--format', 'json'], input);
    expect(JSON.parse(json.stdout).map((x: any) => [x.name, x.level, x.version, x.levelSource])).toEqual([
      ['a', 'restricted', 'latest', 'namespace-label'], ['b', 'baseline', 'latest', 'namespace-label'], ['c', 'baseline', 'latest', 'namespace-label'],
    ]);
    expect(r.stderr).toBe(
      'namespace-guard: namespace typo (<stdin> document 1): invalid pod-security.kubernetes.io/enforce label "restrcited"; '
      + 'Pod Security Admission enforces "restricted" then, and so does this check\n'
      + 'namespace-guard: namespace future (<stdin> document 2): pod-security.kubernetes.io/enforce-version v1.99 is newer than the newest '
      + 'policy version modelled (v1.37); checking against latest\n'
      + 'namespace-guard: namespace garbled (<stdin> document 3): invalid pod-security.kubernetes.io/enforce-version label "1.30"; '
      + 'Pod Security Admission uses "latest" then, and so does this check\n'
      + `namespace-guard: checked 3: 2 allowed, 1 denied; 0 skipped${ASSUMED_CLAUSE}\n`);
  });
});

describe('pod-security --level', () => {
  test('overrides the labels and checks every object, namespace default when it is not set', async () => {
    const r = await cli(['pod-security', '-f', '-', '--level', 'restricted', '--format', 'json'], POD('floating'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\[\{"file":"<stdin>","kind":"Pod","namespace":"default","name":"floating","level":"restricted","version":"latest","levelSource":"flag",/);
    expect(r.stdout).toContain('"allowed":false,"violations":[{"check":"allowPrivilegeEscalation",');
    const all = await cli(['pod-security', '-f', PSA, '--level', 'restricted']);
    expect(all.stdout.split('\n').filter((l) => /^[A-Z]/.test(l))).toEqual([
      `ALLOWED Pod secure/hardened [restricted:latest] (${PSA} document 4)`,
      `DENIED  Pod legacy/plain [restricted:latest] (${PSA} document 5)`,
      `DENIED  DaemonSet legacy/node-agent [restricted:latest] (${PSA} document 6)`,
      `DENIED  Pod open/anything [restricted:latest] (${PSA} document 7)`,
    ]);
    expect(all.stderr).toBe(`namespace-guard: checked 4: 1 allowed, 3 denied; 0 skipped${ASSUMED_CLAUSE}\n`);
  });

  test('--version selects the policy version', async () => {
    const r = await cli(['pod-security', '-f', CDK8S_PLUS, '--level', 'restricted', '--version', 'v1.21']);
    // capabilities_restricted only exists from v1.22 on.
    expect(r.stdout).toContain('[restricted:v1.21]');
    const json = await cli(['pod-security', '-f', CDK8S_PLUS, '--level', 'restricted', '--version', 'v1.21', '--format', 'json']);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ level: 'restricted', version: 'v1.21', levelSource: 'flag' });
    expect(r.stdout).not.toContain('capabilities_restricted');
    expect(r.stdout).toContain('seccompProfile_restricted');
  });

  test('objects of pod kinds without a pod spec are reported as skipped', async () => {
    const input = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hollow', namespace: 'x' }, spec: {} });
    expect(await cli(['pod-security', '-f', '-', '--level', 'baseline', '--format', 'json'], input)).toEqual({
      code: 0,
      stdout: '[]\n',
      stderr: 'namespace-guard: skipped Deployment x/hollow (<stdin> document 1): no pod spec\n'
        + 'namespace-guard: no Pods or workloads were checked (1 skipped)\n',
    });
  });

  test('nothing to check: empty table, exit 0', async () => {
    expect(await cli(['pod-security', '-f', '-', '--level', 'baseline'], NS('empty', {}))).toEqual({
      code: 0,
      stdout: '',
      stderr: 'namespace-guard: no Pods or workloads were checked\n',
    });
  });
});

describe('pod-security usage and input errors exit 2 with stdout empty', () => {
  test.each([
    ['privileged (it checks nothing)', ['--level', 'privileged'], 'option \'--level <level>\' argument \'privileged\' is invalid. Allowed choices are baseline, restricted.'],
    ['an unknown format', ['--format', 'markdown'], 'option \'--format <format>\' argument \'markdown\' is invalid. Allowed choices are table, json.'],
  ])('%s', async (_label, flags, message) => {
    expect(await cli(['pod-security', '-f', PSA, ...flags])).toEqual({
      code: 2,
      stdout: '',
      stderr: `namespace-guard: ${message}\n(run "namespace-guard pod-security --help" for usage)\n`,
    });
  });

  test.each([
    ['a malformed version', ['--level', 'baseline', '--version', '1.30'],
      '--version: Invalid Pod Security version "1.30": expected "latest" or "v1.<minor>" with minor between 0 and 37 (for example "v1.30")'],
    ['a version newer than modelled', ['--level', 'baseline', '--version', 'v1.99'],
      '--version: Unsupported Pod Security version "v1.99": the newest policy version modelled is v1.37; use "latest" or a version up to v1.37'],
    ['--version without --level', ['--version', 'v1.30'],
      '--version needs --level; without --level each namespace\'s pod-security.kubernetes.io/enforce-version label is used'],
  ])('%s', async (_label, flags, message) => {
    expect(await cli(['pod-security', '-f', PSA, ...flags])).toEqual({ code: 2, stdout: '', stderr: `namespace-guard: ${message}\n` });
  });

  test('invalid YAML is located by file and document, before anything is printed', async () => {
    const r = await cli(['pod-security', '-f', CDK8S_PLUS, '-f', fixture('broken.yaml'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^namespace-guard: \S+broken\.yaml document 2: invalid YAML: .+\n$/);
  });

  test('a missing file is named', async () => {
    const r = await cli(['pod-security', '-f', fixture('missing')]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `namespace-guard: ${fixture('missing')}: cannot read: ENOENT: no such file or directory, stat '${fixture('missing')}'\n` });
  });
});

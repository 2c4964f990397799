// --kubernetes-version: admit and pod-security judge Pod Security labels as an API server of that
// version does (the label's version capped at the server's), and say which version they assumed without it.
import { cli, useScratchDir } from './run-cli';

const write = useScratchDir('kubernetes-version');

const NS = (level: string, version: string) => JSON.stringify({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': version } },
});

const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

function pod(spec: Record<string, unknown>, container: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop' },
    spec: { ...spec, containers: [{ name: 'app', image: 'example/app:1.0', ...container }] },
  });
}

/** Each case differs between API server versions: [what, level, label version, pod, [server, admitted]...]. */
const CASES: Array<[string, string, string, string, Array<[string | undefined, boolean]>]> = [
  // The probe and lifecycle host check exists from v1.34.
  ['a liveness probe to 169.254.169.254', 'baseline', 'v1.35',
    pod({}, { livenessProbe: { httpGet: { host: '169.254.169.254', path: '/', port: 80 } } }),
    [[undefined, false], ['1.33', true], ['1.34', false], ['1.30', true]]],
  // net.ipv4.tcp_rmem is a safe sysctl from v1.32.
  ['sysctl net.ipv4.tcp_rmem', 'baseline', 'v1.35',
    pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }] } }),
    [[undefined, true], ['1.31', false], ['1.32', true]]],
  // In a user namespace, restricted allows root from v1.35 (before, only behind an alpha feature gate, off by default).
  ['hostUsers: false with runAsUser: 0', 'restricted', 'v1.35',
    pod({ hostUsers: false, securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } }, { securityContext: RESTRICTED_CONTAINER }),
    [[undefined, true], ['1.34', false], ['1.35', true]]],
  // The SELinux type container_engine_t is allowed from v1.31.
  ['SELinux type container_engine_t', 'baseline', 'v1.35',
    pod({ securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }),
    [[undefined, true], ['1.30', false], ['1.31', true]]],
  // latest is the server's own version.
  ['a probe host under latest', 'baseline', 'latest',
    pod({}, { readinessProbe: { tcpSocket: { host: '10.0.0.1', port: 80 } } }),
    [[undefined, false], ['1.33', true], ['1.35', false]]],
];

describe.each(CASES)('%s (%s at %s)', (_what, level, version, object, servers) => {
  test.each(servers)('admit, --kubernetes-version %s: admitted %s', async (server, admitted) => {
    const manifests = write('ns.yaml', NS(level, version));
    const flags = server === undefined ? [] : ['--kubernetes-version', server];
    const r = await cli(['admit', '-f', manifests, '--object', '-', '--operation', 'CREATE', '--user', 'alice', '--format', 'json', ...flags], object);
    expect(r.code).toBe(admitted ? 0 : 1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      allowed: admitted, kubernetesVersion: server ?? '1.37', kubernetesVersionAssumed: server === undefined,
    });
    expect(r.stderr.includes('Kubernetes version not given: admission CEL as 1.35, Pod Security labels at their own versions')).toBe(server === undefined);
  });

  test.each(servers)('pod-security, --kubernetes-version %s: allowed %s', async (server, admitted) => {
    const flags = server === undefined ? [] : ['--kubernetes-version', server];
    const r = await cli(['pod-security', '-f', '-', '--format', 'json', ...flags], `${NS(level, version)}\n---\n${object}`);
    expect(r.code).toBe(admitted ? 0 : 1);
    const judged = server === undefined ? (version === 'latest' ? 'v1.37' : version) : `v1.${Math.min(Number(server.slice(2)), version === 'latest' ? 99 : Number(version.slice(3)))}`;
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({
      level, version, judgedVersion: judged, kubernetesVersion: server ?? '1.37', kubernetesVersionAssumed: server === undefined, allowed: admitted,
    })]);
    expect(r.stderr.includes('Kubernetes version not given: Pod Security labels at their own versions')).toBe(server === undefined);
  });
});

describe('--kubernetes-version', () => {
  test('the table shows the version a newer label is judged at', async () => {
    const [, level, version, object] = CASES[0];
    const r = await cli(['pod-security', '-f', '-', '--kubernetes-version', '1.33'], `${NS(level, version)}\n---\n${object}`);
    expect(r.stdout).toBe('ALLOWED Pod shop/p [baseline:v1.35 as v1.33] (<stdin> document 2)\n');
  });

  test('--version with --level is capped too', async () => {
    const [, , , object] = CASES[0];
    const r = await cli(['pod-security', '-f', '-', '--level', 'baseline', '--version', 'v1.35', '--kubernetes-version', '1.33', '--format', 'json'], object);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ levelSource: 'flag', version: 'v1.35', judgedVersion: 'v1.33', allowed: true });
  });

  test.each([
    ['1.24', 'older than 1.25, the oldest supported'],
    ['1.38', 'newer than 1.37, the newest whose Pod Security checks are modelled'],
    ['v1.31', '(did you mean "1.31"?)'],
    ['1.31.2', '(did you mean "1.31"?)'],
    ['latest', 'is not a Kubernetes version'],
  ])('%s is bad usage: exit 2 with the reason', async (value, reason) => {
    for (const command of [['pod-security', '-f', '-'], ['admit', '-f', '-', '--object', 'x.yaml', '--operation', 'CREATE', '--user', 'a'], ['check', '-f', '-']]) {
      const r = await cli([...command, '--kubernetes-version', value], '');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(reason);
    }
  });
});

// ClusterProfile's kubernetesVersion: validated, and used by the synth-time checks, which judge Pod
// Security labels as that API server does and warn where the pinned level relies on a check it lacks.
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { ClusterGuardrails, ClusterProfile, Enforcement, Findings, PodSecurityLevel, RuleId, Subject, TeamNamespace } from '../../src';
import { errorOf, newChart } from '../helpers';

function probeHostPod(scope: Chart, namespace: string) {
  return new ApiObject(scope, 'probe-host', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'probe-host', namespace },
    spec: { containers: [{ name: 'app', image: 'example/app:1.0', livenessProbe: { httpGet: { host: '169.254.169.254', path: '/', port: 80 } } }] },
  });
}

describe('ClusterProfile kubernetesVersion', () => {
  test('defaults to the newest version the checks model, 1.37', () => {
    const { chart } = newChart();
    expect(new ClusterProfile(chart, 'cluster').kubernetesVersion).toBe('1.37');
    expect(new ClusterProfile(chart, 'old', { kubernetesVersion: '1.31' }).kubernetesVersion).toBe('1.31');
  });

  test.each([
    ['1.24', 'kubernetesVersion Kubernetes 1.24 is older than 1.25, the oldest supported (Pod Security Admission GA); give a version from 1.25 to 1.37'],
    ['1.38', 'kubernetesVersion Kubernetes 1.38 is newer than 1.37, the newest whose Pod Security checks are modelled'],
    ['v1.31', 'kubernetesVersion "v1.31" is not a Kubernetes version (did you mean "1.31"?)'],
    ['1.31.4', 'kubernetesVersion "1.31.4" is not a Kubernetes version (did you mean "1.31"?)'],
    ['latest', 'kubernetesVersion "latest" is not a Kubernetes version; give the API server\'s major.minor version as "1.<minor>"'],
  ])('%s is refused, naming the construct path and the fix', (kubernetesVersion, message) => {
    const { chart } = newChart();
    const error = errorOf(() => new ClusterProfile(chart, 'cluster', { kubernetesVersion }));
    expect(error).toContain('[test/cluster] ');
    expect(error).toContain(message);
    expect(error).toContain('Fix: correct the ClusterProfile properties as described');
  });

  test('a number (as YAML reads 1.30) is refused with the hint to quote it', () => {
    const { chart } = newChart();
    expect(errorOf(() => new ClusterProfile(chart, 'cluster', { kubernetesVersion: 1.3 as unknown as string })))
      .toContain('1.3 is not a Kubernetes version; give the cluster\'s version as a string "1.<minor>"');
  });
});

describe('synthesis on an older cluster', () => {
  function team(kubernetesVersion?: string) {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', kubernetesVersion === undefined ? {} : { kubernetesVersion });
    new TeamNamespace(chart, 'team', { cluster, podSecurity: PodSecurityLevel.BASELINE });
    probeHostPod(chart, 'team');
    return chart;
  }

  test('1.33: the probe host is admitted, and a warning names the Namespace and the check the cluster lacks', () => {
    const findings = Findings.of(team('1.33'));
    expect(findings.filter(f => f.ruleId === RuleId.POD_SECURITY)).toEqual([]);
    expect(findings.filter(f => f.ruleId === RuleId.POD_SECURITY_CLUSTER_VERSION)).toEqual([expect.objectContaining({
      severity: 'warning',
      path: 'test/team',
      objectKind: 'Namespace',
      target: 'hostProbesAndHostLifecycle',
      message: 'namespace "team" enforces Pod Security "baseline" at v1.35, but a Kubernetes 1.33 API server judges it at v1.33, '
        + 'which lacks check hostProbesAndHostLifecycle (from v1.34): pods that only it rejects are admitted',
    })]);
  });

  test('1.33 with the guardrails: the warning says their probe-hosts policy denies what the cluster does not check', () => {
    const chart = team('1.33');
    new ClusterGuardrails(chart, 'guardrails', { platformAdmins: [Subject.group('platform-admins')] });
    const [finding] = Findings.of(chart).filter(f => f.ruleId === RuleId.POD_SECURITY_CLUSTER_VERSION);
    expect(finding.message).toBe('namespace "team" enforces Pod Security "baseline" at v1.35, but a Kubernetes 1.33 API server judges it at v1.33, '
      + 'which lacks check hostProbesAndHostLifecycle (from v1.34); the guardrail ValidatingAdmissionPolicy namespace-guard-probe-hosts denies '
      + 'what it would, so pods still cannot pass it');
    expect(finding.fix).toMatch(/^nothing to do while namespace-guard-probe-hosts is installed/);
  });

  test('coverage is what admission decides, not a policy\'s name: guardrails that only warn, or a server without v1 policies, cover nothing', () => {
    const uncovered = (chart: Chart) => Findings.of(chart).filter(f => f.ruleId === RuleId.POD_SECURITY_CLUSTER_VERSION).map(f => f.message);
    const warning = team('1.33');
    new ClusterGuardrails(warning, 'guardrails', { platformAdmins: [Subject.group('platform-admins')], enforcement: Enforcement.MONITOR });
    expect(uncovered(warning)).toEqual([expect.stringMatching(/lacks check hostProbesAndHostLifecycle \(from v1\.34\): pods that only it rejects are admitted$/)]);
    // admissionregistration.k8s.io/v1 is served from 1.30: on 1.29 the guardrails do not exist.
    const old = team('1.29');
    new ClusterGuardrails(old, 'guardrails', { platformAdmins: [Subject.group('platform-admins')] });
    expect(uncovered(old)).toEqual([expect.stringMatching(/pods that only it rejects are admitted$/)]);
    // A binding edited to leave the namespace out covers nothing there either.
    const edited = team('1.33');
    const guardrails = new ClusterGuardrails(edited, 'guardrails', { platformAdmins: [Subject.group('platform-admins')] });
    const binding = guardrails.node.findChild('Binding-probe-hosts') as ApiObject;
    binding.addJsonPatch(JsonPatch.add('/spec/matchResources/namespaceSelector/matchExpressions/-', { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team'] }));
    expect(uncovered(edited)).toEqual([expect.stringMatching(/pods that only it rejects are admitted$/)]);
  });

  test('1.34 and the default: the probe host fails pod-security, and nothing is missing', () => {
    for (const version of ['1.34', undefined]) {
      const findings = Findings.of(team(version));
      expect(findings.filter(f => f.ruleId === RuleId.POD_SECURITY).map(f => f.target)).toEqual(['hostProbesAndHostLifecycle']);
      expect(findings.filter(f => f.ruleId === RuleId.POD_SECURITY_CLUSTER_VERSION)).toEqual([]);
    }
  });

  test('a sysctl safe only from v1.32 fails pod-security on 1.31, saying how the cluster judges the label', () => {
    const { chart } = newChart();
    const cluster = new ClusterProfile(chart, 'cluster', { kubernetesVersion: '1.31' });
    new TeamNamespace(chart, 'team', { cluster, podSecurity: PodSecurityLevel.BASELINE });
    new ApiObject(chart, 'sysctl', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sysctl', namespace: 'team' },
      spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }] }, containers: [{ name: 'app', image: 'example/app:1.0' }] },
    });
    const hits = Findings.of(chart).filter(f => f.ruleId === RuleId.POD_SECURITY);
    expect(hits.map(f => f.message)).toEqual([
      'Pod "sysctl" in namespace "team" fails Pod Security "baseline" (v1.35, judged as v1.31 by a Kubernetes 1.31 API server) '
      + 'check sysctls at spec.securityContext.sysctls[0].name',
    ]);
  });
});

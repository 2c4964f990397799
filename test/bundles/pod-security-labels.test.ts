import { Enforcement, PodSecurityLevel, RuleId, TeamNamespace } from '../../src';
import { DEFAULT_POD_SECURITY_VERSION } from '../../src/cluster/pod-security-version';
import { errorOf, namespaceLabels, newChart, synthValid } from '../helpers';

function labelsFor(podSecurity: PodSecurityLevel, enforcement: Enforcement, podSecurityVersion?: string): { [key: string]: string } {
  const { chart } = newChart();
  const bundle = new TeamNamespace(chart, 'apps', { namespaceName: 'apps', podSecurity, enforcement, podSecurityVersion });
  if (podSecurity === PodSecurityLevel.PRIVILEGED) bundle.acknowledge(RuleId.PRIVILEGED_POD_SECURITY, 'tested on purpose here');
  // Versions before v1.25 are accepted, and the pod-security-version rule asks for a reason.
  if (Number(/^v1\.(\d+)$/.exec(podSecurityVersion ?? '')?.[1] ?? 99) < 25) bundle.acknowledge(RuleId.POD_SECURITY_VERSION, 'an old version on purpose here');
  const labels = namespaceLabels(synthValid(chart), 'apps');
  return Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')));
}

function psa(enforce: string, reported: string, version = 'v1.35') {
  return {
    'pod-security.kubernetes.io/enforce': enforce,
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': reported,
    'pod-security.kubernetes.io/audit-version': version,
    'pod-security.kubernetes.io/warn': reported,
    'pod-security.kubernetes.io/warn-version': version,
  };
}

describe('Pod Security Admission labels', () => {
  test.each([
    [PodSecurityLevel.RESTRICTED, Enforcement.ENFORCE, psa('restricted', 'restricted')],
    [PodSecurityLevel.BASELINE, Enforcement.ENFORCE, psa('baseline', 'restricted')],
    [PodSecurityLevel.PRIVILEGED, Enforcement.ENFORCE, psa('privileged', 'restricted')],
    [PodSecurityLevel.RESTRICTED, Enforcement.MONITOR, psa('baseline', 'restricted')],
    [PodSecurityLevel.BASELINE, Enforcement.MONITOR, psa('baseline', 'baseline')],
    [PodSecurityLevel.PRIVILEGED, Enforcement.MONITOR, psa('privileged', 'privileged')],
  ])('%s level in %s mode', (level, enforcement, expected) => {
    expect(labelsFor(level, enforcement)).toEqual(expected);
  });

  test('the default version is pinned, not latest', () => {
    expect(DEFAULT_POD_SECURITY_VERSION).toMatch(/^v1\.\d+$/);
    expect(labelsFor(PodSecurityLevel.RESTRICTED, Enforcement.ENFORCE)['pod-security.kubernetes.io/enforce-version']).toBe(DEFAULT_POD_SECURITY_VERSION);
  });

  test.each(['v1.0', 'v1.25', 'v1.37', 'latest'])('version %s is accepted and pinned on all three modes', version => {
    expect(labelsFor(PodSecurityLevel.BASELINE, Enforcement.ENFORCE, version)).toEqual(psa('baseline', 'restricted', version));
  });

  test.each([
    ['1.30', 'did you mean "v1.30"?'],
    ['v1.030', 'use "v1.<minor>" such as "v1.35"'],
    ['V1.30', 'use "v1.<minor>" such as "v1.35"'],
    ['v2.1', 'or "latest" to follow the cluster'],
    ['', 'is not a Pod Security Admission version'],
  ])('version "%s" is refused', (version, fix) => {
    const { chart } = newChart();
    const message = errorOf(() => new TeamNamespace(chart, 'apps', { podSecurityVersion: version }));
    expect(message).toContain('[test/apps]');
    expect(message).toContain(fix);
  });

  test('the enums hold the label values', () => {
    expect(Object.values(PodSecurityLevel)).toEqual(['privileged', 'baseline', 'restricted']);
    expect(Object.values(Enforcement)).toEqual(['enforce', 'monitor']);
  });
});

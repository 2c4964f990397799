import { asWorkload, Manifest, restrictedPod, tweak } from './pods';
import {
  checkPodSecurity,
  LATEST_POD_SECURITY_MINOR,
  LATEST_POD_SECURITY_VERSION,
  parsePodSecurityLevel,
  parsePodSecurityVersion,
  POD_SECURITY_CHECK_IDS,
  POD_SECURITY_CHECKS,
  POD_SECURITY_VERSIONS,
  podSecurityChecksFor,
  PodSecurityLevelName,
} from '../../../src/analysis/pod-security';
import { FieldError } from '../../../src/model/manifests';
import { podTemplateOf } from '../../../src/model/pod-template';
import { thrownBy } from '../../helpers';

describe('policy versions and levels', () => {
  test.each([
    ['v1.0', 0],
    ['v1.9', 9],
    ['v1.25', 25],
    ['v1.37', 37],
    ['latest', 37],
  ])('%s parses to minor %d', (version, minor) => {
    expect(parsePodSecurityVersion(version)).toBe(minor);
  });

  test('latest is v1.37', () => {
    expect(LATEST_POD_SECURITY_VERSION).toBe('v1.37');
    expect(LATEST_POD_SECURITY_MINOR).toBe(37);
    expect(POD_SECURITY_VERSIONS).toHaveLength(38);
    expect(POD_SECURITY_VERSIONS[0]).toBe('v1.0');
    expect(POD_SECURITY_VERSIONS[37]).toBe(LATEST_POD_SECURITY_VERSION);
  });

  test.each(['v1.38', 'v1.100'])('%s is newer than the newest modelled version', (version) => {
    expect(() => parsePodSecurityVersion(version)).toThrow(/newest policy version modelled is v1\.37/);
  });

  test.each(['', '1.25', 'v1', 'v1.', 'v1.05', 'v2.0', 'v1.2.3', ' v1.2', 'Latest', 'v1.-1', 'v1.x'])(
    '%j is rejected',
    (version) => {
      expect(() => parsePodSecurityVersion(version)).toThrow(/Invalid Pod Security version .*"latest" or "v1\.<minor>"/);
    },
  );

  test('levels are validated', () => {
    expect(parsePodSecurityLevel('baseline')).toBe('baseline');
    expect(() => parsePodSecurityLevel('Restricted')).toThrow('Invalid Pod Security level "Restricted": expected one of privileged, baseline, restricted');
  });

  test('checkPodSecurity validates its level and version', () => {
    expect(() => checkPodSecurity(restrictedPod(), 'strict' as PodSecurityLevelName, 'latest')).toThrow(/Invalid Pod Security level/);
    expect(() => checkPodSecurity(restrictedPod(), 'privileged', 'v1.99')).toThrow(/Unsupported Pod Security version "v1\.99"/);
  });
});

describe('check registry', () => {
  test('there is exactly one definition per upstream check id', () => {
    expect(POD_SECURITY_CHECKS.map((c) => c.id).sort()).toEqual([...POD_SECURITY_CHECK_IDS].sort());
  });

  test('variants are strictly increasing and overrides only name baseline checks', () => {
    for (const check of POD_SECURITY_CHECKS) {
      const since = check.variants.map((v) => v.since);
      expect(since).toEqual([...since].sort((a, b) => a - b));
      expect(new Set(since).size).toBe(since.length);
      for (const replaced of check.replaces ?? []) {
        expect(check.level).toBe('restricted');
        expect(POD_SECURITY_CHECKS.find((c) => c.id === replaced)?.level).toBe('baseline');
      }
    }
  });

  test('privileged runs no checks', () => {
    expect(podSecurityChecksFor('privileged', 'latest')).toEqual([]);
  });

  test('baseline at latest runs the baseline checks in id order', () => {
    expect(podSecurityChecksFor('baseline', 'latest')).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle',
      'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
    ]);
  });

  test('restricted at v1.0 keeps every baseline check but hostPathVolumes', () => {
    expect(podSecurityChecksFor('restricted', 'v1.0')).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions',
      'seccompProfile_baseline', 'sysctls', 'windowsHostProcess', 'restrictedVolumes', 'runAsNonRoot',
    ]);
  });

  test.each([
    ['seccompProfile_baseline', 'seccompProfile_restricted', 'v1.18', 'v1.19'],
    ['capabilities_baseline', 'capabilities_restricted', 'v1.21', 'v1.22'],
    ['procMount', 'procMount_restricted', 'v1.34', 'v1.35'],
  ])('restricted replaces %s with %s from %s to %s', (replaced, replacement, before, from) => {
    expect(podSecurityChecksFor('restricted', before)).toContain(replaced);
    expect(podSecurityChecksFor('restricted', before)).not.toContain(replacement);
    expect(podSecurityChecksFor('restricted', from)).not.toContain(replaced);
    expect(podSecurityChecksFor('restricted', from)).toContain(replacement);
    expect(podSecurityChecksFor('baseline', from)).toContain(replaced);
  });

  test('hostPathVolumes never runs at restricted', () => {
    for (const version of POD_SECURITY_VERSIONS) {
      expect(podSecurityChecksFor('restricted', version)).not.toContain('hostPathVolumes');
    }
  });
});

describe('levels', () => {
  const dangerous = (): Manifest => tweak(restrictedPod(), (p) => {
    p.spec.hostNetwork = true;
    p.spec.containers[0].securityContext = { privileged: true, capabilities: { add: ['SYS_ADMIN'] } };
    p.spec.volumes = [{ name: 'root', hostPath: { path: '/' } }];
  });

  test('privileged allows everything at every version', () => {
    for (const version of [...POD_SECURITY_VERSIONS, 'latest']) {
      expect(checkPodSecurity(dangerous(), 'privileged', version)).toEqual({ allowed: true, violations: [] });
    }
  });

  test('baseline and restricted deny the same pod', () => {
    expect(checkPodSecurity(dangerous(), 'baseline', 'latest').allowed).toBe(false);
    expect(checkPodSecurity(dangerous(), 'restricted', 'latest').allowed).toBe(false);
  });

  test('latest gives the same result as v1.37', () => {
    for (const level of ['baseline', 'restricted'] as const) {
      expect(checkPodSecurity(dangerous(), level, 'latest')).toEqual(checkPodSecurity(dangerous(), level, 'v1.37'));
    }
  });

  test('violations are reported baseline checks first, then restricted ones', () => {
    const result = checkPodSecurity(dangerous(), 'restricted', 'latest');
    expect(result.violations.map((v) => v.check)).toEqual([
      'hostNamespaces', 'privileged', 'allowPrivilegeEscalation', 'capabilities_restricted', 'capabilities_restricted', 'restrictedVolumes',
    ]);
  });
});

describe('Windows pods', () => {
  const windowsPod = (): Manifest => tweak(restrictedPod(), (p) => {
    p.spec.os = { name: 'windows' };
    p.spec.securityContext = { runAsNonRoot: true };
    p.spec.containers[0].securityContext = {};
    p.spec.initContainers[0].securityContext = {};
  });

  test('are exempt from allowPrivilegeEscalation, capabilities and seccomp at restricted from v1.25', () => {
    expect(checkPodSecurity(windowsPod(), 'restricted', 'v1.25')).toEqual({ allowed: true, violations: [] });
    expect(checkPodSecurity(windowsPod(), 'restricted', 'latest')).toEqual({ allowed: true, violations: [] });
  });

  test('are not exempt before v1.25', () => {
    const checks = checkPodSecurity(windowsPod(), 'restricted', 'v1.24').violations.map((v) => v.check);
    expect(new Set(checks)).toEqual(new Set(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']));
  });

  test('a Linux pod with the same spec is not exempt', () => {
    const linuxPod = tweak(windowsPod(), (p) => { p.spec.os = { name: 'linux' }; });
    expect(checkPodSecurity(linuxPod, 'restricted', 'latest').allowed).toBe(false);
  });

  test('remain subject to baseline checks such as hostProcess', () => {
    const hostProcess = tweak(windowsPod(), (p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; });
    expect(checkPodSecurity(hostProcess, 'restricted', 'latest').violations.map((v) => v.check)).toEqual(['windowsHostProcess']);
  });

  test('keep the upstream quirk: capabilities_baseline denies what restricted lets through', () => {
    // Restricted replaces capabilities_baseline by capabilities_restricted, which skips Windows pods.
    const sysAdmin = tweak(windowsPod(), (p) => { p.spec.containers[0].securityContext.capabilities = { add: ['SYS_ADMIN'] }; });
    expect(checkPodSecurity(sysAdmin, 'baseline', 'latest').violations.map((v) => v.check)).toEqual(['capabilities_baseline']);
    expect(checkPodSecurity(sysAdmin, 'restricted', 'latest').allowed).toBe(true);
  });
});

describe('pod templates and paths', () => {
  const privileged = (): Manifest => tweak(restrictedPod(), (p) => {
    p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    p.spec.containers[0].securityContext.privileged = true;
  });

  test.each([
    ['Pod', 'spec', 'metadata'],
    ['Deployment', 'spec.template.spec', 'spec.template.metadata'],
    ['StatefulSet', 'spec.template.spec', 'spec.template.metadata'],
    ['DaemonSet', 'spec.template.spec', 'spec.template.metadata'],
    ['ReplicaSet', 'spec.template.spec', 'spec.template.metadata'],
    ['ReplicationController', 'spec.template.spec', 'spec.template.metadata'],
    ['Job', 'spec.template.spec', 'spec.template.metadata'],
    ['CronJob', 'spec.jobTemplate.spec.template.spec', 'spec.jobTemplate.spec.template.metadata'],
    ['PodTemplate', 'template.spec', 'template.metadata'],
  ])('%s keeps its pod spec at %s', (kind, specPath, metadataPath) => {
    const manifest = kind === 'Pod' ? privileged() : asWorkload(privileged(), kind);
    const template = podTemplateOf(manifest);
    expect(template?.path).toBe(specPath);
    expect(template?.metadataPath).toBe(metadataPath);
    expect(template?.spec.containers).toBeDefined();

    const result = checkPodSecurity(manifest, 'baseline', 'latest');
    expect(result.violations.map((v) => v.path)).toEqual([
      `${metadataPath}.annotations["container.apparmor.security.beta.kubernetes.io/app"]`,
      `${specPath}.containers[0].securityContext.privileged`,
    ]);
  });

  test('a Deployment reports the full path of the field to fix', () => {
    const deployment = asWorkload(tweak(restrictedPod(), (p) => {
      delete p.spec.containers[0].securityContext.allowPrivilegeEscalation;
    }), 'Deployment');
    expect(checkPodSecurity(deployment, 'restricted', 'latest').violations).toEqual([{
      check: 'allowPrivilegeEscalation',
      path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      message: 'allowPrivilegeEscalation != false: container "app" must set securityContext.allowPrivilegeEscalation=false (unset means true)',
    }]);
  });

  test('a CronJob reports the full path of a volume', () => {
    const cronJob = asWorkload(tweak(restrictedPod(), (p) => { p.spec.volumes = [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }]; }), 'CronJob');
    expect(checkPodSecurity(cronJob, 'restricted', 'latest').violations.map((v) => v.path)).toEqual([
      'spec.jobTemplate.spec.template.spec.volumes[0].hostPath',
    ]);
  });

  test('a template without metadata is fine', () => {
    const deployment = asWorkload(restrictedPod(), 'Deployment');
    delete deployment.spec.template.metadata;
    expect(podTemplateOf(deployment)?.metadata).toEqual({});
    expect(checkPodSecurity(deployment, 'restricted', 'latest').allowed).toBe(true);
  });

  test('unknown kinds are accepted when they have a pod template with containers', () => {
    const rollout = { ...asWorkload(restrictedPod(), 'Deployment'), apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' };
    expect(podTemplateOf(rollout)?.path).toBe('spec.template.spec');
    const bare = { spec: { containers: [] } };
    expect(podTemplateOf(bare)?.path).toBe('spec');
  });

  test.each([
    ['a Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [] } }, 'Service "web"'],
    ['a Deployment without template', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} }, 'Deployment "x"'],
    ['a Pod without spec', { apiVersion: 'v1', kind: 'Pod' }, 'Pod'],
    ['null', null, 'a value of type null'],
    ['a string', 'kind: Pod', 'a value of type string'],
    ['an array', [], 'a value of type array'],
    ['an object whose kind is an Object.prototype member', { kind: 'toString' }, 'toString'],
  ])('%s has no pod spec', (_name, manifest, described) => {
    expect(podTemplateOf(manifest)).toBeUndefined();
    expect(() => checkPodSecurity(manifest, 'baseline', 'latest')).toThrow(`Cannot check Pod Security for ${described}: no pod spec found`);
  });

  test('an object without kind or pod spec is described as such', () => {
    expect(() => checkPodSecurity({ metadata: { name: 'x' } }, 'baseline', 'latest')).toThrow('Cannot check Pod Security for an object without kind "x"');
  });

  test.each([
    ['a list that is a string', (p: any) => { p.spec.initContainers = 'not a list'; }, 'spec.initContainers: must be a list, not string "not a list"'],
    ['a container that is null', (p: any) => { p.spec.containers.push(null); }, 'spec.containers[1]: must be a mapping, not null'],
    ['a volume that is a string', (p: any) => { p.spec.volumes = [{ name: 'v' }, 'v']; }, 'spec.volumes[1]: must be a mapping, not string "v"'],
    ['annotations that are a list', (p: any) => { p.metadata.annotations = ['not', 'a', 'map']; }, 'metadata.annotations: must be a mapping, not a list'],
    ['a boolean that is a string', (p: any) => { p.spec.containers[0].securityContext.allowPrivilegeEscalation = 'false'; },
      'spec.containers[0].securityContext.allowPrivilegeEscalation: must be true or false, not string "false"'],
  ])('malformed fields the checks read are refused with their path, not read as unset: %s', (_, change, problem) => {
    const error = thrownBy(() => checkPodSecurity(tweak(restrictedPod(), change), 'restricted', 'latest'));
    expect(error).toBeInstanceOf(FieldError);
    expect(error.message).toBe(`${problem} (the API server rejects the object)`);
  });

  test('unnamed containers are described by their path', () => {
    const pod = tweak(restrictedPod(), (p) => { delete p.spec.containers[0].name; p.spec.containers[0].securityContext.privileged = true; });
    expect(checkPodSecurity(pod, 'baseline', 'latest').violations[0].message).toContain('unnamed container at spec.containers[0]');
  });
});

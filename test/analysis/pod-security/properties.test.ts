import * as fc from 'fast-check';
import { asWorkload, Manifest, templatePrefix } from './pods';
import {
  checkPodSecurity,
  POD_SECURITY_CHECKS,
  POD_SECURITY_VERSIONS,
  podSecurityChecksFor,
  PodSecurityViolation,
} from '../../../src/analysis/pod-security';

/*
 * Property-based tests over generated pods that mix allowed and forbidden settings of
 * every field the checks read.
 */

const some = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const optionalRecord = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) => fc.record(model, { requiredKeys: [] });

const securityContextArb = optionalRecord({
  allowPrivilegeEscalation: fc.boolean(),
  privileged: fc.boolean(),
  capabilities: optionalRecord({
    add: fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'NET_RAW', 'SYS_ADMIN']),
    drop: fc.subarray(['ALL', 'NET_RAW']),
  }),
  procMount: fc.constantFrom('Default', 'Unmasked'),
  runAsNonRoot: fc.boolean(),
  runAsUser: fc.constantFrom(0, 1000),
  seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined') }),
  appArmorProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined') }),
  seLinuxOptions: optionalRecord({ type: fc.constantFrom('container_t', 'container_engine_t', 'spc_t'), user: fc.constant('system_u') }),
  windowsOptions: optionalRecord({ hostProcess: fc.boolean() }),
});

const containerBodyArb = optionalRecord({
  securityContext: securityContextArb,
  ports: fc.array(optionalRecord({ containerPort: fc.constant(80), hostPort: fc.constantFrom(0, 8080) }), { maxLength: 2 }),
  livenessProbe: fc.record({ httpGet: optionalRecord({ port: fc.constant(80), host: fc.constantFrom('', 'example.com') }) }),
  lifecycle: optionalRecord({ preStop: fc.record({ tcpSocket: optionalRecord({ port: fc.constant(80), host: fc.constant('10.0.0.1') }) }) }),
});

const containersArb = (prefix: string, minLength: number, maxLength: number) =>
  fc.array(containerBodyArb, { minLength, maxLength })
    .map((bodies) => bodies.map((body, i) => ({ name: `${prefix}${i}`, image: 'registry.k8s.io/pause', ...body })));

// One volume source each: a volume mixing sources would be rejected by API validation.
const volumeSourceArb = fc.constantFrom<Manifest>(
  {},
  { emptyDir: {} },
  { configMap: { name: 'c' } },
  { persistentVolumeClaim: { claimName: 'data' } },
  { hostPath: { path: '/var/lib' } },
  { nfs: { server: 'nfs', path: '/' } },
);

const sysctlArb = fc.subarray(['kernel.shm_rmid_forced', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_notsent_lowat', 'kernel.msgmax'])
  .map((names) => names.map((name) => ({ name, value: '1' })));

const annotationsArb = optionalRecord({
  'container.apparmor.security.beta.kubernetes.io/c0': fc.constantFrom('runtime/default', 'unconfined'),
  'seccomp.security.alpha.kubernetes.io/pod': fc.constantFrom('runtime/default', 'unconfined'),
  'container.seccomp.security.alpha.kubernetes.io/i0': fc.constantFrom('localhost/x', 'unconfined'),
});

const podArb = (os: fc.Arbitrary<string | undefined>) => fc.record({
  annotations: annotationsArb,
  initContainers: containersArb('i', 0, 2),
  containers: containersArb('c', 1, 2),
  ephemeralContainers: containersArb('e', 0, 1),
  host: optionalRecord({ hostNetwork: fc.boolean(), hostPID: fc.boolean(), hostUsers: fc.boolean() }),
  os,
  podSecurityContext: optionalRecord({
    runAsNonRoot: fc.boolean(),
    runAsUser: fc.constantFrom(0, 1000),
    seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }),
    sysctls: sysctlArb,
    seLinuxOptions: optionalRecord({ type: fc.constantFrom('container_t', 'spc_t'), role: fc.constant('r') }),
  }),
  volumes: fc.array(volumeSourceArb, { maxLength: 2 }),
}).map((g): Manifest => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'generated', annotations: g.annotations },
  spec: {
    ...g.host,
    ...(g.os ? { os: { name: g.os } } : {}),
    securityContext: g.podSecurityContext,
    initContainers: g.initContainers,
    containers: g.containers,
    ephemeralContainers: g.ephemeralContainers,
    volumes: g.volumes.map((source, i) => ({ name: `v${i}`, ...source })),
  },
}));

const anyPodArb = podArb(some(fc.constantFrom('linux', 'windows')));
const linuxPodArb = podArb(some(fc.constant('linux')));
const versionArb = fc.constantFrom(...POD_SECURITY_VERSIONS);
const levelArb = fc.constantFrom('baseline' as const, 'restricted' as const);

/** Restricted-compliant pods with random allowed variations. */
const compliantPodArb = fc.record({
  podProfile: fc.boolean(),
  profileType: fc.constantFrom('RuntimeDefault', 'Localhost'),
  addNetBindService: fc.boolean(),
  runAsUser: some(fc.constantFrom(1, 1000, 65534)),
  procMountDefault: fc.boolean(),
  seLinuxType: some(fc.constantFrom('container_t', 'container_init_t', 'container_kvm_t')),
  appArmor: some(fc.constantFrom('RuntimeDefault', 'Localhost')),
  sysctls: fc.subarray(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies']),
  volumes: fc.subarray<Manifest>([{ emptyDir: {} }, { secret: { secretName: 's' } }, { projected: { sources: [] } }, {}]),
  containerCount: fc.integer({ min: 1, max: 3 }),
  annotate: fc.boolean(),
}).map((g): Manifest => {
  const profile = { type: g.profileType, ...(g.profileType === 'Localhost' ? { localhostProfile: 'p.json' } : {}) };
  const container = (name: string) => ({
    name,
    image: 'registry.k8s.io/pause',
    ports: [{ containerPort: 8080, hostPort: 0 }],
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'], ...(g.addNetBindService ? { add: ['NET_BIND_SERVICE'] } : {}) },
      ...(g.podProfile ? {} : { seccompProfile: profile }),
      ...(g.procMountDefault ? { procMount: 'Default' } : {}),
      ...(g.appArmor ? { appArmorProfile: { type: g.appArmor } } : {}),
    },
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'compliant',
      ...(g.annotate ? { annotations: { 'container.apparmor.security.beta.kubernetes.io/c0': 'runtime/default', 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' } } : {}),
    },
    spec: {
      securityContext: {
        runAsNonRoot: true,
        ...(g.podProfile ? { seccompProfile: profile } : {}),
        ...(g.runAsUser !== undefined ? { runAsUser: g.runAsUser } : {}),
        ...(g.seLinuxType ? { seLinuxOptions: { type: g.seLinuxType } } : {}),
        sysctls: g.sysctls.map((name) => ({ name, value: '0' })),
      },
      initContainers: [container('init')],
      containers: Array.from({ length: g.containerCount }, (_, i) => container(`c${i}`)),
      volumes: g.volumes.map((source, i) => ({ name: `v${i}`, ...source })),
    },
  };
});

const key = (v: PodSecurityViolation) => `${v.check}|${v.path}|${v.message}`;

describe('Pod Security checker properties', () => {
  test('latest gives exactly the v1.37 result', () => {
    fc.assert(fc.property(anyPodArb, levelArb, (pod, level) => {
      expect(checkPodSecurity(pod, level, 'latest')).toEqual(checkPodSecurity(pod, level, 'v1.37'));
    }));
  });

  test('privileged allows every pod at every version', () => {
    fc.assert(fc.property(anyPodArb, versionArb, (pod, version) => {
      expect(checkPodSecurity(pod, 'privileged', version)).toEqual({ allowed: true, violations: [] });
    }));
  });

  test('results are consistent: allowed iff no violations, ids from the active checks, paths inside the pod', () => {
    fc.assert(fc.property(anyPodArb, levelArb, versionArb, (pod, level, version) => {
      const result = checkPodSecurity(pod, level, version);
      expect(result.allowed).toBe(result.violations.length === 0);
      const active = podSecurityChecksFor(level, version);
      for (const violation of result.violations) {
        expect(active).toContain(violation.check);
        expect(violation.path).toMatch(/^(spec|metadata)[.[]/);
        expect(violation.message.length).toBeGreaterThan(20);
      }
    }));
  });

  test('a workload gives the pod result with paths under its template', () => {
    fc.assert(fc.property(anyPodArb, levelArb, versionArb, fc.constantFrom('Deployment', 'CronJob', 'PodTemplate', 'Job'), (pod, level, version, kind) => {
      const expected = checkPodSecurity(pod, level, version).violations
        .map((v) => ({ ...v, path: templatePrefix(kind) + v.path }));
      expect(checkPodSecurity(asWorkload(pod, kind), level, version).violations).toEqual(expected);
    }));
  });

  test('a restricted-compliant pod is allowed at baseline and restricted at every version', () => {
    fc.assert(fc.property(compliantPodArb, (pod) => {
      for (const version of [...POD_SECURITY_VERSIONS, 'latest']) {
        expect(checkPodSecurity(pod, 'restricted', version).violations).toEqual([]);
        expect(checkPodSecurity(pod, 'baseline', version).violations).toEqual([]);
      }
    }), { numRuns: 50 });
  });

  test('for Linux pods, restricted reports every baseline violation, or the replacing check on the same field', () => {
    fc.assert(fc.property(linuxPodArb, versionArb, (pod, version) => {
      const baseline = checkPodSecurity(pod, 'baseline', version).violations;
      const restricted = checkPodSecurity(pod, 'restricted', version);
      const restrictedKeys = new Set(restricted.violations.map(key));
      const restrictedFields = new Set(restricted.violations.map((v) => `${v.check}|${v.path}`));
      const active = new Set(podSecurityChecksFor('restricted', version));
      for (const violation of baseline) {
        if (active.has(violation.check)) {
          expect(restrictedKeys).toContain(key(violation));
        } else {
          const replacement = POD_SECURITY_CHECKS.find((c) => active.has(c.id) && c.replaces?.includes(violation.check));
          expect(replacement).toBeDefined();
          // The stricter check flags the very same field.
          expect(restrictedFields).toContain(`${replacement?.id}|${violation.path}`);
        }
      }
      if (restricted.allowed) {
        expect(baseline).toEqual([]);
      }
    }));
  });

  test('from v1.35, hostUsers: false only ever removes violations', () => {
    const userNamespaceVersions = POD_SECURITY_VERSIONS.slice(35);
    fc.assert(fc.property(anyPodArb, levelArb, fc.constantFrom(...userNamespaceVersions), (pod, level, version) => {
      const inUserNamespace = { ...pod, spec: { ...pod.spec, hostUsers: false } };
      const relaxed = checkPodSecurity(inUserNamespace, level, version).violations.map(key);
      const hostUsers = new Set(checkPodSecurity({ ...pod, spec: { ...pod.spec, hostUsers: true } }, level, version).violations.map(key));
      for (const violation of relaxed) {
        expect(hostUsers).toContain(violation);
      }
    }));
  });

  test('from v1.25, Windows pods never get the Linux-only restricted violations', () => {
    const linuxOnly = ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted'];
    fc.assert(fc.property(anyPodArb, fc.constantFrom(...POD_SECURITY_VERSIONS.slice(25)), (pod, version) => {
      const windowsPod = { ...pod, spec: { ...pod.spec, os: { name: 'windows' } } };
      const checks = checkPodSecurity(windowsPod, 'restricted', version).violations.map((v) => v.check);
      expect(checks.filter((check) => linuxOnly.includes(check))).toEqual([]);
    }));
  });
});

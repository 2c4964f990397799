import { Manifest, restrictedPod, tweak } from './pods';
import { checkPodSecurity, POD_SECURITY_CHECK_IDS, PodSecurityCheckId } from '../../../src/analysis/pod-security';

interface ExpectedViolation {
  readonly check: PodSecurityCheckId;
  readonly path: string;
  /** Substrings the message must contain. */
  readonly message?: readonly string[];
}

interface Case {
  readonly name: string;
  readonly level: 'baseline' | 'restricted';
  /** Policy version; `latest` when omitted. */
  readonly version?: string;
  readonly change: (pod: Manifest) => void;
  /** Exactly the violations expected; none means the pod is allowed. */
  readonly violations: readonly ExpectedViolation[];
}

const APP = 'spec.containers[0]';
const INIT = 'spec.initContainers[0]';
const APP_SC = `${APP}.securityContext`;
const INIT_SC = `${INIT}.securityContext`;
const APPARMOR_APP = 'container.apparmor.security.beta.kubernetes.io/app';

/** Targeted cases per check: at least one allowed and one denied pod each. */
const CASES: Record<PodSecurityCheckId, readonly Case[]> = {
  allowPrivilegeEscalation: [
    { name: 'explicit false is allowed', level: 'restricted', change: () => {}, violations: [] },
    {
      name: 'unset is denied',
      level: 'restricted',
      change: (p) => { delete p.spec.containers[0].securityContext.allowPrivilegeEscalation; },
      violations: [{
        check: 'allowPrivilegeEscalation',
        path: `${APP_SC}.allowPrivilegeEscalation`,
        message: ['allowPrivilegeEscalation != false', 'container "app" must set securityContext.allowPrivilegeEscalation=false', 'unset means true'],
      }],
    },
    {
      name: 'true on an init container is denied',
      level: 'restricted',
      change: (p) => { p.spec.initContainers[0].securityContext.allowPrivilegeEscalation = true; },
      violations: [{ check: 'allowPrivilegeEscalation', path: `${INIT_SC}.allowPrivilegeEscalation`, message: ['init container "init"'] }],
    },
    {
      name: 'does not exist before v1.8',
      level: 'restricted',
      version: 'v1.7',
      change: (p) => { p.spec.containers[0].securityContext.allowPrivilegeEscalation = true; },
      violations: [],
    },
  ],
  appArmorProfile: [
    {
      name: 'RuntimeDefault, Localhost and allowed annotations are allowed',
      level: 'baseline',
      change: (p) => {
        p.spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' };
        p.spec.containers[0].securityContext.appArmorProfile = { type: 'Localhost', localhostProfile: 'custom' };
        p.metadata.annotations = { [APPARMOR_APP]: 'localhost/custom', 'container.apparmor.security.beta.kubernetes.io/init': 'runtime/default' };
      },
      violations: [],
    },
    {
      name: 'Unconfined in the pod and a container is denied',
      level: 'baseline',
      change: (p) => {
        p.spec.securityContext.appArmorProfile = { type: 'Unconfined' };
        p.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' };
      },
      violations: [
        { check: 'appArmorProfile', path: 'spec.securityContext.appArmorProfile.type', message: ['forbidden AppArmor profile', 'pod must not set', 'RuntimeDefault or Localhost'] },
        { check: 'appArmorProfile', path: `${APP_SC}.appArmorProfile.type`, message: ['container "app"', '"Unconfined"'] },
      ],
    },
    {
      name: 'an unconfined annotation is denied, even for an unknown container',
      level: 'baseline',
      change: (p) => { p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/ghost': 'unconfined' }; },
      violations: [{
        check: 'appArmorProfile',
        path: 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/ghost"]',
        message: ['forbidden AppArmor profile', 'container.apparmor.security.beta.kubernetes.io/ghost="unconfined"', 'runtime/default'],
      }],
    },
  ],
  capabilities_baseline: [
    {
      name: 'adding default capabilities is allowed',
      level: 'baseline',
      change: (p) => { p.spec.containers[0].securityContext.capabilities = { add: ['CHOWN', 'NET_BIND_SERVICE', 'KILL'] }; },
      violations: [],
    },
    {
      name: 'adding NET_RAW is denied; names are case-sensitive',
      level: 'baseline',
      change: (p) => { p.spec.containers[0].securityContext.capabilities = { add: ['NET_RAW', 'chown', 'NET_RAW'] }; },
      violations: [{
        check: 'capabilities_baseline',
        path: `${APP_SC}.capabilities.add`,
        message: ['non-default capabilities', 'must not include "NET_RAW", "chown" in securityContext.capabilities.add'],
      }],
    },
    {
      name: 'is the restricted check before v1.22',
      level: 'restricted',
      version: 'v1.21',
      change: (p) => { p.spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']; },
      violations: [{ check: 'capabilities_baseline', path: `${APP_SC}.capabilities.add` }],
    },
  ],
  capabilities_restricted: [
    {
      name: 'drop ALL and add NET_BIND_SERVICE is allowed',
      level: 'restricted',
      change: (p) => { p.spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }; },
      violations: [],
    },
    {
      name: 'missing drop ALL and adding CHOWN are denied separately',
      level: 'restricted',
      change: (p) => { p.spec.containers[0].securityContext.capabilities = { drop: ['NET_RAW'], add: ['CHOWN'] }; },
      violations: [
        { check: 'capabilities_restricted', path: `${APP_SC}.capabilities.drop`, message: ['unrestricted capabilities', 'drop: ["ALL"]'] },
        { check: 'capabilities_restricted', path: `${APP_SC}.capabilities.add`, message: ['unrestricted capabilities', '"CHOWN"', 'NET_BIND_SERVICE'] },
      ],
    },
    {
      name: 'a container without securityContext must drop ALL',
      level: 'restricted',
      version: 'v1.22',
      change: (p) => { p.spec.containers[0].securityContext = { allowPrivilegeEscalation: false }; },
      violations: [{ check: 'capabilities_restricted', path: `${APP_SC}.capabilities.drop` }],
    },
  ],
  hostNamespaces: [
    { name: 'explicit false is allowed', level: 'baseline', change: (p) => { p.spec.hostNetwork = false; p.spec.hostIPC = false; }, violations: [] },
    {
      name: 'hostPID and hostIPC are denied',
      level: 'baseline',
      change: (p) => { p.spec.hostPID = true; p.spec.hostIPC = true; },
      violations: [
        { check: 'hostNamespaces', path: 'spec.hostPID', message: ['host namespaces', 'hostPID=true', 'set it to false'] },
        { check: 'hostNamespaces', path: 'spec.hostIPC', message: ['host namespaces', 'hostIPC=true'] },
      ],
    },
  ],
  hostPathVolumes: [
    { name: 'other volumes are allowed', level: 'baseline', change: (p) => { p.spec.volumes = [{ name: 'cache', emptyDir: {} }]; }, violations: [] },
    {
      name: 'a hostPath volume is denied',
      level: 'baseline',
      change: (p) => { p.spec.volumes = [{ name: 'cache', emptyDir: {} }, { name: 'data', hostPath: { path: '/var/data' } }]; },
      violations: [{
        check: 'hostPathVolumes',
        path: 'spec.volumes[1].hostPath',
        message: ['hostPath volumes', 'remove the hostPath volume "data"', 'persistentVolumeClaim, configMap, secret, emptyDir'],
      }],
    },
  ],
  hostPorts: [
    { name: 'hostPort 0 is allowed', level: 'baseline', change: (p) => { p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 0 }]; }, violations: [] },
    {
      name: 'a hostPort is denied, per port',
      level: 'baseline',
      change: (p) => { p.spec.containers[0].ports = [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }]; },
      violations: [{ check: 'hostPorts', path: `${APP}.ports[1].hostPort`, message: ['hostPort', 'container "app" uses hostPort 8443', 'Service'] }],
    },
  ],
  hostProbesAndHostLifecycle: [
    {
      name: 'probes without host are allowed',
      level: 'baseline',
      change: (p) => { p.spec.containers[0].livenessProbe = { httpGet: { port: 8080, host: '' } }; },
      violations: [],
    },
    {
      name: 'a probe or hook host is denied from v1.34',
      level: 'baseline',
      version: 'v1.34',
      change: (p) => {
        p.spec.containers[0].readinessProbe = { tcpSocket: { port: 8080, host: '10.0.0.1' } };
        p.spec.containers[0].lifecycle = { preStop: { httpGet: { port: 8080, host: 'example.com' } } };
      },
      violations: [
        { check: 'hostProbesAndHostLifecycle', path: `${APP}.readinessProbe.tcpSocket.host`, message: ['probe or lifecycle host', '"10.0.0.1"', 'remove the host field'] },
        { check: 'hostProbesAndHostLifecycle', path: `${APP}.lifecycle.preStop.httpGet.host`, message: ['lifecycle.preStop.httpGet.host'] },
      ],
    },
    {
      name: 'does not exist before v1.34',
      level: 'baseline',
      version: 'v1.33',
      change: (p) => { p.spec.containers[0].livenessProbe = { httpGet: { port: 8080, host: 'example.com' } }; },
      violations: [],
    },
  ],
  privileged: [
    { name: 'false is allowed', level: 'baseline', change: (p) => { p.spec.containers[0].securityContext.privileged = false; }, violations: [] },
    {
      name: 'true is denied',
      level: 'baseline',
      change: (p) => { p.spec.containers[0].securityContext.privileged = true; },
      violations: [{ check: 'privileged', path: `${APP_SC}.privileged`, message: ['privileged', 'container "app" must not set securityContext.privileged=true'] }],
    },
    {
      name: 'ephemeral containers are checked too',
      level: 'baseline',
      change: (p) => { p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }]; },
      violations: [{ check: 'privileged', path: 'spec.ephemeralContainers[0].securityContext.privileged', message: ['ephemeral container "debug"'] }],
    },
  ],
  procMount: [
    { name: 'Default is allowed', level: 'baseline', change: (p) => { p.spec.containers[0].securityContext.procMount = 'Default'; }, violations: [] },
    {
      name: 'Unmasked is denied',
      level: 'baseline',
      change: (p) => { p.spec.containers[0].securityContext.procMount = 'Unmasked'; },
      violations: [{ check: 'procMount', path: `${APP_SC}.procMount`, message: ['procMount', '"Unmasked"', 'set it to "Default"'] }],
    },
    {
      name: 'Unmasked with hostUsers: false is denied before v1.35',
      level: 'baseline',
      version: 'v1.34',
      change: (p) => { p.spec.hostUsers = false; p.spec.containers[0].securityContext.procMount = 'Unmasked'; },
      violations: [{ check: 'procMount', path: `${APP_SC}.procMount` }],
    },
    {
      name: 'Unmasked with hostUsers: false is allowed from v1.35',
      level: 'baseline',
      version: 'v1.35',
      change: (p) => { p.spec.hostUsers = false; p.spec.containers[0].securityContext.procMount = 'Unmasked'; },
      violations: [],
    },
  ],
  procMount_restricted: [
    { name: 'Default is allowed', level: 'restricted', change: (p) => { p.spec.containers[0].securityContext.procMount = 'Default'; }, violations: [] },
    {
      name: 'Unmasked is denied even with hostUsers: false',
      level: 'restricted',
      version: 'v1.35',
      change: (p) => { p.spec.hostUsers = false; p.spec.initContainers[0].securityContext.procMount = 'Unmasked'; },
      violations: [{ check: 'procMount_restricted', path: `${INIT_SC}.procMount`, message: ['procMount', 'init container "init"'] }],
    },
  ],
  restrictedVolumes: [
    {
      name: 'allowed volume types, and a volume without source (defaulted to emptyDir), are allowed',
      level: 'restricted',
      change: (p) => {
        p.spec.volumes = [
          { name: 'implicit' },
          { name: 'a', configMap: { name: 'c' } },
          { name: 'b', csi: { driver: 'd' } },
          { name: 'c', ephemeral: { volumeClaimTemplate: { spec: {} } } },
          { name: 'd', image: { reference: 'registry.example/data:1' } },
          { name: 'e', projected: { sources: [] } },
        ];
      },
      violations: [],
    },
    {
      name: 'nfs and hostPath are denied',
      level: 'restricted',
      change: (p) => { p.spec.volumes = [{ name: 'share', nfs: { server: 'nfs', path: '/' } }, { name: 'data', hostPath: { path: '/data' } }]; },
      violations: [
        { check: 'restrictedVolumes', path: 'spec.volumes[0].nfs', message: ['restricted volume types', '"nfs"', 'persistentVolumeClaim'] },
        { check: 'restrictedVolumes', path: 'spec.volumes[1].hostPath', message: ['restricted volume types', 'hostPath', 'remove the hostPath volume "data"'] },
      ],
    },
  ],
  runAsNonRoot: [
    {
      name: 'container-level true without pod-level is allowed',
      level: 'restricted',
      change: (p) => {
        delete p.spec.securityContext.runAsNonRoot;
        p.spec.containers[0].securityContext.runAsNonRoot = true;
        p.spec.initContainers[0].securityContext.runAsNonRoot = true;
      },
      violations: [],
    },
    {
      name: 'an explicit false is denied',
      level: 'restricted',
      change: (p) => { p.spec.securityContext.runAsNonRoot = false; },
      violations: [{ check: 'runAsNonRoot', path: 'spec.securityContext.runAsNonRoot', message: ['runAsNonRoot != true', 'pod must not set securityContext.runAsNonRoot=false'] }],
    },
    {
      name: 'unset everywhere is denied per container',
      level: 'restricted',
      version: 'v1.34',
      change: (p) => { delete p.spec.securityContext.runAsNonRoot; },
      violations: [
        { check: 'runAsNonRoot', path: `${INIT_SC}.runAsNonRoot`, message: ['pod or init container "init" must set securityContext.runAsNonRoot=true'] },
        { check: 'runAsNonRoot', path: `${APP_SC}.runAsNonRoot` },
      ],
    },
    {
      name: 'is relaxed for hostUsers: false from v1.35',
      level: 'restricted',
      version: 'v1.35',
      change: (p) => { p.spec.hostUsers = false; p.spec.securityContext.runAsNonRoot = false; },
      violations: [],
    },
  ],
  runAsUser: [
    { name: 'a non-zero UID is allowed', level: 'restricted', change: (p) => { p.spec.securityContext.runAsUser = 1000; }, violations: [] },
    {
      name: 'UID 0 is denied',
      level: 'restricted',
      change: (p) => { p.spec.containers[0].securityContext.runAsUser = 0; },
      violations: [{ check: 'runAsUser', path: `${APP_SC}.runAsUser`, message: ['runAsUser=0', 'container "app" must not set securityContext.runAsUser=0', 'non-zero UID'] }],
    },
    { name: 'does not exist before v1.23', level: 'restricted', version: 'v1.22', change: (p) => { p.spec.securityContext.runAsUser = 0; }, violations: [] },
    {
      name: 'is relaxed for hostUsers: false from v1.35',
      level: 'restricted',
      version: 'v1.35',
      change: (p) => { p.spec.hostUsers = false; p.spec.securityContext.runAsUser = 0; },
      violations: [],
    },
  ],
  seLinuxOptions: [
    {
      name: 'container types and a level are allowed',
      level: 'baseline',
      change: (p) => { p.spec.securityContext.seLinuxOptions = { type: 'container_init_t', level: 's0:c1,c2' }; },
      violations: [],
    },
    {
      name: 'a custom type, user and role are denied, per field',
      level: 'baseline',
      change: (p) => { p.spec.containers[0].securityContext.seLinuxOptions = { type: 'spc_t', user: 'system_u', role: 'system_r' }; },
      violations: [
        { check: 'seLinuxOptions', path: `${APP_SC}.seLinuxOptions.type`, message: ['seLinuxOptions', '"spc_t"', '"container_engine_t"'] },
        { check: 'seLinuxOptions', path: `${APP_SC}.seLinuxOptions.user`, message: ['seLinuxOptions.user; remove it'] },
        { check: 'seLinuxOptions', path: `${APP_SC}.seLinuxOptions.role` },
      ],
    },
    {
      name: 'container_engine_t is allowed from v1.31',
      level: 'baseline',
      version: 'v1.31',
      change: (p) => { p.spec.securityContext.seLinuxOptions = { type: 'container_engine_t' }; },
      violations: [],
    },
    {
      name: 'container_engine_t is denied before v1.31',
      level: 'baseline',
      version: 'v1.30',
      change: (p) => { p.spec.securityContext.seLinuxOptions = { type: 'container_engine_t' }; },
      violations: [{ check: 'seLinuxOptions', path: 'spec.securityContext.seLinuxOptions.type' }],
    },
  ],
  seccompProfile_baseline: [
    { name: 'unset is allowed at baseline', level: 'baseline', change: (p) => { delete p.spec.securityContext.seccompProfile; }, violations: [] },
    {
      name: 'Unconfined is denied',
      level: 'baseline',
      version: 'v1.19',
      change: (p) => { p.spec.initContainers[0].securityContext.seccompProfile = { type: 'Unconfined' }; },
      violations: [{ check: 'seccompProfile_baseline', path: `${INIT_SC}.seccompProfile.type`, message: ['seccompProfile', '"Unconfined"', 'RuntimeDefault or Localhost'] }],
    },
    {
      name: 'before v1.19 the alpha annotations are checked',
      level: 'baseline',
      version: 'v1.18',
      change: (p) => {
        p.metadata.annotations = {
          'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
          'container.seccomp.security.alpha.kubernetes.io/app': 'docker/default',
          'container.seccomp.security.alpha.kubernetes.io/ghost': 'unconfined',
        };
      },
      violations: [{
        check: 'seccompProfile_baseline',
        path: 'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]',
        message: ['seccompProfile', 'seccomp.security.alpha.kubernetes.io/pod="unconfined"', '"runtime/default"'],
      }],
    },
    {
      name: 'from v1.19 the annotations are ignored',
      level: 'baseline',
      version: 'v1.19',
      change: (p) => { p.metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }; },
      violations: [],
    },
    {
      name: 'is the restricted check before v1.19',
      level: 'restricted',
      version: 'v1.18',
      change: (p) => { p.metadata.annotations = { 'container.seccomp.security.alpha.kubernetes.io/init': 'unconfined' }; },
      violations: [{ check: 'seccompProfile_baseline', path: 'metadata.annotations["container.seccomp.security.alpha.kubernetes.io/init"]' }],
    },
  ],
  seccompProfile_restricted: [
    {
      name: 'Localhost per container is allowed',
      level: 'restricted',
      change: (p) => {
        delete p.spec.securityContext.seccompProfile;
        p.spec.containers[0].securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profile.json' };
        p.spec.initContainers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
      },
      violations: [],
    },
    {
      name: 'unset is denied per container',
      level: 'restricted',
      change: (p) => { delete p.spec.securityContext.seccompProfile; },
      violations: [
        { check: 'seccompProfile_restricted', path: `${INIT_SC}.seccompProfile.type`, message: ['seccompProfile', 'pod or init container "init" must set', 'RuntimeDefault or Localhost'] },
        { check: 'seccompProfile_restricted', path: `${APP_SC}.seccompProfile.type` },
      ],
    },
    {
      name: 'an explicit Unconfined is reported instead of the missing profiles',
      level: 'restricted',
      change: (p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; },
      violations: [{ check: 'seccompProfile_restricted', path: 'spec.securityContext.seccompProfile.type', message: ['pod must not set', '"Unconfined"'] }],
    },
  ],
  sysctls: [
    {
      name: 'safe sysctls are allowed',
      level: 'baseline',
      change: (p) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }]; },
      violations: [],
    },
    {
      name: 'an unsafe sysctl is denied',
      level: 'baseline',
      change: (p) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.ping_group_range', value: '0 1' }, { name: 'kernel.msgmax', value: '1' }]; },
      violations: [{ check: 'sysctls', path: 'spec.securityContext.sysctls[1].name', message: ['forbidden sysctl', '"kernel.msgmax"', 'remove it'] }],
    },
    {
      name: 'tcp_notsent_lowat is allowed from v1.37',
      level: 'baseline',
      version: 'v1.37',
      change: (p) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }]; },
      violations: [],
    },
    {
      name: 'tcp_notsent_lowat is denied at v1.36',
      level: 'baseline',
      version: 'v1.36',
      change: (p) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }]; },
      violations: [{ check: 'sysctls', path: 'spec.securityContext.sysctls[0].name' }],
    },
  ],
  windowsHostProcess: [
    {
      name: 'false is allowed',
      level: 'baseline',
      change: (p) => { p.spec.securityContext.windowsOptions = { hostProcess: false }; },
      violations: [],
    },
    {
      name: 'true is denied for the pod and containers',
      level: 'baseline',
      change: (p) => {
        p.spec.securityContext.windowsOptions = { hostProcess: true };
        p.spec.containers[0].securityContext.windowsOptions = { hostProcess: true };
      },
      violations: [
        { check: 'windowsHostProcess', path: 'spec.securityContext.windowsOptions.hostProcess', message: ['hostProcess', 'pod must not set'] },
        { check: 'windowsHostProcess', path: `${APP_SC}.windowsOptions.hostProcess`, message: ['container "app"'] },
      ],
    },
  ],
};

describe.each(POD_SECURITY_CHECK_IDS.map((id) => [id, CASES[id]] as const))('%s', (_id, cases) => {
  test('has an allowed and a denied case', () => {
    expect(cases.some((c) => c.violations.length === 0)).toBe(true);
    expect(cases.some((c) => c.violations.length > 0)).toBe(true);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = checkPodSecurity(tweak(restrictedPod(), c.change), c.level, c.version ?? 'latest');
    expect(result.violations.map(({ check, path }) => ({ check, path }))).toEqual(c.violations.map(({ check, path }) => ({ check, path })));
    expect(result.allowed).toBe(c.violations.length === 0);
    c.violations.forEach((expected, i) => {
      for (const fragment of expected.message ?? []) {
        expect(result.violations[i].message).toContain(fragment);
      }
    });
  });
});

import { EnforcedLevelName } from './levels';

/**
 * Upstream check ids, exactly as `k8s.io/pod-security-admission/policy` names them,
 * in upstream's (byte-wise sorted) order.
 */
export const POD_SECURITY_CHECK_IDS = [
  'allowPrivilegeEscalation',
  'appArmorProfile',
  'capabilities_baseline',
  'capabilities_restricted',
  'hostNamespaces',
  'hostPathVolumes',
  'hostPorts',
  'hostProbesAndHostLifecycle',
  'privileged',
  'procMount',
  'procMount_restricted',
  'restrictedVolumes',
  'runAsNonRoot',
  'runAsUser',
  'seLinuxOptions',
  'seccompProfile_baseline',
  'seccompProfile_restricted',
  'sysctls',
  'windowsHostProcess',
] as const;

export type PodSecurityCheckId = (typeof POD_SECURITY_CHECK_IDS)[number];

export interface PodSecurityViolation {
  /** Upstream check id, e.g. `allowPrivilegeEscalation`. */
  readonly check: PodSecurityCheckId;
  /**
   * Path of the offending field inside the evaluated object, e.g.
   * `spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation`.
   * For a missing required field it is the path where the field must be set.
   */
  readonly path: string;
  /** Upstream reason phrase, what is wrong, and how to fix it. */
  readonly message: string;
}

export interface PodSecurityResult {
  readonly allowed: boolean;
  readonly violations: PodSecurityViolation[];
}

/** A violation before the checker stamps the id of the check that produced it. */
export type Finding = Omit<PodSecurityViolation, 'check'>;

/** A JSON object read from a manifest; values are untrusted. */
export type Fields = Readonly<Record<string, unknown>>;

export type ContainerKind = 'initContainer' | 'container' | 'ephemeralContainer';

export interface ContainerRef {
  readonly kind: ContainerKind;
  /** `metadata.name`-style container name ('' when missing). */
  readonly name: string;
  /** Path of the container object, e.g. `spec.containers[0]`. */
  readonly path: string;
  readonly fields: Fields;
  readonly securityContext: Fields | undefined;
}

/** The pod template normalised for the checks. */
export interface PodView {
  readonly metadata: Fields;
  readonly spec: Fields;
  readonly metadataPath: string;
  readonly specPath: string;
  /** `spec.securityContext`, if it is an object. */
  readonly securityContext: Fields | undefined;
  /** Init containers, then containers, then ephemeral containers (upstream's visiting order). */
  readonly containers: readonly ContainerRef[];
  /** `spec.os.name == "windows"`. */
  readonly isWindows: boolean;
  /** `spec.hostUsers == false`: the pod runs in its own user namespace. */
  readonly usesUserNamespace: boolean;
}

export type CheckFn = (pod: PodView) => Finding[];

/** One revision of a check, in force from `since` until the next variant's `since`. */
export interface CheckVariant {
  /** First policy minor version (`v1.<since>`) this revision applies to. */
  readonly since: number;
  readonly evaluate: CheckFn;
}

export interface PodSecurityCheckDefinition {
  readonly id: PodSecurityCheckId;
  /** Lowest level that runs the check (restricted also runs every baseline check). */
  readonly level: EnforcedLevelName;
  /** Revisions, oldest first. Before the first one the check does not exist. */
  readonly variants: readonly CheckVariant[];
  /** Baseline checks that this restricted check replaces at restricted level while it exists. */
  readonly replaces?: readonly PodSecurityCheckId[];
}

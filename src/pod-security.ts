/**
 * A Pod Security Standards level, as enforced by Pod Security Admission.
 */
export enum PodSecurityLevel {
  /** Unrestricted. Only with an acknowledged reason. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations (no host namespaces, hostPath, privileged containers...). */
  BASELINE = 'baseline',
  /** Current pod hardening best practice: non-root, no capabilities, seccomp, no privilege escalation. */
  RESTRICTED = 'restricted',
}

/**
 * Whether the bundle enforces its policies or only reports what it would reject.
 */
export enum Enforcement {
  /** Policies are enforced: admission rejects, network policies deny. */
  ENFORCE = 'enforce',
  /**
   * Every layer switches to its audit form at once: Pod Security Admission only audits and warns,
   * an extra `monitor-allow-all` NetworkPolicy lets all traffic through while the intended
   * policies stay in place for review, and synth-time findings are printed as warnings.
   */
  MONITOR = 'monitor',
}

/**
 * The Pod Security Admission policy version that bundles pin when none is given.
 *
 * A pinned version keeps the rules stable when the cluster is upgraded; bump it deliberately.
 */
export const DEFAULT_POD_SECURITY_VERSION = 'v1.35';

const VERSION = /^v1\.(0|[1-9][0-9]?)$/;

/**
 * Why `version` is not a Pod Security Admission policy version, or undefined.
 * @internal
 */
export function podSecurityVersionProblem(version: string): string | undefined {
  if (version === 'latest' || VERSION.test(version)) return undefined;
  const bare = /^1\.\d+$/.test(version) ? ` (did you mean "v${version}"?)` : '';
  return `"${version}" is not a Pod Security Admission version${bare}; use "v1.<minor>" such as "${DEFAULT_POD_SECURITY_VERSION}", or "latest" to follow the cluster`;
}

/**
 * The Pod Security Admission labels of a namespace.
 * @internal
 */
export function podSecurityLabels(level: PodSecurityLevel, version: string, enforcement: Enforcement): { [key: string]: string } {
  // Audit and warn at restricted whatever is enforced, so that every gap to the strictest level shows.
  const enforced = enforcement === Enforcement.MONITOR ? PodSecurityLevel.PRIVILEGED : level;
  const reported = enforcement === Enforcement.MONITOR ? level : PodSecurityLevel.RESTRICTED;
  const prefix = 'pod-security.kubernetes.io';
  return {
    [`${prefix}/enforce`]: enforced,
    [`${prefix}/enforce-version`]: version,
    [`${prefix}/audit`]: reported,
    [`${prefix}/audit-version`]: version,
    [`${prefix}/warn`]: reported,
    [`${prefix}/warn-version`]: version,
  };
}

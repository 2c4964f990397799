/**
 * Pod Security Standards levels and policy versions.
 *
 * A policy version is the value of the `pod-security.kubernetes.io/<mode>-version`
 * namespace label: `v1.<minor>` or `latest`. It selects which revision of each check
 * runs; it is not the cluster's version.
 */

import { NEWEST_KUBERNETES_MINOR } from '../../model/kubernetes-version';
import { POD_SECURITY_LEVELS, POD_SECURITY_VERSION_PATTERN, PodSecurityLevelName } from '../../model/vocabulary';

export { POD_SECURITY_LEVELS } from '../../model/vocabulary';
export type { PodSecurityLevelName } from '../../model/vocabulary';

/** The levels that actually run checks (`privileged` checks nothing). */
export type EnforcedLevelName = Exclude<PodSecurityLevelName, 'privileged'>;

/** Newest policy minor version modelled here; `latest` resolves to it. */
export const LATEST_POD_SECURITY_MINOR = NEWEST_KUBERNETES_MINOR;

export const LATEST_POD_SECURITY_VERSION = `v1.${LATEST_POD_SECURITY_MINOR}`;

/** Every accepted explicit version, oldest first: `v1.0` … `v1.37`. */
export const POD_SECURITY_VERSIONS: readonly string[] = Array.from(
  { length: LATEST_POD_SECURITY_MINOR + 1 },
  (_, minor) => formatPodSecurityVersion(minor),
);


/** Renders a minor version as a policy version label, e.g. `25` → `v1.25`. */
export function formatPodSecurityVersion(minor: number): string {
  return `v1.${minor}`;
}

/**
 * Parses a policy version (`v1.0` … `v1.37` or `latest`) into its minor number.
 * `latest` resolves to {@link LATEST_POD_SECURITY_MINOR}.
 * @throws Error for anything else, including versions newer than the newest one modelled.
 */
export function parsePodSecurityVersion(version: string): number {
  if (version === 'latest') {
    return LATEST_POD_SECURITY_MINOR;
  }
  const match = typeof version === 'string' ? POD_SECURITY_VERSION_PATTERN.exec(version) : null;
  if (!match) {
    throw new Error(
      `Invalid Pod Security version ${JSON.stringify(version)}: expected "latest" or "v1.<minor>" ` +
      `with minor between 0 and ${LATEST_POD_SECURITY_MINOR} (for example "v1.30")`,
    );
  }
  const minor = Number(match[1]);
  if (minor > LATEST_POD_SECURITY_MINOR) {
    throw new Error(
      `Unsupported Pod Security version "${version}": the newest policy version modelled is ` +
      `${LATEST_POD_SECURITY_VERSION}; use "latest" or a version up to ${LATEST_POD_SECURITY_VERSION}`,
    );
  }
  return minor;
}

/**
 * Validates a level name at runtime (useful for values read from labels or YAML).
 * @throws Error unless the value is `privileged`, `baseline` or `restricted`.
 */
export function parsePodSecurityLevel(level: string): PodSecurityLevelName {
  if ((POD_SECURITY_LEVELS as readonly string[]).includes(level)) {
    return level as PodSecurityLevelName;
  }
  throw new Error(
    `Invalid Pod Security level ${JSON.stringify(level)}: expected one of ${POD_SECURITY_LEVELS.join(', ')}`,
  );
}

/**
 * The version a namespace's (valid) version label is checked at: one newer than the newest
 * modelled is evaluated as the newest, as the admission plugin does.
 */
export function admittedPodSecurityVersion(version: string): string {
  const minor = POD_SECURITY_VERSION_PATTERN.exec(version);
  return minor && Number(minor[1]) > LATEST_POD_SECURITY_MINOR ? 'latest' : version;
}

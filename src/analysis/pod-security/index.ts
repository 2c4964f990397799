/**
 * Pod Security Standards checker: a pure TypeScript model of the Kubernetes
 * Pod Security Admission checks (`k8s.io/pod-security-admission/policy`), policy
 * versions v1.0 through v1.37 and `latest`. Internal: not exported from the package index.
 */
export { checkPodSecurity, checkPodTemplate, podSecurityChecksFor } from './checker';
export { POD_SECURITY_CHECKS } from './checks';
export {
  admittedPodSecurityVersion,
  formatPodSecurityVersion,
  LATEST_POD_SECURITY_MINOR,
  LATEST_POD_SECURITY_VERSION,
  parsePodSecurityLevel,
  parsePodSecurityVersion,
  POD_SECURITY_LEVELS,
  POD_SECURITY_VERSIONS,
} from './levels';
export type { EnforcedLevelName, PodSecurityLevelName } from './levels';
export { POD_SECURITY_CHECK_IDS } from './types';
export type {
  PodSecurityCheckDefinition,
  PodSecurityCheckId,
  PodSecurityResult,
  PodSecurityViolation,
} from './types';
export { judgedPodSecurityVersion, missingPodSecurityChecks } from './server-version';
export type { MissingPodSecurityCheck } from './server-version';

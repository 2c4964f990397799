import { asObject, asText, describeContainer, joinPath } from '../pod';
import { CheckFn, Finding, PodSecurityCheckDefinition } from '../types';
import { exemptWindowsPods, SecurityContextOwner, securityContextOwners } from './common';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const ALLOWED_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** Alpha annotation values that keep a filter; an empty value is not one of them. */
function allowedAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

/**
 * Baseline before v1.19: seccomp was configured with alpha annotations, which may not
 * select an unconfined profile. Container annotations count only for existing containers.
 */
const forbidUnconfinedSeccompAnnotations: CheckFn = (pod) => {
  const annotations = asObject(pod.metadata.annotations) ?? {};
  const keys = [POD_ANNOTATION, ...pod.containers.map((container) => CONTAINER_ANNOTATION_PREFIX + container.name)];
  const findings: Finding[] = [];
  for (const key of new Set(keys)) {
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) {
      continue;
    }
    const value = asText(annotations[key]);
    if (!allowedAnnotationValue(value)) {
      findings.push({
        path: joinPath(pod.metadataPath, 'annotations', key),
        message: `seccompProfile: forbidden annotation ${key}=${JSON.stringify(value)}; set it to ` +
          '"runtime/default", "docker/default" or "localhost/<profile>", or remove it',
      });
    }
  }
  return findings;
};

/** Owners that set seccompProfile to a type other than RuntimeDefault or Localhost. */
function explicitlyUnconfined(owners: readonly SecurityContextOwner[], remedy: string): Finding[] {
  const findings: Finding[] = [];
  for (const owner of owners) {
    const profile = asObject(owner.securityContext?.seccompProfile);
    const type = asText(profile?.type);
    if (profile && !ALLOWED_TYPES.has(type)) {
      findings.push({
        path: joinPath(owner.path, 'seccompProfile', 'type'),
        message: `seccompProfile: ${owner.subject} must not set securityContext.seccompProfile.type to ` +
          `${JSON.stringify(type)}; ${remedy}`,
      });
    }
  }
  return findings;
}

/** Baseline from v1.19: the fields may be unset, but not Unconfined (or anything unknown). */
const forbidUnconfinedSeccomp: CheckFn = (pod) =>
  explicitlyUnconfined(securityContextOwners(pod), 'set it to RuntimeDefault or Localhost, or remove seccompProfile');

export const seccompProfileBaselineCheck: PodSecurityCheckDefinition = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  variants: [
    { since: 0, evaluate: forbidUnconfinedSeccompAnnotations },
    { since: 19, evaluate: forbidUnconfinedSeccomp },
  ],
};

/**
 * Restricted: every container needs RuntimeDefault or Localhost, either itself or through
 * the pod-level default. Explicitly bad values are reported first; only if there are none
 * are containers that merely lack a profile reported (as upstream does).
 */
const requireSeccompProfile: CheckFn = (pod) => {
  const explicit = explicitlyUnconfined(securityContextOwners(pod), 'set it to RuntimeDefault or Localhost');
  if (explicit.length > 0) {
    return explicit;
  }
  if (asObject(pod.securityContext?.seccompProfile)) {
    return []; // A valid pod-level profile covers containers without their own.
  }
  return pod.containers
    .filter((container) => !asObject(container.securityContext?.seccompProfile))
    .map((container) => ({
      path: joinPath(container.path, 'securityContext', 'seccompProfile', 'type'),
      message: `seccompProfile: pod or ${describeContainer(container)} must set securityContext.seccompProfile.type ` +
        'to RuntimeDefault or Localhost; setting it once in the pod-level securityContext covers every container',
    }));
};

export const seccompProfileRestrictedCheck: PodSecurityCheckDefinition = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  variants: [
    { since: 19, evaluate: requireSeccompProfile },
    { since: 25, evaluate: exemptWindowsPods(requireSeccompProfile) },
  ],
  replaces: ['seccompProfile_baseline'],
};

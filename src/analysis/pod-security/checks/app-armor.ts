import { asObject, asText, joinPath } from '../pod';
import { CheckFn, Finding, PodSecurityCheckDefinition } from '../types';
import { securityContextOwners } from './common';

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** Deprecated annotation values that keep a confining profile: empty, runtime/default, localhost/*. */
function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/**
 * Baseline: AppArmor may not be disabled or overridden, neither through the
 * appArmorProfile fields (pod or container) nor through the deprecated per-container
 * annotations. Any annotation with the prefix counts, even for unknown container names.
 */
const forbidUnconfinedAppArmor: CheckFn = (pod) => {
  const findings: Finding[] = [];
  for (const owner of securityContextOwners(pod)) {
    const profile = asObject(owner.securityContext?.appArmorProfile);
    const type = asText(profile?.type);
    if (profile && !ALLOWED_PROFILE_TYPES.has(type)) {
      findings.push({
        path: joinPath(owner.path, 'appArmorProfile', 'type'),
        message: `forbidden AppArmor profile: ${owner.subject} must not set securityContext.appArmorProfile.type to ` +
          `${JSON.stringify(type)}; set it to RuntimeDefault or Localhost, or remove appArmorProfile`,
      });
    }
  }
  const annotations = asObject(pod.metadata.annotations) ?? {};
  for (const key of Object.keys(annotations).sort()) {
    const value = asText(annotations[key]);
    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAnnotationValue(value)) {
      findings.push({
        path: joinPath(pod.metadataPath, 'annotations', key),
        message: `forbidden AppArmor profile: annotation ${key}=${JSON.stringify(value)} is not allowed; ` +
          'set it to "runtime/default" or "localhost/<profile>", or remove it',
      });
    }
  }
  return findings;
};

export const appArmorProfileCheck: PodSecurityCheckDefinition = {
  id: 'appArmorProfile',
  level: 'baseline',
  variants: [{ since: 0, evaluate: forbidUnconfinedAppArmor }],
};

// The Pod Security Admission labels a bundle writes on its Namespace.
import { Enforcement, PodSecurityLevel, podSecurityLevelLabel, podSecurityVersionLabel } from '../model/vocabulary';

/**
 * The Pod Security Admission labels of a namespace. Audit and warn are always `restricted`, so every
 * gap to the strictest level shows; in monitor mode nothing is enforced and audit and warn report
 * at the bundle's level (which is how the checks read a monitored namespace's intended level).
 */
export function podSecurityLabels(level: PodSecurityLevel, version: string, enforcement: Enforcement): { [key: string]: string } {
  const enforced = enforcement === Enforcement.MONITOR ? PodSecurityLevel.PRIVILEGED : level;
  const reported = enforcement === Enforcement.MONITOR ? level : PodSecurityLevel.RESTRICTED;
  return {
    [podSecurityLevelLabel('enforce')]: enforced,
    [podSecurityVersionLabel('enforce')]: version,
    [podSecurityLevelLabel('audit')]: reported,
    [podSecurityVersionLabel('audit')]: version,
    [podSecurityLevelLabel('warn')]: reported,
    [podSecurityVersionLabel('warn')]: version,
  };
}

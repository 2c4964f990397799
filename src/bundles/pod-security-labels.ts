// The Pod Security Admission labels a bundle writes on its Namespace.
import { Enforcement, PodSecurityLevel, podSecurityLevelLabel, podSecurityVersionLabel } from '../model/vocabulary';

/**
 * The Pod Security Admission labels of a namespace. Audit and warn are always `restricted`, so every
 * gap to the strictest level shows; in monitor mode audit and warn report at the bundle's level
 * (which is how the checks read a monitored namespace's intended level) and enforcement stays at
 * `baseline` at least: a pod with host namespaces, hostPath or a privileged container owns its node,
 * and with it every other namespace, so monitor mode never admits one.
 */
export function podSecurityLabels(level: PodSecurityLevel, version: string, enforcement: Enforcement): { [key: string]: string } {
  const enforced = enforcement === Enforcement.MONITOR && level === PodSecurityLevel.RESTRICTED ? PodSecurityLevel.BASELINE : level;
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

import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { POD_SECURITY_VERSION_PATTERN, PodSecurityLevel } from '../model/vocabulary';

/** Pod Security Admission went GA in v1.25; policy versions before it check less. */
export const MIN_POD_SECURITY_MINOR = 25;

/**
 * A namespace that pins an old Pod Security policy version is held to that version's checks: before
 * v1.25 (Pod Security Admission GA) the levels lack checks added since (restricted has no capability
 * check before v1.22 and no seccomp check before v1.19), so pods the current standard rejects are
 * admitted while the labels still say "restricted". In monitor mode the version monitor mode reports
 * at counts.
 */
export const podSecurityVersionRule: Rule = {
  id: RuleId.POD_SECURITY_VERSION,
  severity: FindingSeverity.ERROR,
  summary: `a namespace pins a Pod Security version older than v1.${MIN_POD_SECURITY_MINOR}`,
  description: `A namespace pins a Pod Security policy version older than v1.${MIN_POD_SECURITY_MINOR} (the pod-security.kubernetes.io/enforce-version label). It is then held to that version's checks, which lack checks added since (restricted has no capability check before v1.22 and no seccomp check before v1.19): pods the current standard rejects are admitted while the labels still say restricted.`,
  remedy: `Pin v1.${MIN_POD_SECURITY_MINOR} or later (the bundle's podSecurityVersion, or the ClusterProfile's), or latest. Acknowledge pod-security-version on the Namespace while an old cluster needs it, with the reason and until when.`,
  securitySeverity: 6.0,
  acknowledgedOn: 'namespace',
  objectKinds: ['Namespace'],
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      const podSecurity = ns.podSecurity;
      if (ns.object === undefined || !podSecurity || podSecurity.level === PodSecurityLevel.PRIVILEGED) continue;
      const minor = POD_SECURITY_VERSION_PATTERN.exec(podSecurity.version);
      if (!minor || Number(minor[1]) >= MIN_POD_SECURITY_MINOR) continue;
      hits.push({
        object: ns.object,
        namespace: ns.name,
        message: `namespace "${ns.name}" holds pods to Pod Security "${podSecurity.level}" at version ${podSecurity.version}, older than `
          + `v1.${MIN_POD_SECURITY_MINOR} (Pod Security Admission GA): that version lacks checks added since (restricted has no capability check `
          + 'before v1.22 and no seccomp check before v1.19), so it admits pods the current standard rejects',
        fix: `pin v1.${MIN_POD_SECURITY_MINOR} or later (podSecurityVersion, or ClusterProfile's), or acknowledge the old version on the namespace with the reason`,
      });
    }
    return hits;
  },
};

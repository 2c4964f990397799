import { checkPodSecurity, LATEST_POD_SECURITY_MINOR } from '../analysis/pod-security';
import { PodSecurityLevel } from '../pod-security';
import { RuleId } from './finding';
import { AppRule, RawFinding, RuleContext } from './rule';

/**
 * A workload in a managed namespace must pass that namespace's Pod Security level at its
 * pinned version, or the cluster rejects its pods at deploy time.
 * @internal
 */
export const podSecurityRule: AppRule = {
  id: RuleId.POD_SECURITY,
  check(context: RuleContext): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const workload of context.workloads) {
      const bundle = context.bundlesByName.get(workload.namespaceName);
      if (!bundle || bundle.podSecurity === PodSecurityLevel.PRIVILEGED) continue;
      const version = checkerVersion(bundle.podSecurityVersion);
      const result = checkPodSecurity(workload.manifest, bundle.podSecurity, version);
      for (const violation of result.violations) {
        findings.push({
          ruleId: RuleId.POD_SECURITY,
          scope: workload.scope,
          namespaceName: workload.namespaceName,
          message: `${workload.kind} "${workload.name}" in namespace "${workload.namespaceName}" fails Pod Security "${bundle.podSecurity}" `
            + `(${bundle.podSecurityVersion}) check ${violation.check} at ${violation.path}`,
          fix: violation.message,
        });
      }
    }
    return findings;
  },
};

// Versions newer than the checker knows are evaluated as its newest, as the admission plugin does.
function checkerVersion(version: string): string {
  const minor = /^v1\.(\d+)$/.exec(version);
  return minor && Number(minor[1]) > LATEST_POD_SECURITY_MINOR ? 'latest' : version;
}

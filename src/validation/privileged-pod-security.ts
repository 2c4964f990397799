import type { NamespaceBundle } from '../namespace-bundle';
import { PodSecurityLevel } from '../pod-security';
import { RuleId } from './finding';
import { BundleRule, RawFinding } from './rule';

/**
 * A privileged namespace lets any pod own its node; it needs a written reason.
 * @internal
 */
export const privilegedPodSecurityRule: BundleRule = {
  id: RuleId.PRIVILEGED_POD_SECURITY,
  check(bundle: NamespaceBundle): RawFinding[] {
    if (bundle.podSecurity !== PodSecurityLevel.PRIVILEGED) return [];
    return [{
      ruleId: RuleId.PRIVILEGED_POD_SECURITY,
      message: `namespace "${bundle.namespaceName}" enforces Pod Security level "privileged", which admits pods that can take over their node`,
      fix: `use PodSecurityLevel.BASELINE or RESTRICTED, or call acknowledge("${RuleId.PRIVILEGED_POD_SECURITY}", "<why this namespace needs privileged pods>")`,
    }];
  },
};

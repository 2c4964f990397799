import { PodSecurityLevel } from '../pod-security';
import { RuleId } from './finding';
import { AppRule, RawFinding, RuleContext } from './rule';

/**
 * A privileged namespace lets any pod own its node; it needs a written reason.
 * @internal
 */
export const privilegedPodSecurityRule: AppRule = {
  id: RuleId.PRIVILEGED_POD_SECURITY,
  check(context: RuleContext): RawFinding[] {
    return context.bundles.filter(b => b.podSecurity === PodSecurityLevel.PRIVILEGED).map(bundle => ({
      ruleId: RuleId.PRIVILEGED_POD_SECURITY,
      scope: bundle,
      namespaceName: bundle.namespaceName,
      message: `namespace "${bundle.namespaceName}" enforces Pod Security level "privileged", which admits pods that can take over their node`,
      fix: `use PodSecurityLevel.BASELINE or RESTRICTED, or call acknowledge("${RuleId.PRIVILEGED_POD_SECURITY}", "<why this namespace needs privileged pods>")`,
    }));
  },
};

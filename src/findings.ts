import { IConstruct } from 'constructs';
import { Finding } from './validation';
import { acknowledge } from './validation/acknowledgements';
import { AppGuard } from './validation/guard';

/**
 * The synth-time findings of an app: workloads the cluster would reject, quotas they do not
 * fit, flows that are one-sided or cross tenants, privileged namespaces.
 *
 * Findings fail `cdk8s synth` (and `Testing.synth`) unless acknowledged or in monitor mode.
 */
export class Findings {
  /**
   * Every finding of the app that `scope` belongs to, acknowledged ones included.
   */
  public static of(scope: IConstruct): Finding[] {
    return AppGuard.of(scope).findings();
  }

  /**
   * Accepts findings of rule `ruleId` on `scope` and everything inside it (a workload, a
   * bundle, a chart), with the reason written down. They stay visible in `Findings.of()`.
   *
   * @param scope the construct the findings are about (for example a cdk8s-plus Deployment)
   * @param ruleId a rule id from `RuleId`
   * @param reason why the finding is acceptable (at least 10 characters)
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    acknowledge(scope, ruleId, reason);
  }

  private constructor() {}
}

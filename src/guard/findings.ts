import { IConstruct } from 'constructs';
import { recordAcknowledgement } from './acknowledge';
import { AcknowledgeOptions } from './acknowledge-options';
import { AppGuard } from './app-guard';
import { Finding } from './finding';

/**
 * The synth-time findings of an app: workloads the cluster would reject, quotas they do not fit,
 * flows that are one-sided or cross tenants, privileged namespaces.
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
   * Accepts findings of rule `ruleId` about the objects inside `scope` (a workload, a bundle, a
   * chart), with the reason written down. The acknowledgement is written into the
   * `namespace-guard.dev/acknowledged` annotation of each object it covers (the Namespace for
   * namespace rules, the object the finding is about for the others: a workload, Service, Ingress,
   * RoleBinding, Secret or ServiceAccount), and the findings stay visible in
   * `Findings.of()`.
   *
   * @param scope the construct the findings are about (for example a cdk8s-plus Deployment)
   * @param ruleId a rule id from `RuleId`
   * @param reason why the finding is acceptable (at least 10 characters, one line)
   * @param options what inside the objects it covers
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string, options?: AcknowledgeOptions): void {
    recordAcknowledgement(scope, ruleId, reason, options);
  }

  /**
   * Stops printing acknowledged findings and warnings while the app that `scope` belongs to is
   * synthesized (tests use it to keep their output clean). They stay in `Findings.of()`.
   */
  public static silence(scope: IConstruct): void {
    AppGuard.of(scope).silence();
  }

  private constructor() {}
}

import { FindingSeverity } from '../rules/rule-id';

/**
 * A problem found at synth time, with a stable rule id and the fix. The same finding is reported by
 * `namespace-guard check` on the synthesized YAML.
 */
export interface Finding {
  /** The stable id of the rule, as `RuleId` lists it; pass it to `acknowledge()`. */
  readonly ruleId: string;
  /** Whether it fails synthesis or only warns (every finding of a namespace in monitor mode warns). */
  readonly severity: FindingSeverity;
  /** The construct path the finding is about: the workload, Service or bundle that made the object. */
  readonly path: string;
  /** The namespace the finding concerns. */
  readonly namespaceName: string;
  /** The kind of the object the finding is about (a workload, a Service, a NetworkPolicy, a ResourceQuota, a Namespace). */
  readonly objectKind: string;
  /** The name of that object. */
  readonly objectName: string;
  /**
   * What inside the object the finding is about, as `AcknowledgeOptions.appliesTo` names it (another
   * tenant's namespace, a Pod Security check, a container, a quota key).
   *
   * @default - the finding has no target
   */
  readonly target?: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Whether the namespace is in monitor mode (then an error is only a warning). */
  readonly monitored: boolean;
  /**
   * The reason given when the finding was acknowledged.
   *
   * @default - not acknowledged
   */
  readonly acknowledgedReason?: string;
}

import { FindingSeverity } from './rule-id';
import { ClusterModel, ModelObject } from '../model/cluster-model';

/** Where a rule's acknowledgements live: on the Namespace, or on the object its findings are about. */
export type AcknowledgementHolder = 'namespace' | 'object';

/**
 * A check of the cluster model. Rules read only the model, so they run the same on a cdk8s
 * synthesis and on any YAML.
 */
export interface Rule {
  /** The stable id (a `RuleId`). */
  readonly id: string;
  readonly severity: FindingSeverity;
  /** One sentence: what the rule catches. */
  readonly summary: string;
  /** What the rule catches and why it matters, in a few sentences (SARIF's full description). */
  readonly description: string;
  /** How findings of the rule are fixed in general, and when to acknowledge them instead (each finding has its own fix too). */
  readonly remedy: string;
  /**
   * How much an unacknowledged finding weakens the cluster, from 0.0 to 10.0 on the CVSS scale
   * that code scanning reads (9.0 and up critical, 7.0 high, 4.0 medium, below that low).
   */
  readonly securitySeverity: number;
  /** Where acknowledgements of its findings are written. */
  readonly acknowledgedOn: AcknowledgementHolder;
  /** The kinds its findings are about (the Namespace-level rules report policies, quotas or the Namespace). */
  readonly objectKinds: readonly string[];
  /** What an acknowledgement's `appliesTo` names for this rule; undefined when findings have no target. */
  readonly target?: string;
  /** Acknowledgements must name their targets: a blanket one is refused. */
  readonly targetRequired?: boolean;
  /**
   * Its findings keep their severity in a namespace in monitor mode, where every other finding is
   * a warning: for rules whose finding is the monitor mode itself.
   */
  readonly keepsSeverityInMonitorMode?: boolean;
  check(model: ClusterModel): RuleHit[];
}

/** One finding of a rule, before severity and acknowledgements are settled. */
export interface RuleHit {
  /** The object the finding is about (a workload, a Service, a NetworkPolicy, a quota, a Namespace). */
  readonly object: ModelObject;
  /** The namespace it concerns. */
  readonly namespace: string;
  /** What inside the object it is about, as an acknowledgement's `appliesTo` names it. */
  readonly target?: string;
  /** What is wrong, in one line. */
  readonly message: string;
  /** How to fix it, in one line. */
  readonly fix: string;
}

/** The kinds whose objects carry a rule's acknowledgements. */
export function holderKinds(rule: Rule): readonly string[] {
  return rule.acknowledgedOn === 'namespace' ? ['Namespace'] : rule.objectKinds;
}

import { IConstruct } from 'constructs';
import type { NamespaceBundle } from '../namespace-bundle';
import { FindingSeverity } from './finding';
import type { WorkloadInfo, ServiceInfo } from './workloads';

/**
 * A finding before it is matched against acknowledgements.
 * @internal
 */
export interface RawFinding {
  readonly ruleId: string;
  /** The construct the finding is about. */
  readonly scope: IConstruct;
  readonly namespaceName?: string;
  readonly message: string;
  readonly fix: string;
  /** @default ERROR */
  readonly severity?: FindingSeverity;
}

/**
 * What the rules look at: the whole app, indexed once per validation pass.
 * @internal
 */
export interface RuleContext {
  /** Every bundle of the app. */
  readonly bundles: NamespaceBundle[];
  /** Bundles by namespace name. */
  readonly bundlesByName: Map<string, NamespaceBundle>;
  /** Workloads (objects with a pod template) of the app, rendered. */
  readonly workloads: WorkloadInfo[];
  /** Services of the app, rendered. */
  readonly services: ServiceInfo[];
}

/**
 * A synth-time rule over the app.
 * @internal
 */
export interface AppRule {
  readonly id: string;
  check(context: RuleContext): RawFinding[];
}

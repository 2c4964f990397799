/**
 * How a finding affects synthesis.
 */
export enum FindingSeverity {
  /** Fails synthesis unless acknowledged (or the namespace is in monitor mode). */
  ERROR = 'error',
  /** Printed as a warning; synthesis goes on. */
  WARNING = 'warning',
}

/**
 * A problem found at synth time, with a stable rule id and the fix.
 */
export interface Finding {
  /** The stable id of the rule, as `RuleId` lists it; pass it to `acknowledge()`. */
  readonly ruleId: string;
  /** Whether it fails synthesis or only warns. */
  readonly severity: FindingSeverity;
  /** The construct path the finding is about (a bundle or a workload). */
  readonly path: string;
  /**
   * The managed namespace the finding concerns.
   *
   * @default - none
   */
  readonly namespaceName?: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * The reason given when the finding was acknowledged.
   *
   * @default - not acknowledged
   */
  readonly acknowledgedReason?: string;
}

/**
 * The ids of the synth-time rules. They are stable: acknowledgements refer to them.
 */
export class RuleId {
  /** A flow between two tenants' namespaces. */
  public static readonly CROSS_TENANT_FLOW = 'cross-tenant-flow';
  /** A namespace whose Pod Security Admission level is `privileged`. */
  public static readonly PRIVILEGED_POD_SECURITY = 'privileged-pod-security';
  /** A workload that the namespace's Pod Security Admission level would reject. */
  public static readonly POD_SECURITY = 'pod-security';
  /** A container whose resources the namespace's LimitRange would reject. */
  public static readonly CONTAINER_RESOURCES = 'container-resources';
  /** Workloads whose declared requests or limits do not fit the namespace's quota. */
  public static readonly QUOTA_FIT = 'quota-fit';
  /** A NodePort or LoadBalancer Service in a namespace whose quota forbids it. */
  public static readonly SERVICE_EXPOSURE = 'service-exposure';
  /** A flow to a managed namespace declared through an external peer, so only one side is written. */
  public static readonly ONE_SIDED_FLOW = 'one-sided-flow';
  /** A flow whose pod selector matches no workload in the app (a warning). */
  public static readonly UNMATCHED_FLOW_SELECTOR = 'unmatched-flow-selector';

  /** Every rule id. */
  public static all(): string[] {
    return [
      RuleId.CROSS_TENANT_FLOW, RuleId.PRIVILEGED_POD_SECURITY, RuleId.POD_SECURITY, RuleId.CONTAINER_RESOURCES,
      RuleId.QUOTA_FIT, RuleId.SERVICE_EXPOSURE, RuleId.ONE_SIDED_FLOW, RuleId.UNMATCHED_FLOW_SELECTOR,
    ];
  }

  private constructor() {}
}

/** The shortest acknowledgement reason accepted. @internal */
export const MIN_REASON_LENGTH = 10;

/**
 * Formats a finding for an error or warning line.
 * @internal
 */
export function formatFinding(f: Finding): string {
  return `[${f.path}] ${f.ruleId}: ${f.message}. Fix: ${f.fix}`;
}

/**
 * A problem found at synth time, with a stable rule id and the fix.
 */
export interface Finding {
  /** The stable id of the rule, as `RuleId` lists it; pass it to `acknowledge()`. */
  readonly ruleId: string;
  /** The construct path the finding is about. */
  readonly path: string;
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

  /** Every rule id. */
  public static all(): string[] {
    return [RuleId.CROSS_TENANT_FLOW, RuleId.PRIVILEGED_POD_SECURITY];
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
  return `${f.ruleId}: ${f.message}. Fix: ${f.fix}`;
}

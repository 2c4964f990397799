/**
 * How a finding affects synthesis and the `namespace-guard check` exit code.
 */
export enum FindingSeverity {
  /** Fails synthesis (and `check`) unless acknowledged, or the namespace is in monitor mode. */
  ERROR = 'error',
  /** Printed as a warning; synthesis goes on. */
  WARNING = 'warning',
}

/**
 * The ids of the rules. They are stable: acknowledgements refer to them.
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
  /** A flow into a namespace whose own policies do not admit it, so only one side is written. */
  public static readonly ONE_SIDED_FLOW = 'one-sided-flow';
  /** A NetworkPolicy pod selector that matches no workload (a warning). */
  public static readonly UNMATCHED_FLOW_SELECTOR = 'unmatched-flow-selector';
  /** A NetworkPolicy egress rule that opens a cloud metadata address, or link-local addresses beyond DNS. */
  public static readonly LINK_LOCAL_EGRESS = 'link-local-egress';
  /** A tenant's NetworkPolicy rule that opens an IP block covering the cluster's pod or Service CIDR. */
  public static readonly CLUSTER_RANGE_FLOW = 'cluster-range-flow';

  /** Every rule id. */
  public static all(): string[] {
    return [
      RuleId.CROSS_TENANT_FLOW, RuleId.PRIVILEGED_POD_SECURITY, RuleId.POD_SECURITY, RuleId.CONTAINER_RESOURCES,
      RuleId.QUOTA_FIT, RuleId.SERVICE_EXPOSURE, RuleId.ONE_SIDED_FLOW, RuleId.UNMATCHED_FLOW_SELECTOR,
      RuleId.LINK_LOCAL_EGRESS, RuleId.CLUSTER_RANGE_FLOW,
    ];
  }

  private constructor() {}
}

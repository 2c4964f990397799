import { CROSS_TENANT_FLOW_RULE, TENANT_DATA_ACCESS_RULE } from '../model/tenant-isolation';

/**
 * How a finding affects synthesis and the `namespace-guard check` exit code.
 */
export enum FindingSeverity {
  /**
   * Fails synthesis (and `check`) unless acknowledged, or the namespace is in monitor mode (except
   * for the rules about monitor mode itself, such as `monitored-tenant`).
   */
  ERROR = 'error',
  /** Printed as a warning; synthesis goes on. */
  WARNING = 'warning',
}

/**
 * The ids of the rules. They are stable: acknowledgements refer to them.
 */
export class RuleId {
  /** A flow between two tenants' namespaces. */
  public static readonly CROSS_TENANT_FLOW = CROSS_TENANT_FLOW_RULE;
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
  /** A Service of a managed namespace with `externalIPs` (CVE-2020-8554). */
  public static readonly SERVICE_EXTERNAL_IPS = 'service-external-ips';
  /** A Service of type ExternalName in a managed namespace. */
  public static readonly SERVICE_EXTERNAL_NAME = 'service-external-name';
  /** An Ingress of a managed namespace that claims a host the namespace does not declare, or every host. */
  public static readonly INGRESS_HOST = 'ingress-host';
  /** One host claimed by Ingresses of two namespaces. */
  public static readonly INGRESS_HOST_CONFLICT = 'ingress-host-conflict';
  /** A RoleBinding of a managed namespace that grants its role to subjects outside the namespace. */
  public static readonly ROLE_BINDING_SUBJECT = 'role-binding-subject';
  /** A service-account token that a managed namespace does not declare: a token Secret, a mounted token, an automounting ServiceAccount. */
  public static readonly SERVICE_ACCOUNT_TOKEN = 'service-account-token';
  /** A namespace that pins a Pod Security version older than v1.25. */
  public static readonly POD_SECURITY_VERSION = 'pod-security-version';
  /** A flow between two team namespaces on every port or a port range. */
  public static readonly TEAM_FLOW_PORTS = 'team-flow-ports';
  /** A tenant namespace in monitor mode (an error even in monitor mode). */
  public static readonly MONITORED_TENANT = 'monitored-tenant';
  /** A NetworkPolicy egress rule that opens a cloud metadata address, or link-local addresses beyond DNS. */
  public static readonly LINK_LOCAL_EGRESS = 'link-local-egress';
  /** A tenant's NetworkPolicy rule that opens an IP block covering the cluster's pod or Service CIDR. */
  public static readonly CLUSTER_RANGE_FLOW = 'cluster-range-flow';
  /** A NetworkPolicy rule that names a port none of its destination pods has (a typo such as `metircs`). */
  public static readonly UNKNOWN_NAMED_PORT = 'unknown-named-port';
  /** A namespace in monitor mode on Cilium, where nothing reports what its policies would block (a warning). */
  public static readonly UNAUDITED_MONITOR_MODE = 'unaudited-monitor-mode';
  /**
   * A flow into a tenant's namespace from a team's namespace, or from a zone's that does not face the
   * internet (the cluster's declared monitoring, on its named ports, excepted). Acknowledged on the
   * tenant's Namespace naming the other namespace.
   */
  public static readonly TENANT_DATA_ACCESS = TENANT_DATA_ACCESS_RULE;
  /**
   * A namespace whose enforced Pod Security version runs a check that the cluster's declared
   * Kubernetes version does not (a warning).
   */
  public static readonly POD_SECURITY_CLUSTER_VERSION = 'pod-security-cluster-version';
  /**
   * An ingress-nginx annotation on an Ingress of a managed namespace that makes the shared controller
   * act beyond the namespace (claim hosts, send requests elsewhere, run configuration, read another
   * namespace's Secret), or that it rates above Medium risk or does not know.
   */
  public static readonly INGRESS_ANNOTATION = 'ingress-annotation';
  /** A pod of a managed namespace that sets spec.nodeName or a system-* priority class. */
  public static readonly POD_SCHEDULING = 'pod-scheduling';
  /** A PersistentVolumeClaim of a managed namespace that names its PersistentVolume (spec.volumeName). */
  public static readonly CLAIM_VOLUME_NAME = 'claim-volume-name';
  /** An Endpoints or EndpointSlice of a managed namespace, not the controllers', pointing outside the pod network. */
  public static readonly ENDPOINT_ADDRESS = 'endpoint-address';

  /** Every rule id, in the order they are declared here (the order findings and docs list them in). */
  public static all(): string[] {
    // The constants are the one list: a new rule is declared once, and its id joins this one.
    return Object.getOwnPropertyNames(RuleId)
      .map(name => (RuleId as unknown as Record<string, unknown>)[name])
      .filter((value): value is string => typeof value === 'string' && /^[a-z][a-z0-9-]*$/.test(value));
  }

  private constructor() {}
}

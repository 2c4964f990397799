/**
 * Which cluster-wide network policy API of SIG Network's network-policy-api project
 * (`policy.networking.k8s.io`) `ClusterGuardrails` writes, if any. The API is a set of CRDs that
 * the cluster's network plugin must implement; it is not part of Kubernetes itself.
 */
export enum ClusterNetworkPolicyApi {
  /**
   * `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`, network-policy-api v0.2.0 and
   * later): one kind with an Admin and a Baseline tier.
   */
  V1ALPHA2 = 'v1alpha2',
  /**
   * `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy` (`policy.networking.k8s.io/v1alpha1`,
   * network-policy-api v0.1.x), for network plugins that implement only the older API. The
   * Baseline policy is the cluster's singleton named `default`.
   */
  V1ALPHA1 = 'v1alpha1',
  /** No cluster network policies: the CRDs are not installed on every cluster. */
  NONE = 'none',
}

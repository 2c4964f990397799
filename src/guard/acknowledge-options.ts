/**
 * Options of an acknowledgement.
 */
export interface AcknowledgeOptions {
  /**
   * What inside the acknowledged objects the acknowledgement covers, like cdk-nag's `appliesTo`:
   * for `cross-tenant-flow` the other tenants' namespaces (required: a blanket acknowledgement
   * would also accept every future flow), for `pod-security` the Pod Security check ids, for
   * `container-resources` the container names, for `quota-fit` the quota keys, for
   * `one-sided-flow` the other namespaces, for `unmatched-flow-selector` the policy names, for
   * `ingress-host-conflict` the other namespaces, for `role-binding-subject` the subjects (a group
   * or user name, or `system:serviceaccount:<namespace>:<name>`), for `team-flow-ports` the other
   * teams' namespaces, for `tenant-data-access` the team's or zone's namespaces that may reach the
   * tenant (required, like `cross-tenant-flow`).
   *
   * @default - every finding of the rule on the acknowledged objects (refused for `cross-tenant-flow` and `tenant-data-access`)
   */
  readonly appliesTo?: string[];
}

import { App, Chart } from 'cdk8s';
import { ClusterGuardrails, ClusterNetworkPolicyApi, Subject } from 'cdk8s-namespace-guard';

/**
 * The admission guardrails of the cluster: one set for every managed namespace of every scenario.
 * The GitOps controller that applies these manifests and the platform team may change what the
 * guardrails protect; tenants, teams and zone operators may not.
 *
 * The cluster network tier (ClusterNetworkPolicy, network-policy-api v0.2.0) holds the isolation
 * even where a namespace's own NetworkPolicies are changed or deleted: tenants deny each other and
 * restricted zones keep their posture at the Admin tier, and the Baseline tier leaves every managed
 * namespace default-deny with DNS.
 */
export function guardrailsChart(app: App): Chart {
  const chart = new Chart(app, 'guardrails');
  new ClusterGuardrails(chart, 'guardrails', {
    platformAdmins: [Subject.serviceAccount('argocd-application-controller', 'argocd'), Subject.group('platform-admins')],
    networkPolicyApi: ClusterNetworkPolicyApi.V1ALPHA2,
  });
  return chart;
}

import { App, Chart } from 'cdk8s';
import { ClusterGuardrails, ClusterNetworkPolicyApi, IngressAnnotationRisk, IngressAnnotations, Subject } from 'cdk8s-namespace-guard';

/**
 * The admission guardrails of the cluster: one set for every managed namespace of every scenario.
 * The GitOps controller that applies these manifests and the platform team may change what the
 * guardrails protect; tenants, teams and zone operators may not. On the kinds tenants write, the
 * controller is exempt only for the guard's own objects, so a tenant's repository it syncs is
 * judged like the tenant.
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
    // The shared ingress-nginx acts for every tenant: tenants may use its annotations up to Medium
    // risk that claim no hosts, send no requests elsewhere, inject nothing and read no other
    // namespace's Secrets (the default, spelled out).
    ingressAnnotations: IngressAnnotations.ingressNginx({ maxRisk: IngressAnnotationRisk.MEDIUM }),
  });
  return chart;
}

import { App, Chart } from 'cdk8s';
import { ClusterProfile, Peer, PodSecurityLevel, Port, Subject, TeamNamespace } from 'cdk8s-namespace-guard';
import { exposeOnHost, restrictedDeployment } from './workloads';

/**
 * Team segmentation: three teams, each with its own namespace and RBAC groups, independent
 * inside it under the cluster-wide standards, and one declared team-to-team API call
 * (checkout calls the payments API).
 */
export function teamsChart(app: App): Chart {
  const chart = new Chart(app, 'teams');
  const cluster = new ClusterProfile(chart, 'cluster', {
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  });

  const team = (name: string, podSecurity = PodSecurityLevel.RESTRICTED) => new TeamNamespace(chart, name, {
    cluster,
    podSecurity,
    // Each team publishes under its own subdomain.
    ingressHosts: [`*.${name}.shop.example.com`],
    admins: [Subject.group(`${name}-leads`)],
    editors: [Subject.group(`${name}-developers`)],
    viewers: [Subject.group('sre')],
  });
  const payments = team('payments');
  const catalog = team('catalog', PodSecurityLevel.BASELINE);
  const checkout = team('checkout');

  const paymentsApi = restrictedDeployment(chart, 'payments', { app: 'payments-api', image: 'registry.example.com/payments/api:3.2.0', ports: [{ number: 8080, name: 'http' }] });
  const catalogWeb = restrictedDeployment(chart, 'catalog', { app: 'catalog-web', image: 'registry.example.com/catalog/web:5.0.1', ports: [{ number: 8080, name: 'http' }] });
  const checkoutApi = restrictedDeployment(chart, 'checkout', { app: 'checkout-api', image: 'registry.example.com/checkout/api:1.9.0', ports: [{ number: 8080, name: 'http' }] });

  exposeOnHost(chart, 'catalog', 'catalog-web', 8080, 'www.catalog.shop.example.com');
  exposeOnHost(chart, 'checkout', 'checkout-api', 8080, 'api.checkout.shop.example.com');
  catalog.podsOf(catalogWeb).connections.allowFrom(cluster.ingressController, ...Port.ofWorkload(catalogWeb));
  checkout.podsOf(checkoutApi).connections.allowFrom(cluster.ingressController, ...Port.ofWorkload(checkoutApi));
  // The one team-to-team call: checkout → payments API, per service and port.
  checkout.podsOf(checkoutApi).connections.allowTo(payments.podsOf(paymentsApi), ...Port.ofWorkload(paymentsApi));
  return chart;
}

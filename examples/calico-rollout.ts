import { App, Chart } from 'cdk8s';
import { ClusterProfile, Enforcement, NetworkBackend, Peer, Port, Subject, TeamNamespace } from 'cdk8s-namespace-guard';
import { exposeOnHost, restrictedDeployment } from './workloads';

/**
 * Rolling out on Calico: the `search` team joins the platform in monitor mode while
 * `recommendations` already enforces. On Calico, monitor mode writes search's intended policies as
 * staged policies (StagedKubernetesNetworkPolicy): Calico evaluates them and reports in its flow
 * logs what they would deny, without enforcing them. Switching search to `Enforcement.ENFORCE`
 * turns each staged policy into the NetworkPolicy of the same name and spec; the connectivity
 * report's `asEnforced()` shows the cluster as it will be then.
 */
export function calicoRolloutChart(app: App): Chart {
  const chart = new Chart(app, 'calico-rollout');
  const cluster = new ClusterProfile(chart, 'cluster', {
    networkBackend: NetworkBackend.CALICO,
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  });

  const search = new TeamNamespace(chart, 'search', {
    cluster,
    // Until the flow logs show nothing the staged policies would deny.
    enforcement: Enforcement.MONITOR,
    ingressHosts: ['search.shop.example.com'],
    admins: [Subject.group('search-leads')],
    editors: [Subject.group('search-developers')],
  });
  const recommendations = new TeamNamespace(chart, 'recommendations', {
    cluster,
    admins: [Subject.group('recommendations-leads')],
    editors: [Subject.group('recommendations-developers')],
  });

  const searchApi = restrictedDeployment(chart, 'search', { app: 'search-api', image: 'registry.example.com/search/api:0.9.0', ports: [{ number: 8080, name: 'http' }] });
  const recommender = restrictedDeployment(chart, 'recommendations', {
    app: 'recommender', image: 'registry.example.com/recommendations/recommender:4.1.0', ports: [{ number: 8080, name: 'http' }],
  });
  exposeOnHost(chart, 'search', 'search-api', 8080, 'search.shop.example.com');

  const api = search.podsOf(searchApi);
  api.connections.allowFrom(cluster.ingressController, ...Port.ofWorkload(searchApi));
  api.connections.allowTo(recommendations.podsOf(recommender), ...Port.ofWorkload(recommender));
  return chart;
}

import { App, Chart } from 'cdk8s';
import { ClusterDns, ClusterProfile, Exposure, Port, Quota, SecurityZone, Subject } from 'cdk8s-namespace-guard';
import * as kplus from 'cdk8s-plus-27';
import { restrictedDeployment } from './workloads';

const METRICS = { number: 9090, name: 'metrics' };

/**
 * Security zones: an internet-facing web zone, an internal auth zone, a hardened data zone and
 * an operations zone (monitoring and devops tools) that scrapes every zone's metrics port.
 * web → data and web → auth are allowed; nothing else crosses a zone boundary.
 */
export function securityZonesChart(app: App): Chart {
  const chart = new Chart(app, 'security-zones');
  const cluster = new ClusterProfile(chart, 'cluster', { dns: ClusterDns.kubeDnsAndNodeLocal('169.254.20.10') });

  // Each zone is run by its own operators, inside the zone's namespaces only.
  const operators = (zone: string) => [Subject.group(`${zone}-operators`)];
  // The web zone takes internet traffic through one load balancer of its own (no node ports).
  const web = new SecurityZone(chart, 'web', {
    cluster,
    exposure: Exposure.INTERNET,
    namespaces: ['storefront'],
    internetPorts: [Port.tcp(8443)],
    quota: Quota.of({ loadBalancers: 1 }),
    admins: operators('web'),
  });
  const auth = new SecurityZone(chart, 'auth', { cluster, exposure: Exposure.INTERNAL, namespaces: ['identity'], admins: operators('auth') });
  const data = new SecurityZone(chart, 'data', {
    cluster, exposure: Exposure.RESTRICTED, namespaces: ['orders-db', 'customers-db'], admins: operators('data'),
  });
  // Prometheus discovers its targets through the API: the one service account that gets a token.
  const ops = new SecurityZone(chart, 'ops', {
    cluster,
    exposure: Exposure.OPERATIONS,
    namespaces: ['observability', 'devops-tools'],
    operationsPorts: [Port.named('metrics')],
    admins: operators('ops'),
    apiAccessServiceAccounts: ['prometheus'],
  });

  restrictedDeployment(chart, 'storefront', { app: 'storefront', image: 'registry.example.com/shop/storefront:7.3.0', ports: [{ number: 8443, name: 'https' }, METRICS], replicas: 3 });
  restrictedDeployment(chart, 'identity', { app: 'identity', image: 'registry.example.com/shop/identity:2.0.4', ports: [{ number: 8443, name: 'https' }, METRICS] });
  for (const db of ['orders-db', 'customers-db']) {
    restrictedDeployment(chart, db, { app: 'postgres', image: 'postgres:16.4', ports: [{ number: 5432, name: 'postgres' }, METRICS] });
  }
  new kplus.k8s.KubeService(chart, 'storefront-load-balancer', {
    metadata: { name: 'storefront', namespace: 'storefront', labels: { app: 'storefront' } },
    spec: {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      selector: { app: 'storefront' },
      ports: [{ name: 'https', port: 443, targetPort: kplus.k8s.IntOrString.fromNumber(8443) }],
    },
  });
  const prometheus = new kplus.ServiceAccount(chart, 'prometheus-service-account', {
    metadata: { name: 'prometheus', namespace: 'observability' },
    automountToken: true,
  });
  restrictedDeployment(chart, 'observability', {
    app: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.54.1', ports: [{ number: 9090, name: 'web' }], apiAccess: prometheus,
  });
  restrictedDeployment(chart, 'devops-tools', { app: 'ci-runner', image: 'registry.example.com/devops/runner:1.0.0' });

  web.connections.allowTo(data, Port.tcp(5432));
  web.connections.allowTo(auth, Port.tcp(8443));
  for (const zone of [web, auth, data]) {
    zone.connections.allowFrom(ops, Port.named('metrics'));
  }
  return chart;
}

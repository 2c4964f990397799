import { App, Chart } from 'cdk8s';
import { ClusterDns, ClusterProfile, Exposure, Port, SecurityZone } from '../src';
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

  const web = new SecurityZone(chart, 'web', { cluster, exposure: Exposure.INTERNET, namespaces: ['storefront'], internetPorts: [Port.tcp(8443)] });
  const auth = new SecurityZone(chart, 'auth', { cluster, exposure: Exposure.INTERNAL, namespaces: ['identity'] });
  const data = new SecurityZone(chart, 'data', { cluster, exposure: Exposure.RESTRICTED, namespaces: ['orders-db', 'customers-db'] });
  const ops = new SecurityZone(chart, 'ops', {
    cluster, exposure: Exposure.OPERATIONS, namespaces: ['observability', 'devops-tools'], operationsPorts: [Port.named('metrics')],
  });

  restrictedDeployment(chart, 'storefront', { app: 'storefront', image: 'registry.example.com/shop/storefront:7.3.0', ports: [{ number: 8443, name: 'https' }, METRICS], replicas: 3 });
  restrictedDeployment(chart, 'identity', { app: 'identity', image: 'registry.example.com/shop/identity:2.0.4', ports: [{ number: 8443, name: 'https' }, METRICS] });
  for (const db of ['orders-db', 'customers-db']) {
    restrictedDeployment(chart, db, { app: 'postgres', image: 'postgres:16.4', ports: [{ number: 5432, name: 'postgres' }, METRICS] });
  }
  restrictedDeployment(chart, 'observability', { app: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.54.1', ports: [{ number: 9090, name: 'web' }] });
  restrictedDeployment(chart, 'devops-tools', { app: 'ci-runner', image: 'registry.example.com/devops/runner:1.0.0' });

  web.connections.allowTo(data, Port.tcp(5432));
  web.connections.allowTo(auth, Port.tcp(8443));
  for (const zone of [web, auth, data]) {
    zone.connections.allowFrom(ops, Port.named('metrics'));
  }
  return chart;
}

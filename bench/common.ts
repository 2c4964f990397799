// What the analysis and check benchmarks share: their input app and their statistics.
import { App, Chart } from 'cdk8s';
import { exposeOnHost, restrictedDeployment } from '../examples/workloads';
import { ClusterProfile, Peer, Port, Quota, TenantNamespace } from '../src';

/** A full GC when the process runs with --expose-gc. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * An app with `tenants` full TenantNamespace bundles and 3 workloads each (database, backend, auth),
 * as in the multi-tenant example: default deny, DNS, ingress to the backend from the ingress
 * controller, backend to database and auth inside the tenant, and the backend's Service and
 * Ingress on the tenant's declared host.
 */
export function tenantApp(tenants: number): { app: App; chart: Chart } {
  const app = new App();
  const chart = new Chart(app, 'bench');
  const cluster = new ClusterProfile(chart, 'cluster', {
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  });
  for (let i = 0; i < tenants; i++) {
    const name = `tenant-${String(i).padStart(5, '0')}`;
    const host = `${name}.saas.example.com`;
    const tenant = new TenantNamespace(chart, name, { cluster, quota: Quota.small(), allowSameNamespace: false, ingressHosts: [host] });
    for (const [service, port] of [['database', 5432], ['backend', 8080], ['auth', 9000]] as const) {
      restrictedDeployment(chart, name, { app: service, image: `registry.example.com/${service}:1.0.0`, ports: [{ number: port, name: 'serve' }] });
    }
    exposeOnHost(chart, name, 'backend', 8080, host);
    const backend = tenant.pods({ app: 'backend' });
    backend.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
    backend.connections.allowTo(tenant.pods({ app: 'database' }), Port.tcp(5432));
    backend.connections.allowTo(tenant.pods({ app: 'auth' }), Port.tcp(9000));
  }
  return { app, chart };
}

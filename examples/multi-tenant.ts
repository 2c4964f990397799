import { App, Chart } from 'cdk8s';
import { ClusterDns, ClusterProfile, Peer, Port, Quota, Subject, TenantNamespace } from 'cdk8s-namespace-guard';
import * as kplus from 'cdk8s-plus-27';
import { exposeOnHost, restrictedDeployment } from './workloads';

/** The customers of the SaaS. Adding one is one more entry. */
export const CUSTOMERS = ['customer1', 'customer2'];

/**
 * Multi-tenant SaaS: one namespace per customer, each with its own database, backend and auth
 * service. Customers are isolated from each other and reachable only through the ingress
 * controller; inside a tenant, every service reaches only what it calls.
 */
export function multiTenantChart(app: App): Chart {
  const chart = new Chart(app, 'multi-tenant');
  const cluster = new ClusterProfile(chart, 'cluster', {
    dns: ClusterDns.kubeDns(),
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
    monitoring: Peer.namespaceNamed('monitoring'),
    // The cluster's own ranges: Peer.internet() excludes them, and a tenant ipBlock over them is a finding.
    podCidrs: ['10.244.0.0/16'],
    serviceCidrs: ['10.96.0.0/12'],
  });

  for (const customer of CUSTOMERS) {
    const tenant = new TenantNamespace(chart, customer, {
      cluster,
      quota: Quota.small(),
      admins: [Subject.group(`${customer}-admins`)],
      allowSameNamespace: false,
      // Each customer's Ingresses may claim its own host only.
      ingressHosts: [`${customer}.saas.example.com`],
    });
    const database = restrictedDeployment(chart, customer, { app: 'database', image: 'postgres:16.4', ports: [{ number: 5432, name: 'postgres' }] });
    const backend = restrictedDeployment(chart, customer, { app: 'backend', image: 'registry.example.com/saas/backend:1.4.2', ports: [{ number: 8080, name: 'http' }], replicas: 2 });
    const auth = restrictedDeployment(chart, customer, { app: 'auth', image: 'registry.example.com/saas/auth:2.1.0', ports: [{ number: 9000, name: 'http' }] });
    exposeOnHost(chart, customer, 'backend', 8080, `${customer}.saas.example.com`);
    // The backend's database login; the password is added by the customer's secrets operator.
    new kplus.k8s.KubeSecret(chart, `${customer}-database-login`, {
      metadata: { name: 'database-login', namespace: customer, labels: { app: 'backend' } },
      type: 'Opaque',
      stringData: { username: 'backend' },
    });

    // Flows name the workloads: their pods and the ports their containers declare.
    tenant.podsOf(backend).connections.allowFrom(cluster.ingressController, ...Port.ofWorkload(backend));
    tenant.podsOf(auth).connections.allowFrom(cluster.ingressController, ...Port.ofWorkload(auth));
    tenant.podsOf(backend).connections.allowTo(tenant.podsOf(database), ...Port.ofWorkload(database));
    tenant.podsOf(backend).connections.allowTo(tenant.podsOf(auth), ...Port.ofWorkload(auth));
  }
  return chart;
}

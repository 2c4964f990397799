import { KubeObject } from '../../model/manifests';
import { NAMESPACE_NAME_LABEL } from '../../model/vocabulary';

export interface SyntheticClusterOptions {
  /** Number of tenant namespaces (`tenant-0000`, ...). */
  readonly tenants: number;
  /**
   * Workloads per tenant; the first is the `frontend`, the second the `backend`, the rest `worker-N`.
   * @default 3
   */
  readonly workloadsPerTenant?: number;
  /**
   * Emit running Pods with IPs instead of Deployments (same labels and ports).
   * @default false
   */
  readonly asPods?: boolean;
}

const INGRESS_NAMESPACE = 'ingress-nginx';
const APP_PORT = 8080;

/**
 * A synthetic multi-tenant cluster as plain manifests, for benchmarks: kube-system with kube-dns,
 * an ingress-controller namespace, and N tenant namespaces, each with its workloads and policies:
 * default-deny (both directions), DNS egress to kube-dns, ingress from the ingress controller on
 * TCP 8080, and frontend-to-backend on TCP 8080 (egress on the frontend, ingress on the backend).
 */
export function syntheticCluster(options: SyntheticClusterOptions): KubeObject[] {
  const perTenant = options.workloadsPerTenant ?? 3;
  const podFactory = new WorkloadFactory(options.asPods ?? false);
  const objects: KubeObject[] = [
    namespace('kube-system', {}),
    podFactory.make('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
    ]),
    namespace(INGRESS_NAMESPACE, { role: 'ingress' }),
    podFactory.make(INGRESS_NAMESPACE, 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' }, [
      { name: 'http', containerPort: 80, protocol: 'TCP' },
      { name: 'https', containerPort: 443, protocol: 'TCP' },
    ]),
  ];
  for (let t = 0; t < options.tenants; t++) {
    const ns = `tenant-${String(t).padStart(4, '0')}`;
    objects.push(namespace(ns, { tenant: ns }));
    for (let w = 0; w < perTenant; w++) {
      const app = w === 0 ? 'frontend' : w === 1 ? 'backend' : `worker-${w - 1}`;
      objects.push(podFactory.make(ns, app, { app }, [{ name: 'http', containerPort: APP_PORT, protocol: 'TCP' }]));
    }
    objects.push(...tenantPolicies(ns));
  }
  return objects;
}

/** Makes Deployments, or Pods with unique IPs from 10.0.0.0/8 when asPods is set. */
class WorkloadFactory {
  private nextIp = 1;

  constructor(private readonly asPods: boolean) {}

  make(ns: string, name: string, labels: Record<string, string>, ports: object[]): KubeObject {
    const podSpec = { containers: [{ name, image: `example.com/${name}:1`, ports }] };
    if (!this.asPods) {
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: ns },
        spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
      };
    }
    const n = this.nextIp++;
    const podIP = `10.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels },
      spec: podSpec,
      status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }] },
    };
  }
}

function namespace(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function policy(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

function tenantPolicies(ns: string): KubeObject[] {
  const appPort = [{ protocol: 'TCP', port: APP_PORT }];
  return [
    policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy(ns, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{
          namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }),
    policy(ns, 'allow-ingress-controller', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: INGRESS_NAMESPACE } } }], ports: appPort }],
    }),
    policy(ns, 'allow-frontend-to-backend', {
      podSelector: { matchLabels: { app: 'backend' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: appPort }],
    }),
    policy(ns, 'allow-frontend-egress', {
      podSelector: { matchLabels: { app: 'frontend' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: appPort }],
    }),
  ];
}

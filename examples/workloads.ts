import { Size } from 'cdk8s';
import { PodHardening } from 'cdk8s-namespace-guard';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** A containerized service of an example scenario. */
export interface ServiceSpec {
  /** The `app` label of its pods. */
  readonly app: string;
  /** The container image (pinned). */
  readonly image: string;
  /** Container ports: number and name. */
  readonly ports?: Array<{ number: number; name: string }>;
  /** Replicas. */
  readonly replicas?: number;
  /** A service account whose API token the pods mount (it must be declared in `apiAccessServiceAccounts`); none by default. */
  readonly apiAccess?: kplus.IServiceAccount;
}

/**
 * A cdk8s-plus Deployment that Pod Security `restricted` admits: non-root, no privilege
 * escalation, all capabilities dropped, RuntimeDefault seccomp, and small explicit resources
 * that fit the tenant quotas. cdk8s-plus-27 can set neither seccomp nor a drop of `ALL`:
 * `PodHardening.restricted` fills those in. The Deployment selects its pods by their `app` label
 * (not cdk8s-plus's generated address label), so `bundle.podsOf(deployment)` writes policies that
 * read like hand-written ones.
 */
export function restrictedDeployment(scope: Construct, namespaceName: string, spec: ServiceSpec): kplus.Deployment {
  const deployment = new kplus.Deployment(scope, `${namespaceName}-${spec.app}`, {
    metadata: { name: spec.app, namespace: namespaceName, labels: { app: spec.app } },
    replicas: spec.replicas ?? 1,
    select: false,
    serviceAccount: spec.apiAccess,
    automountServiceAccountToken: spec.apiAccess !== undefined,
    securityContext: { ensureNonRoot: true, user: 10001, group: 10001 },
    containers: [{
      name: spec.app,
      image: spec.image,
      ports: (spec.ports ?? []).map(p => ({ number: p.number, name: p.name })),
      securityContext: {
        ensureNonRoot: true,
        user: 10001,
        group: 10001,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
      },
    }],
  });
  deployment.podMetadata.addLabel('app', spec.app);
  deployment.select(kplus.LabelSelector.of({ labels: { app: spec.app } }));
  PodHardening.restricted(deployment);
  return deployment;
}

/**
 * A ClusterIP Service for the pods of `app` and an Ingress that routes `host` to it: the host must
 * be one of the namespace's declared `ingressHosts`.
 */
export function exposeOnHost(scope: Construct, namespaceName: string, app: string, port: number, host: string): void {
  new kplus.k8s.KubeService(scope, `${namespaceName}-${app}-service`, {
    metadata: { name: app, namespace: namespaceName, labels: { app } },
    spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: kplus.k8s.IntOrString.fromNumber(port) }] },
  });
  new kplus.k8s.KubeIngress(scope, `${namespaceName}-${app}-ingress`, {
    metadata: { name: app, namespace: namespaceName, labels: { app } },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: [host], secretName: `${app}-tls` }],
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app, port: { name: 'http' } } } }] } }],
    },
  });
}

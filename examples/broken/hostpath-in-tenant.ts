// A deliberately broken app: a pod that mounts the node's filesystem (hostPath) in a tenant
// namespace. Pod Security `restricted` would reject it at deploy time, so synthesis fails
// first and says what to change. Run it with:
//   npx ts-node -P examples/tsconfig.json examples/broken/hostpath-in-tenant.ts
import { App, Chart } from 'cdk8s';
import { TenantNamespace } from 'cdk8s-namespace-guard';
import * as kplus from 'cdk8s-plus-27';

/** Builds the broken chart. */
export function hostPathInTenantChart(app: App): Chart {
  const chart = new Chart(app, 'broken');
  new TenantNamespace(chart, 'customer1');
  new kplus.k8s.KubePod(chart, 'node-reader', {
    metadata: { name: 'node-reader', namespace: 'customer1' },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'reader',
        image: 'busybox:1.36',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'host', mountPath: '/host', readOnly: true }],
      }],
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
    },
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  hostPathInTenantChart(app);
  app.synth();
}

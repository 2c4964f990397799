// PodHardening: cdk8s-plus workloads (and any object with a pod template) pass Pod Security
// `restricted` without JSON patches, and nothing the user set is overridden.
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Findings, PodHardening, TeamNamespace, TenantNamespace } from '../../src';
import { checkPodSecurity } from '../../src/analysis/pod-security';
import { newChart, synthValid } from '../helpers';

const LATEST = 'latest';

/** The Pod Security checks `restricted` fails on the rendered object, as `check path`. */
function restrictedViolations(json: unknown): string[] {
  return checkPodSecurity(json, 'restricted', LATEST).violations.map(v => `${v.check} ${v.path}`);
}

function rendered(object: ApiObject | kplus.AbstractPod | kplus.Workload): any {
  return ApiObject.of(object).toJson();
}

describe('PodHardening.restricted', () => {
  test('a default kplus.Deployment fails restricted; hardened, it passes and the synth-time check finds nothing', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    const web = new kplus.Deployment(chart, 'web', { metadata: { namespace: 'customer1' }, containers: [{ image: 'nginx', portNumber: 8080 }] });
    expect(restrictedViolations(rendered(web))).toEqual([
      'capabilities_restricted spec.template.spec.containers[0].securityContext.capabilities.drop',
      'seccompProfile_restricted spec.template.spec.containers[0].securityContext.seccompProfile.type',
    ]);
    Findings.silence(chart);
    expect(Findings.of(chart).map(f => f.ruleId)).toContain('pod-security');

    PodHardening.restricted(web);
    const json = rendered(web);
    expect(restrictedViolations(json)).toEqual([]);
    expect(Findings.of(chart).filter(f => f.ruleId === 'pod-security')).toEqual([]);
    const spec = json.spec.template.spec;
    expect(spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    // The synthesized output is the hardened one, schema-valid and the same on every rendering.
    const objects = synthValid(chart);
    expect(objects.find(o => o.kind === 'Deployment')).toEqual(json);
    expect(Testing.synth(chart)).toEqual(objects);
  });

  test('every cdk8s-plus workload kind, init containers included', () => {
    const { chart } = newChart({ namespace: 'apps' });
    const containers = [{ image: 'app' }];
    const workloads = [
      new kplus.StatefulSet(chart, 'db', { containers, service: new kplus.Service(chart, 'db-svc', { ports: [{ port: 5432 }] }) }),
      new kplus.DaemonSet(chart, 'agent', { containers }),
      new kplus.Job(chart, 'migrate', { containers, initContainers: [{ image: 'wait' }] }),
      new kplus.CronJob(chart, 'report', { containers, schedule: { expressionString: '0 * * * *' } as any }),
      new kplus.Pod(chart, 'debug', { containers }),
    ];
    for (const w of workloads) {
      expect(restrictedViolations(rendered(w))).not.toEqual([]);
      PodHardening.restricted(w);
      expect({ kind: ApiObject.of(w).kind, violations: restrictedViolations(rendered(w)) }).toEqual({ kind: ApiObject.of(w).kind, violations: [] });
    }
    const job = rendered(workloads[2]);
    expect(job.spec.template.spec.initContainers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    synthValid(chart);
  });

  test('what the user set is kept, even what restricted refuses; the synth-time check then names it', () => {
    const { chart } = newChart();
    new TeamNamespace(chart, 'payments');
    const api = new kplus.Deployment(chart, 'api', {
      metadata: { namespace: 'payments' },
      containers: [{ image: 'api', securityContext: { ensureNonRoot: false } }],
    });
    // Set through JSON patches, because cdk8s-plus cannot: a Localhost seccomp profile and an added capability.
    ApiObject.of(api).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'Localhost', localhostProfile: 'api.json' }),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { add: ['NET_BIND_SERVICE'], drop: ['NET_RAW'] }),
    );
    PodHardening.restricted(api);
    const spec = rendered(api).spec.template.spec;
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'api.json' });
    expect(spec.containers[0].securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['NET_RAW'] });
    expect(spec.containers[0].securityContext.runAsNonRoot).toBe(false);
    expect(restrictedViolations(rendered(api))).toEqual([
      'capabilities_restricted spec.template.spec.containers[0].securityContext.capabilities.drop',
      'runAsNonRoot spec.template.spec.containers[0].securityContext.runAsNonRoot',
    ]);
  });

  test('a plain ApiObject and a custom resource with a pod template; a container seccomp profile on every container is enough', () => {
    const { chart } = newChart({ namespace: 'apps' });
    const plain = new ApiObject(chart, 'plain', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'plain' },
      spec: {
        selector: { matchLabels: { app: 'plain' } },
        template: {
          metadata: { labels: { app: 'plain' } },
          spec: { containers: [{ name: 'a', image: 'a', securityContext: { seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true } }] },
        },
      },
    });
    const rollout = new ApiObject(chart, 'rollout', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'rollout' },
      spec: { template: { spec: { containers: [{ name: 'r', image: 'r' }] } } },
    });
    PodHardening.restricted(plain);
    PodHardening.restricted(rollout);
    const plainSpec = plain.toJson().spec.template.spec;
    expect(plainSpec.securityContext).toBeUndefined(); // every container has a profile and runAsNonRoot
    expect(plainSpec.containers[0].securityContext).toEqual({
      seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] },
    });
    expect(restrictedViolations(plain.toJson())).toEqual([]);
    expect(restrictedViolations(rollout.toJson())).toEqual([]);
  });

  test('a Windows pod gets only what applies to it', () => {
    const { chart } = newChart({ namespace: 'apps' });
    const win = new kplus.Deployment(chart, 'win', { containers: [{ image: 'iis' }] });
    ApiObject.of(win).addJsonPatch(JsonPatch.add('/spec/template/spec/os', { name: 'windows' }));
    PodHardening.restricted(win);
    const spec = rendered(win).spec.template.spec;
    expect(spec.securityContext.seccompProfile).toBeUndefined();
    expect(spec.containers[0].securityContext.capabilities).toBeUndefined();
    expect(restrictedViolations(rendered(win))).toEqual([]);
  });

  test('objects without pods are refused with the path and the fix', () => {
    const { chart } = newChart({ namespace: 'apps' });
    const service = new kplus.Service(chart, 'svc', { ports: [{ port: 80 }] });
    expect(() => PodHardening.restricted(service)).toThrow('[test/svc] a Service has no pods to harden. Fix: pass a workload');
    const cert = new ApiObject(chart, 'cert', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 'c' } });
    PodHardening.restricted(cert);
    expect(() => cert.toJson()).toThrow('[test/cert] PodHardening: the Certificate has no pod template (spec.template.spec) to harden. Fix: harden workloads only');
    const { chart: other } = newChart();
    const group = new kplus.Deployment(other, 'd', { containers: [{ image: 'x' }] }).node.scope!;
    expect(() => PodHardening.restricted(group)).toThrow(/\[test\] is not an ApiObject and has no ApiObject as its default child\. Fix: pass a cdk8s-plus workload/);
  });
});

describe('PodHardening.restrictedInManagedNamespaces', () => {
  test('hardens workloads of managed namespaces, defined before or after the call; others are left alone', () => {
    const { app, chart } = newChart();
    const before = new kplus.Deployment(chart, 'before', { metadata: { namespace: 'customer1' }, containers: [{ image: 'a' }] });
    PodHardening.restrictedInManagedNamespaces(app);
    new TenantNamespace(chart, 'customer1');
    new TeamNamespace(chart, 'payments');
    const after = new kplus.Deployment(chart, 'after', { metadata: { namespace: 'payments' }, containers: [{ image: 'b' }] });
    const outside = new kplus.Deployment(chart, 'outside', { metadata: { namespace: 'legacy' }, containers: [{ image: 'c' }] });
    const cert = new ApiObject(chart, 'cert', {
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: 'payments' }, spec: { secretName: 'c' },
    });

    app.synth();
    expect(restrictedViolations(rendered(before))).toEqual([]);
    expect(restrictedViolations(rendered(after))).toEqual([]);
    expect(restrictedViolations(rendered(outside))).not.toEqual([]);
    expect(rendered(outside).spec.template.spec.securityContext.seccompProfile).toBeUndefined();
    expect(cert.toJson().spec).toEqual({ secretName: 'c' });
    Findings.silence(chart);
    expect(Findings.of(chart).filter(f => f.ruleId === 'pod-security')).toEqual([]);
  });

  test('hardening by name and by namespace together renders once and the same', () => {
    const { app, chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    const web = new kplus.Deployment(chart, 'web', { metadata: { namespace: 'customer1' }, containers: [{ image: 'a' }] });
    PodHardening.restricted(web);
    PodHardening.restrictedInManagedNamespaces(app);
    PodHardening.restricted(web);
    const once = JSON.stringify(rendered(web));
    expect(JSON.stringify(rendered(web))).toBe(once);
    expect(rendered(web).spec.template.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    synthValid(chart);
  });
});

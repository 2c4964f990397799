import { ClusterModel } from '../../src/model/cluster-model';
import { carriesPods, workloadKindOfObject } from '../../src/model/pod-template';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };

describe('which objects carry pods', () => {
  test('custom resources with a standard pod template are workloads, one kind object per custom kind', () => {
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'a' }, spec: { replicas: 2, template } };
    const kind = workloadKindOfObject(rollout);
    expect(kind).toEqual({ kind: 'Rollout', groups: ['argoproj.io'], templateHolder: ['spec', 'template'], parallelism: ['spec', 'replicas'] });
    expect(workloadKindOfObject({ ...rollout, metadata: { name: 'b' } })).toBe(kind);
    const scheduled = { apiVersion: 'example.com/v1', kind: 'Batch', spec: { jobTemplate: { spec: { parallelism: 3, template } } } };
    expect(workloadKindOfObject(scheduled)?.parallelism).toEqual(['spec', 'jobTemplate', 'spec', 'parallelism']);
  });

  test('built-in kinds are read by kind only: a PodTemplate runs no pods', () => {
    expect(workloadKindOfObject({ apiVersion: 'v1', kind: 'PodTemplate', template })).toBeUndefined();
    expect(workloadKindOfObject({ apiVersion: 'v1', kind: 'ReplicationController', spec: { template } })?.kind).toBe('ReplicationController');
  });

  test('a custom resource with pod fields but no template carries pods; config objects do not', () => {
    expect(carriesPods({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', spec: { serviceAccountName: 'p' } })).toBe(true);
    expect(carriesPods({ apiVersion: 'example.com/v1', kind: 'Runner', spec: { pods: [{ containers: [] }] } })).toBe(true);
    expect(carriesPods({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', spec: { endpoints: [{ port: 'http' }] } })).toBe(false);
    expect(carriesPods({ apiVersion: 'v1', kind: 'Service', spec: { selector: { app: 'web' } } })).toBe(false);
  });
});

describe('ClusterModel notes', () => {
  test('a custom workload without a namespace is in default, like any namespaced kind, and its replicas count', () => {
    const model = ClusterModel.fromObjects([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' }, spec: { replicas: 4, template } }]);
    expect(model.workloads.map(w => [w.namespace, w.name, w.replicas, w.podLabels])).toEqual([['default', 'web', 4, { app: 'web' }]]);
    expect(model.notes.map(n => n.code)).toEqual(['modelled-kind']);
  });

  test('notes come in a fixed order: kinds, then other policy APIs, host-network pods and unselecting policies, each in input order', () => {
    const model = ClusterModel.fromObjects([
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'x' }, spec: { podSelector: { matchLabels: { app: 'gone' } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'h', namespace: 'x' }, spec: { hostNetwork: true, containers: [] } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'x' }, spec: {} },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'x' }, spec: { serviceAccountName: 'p' } },
    ]);
    expect(model.notes.map(n => n.code)).toEqual(['ignored-kind', 'unevaluated-policy', 'host-network', 'policy-selects-nothing']);
  });
});

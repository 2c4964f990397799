// The YAML holds each namespace's objects together, whatever the order of construction: a
// reviewer reads one namespace at a time.
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PodHardening, Port, TeamNamespace, TenantNamespace } from '../../src';
import { newChart, synthValid } from '../helpers';

/** The namespace of each object in output order, runs of one namespace collapsed. */
function runs(objects: any[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const ns = o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace ?? '(cluster)';
    if (out[out.length - 1] !== ns) out.push(ns);
  }
  return out;
}

describe('objects grouped per namespace', () => {
  test('workloads created after every bundle, and flows declared later, land with their namespace, right after its Namespace object', () => {
    const { app, chart } = newChart();
    const one = new TenantNamespace(chart, 'customer1');
    const two = new TenantNamespace(chart, 'customer2');
    const team = new TeamNamespace(chart, 'payments');
    const deployments = ['customer1', 'customer2', 'payments', 'customer1'].map((ns, i) =>
      new kplus.Deployment(chart, `app-${i}`, { metadata: { namespace: ns }, containers: [{ image: 'registry.example.com/app:1', portNumber: 8080 }] }));
    new kplus.Deployment(chart, 'elsewhere', { metadata: { namespace: 'legacy' }, containers: [{ image: 'registry.example.com/legacy:1' }] });
    PodHardening.restrictedInManagedNamespaces(app);
    team.connections.allowFrom(one, Port.tcp(8080));
    two.connections.allowTo(team, Port.tcp(8080));

    const objects = synthValid(chart);
    expect(runs(objects)).toEqual(['customer1', 'customer2', 'payments', 'legacy']);
    const customer1 = objects.filter(o => o.metadata.namespace === 'customer1' || o.metadata.name === 'customer1');
    expect(customer1[0].kind).toBe('Namespace');
    expect(customer1.filter(o => o.kind === 'Deployment').map(o => o.metadata.name)).toEqual(
      [deployments[0], deployments[3]].map(d => d.name));
    // Deterministic: the same app renders the same order again.
    expect(Testing.synth(chart).map(o => `${o.kind}/${o.metadata.name}`)).toEqual(objects.map(o => `${o.kind}/${o.metadata.name}`));
  });

  test('app.synth() writes the same grouping', () => {
    const { app, chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    new TenantNamespace(chart, 'customer2');
    new kplus.ConfigMap(chart, 'late', { metadata: { namespace: 'customer1' }, data: { a: 'b' } });
    const yaml = app.synthYaml();
    const order = (yaml.match(/^  (?:name|namespace): customer[12]$/gm) ?? []).map(l => l.trim().split(': ')[1]);
    expect(order.length).toBeGreaterThan(10);
    const firstTwo = order.indexOf('customer2');
    expect(order.slice(0, firstTwo).every(n => n === 'customer1')).toBe(true);
    expect(order.slice(firstTwo).every(n => n === 'customer2')).toBe(true);
  });
});

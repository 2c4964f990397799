// A widening is never "no change": for random clusters and a random allow policy added to them,
// whenever a naive evaluator finds a pod pair that gains a port, among the pods of the input and
// pods that the added policy's selectors stand for (the pods and namespaces that will carry their
// labels, and a namespace no selector names), `diff` says the change opens something.
import * as fc from 'fast-check';
import { compareClusters } from '../../../src/analysis/diff';
import { ClusterModel } from '../../../src/model/cluster-model';
import { cluster, policies, policySpec, PROBE_PORTS, referencePods, toObjects, withPolicies } from '../reachability/properties/arbitraries';
import { namespaceLabels, PolicySpec, RefCluster, referenceAllows, RefPod, Selector, selects } from '../reachability/properties/reference';

/** A label map a selector of the arbitraries' shapes matches (written here, apart from the library's). */
function labelsFor(selector: Selector): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...(selector.matchLabels ?? {}) };
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'In') labels[e.key] = (e.values ?? [])[0];
    if (e.operator === 'Exists') labels[e.key] = labels[e.key] ?? 'probe';
  }
  return selects(selector, labels) ? labels : undefined;
}

/**
 * The cluster with probe pods for the added policy: for its podSelector and each peer's, a pod with
 * labels it matches in each namespace it applies to (a new namespace labelled as a namespaceSelector
 * asks when no namespace matches), and an unlabelled pod in a namespace no selector names.
 */
function withProbes(c: RefCluster, added: { namespace: string; spec: PolicySpec }): RefCluster {
  const namespaces = { ...c.namespaces, 'probe-new': {} };
  const pods: RefPod[] = [...c.pods, { namespace: 'probe-new', name: 'probe', labels: {}, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }];
  let n = 0;
  const probe = (namespace: string, selector: Selector | undefined) => {
    const labels = selector ? labelsFor(selector) : {};
    if (labels) pods.push({ namespace, name: `probe-${n++}`, labels, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] });
  };
  probe(added.namespace, added.spec.podSelector);
  for (const rule of [...(added.spec.ingress ?? []), ...(added.spec.egress ?? [])]) {
    for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
      if (peer.ipBlock) continue;
      if (!peer.namespaceSelector) {
        probe(added.namespace, peer.podSelector);
        continue;
      }
      const matching = Object.keys(namespaces).filter(ns => selects(peer.namespaceSelector!, namespaceLabels({ ...c, namespaces }, ns)));
      if (matching.length === 0) {
        const labels = labelsFor(peer.namespaceSelector);
        if (!labels || labels['kubernetes.io/metadata.name'] !== undefined) continue;
        const name = `probe-ns-${n++}`;
        (namespaces as Record<string, Record<string, string>>)[name] = labels;
        matching.push(name);
      }
      for (const ns of matching) probe(ns, peer.podSelector);
    }
  }
  return { ...c, namespaces, pods };
}

describe('diff on random widenings', () => {
  test('an added policy that lets some pod pair through on a new port is never "no change"', () => {
    const added = fc.record({ namespace: fc.constantFrom('n1', 'n2', 'n3'), spec: policySpec });
    fc.assert(fc.property(cluster, policies({ min: 0, max: 3 }), added, (c0, specs, extra) => {
      fc.pre(extra.namespace in c0.namespaces);
      const base = withPolicies(c0, specs);
      const head = withPolicies(base, [extra], 'added');
      const d = compareClusters(ClusterModel.fromObjects(toObjects(base)), ClusterModel.fromObjects(toObjects(head)));
      // The naive evaluator, over the input's pods and the probes, with ipBlocks matching pod addresses
      // (the plugins that do are the widest reading of an undeclared plugin).
      const [b, h] = [withProbes(base, extra), withProbes(head, extra)];
      const pods = [...referencePods(h).values()];
      for (const from of pods) {
        for (const to of pods) {
          for (const [protocol, port] of PROBE_PORTS) {
            if (referenceAllows(h, from, to, port, protocol) && !referenceAllows(b, from, to, port, protocol)) {
              if (!d.opens) throw new Error(`${from.namespace}/${from.name} -> ${to.namespace}/${to.name} ${protocol}/${port} gains, but diff says it opens nothing`);
              return;
            }
          }
        }
      }
    }), { numRuns: 250 });
  });
});

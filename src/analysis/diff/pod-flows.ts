// Flows between pods that a change widens while the namespace matrix does not show it: a pod that
// gains a port towards a pod another pod of its namespace already reached on it. The namespace
// level ("some pod to some pod") folds such gains away, so `opens` would miss them.
//
// Every pair of pods would be quadratic in the pods of the input. A pair can only gain when one of
// its ends changed: the pod itself (labels, addresses, ports, host network, its namespace's labels)
// or the NetworkPolicies that select it (by content). So only the pairs with a changed end are
// compared; when the cluster network policies changed, every pod counts as changed.
import { ClusterModel } from '../../model/cluster-model';
import { Direction, DIRECTIONS } from '../../model/vocabulary';
import { fingerprint } from '../../private/json';
import { PodInfo, PortSet, ReachabilityModel } from '../reachability';

/** A pod pair that gained ports beyond what its namespaces' cell shows. */
export interface PodFlowChange {
  readonly from: string;
  readonly to: string;
  /** The ports only after. */
  readonly added: PortSet;
  /** The condition under which the gain holds, when only there (see FlowChange.where). */
  readonly where?: string;
}

/**
 * The pod pairs of the head that gained ports compared with the base, less the gains the namespace
 * matrix already shows (`shown(fromNamespace, toNamespace)`: the ports its cell gained).
 */
export function comparePodFlows(
  before: ReachabilityModel, after: ReachabilityModel, base: ClusterModel, head: ClusterModel,
  shown: (from: string, to: string) => PortSet, where?: string,
): PodFlowChange[] {
  const clusterPoliciesChanged = fingerprint(base.clusterPolicies.map(p => p.manifest.object))
    !== fingerprint(head.clusterPolicies.map(p => p.manifest.object));
  const specs = (model: ClusterModel) => new Map(model.networkPolicies.map(p => [p.policy.key, fingerprint(p.manifest.object.spec ?? null)]));
  const [baseSpecs, headSpecs] = [specs(base), specs(head)];
  const namespaceLabels = (model: ReachabilityModel) => new Map(model.namespaces.map(n => [n.name, n.labels]));
  const labelsOf = new Map([[before, namespaceLabels(before)], [after, namespaceLabels(after)]]);
  const signature = (model: ReachabilityModel, pod: PodInfo, spec: ReadonlyMap<string, string>) => fingerprint({
    labels: pod.units.map(u => u.labels),
    namespace: labelsOf.get(model)!.get(pod.namespace) ?? {},
    addresses: pod.addresses.key,
    ports: pod.ports,
    hostNetwork: pod.hostNetwork === true,
    policies: DIRECTIONS.map((d: Direction) => pod.units.map(u => model.selectingPolicies(u, d).map(p => `${p.key} ${spec.get(p.key) ?? ''}`))),
  });
  const basePods = new Map(before.pods.map(p => [p.key, p]));
  const changed = new Set(after.pods.filter(p => {
    const old = basePods.get(p.key);
    return clusterPoliciesChanged || old === undefined || signature(before, old, baseSpecs) !== signature(after, p, headSpecs);
  }));
  if (changed.size === 0) return [];
  const changes: PodFlowChange[] = [];
  for (const a of after.pods) {
    for (const b of after.pods) {
      if (!changed.has(a) && !changed.has(b)) continue;
      if (a.external === true && b.external === true) continue;
      const now = after.allowedPorts(a.key, b.key);
      if (now.isEmpty) continue;
      const [x, y] = [basePods.get(a.key), basePods.get(b.key)];
      const then = x && y ? before.allowedPorts(x.key, y.key) : PortSet.NONE;
      const added = now.subtract(then).subtract(shown(a.namespace, b.namespace));
      if (!added.isEmpty) changes.push({ from: a.key, to: b.key, added, ...(where ? { where } : {}) });
    }
  }
  return changes;
}

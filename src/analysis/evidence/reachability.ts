// The reachability analysis the network controls read: the cluster as it enforces its policies now,
// with the internet and the pods and namespaces the policies anticipate; built once per input (and
// per set of policies a control sets aside), whatever number of namespaces the evidence covers.
import { ClusterModel, NetworkPolicy } from '../../model/cluster-model';
import { ReachabilityModel } from '../reachability';

const MODELS = new WeakMap<ClusterModel, Map<string, ReachabilityModel>>();

/** The analysis of the input, or of the input less the policies `without`. */
export function reachabilityOf(model: ClusterModel, without: readonly NetworkPolicy[] = []): ReachabilityModel {
  let byKey = MODELS.get(model);
  if (!byKey) {
    byKey = new Map();
    MODELS.set(model, byKey);
  }
  const key = without.map(p => p.policy.key).sort().join('\n');
  let found = byKey.get(key);
  if (!found) {
    const left = new Set<unknown>(without);
    const cluster = without.length === 0 ? model
      : ClusterModel.fromManifests(model.objects.filter(o => !left.has(o)).map(o => o.manifest), model.network);
    found = ReachabilityModel.fromCluster(cluster, { internet: true, anticipate: true });
    byKey.set(key, found);
  }
  return found;
}

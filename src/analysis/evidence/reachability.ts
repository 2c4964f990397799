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

const OWNERS = new WeakMap<ClusterModel, ReadonlyMap<string, NetworkPolicy>>();

/**
 * The NetworkPolicy of each rule label (`customer1/allow-from-x ingress[0]`), as verdicts name
 * them: those the cluster enforces now, NetworkPolicies before staged ones of the same name.
 */
export function ruleOwners(model: ClusterModel): ReadonlyMap<string, NetworkPolicy> {
  let found = OWNERS.get(model);
  if (!found) {
    const owners = new Map<string, NetworkPolicy>();
    for (const np of [...model.networkPolicies.filter(p => !p.staged), ...model.networkPolicies.filter(p => p.staged)]) {
      for (const rule of [...np.policy.ingress, ...np.policy.egress]) if (!owners.has(rule.label)) owners.set(rule.label, np);
    }
    OWNERS.set(model, found = owners);
  }
  return found;
}

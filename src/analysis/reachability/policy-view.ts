// Which policies of the cluster model the reachability engine evaluates: those the cluster enforces
// now, or those it would enforce once the namespaces in monitor mode enforce theirs. The engine
// itself knows nothing of monitor mode; only the policies it is given change.
import { ClusterModel, NetworkPolicy } from '../../model/cluster-model';

/**
 * - `effective`: what the cluster does now. Every NetworkPolicy counts, the monitor-only allow-all
 *   included; Calico staged policies do not (Calico reports them without enforcing).
 * - `enforced`: what it would do once monitor mode ends. Monitor-only policies are left out, and
 *   each staged policy counts as the NetworkPolicy of the same name it becomes (replacing one of
 *   that name, as applying it would).
 */
export type PolicyView = 'effective' | 'enforced';

/** The policies a view evaluates, in input order. */
export function policiesInView(model: ClusterModel, view: PolicyView): NetworkPolicy[] {
  if (view === 'effective') return model.networkPolicies.filter(p => !p.staged);
  const staged = new Set(model.networkPolicies.filter(p => p.staged).map(p => p.policy.key));
  return model.networkPolicies.filter(p => p.staged || (!p.monitorOnly && !staged.has(p.policy.key)));
}

/** How many policies only monitor: monitor-only allow-alls and staged policies (the views differ only when some do). */
export function monitoringPolicyCounts(model: ClusterModel): { readonly monitorOnly: number; readonly staged: number } {
  return {
    monitorOnly: model.networkPolicies.filter(p => p.monitorOnly).length,
    staged: model.networkPolicies.filter(p => p.staged).length,
  };
}

import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { MONITOR_ONLY_ANNOTATION, NETWORK_BACKEND_ANNOTATION, NetworkBackend } from '../model/vocabulary';

/**
 * Monitor mode on Cilium reports nothing. Cilium's policy audit mode is set for the whole agent or
 * per endpoint, never per namespace, so a bundle in monitor mode gets the same allow-all policy as
 * on a plain Kubernetes backend: the intended policies are in the cluster but nothing evaluates
 * them, and with the allow-all in place even audit mode would have no drop to report. The bundles
 * mark that policy with the backend (`namespace-guard.dev/network-backend: cilium`), which is what
 * this rule reads. A warning: monitor mode works, it is only silent.
 */
export const unauditedMonitorModeRule: Rule = {
  id: RuleId.UNAUDITED_MONITOR_MODE,
  severity: FindingSeverity.WARNING,
  summary: 'a namespace in monitor mode on Cilium, where nothing reports what its policies would block',
  description: 'A namespace is in monitor mode on Cilium (its monitor-only allow-all policy is marked namespace-guard.dev/network-backend: cilium). Cilium\'s policy audit mode is per agent or per endpoint, so nothing reports what the namespace\'s intended policies would block while everything is allowed.',
  remedy: 'Review what enforcement would block with namespace-guard reach --as-enforced (or ConnectivityReport.asEnforced()), then enforce. Acknowledge unaudited-monitor-mode on the Namespace with the reason and the date monitor mode ends.',
  securitySeverity: 4.0,
  acknowledgedOn: 'namespace',
  objectKinds: ['NetworkPolicy'],
  check(model: ClusterModel): RuleHit[] {
    return model.networkPolicies
      .filter(np => np.monitorOnly && np.annotations[NETWORK_BACKEND_ANNOTATION] === NetworkBackend.CILIUM)
      .map(np => ({
        object: np,
        namespace: np.namespace,
        message: `namespace "${np.namespace}" is in monitor mode on Cilium, whose policy audit mode applies to the whole agent or to single `
          + `endpoints, not to a namespace: policy ${np.name} (${MONITOR_ONLY_ANNOTATION}) lets all traffic through, so nothing in the cluster `
          + 'reports what the intended policies would block',
        fix: 'review what enforcement would block with namespace-guard reach --as-enforced (or ConnectivityReport.asEnforced()); for Cilium '
          + 'to report it, enforce the bundle with Cilium\'s policy audit mode on for its endpoints; or acknowledge the finding',
      }));
  },
};

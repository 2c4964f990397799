import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { PodSecurityLevel } from '../model/vocabulary';

/**
 * A namespace that enforces Pod Security `privileged` lets any pod own its node; it needs a
 * written reason. In monitor mode the level the namespace is meant to enforce counts.
 */
export const privilegedPodSecurityRule: Rule = {
  id: RuleId.PRIVILEGED_POD_SECURITY,
  severity: FindingSeverity.ERROR,
  summary: 'a namespace enforces Pod Security "privileged"',
  description: 'A namespace enforces Pod Security "privileged": any pod may run there, with host namespaces, host paths, privileged containers and every capability, which is a way onto the node and from there into every other namespace.',
  remedy: 'Enforce "baseline" or "restricted" (PodSecurityLevel.BASELINE or RESTRICTED). Acknowledge privileged-pod-security on the Namespace only for system namespaces that need privileged pods (a CNI, a node agent), with the reason.',
  securitySeverity: 8.0,
  acknowledgedOn: 'namespace',
  objectKinds: ['Namespace'],
  check(model: ClusterModel): RuleHit[] {
    return model.namespaces.flatMap(ns => (ns.object !== undefined && ns.podSecurity?.level === PodSecurityLevel.PRIVILEGED ? [{
      object: ns.object,
      namespace: ns.name,
      message: `namespace "${ns.name}" enforces Pod Security level "privileged", which admits pods that can take over their node`,
      fix: 'enforce "baseline" or "restricted" (PodSecurityLevel.BASELINE or RESTRICTED), or acknowledge why this namespace needs privileged pods',
    }] : []));
  },
};

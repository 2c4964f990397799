import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace, NetworkPolicy, Workload } from '../model/cluster-model';
import { PolicyRule } from '../model/network-policy';
import { closestMatch } from '../private/suggest';

/**
 * A named port in a NetworkPolicy rule resolves on the destination pods' container ports (the
 * policy's own pods for ingress, the peers for egress). When the destinations are known from the
 * input and none of them has a container port of that name and protocol, the rule matches nothing:
 * usually a typo (`metircs`), so the message names the ports that do exist. Rules whose destinations
 * are unknown (addresses, no peers, no workload in the input) are not judged.
 */
export const unknownNamedPortRule: Rule = {
  id: RuleId.UNKNOWN_NAMED_PORT,
  severity: FindingSeverity.ERROR,
  summary: 'a NetworkPolicy rule names a port that none of its destination pods has',
  description: 'A NetworkPolicy rule names a port (a container port name) that none of its destination pods has, usually a typo: the port matches nothing, so the traffic the rule was written for is dropped.',
  remedy: 'Use the container port\'s name as the pods declare it (the finding suggests the closest), or a port number. Acknowledge unknown-named-port on the Namespace for the name if the pods come from elsewhere.',
  securitySeverity: 2.0,
  acknowledgedOn: 'namespace',
  objectKinds: ['NetworkPolicy'],
  target: 'the port name',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      for (const np of ns.networkPolicies) {
        if (np.monitorOnly) continue;
        const own = running(ns).filter(w => np.policy.podSelector.matches(w.podLabels));
        const rules = [
          ...(np.policy.affectsIngress ? np.policy.ingress.map(rule => ({ rule, destinations: own, whose: 'the pods it applies to' })) : []),
          ...(np.policy.affectsEgress ? np.policy.egress.map(rule => ({ rule, destinations: peerWorkloads(rule, model, ns), whose: 'the pods it sends to' })) : []),
        ];
        const reported = new Set<string>();
        for (const { rule, destinations, whose } of rules) {
          if (destinations === undefined || destinations.length === 0) continue;
          for (const port of rule.ports ?? []) {
            if (port.kind !== 'named') continue;
            const key = `${port.protocol}/${port.name}`;
            const exists = destinations.some(w => w.containerPorts.some(c => c.name === port.name && c.protocol === port.protocol));
            if (exists || reported.has(key)) continue;
            reported.add(key);
            hits.push(unknown(np, rule, port.name, port.protocol, destinations, whose));
          }
        }
      }
    }
    return hits;
  },
};

function running(ns: Namespace): Workload[] {
  return ns.workloads.filter(w => !w.terminated);
}

/** The workloads an egress rule's peers select, or undefined when they cannot all be known from the input. */
function peerWorkloads(rule: PolicyRule, model: ClusterModel, ns: Namespace): Workload[] | undefined {
  if (rule.peers === undefined) return undefined;
  const found = new Set<Workload>();
  for (const peer of rule.peers) {
    if (peer.kind !== 'selector') return undefined;
    const namespaces = peer.namespaceSelector === undefined ? [ns] : model.namespacesMatching(peer.namespaceSelector);
    for (const where of namespaces) {
      for (const w of running(where)) if (peer.podSelector === undefined || peer.podSelector.matches(w.podLabels)) found.add(w);
    }
  }
  return [...found];
}

function unknown(np: NetworkPolicy, rule: PolicyRule, name: string, protocol: string, destinations: readonly Workload[], whose: string): RuleHit {
  const named = destinations.flatMap(w => w.containerPorts.filter(c => c.name !== undefined && c.protocol === protocol).map(c => c.name!));
  const existing = [...new Set(named)].sort();
  const guess = closestMatch(name, existing);
  const workloads = destinations.slice(0, 3).map(w => `${w.kind} ${w.name}`).join(', ') + (destinations.length > 3 ? `, and ${destinations.length - 3} more` : '');
  return {
    object: np,
    namespace: np.namespace,
    target: name,
    message: `NetworkPolicy "${np.name}" in namespace "${np.namespace}" allows ${protocol} port "${name}" (${rule.label.slice(rule.label.lastIndexOf(' ') + 1)}), but none of ${whose} (${workloads}) `
      + `has a container port of that name, so the rule matches nothing${existing.length > 0 ? `; their ${protocol} ports are named ${existing.map(n => `"${n}"`).join(', ')}` : ''}`,
    fix: guess !== undefined
      ? `did you mean "${guess}"? Name that port in the policy (Port.named("${guess}")), or name the container port "${name}"`
      : `name a container port "${name}" on the destination pods, use a port number, or acknowledge ${RuleId.UNKNOWN_NAMED_PORT} for "${name}"`,
  };
}

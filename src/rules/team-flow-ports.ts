import { affects, flowVerb, namespacesReachedBy } from './flow-peers';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Namespace } from '../model/cluster-model';
import { describePolicyPort, PolicyRule } from '../model/network-policy';
import { DIRECTIONS, NETWORK_POLICY_KINDS, Profile } from '../model/vocabulary';

/**
 * A flow between two teams is an API contract: it names its ports. A NetworkPolicy rule of a team
 * namespace (`namespace-guard.dev/profile: team`) that reaches another team's namespace on every port,
 * every port of a protocol (`Port.allTcp()`) or a port range (`Port.tcpRange(1, 65535)`) is a finding,
 * one per other team; so is a rule that reaches every namespace that way.
 */
export const teamFlowPortsRule: Rule = {
  id: RuleId.TEAM_FLOW_PORTS,
  severity: FindingSeverity.ERROR,
  summary: 'a NetworkPolicy rule between two team namespaces allows every port or a port range',
  description: 'A NetworkPolicy rule between two team namespaces (namespace-guard.dev/profile: team) allows every port, every port of a protocol, or a port range. Team-to-team flows are API calls and should name their ports, so that a new service in the other team is not reachable by accident.',
  remedy: 'Declare the flow per service and port (for example Port.tcp(8080)). Acknowledge team-flow-ports on the Namespace for the other team\'s namespace when a range is real (a media relay\'s RTP ports), with the reason.',
  securitySeverity: 5.0,
  acknowledgedOn: 'namespace',
  objectKinds: NETWORK_POLICY_KINDS,
  target: 'the other team\'s namespace',
  check(model: ClusterModel): RuleHit[] {
    const isTeam = (n: Namespace) => n.profile === Profile.TEAM;
    const teams = model.namespaces.filter(isTeam);
    if (teams.length < 2) return [];
    const hits: RuleHit[] = [];
    for (const team of teams) {
      for (const np of team.networkPolicies) {
        if (np.monitorOnly) continue;
        for (const direction of DIRECTIONS) {
          if (!affects(np.policy, direction)) continue;
          const broad = new Map<Namespace, Set<string>>();
          for (const rule of np.policy[direction]) {
            const ports = unnamedPorts(rule);
            if (ports.length === 0) continue;
            for (const other of namespacesReachedBy(rule, model).filter(isTeam)) {
              ports.forEach(p => broad.set(other, (broad.get(other) ?? new Set()).add(p)));
            }
          }
          for (const other of [...broad.keys()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
            hits.push({
              object: np,
              namespace: team.name,
              target: other.name,
              message: `team namespace "${team.name}" ${flowVerb(direction)} team namespace "${other.name}" on ${[...broad.get(other)!].join(', ')} `
                + `(policy ${np.name}): team-to-team flows name their ports`,
              fix: `declare the flow per service and port (for example Port.tcp(8080)), or acknowledge ${RuleId.TEAM_FLOW_PORTS} for "${other.name}" `
                + `on team "${team.name}" with the reason`,
            });
          }
        }
      }
    }
    return hits;
  },
};

/** The ports of a rule that are not single ports: every port, a whole protocol, a range. */
function unnamedPorts(rule: PolicyRule): string[] {
  if (rule.ports === undefined) return ['every port of every protocol'];
  return rule.ports
    .filter(p => p.kind === 'all' || (p.kind === 'range' && p.from !== p.to))
    .map(p => (p.kind === 'all' ? `every ${p.protocol} port` : `port range ${describePolicyPort(p)}`));
}

import { affects, flowVerb } from './flow-peers';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { DIRECTIONS, NETWORK_POLICY_KINDS, Profile } from '../model/vocabulary';
import { addressForms } from '../private/special-ranges';

/**
 * An IP block that covers the cluster's pod or Service CIDR reaches every tenant's pods by
 * address, past the namespace selectors that isolate tenants: in a tenant namespace it is a
 * cross-tenant flow by address. It needs the cluster's declared ranges (the ClusterProfile's
 * `podCidrs` and `serviceCidrs`, or `check --pod-cidr/--service-cidr`); without them it reports
 * nothing. Rules without peers are `cross-tenant-flow`'s.
 */
export const clusterRangeFlowRule: Rule = {
  id: RuleId.CLUSTER_RANGE_FLOW,
  severity: FindingSeverity.ERROR,
  summary: 'a NetworkPolicy rule of a tenant namespace opens an IP block covering the cluster\'s pod or Service CIDR',
  description: 'A NetworkPolicy rule of a tenant namespace opens an ipBlock that covers part of the cluster\'s pod or Service CIDR (also in IPv4-mapped or NAT64 form). Pod and Service addresses belong to every tenant, so such a rule lets the tenant reach, or be reached by, other tenants\' pods by address, past the namespace selectors that isolate them. Reported only when the cluster\'s ranges are declared (ClusterProfile podCidrs and serviceCidrs, or check --pod-cidr and --service-cidr).',
  remedy: 'Select the pods by namespace and labels instead of by address, or except the cluster\'s ranges from the block. If the flow is intended, acknowledge cluster-range-flow on the tenant\'s Namespace for that CIDR, with the reason.',
  securitySeverity: 7.5,
  acknowledgedOn: 'namespace',
  objectKinds: NETWORK_POLICY_KINDS,
  target: 'the pod or Service CIDR',
  check(model: ClusterModel): RuleHit[] {
    const declared = [
      ...model.network.podRanges.map(r => ({ cidr: r.cidr, what: 'pod CIDR', reached: 'pods' })),
      ...model.network.serviceRanges.map(r => ({ cidr: r.cidr, what: 'Service CIDR', reached: 'Services' })),
    ];
    if (declared.length === 0) return [];
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      if (ns.profile !== Profile.TENANT) continue;
      for (const np of ns.networkPolicies) {
        if (np.monitorOnly) continue;
        for (const direction of DIRECTIONS) {
          if (!affects(np.policy, direction)) continue;
          for (const { cidr, what, reached } of declared) {
            const forms = addressForms(cidr);
            const blocks = np.policy[direction].flatMap(rule => rule.peers ?? [])
              .flatMap(peer => (peer.kind === 'ipBlock' && forms.some(f => peer.ipBlock.opens(f.range)) ? [peer.ipBlock.toString()] : []));
            if (blocks.length === 0) continue;
            hits.push({
              object: np,
              namespace: ns.name,
              target: cidr,
              message: `tenant namespace "${ns.name}" ${flowVerb(direction)} the cluster's ${what} ${cidr} by address (ipBlock ${[...new Set(blocks)].join('; ')}, policy ${np.name}), `
                + `which reaches every tenant's ${reached}`,
              fix: `select the pods by namespace and labels instead, except ${cidr} from the block, or acknowledge ${RuleId.CLUSTER_RANGE_FLOW} for "${cidr}" on tenant "${ns.name}"`,
            });
          }
        }
      }
    }
    return hits;
  },
};

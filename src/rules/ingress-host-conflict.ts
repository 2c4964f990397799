import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';

/**
 * Ingress controllers merge the Ingresses that name one host, whatever their namespace: an Ingress
 * of one namespace that names another namespace's host can take over its paths. Checked for every
 * namespace of the input, managed or not; each Ingress involved is reported once per other namespace.
 */
export const ingressHostConflictRule: Rule = {
  id: RuleId.INGRESS_HOST_CONFLICT,
  severity: FindingSeverity.ERROR,
  summary: 'one host is claimed by Ingresses of two namespaces',
  description: 'One host is claimed by Ingresses of two namespaces. Ingress controllers merge such Ingresses, so either namespace can take over the other\'s traffic for that host, or a path of it.',
  remedy: 'Give each namespace its own hosts (the bundles\' ingressHosts refuse a host two bundles declare). If the host is shared by agreement, acknowledge ingress-host-conflict on the Ingress naming the other namespace.',
  securitySeverity: 7.0,
  acknowledgedOn: 'object',
  objectKinds: ['Ingress'],
  target: 'the other namespace',
  check(model: ClusterModel): RuleHit[] {
    const claimants = new Map<string, Set<string>>();
    for (const ingress of model.ingresses) {
      for (const host of ingress.hosts) {
        const key = host.toLowerCase();
        claimants.set(key, (claimants.get(key) ?? new Set()).add(ingress.namespace));
      }
    }
    const hits: RuleHit[] = [];
    for (const ingress of model.ingresses) {
      const byOther = new Map<string, string[]>();
      for (const host of [...new Set(ingress.hosts.map(h => h.toLowerCase()))].sort()) {
        for (const other of claimants.get(host) ?? []) {
          if (other !== ingress.namespace) byOther.set(other, [...(byOther.get(other) ?? []), host]);
        }
      }
      for (const other of [...byOther.keys()].sort()) {
        const hosts = byOther.get(other)!.map(h => `"${h}"`).join(', ');
        hits.push({
          object: ingress,
          namespace: ingress.namespace,
          target: other,
          message: `Ingress "${ingress.name}" in namespace "${ingress.namespace}" claims ${hosts}, which Ingresses of namespace "${other}" claim too: `
            + 'the ingress controller merges them, so either namespace can take over the other\'s traffic',
          fix: `give each namespace its own hosts (the bundles' ingressHosts refuse a host two bundles declare), or acknowledge it for "${other}" on the Ingress`,
        });
      }
    }
    return hits;
  },
};

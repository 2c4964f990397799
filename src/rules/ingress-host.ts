import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { hostCovers } from '../model/hosts';
import { INGRESS_HOSTS_ANNOTATION } from '../model/vocabulary';

/**
 * A managed namespace declares the hosts its Ingresses may claim (`namespace-guard.dev/ingress-hosts`,
 * the bundles' `ingressHosts`). An Ingress that claims another host (in `rules[].host` or
 * `tls[].hosts`) can take over another team's or customer's traffic; one with a rule without a host,
 * or a default backend, answers for every host the controller serves.
 */
export const ingressHostRule: Rule = {
  id: RuleId.INGRESS_HOST,
  severity: FindingSeverity.ERROR,
  summary: 'an Ingress of a managed namespace claims a host the namespace does not declare, or every host',
  description: 'An Ingress of a managed namespace claims a host the namespace does not declare in its namespace-guard.dev/ingress-hosts annotation, or every host (a rule without a host, or a defaultBackend). A namespace that claims other hosts can serve, and intercept, traffic meant for another team or customer.',
  remedy: 'Use a host the namespace declares, or declare it in the bundle\'s ingressHosts (the Namespace\'s namespace-guard.dev/ingress-hosts annotation); give every rule a host and remove spec.defaultBackend. Acknowledge ingress-host on the Ingress only with the reason.',
  securitySeverity: 7.0,
  acknowledgedOn: 'object',
  objectKinds: ['Ingress'],
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces.filter(n => n.managed)) {
      const declared = ns.ingressHosts;
      const declaredText = declared.length > 0 ? `it declares ${declared.join(', ')}` : 'it declares none';
      for (const ingress of ns.ingresses) {
        const where = `Ingress "${ingress.name}" in namespace "${ns.name}"`;
        if (ingress.claimsEveryHost) {
          hits.push({
            object: ingress,
            namespace: ns.name,
            message: `${where} has a rule without a host or a default backend, so it claims every host name the ingress controller serves`,
            fix: `give every rule a host the namespace declares (${declaredText}) and remove spec.defaultBackend`,
          });
        }
        const claimed = [...new Set([...ingress.hosts, ...ingress.tlsHosts].map(h => h.toLowerCase()))].sort();
        const undeclared = claimed.filter(h => !declared.some(d => hostCovers(d, h)));
        if (undeclared.length > 0) {
          hits.push({
            object: ingress,
            namespace: ns.name,
            message: `${where} claims ${undeclared.map(h => `"${h}"`).join(', ')}, which the namespace does not declare (${declaredText})`,
            fix: `use a declared host, or declare it in the bundle's ingressHosts (the Namespace's ${INGRESS_HOSTS_ANNOTATION} annotation)`,
          });
        }
      }
    }
    return hits;
  },
};

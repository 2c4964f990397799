import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';

/**
 * `spec.externalIPs` makes every node route traffic for those addresses to the Service: whoever may
 * create a Service can intercept traffic the cluster sends to any address it names (CVE-2020-8554).
 * Checked in managed namespaces (the library's managed-by label, or a profile).
 */
export const serviceExternalIpsRule: Rule = {
  id: RuleId.SERVICE_EXTERNAL_IPS,
  severity: FindingSeverity.ERROR,
  summary: 'a Service of a managed namespace sets externalIPs (CVE-2020-8554)',
  description: 'A Service of a managed namespace sets spec.externalIPs. Every node sends traffic for those addresses to the Service, so whoever can create it can intercept traffic meant for any address, inside or outside the cluster (CVE-2020-8554).',
  remedy: 'Remove spec.externalIPs and expose the Service through the ingress controller, or a LoadBalancer the quota allows. Acknowledge service-external-ips on the Service only for a reserved address, with the reason.',
  securitySeverity: 8.0,
  acknowledgedOn: 'object',
  objectKinds: ['Service'],
  check(model: ClusterModel): RuleHit[] {
    return model.namespaces.filter(ns => ns.managed).flatMap(ns => ns.services.filter(s => s.externalIps.length > 0).map(service => ({
      object: service,
      namespace: ns.name,
      message: `Service "${service.name}" in namespace "${ns.name}" sets spec.externalIPs (${service.externalIps.join(', ')}): every node then sends `
        + 'traffic for those addresses to its pods, so it can intercept traffic meant for any address it names (CVE-2020-8554)',
      fix: 'remove spec.externalIPs and expose the Service through the ingress controller (or a LoadBalancer the quota allows); '
        + 'cluster-wide, turn on the DenyServiceExternalIPs admission plugin',
    })));
  },
};

import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';

// `<service>.<namespace>.svc` with any cluster domain after it (`svc.cluster.local` by default).
const CLUSTER_SERVICE = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.|$)/;

/**
 * An ExternalName Service is a DNS alias to any name. Ingress controllers and proxies that follow it
 * send traffic there with their own network access, around the namespace's declared flows; pointed at
 * `<service>.<other namespace>.svc`, it forwards into another namespace (the class of CVE-2021-25740).
 * Checked in managed namespaces.
 */
export const serviceExternalNameRule: Rule = {
  id: RuleId.SERVICE_EXTERNAL_NAME,
  severity: FindingSeverity.ERROR,
  summary: 'a Service of a managed namespace is of type ExternalName',
  description: 'A Service of a managed namespace is of type ExternalName: it points a cluster DNS name anywhere, and ingress controllers that follow it forward traffic there, into another namespace too (the class of CVE-2021-25740).',
  remedy: 'Call the external name directly, or use a Service with selectors or EndpointSlices the namespace owns. Acknowledge service-external-name on the Service for a migration alias, with the reason.',
  securitySeverity: 6.5,
  acknowledgedOn: 'object',
  objectKinds: ['Service'],
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces.filter(n => n.managed)) {
      for (const service of ns.services.filter(s => s.serviceType === 'ExternalName')) {
        const target = (service.externalName ?? '').toLowerCase();
        const other = CLUSTER_SERVICE.exec(target)?.[1];
        const where = other !== undefined && other !== ns.name
          ? `, a Service of namespace "${other}": an ingress controller or proxy that follows it forwards traffic into "${other}" `
            + 'with its own network access, past the flows both namespaces declare (the class of CVE-2021-25740)'
          : ': an ingress controller or proxy that follows it sends traffic there with its own network access, past the namespace\'s declared flows';
        hits.push({
          object: service,
          namespace: ns.name,
          message: `Service "${service.name}" in namespace "${ns.name}" is of type ExternalName pointing to "${service.externalName ?? ''}"${where}`,
          fix: other !== undefined && other !== ns.name
            ? `call the other namespace's Service directly and declare the flow to "${other}" (connections.allowTo), or acknowledge it on the Service`
            : 'use a ClusterIP Service with a selector, reach external names through a declared egress flow, or acknowledge it on the Service',
        });
      }
    }
    return hits;
  },
};

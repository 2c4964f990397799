import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { parseQuantity } from '../private/quantity';

/**
 * NodePort and LoadBalancer Services open the namespace to the outside. A ResourceQuota counts
 * node ports (`services.nodeports`, taken by NodePort Services and by LoadBalancer Services unless
 * they turn node port allocation off) and load balancers (`services.loadbalancers`); the API server
 * rejects a Service over quota at deploy time.
 */
export const serviceExposureRule: Rule = {
  id: RuleId.SERVICE_EXPOSURE,
  severity: FindingSeverity.ERROR,
  summary: 'a NodePort or LoadBalancer Service exceeds the namespace\'s quota',
  description: 'A NodePort or LoadBalancer Service exceeds the services.nodeports or services.loadbalancers of the namespace\'s ResourceQuota: the API server refuses it. A namespace that may not expose Services on the nodes or a load balancer should reach the outside through the ingress controller.',
  remedy: 'Use type ClusterIP behind the ingress controller, or allow the type in the quota (nodePorts or loadBalancers of the bundle\'s Quota). Acknowledge service-exposure on the Service only with the reason.',
  securitySeverity: 4.0,
  acknowledgedOn: 'object',
  objectKinds: ['Service'],
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      const quotas = ns.resourceQuotas.filter(q => !q.scoped);
      if (quotas.length === 0) continue;
      const limit = (key: string) => Math.min(...quotas.map(q => parseQuantity(q.hard[key] ?? '') ?? Infinity));
      const allowedNodePorts = limit('services.nodeports');
      const allowedLoadBalancers = limit('services.loadbalancers');
      let nodePorts = 0;
      let loadBalancers = 0;
      for (const service of ns.services) {
        const isLoadBalancer = service.serviceType === 'LoadBalancer';
        const takes = service.serviceType === 'NodePort' || (isLoadBalancer && service.allocatesNodePorts) ? service.portCount : 0;
        if (takes === 0 && !isLoadBalancer) continue;
        nodePorts += takes;
        if (isLoadBalancer) loadBalancers++;
        const over: string[] = [];
        if (takes > 0 && nodePorts > allowedNodePorts) over.push(`services.nodeports (${nodePorts} used, ${allowedNodePorts} allowed)`);
        if (isLoadBalancer && loadBalancers > allowedLoadBalancers) over.push(`services.loadbalancers (${loadBalancers} used, ${allowedLoadBalancers} allowed)`);
        if (over.length === 0) continue;
        hits.push({
          object: service,
          namespace: ns.name,
          message: `Service "${service.name}" of type ${service.serviceType} exceeds the quota of namespace "${ns.name}": ${over.join(', ')}`,
          fix: 'use type ClusterIP behind the ingress controller, or allow it in the quota: '
            + `Quota.of({ nodePorts: ${nodePorts}${isLoadBalancer ? `, loadBalancers: ${loadBalancers}` : ''} })`,
        });
      }
    }
    return hits;
  },
};

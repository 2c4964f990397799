import { RuleId } from './finding';
import { AppRule, RawFinding, RuleContext } from './rule';

/**
 * NodePort and LoadBalancer Services open the namespace to the outside. The quota counts node
 * ports (`services.nodeports`, taken by NodePort Services and by LoadBalancer Services unless
 * they turn node port allocation off) and load balancers, both 0 unless the bundle allows them;
 * the API server rejects a Service over quota at deploy time.
 * @internal
 */
export const serviceExposureRule: AppRule = {
  id: RuleId.SERVICE_EXPOSURE,
  check(context: RuleContext): RawFinding[] {
    const used = new Map<string, { nodePorts: number; loadBalancers: number }>();
    const findings: RawFinding[] = [];
    for (const service of context.services) {
      const bundle = context.bundlesByName.get(service.namespaceName);
      if (!bundle || (service.nodePorts === 0 && service.serviceType !== 'LoadBalancer')) continue;
      const count = used.get(service.namespaceName) ?? { nodePorts: 0, loadBalancers: 0 };
      used.set(service.namespaceName, count);
      count.nodePorts += service.nodePorts;
      if (service.serviceType === 'LoadBalancer') count.loadBalancers++;
      const quota = bundle.quota.values;
      const over: string[] = [];
      if (service.nodePorts > 0 && count.nodePorts > (quota.nodePorts ?? 0)) {
        over.push(`services.nodeports (${count.nodePorts} used, ${quota.nodePorts ?? 0} allowed)`);
      }
      if (service.serviceType === 'LoadBalancer' && count.loadBalancers > (quota.loadBalancers ?? 0)) {
        over.push(`services.loadbalancers (${count.loadBalancers} used, ${quota.loadBalancers ?? 0} allowed)`);
      }
      if (over.length === 0) continue;
      findings.push({
        ruleId: RuleId.SERVICE_EXPOSURE,
        scope: service.scope,
        namespaceName: service.namespaceName,
        message: `Service "${service.name}" of type ${service.serviceType} exceeds the quota of namespace "${service.namespaceName}": ${over.join(', ')}`,
        fix: 'use type ClusterIP behind the ingress controller, or allow it in the quota: '
          + `Quota.of({ nodePorts: ${count.nodePorts}${service.serviceType === 'LoadBalancer' ? `, loadBalancers: ${count.loadBalancers}` : ''} })`,
      });
    }
    return findings;
  },
};

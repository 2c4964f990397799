import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Workload } from '../model/cluster-model';
import { WORKLOAD_KINDS } from '../model/vocabulary';

/**
 * Where a managed namespace's pods run is the scheduler's: `spec.nodeName` binds a pod to a node of
 * the author's choice without the scheduler, past every taint that keeps tenants off the control
 * plane or off another tenant's dedicated nodes; a `system-node-critical` or `system-cluster-critical`
 * priority class (names with the reserved `system-` prefix) lets its pods preempt other tenants' pods
 * and the cluster's own add-ons. The API server allows both in any namespace unless a ResourceQuota
 * limits the classes. A Pod observed in a cluster (it has a `status`) is not judged for `nodeName`:
 * the scheduler writes it on every pod it binds; its owner's template is judged instead.
 */
export const podSchedulingRule: Rule = {
  id: RuleId.POD_SCHEDULING,
  severity: FindingSeverity.ERROR,
  summary: 'a pod of a managed namespace bypasses the scheduler (spec.nodeName) or takes a system priority class',
  description: 'A pod (a Pod or a workload\'s template) of a managed namespace sets spec.nodeName, which binds it to that node without the scheduler and past every taint (the control plane, another tenant\'s dedicated nodes), or a system-node-critical or system-cluster-critical priorityClassName, which lets it preempt other tenants\' pods and the cluster\'s add-ons such as CoreDNS.',
  remedy: 'Remove spec.nodeName and use node selectors or affinity on nodes the namespace may use; use a priority class of the platform\'s for tenants. Acknowledge pod-scheduling on the workload for nodeName or the class only with the reason.',
  securitySeverity: 7.0,
  acknowledgedOn: 'object',
  objectKinds: WORKLOAD_KINDS.map(k => k.kind),
  target: '"nodeName", or the priority class name (system-cluster-critical)',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces.filter(n => n.managed)) {
      for (const w of ns.workloads) hits.push(...schedulingHits(w));
    }
    return hits;
  },
};

function schedulingHits(w: Workload): RuleHit[] {
  const spec = w.template.spec;
  const where = `${w.kind} "${w.name}" in namespace "${w.namespace}"`;
  const hits: RuleHit[] = [];
  const status = w.manifest.object.status;
  const observed = w.kind === 'Pod' && typeof status === 'object' && status !== null && Object.keys(status).length > 0;
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '' && !observed) {
    hits.push({
      object: w,
      namespace: w.namespace,
      target: 'nodeName',
      message: `${where} sets ${w.template.path}.nodeName "${spec.nodeName}": its pods go to that node without the scheduler, past every taint that keeps them off it (the control plane, another tenant's dedicated nodes)`,
      fix: 'remove nodeName and choose nodes with a nodeSelector or node affinity the platform allows',
    });
  }
  const priority = spec.priorityClassName;
  if (typeof priority === 'string' && priority.startsWith('system-')) {
    hits.push({
      object: w,
      namespace: w.namespace,
      target: priority,
      message: `${where} sets ${w.template.path}.priorityClassName "${priority}": its pods preempt, and evict, other tenants' pods and the cluster's own add-ons (CoreDNS, the network plugin) when nodes are full`,
      fix: 'use a priority class the platform provides for tenants, or none; limit system classes to kube-system with a ResourceQuota scoped by PriorityClass',
    });
  }
  return hits;
}

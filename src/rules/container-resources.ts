import { containerLimitItems, effectiveResources, RESOURCES } from './resources';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { WORKLOAD_KINDS } from '../model/vocabulary';
import { parseQuantityNanos } from '../private/quantity';

/**
 * Every container must fit the namespace's LimitRanges once their defaults apply: its request may
 * not exceed its limit (a request above the default limit is the classic trap), its limit may not
 * exceed a per-container maximum, and its request may not fall below a minimum.
 */
export const containerResourcesRule: Rule = {
  id: RuleId.CONTAINER_RESOURCES,
  severity: FindingSeverity.ERROR,
  summary: 'a container\'s resources are rejected by the namespace\'s LimitRange',
  description: 'A container\'s requests or limits are rejected by the LimitRange of its namespace once its defaults apply: a request above the (default) limit, a limit above a per-container maximum, or a request below a minimum. The API server refuses such pods, so the workload never starts.',
  remedy: 'Set the container\'s requests and limits within the LimitRange (ContainerLimits of the bundle), or change the LimitRange. Acknowledge container-resources on the workload for that container only if the LimitRange in the cluster differs from the one in the manifests.',
  securitySeverity: 3.0,
  acknowledgedOn: 'object',
  objectKinds: WORKLOAD_KINDS.map(k => k.kind),
  target: 'the container name',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      const items = containerLimitItems(ns);
      if (items.length === 0) continue;
      for (const workload of ns.workloads) {
        for (const c of effectiveResources(workload, items)) {
          const where = `${workload.kind} "${workload.name}" container "${c.container}" (${c.path}.resources)`;
          const hit = (message: string, fix: string) => hits.push({ object: workload, namespace: ns.name, target: c.container, message, fix });
          for (const r of RESOURCES) {
            const request = c.requests[r];
            const limit = c.limits[r];
            if (request !== undefined && limit !== undefined && request > limit) {
              hit(`${where} requests ${r} ${c.text[`requests.${r}`]} but its limit is ${c.text[`limits.${r}`]}`
                + ' (a missing limit comes from the LimitRange default), so the pod is rejected',
              `set resources.limits.${r} to at least ${c.text[`requests.${r}`]}, or lower the request`);
            }
            for (const item of items) {
              const max = parseQuantityNanos(item.max[r] ?? '');
              const min = parseQuantityNanos(item.min[r] ?? '');
              if (max !== undefined && limit !== undefined && limit > max) {
                hit(`${where} has ${r} limit ${c.text[`limits.${r}`]}, above the namespace's per-container maximum ${item.max[r]}`,
                  `lower resources.limits.${r} to at most ${item.max[r]}, or raise the LimitRange maximum (ContainerLimits max${titleOf(r)})`);
              }
              if (min !== undefined && request !== undefined && request < min) {
                hit(`${where} requests ${r} ${c.text[`requests.${r}`]}, below the namespace's per-container minimum ${item.min[r]}`,
                  `raise resources.requests.${r} to at least ${item.min[r]}, or lower the LimitRange minimum`);
              }
            }
          }
        }
      }
    }
    return hits;
  },
};

function titleOf(resource: string): string {
  return resource.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

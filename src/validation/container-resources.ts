import { parseQuantity } from '../quantity';
import { RuleId } from './finding';
import { effectiveResources, RESOURCES } from './resources';
import { AppRule, RawFinding, RuleContext } from './rule';

/**
 * Every container must fit the namespace's LimitRange once its defaults apply: its request
 * may not exceed its limit (a request above the default limit is the classic trap), and
 * neither may exceed the per-container maximum.
 * @internal
 */
export const containerResourcesRule: AppRule = {
  id: RuleId.CONTAINER_RESOURCES,
  check(context: RuleContext): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const workload of context.workloads) {
      const bundle = context.bundlesByName.get(workload.namespaceName);
      if (!bundle) continue;
      const [range] = bundle.containerLimits._limits(bundle.quota) as Array<{ max: { [r: string]: string } }>;
      for (const c of effectiveResources(workload, bundle)) {
        for (const r of RESOURCES) {
          const request = c.requests[r];
          const limit = c.limits[r];
          const max = parseQuantity(range.max[r] ?? '');
          const where = `${workload.kind} "${workload.name}" container "${c.container}" (${c.path}.resources)`;
          if (request !== undefined && limit !== undefined && request > limit) {
            findings.push({
              ruleId: RuleId.CONTAINER_RESOURCES,
              scope: workload.scope,
              namespaceName: workload.namespaceName,
              message: `${where} requests ${r} ${c.text[`requests.${r}`]} but its limit is ${c.text[`limits.${r}`]}`
                + ' (a missing limit comes from the LimitRange default), so the pod is rejected',
              fix: `set resources.limits.${r} to at least ${c.text[`requests.${r}`]}, or lower the request`,
            });
          }
          if (max !== undefined && limit !== undefined && limit > max) {
            findings.push({
              ruleId: RuleId.CONTAINER_RESOURCES,
              scope: workload.scope,
              namespaceName: workload.namespaceName,
              message: `${where} has ${r} limit ${c.text[`limits.${r}`]}, above the namespace's per-container maximum ${range.max[r]}`,
              fix: `lower resources.limits.${r} to at most ${range.max[r]}, or raise ContainerLimits max for the namespace`,
            });
          }
        }
      }
    }
    return findings;
  },
};

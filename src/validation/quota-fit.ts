import { parseQuantity } from '../quantity';
import { RuleId } from './finding';
import { effectiveResources, RESOURCES } from './resources';
import { AppRule, RawFinding, RuleContext } from './rule';
import { WorkloadInfo } from './workloads';

/**
 * The pods a namespace's workloads declare (replicas times each pod's effective requests and
 * limits, init containers counted as the scheduler does) must fit the namespace's quota, or the
 * last ones are never created. Surge pods of a rolling update need room on top.
 * @internal
 */
export const quotaFitRule: AppRule = {
  id: RuleId.QUOTA_FIT,
  check(context: RuleContext): RawFinding[] {
    const byNamespace = new Map<string, WorkloadInfo[]>();
    for (const w of context.workloads) {
      if (!context.bundlesByName.has(w.namespaceName)) continue;
      byNamespace.set(w.namespaceName, [...(byNamespace.get(w.namespaceName) ?? []), w]);
    }
    const findings: RawFinding[] = [];
    for (const [namespaceName, workloads] of byNamespace) {
      const bundle = context.bundlesByName.get(namespaceName)!;
      const hard = bundle.quota._hard();
      const totals: { [key: string]: number } = { pods: 0 };
      for (const w of workloads) {
        totals.pods += w.replicas;
        const containers = effectiveResources(w, bundle);
        for (const kind of ['requests', 'limits'] as const) {
          for (const r of RESOURCES) {
            const app = containers.filter(c => !c.init).reduce((sum, c) => sum + (c[kind][r] ?? 0), 0);
            const init = Math.max(0, ...containers.filter(c => c.init).map(c => c[kind][r] ?? 0));
            const key = `${kind}.${r}`;
            totals[key] = (totals[key] ?? 0) + w.replicas * Math.max(app, init);
          }
        }
      }
      for (const [key, total] of Object.entries(totals)) {
        const allowed = parseQuantity(hard[key] ?? '');
        if (allowed === undefined || total <= allowed * (1 + 1e-9)) continue;
        const largest = workloads.map(w => `${w.kind} ${w.name} (${w.replicas} replica${w.replicas === 1 ? '' : 's'})`).join(', ');
        findings.push({
          ruleId: RuleId.QUOTA_FIT,
          scope: bundle,
          namespaceName,
          message: `the workloads of namespace "${namespaceName}" declare ${key} ${formatTotal(key, total)}, above its quota of ${hard[key]} (${largest})`,
          fix: `raise the quota (quota: Quota.of({ ... }) or a larger preset), or lower replicas or ${key === 'pods' ? 'the number of workloads' : 'per-container resources'}`,
        });
      }
    }
    return findings;
  },
};

function formatTotal(key: string, total: number): string {
  if (key === 'pods') return String(total);
  if (key.endsWith('.cpu')) return total < 1 ? `${Math.round(total * 1000)}m` : String(Math.round(total * 1000) / 1000);
  return `${Math.round((total / 2 ** 20) * 10) / 10}Mi`;
}

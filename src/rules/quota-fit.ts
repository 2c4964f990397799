import { containerLimitItems, effectiveResources, RESOURCES } from './resources';
import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, Workload } from '../model/cluster-model';
import { parseQuantityNanos } from '../private/quantity';

/**
 * The pods a namespace's workloads declare (replicas times each pod's effective requests and
 * limits, init containers counted as the scheduler does) must fit every ResourceQuota of the
 * namespace, or the last ones are never created. Surge pods of a rolling update need room on top.
 * Quotas with scopes count only some pods and are left out.
 */
export const quotaFitRule: Rule = {
  id: RuleId.QUOTA_FIT,
  severity: FindingSeverity.ERROR,
  summary: 'the workloads of a namespace do not fit its ResourceQuota',
  description: 'The workloads of a namespace ask for more than its ResourceQuota allows: pods, requests or limits (replicas times the effective per-pod values, init containers counted as the scheduler does). The quota admission refuses the pods beyond it, so some replicas never start.',
  remedy: 'Raise the key in the ResourceQuota (Quota.of or a larger preset), or lower the replicas or the per-container resources. Acknowledge quota-fit on the Namespace for the quota key only if the cluster\'s quota differs from the manifests.',
  securitySeverity: 3.0,
  acknowledgedOn: 'namespace',
  objectKinds: ['ResourceQuota'],
  target: 'the quota key (for example requests.cpu)',
  check(model: ClusterModel): RuleHit[] {
    const running = new Set(model.runningWorkloads);
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces) {
      const quotas = ns.resourceQuotas.filter(q => !q.scoped);
      const workloads = ns.workloads.filter(w => running.has(w));
      if (quotas.length === 0 || workloads.length === 0) continue;
      const totals = declaredTotals(workloads, containerLimitItems(ns));
      for (const quota of quotas) {
        for (const [key, hard] of Object.entries(quota.hard)) {
          const total = totals[ALIASES[key] ?? key];
          // Quantities are exact integers of nano-units; pods are counted as whole pods in the same unit.
          const allowed = parseQuantityNanos(hard);
          if (total === undefined || allowed === undefined || total <= allowed) continue;
          const declared = workloads.map(w => `${w.kind} ${w.name} (${w.replicas} replica${w.replicas === 1 ? '' : 's'})`).join(', ');
          hits.push({
            object: quota,
            namespace: ns.name,
            target: key,
            message: `the workloads of namespace "${ns.name}" declare ${key} ${formatTotal(key, total)}, above its quota of ${hard} (${declared})`,
            fix: `raise ${key} in ResourceQuota ${quota.name} (Quota.of({ ... }) or a larger preset), or lower replicas or ${key === 'pods' ? 'the number of workloads' : 'per-container resources'}`,
          });
        }
      }
    }
    return hits;
  },
};

// Quota keys that mean the same as another.
const ALIASES: Readonly<Record<string, string>> = { 'cpu': 'requests.cpu', 'memory': 'requests.memory', 'ephemeral-storage': 'requests.ephemeral-storage' };

const NANO = 10n ** 9n;

/** What the workloads declare, per quota key, in nano-units (a pod counts as one whole unit). */
function declaredTotals(workloads: readonly Workload[], items: Parameters<typeof effectiveResources>[1]): Record<string, bigint> {
  const totals: Record<string, bigint> = { pods: 0n };
  const max = (values: readonly bigint[]) => values.reduce((a, b) => (b > a ? b : a), 0n);
  for (const w of workloads) {
    const replicas = BigInt(w.replicas);
    totals.pods += replicas * NANO;
    const containers = effectiveResources(w, items);
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of RESOURCES) {
        const app = containers.filter(c => !c.init).reduce((sum, c) => sum + (c[kind][r] ?? 0n), 0n);
        const init = max(containers.filter(c => c.init).map(c => c[kind][r] ?? 0n));
        const key = `${kind}.${r}`;
        totals[key] = (totals[key] ?? 0n) + replicas * (app > init ? app : init);
      }
    }
  }
  return totals;
}

function formatTotal(key: string, nanos: bigint): string {
  const total = Number(nanos) / 1e9;
  if (key === 'pods') return String(total);
  if (key.endsWith('cpu')) return total < 1 ? `${Math.round(total * 1000)}m` : String(Math.round(total * 1000) / 1000);
  return `${Math.round((total / 2 ** 20) * 10) / 10}Mi`;
}

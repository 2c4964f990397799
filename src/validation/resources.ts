import type { NamespaceBundle } from '../namespace-bundle';
import { parseQuantity } from '../quantity';
import { WorkloadInfo } from './workloads';

/** The resources the LimitRange and the quota govern. @internal */
export const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;
/** @internal */
export type ResourceName = typeof RESOURCES[number];

/** Requests and limits of one container after the LimitRange defaults apply. @internal */
export interface EffectiveResources {
  readonly container: string;
  readonly path: string;
  readonly requests: { [r in ResourceName]?: number };
  readonly limits: { [r in ResourceName]?: number };
  /** The text of each value, for messages. */
  readonly text: { [key: string]: string };
  readonly init: boolean;
}

/**
 * The effective resources of each container of a workload in `bundle`'s namespace: the API
 * server first copies a missing request from the limit, then the LimitRange fills in defaults.
 * @internal
 */
export function effectiveResources(workload: WorkloadInfo, bundle: NamespaceBundle): EffectiveResources[] {
  const [range] = bundle.containerLimits._limits(bundle.quota) as Array<{ defaultRequest: any; default: any }>;
  const out: EffectiveResources[] = [];
  for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
    const containers: any[] = Array.isArray(workload.podSpec?.[field]) ? workload.podSpec[field] : [];
    containers.forEach((c, i) => {
      const requests: { [r: string]: number } = {};
      const limits: { [r: string]: number } = {};
      const text: { [key: string]: string } = {};
      for (const r of RESOURCES) {
        const limit = String(c?.resources?.limits?.[r] ?? range.default[r] ?? '');
        const request = String(c?.resources?.requests?.[r] ?? c?.resources?.limits?.[r] ?? range.defaultRequest[r] ?? '');
        const l = parseQuantity(limit);
        const q = parseQuantity(request);
        if (l !== undefined) { limits[r] = l; text[`limits.${r}`] = limit; }
        if (q !== undefined) { requests[r] = q; text[`requests.${r}`] = request; }
      }
      out.push({ container: String(c?.name ?? i), path: `${workload.podSpecPath}.${field}[${i}]`, requests, limits, text, init });
    });
  }
  return out;
}

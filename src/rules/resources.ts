// Container resources as the API server and the LimitRanger admission plugin leave them.
import { ContainerLimitItem, Namespace, Workload } from '../model/cluster-model';
import { isRecord } from '../private/json';
import { parseQuantityNanos } from '../private/quantity';

/** The resources the LimitRange and the quota govern. */
export const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;
export type ResourceName = typeof RESOURCES[number];

/** Requests and limits of one container after the LimitRange defaults apply, exactly, in nano-units. */
export interface EffectiveResources {
  readonly container: string;
  readonly path: string;
  readonly requests: { [r in ResourceName]?: bigint };
  readonly limits: { [r in ResourceName]?: bigint };
  /** The text of each value (`requests.cpu`: `500m`), for messages. */
  readonly text: { [key: string]: string };
  readonly init: boolean;
}

/** The `type: Container` items of every LimitRange of the namespace, in input order. */
export function containerLimitItems(ns: Namespace): ContainerLimitItem[] {
  return ns.limitRanges.flatMap(r => r.containerLimits);
}

/**
 * The effective resources of each container of a workload: the API server first copies a missing
 * request from the limit, then the LimitRange fills in its defaults (the first LimitRange that has
 * a default for a resource sets it).
 */
export function effectiveResources(workload: Workload, items: readonly ContainerLimitItem[]): EffectiveResources[] {
  const defaultOf = (field: 'default' | 'defaultRequest', r: ResourceName) => items.find(i => i[field][r] !== undefined)?.[field][r];
  const out: EffectiveResources[] = [];
  for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
    const containers = workload.template.spec[field];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: unknown, i) => {
      const resources = isRecord(c) && isRecord(c.resources) ? c.resources : {};
      const ownLimits = isRecord(resources.limits) ? resources.limits : {};
      const ownRequests = isRecord(resources.requests) ? resources.requests : {};
      const requests: { [r: string]: bigint } = {};
      const limits: { [r: string]: bigint } = {};
      const text: { [key: string]: string } = {};
      for (const r of RESOURCES) {
        const limit = String(ownLimits[r] ?? defaultOf('default', r) ?? '');
        const request = String(ownRequests[r] ?? ownLimits[r] ?? defaultOf('defaultRequest', r) ?? '');
        const l = parseQuantityNanos(limit);
        const q = parseQuantityNanos(request);
        if (l !== undefined) { limits[r] = l; text[`limits.${r}`] = limit; }
        if (q !== undefined) { requests[r] = q; text[`requests.${r}`] = request; }
      }
      const name = isRecord(c) && typeof c.name === 'string' ? c.name : String(i);
      out.push({ container: name, path: `${workload.template.path}.${field}[${i}]`, requests, limits, text, init });
    });
  }
  return out;
}

import { ModelObject } from '../../model/cluster-model';
import { compareText } from '../../private/json';

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export function ref(o: Pick<ModelObject, 'kind' | 'name' | 'namespace'>): string {
  return `${o.kind} ${o.namespace === undefined ? o.name : `${o.namespace}/${o.name}`}`;
}

/** Distinct references, in the order first given. */
export function refs(objects: Iterable<Pick<ModelObject, 'kind' | 'name' | 'namespace'> | undefined>): string[] {
  return [...new Set([...objects].filter((o): o is ModelObject => o !== undefined).map(ref))];
}

/** `a, b and c`. */
export function listText(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareText);
}

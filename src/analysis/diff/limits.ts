// The ResourceQuota and LimitRange values of each namespace, before and after a change, key by key.
// Several quotas of a namespace all apply, so a key holds the smallest value among them; a scoped
// quota (it counts only some pods) keeps its own keys. LimitRange entries are keyed by type and
// field: `LimitRange Container max.cpu`, the tightest value when several LimitRanges set one.
import { ClusterModel, Namespace } from '../../model/cluster-model';
import { compareText, isRecord } from '../../private/json';
import { parseQuantity } from '../../private/quantity';

/** One key of a namespace whose value changed; null where it is not set. */
export interface LimitChange {
  readonly namespace: string;
  readonly key: string;
  readonly before: string | null;
  readonly after: string | null;
  /** The change lets the namespace use more: a quota or maximum raised or removed. */
  readonly raises: boolean;
}

/** How a key tightens: by a smaller value (quotas, maximums), a larger one (minimums), or not at all (defaults). */
type Direction = 'upper' | 'lower' | 'none';

interface Limit {
  readonly value: string;
  readonly direction: Direction;
}

const LIMIT_RANGE_FIELDS: Readonly<Record<string, Direction>> = {
  max: 'upper',
  maxLimitRequestRatio: 'upper',
  min: 'lower',
  default: 'none',
  defaultRequest: 'none',
};

/** The keys of the head's namespaces whose values differ from the base's, by namespace and key. */
export function compareLimits(base: ClusterModel, head: ClusterModel): LimitChange[] {
  const changes: LimitChange[] = [];
  for (const ns of head.namespaces) {
    const old = base.namespace(ns.name);
    const before = old ? limitsOf(old) : new Map<string, Limit>();
    const after = limitsOf(ns);
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(key);
      const now = after.get(key);
      if (was?.value === now?.value) continue;
      const direction = (now ?? was)!.direction;
      const [x, y] = [was?.value, now?.value];
      changes.push({ namespace: ns.name, key, before: x ?? null, after: y ?? null, raises: raises(direction, x, y) });
    }
  }
  return changes.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.key, b.key));
}

/** Whether going from `before` to `after` lets the namespace use more: an upper bound raised or removed. */
function raises(direction: Direction, before: string | undefined, after: string | undefined): boolean {
  // A minimum or a default guards no boundary; a new limit only tightens.
  if (direction !== 'upper' || before === undefined) return false;
  if (after === undefined) return true; // a limit removed
  const [x, y] = [parseQuantity(before), parseQuantity(after)];
  if (x === undefined || y === undefined) return true; // a value that is no quantity cannot be shown to be tighter
  return y > x;
}

/** Every quota and LimitRange key of a namespace with its effective value. */
function limitsOf(ns: Namespace): Map<string, Limit> {
  const limits = new Map<string, Limit>();
  const set = (key: string, value: string, direction: Direction) => {
    const known = limits.get(key);
    if (!known || tighter(value, known.value, direction)) limits.set(key, { value, direction });
  };
  for (const quota of ns.resourceQuotas) {
    for (const [resource, value] of Object.entries(quota.hard)) {
      set(quota.scoped ? `${resource} (scoped quota ${quota.name})` : resource, value, 'upper');
    }
  }
  for (const range of ns.limitRanges) {
    const spec = range.manifest.object.spec;
    const items = isRecord(spec) && Array.isArray(spec.limits) ? spec.limits : [];
    for (const item of items) {
      if (!isRecord(item)) continue;
      const type = typeof item.type === 'string' ? item.type : 'Container';
      for (const [field, direction] of Object.entries(LIMIT_RANGE_FIELDS)) {
        const values = item[field];
        if (!isRecord(values)) continue;
        for (const [resource, value] of Object.entries(values)) {
          if (value !== null && value !== undefined) set(`LimitRange ${type} ${field}.${resource}`, String(value), direction);
        }
      }
    }
  }
  return limits;
}

/** Whether `value` binds harder than `known`; for defaults the first one read stays. */
function tighter(value: string, known: string, direction: Direction): boolean {
  const [x, y] = [parseQuantity(value), parseQuantity(known)];
  if (direction === 'none' || x === undefined || y === undefined) return false;
  return direction === 'upper' ? x < y : x > y;
}

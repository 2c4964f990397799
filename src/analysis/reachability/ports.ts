import { MAX_PORT, MIN_PORT, PROTOCOLS, ProtocolName as Protocol } from '../../model/vocabulary';

/** An inclusive range of ports on one protocol. */
export interface PortRange {
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
}

/** Sorted, disjoint, non-adjacent inclusive intervals, flattened as [from0, to0, from1, to1, ...]. */
type Intervals = readonly number[];

const FULL: Intervals = [MIN_PORT, MAX_PORT];
const EMPTY: Intervals = [];

/**
 * An immutable set of (protocol, port) pairs over TCP/UDP/SCTP ports 1-65535, stored as intervals
 * so "all ports" or a large endPort range costs the same as a single port.
 */
export class PortSet {
  static readonly NONE = new PortSet([EMPTY, EMPTY, EMPTY]);
  static readonly ALL = new PortSet([FULL, FULL, FULL]);

  /** Every port of one protocol. */
  static protocol(protocol: Protocol): PortSet {
    return PortSet.range(protocol, MIN_PORT, MAX_PORT);
  }

  /** One port, or the inclusive range from..to, of one protocol. */
  static range(protocol: Protocol, from: number, to: number = from): PortSet {
    const lo = Math.max(from, MIN_PORT);
    const hi = Math.min(to, MAX_PORT);
    const byProtocol: Intervals[] = [EMPTY, EMPTY, EMPTY];
    byProtocol[PROTOCOLS.indexOf(protocol)] = lo <= hi ? [lo, hi] : EMPTY;
    return new PortSet(byProtocol);
  }

  /** The union of several ranges. */
  static of(ranges: readonly PortRange[]): PortSet {
    return ranges.reduce((acc, r) => acc.union(PortSet.range(r.protocol, r.from, r.to)), PortSet.NONE);
  }

  /** A canonical string; equal sets have equal keys. */
  readonly key: string;
  private text?: string;

  /** No port of any protocol. */
  readonly isEmpty: boolean;
  /** Every port of every protocol. */
  readonly isAll: boolean;

  private constructor(private readonly byProtocol: readonly Intervals[]) {
    this.key = byProtocol.map((iv) => iv.join(',')).join('|');
    // Asked of a million matrix cells: answered once per set.
    this.isEmpty = byProtocol.every((iv) => iv.length === 0);
    this.isAll = byProtocol.every((iv) => iv.length === 2 && iv[0] === MIN_PORT && iv[1] === MAX_PORT);
  }

  contains(protocol: Protocol, port: number): boolean {
    const iv = this.byProtocol[PROTOCOLS.indexOf(protocol)];
    for (let i = 0; i < iv.length && iv[i] <= port; i += 2) {
      if (port <= iv[i + 1]) return true;
    }
    return false;
  }

  union(other: PortSet): PortSet {
    return new PortSet(this.byProtocol.map((iv, i) => unionIntervals(iv, other.byProtocol[i])));
  }

  intersect(other: PortSet): PortSet {
    return new PortSet(this.byProtocol.map((iv, i) => intersectIntervals(iv, other.byProtocol[i])));
  }

  /** The ports of this set that are not in `other`. */
  subtract(other: PortSet): PortSet {
    return new PortSet(this.byProtocol.map((iv, i) => subtractIntervals(iv, other.byProtocol[i])));
  }

  equals(other: PortSet): boolean {
    return this.key === other.key;
  }

  /** The ranges of this set, ordered by protocol then port. */
  ranges(): PortRange[] {
    const out: PortRange[] = [];
    this.byProtocol.forEach((iv, p) => {
      for (let i = 0; i < iv.length; i += 2) out.push({ protocol: PROTOCOLS[p], from: iv[i], to: iv[i + 1] });
    });
    return out;
  }

  /**
   * Compact text such as `TCP 53, UDP 53, TCP 8080-8090`, `all TCP`, `all` or `none`. Ranges are
   * ordered by port, then protocol, so related TCP/UDP entries (like DNS) sit side by side.
   */
  toString(): string {
    // Sets are immutable and a matrix prints the same few sets a million times: word each once.
    this.text ??= this.describe();
    return this.text;
  }

  private describe(): string {
    if (this.isAll) return 'all';
    if (this.isEmpty) return 'none';
    const parts: Array<{ order: number; text: string }> = [];
    this.byProtocol.forEach((iv, p) => {
      const protocol = PROTOCOLS[p];
      if (iv.length === 2 && iv[0] === MIN_PORT && iv[1] === MAX_PORT) {
        parts.push({ order: p - PROTOCOLS.length, text: `all ${protocol}` }); // whole protocols first
        return;
      }
      for (let i = 0; i < iv.length; i += 2) {
        const text = iv[i] === iv[i + 1] ? `${protocol} ${iv[i]}` : `${protocol} ${iv[i]}-${iv[i + 1]}`;
        parts.push({ order: iv[i] * PROTOCOLS.length + p, text });
      }
    });
    return parts.sort((a, b) => a.order - b.order).map((x) => x.text).join(', ');
  }
}

function unionIntervals(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const all: Array<[number, number]> = [];
  for (let i = 0; i < a.length; i += 2) all.push([a[i], a[i + 1]]);
  for (let i = 0; i < b.length; i += 2) all.push([b[i], b[i + 1]]);
  all.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [from, to] of all) {
    const last = out.length - 1;
    if (last > 0 && from <= out[last] + 1) {
      out[last] = Math.max(out[last], to); // overlapping or adjacent: extend
    } else {
      out.push(from, to);
    }
  }
  return out;
}

function intersectIntervals(a: Intervals, b: Intervals): Intervals {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i], b[j]);
    const to = Math.min(a[i + 1], b[j + 1]);
    if (from <= to) out.push(from, to);
    if (a[i + 1] < b[j + 1]) i += 2; else j += 2;
  }
  return out;
}

function subtractIntervals(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0 || b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let from = a[i];
    const to = a[i + 1];
    while (j < b.length && b[j + 1] < from) j += 2; // holes entirely before this interval
    let k = j;
    while (k < b.length && b[k] <= to && from <= to) {
      if (b[k] > from) out.push(from, b[k] - 1);
      from = Math.max(from, b[k + 1] + 1);
      k += 2;
    }
    if (from <= to) out.push(from, to);
  }
  return out;
}

/**
 * Interns PortSets as small integers and memoises union/intersection by id, so the pair loops of
 * the matrices combine port sets with a couple of array look-ups instead of interval arithmetic.
 */
export class PortSetStore {
  static readonly NONE = 0;
  static readonly ALL = 1;

  private readonly sets: PortSet[] = [];
  private readonly ids = new Map<string, number>();
  private readonly unions: number[][] = [];
  private readonly intersections: number[][] = [];
  private readonly differences: number[][] = [];

  constructor() {
    this.intern(PortSet.NONE);
    this.intern(PortSet.ALL);
  }

  get size(): number {
    return this.sets.length;
  }

  intern(set: PortSet): number {
    const known = this.ids.get(set.key);
    if (known !== undefined) return known;
    const id = this.sets.length;
    this.sets.push(set);
    this.ids.set(set.key, id);
    return id;
  }

  get(id: number): PortSet {
    return this.sets[id];
  }

  union(a: number, b: number): number {
    if (a === b || b === PortSetStore.NONE || a === PortSetStore.ALL) return a;
    if (a === PortSetStore.NONE || b === PortSetStore.ALL) return b;
    return this.memo(this.unions, a, b, (x, y) => x.union(y));
  }

  intersect(a: number, b: number): number {
    if (a === b || b === PortSetStore.ALL || a === PortSetStore.NONE) return a;
    if (a === PortSetStore.ALL || b === PortSetStore.NONE) return b;
    return this.memo(this.intersections, a, b, (x, y) => x.intersect(y));
  }

  /** The ports of `a` that are not in `b`. */
  subtract(a: number, b: number): number {
    if (a === b || b === PortSetStore.ALL || a === PortSetStore.NONE) return PortSetStore.NONE;
    if (b === PortSetStore.NONE) return a;
    const row = this.differences[a] ?? (this.differences[a] = []);
    const cached = row[b];
    if (cached !== undefined) return cached;
    const id = this.intern(this.sets[a].subtract(this.sets[b]));
    row[b] = id;
    return id;
  }

  private memo(table: number[][], a: number, b: number, op: (x: PortSet, y: PortSet) => PortSet): number {
    const lo = Math.min(a, b); // both operations are commutative
    const hi = Math.max(a, b);
    const row = table[lo] ?? (table[lo] = []);
    const cached = row[hi];
    if (cached !== undefined) return cached;
    const id = this.intern(op(this.sets[lo], this.sets[hi]));
    row[hi] = id;
    return id;
  }
}

// Sets of IP addresses as exact interval lists, one per family: what an ipBlock with its excepts
// holds, the public address space, the cluster's declared ranges. Union, intersection and
// difference are exact, and any set can be written back as the fewest CIDR blocks that cover it
// exactly, so "which addresses does this namespace reach" has an answer that is neither sampled
// nor rounded.
import * as ipaddr from 'ipaddr.js';
import { AddressFamily, cidrBounds, IpAddress, parseCidr, ParsedCidr, unmapped } from './cidr';

/** Sorted, disjoint, non-adjacent inclusive intervals, flattened as [lo0, hi0, lo1, hi1, ...]. */
type Intervals = readonly bigint[];

const WIDTH: Readonly<Record<AddressFamily, number>> = { ipv4: 32, ipv6: 128 };
const LAST: Readonly<Record<AddressFamily, bigint>> = { ipv4: 2n ** 32n - 1n, ipv6: 2n ** 128n - 1n };
const FAMILIES: readonly AddressFamily[] = ['ipv4', 'ipv6'];

/** An immutable set of IPv4 and IPv6 addresses. */
export class AddressSet {
  static readonly EMPTY = new AddressSet([], []);
  /** Every IPv4 and every IPv6 address. */
  static readonly ALL = new AddressSet([0n, LAST.ipv4], [0n, LAST.ipv6]);

  /** Every address of one family. */
  static family(family: AddressFamily): AddressSet {
    return family === 'ipv4' ? new AddressSet([0n, LAST.ipv4], []) : new AddressSet([], [0n, LAST.ipv6]);
  }

  /** The addresses of a block; IPv4-mapped IPv6 blocks (`::ffff:10.0.0.0/104`) are read as the IPv4 block they embed. */
  static ofCidr(cidr: ParsedCidr): AddressSet {
    const block = unmapped(cidr);
    const [lo, hi] = cidrBounds(block);
    return block.family === 'ipv4' ? new AddressSet([lo, hi], []) : new AddressSet([], [lo, hi]);
  }

  /** The addresses of the blocks written as text (each must parse; see parseCidr). */
  static ofCidrs(cidrs: readonly string[]): AddressSet {
    return cidrs.reduce((acc, text) => acc.union(AddressSet.ofCidr(parseCidr(text)!)), AddressSet.EMPTY);
  }

  /** One address (IPv4-mapped IPv6 addresses read as IPv4). */
  static ofAddress(ip: IpAddress): AddressSet {
    const family: AddressFamily = ip.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
    return AddressSet.ofCidr({ family, address: ip, prefix: WIDTH[family] });
  }

  /** A set from interval lists per family, each sorted, disjoint and non-adjacent (as `bounds` gives them). */
  static fromIntervals(v4: readonly bigint[], v6: readonly bigint[]): AddressSet {
    return new AddressSet(v4, v6);
  }

  /** A canonical text; equal sets have equal keys. */
  readonly key: string;

  private constructor(private readonly v4: Intervals, private readonly v6: Intervals) {
    this.key = `${v4.join(',')}|${v6.join(',')}`;
  }

  get isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  /** The number of addresses of one family. */
  size(family: AddressFamily): bigint {
    const iv = this.of(family);
    let total = 0n;
    for (let i = 0; i < iv.length; i += 2) total += iv[i + 1] - iv[i] + 1n;
    return total;
  }

  contains(ip: IpAddress): boolean {
    const [family, value] = addressValue(ip);
    return containsValue(this.of(family), value);
  }

  union(other: AddressSet): AddressSet {
    return this.combine(other, (a, b) => a || b);
  }

  intersect(other: AddressSet): AddressSet {
    return this.combine(other, (a, b) => a && b);
  }

  subtract(other: AddressSet): AddressSet {
    return this.combine(other, (a, b) => a && !b);
  }

  /** Whether every address of `other` is in this set. */
  covers(other: AddressSet): boolean {
    return other.subtract(this).isEmpty;
  }

  /** Whether the two sets share an address. */
  overlaps(other: AddressSet): boolean {
    return !this.intersect(other).isEmpty;
  }

  equals(other: AddressSet): boolean {
    return this.key === other.key;
  }

  /** The lowest address of the set (IPv4 before IPv6), or undefined when empty. */
  first(): IpAddress | undefined {
    if (this.v4.length > 0) return toAddress('ipv4', this.v4[0]);
    if (this.v6.length > 0) return toAddress('ipv6', this.v6[0]);
    return undefined;
  }

  /** Every interval's lowest and highest address, by family (for partitioning the address space). */
  bounds(family: AddressFamily): readonly bigint[] {
    return this.of(family);
  }

  /**
   * The fewest CIDR blocks that hold exactly these addresses, IPv4 first, each family by address
   * (`10.0.0.0/8`, `52.0.0.0/8`, `2600::/16`).
   */
  toCidrs(): string[] {
    const out: string[] = [];
    for (const family of FAMILIES) {
      const iv = this.of(family);
      for (let i = 0; i < iv.length; i += 2) out.push(...intervalCidrs(family, iv[i], iv[i + 1]));
    }
    return out;
  }

  /** The blocks joined by commas; `none` for the empty set. */
  toString(): string {
    return this.isEmpty ? 'none' : this.toCidrs().join(', ');
  }

  private of(family: AddressFamily): Intervals {
    return family === 'ipv4' ? this.v4 : this.v6;
  }

  private combine(other: AddressSet, keep: (a: boolean, b: boolean) => boolean): AddressSet {
    return new AddressSet(sweep(this.v4, other.v4, keep), sweep(this.v6, other.v6, keep));
  }
}

/** The family and numeric value of an address (an IPv4-mapped IPv6 address as its IPv4 one). */
function addressValue(ip: IpAddress): [AddressFamily, bigint] {
  let bytes = ip.toByteArray();
  let family: AddressFamily = ip.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  if (family === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    bytes = bytes.slice(12);
    family = 'ipv4';
  }
  let value = 0n;
  for (const byte of bytes) value = value * 256n + BigInt(byte);
  return [family, value];
}

function toAddress(family: AddressFamily, value: bigint): IpAddress {
  const count = WIDTH[family] / 8;
  const bytes: number[] = [];
  let v = value;
  for (let i = 0; i < count; i++) {
    bytes.unshift(Number(v % 256n));
    v /= 256n;
  }
  return family === 'ipv4' ? new ipaddr.IPv4(bytes) : new ipaddr.IPv6(bytes);
}

/**
 * Combines two interval lists point-wise with `keep`: a sweep over the boundaries of both, where
 * each elementary segment is in the result when `keep(inA, inB)` holds.
 */
function sweep(a: Intervals, b: Intervals, keep: (a: boolean, b: boolean) => boolean): bigint[] {
  // Boundaries: each interval [lo, hi] opens at lo and closes after hi.
  const points = new Set<bigint>();
  for (const iv of [a, b]) {
    for (let i = 0; i < iv.length; i += 2) {
      points.add(iv[i]);
      points.add(iv[i + 1] + 1n);
    }
  }
  const sorted = [...points].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const out: bigint[] = [];
  let ia = 0;
  let ib = 0;
  for (let k = 0; k + 1 < sorted.length; k++) {
    const lo = sorted[k];
    const hi = sorted[k + 1] - 1n;
    while (ia < a.length && a[ia + 1] < lo) ia += 2;
    while (ib < b.length && b[ib + 1] < lo) ib += 2;
    const inA = ia < a.length && a[ia] <= lo;
    const inB = ib < b.length && b[ib] <= lo;
    if (!keep(inA, inB)) continue;
    // Merge with the previous kept segment when adjacent, so the result stays canonical.
    if (out.length > 0 && out[out.length - 1] + 1n === lo) out[out.length - 1] = hi;
    else out.push(lo, hi);
  }
  return out;
}

/** The fewest CIDR blocks covering exactly [lo, hi]: the largest aligned block at each step. */
function intervalCidrs(family: AddressFamily, lo: bigint, hi: bigint): string[] {
  const width = WIDTH[family];
  const out: string[] = [];
  let start = lo;
  while (start <= hi) {
    let size = 0; // log2 of the block size
    while (size < width) {
      const next = 2n ** BigInt(size + 1);
      if (start % next !== 0n || start + next - 1n > hi) break;
      size++;
    }
    out.push(`${toAddress(family, start).toString()}/${width - size}`);
    start += 2n ** BigInt(size);
  }
  return out;
}

/**
 * Splits `population` into the classes of addresses that every one of `predicates` treats alike:
 * within a class, each predicate holds for all addresses or for none. Classes are in address order
 * of their lowest address; each holds every address with its membership pattern, contiguous or not.
 * One class (the population itself) when no predicate cuts it.
 */
export function partitionAddresses(population: AddressSet, predicates: readonly AddressSet[]): AddressSet[] {
  if (population.isEmpty) return [];
  const cutting = predicates.filter((p) => p.overlaps(population) && !p.covers(population));
  if (cutting.length === 0) return [population];
  const classes = new Map<string, bigint[][]>(); // signature -> per family interval lists
  const order: string[] = [];
  FAMILIES.forEach((family, f) => {
    const own = population.bounds(family);
    if (own.length === 0) return;
    const points = new Set<bigint>();
    for (const set of [population, ...cutting]) {
      const iv = set.bounds(family);
      for (let i = 0; i < iv.length; i += 2) {
        points.add(iv[i]);
        points.add(iv[i + 1] + 1n);
      }
    }
    const sorted = [...points].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    for (let k = 0; k + 1 < sorted.length; k++) {
      const lo = sorted[k];
      if (!containsValue(own, lo)) continue;
      const hi = sorted[k + 1] - 1n;
      const signature = cutting.map((p) => (containsValue(p.bounds(family), lo) ? '1' : '0')).join('');
      let lists = classes.get(signature);
      if (!lists) {
        lists = [[], []];
        classes.set(signature, lists);
        order.push(signature);
      }
      const list = lists[f];
      // Segments come in address order, so adjacent ones merge at the end of the list.
      if (list.length > 0 && list[list.length - 1] + 1n === lo) list[list.length - 1] = hi;
      else list.push(lo, hi);
    }
  });
  return order.map((s) => AddressSet.fromIntervals(classes.get(s)![0], classes.get(s)![1]));
}

/** Binary search of a value among sorted intervals. */
function containsValue(iv: readonly bigint[], value: bigint): boolean {
  let lo = 0;
  let hi = iv.length / 2 - 1;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (value < iv[2 * mid]) hi = mid - 1;
    else if (value > iv[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Every address of `cidrs` (texts that parse) and none of `except`: an ipBlock's addresses. */
export function blockAddresses(cidr: ParsedCidr, except: readonly ParsedCidr[]): AddressSet {
  return except.reduce((acc, e) => acc.subtract(AddressSet.ofCidr(e)), AddressSet.ofCidr(cidr));
}

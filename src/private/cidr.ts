// The one IP and CIDR parser of the library: constructs and the manifest model read addresses the
// same way. Only canonical forms are accepted (dotted-decimal IPv4 without leading zeros, IPv6
// without a zone, a decimal prefix), so nothing is read differently from how Kubernetes reads it.
import * as ipaddr from 'ipaddr.js';

/** Address families an ipBlock can hold. */
export type AddressFamily = 'ipv4' | 'ipv6';

/** A parsed IP address. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed CIDR block. */
export interface ParsedCidr {
  readonly family: AddressFamily;
  readonly address: IpAddress;
  readonly prefix: number;
}

const IPV4_OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);
// Hex groups only, with an optional dotted IPv4 tail (checked on its own: ipaddr.js would read
// "::ffff:012.0.0.1" and "::ffff:0xa.0.0.1", which Kubernetes refuses).
const IPV6 = /^[0-9a-fA-F:]+$/;
const IPV6_WITH_IPV4_TAIL = /^([0-9a-fA-F:]+:)([^:]+)$/;
const PREFIX = /^(0|[1-9][0-9]*)$/;

/** Parses a single address, or returns undefined. */
export function parseIp(text: unknown): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  if (IPV4.test(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(':')) return undefined;
  const tail = IPV6_WITH_IPV4_TAIL.exec(text);
  const shapeOk = IPV6.test(text) || (tail !== null && tail[2].includes('.') && IPV4.test(tail[2]));
  if (shapeOk && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** Parses `address/prefix`, or returns undefined. Host bits may be set (the API server accepts them). */
export function parseCidr(text: unknown): ParsedCidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0 || !PREFIX.test(text.slice(slash + 1))) return undefined;
  const address = parseIp(text.slice(0, slash));
  if (!address) return undefined;
  const family: AddressFamily = address.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  const prefix = Number(text.slice(slash + 1));
  if (prefix > (family === 'ipv4' ? 32 : 128)) return undefined;
  return { family, address, prefix };
}

/** Whether `address` lies in `cidr` (never across families). */
export function cidrContains(cidr: ParsedCidr, address: IpAddress): boolean {
  return address.kind() === cidr.address.kind() && (address as any).match(cidr.address, cidr.prefix);
}

/** The canonical network form of a CIDR (host bits cleared). */
export function networkOf(cidr: ParsedCidr): string {
  const text = `${cidr.address.toString()}/${cidr.prefix}`;
  const network = cidr.family === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(text)
    : ipaddr.IPv6.networkAddressFromCIDR(text);
  return `${network.toString()}/${cidr.prefix}`;
}

/**
 * Why `cidr` cannot be used in an ipBlock of the given family, with a suggestion; undefined when fine.
 */
export function cidrProblem(cidr: string, family: AddressFamily): string | undefined {
  const parsed = parseCidr(cidr);
  const example = family === 'ipv4' ? '10.0.0.0/8' : 'fd00::/8';
  if (!parsed) {
    const bare = parseIp(cidr);
    return bare
      ? `"${cidr}" has no prefix length; did you mean "${cidr}/${bare.kind() === 'ipv4' ? 32 : 128}"?`
      : `"${cidr}" is not a CIDR block; write it as address/prefix in canonical form (no leading zeros), for example "${example}"`;
  }
  if (parsed.family !== family) {
    return `"${cidr}" is an ${parsed.family === 'ipv4' ? 'IPv4' : 'IPv6'} block; use Peer.${parsed.family}() for it`;
  }
  const network = networkOf(parsed);
  if (network !== `${parsed.address.toString()}/${parsed.prefix}`) {
    return `"${cidr}" has host bits set; did you mean "${network}"?`;
  }
  return undefined;
}

/** Whether `inner` lies inside `outer` and is strictly smaller. */
export function strictlyContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  return outer.family === inner.family && inner.prefix > outer.prefix && cidrContains(outer, inner.address);
}

/** The first and last address of a block, as integers (IPv4 in 32 bits, IPv6 in 128). */
export function cidrBounds(cidr: ParsedCidr): [bigint, bigint] {
  const bits = cidr.family === 'ipv4' ? 32 : 128;
  let value = 0n;
  for (const byte of cidr.address.toByteArray()) value = value * 256n + BigInt(byte);
  const size = 2n ** BigInt(bits - cidr.prefix);
  const first = value - (value % size);
  return [first, first + size - 1n];
}

/**
 * Whether the addresses of `block` minus those of `except` include any address of `target`
 * (blocks of another family than `target` never do).
 */
export function opensAnyOf(block: ParsedCidr, except: readonly ParsedCidr[], target: ParsedCidr): boolean {
  if (block.family !== target.family) return false;
  const [b0, b1] = cidrBounds(block);
  const [t0, t1] = cidrBounds(target);
  let from = b0 > t0 ? b0 : t0;
  const to = b1 < t1 ? b1 : t1;
  if (from > to) return false;
  // Walk the excepted intervals in order; any gap left in [from, to] is open.
  const holes = except.filter(e => e.family === block.family).map(cidrBounds).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  for (const [e0, e1] of holes) {
    if (e0 > from) return true;
    if (e1 >= from) from = e1 + 1n;
    if (from > to) return false;
  }
  return true;
}

/**
 * The canonical, minimal form of a list of blocks of one family: network addresses, blocks inside
 * another dropped, sibling halves merged into their parent, sorted by address.
 */
export function minimalCidrs(cidrs: readonly string[]): string[] {
  let blocks = cidrs.map(c => parseCidr(c)).filter((c): c is ParsedCidr => c !== undefined).map(c => parseCidr(networkOf(c))!);
  for (;;) {
    const sorted = blocks
      .map(b => ({ b, bounds: cidrBounds(b) }))
      .sort((x, y) => (x.bounds[0] < y.bounds[0] ? -1 : x.bounds[0] > y.bounds[0] ? 1 : x.b.prefix - y.b.prefix));
    const kept: typeof sorted = [];
    for (const entry of sorted) {
      const last = kept[kept.length - 1];
      if (last && last.b.family === entry.b.family && entry.bounds[1] <= last.bounds[1]) continue; // inside the previous one
      kept.push(entry);
    }
    const merged: ParsedCidr[] = [];
    let changed = false;
    for (let i = 0; i < kept.length; i++) {
      const a = kept[i].b;
      const next = kept[i + 1]?.b;
      if (next && a.family === next.family && a.prefix === next.prefix && a.prefix > 0) {
        const parent = parseCidr(networkOf({ ...a, prefix: a.prefix - 1 }))!;
        if (cidrContains(parent, next.address) && cidrBounds(parent)[0] === kept[i].bounds[0]) {
          merged.push(parent);
          changed = true;
          i++;
          continue;
        }
      }
      merged.push(a);
    }
    blocks = merged;
    if (!changed) return blocks.map(b => `${b.address.toString()}/${b.prefix}`);
  }
}

const MAPPED_IPV4 = parseCidr('::ffff:0:0/96')!;

/**
 * An IPv4-mapped IPv6 block (`::ffff:10.0.0.0/104`) as the IPv4 block it embeds; any other block
 * unchanged. Traffic to a mapped address leaves a dual-stack socket as IPv4.
 */
export function unmapped(cidr: ParsedCidr): ParsedCidr {
  if (cidr.family !== 'ipv6' || cidr.prefix < 96 || !cidrContains(MAPPED_IPV4, cidr.address)) return cidr;
  const bytes = cidr.address.toByteArray().slice(12);
  return { family: 'ipv4', address: new ipaddr.IPv4(bytes), prefix: cidr.prefix - 96 };
}

/** A single address as the block holding only it. */
export function hostCidr(address: IpAddress): ParsedCidr {
  return address.kind() === 'ipv4' ? { family: 'ipv4', address, prefix: 32 } : { family: 'ipv6', address, prefix: 128 };
}

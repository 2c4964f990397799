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
const PREFIX = /^(0|[1-9][0-9]*)$/;

/** Parses a single address, or returns undefined. */
export function parseIp(text: unknown): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  if (IPV4.test(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
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

/** The private IPv4 ranges, which cluster-internal addresses come from. */
export const PRIVATE_IPV4_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

const PRIVATE_RANGES = [...PRIVATE_IPV4_RANGES, '169.254.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fe80::/10'].map(c => parseCidr(c)!);

/** Whether every address of the block is private or link-local (not on the internet). */
export function isPrivateBlock(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  if (!parsed) return false;
  return PRIVATE_RANGES.some(range => range.family === parsed.family && parsed.prefix >= range.prefix && cidrContains(range, parsed.address));
}

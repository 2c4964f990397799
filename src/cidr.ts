import * as ipaddr from 'ipaddr.js';

/** Address families an ipBlock can hold. @internal */
export type AddressFamily = 'ipv4' | 'ipv6';

/** A parsed CIDR block. @internal */
export interface ParsedCidr {
  readonly family: AddressFamily;
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
  readonly prefix: number;
}

/** Parses a CIDR, or returns undefined. @internal */
export function parseCidr(cidr: string): ParsedCidr | undefined {
  if (typeof cidr !== 'string' || !cidr.includes('/')) return undefined;
  try {
    const [address, prefix] = ipaddr.parseCIDR(cidr);
    return { family: address.kind() as AddressFamily, address, prefix };
  } catch {
    return undefined;
  }
}

/** The canonical network form of a CIDR (host bits cleared). @internal */
export function networkOf(cidr: ParsedCidr): string {
  const text = `${cidr.address.toString()}/${cidr.prefix}`;
  const network = cidr.family === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(text)
    : ipaddr.IPv6.networkAddressFromCIDR(text);
  return `${network.toString()}/${cidr.prefix}`;
}

/**
 * Why `cidr` cannot be used in an ipBlock of the given family, with a suggestion; undefined when fine.
 * @internal
 */
export function cidrProblem(cidr: string, family: AddressFamily): string | undefined {
  const parsed = parseCidr(cidr);
  const example = family === 'ipv4' ? '10.0.0.0/8' : 'fd00::/8';
  if (!parsed) {
    const bare = typeof cidr === 'string' && !cidr.includes('/') && ipaddr.isValid(cidr);
    return bare
      ? `"${cidr}" has no prefix length; did you mean "${cidr}/${ipaddr.parse(cidr).kind() === 'ipv4' ? 32 : 128}"?`
      : `"${cidr}" is not a CIDR block; write it as address/prefix, for example "${example}"`;
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

/** Whether `inner` lies inside `outer` and is strictly smaller. @internal */
export function strictlyContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || inner.prefix <= outer.prefix) return false;
  return (inner.address as any).match(outer.address, outer.prefix);
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fe80::/10']
  .map(c => parseCidr(c)!);

/** The private and link-local ranges, which cluster-internal addresses come from. @internal */
export const PRIVATE_IPV4_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** Whether every address of the block is private or link-local (not on the internet). @internal */
export function isPrivateBlock(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  if (!parsed) return false;
  return PRIVATE_RANGES.some(range =>
    range.family === parsed.family
    && parsed.prefix >= range.prefix
    && (parsed.address as any).match(range.address, range.prefix));
}

// NetworkPolicy ipBlocks and pod IPs, read with the library's one address parser.
import { FieldError } from './manifests';
import { AddressSet, blockAddresses } from '../private/address-set';
import { cidrContains, hostCidr, IpAddress, opensAnyOf, parseCidr, parseIp, ParsedCidr, unmapped } from '../private/cidr';
import { isRecord } from '../private/json';

export type { IpAddress } from '../private/cidr';

/** Parses a pod IP (canonical dotted-decimal IPv4 or IPv6). */
export function parsePodIp(text: unknown, path: string): IpAddress {
  const ip = parseIp(text);
  if (!ip) throw new FieldError(path, `invalid IP address ${JSON.stringify(text)}`);
  return ip;
}

function cidrAt(text: unknown, path: string): ParsedCidr {
  // Host bits may be set (10.0.1.10/4): the API server accepts that.
  const cidr = parseCidr(text);
  if (!cidr) {
    throw new FieldError(path, `invalid CIDR ${JSON.stringify(text)}: write it as address/prefix in canonical form (decimal, no leading zeros, no IPv6 zone), `
      + 'for example "10.0.0.0/8"');
  }
  return cidr;
}

/** A NetworkPolicy ipBlock: an address is in the block if it is in `cidr` and in none of `except`. */
export class IpBlock {
  static parse(raw: unknown, path: string): IpBlock {
    if (!isRecord(raw)) {
      throw new FieldError(path, 'must be a mapping with cidr and optional except');
    }
    const cidr = cidrAt(raw.cidr, `${path}.cidr`);
    const rawExcept = raw.except ?? [];
    if (!Array.isArray(rawExcept)) {
      throw new FieldError(`${path}.except`, 'must be a list of CIDRs');
    }
    const except = rawExcept.map((e, i) => cidrAt(e, `${path}.except[${i}]`));
    return new IpBlock(String(raw.cidr), rawExcept.map(String), cidr, except);
  }

  /** A block of one CIDR without exceptions (a network-policy-api `networks` entry). */
  static ofCidr(raw: unknown, path: string): IpBlock {
    return new IpBlock(String(raw), [], cidrAt(raw, path), []);
  }

  /** The ranges pod IPs are matched against, mapped forms read as IPv4. */
  private readonly matchRange: ParsedCidr;
  private readonly matchExcept: readonly ParsedCidr[];
  private addressSet?: AddressSet;

  private constructor(
    readonly cidr: string,
    readonly except: readonly string[],
    private readonly range: ParsedCidr,
    private readonly exceptRanges: readonly ParsedCidr[],
  ) {
    this.matchRange = unmapped(range);
    this.matchExcept = exceptRanges.map(unmapped);
  }

  /** Canonical text, used to share the pod sets of identical blocks. */
  get key(): string {
    return `${this.cidr} except ${[...this.except].sort().join(',')}`;
  }

  /**
   * Whether a pod IP is in the block. IPv4-mapped blocks and addresses (`::ffff:10.0.0.0/104`) are
   * read as the IPv4 ones they embed; other IPv6 blocks never hold IPv4 addresses.
   */
  contains(ip: IpAddress): boolean {
    const address = ip.kind() === 'ipv6' ? unmapped(hostCidr(ip)).address : ip;
    return cidrContains(this.matchRange, address) && !this.matchExcept.some((r) => cidrContains(r, address));
  }

  /**
   * Whether any address of `target` is in the block, leaving out `ignored` (as written: mapped forms
   * are checked as such).
   */
  opens(target: ParsedCidr, ignored: readonly ParsedCidr[] = []): boolean {
    return opensAnyOf(this.range, [...this.exceptRanges, ...ignored], target);
  }

  /** The addresses the block holds: its CIDR less its excepts (IPv4-mapped forms read as IPv4). */
  get addresses(): AddressSet {
    return this.addressSet ??= blockAddresses(this.range, this.exceptRanges);
  }

  /** Whether the block's range is every address of its family (`0.0.0.0/0`, `::/0`), excepts aside. */
  get coversFamily(): boolean {
    return this.range.prefix === 0;
  }

  toString(): string {
    return this.except.length === 0 ? this.cidr : `${this.cidr} except ${this.except.join(', ')}`;
  }
}

import * as ipaddr from 'ipaddr.js';
import { isRecord } from '../manifests';
import { FieldError } from './errors';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [IpAddress, number];

/** Parses a pod IP (dotted-quad IPv4 or IPv6; the odd IPv4 shorthands inet_aton accepts are refused). */
export function parseIp(text: unknown, path: string): IpAddress {
  if (typeof text !== 'string' || !(ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text))) {
    throw new FieldError(path, `invalid IP address ${JSON.stringify(text)}`);
  }
  return ipaddr.parse(text);
}

function parseCidr(text: unknown, path: string): Cidr {
  // Host bits may be set (10.0.1.10/4), as Go's net.ParseCIDR and the API server accept that.
  if (typeof text !== 'string' || !(ipaddr.IPv4.isValidCIDRFourPartDecimal(text) || ipaddr.IPv6.isValidCIDR(text))) {
    throw new FieldError(path, `invalid CIDR ${JSON.stringify(text)}`);
  }
  return ipaddr.parseCIDR(text);
}

function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  return ip.kind() === cidr[0].kind() && ip.match(cidr);
}

/** A NetworkPolicy ipBlock: an address is in the block if it is in `cidr` and in none of `except`. */
export class IpBlock {
  static parse(raw: unknown, path: string): IpBlock {
    if (!isRecord(raw)) {
      throw new FieldError(path, 'must be a mapping with cidr and optional except');
    }
    const cidr = parseCidr(raw.cidr, `${path}.cidr`);
    const rawExcept = raw.except ?? [];
    if (!Array.isArray(rawExcept)) {
      throw new FieldError(`${path}.except`, 'must be a list of CIDRs');
    }
    const except = rawExcept.map((e, i) => parseCidr(e, `${path}.except[${i}]`));
    return new IpBlock(String(raw.cidr), rawExcept.map(String), cidr, except);
  }

  private constructor(
    readonly cidr: string,
    readonly except: readonly string[],
    private readonly range: Cidr,
    private readonly exceptRanges: readonly Cidr[],
  ) {}

  /** Canonical text, used to share the pod sets of identical blocks. */
  get key(): string {
    return `${this.cidr} except ${[...this.except].sort().join(',')}`;
  }

  contains(ip: IpAddress): boolean {
    return inCidr(ip, this.range) && !this.exceptRanges.some((r) => inCidr(ip, r));
  }

  toString(): string {
    return this.except.length === 0 ? this.cidr : `${this.cidr} except ${this.except.join(', ')}`;
  }
}

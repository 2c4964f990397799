// The one table of addresses that are not the public internet, from the IANA IPv4 and IPv6
// Special-Purpose Address Registries (RFC 6890 and the RFCs each entry names). `Peer.internet()`
// excludes all of them, zone postures treat only the `private` ones as private, and the rules read
// the link-local and cloud metadata entries below.
import { AddressSet } from './address-set';
import { AddressFamily, cidrContains, minimalCidrs, parseCidr, ParsedCidr, unmapped } from './cidr';

/** A block that is not on the public internet, with where it is defined and why it is excluded. */
export interface SpecialRange {
  readonly cidr: string;
  readonly rfc: string;
  readonly why: string;
  /** Private in the sense of the zone postures: addresses an organisation assigns inside its own networks. */
  readonly private?: boolean;
}

/** RFC 6598 shared address space, which some clouds give nodes and pods. */
export const SHARED_RANGE = '100.64.0.0/10';

/**
 * Decisions beyond the registries' "globally reachable" column:
 * - a whole block is excluded when only some of its sub-blocks are globally reachable
 *   (192.0.0.0/24, 2001::/23): an internet rule gains nothing from them and may lose the rest;
 * - 2002::/16 (6to4) is excluded: each 6to4 address embeds an IPv4 address (2002:a9fe:a9fe::
 *   holds 169.254.169.254) and 6to4 is deprecated (RFC 7526);
 * - ::/96 (IPv4-compatible, deprecated by RFC 4291) is excluded whole: it embeds IPv4 addresses too,
 *   and holds :: and ::1;
 * - 168.63.129.16, Azure's WireServer, is excluded: a public address that every Azure host answers
 *   itself, which hands node bootstrap secrets to whoever reaches it (on AKS, any pod).
 */
export const NON_PUBLIC_RANGES: readonly SpecialRange[] = [
  { cidr: '0.0.0.0/8', rfc: 'RFC 791', why: '"this network": source-only addresses' },
  { cidr: '10.0.0.0/8', rfc: 'RFC 1918', why: 'private networks', private: true },
  { cidr: SHARED_RANGE, rfc: 'RFC 6598', why: 'shared address space (carrier-grade NAT), used by some clouds for nodes and metadata' },
  { cidr: '127.0.0.0/8', rfc: 'RFC 1122', why: 'loopback: the node or pod itself' },
  { cidr: '168.63.129.16/32', rfc: 'Azure', why: 'Azure WireServer: answered by the host itself, serves node bootstrap secrets' },
  { cidr: '169.254.0.0/16', rfc: 'RFC 3927', why: 'link-local: cloud metadata services and node-local agents' },
  { cidr: '172.16.0.0/12', rfc: 'RFC 1918', why: 'private networks', private: true },
  { cidr: '192.0.0.0/24', rfc: 'RFC 6890', why: 'IETF protocol assignments' },
  { cidr: '192.0.2.0/24', rfc: 'RFC 5737', why: 'documentation (TEST-NET-1)' },
  { cidr: '192.88.99.0/24', rfc: 'RFC 7526', why: 'former 6to4 relay anycast, deprecated' },
  { cidr: '192.168.0.0/16', rfc: 'RFC 1918', why: 'private networks', private: true },
  { cidr: '198.18.0.0/15', rfc: 'RFC 2544', why: 'benchmarking' },
  { cidr: '198.51.100.0/24', rfc: 'RFC 5737', why: 'documentation (TEST-NET-2)' },
  { cidr: '203.0.113.0/24', rfc: 'RFC 5737', why: 'documentation (TEST-NET-3)' },
  { cidr: '224.0.0.0/4', rfc: 'RFC 5771', why: 'multicast' },
  { cidr: '240.0.0.0/4', rfc: 'RFC 1112', why: 'reserved, and the limited broadcast address 255.255.255.255 (RFC 919)' },
  { cidr: '::/96', rfc: 'RFC 4291', why: 'IPv4-compatible addresses (deprecated), which embed IPv4 addresses' },
  { cidr: '::/128', rfc: 'RFC 4291', why: 'unspecified address' },
  { cidr: '::1/128', rfc: 'RFC 4291', why: 'loopback' },
  { cidr: '::ffff:0:0/96', rfc: 'RFC 4291', why: 'IPv4-mapped addresses: traffic to them is IPv4, governed by the IPv4 rules' },
  { cidr: '64:ff9b::/96', rfc: 'RFC 6052', why: 'NAT64 well-known prefix: 64:ff9b::a9fe:a9fe is 169.254.169.254 again' },
  { cidr: '64:ff9b:1::/48', rfc: 'RFC 8215', why: 'local-use NAT64 prefix, which embeds IPv4 addresses' },
  { cidr: '100::/64', rfc: 'RFC 6666', why: 'discard-only' },
  { cidr: '2001::/23', rfc: 'RFC 2928', why: 'IETF protocol assignments (Teredo, benchmarking, ORCHID), Teredo embeds IPv4 addresses' },
  { cidr: '2001:db8::/32', rfc: 'RFC 3849', why: 'documentation' },
  { cidr: '2002::/16', rfc: 'RFC 3056', why: '6to4, which embeds IPv4 addresses (deprecated by RFC 7526)' },
  { cidr: '3fff::/20', rfc: 'RFC 9637', why: 'documentation' },
  { cidr: '5f00::/16', rfc: 'RFC 9602', why: 'segment routing (SRv6) SIDs' },
  { cidr: 'fc00::/7', rfc: 'RFC 4193', why: 'unique local addresses', private: true },
  { cidr: 'fe80::/10', rfc: 'RFC 4291', why: 'link-local' },
  { cidr: 'ff00::/8', rfc: 'RFC 4291', why: 'multicast' },
];

/** The minimal except list of the internet block of a family (`0.0.0.0/0` or `::/0`). */
export function nonPublicExcepts(family: AddressFamily): string[] {
  return minimalCidrs(NON_PUBLIC_RANGES.map(r => r.cidr).filter(c => parseCidr(c)!.family === family));
}

/** The private ranges (RFC 1918, fc00::/7): the zone postures' "private". */
export const PRIVATE_RANGES: readonly ParsedCidr[] = NON_PUBLIC_RANGES.filter(r => r.private).map(r => parseCidr(r.cidr)!);

/** A sensitive destination of the node's own network, as one family's block. */
export interface SensitiveRange {
  /** The block as written in a policy (an IPv4 block, or one of its IPv6 forms). */
  readonly range: ParsedCidr;
  /** The block it stands for, for messages (`169.254.169.254/32` for its mapped form too). */
  readonly name: string;
}

const NAT64 = '64:ff9b::';

/**
 * A block with the IPv6 forms that reach it: an IPv4 block also as IPv4-mapped (`::ffff:a.b.c.d`,
 * which leaves a dual-stack socket as IPv4) and through the NAT64 well-known prefix. Local-use NAT64
 * prefixes (64:ff9b:1::/48) embed the address at an operator-chosen position and are not expanded.
 */
export function addressForms(cidr: string): SensitiveRange[] {
  const parsed = parseCidr(cidr)!;
  if (parsed.family === 'ipv6') return [{ range: parsed, name: cidr }];
  const [address, prefix] = cidr.split('/');
  const v6prefix = Number(prefix) + 96;
  return [cidr, `::ffff:${address}/${v6prefix}`, `${NAT64}${address}/${v6prefix}`].map(c => ({ range: parseCidr(c)!, name: cidr }));
}

/**
 * Cloud instance metadata services: the node's cloud identity and credentials. 169.254.169.254 is
 * AWS, Google Cloud, Azure, Oracle Cloud and others; fd00:ec2::254 AWS over IPv6; 100.100.100.200
 * Alibaba Cloud; 168.63.129.16 Azure's WireServer (node bootstrap secrets on AKS).
 */
export const METADATA_ADDRESSES: readonly string[] = ['169.254.169.254/32', 'fd00:ec2::254/128', '100.100.100.200/32', '168.63.129.16/32'];

/** The metadata addresses in every form that reaches them. */
export const METADATA_RANGES: readonly SensitiveRange[] = METADATA_ADDRESSES.flatMap(addressForms);

/** Link-local blocks (RFC 3927, RFC 4291): the node's own network, never routed. */
export const LINK_LOCAL_RANGES: readonly SensitiveRange[] = ['169.254.0.0/16', 'fe80::/10'].flatMap(addressForms);

/**
 * Whether every address of the block is private (RFC 1918, fc00::/7) or inside one of the
 * cluster's `declared` ranges. An IPv4-mapped block counts as the IPv4 block it embeds; link-local,
 * loopback and shared (CGNAT) addresses are not private.
 */
export function isPrivateBlock(cidr: string, declared: readonly string[] = []): boolean {
  const parsed = parseCidr(cidr);
  if (!parsed) return false;
  const block = unmapped(parsed);
  const ranges = [...PRIVATE_RANGES, ...declared.map(d => parseCidr(d)).filter((d): d is ParsedCidr => d !== undefined).map(unmapped)];
  return ranges.some(range => range.family === block.family && block.prefix >= range.prefix && cidrContains(range, block.address));
}

/**
 * Every public address: all addresses but those of the special-purpose table. (IPv4-mapped IPv6
 * addresses are read as the IPv4 addresses they embed, so their block takes nothing away here.)
 */
export const PUBLIC_ADDRESSES: AddressSet = NON_PUBLIC_RANGES
  .map(r => parseCidr(r.cidr)!)
  .filter(c => unmapped(c) === c)
  .reduce((acc, c) => acc.subtract(AddressSet.ofCidr(c)), AddressSet.ALL);

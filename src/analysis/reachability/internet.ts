// Nodes outside the cluster. The `internet` node stands for every public address outside the
// cluster's declared ranges, the way a namespace stands for its pods: "the internet can reach x"
// means some public address can, and the analysis says which. It has no policies of its own,
// namespace and pod selectors never select it, and ipBlock (and network-policy-api `networks`)
// peers match the part of it they cover. The other-addresses node does the same for the addresses
// that are neither public nor the cluster's pods and Services (private networks, link-local, nodes).
import { AddressSet } from '../../private/address-set';
import { PUBLIC_ADDRESSES } from '../../private/special-ranges';

/** The name of the internet node: its pod key and its row and column in namespace matrices. */
export const INTERNET_NODE = 'internet';

/** Its name when the input has a namespace called `internet` (which a namespace name cannot be). */
export const INTERNET_NODE_FALLBACK = '(internet)';

/** The kind of the internet node's pod. */
export const INTERNET_KIND = 'Internet';

/** The node for the non-public addresses outside the cluster's pod and Service ranges. */
export const OTHER_ADDRESSES_NODE = '(other addresses)';

/** The kind of the other-addresses node's pod. */
export const OTHER_ADDRESSES_KIND = 'Addresses';

/** The name the internet node takes among `namespaces` (their names). */
export function internetNodeName(namespaces: readonly string[]): string {
  return namespaces.includes(INTERNET_NODE) ? INTERNET_NODE_FALLBACK : INTERNET_NODE;
}

/**
 * Addresses in words, against the part of the address space they are drawn from (`universe`, whose
 * addresses are of `kind`): `every public address`, `every public IPv4 address`, `every public
 * address but 52.0.0.0/8`, or the blocks themselves (at most `limit`, then how many more).
 */
export function describeAddresses(addresses: AddressSet, universe: AddressSet = PUBLIC_ADDRESSES, kind = 'public ', limit = 6): string {
  if (addresses.isEmpty) return 'no address';
  const scopes: ReadonlyArray<readonly [AddressSet, string]> = [[AddressSet.ALL, ''], [AddressSet.family('ipv4'), 'IPv4 '], [AddressSet.family('ipv6'), 'IPv6 ']];
  for (const [scope, word] of scopes) {
    const part = universe.intersect(scope);
    if (part.isEmpty || !part.covers(addresses)) continue;
    if (addresses.equals(part)) return `every ${kind}${word}address`;
    const missing = part.subtract(addresses).toCidrs();
    if (missing.length <= limit && missing.length < addresses.toCidrs().length) return `every ${kind}${word}address but ${missing.join(', ')}`;
  }
  const blocks = addresses.toCidrs();
  return blocks.length <= limit ? blocks.join(', ') : `${blocks.slice(0, limit).join(', ')} and ${blocks.length - limit} more blocks`;
}

/** What kind of addresses an outside node has: public ones (`public `), or any others (''). */
export function outsideNoun(kind: string): string {
  return kind === INTERNET_KIND ? 'public ' : '';
}

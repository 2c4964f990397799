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
 * Addresses in words, against the part of the address space they are drawn from: `every public
 * address`, `every public address but 52.0.0.0/8`, or the blocks themselves (at most `limit`, then
 * how many more).
 */
export function describeAddresses(addresses: AddressSet, universe: AddressSet = PUBLIC_ADDRESSES, limit = 8): string {
  if (addresses.isEmpty) return 'no address';
  const everything = universe === PUBLIC_ADDRESSES ? 'every public address' : 'every address';
  if (addresses.covers(universe)) return everything;
  const missing = universe.subtract(addresses).toCidrs();
  const blocks = addresses.toCidrs();
  if (missing.length < blocks.length && missing.length <= limit) return `${everything} but ${missing.join(', ')}`;
  return blocks.length <= limit ? blocks.join(', ') : `${blocks.slice(0, limit).join(', ')} and ${blocks.length - limit} more blocks`;
}

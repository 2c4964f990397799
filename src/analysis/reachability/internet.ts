// The `internet` node: one endpoint outside the cluster that stands for a public address, so that
// what the policies admit from and to the internet shows next to the namespaces. It has no policies
// of its own, namespace and pod selectors never select it, and ipBlock (and network-policy-api
// `networks`) peers are matched against its addresses like against a pod's IPs.
import { ClusterNetwork } from '../../model/cluster-network';
import { cidrContains, IpAddress, parseIp } from '../../private/cidr';

/** The name of the internet node: its pod key and its row and column in namespace matrices. */
export const INTERNET_NODE = 'internet';

/** Its name when the input has a namespace called `internet` (which a namespace name cannot be). */
export const INTERNET_NODE_FALLBACK = '(internet)';

/** The kind of the internet node's pod. */
export const INTERNET_KIND = 'Internet';

/**
 * The public addresses the internet node stands for: those of a.root-servers.net (IPv4 and IPv6),
 * published by IANA in the DNS root hints and unchanged for decades. They are public in every
 * registry (outside every special-purpose range, so `Peer.internet()` and any `0.0.0.0/0` or
 * `::/0` block hold them) and no application is allowlisted to them, so a policy that admits
 * them admits the internet at large rather than one partner or one public resolver.
 */
export const INTERNET_ADDRESSES: readonly string[] = ['198.41.0.4', '2001:503:ba3e::2:30'];

/** The name the internet node takes among `namespaces` (their names). */
export function internetNodeName(namespaces: readonly string[]): string {
  return namespaces.includes(INTERNET_NODE) ? INTERNET_NODE_FALLBACK : INTERNET_NODE;
}

/**
 * The representative addresses, less those inside the cluster's declared pod, Service or node
 * ranges: there they would be the cluster's own addresses, not the internet's.
 */
export function internetAddresses(network: ClusterNetwork): Array<{ text: string; ip: IpAddress }> {
  const declared = [...network.podRanges, ...network.serviceRanges, ...network.nodeRanges];
  return INTERNET_ADDRESSES
    .map(text => ({ text, ip: parseIp(text)! }))
    .filter(({ ip }) => !declared.some(d => cidrContains(d.range, ip)));
}

// Address checks written in CEL that every supported API server evaluates: Kubernetes 1.30 has no
// IP library in admission CEL, so an IPv4 address is read as a number from its four decimal parts
// (the API server has already validated it as an IP address) and compared with intervals.
import { AddressSet } from '../private/address-set';
import { METADATA_ADDRESSES, PRIVATE_RANGES, SHARED_RANGE } from '../private/special-ranges';

/**
 * The IPv4 addresses a hand-written endpoint may hold: the pod network when it is declared, else the
 * private and shared ranges pods are given; never a metadata address or a declared Service or node range.
 */
export function endpointAddresses(podCidrs: readonly string[], clusterCidrs: readonly string[]): AddressSet {
  const podNetwork = podCidrs.length > 0
    ? AddressSet.ofCidrs(podCidrs)
    : PRIVATE_RANGES.reduce((acc, c) => acc.union(AddressSet.ofCidr(c)), AddressSet.ofCidrs([SHARED_RANGE]));
  return podNetwork.intersect(AddressSet.family('ipv4')).subtract(AddressSet.ofCidrs([...METADATA_ADDRESSES, ...clusterCidrs]));
}

/** A CEL expression: whether the IPv4 address text `address` lies in `allowed` (IPv6 addresses never do). */
export function ipv4InExpression(address: string, allowed: AddressSet): string {
  const bounds = allowed.bounds('ipv4');
  if (bounds.length === 0) return 'false';
  const part = (i: number) => `int(${address}.split('.')[${i}])`;
  const value = `${part(0)} * 16777216 + ${part(1)} * 65536 + ${part(2)} * 256 + ${part(3)}`;
  const intervals: string[] = [];
  for (let i = 0; i < bounds.length; i += 2) intervals.push(`(v >= ${bounds[i]} && v <= ${bounds[i + 1]})`);
  // A one-element list binds the number once (cel.bind is not on every supported version).
  return `(!${address}.contains(':') && ${address}.split('.').size() == 4 && [${value}].all(v, ${intervals.join(' || ')}))`;
}

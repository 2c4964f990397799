// The addresses outside the cluster each namespace reaches, and is reached from, before and after a
// change: per port, the exact ranges of the internet (public addresses) and of the other addresses
// (private networks, link-local, nodes). A change from 52.0.0.0/8 to 0.0.0.0/1 on TCP 443 keeps the
// ports of the namespace's flow with the internet, and opens half the address space: it shows here.
import { Direction, DIRECTIONS } from '../../model/vocabulary';
import { AddressSet } from '../../private/address-set';
import { compareText } from '../../private/json';
import { AddressReach, INTERNET_KIND, PodInfo, ReachabilityModel } from '../reachability';

/** One namespace whose reach of one outside node changed, in one direction. */
export interface AddressChange {
  readonly namespace: string;
  /** `egress`: addresses the namespace's pods reach; `ingress`: addresses that reach them. */
  readonly direction: Direction;
  /** The outside node: `internet` or `(other addresses)`. */
  readonly node: string;
  /** What the node stands for: its addresses, and whether they are the public ones. */
  readonly nodeAddresses: AddressSet;
  readonly nodeIsPublic: boolean;
  /** Ports with the addresses gained on them (the change opens these). */
  readonly added: readonly AddressReach[];
  /** Ports with the addresses lost on them. */
  readonly removed: readonly AddressReach[];
}

/**
 * The changes of every namespace of either side with every outside node of the head, by namespace,
 * node, then direction. A namespace only one side has reaches nothing on the other.
 */
export function compareAddresses(base: ReachabilityModel, head: ReachabilityModel): AddressChange[] {
  const outside = head.namespaces.filter(n => n.external === true).map(n => n.pods[0]);
  const names = [...new Set([...base.namespaces, ...head.namespaces].filter(n => n.external !== true).map(n => n.name))].sort(compareText);
  const lookups = new Map([base, head].map(model => [model, {
    namespaces: new Map(model.namespaces.filter(n => n.external !== true).map(n => [n.name, n])),
    outside: new Map(model.pods.filter(p => p.external === true).map(p => [p.key, p])),
  }]));
  const reachOf = (model: ReachabilityModel, namespace: string, node: PodInfo, direction: Direction): AddressReach[] => {
    const ns = lookups.get(model)!.namespaces.get(namespace);
    const target = lookups.get(model)!.outside.get(node.key);
    return ns && target ? model.addressReach(ns.units, target, direction) : [];
  };
  const changes: AddressChange[] = [];
  for (const namespace of names) {
    for (const node of outside) {
      for (const direction of DIRECTIONS) {
        const before = reachOf(base, namespace, node, direction);
        const after = reachOf(head, namespace, node, direction);
        const added = beyond(after, before);
        const removed = beyond(before, after);
        if (added.length + removed.length === 0) continue;
        const nodeIsPublic = node.kind === INTERNET_KIND;
        changes.push({ namespace, direction, node: node.key, nodeAddresses: node.addresses, nodeIsPublic, added, removed });
      }
    }
  }
  return changes;
}

/** The (ports, addresses) pairs of `after` that `before` does not hold, grouped by the ports gained. */
function beyond(after: readonly AddressReach[], before: readonly AddressReach[]): AddressReach[] {
  const gained = new Map<string, AddressReach>();
  const add = (ports: AddressReach['ports'], addresses: AddressSet) => {
    if (ports.isEmpty || addresses.isEmpty) return;
    const known = gained.get(ports.key);
    gained.set(ports.key, { ports, addresses: known ? known.addresses.union(addresses) : addresses });
  };
  for (const entry of after) {
    let rest = entry.addresses;
    for (const old of before) {
      const both = entry.addresses.intersect(old.addresses);
      if (both.isEmpty) continue;
      add(entry.ports.subtract(old.ports), both);
      rest = rest.subtract(old.addresses);
    }
    add(entry.ports, rest);
  }
  return [...gained.values()].sort((a, b) => compareText(a.ports.key, b.ports.key));
}

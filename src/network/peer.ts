import { IManagedNamespace } from './managed-namespace';
import { AddressFamily, cidrProblem, parseCidr, strictlyContains } from '../private/cidr';
import { dnsLabelProblem, joinName, labelsProblems, labelValues, toDnsLabel } from '../private/names';
import { nonPublicExcepts } from '../private/special-ranges';

/**
 * One way of selecting traffic peers in a NetworkPolicy rule: pods (in selected namespaces)
 * or an IP block.
 */
export interface PeerSelector {
  /**
   * Namespaces selected by name, through the `kubernetes.io/metadata.name` label that the API
   * server sets and nobody can forge.
   *
   * @default - namespaces are selected by `namespaceLabels`
   */
  readonly namespaceNames?: string[];

  /**
   * Namespaces selected by their labels.
   *
   * @default - when neither this nor `namespaceNames` is set, every namespace
   */
  readonly namespaceLabels?: { [key: string]: string };

  /**
   * Pods selected by their labels inside the selected namespaces.
   *
   * @default - every pod of the selected namespaces
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * An IP block (CIDR) to select instead of pods.
   *
   * @default - pods are selected, not an IP block
   */
  readonly cidr?: string;

  /**
   * Blocks inside `cidr` that are excluded (the ipBlock's `except`).
   *
   * @default - nothing is excluded
   */
  readonly excludedCidrs?: string[];

  /**
   * Whether the cluster's own ranges (the pod, service and node CIDRs its `ClusterProfile`
   * declares) that lie inside `cidr` are excluded too, where the selector is rendered.
   *
   * @default false
   */
  readonly excludesClusterRanges?: boolean;
}

/**
 * A set of pods managed by a bundle in this app, on which the other side of a flow is written.
 */
export interface ManagedEndpoint {
  /** The bundle that manages the namespace. */
  readonly bundle: IManagedNamespace;

  /**
   * The pods of that namespace the flow concerns.
   *
   * @default - every pod of the namespace
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * The readable name of those pods in the names of the policies written for them (for example
   * the name of the workload that runs them).
   *
   * @default - the values of `podLabels`
   */
  readonly podsName?: string;
}

/**
 * How a peer is selected, and which managed bundles stand behind it.
 */
export interface PeerSpec {
  /** The selectors a NetworkPolicy rule lists for this peer (OR'd). */
  readonly selectors: PeerSelector[];

  /** The managed endpoints, where the other side of a flow is written (empty for external peers). */
  readonly managedEndpoints: ManagedEndpoint[];
}

/**
 * Something a flow can be allowed from or to: a bundle, a zone, a pod subset of a bundle, or an
 * external peer made with `Peer`.
 */
export interface IPeer {
  /** A readable DNS label for this peer, used in the names of generated policies. */
  readonly peerName: string;

  /** How to select this peer, and which managed bundles stand behind it. */
  toPeerSpec(): PeerSpec;
}

/**
 * Peers outside the bundles of this app: unmanaged namespaces and pods, and IP blocks.
 *
 * Only our side of a flow to such a peer is written; the peer's own policies (if any) are
 * somebody else's.
 */
export class Peer implements IPeer {
  /**
   * Every pod of an unmanaged namespace, selected by its `kubernetes.io/metadata.name` label.
   *
   * (Not called `namespace` because that is a reserved word in C#.)
   */
  public static namespaceNamed(name: string): Peer {
    return new Peer(name, [{ namespaceNames: [name] }], namespaceNameProblems(name));
  }

  /**
   * Every pod of the namespaces that carry the given labels.
   *
   * Only cluster administrators should be able to label namespaces for this to be a boundary.
   */
  public static namespacesWithLabels(labels: { [key: string]: string }): Peer {
    labels = labels ?? {};
    const problems = labelsProblems(labels);
    if (Object.keys(labels).length === 0) {
      problems.push('no labels given; use Peer.allPods() to select every namespace');
    }
    return new Peer(`namespaces-${labelValues(labels)}`, [{ namespaceLabels: { ...labels } }], problems);
  }

  /**
   * The pods with the given labels in an unmanaged namespace.
   */
  public static pods(namespaceName: string, labels: { [key: string]: string }): Peer {
    labels = labels ?? {};
    const problems = [...namespaceNameProblems(namespaceName), ...labelsProblems(labels)];
    return new Peer(joinName(String(namespaceName), labelValues(labels)), [{ namespaceNames: [namespaceName], podLabels: { ...labels } }], problems);
  }

  /**
   * Every pod in every namespace of the cluster (not IP blocks).
   */
  public static allPods(): Peer {
    return new Peer('all-pods', [{ namespaceLabels: {} }], []);
  }

  /**
   * An IPv4 block, optionally with sub-blocks excluded.
   *
   * @param cidr the block, for example `10.0.0.0/8`
   * @param excludedCidrs blocks inside `cidr` to exclude
   */
  public static ipv4(cidr: string, excludedCidrs?: string[]): Peer {
    return Peer.ipBlock('ipv4', cidr, excludedCidrs ?? []);
  }

  /**
   * An IPv6 block, optionally with sub-blocks excluded.
   *
   * @param cidr the block, for example `fd00::/8`
   * @param excludedCidrs blocks inside `cidr` to exclude
   */
  public static ipv6(cidr: string, excludedCidrs?: string[]): Peer {
    return Peer.ipBlock('ipv6', cidr, excludedCidrs ?? []);
  }

  /**
   * The public internet: every address except those of the IANA special-purpose registries
   * (private, shared/CGNAT, loopback, link-local and cloud metadata, documentation, benchmarking,
   * multicast, reserved; for IPv6 also unique-local, IPv4-mapped, NAT64, 6to4 and Teredo, which
   * embed IPv4 addresses), and the pod, service and node CIDRs of the bundle's `ClusterProfile`.
   *
   * Pod selectors never match these addresses, and the closed ranges keep a rule meant for the
   * internet from opening cluster-internal addresses or the node's cloud identity.
   */
  public static internet(): Peer {
    return new Peer('internet', [
      { cidr: '0.0.0.0/0', excludedCidrs: nonPublicExcepts('ipv4'), excludesClusterRanges: true },
      { cidr: '::/0', excludedCidrs: nonPublicExcepts('ipv6'), excludesClusterRanges: true },
    ], []);
  }

  private static ipBlock(family: AddressFamily, cidr: string, except: string[]): Peer {
    const problems: string[] = [];
    const factory = `Peer.${family}("${cidr}")`;
    const p = cidrProblem(cidr, family);
    if (p) problems.push(`${factory}: ${p}`);
    const outer = parseCidr(cidr);
    for (const e of except) {
      const ep = cidrProblem(e, family);
      if (ep) {
        problems.push(`${factory}: except ${ep}`);
      } else if (!p && outer && !strictlyContains(outer, parseCidr(e)!)) {
        problems.push(`${factory}: except "${e}" is not a smaller block inside "${cidr}"; list only sub-blocks of the CIDR in except`);
      }
    }
    const name = `cidr-${cidr}${except.length ? '-except' : ''}`;
    return new Peer(toDnsLabel(name), [{ cidr, excludedCidrs: except.length ? [...except] : undefined }], problems);
  }

  /** A readable DNS label for this peer. */
  public readonly peerName: string;

  private constructor(peerName: string, private readonly selectors: PeerSelector[], private readonly problems: string[]) {
    this.peerName = toDnsLabel(peerName);
  }

  /**
   * How to select this peer. External peers have no managed endpoints. The spec is a copy: what a
   * caller does with it cannot change this peer, which may be the declared monitoring that a
   * restricted zone admits.
   */
  public toPeerSpec(): PeerSpec {
    return { selectors: this.selectors.map(copySelector), managedEndpoints: [] };
  }

  /**
   * What is wrong with the arguments this peer was made from.
   * @internal
   */
  public _problems(): string[] {
    return [...this.problems];
  }
}

function copySelector(s: PeerSelector): PeerSelector {
  return {
    ...s,
    ...(s.namespaceNames ? { namespaceNames: [...s.namespaceNames] } : {}),
    ...(s.namespaceLabels ? { namespaceLabels: { ...s.namespaceLabels } } : {}),
    ...(s.podLabels ? { podLabels: { ...s.podLabels } } : {}),
    ...(s.excludedCidrs ? { excludedCidrs: [...s.excludedCidrs] } : {}),
  };
}

function namespaceNameProblems(name: string): string[] {
  const p = dnsLabelProblem(name);
  return p ? [`namespace name "${name}" is invalid: ${p}`] : [];
}

// Facts about the cluster's network that manifests do not hold: its pod, Service and node CIDRs
// and the network plugin that enforces NetworkPolicies, and beside them the cluster's Kubernetes
// version (which caps the version Pod Security labels are judged at). The guard reads them from the
// app's ClusterProfiles, the commands from their flags and cluster files.
import { kubernetesVersionProblem, parseKubernetesVersion } from './kubernetes-version';
import { AddressSet } from '../private/address-set';
import { cidrProblem, parseCidr, ParsedCidr } from '../private/cidr';
import { PRIVATE_RANGES, SHARED_RANGE } from '../private/special-ranges';

/** The network plugins whose NetworkPolicy semantics differ where the API leaves them to the plugin. */
export type NetworkBackendName = 'kubernetes' | 'calico' | 'cilium';

export const NETWORK_BACKEND_NAMES: readonly NetworkBackendName[] = ['kubernetes', 'calico', 'cilium'];

/** The cluster's declared ranges and plugin; each list may be empty (nothing declared). */
export interface ClusterNetworkFacts {
  readonly podCidrs?: readonly string[];
  readonly serviceCidrs?: readonly string[];
  readonly nodeCidrs?: readonly string[];
  /**
   * The plugin that enforces NetworkPolicies; `kubernetes` (the default) is any plugin, so what the
   * API leaves to the plugin is not known.
   */
  readonly networkBackend?: NetworkBackendName;
  /** The Kubernetes version of the API server, `1.<minor>`; undefined when not declared. */
  readonly kubernetesVersion?: string;
}

/** A declared range, parsed. */
export interface DeclaredRange {
  readonly cidr: string;
  readonly range: ParsedCidr;
}

/**
 * Whether a NetworkPolicy ipBlock matches the addresses of the cluster's own pods and nodes. The
 * API leaves it to the plugin: Calico matches them, Cilium never applies CIDR rules to traffic
 * between endpoints it manages or nodes of the cluster, and of any other plugin it is not known.
 */
export type IpBlocksMatchPods = 'yes' | 'no' | 'unknown';

/**
 * Where pods and nodes get their addresses when no range is declared: the private ranges (RFC 1918,
 * RFC 6598 shared space, IPv6 unique local), which clusters use almost everywhere.
 */
const ASSUMED_CLUSTER_CIDRS: readonly string[] = [
  ...PRIVATE_RANGES.map(r => `${r.address.toString()}/${r.prefix}`), SHARED_RANGE,
];

/** The cluster's declared ranges, validated with the library's one parser. */
export class ClusterNetwork {
  /** No ranges declared, any plugin: rules that need ranges report nothing. */
  static readonly UNDECLARED = new ClusterNetwork([], [], [], 'kubernetes', []);

  /** Validates the facts; throws an Error naming the bad value and the fix. */
  static of(facts: ClusterNetworkFacts = {}): ClusterNetwork {
    const read = (name: string, cidrs: readonly string[] | undefined): DeclaredRange[] => (cidrs ?? []).map(cidr => {
      const problem = clusterCidrProblem(cidr);
      if (problem) throw new Error(`${name}: ${problem}`);
      return { cidr, range: parseCidr(cidr)! };
    });
    const backend = facts.networkBackend ?? 'kubernetes';
    if (!NETWORK_BACKEND_NAMES.includes(backend)) {
      throw new Error(`network backend: ${JSON.stringify(backend)} is not one of ${NETWORK_BACKEND_NAMES.join(', ')}`);
    }
    const versions = facts.kubernetesVersion === undefined ? [] : [facts.kubernetesVersion];
    return new ClusterNetwork(read('pod CIDR', facts.podCidrs), read('service CIDR', facts.serviceCidrs), read('node CIDR', facts.nodeCidrs), backend,
      minorsOf(versions));
  }

  /**
   * What several declarations of one cluster (the app's ClusterProfiles) say together: every
   * declared range, the plugin when they all name the same one (else any plugin), and every
   * declared Kubernetes version.
   */
  static union(facts: readonly ClusterNetworkFacts[]): ClusterNetwork {
    const union = (pick: (f: ClusterNetworkFacts) => readonly string[] | undefined) => [...new Set(facts.flatMap(f => [...pick(f) ?? []]))];
    const backends = [...new Set(facts.map(f => f.networkBackend ?? 'kubernetes'))];
    const network = ClusterNetwork.of({
      podCidrs: union(f => f.podCidrs),
      serviceCidrs: union(f => f.serviceCidrs),
      nodeCidrs: union(f => f.nodeCidrs),
      networkBackend: backends.length === 1 ? backends[0] : 'kubernetes',
    });
    const versions = facts.flatMap(f => (f.kubernetesVersion === undefined ? [] : [f.kubernetesVersion]));
    return new ClusterNetwork(network.podRanges, network.serviceRanges, network.nodeRanges, network.networkBackend, minorsOf(versions));
  }

  /** The addresses pods get: the declared pod ranges, or the private ranges when none is declared. */
  readonly podAddresses: AddressSet;
  /** The addresses nodes (and host-network pods) have: the declared node ranges, or the private ranges. */
  readonly nodeAddresses: AddressSet;
  /** Every declared range: pod, Service and node. */
  readonly declaredAddresses: AddressSet;

  private constructor(
    readonly podRanges: readonly DeclaredRange[],
    readonly serviceRanges: readonly DeclaredRange[],
    readonly nodeRanges: readonly DeclaredRange[],
    readonly networkBackend: NetworkBackendName,
    /**
     * The minor versions of the declared API servers, distinct and ascending; empty when none is
     * declared (Pod Security labels are then judged at their own version).
     */
    readonly kubernetesMinors: readonly number[],
  ) {
    const set = (ranges: readonly DeclaredRange[]) => AddressSet.ofCidrs(ranges.map(r => r.cidr));
    this.podAddresses = podRanges.length > 0 ? set(podRanges) : AddressSet.ofCidrs(ASSUMED_CLUSTER_CIDRS);
    this.nodeAddresses = nodeRanges.length > 0 ? set(nodeRanges) : AddressSet.ofCidrs(ASSUMED_CLUSTER_CIDRS);
    this.declaredAddresses = set([...podRanges, ...serviceRanges, ...nodeRanges]);
  }

  /** Whether the pod ranges are declared (else pods are assumed to have private addresses). */
  get podRangesDeclared(): boolean {
    return this.podRanges.length > 0;
  }

  get nodeRangesDeclared(): boolean {
    return this.nodeRanges.length > 0;
  }

  /** Whether NetworkPolicy ipBlocks match pod and node addresses on this cluster's plugin. */
  get ipBlocksMatchPods(): IpBlocksMatchPods {
    return this.networkBackend === 'calico' ? 'yes' : this.networkBackend === 'cilium' ? 'no' : 'unknown';
  }

  /** The same facts with another plugin. */
  withBackend(backend: NetworkBackendName): ClusterNetwork {
    return new ClusterNetwork(this.podRanges, this.serviceRanges, this.nodeRanges, backend, this.kubernetesMinors);
  }
}

/** The distinct minors of the versions, ascending; throws an Error naming a bad one. */
function minorsOf(versions: readonly string[]): number[] {
  for (const v of versions) {
    const problem = kubernetesVersionProblem(v);
    if (problem) throw new Error(`Kubernetes version: ${problem}`);
  }
  return [...new Set(versions.map(parseKubernetesVersion))].sort((a, b) => a - b);
}

/** Why a declared cluster CIDR is unusable, or undefined. */
export function clusterCidrProblem(cidr: unknown): string | undefined {
  if (typeof cidr !== 'string') return `${JSON.stringify(cidr)} is not a CIDR string; write it as address/prefix, for example "10.244.0.0/16"`;
  const problem = cidrProblem(cidr, cidr.includes(':') ? 'ipv6' : 'ipv4');
  if (problem) return problem;
  if (parseCidr(cidr)!.prefix === 0) return `"${cidr}" is every address; give the cluster's own range, for example "10.244.0.0/16"`;
  return undefined;
}

/** The assumption made for undeclared pod or node ranges, for explanations. */
export const ASSUMED_CLUSTER_RANGES_TEXT = `${ASSUMED_CLUSTER_CIDRS.join(', ')} (assumed: no range declared)`;

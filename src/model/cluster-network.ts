// Facts about the cluster's addresses that manifests do not hold: its pod, Service and node CIDRs.
// The guard reads them from the app's ClusterProfiles, `namespace-guard check` from its flags.
import { cidrProblem, parseCidr, ParsedCidr } from '../private/cidr';

/** The cluster's declared address ranges; each list may be empty (nothing declared). */
export interface ClusterNetworkFacts {
  readonly podCidrs?: readonly string[];
  readonly serviceCidrs?: readonly string[];
  readonly nodeCidrs?: readonly string[];
}

/** A declared range, parsed. */
export interface DeclaredRange {
  readonly cidr: string;
  readonly range: ParsedCidr;
}

/** The cluster's declared ranges, validated with the library's one parser. */
export class ClusterNetwork {
  /** No ranges declared: rules that need them report nothing. */
  static readonly UNDECLARED = new ClusterNetwork([], [], []);

  /** Validates the facts; throws an Error naming the bad value and the fix. */
  static of(facts: ClusterNetworkFacts = {}): ClusterNetwork {
    const read = (name: string, cidrs: readonly string[] | undefined): DeclaredRange[] => (cidrs ?? []).map(cidr => {
      const problem = clusterCidrProblem(cidr);
      if (problem) throw new Error(`${name}: ${problem}`);
      return { cidr, range: parseCidr(cidr)! };
    });
    return new ClusterNetwork(read('pod CIDR', facts.podCidrs), read('service CIDR', facts.serviceCidrs), read('node CIDR', facts.nodeCidrs));
  }

  private constructor(
    readonly podRanges: readonly DeclaredRange[],
    readonly serviceRanges: readonly DeclaredRange[],
    readonly nodeRanges: readonly DeclaredRange[],
  ) {}
}

/** Why a declared cluster CIDR is unusable, or undefined. */
export function clusterCidrProblem(cidr: unknown): string | undefined {
  if (typeof cidr !== 'string') return `${JSON.stringify(cidr)} is not a CIDR string; write it as address/prefix, for example "10.244.0.0/16"`;
  const problem = cidrProblem(cidr, cidr.includes(':') ? 'ipv6' : 'ipv4');
  if (problem) return problem;
  if (parseCidr(cidr)!.prefix === 0) return `"${cidr}" is every address; give the cluster's own range, for example "10.244.0.0/16"`;
  return undefined;
}

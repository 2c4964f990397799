// Verdicts between endpoints that may hold several pods: a namespace (some pod of it), one pod, or
// the internet node. Shared by ConnectivityReport.explain and `namespace-guard reach --from/--to`.
import { PodInfo, UnitInfo } from './cluster';
import { describeAddresses } from './internet';
import { ReachabilityModel } from './reachability-model';
import { Verdict } from './verdict';
import { ProtocolName as Protocol } from '../../model/vocabulary';
import { AddressSet } from '../../private/address-set';

/** The condition under which an answer of an undeclared plugin holds (see ReachabilityModel.whereIpBlocksMatchPods). */
export const WHERE_IPBLOCKS_MATCH_PODS = 'where the network plugin matches ipBlocks against pod addresses (Calico does, Cilium does not)';

/** A source or destination: a namespace (all its pods), or one pod (the internet node is one). */
export interface Endpoint {
  /** As the user wrote it: a namespace name, a pod key, or the internet node's name. */
  readonly text: string;
  readonly isNamespace: boolean;
  readonly pods: readonly PodInfo[];
}

/** Whether some pod of one endpoint can reach some pod of the other, with the pair that shows why. */
export interface EndpointVerdict {
  readonly allowed: boolean;
  /** One sentence starting with `allowed:` or `denied:`; for a namespace, it names a pod pair and that pair's explanation. */
  readonly explanation: string;
  /**
   * For a namespace: what the pod pairs say, e.g. `x/client can reach y/api on TCP/80: 2 of 4 pod
   * pairs from x to y can.`; undefined between two single pods.
   */
  readonly summary?: string;
  /** The pair that explains the answer: the first allowed pair, else the denied pair closest to being allowed. */
  readonly example: Verdict;
  /** How many ordered pod pairs are allowed, of `pairs`. */
  readonly allowedPairs: number;
  readonly pairs: number;
  /**
   * For an end outside the cluster (the internet): the addresses that can connect (or be reached),
   * empty when none can.
   */
  readonly addresses?: AddressSet;
  /**
   * Denied here, but allowed under a condition the input does not settle: the verdict where it holds
   * (an undeclared network plugin that matches ipBlocks against pod addresses). Never denied outright then.
   */
  readonly allowedWhere?: { readonly condition: string; readonly verdict: EndpointVerdict };
}

/** The endpoint that `model` knows by `text`: a pod key, a namespace name or the internet node; undefined if none. */
export function findEndpoint(model: ReachabilityModel, text: string): Endpoint | undefined {
  if (model.internet !== undefined && text === model.internet.key) return { text, isNamespace: false, pods: [model.internet] };
  if (text.includes('/')) {
    const pod = model.pods.find((p) => p.key === text);
    return pod && { text, isNamespace: false, pods: [pod] };
  }
  const ns = model.namespaces.find((n) => n.name === text && n.external !== true);
  return ns && { text, isNamespace: true, pods: ns.pods };
}

/**
 * Whether SOME pod of `from` can open a connection to SOME pod of `to` on `protocol`/`port`, and
 * why: an allowed pair when there is one, otherwise the denied pair closest to being allowed (one
 * side admits it), which shows the side that is missing.
 */
export function judgeEndpoints(model: ReachabilityModel, from: Endpoint, to: Endpoint, port: number, protocol: Protocol): EndpointVerdict {
  const verdict = judgeOnce(model, from, to, port, protocol);
  const twin = model.whereIpBlocksMatchPods;
  if (verdict.allowed || twin === undefined) return verdict;
  const where = judgeOnce(twin, from, to, port, protocol);
  return where.allowed ? { ...verdict, allowedWhere: { condition: WHERE_IPBLOCKS_MATCH_PODS, verdict: where } } : verdict;
}

function judgeOnce(model: ReachabilityModel, from: Endpoint, to: Endpoint, port: number, protocol: Protocol): EndpointVerdict {
  const pairs = from.pods.length * to.pods.length;
  const addresses = outsideAddresses(model, from, to, port, protocol);
  const named = (e: Endpoint) => (addresses !== undefined && e.pods[0].external === true && !addresses.isEmpty ? `${e.text} (${describeAddresses(addresses)})` : e.text);
  if (!from.isNamespace && !to.isNamespace) {
    const verdict = model.evaluate(from.pods[0].key, to.pods[0].key, port, protocol);
    const allowedPairs = verdict.allowed ? 1 : 0;
    return { allowed: verdict.allowed, explanation: verdict.explanation, example: verdict, allowedPairs, pairs, ...(addresses ? { addresses } : {}) };
  }
  const traffic = `${protocol}/${port}`;
  let first: [PodInfo, PodInfo] | undefined;
  let count = 0;
  for (const a of from.pods) {
    for (const b of to.pods) {
      if (!model.allowedPorts(a.key, b.key).contains(protocol, port)) continue;
      count++;
      first ??= [a, b];
    }
  }
  if (first) {
    const [a, b] = first;
    const example = model.evaluate(a.key, b.key, port, protocol);
    const tally = `${count} of ${plural(pairs, 'pod pair')} from ${from.text} to ${to.text} can`;
    const [x, y] = [a.external === true ? named(from) : a.key, b.external === true ? named(to) : b.key];
    return {
      allowed: true,
      explanation: `allowed: ${x} can reach ${y} on ${traffic} (${tally}): ${example.explanation}`,
      summary: `${x} can reach ${y} on ${traffic}: ${tally}.`,
      example,
      allowedPairs: count,
      pairs,
      ...(addresses ? { addresses } : {}),
    };
  }
  const example = closestDenied(model, from, to, port, protocol);
  const scope = pairs === 1 ? `the one pod pair from ${from.text} to ${to.text} is not` : `none of the ${pairs} pod pairs from ${from.text} to ${to.text} is`;
  return {
    allowed: false,
    explanation: `denied: ${scope} allowed on ${traffic}; for example ${example.from} to ${example.to}: ${example.explanation}`,
    summary: `${scope.charAt(0).toUpperCase()}${scope.slice(1)} allowed on ${traffic}; for example ${example.from} to ${example.to}:`,
    example,
    allowedPairs: 0,
    pairs,
    ...(addresses ? { addresses } : {}),
  };
}

/** When one end is outside the cluster: the addresses of it that can connect with the other end on the port. */
function outsideAddresses(model: ReachabilityModel, from: Endpoint, to: Endpoint, port: number, protocol: Protocol): AddressSet | undefined {
  const units = (e: Endpoint): UnitInfo[] => e.pods.flatMap((p) => p.units);
  if (to.pods.length === 1 && to.pods[0].external === true && from.pods.every((p) => p.external !== true)) {
    return model.addressesOnPort(units(from), to.pods[0], 'egress', port, protocol);
  }
  if (from.pods.length === 1 && from.pods[0].external === true && to.pods.every((p) => p.external !== true)) {
    return model.addressesOnPort(units(to), from.pods[0], 'ingress', port, protocol);
  }
  return undefined;
}

/** The first denied pair that one side admits, else the first pair. */
function closestDenied(model: ReachabilityModel, from: Endpoint, to: Endpoint, port: number, protocol: Protocol): Verdict {
  let first: Verdict | undefined;
  for (const a of from.pods) {
    for (const b of to.pods) {
      const v = model.evaluate(a.key, b.key, port, protocol);
      if (v.egress.allowed || v.ingress.allowed) return v;
      first ??= v;
    }
  }
  return first!;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

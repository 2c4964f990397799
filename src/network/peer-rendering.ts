// How a PeerSelector is written into a NetworkPolicy rule.
import { PeerSelector } from './peer';
import { NAMESPACE_NAME_LABEL } from '../model/vocabulary';
import { minimalCidrs, parseCidr, strictlyContains } from '../private/cidr';

/**
 * Renders a selector as a `NetworkPolicyPeer`. `clusterRanges` are the cluster's declared pod,
 * service and node CIDRs, excluded from blocks that ask for it.
 */
export function renderPeerSelector(selector: PeerSelector, clusterRanges: readonly string[] = []): { [key: string]: unknown } {
  if (selector.cidr !== undefined) {
    let except = [...selector.excludedCidrs ?? []];
    const block = parseCidr(selector.cidr);
    if (selector.excludesClusterRanges && block) {
      // Only ranges strictly inside the block can be excepted; the list stays minimal and sorted.
      except = minimalCidrs([...except, ...clusterRanges.filter(r => {
        const range = parseCidr(r);
        return range !== undefined && strictlyContains(block, range);
      })]);
    }
    return { ipBlock: except.length ? { cidr: selector.cidr, except } : { cidr: selector.cidr } };
  }
  const out: { [key: string]: unknown } = { namespaceSelector: namespaceSelectorOf(selector) };
  if (selector.podLabels && Object.keys(selector.podLabels).length > 0) {
    out.podSelector = { matchLabels: { ...selector.podLabels } };
  }
  return out;
}

function namespaceSelectorOf(selector: PeerSelector): { [key: string]: unknown } {
  const names = selector.namespaceNames;
  if (names && names.length > 0) {
    const sorted = [...new Set(names)].sort();
    return sorted.length === 1
      ? { matchLabels: { [NAMESPACE_NAME_LABEL]: sorted[0] } }
      : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: sorted }] };
  }
  if (selector.namespaceLabels && Object.keys(selector.namespaceLabels).length > 0) {
    return { matchLabels: { ...selector.namespaceLabels } };
  }
  return {};
}

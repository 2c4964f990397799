// How a PeerSelector is written into a NetworkPolicy rule.
import { PeerSelector } from './peer';
import { NAMESPACE_NAME_LABEL } from '../model/vocabulary';

/** Renders a selector as a `NetworkPolicyPeer`. */
export function renderPeerSelector(selector: PeerSelector): { [key: string]: unknown } {
  if (selector.cidr !== undefined) {
    return { ipBlock: selector.excludedCidrs?.length ? { cidr: selector.cidr, except: [...selector.excludedCidrs] } : { cidr: selector.cidr } };
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

// What the rules of a NetworkPolicy reach, at the level of namespaces.
import { ClusterModel, Namespace } from '../model/cluster-model';
import { LabelSelector } from '../model/labels';
import { NetworkPolicyInfo, PolicyRule } from '../model/network-policy';
import { Direction, NAMESPACE_NAME_LABEL } from '../model/vocabulary';

/**
 * The namespaces a rule's peers can select, other than the policy's own: every namespace for a rule
 * without peers, the namespaces a namespaceSelector matches, none for ipBlocks (pod addresses are
 * not known from manifests) and for pod selectors confined to the policy's namespace.
 */
export function namespacesReachedBy(rule: PolicyRule, model: ClusterModel): Namespace[] {
  const own = rule.policy.namespace;
  if (rule.peers === undefined) return model.namespaces.filter(n => n.name !== own);
  const found = new Set<Namespace>();
  for (const peer of rule.peers) {
    if (peer.kind !== 'selector' || peer.namespaceSelector === undefined) continue;
    for (const ns of model.namespacesMatching(peer.namespaceSelector)) if (ns.name !== own) found.add(ns);
  }
  return [...found];
}

/** The namespace names a selector pins through `kubernetes.io/metadata.name`, if it does. */
export function pinnedNamespaceNames(selector: LabelSelector): readonly string[] {
  return [...(selector.valuesOf(NAMESPACE_NAME_LABEL) ?? [])];
}

/** `admits traffic from` / `sends traffic to`, for messages. */
export function flowVerb(direction: Direction): string {
  return direction === 'ingress' ? 'admits traffic from' : 'sends traffic to';
}

/** Whether the policy's types include the direction (rules of other directions are ignored by Kubernetes). */
export function affects(policy: NetworkPolicyInfo, direction: Direction): boolean {
  return direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
}

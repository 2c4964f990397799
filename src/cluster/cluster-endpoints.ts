// The cluster services a ClusterProfile declares (DNS, ingress controller, monitoring), as
// declarations that the model turns into representative pods (model/cluster-services.ts).
// Internal to the package: the engine itself knows nothing about cdk8s or ClusterProfile.
import { IConstruct } from 'constructs';
import { ClusterDns, ClusterProfile } from './cluster-profile';
import { Workload } from '../model/cluster-model';
import { ClusterServiceDeclaration, ClusterServicePort, ClusterServiceRole, clusterServicePods, DNS_PORTS } from '../model/cluster-services';
import { IPeer, PeerSelector } from '../network/peer';

/**
 * The ClusterProfiles that describe the cluster of `scope`: those in its construct subtree, or
 * when there are none, those of the whole app.
 */
export function clusterProfilesOf(scope: IConstruct): ClusterProfile[] {
  const own = scope.node.findAll().filter((c): c is ClusterProfile => c instanceof ClusterProfile);
  if (own.length > 0 || scope.node.root === scope) return own;
  return scope.node.root.node.findAll().filter((c): c is ClusterProfile => c instanceof ClusterProfile);
}

/**
 * Pod objects that stand for the DNS, ingress controller and monitoring pods the profiles
 * declare, named `<namespace>/<app>` (for example `kube-system/kube-dns`). Without any profile,
 * the default DNS (kube-dns in kube-system), which bundles without a profile allow, is used.
 *
 * Skipped: IP blocks (a NodeLocal DNSCache address, which no pod holds), selectors that do not
 * name their namespaces, managed peers (their workloads are in the manifests already), and
 * selections that a Pod or workload of `existing` already matches.
 */
export function clusterEndpointObjects(profiles: readonly ClusterProfile[], existing: readonly Workload[]): any[] {
  const declarations: ClusterServiceDeclaration[] = [];
  const dnsSources = profiles.length > 0 ? profiles.map(p => p.dns) : [ClusterDns.kubeDns()];
  for (const dns of dnsSources) declarations.push(...fromSelectors('dns', dns._selectors(), DNS_PORTS));
  for (const profile of profiles) {
    declarations.push(...fromPeer('ingress-controller', declaredPeer(() => profile.ingressController)));
    declarations.push(...fromPeer('monitoring', declaredPeer(() => profile.monitoring)));
  }
  return clusterServicePods(declarations, existing);
}

function declaredPeer(get: () => IPeer): IPeer | undefined {
  try {
    return get();
  } catch {
    return undefined; // not declared on this profile
  }
}

function fromPeer(role: ClusterServiceRole, peer: IPeer | undefined): ClusterServiceDeclaration[] {
  if (!peer) return [];
  const spec = peer.toPeerSpec();
  if (spec.managedEndpoints.length > 0) return [];
  return fromSelectors(role, spec.selectors, []);
}

function fromSelectors(
  role: ClusterServiceRole, selectors: readonly PeerSelector[], ports: readonly ClusterServicePort[],
): ClusterServiceDeclaration[] {
  const declarations: ClusterServiceDeclaration[] = [];
  for (const s of selectors) {
    if (s.cidr !== undefined) continue;
    for (const namespaceName of [...new Set(s.namespaceNames ?? [])].sort()) {
      declarations.push({ role, namespaceName, podLabels: { ...(s.podLabels ?? {}) }, ports });
    }
  }
  return declarations;
}

// Representative pods for the cluster services a ClusterProfile declares (DNS, ingress
// controller, monitoring), so that the reachability engine can prove flows to and from them.
// Internal to the package: the engine itself knows nothing about cdk8s or ClusterProfile.
import { IConstruct } from 'constructs';
import { ClusterDns, ClusterProfile } from './cluster-profile';
import { Workload } from '../model/cluster-model';
import { CLUSTER_ENDPOINT_ANNOTATION } from '../model/vocabulary';
import { IPeer, PeerSelector } from '../network/peer';
import { fingerprint } from '../private/json';
import { toDnsLabel } from '../private/names';

/** The role of a cluster endpoint. */
export type EndpointRole = 'dns' | 'ingress-controller' | 'monitoring';

interface EndpointPort {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: string;
}

interface EndpointDraft {
  readonly role: EndpointRole;
  readonly namespaceName: string;
  readonly podLabels: { [key: string]: string };
  readonly ports: EndpointPort[];
}

const DNS_PORTS: EndpointPort[] = [
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
];

// Label keys that usually name an application, most specific first.
const NAME_LABELS = ['k8s-app', 'app.kubernetes.io/name', 'app', 'name'];

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
  const drafts: EndpointDraft[] = [];
  const dnsSources = profiles.length > 0 ? profiles.map(p => p.dns) : [ClusterDns.kubeDns()];
  for (const dns of dnsSources) drafts.push(...fromSelectors('dns', dns._selectors(), DNS_PORTS));
  for (const profile of profiles) {
    drafts.push(...fromPeer('ingress-controller', declaredPeer(() => profile.ingressController)));
    drafts.push(...fromPeer('monitoring', declaredPeer(() => profile.monitoring)));
  }

  // One pod per (namespace, labels); ports of repeated declarations merge.
  const merged = new Map<string, EndpointDraft>();
  for (const d of drafts) {
    const key = fingerprint({ ns: d.namespaceName, labels: d.podLabels });
    const known = merged.get(key);
    if (!known) {
      merged.set(key, { ...d, ports: [...d.ports] });
      continue;
    }
    for (const p of d.ports) {
      if (!known.ports.some(k => k.containerPort === p.containerPort && k.protocol === p.protocol)) known.ports.push(p);
    }
  }

  const takenNames = new Set(existing.map(w => `${w.namespace}/${w.name}`));
  const objects: any[] = [];
  for (const d of merged.values()) {
    if (existing.some(w => w.namespace === d.namespaceName && matches(d.podLabels, w.podLabels))) continue;
    const name = uniqueName(d, takenNames);
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: d.namespaceName,
        labels: { ...d.podLabels },
        annotations: { [CLUSTER_ENDPOINT_ANNOTATION]: d.role },
      },
      spec: {
        containers: [{
          name: toDnsLabel(d.role),
          image: 'cluster-endpoint',
          ...(d.ports.length > 0 ? { ports: d.ports.map(p => ({ ...p })) } : {}),
        }],
      },
    });
  }
  return objects;
}

function declaredPeer(get: () => IPeer): IPeer | undefined {
  try {
    return get();
  } catch {
    return undefined; // not declared on this profile
  }
}

function fromPeer(role: EndpointRole, peer: IPeer | undefined): EndpointDraft[] {
  if (!peer) return [];
  const spec = peer.toPeerSpec();
  if (spec.managedEndpoints.length > 0) return [];
  return fromSelectors(role, spec.selectors, []);
}

function fromSelectors(role: EndpointRole, selectors: readonly PeerSelector[], ports: EndpointPort[]): EndpointDraft[] {
  const drafts: EndpointDraft[] = [];
  for (const s of selectors) {
    if (s.cidr !== undefined) continue;
    for (const namespaceName of [...new Set(s.namespaceNames ?? [])].sort()) {
      drafts.push({ role, namespaceName, podLabels: { ...(s.podLabels ?? {}) }, ports });
    }
  }
  return drafts;
}

function uniqueName(d: EndpointDraft, taken: Set<string>): string {
  const keys = Object.keys(d.podLabels).sort();
  const naming = NAME_LABELS.find(k => d.podLabels[k]) ?? keys[0];
  const base = toDnsLabel(naming !== undefined ? d.podLabels[naming] : d.role);
  let name = base;
  for (let i = 2; taken.has(`${d.namespaceName}/${name}`); i++) name = `${base}-${i}`;
  taken.add(`${d.namespaceName}/${name}`);
  return name;
}

function matches(selector: { [key: string]: string }, labels: { [key: string]: string }): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

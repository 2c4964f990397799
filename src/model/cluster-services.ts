// Representative pods for the cluster services a cluster declares (DNS, ingress controller,
// monitoring), so that the reachability engine can prove flows to and from them. A ClusterProfile
// declares them for the library, a cluster file (`reach --cluster`) for the command; both end here.
import { Workload } from './cluster-model';
import { KubeObject } from './manifests';
import { CLUSTER_ENDPOINT_ANNOTATION } from './vocabulary';
import { fingerprint } from '../private/json';
import { toDnsLabel } from '../private/names';

/** The role of a cluster service: what the `namespace-guard.dev/cluster-endpoint` annotation says. */
export type ClusterServiceRole = 'dns' | 'ingress-controller' | 'monitoring';

/** A container port of a representative pod. */
export interface ClusterServicePort {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: string;
}

/** One declared service: the pods with `podLabels` in the namespace `namespaceName`. */
export interface ClusterServiceDeclaration {
  readonly role: ClusterServiceRole;
  readonly namespaceName: string;
  /** Empty for every pod of the namespace. */
  readonly podLabels: { readonly [key: string]: string };
  readonly ports: readonly ClusterServicePort[];
}

/** The ports the DNS pods serve on: what every bundle's DNS rule opens. */
export const DNS_PORTS: readonly ClusterServicePort[] = [
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
];

// Label keys that usually name an application, most specific first.
const NAME_LABELS = ['k8s-app', 'app.kubernetes.io/name', 'app', 'name'];

/**
 * Pod objects that stand for the declared services, named after their application label (for
 * example `kube-system/kube-dns`) and annotated with their role. Declarations of the same namespace
 * and labels make one pod, with the ports of all of them. A declaration that a Pod or workload of
 * `existing` already matches adds nothing: the real pods are in the input.
 */
export function clusterServicePods(declarations: readonly ClusterServiceDeclaration[], existing: readonly Workload[]): KubeObject[] {
  const merged = new Map<string, { declaration: ClusterServiceDeclaration; ports: ClusterServicePort[] }>();
  for (const d of declarations) {
    const key = fingerprint({ ns: d.namespaceName, labels: d.podLabels });
    const known = merged.get(key);
    if (!known) {
      merged.set(key, { declaration: d, ports: [...d.ports] });
      continue;
    }
    for (const p of d.ports) {
      if (!known.ports.some(k => k.containerPort === p.containerPort && k.protocol === p.protocol)) known.ports.push(p);
    }
  }

  const takenNames = new Set(existing.map(w => `${w.namespace}/${w.name}`));
  const objects: KubeObject[] = [];
  for (const { declaration: d, ports } of merged.values()) {
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
          ...(ports.length > 0 ? { ports: ports.map(p => ({ ...p })) } : {}),
        }],
      },
    });
  }
  return objects;
}

function uniqueName(d: ClusterServiceDeclaration, taken: Set<string>): string {
  const keys = Object.keys(d.podLabels).sort();
  const naming = NAME_LABELS.find(k => d.podLabels[k]) ?? keys[0];
  const base = toDnsLabel(naming !== undefined ? d.podLabels[naming] : d.role);
  let name = base;
  for (let i = 2; taken.has(`${d.namespaceName}/${name}`); i++) name = `${base}-${i}`;
  taken.add(`${d.namespaceName}/${name}`);
  return name;
}

function matches(selector: { readonly [key: string]: string }, labels: { readonly [key: string]: string }): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

import { INTERNET_KIND, internetAddresses, internetNodeName } from './internet';
import { policiesInView, PolicyView } from './policy-view';
import { ClusterModel, ContainerPort, Workload } from '../../model/cluster-model';
import { ClusterPolicyInfo } from '../../model/cluster-policy';
import { IpAddress } from '../../model/ip-block';
import { Labels } from '../../model/labels';
import { describeOrigin } from '../../model/manifests';
import { NetworkPolicyInfo } from '../../model/network-policy';
import { WORKLOAD_KINDS } from '../../model/vocabulary';
import { compareText } from '../../private/json';

/** Name given to the stand-in pod of a namespace that has no pods or workloads: key `<ns>/*`. */
export const PLACEHOLDER_POD_NAME = '*';

/** What a model pod stands for: a real Pod, one representative of a workload, or an empty namespace. */
export type PodKind = string;

/** The kind of a placeholder pod. */
export const PLACEHOLDER_KIND = 'Placeholder';

export type { ContainerPort } from '../../model/cluster-model';

export interface PodInfo {
  /** Position in ReachabilityModel.pods. */
  readonly index: number;
  /** `namespace/name`; `namespace/*` for a placeholder (see PLACEHOLDER_POD_NAME). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** `Pod`, the workload kind it represents, or `Placeholder`. */
  readonly kind: PodKind;
  readonly labels: Labels;
  /** status.podIP / status.podIPs; empty for workloads and placeholders, which never match ipBlocks. */
  readonly ips: readonly string[];
  readonly ports: readonly ContainerPort[];
  /** Where the object was read, e.g. `apps.yaml document 2`; undefined for placeholders. */
  readonly origin?: string;
  /**
   * The pod runs on the host network, where NetworkPolicies do not apply on most CNIs; the
   * network-policy-api leaves such pods out of subjects and of namespaces/pods peers.
   */
  readonly hostNetwork?: boolean;
  /**
   * The internet node (kind `Internet`, key `internet`): an address outside the cluster, which no
   * policy selects and which only ipBlock and network-policy-api `networks` peers match.
   */
  readonly external?: boolean;
}

export interface NamespaceInfo {
  readonly index: number;
  readonly name: string;
  /** Labels including the implied kubernetes.io/metadata.name. */
  readonly labels: Labels;
  /** True when a Namespace object was given (otherwise only implied by the objects in it). */
  readonly declared: boolean;
  readonly pods: readonly PodInfo[];
  /** The internet node's entry, holding its one pod: not a namespace of the cluster. */
  readonly external?: boolean;
}

/** Pods (with parsed IPs) and namespaces of a cluster, plus the NetworkPolicies of one view of it and its cluster policies. */
export interface Inventory {
  readonly namespaces: readonly NamespaceInfo[];
  readonly pods: readonly PodInfo[];
  readonly podIps: ReadonlyArray<readonly IpAddress[]>;
  readonly policies: readonly NetworkPolicyInfo[];
  /** AdminNetworkPolicies, the BaselineAdminNetworkPolicy and ClusterNetworkPolicies, in input order. */
  readonly clusterPolicies: readonly ClusterPolicyInfo[];
}

/**
 * The pods and namespaces the reachability engine reasons about: every running Pod, one
 * representative pod per workload (custom resources with a pod template included) whose pods are
 * not in the input, and a placeholder for each
 * namespace without either; with the policies of `view` (what the cluster enforces now by default).
 * With `internet`, the internet node comes last, as a namespace entry of its own with one pod.
 */
export function buildInventory(model: ClusterModel, view: PolicyView = 'effective', internet = false): Inventory {
  const byNamespace = new Map<string, Workload[]>(model.namespaces.map(n => [n.name, []]));
  for (const w of model.runningWorkloads) byNamespace.get(w.namespace)?.push(w);

  const pods: PodInfo[] = [];
  const podIps: Array<readonly IpAddress[]> = [];
  const namespaces = model.namespaces.map((ns, index): NamespaceInfo => {
    const workloads = (byNamespace.get(ns.name) ?? []).sort((a, b) => compareText(a.name, b.name) || kindRank(a.kind) - kindRank(b.kind));
    const nsPods: PodInfo[] = [];
    const add = (pod: PodInfo, ips: readonly IpAddress[]) => {
      nsPods.push(pod);
      pods.push(pod);
      podIps.push(ips);
    };
    if (workloads.length === 0) {
      const placeholder = { key: `${ns.name}/${PLACEHOLDER_POD_NAME}`, namespace: ns.name, name: PLACEHOLDER_POD_NAME, kind: PLACEHOLDER_KIND };
      add({ index: pods.length, ...placeholder, labels: {}, ips: [], ports: [] }, []);
    }
    const taken = new Set<string>();
    for (const w of workloads) {
      // A Pod and a workload (or two workload kinds) may share a name: later ones get a kind suffix.
      let key = `${w.namespace}/${w.name}`;
      if (taken.has(key)) key = `${key}@${w.kind}`;
      taken.add(key);
      add({
        index: pods.length,
        key,
        namespace: w.namespace,
        name: w.name,
        kind: w.kind,
        labels: w.podLabels,
        ips: w.podIpTexts,
        ports: w.containerPorts,
        origin: describeOrigin(w.manifest),
        ...(w.hostNetwork ? { hostNetwork: true } : {}),
      }, w.podIps);
    }
    return { index, name: ns.name, labels: ns.labels, declared: ns.object !== undefined, pods: nsPods };
  });
  if (internet) {
    const name = internetNodeName(model.namespaces.map(n => n.name));
    const addresses = internetAddresses(model.network);
    const pod: PodInfo = {
      index: pods.length,
      key: name,
      namespace: name,
      name,
      kind: INTERNET_KIND,
      labels: {},
      ips: addresses.map(a => a.text),
      ports: [],
      external: true,
    };
    pods.push(pod);
    podIps.push(addresses.map(a => a.ip));
    namespaces.push({ index: namespaces.length, name, labels: {}, declared: false, pods: [pod], external: true });
  }
  return {
    namespaces,
    pods,
    podIps,
    policies: policiesInView(model, view).map(p => p.policy),
    clusterPolicies: model.clusterPolicies.map(p => p.policy),
  };
}

/**
 * Real pods (listed first among the workload kinds) sort before workloads of the same name, so they
 * keep the plain `ns/name` key; custom kinds (a Rollout) come after the built-in ones.
 */
function kindRank(kind: PodKind): number {
  const rank = WORKLOAD_KINDS.findIndex(k => k.kind === kind);
  return rank < 0 ? WORKLOAD_KINDS.length : rank;
}

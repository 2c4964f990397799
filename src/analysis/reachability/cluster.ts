import { describeAddresses, INTERNET_KIND, internetNodeName, OTHER_ADDRESSES_KIND, OTHER_ADDRESSES_NODE, outsideNoun } from './internet';
import { policiesInView, PolicyView } from './policy-view';
import { ClusterModel, ContainerPort, Workload } from '../../model/cluster-model';
import { ClusterNetwork } from '../../model/cluster-network';
import { ClusterPolicyInfo } from '../../model/cluster-policy';
import { IpAddress } from '../../model/ip-block';
import { indexByLabel, LabelSelector, Labels, UNNAMED_LABEL_VALUE } from '../../model/labels';
import { describeOrigin } from '../../model/manifests';
import { NetworkPolicyInfo } from '../../model/network-policy';
import { NAMESPACE_NAME_LABEL, PROTOCOLS, WORKLOAD_KINDS } from '../../model/vocabulary';
import { AddressSet, partitionAddresses } from '../../private/address-set';
import { compareText } from '../../private/json';
import { PUBLIC_ADDRESSES } from '../../private/special-ranges';

/** Name given to the stand-in pod of a namespace that has no pods or workloads: key `<ns>/*`. */
export const PLACEHOLDER_POD_NAME = '*';

/** What a model pod stands for: a real Pod, one representative of a workload, or an empty namespace. */
export type PodKind = string;

/** The kind of a placeholder pod. */
export const PLACEHOLDER_KIND = 'Placeholder';

/** The kind of a pod that stands for pods not in the input, which a selector of the policies names. */
export const ANTICIPATED_KIND = 'Anticipated';

/** The namespace that stands for namespaces not in the input that no selector names by its labels. */
export const NEW_NAMESPACE = '(new namespace)';


export type { ContainerPort } from '../../model/cluster-model';

/**
 * What the matrices and verdicts are about: a real Pod, the representative of a workload, a
 * placeholder for an empty namespace, a pod the policies anticipate, or a node outside the cluster
 * (the internet). Each stands for pods (or addresses) that the engine may need to tell apart: its
 * units.
 */
export interface PodInfo {
  /** Position in ReachabilityModel.pods. */
  readonly index: number;
  /** `namespace/name`; `namespace/*` for a placeholder (see PLACEHOLDER_POD_NAME). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** `Pod`, the workload kind it represents, `Placeholder`, `Anticipated` or an outside node's kind. */
  readonly kind: PodKind;
  /** The labels of its pods as written (a workload's template labels and those its controller sets to known values). */
  readonly labels: Labels;
  /** A real Pod's status.podIP / podIPs; empty for the others. */
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
   * A node outside the cluster (the internet, other addresses): addresses, which no policy
   * selects and which only ipBlock and network-policy-api `networks` peers match.
   */
  readonly external?: boolean;
  /** The addresses its pods (or, outside the cluster, it) may have. */
  readonly addresses: AddressSet;
  /** The engine's units: the parts of its population that the policies treat differently (one when none). */
  readonly units: readonly UnitInfo[];
}

/**
 * What the engine evaluates: a part of a pod's population that every policy treats alike, because
 * every selector and address block of the policies holds for all of it or for none of it. A
 * workload's pods differ by address (an ipBlock may cover some pod addresses) and by the labels
 * their controller sets (a StatefulSet's `statefulset.kubernetes.io/pod-name`).
 */
export interface UnitInfo {
  /** Position in the inventory's units. */
  readonly index: number;
  readonly pod: PodInfo;
  readonly namespace: string;
  /** The labels selectors are matched against. */
  readonly labels: Labels;
  /** The addresses ipBlocks are matched against: a real Pod's IPs, else one address of `addresses`. */
  readonly ips: readonly string[];
  /** The addresses it stands for. */
  readonly addresses: AddressSet;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork?: boolean;
  readonly external?: boolean;
  /** What sets it apart from the other units of its pod, e.g. `addresses 52.0.0.0/8`; undefined when the pod has one unit. */
  readonly variant?: string;
}

export interface NamespaceInfo {
  readonly index: number;
  readonly name: string;
  /** Labels including the implied kubernetes.io/metadata.name. */
  readonly labels: Labels;
  /** True when a Namespace object was given (otherwise only implied by the objects in it). */
  readonly declared: boolean;
  readonly pods: readonly PodInfo[];
  /** The units of its pods. */
  readonly units: readonly UnitInfo[];
  /** An entry for addresses outside the cluster (the internet): not a namespace of the cluster. */
  readonly external?: boolean;
  /** A namespace not in the input: one a selector of the policies names, or NEW_NAMESPACE. */
  readonly anticipated?: boolean;
}

/** Pods (with parsed IPs) and namespaces of a cluster, plus the NetworkPolicies of one view of it and its cluster policies. */
export interface Inventory {
  readonly namespaces: readonly NamespaceInfo[];
  readonly pods: readonly PodInfo[];
  readonly units: readonly UnitInfo[];
  /** Per unit: the addresses ipBlocks are matched against. */
  readonly unitIps: ReadonlyArray<readonly IpAddress[]>;
  readonly policies: readonly NetworkPolicyInfo[];
  /** AdminNetworkPolicies, the BaselineAdminNetworkPolicy and ClusterNetworkPolicies, in input order. */
  readonly clusterPolicies: readonly ClusterPolicyInfo[];
  /** The cluster's declared ranges and network plugin. */
  readonly network: ClusterNetwork;
  /**
   * The anticipated pods or namespaces are one per selector rather than every combination of
   * matches (too many combinations to try): what they answer for pods not in the input is partial.
   */
  readonly anticipationPartial: boolean;
}

/** Which nodes and pods beyond those of the input to add. */
export interface InventoryOptions {
  readonly view?: PolicyView;
  /** The cluster's ranges and plugin, when not the model's own. */
  readonly network?: ClusterNetwork;
  /** The internet node: every public address outside the cluster's declared ranges. */
  readonly internet?: boolean;
  /** A node for every other address outside the cluster's pod and Service ranges (private networks, link-local, nodes). */
  readonly otherAddresses?: boolean;
  /**
   * Pods and namespaces that are not in the input but that the policies name: for each pod or
   * namespace selector that matches nothing of the input, one that it matches, and NEW_NAMESPACE
   * for a namespace that no selector names.
   */
  readonly anticipate?: boolean;
  /**
   * With `anticipate`: further policies whose selectors to anticipate pods and namespaces for (the
   * other side of a comparison, so that both sides reason about the same pods).
   */
  readonly anticipateFor?: AnticipatedPolicies;
}

/** Policies whose selectors stand for pods and namespaces (see InventoryOptions.anticipate). */
export interface AnticipatedPolicies {
  readonly policies: readonly NetworkPolicyInfo[];
  readonly clusterPolicies: readonly ClusterPolicyInfo[];
}

/**
 * The pods and namespaces the reachability engine reasons about: every running Pod, one
 * representative pod per workload (custom resources with a pod template included) whose pods are
 * not in the input, and a placeholder for each namespace without either; with the policies of the
 * view (what the cluster enforces now by default). Outside nodes come last, each as a namespace
 * entry of its own with one pod.
 */
export function buildInventory(model: ClusterModel, options: InventoryOptions = {}): Inventory {
  const policies = policiesInView(model, options.view ?? 'effective').map(p => p.policy);
  const clusterPolicies = model.clusterPolicies.map(p => p.policy);
  const network = options.network ?? model.network;
  const builder = new InventoryBuilder(network, policies, clusterPolicies);
  builder.addModel(model);
  if (options.anticipate) builder.anticipate(options.anticipateFor);
  const names = model.namespaces.map(n => n.name);
  if (options.internet) {
    const internet = internetNodeName(names);
    builder.addOutside(internet, INTERNET_KIND, PUBLIC_ADDRESSES.subtract(network.declaredAddresses));
  }
  if (options.otherAddresses) {
    const cluster = network.podRangesDeclared ? network.podAddresses : AddressSet.EMPTY;
    const services = AddressSet.ofCidrs(network.serviceRanges.map(r => r.cidr));
    builder.addOutside(OTHER_ADDRESSES_NODE, OTHER_ADDRESSES_KIND, AddressSet.ALL.subtract(PUBLIC_ADDRESSES).subtract(cluster).subtract(services));
  }
  return builder.build();
}

type MutableNamespace = Omit<NamespaceInfo, 'pods' | 'units'> & { pods: MutablePod[]; units: UnitInfo[] };
type MutablePod = Omit<PodInfo, 'units'> & { units: UnitInfo[] };

/** Assembles the inventory: namespaces and pods first, then the units every pod splits into. */
class InventoryBuilder {
  private readonly namespaces: MutableNamespace[] = [];
  private readonly pods: MutablePod[] = [];
  private readonly units: UnitInfo[] = [];
  private readonly unitIps: IpAddress[][] = [];
  /** Every distinct address block of the policies, which units must not straddle. */
  private readonly blocks: AddressSet[];
  /** Every pod selector of the policies. */
  private readonly podSelectors: LabelSelector[];
  private readonly classesOf = new Map<string, AddressSet[]>();
  /** Whether some anticipation tried one pod per selector instead of every combination. */
  private partial = false;

  constructor(
    private readonly network: ClusterNetwork,
    private readonly policies: readonly NetworkPolicyInfo[],
    private readonly clusterPolicies: readonly ClusterPolicyInfo[],
  ) {
    const blocks = new Map<string, AddressSet>();
    const selectors = new Map<string, LabelSelector>();
    for (const p of policies) {
      selectors.set(p.podSelector.key, p.podSelector);
      for (const rule of [...p.ingress, ...p.egress]) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind === 'ipBlock') blocks.set(peer.ipBlock.key, peer.ipBlock.addresses);
          else if (peer.podSelector) selectors.set(peer.podSelector.key, peer.podSelector);
        }
      }
    }
    for (const p of clusterPolicies) {
      if (p.subject.podSelector) selectors.set(p.subject.podSelector.key, p.subject.podSelector);
      for (const rule of [...p.ingress, ...p.egress]) {
        for (const peer of rule.peers) {
          if (peer.kind === 'networks') {
            const set = peer.networks.reduce((acc, n) => acc.union(n.addresses), AddressSet.EMPTY);
            blocks.set(set.key, set);
          } else if (peer.kind === 'pods' && peer.podSelector) {
            selectors.set(peer.podSelector.key, peer.podSelector);
          }
        }
      }
    }
    this.blocks = [...blocks.values()];
    this.podSelectors = [...selectors.values()];
  }

  addModel(model: ClusterModel): void {
    const byNamespace = new Map<string, Workload[]>(model.namespaces.map(n => [n.name, []]));
    for (const w of model.runningWorkloads) byNamespace.get(w.namespace)?.push(w);
    for (const ns of model.namespaces) {
      const entry = this.addNamespace({ name: ns.name, labels: ns.labels, declared: ns.object !== undefined });
      const workloads = (byNamespace.get(ns.name) ?? []).sort((a, b) => compareText(a.name, b.name) || kindRank(a.kind) - kindRank(b.kind));
      if (workloads.length === 0) this.addPlaceholder(entry);
      const taken = new Set<string>();
      for (const w of workloads) {
        // A Pod and a workload (or two workload kinds) may share a name: later ones get a kind suffix.
        let key = `${w.namespace}/${w.name}`;
        if (taken.has(key)) key = `${key}@${w.kind}`;
        taken.add(key);
        this.addWorkload(entry, w, key);
      }
    }
  }

  /**
   * Adds the anticipated pods and namespaces (see InventoryOptions.anticipate), for these policies
   * and `also`'s. The namespaces and pods a later change may add are anything that carries some
   * labels; what matters is which selectors match them. So for the namespace selectors, and in each
   * namespace for the pod selectors that apply there, every combination of the values those
   * selectors name (and of none) is tried, and each combination of matches that no namespace or pod
   * of the input has gets one anticipated namespace or pod. When the combinations are too many to
   * try, one per selector is added instead and the anticipation is marked partial.
   */
  anticipate(also: AnticipatedPolicies = { policies: [], clusterPolicies: [] }): void {
    const policies = [...this.policies, ...also.policies];
    const clusterPolicies = [...this.clusterPolicies, ...also.clusterPolicies];
    const namespaceSelectors = uniqueSelectors([
      ...policies.flatMap(p => [...p.ingress, ...p.egress].flatMap(r => (r.peers ?? []).flatMap(peer => (peer.kind === 'selector' && peer.namespaceSelector ? [peer.namespaceSelector] : [])))),
      ...clusterPolicies.flatMap(p => [p.subject.namespaceSelector, ...[...p.ingress, ...p.egress].flatMap(r => r.peers.flatMap(peer => (peer.kind === 'pods' ? [peer.namespaceSelector] : [])))]),
    ]);
    // Pods to come may give any number to the ports the policies name.
    const namedPorts = anticipatedPorts(policies, clusterPolicies);
    const real = [...this.namespaces];
    const taken = new Set(real.map(n => n.name));
    const names = namespaceSelectors.flatMap(sel => sel.valuesNamed(NAMESPACE_NAME_LABEL)).filter(n => !taken.has(n));
    const namespaceCandidates = candidateLabels(namespaceSelectors, { pin: NAMESPACE_NAME_LABEL, names: [NEW_NAMESPACE, ...names] });
    if (namespaceCandidates === undefined) this.partial = true;
    const represented = new Set(real.map(n => signatureOf(namespaceSelectors, n.labels)));
    for (const labels of namespaceCandidates ?? namespaceSelectors.map(sel => sel.example()).filter((l): l is Labels => l !== undefined)) {
      const signature = signatureOf(namespaceSelectors, labels);
      if (represented.has(signature)) continue;
      represented.add(signature);
      const name = anticipatedNamespaceName(labels);
      if (this.namespaces.some(n => n.name === name)) continue;
      // A name no selector names is the entry's own (as unnamed as the one tried).
      const own = labels[NAMESPACE_NAME_LABEL] === NEW_NAMESPACE ? name : labels[NAMESPACE_NAME_LABEL];
      this.addNamespace({ name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: own }, declared: false, anticipated: true });
    }
    if (!this.namespaces.some(n => n.name === NEW_NAMESPACE)) {
      this.addNamespace({ name: NEW_NAMESPACE, labels: { [NAMESPACE_NAME_LABEL]: NEW_NAMESPACE }, declared: false, anticipated: true });
    }
    const selectorsOf = this.podSelectorsByNamespace(policies, clusterPolicies);
    for (const ns of this.namespaces) {
      if (ns.external === true) continue;
      const podSelectors = uniqueSelectors(selectorsOf.get(ns) ?? []);
      const candidates = candidateLabels(podSelectors);
      if (candidates === undefined) this.partial = true;
      const seen = new Set(ns.units.filter(u => u.hostNetwork !== true).map(u => signatureOf(podSelectors, u.labels)));
      for (const labels of candidates ?? [{}, ...podSelectors.map(sel => sel.example()).filter((l): l is Labels => l !== undefined)]) {
        const signature = signatureOf(podSelectors, labels);
        if (seen.has(signature)) continue;
        seen.add(signature);
        if (Object.keys(labels).length === 0) {
          this.addPlaceholder(ns);
          continue;
        }
        const name = `[${labelText(labels)}]`;
        this.addPod(ns, { key: `${ns.name}/${name}`, namespace: ns.name, name, kind: ANTICIPATED_KIND, labels, ips: [], ports: namedPorts },
          { population: this.network.podAddresses });
      }
    }
  }

  /**
   * Per namespace, the pod selectors that apply in it: the podSelectors of its NetworkPolicies, of
   * peers without namespaceSelector in its policies, and of every peer (or cluster policy subject)
   * whose namespace selector matches it. Each distinct namespace selector is resolved once, through
   * an index of the namespaces by label (a selector per tenant names one namespace).
   */
  private podSelectorsByNamespace(
    policies: readonly NetworkPolicyInfo[], clusterPolicies: readonly ClusterPolicyInfo[],
  ): Map<MutableNamespace, LabelSelector[]> {
    const byName = new Map(this.namespaces.filter(n => n.external !== true).map(n => [n.name, n]));
    const out = new Map<MutableNamespace, LabelSelector[]>();
    const add = (ns: MutableNamespace | undefined, selector: LabelSelector) => {
      if (!ns) return;
      const list = out.get(ns);
      if (list) list.push(selector);
      else out.set(ns, [selector]);
    };
    const scoped = new Map<string, { namespaces: LabelSelector; pods: Map<string, LabelSelector> }>();
    const inNamespaces = (namespaces: LabelSelector, pods: LabelSelector) => {
      let entry = scoped.get(namespaces.key);
      if (!entry) scoped.set(namespaces.key, entry = { namespaces, pods: new Map() });
      entry.pods.set(pods.key, pods);
    };
    for (const p of policies) {
      add(byName.get(p.namespace), p.podSelector);
      for (const r of [...p.ingress, ...p.egress]) {
        for (const peer of r.peers ?? []) {
          if (peer.kind !== 'selector') continue;
          if (peer.namespaceSelector) inNamespaces(peer.namespaceSelector, peer.podSelector ?? LabelSelector.EVERYTHING);
          else add(byName.get(p.namespace), peer.podSelector ?? LabelSelector.EVERYTHING);
        }
      }
    }
    for (const p of clusterPolicies) {
      inNamespaces(p.subject.namespaceSelector, p.subject.podSelector ?? LabelSelector.EVERYTHING);
      for (const r of [...p.ingress, ...p.egress]) {
        for (const peer of r.peers) if (peer.kind === 'pods') inNamespaces(peer.namespaceSelector, peer.podSelector ?? LabelSelector.EVERYTHING);
      }
    }
    const all = [...byName.values()];
    const index = indexByLabel(all);
    for (const { namespaces, pods } of scoped.values()) {
      // The namespaces carrying every pair the selector requires, looked up in the index, then matched.
      let candidates: readonly MutableNamespace[] = all;
      for (const [key, value] of namespaces.requiredPairs) {
        const found = index.get(`${key}=${value}`) ?? [];
        if (found.length < candidates.length) candidates = found;
      }
      for (const ns of candidates) {
        if (!namespaces.matches(ns.labels)) continue;
        for (const selector of pods.values()) add(ns, selector);
      }
    }
    return out;
  }

  /** Adds a node outside the cluster standing for `addresses`, as a namespace entry of its own. */
  addOutside(name: string, kind: string, addresses: AddressSet): void {
    const ns = this.addNamespace({ name, labels: {}, declared: false, external: true });
    this.addPod(ns, { key: name, namespace: name, name, kind, labels: {}, ips: [], ports: [], external: true }, { population: addresses });
  }

  build(): Inventory {
    return {
      namespaces: this.namespaces,
      pods: this.pods,
      units: this.units,
      unitIps: this.unitIps,
      policies: this.policies,
      clusterPolicies: this.clusterPolicies,
      network: this.network,
      anticipationPartial: this.partial,
    };
  }

  private addNamespace(entry: Omit<NamespaceInfo, 'index' | 'pods' | 'units'>): MutableNamespace {
    const ns: MutableNamespace = { index: this.namespaces.length, ...entry, pods: [], units: [] };
    this.namespaces.push(ns);
    return ns;
  }

  private addPlaceholder(ns: MutableNamespace): void {
    this.addPod(ns, { key: `${ns.name}/${PLACEHOLDER_POD_NAME}`, namespace: ns.name, name: PLACEHOLDER_POD_NAME, kind: PLACEHOLDER_KIND, labels: {}, ips: [], ports: [] },
      { population: this.network.podAddresses });
  }

  private addWorkload(ns: MutableNamespace, w: Workload, key: string): void {
    const isPod = w.kind === 'Pod';
    const controller = isPod ? [] : w.workloadKind.controllerLabels ?? [];
    // Labels with one value for every pod join the pod's labels; the rest vary between its pods.
    const labels: Record<string, string> = { ...w.podLabels };
    for (const c of controller) if (c.value === 'workload-name') labels[c.key] = w.name;
    const varying = controller.filter(c => c.value !== 'workload-name' && !(c.value === 'unknown' && c.key in w.podLabels));
    const hostNetwork = w.hostNetwork;
    const pod = {
      key,
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      labels,
      ips: w.podIpTexts,
      ports: w.containerPorts,
      origin: describeOrigin(w.manifest),
      ...(hostNetwork ? { hostNetwork: true } : {}),
    };
    this.addPod(ns, pod, {
      population: hostNetwork ? this.network.nodeAddresses : this.network.podAddresses,
      ...(w.podIps.length > 0 ? { realIps: w.podIps } : {}),
      labelClasses: labelClasses(labels, varying, w.name, w.replicas, this.podSelectors),
    });
  }

  private addPod(
    ns: MutableNamespace,
    info: Omit<PodInfo, 'index' | 'units' | 'addresses'>,
    how: { population: AddressSet; realIps?: readonly IpAddress[]; labelClasses?: readonly LabelClass[] },
  ): MutablePod {
    const pod = { index: this.pods.length, ...info, units: [] } as unknown as MutablePod;
    const real = how.realIps;
    // A real Pod's addresses are its IPs, made into a set only when asked (most inputs never ask).
    let own: AddressSet | undefined;
    Object.defineProperty(pod, 'addresses', {
      enumerable: true,
      get: () => (own ??= real ? real.reduce((acc, ip) => acc.union(AddressSet.ofAddress(ip)), AddressSet.EMPTY) : how.population),
    });
    this.pods.push(pod);
    ns.pods.push(pod);
    // A real Pod is one pod with its own addresses: one unit, matched by its IPs.
    const addressClasses = real ? [undefined] : this.addressClasses(how.population);
    const labelSets = how.labelClasses ?? [{ labels: info.labels }];
    const several = addressClasses.length * labelSets.length > 1;
    for (const addresses of addressClasses) {
      for (const labelClass of labelSets) {
        const ips = real ? [...real] : [addresses!.first()].filter((ip): ip is IpAddress => ip !== undefined);
        const variant = several ? [
          ...(addressClasses.length > 1
            ? [info.external ? describeAddresses(addresses!, how.population, outsideNoun(info.kind)) : addressVariant(addresses!, how.population)]
            : []),
          ...(labelClass.variant !== undefined ? [labelClass.variant] : []),
        ].join(', ') : undefined;
        const unit: UnitInfo = {
          index: this.units.length,
          pod: pod as PodInfo,
          namespace: info.namespace,
          labels: labelClass.labels,
          ips: real ? info.ips : ips.map(ip => ip.toString()),
          get addresses() {
            return addresses ?? pod.addresses;
          },
          ports: info.ports,
          ...(info.hostNetwork ? { hostNetwork: true } : {}),
          ...(info.external ? { external: true } : {}),
          ...(variant ? { variant } : {}),
        };
        this.units.push(unit);
        this.unitIps.push(ips);
        pod.units.push(unit);
        ns.units.push(unit);
      }
    }
    return pod;
  }

  /** The classes of `population` that the policies' address blocks treat alike (cached per population). */
  private addressClasses(population: AddressSet): AddressSet[] {
    let classes = this.classesOf.get(population.key);
    if (!classes) {
      classes = partitionAddresses(population, this.blocks);
      this.classesOf.set(population.key, classes);
    }
    return classes;
  }
}

/**
 * A class of a population in words, by whichever side is shorter: `addresses in 10.0.2.0/24` or
 * `addresses outside 10.0.2.0/24, 192.168.0.0/16`.
 */
function addressVariant(addresses: AddressSet, population: AddressSet): string {
  const inside = addresses.toCidrs();
  const outside = population.subtract(addresses).toCidrs();
  const list = (blocks: readonly string[]) => (blocks.length <= 4 ? blocks.join(', ') : `${blocks.slice(0, 4).join(', ')} and ${blocks.length - 4} more blocks`);
  return inside.length <= outside.length ? `addresses in ${list(inside)}` : `addresses outside ${list(outside)}`;
}

/** At most this many label combinations are tried per namespace (and for the namespaces). */
const MAX_CANDIDATES = 4096;


/** Distinct selectors, by their canonical key, `{}` left out (it matches every label map alike). */
function uniqueSelectors(selectors: readonly LabelSelector[]): LabelSelector[] {
  const byKey = new Map<string, LabelSelector>();
  for (const sel of selectors) if (!sel.matchesEverything) byKey.set(sel.key, sel);
  return [...byKey.values()];
}

/** Which of `selectors` match a label map, as one string. */
function signatureOf(selectors: readonly LabelSelector[], labels: Labels): string {
  return selectors.map(sel => (sel.matches(labels) ? '1' : '0')).join('');
}

/**
 * Every combination of the values the selectors name for each key they mention, a value none names,
 * and no label (fewer labels first); undefined when there are more than MAX_CANDIDATES. With `pin`,
 * that key always has one of `names` (a namespace's name label).
 */
function candidateLabels(
  selectors: readonly LabelSelector[], pinned?: { pin: string; names: readonly string[] },
): Array<Record<string, string>> | undefined {
  const keys = [...new Set(selectors.flatMap(sel => sel.keys()))].filter(k => k !== pinned?.pin).sort();
  const named = (k: string) => [...new Set(selectors.flatMap(sel => sel.valuesNamed(k)))];
  const options = keys.map(k => [undefined, ...named(k), UNNAMED_LABEL_VALUE]);
  const names = pinned ? pinned.names : [undefined];
  const count = options.reduce((n, o) => n * o.length, names.length);
  if (count > MAX_CANDIDATES) return undefined;
  let out: Array<Record<string, string>> = names.map(n => (n === undefined || pinned === undefined ? {} : { [pinned.pin]: n }));
  keys.forEach((k, i) => {
    out = out.flatMap(base => options[i].map(v => (v === undefined ? base : { ...base, [k]: v })));
  });
  return out.sort((a, b) => Object.keys(a).length - Object.keys(b).length);
}

/**
 * The container port number of an anticipated pod's named port: any number (a named port resolves
 * to every port of its protocol on such a pod).
 */
export const ANY_PORT_NUMBER = 0;

/** Every named port the policies name, each as a container port of any number. */
function anticipatedPorts(policies: readonly NetworkPolicyInfo[], clusterPolicies: readonly ClusterPolicyInfo[]): ContainerPort[] {
  const ports = new Map<string, ContainerPort>();
  for (const p of policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const port of r.ports ?? []) if (port.kind === 'named') ports.set(`${port.name}/${port.protocol}`, { name: port.name, port: ANY_PORT_NUMBER, protocol: port.protocol });
    }
  }
  for (const p of clusterPolicies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const port of r.ports ?? []) {
        if (port.kind !== 'named') continue;
        for (const protocol of PROTOCOLS) ports.set(`${port.name}/${protocol}`, { name: port.name, port: ANY_PORT_NUMBER, protocol });
      }
    }
  }
  return [...ports.values()].sort((a, b) => compareText(`${a.name}/${a.protocol}`, `${b.name}/${b.protocol}`));
}

/** `k=v,k2=v2` of a label map, sorted by key. */
function labelText(labels: Labels): string {
  return Object.keys(labels).sort().map(k => `${k}=${labels[k]}`).join(',');
}

/** `(new namespace)` for a namespace with no label a selector names, else `[team=a]`. */
function anticipatedNamespaceName(labels: Labels): string {
  const named = Object.fromEntries(Object.entries(labels).filter(([k, v]) => !(k === NAMESPACE_NAME_LABEL && v === NEW_NAMESPACE)));
  return Object.keys(named).length === 0 ? NEW_NAMESPACE : `[${labelText(named)}]`;
}

/** Labels of some of a workload's pods that every selector treats alike, and what sets them apart. */
interface LabelClass {
  readonly labels: Labels;
  readonly variant?: string;
}

/** Above this many replicas, a replica's own labels are read as unknown values rather than listed. */
const MAX_LISTED_REPLICAS = 1000;

/**
 * The classes of a workload's pods by the labels its controller sets: for every combination of the
 * values those labels can take (each replica's name and index; for a value the manifest cannot tell,
 * every value a selector names and one no selector names), the selectors that match; pods matched by
 * the same selectors form one class. One class with the written labels when no selector names a
 * varying label.
 */
function labelClasses(
  labels: Labels,
  varying: ReadonlyArray<{ readonly key: string; readonly value: string }>,
  name: string,
  replicas: number,
  selectors: readonly LabelSelector[],
): LabelClass[] {
  const named = varying.filter(v => selectors.some(s => s.mentions(v.key)));
  if (named.length === 0) return [{ labels }];
  const relevant = selectors.filter(s => named.some(v => s.mentions(v.key)));
  const listed = replicas <= MAX_LISTED_REPLICAS;
  const perReplica = listed ? named.filter(v => v.value === 'replica-name' || v.value === 'replica-index') : [];
  const unknown = named.filter(v => !perReplica.includes(v));
  // Candidates: one per replica (or one when none is listed) times each unknown key's values.
  let candidates: Array<Record<string, string>> = (perReplica.length > 0 ? Array.from({ length: replicas }, (_, i) => i) : [undefined]).map(i => {
    const out: Record<string, string> = { ...labels };
    if (i !== undefined) for (const v of perReplica) out[v.key] = v.value === 'replica-name' ? `${name}-${i}` : String(i);
    return out;
  });
  for (const v of unknown) {
    const values = [...selectors.flatMap(s => s.valuesNamed(v.key)), UNNAMED_LABEL_VALUE].filter((x, i, all) => all.indexOf(x) === i);
    candidates = candidates.flatMap(c => values.map(value => ({ ...c, [v.key]: value })));
  }
  const classes = new Map<string, Array<Record<string, string>>>();
  for (const c of candidates) {
    const signature = relevant.map(s => (s.matches(c) ? '1' : '0')).join('');
    const list = classes.get(signature);
    if (list) list.push(c);
    else classes.set(signature, [c]);
  }
  if (classes.size === 1) return [{ labels: candidates[0] }];
  return [...classes.values()].map(members => ({ labels: members[0], variant: describeClass(members, named.map(v => v.key)) }));
}

/** `statefulset.kubernetes.io/pod-name=kafka-0`, or `statefulset.kubernetes.io/pod-name in (kafka-1, kafka-2)` for a class of several. */
function describeClass(members: ReadonlyArray<Record<string, string>>, keys: readonly string[]): string {
  const value = (v: string) => (v === UNNAMED_LABEL_VALUE ? 'a value no selector names' : v);
  return keys.map(k => {
    const values = [...new Set(members.map(m => m[k]))];
    if (values.length === 1) return `${k}=${value(values[0])}`;
    const shown = values.slice(0, 3).map(value).join(', ');
    return `${k} in (${shown}${values.length > 3 ? `, and ${values.length - 3} more` : ''})`;
  }).join(', ');
}

/**
 * Real pods (listed first among the workload kinds) sort before workloads of the same name, so they
 * keep the plain `ns/name` key; custom kinds (a Rollout) come after the built-in ones.
 */
function kindRank(kind: PodKind): number {
  const rank = WORKLOAD_KINDS.findIndex(k => k.kind === kind);
  return rank < 0 ? WORKLOAD_KINDS.length : rank;
}

import { describeOrigin, isRecord, KubeObject, Manifest, manifestError } from '../manifests';
import { FieldError } from './errors';
import { IpAddress, parseIp } from './ipblock';
import { Labels, parseStringMap } from './labels';
import { isProtocol, MAX_PORT, MIN_PORT, Protocol } from './ports';

/** The label the API server sets on every namespace (and that policies commonly select on). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Name given to the stand-in pod of a namespace that has no pods or workloads: key `<ns>/*`. */
export const PLACEHOLDER_POD_NAME = '*';

/** Kinds whose pod template stands for the pods they create. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** What a model pod stands for: a real Pod, one representative of a workload, or an empty namespace. */
export type PodKind = 'Pod' | WorkloadKind | 'Placeholder';

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface PodInfo {
  /** Position in ReachabilityModel.pods. */
  readonly index: number;
  /** `namespace/name`; `namespace/*` for a placeholder (see PLACEHOLDER_POD_NAME). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: PodKind;
  readonly labels: Labels;
  /** status.podIP / status.podIPs; empty for workloads and placeholders, which never match ipBlocks. */
  readonly ips: readonly string[];
  readonly ports: readonly ContainerPort[];
  /** Where the object was read, e.g. `apps.yaml document 2`; undefined for placeholders. */
  readonly origin?: string;
}

export interface NamespaceInfo {
  readonly index: number;
  readonly name: string;
  /** Labels including the implied kubernetes.io/metadata.name. */
  readonly labels: Labels;
  /** True when a Namespace object was given (otherwise only implied by the objects in it). */
  readonly declared: boolean;
  readonly pods: readonly PodInfo[];
}

/** Pods (with parsed IPs) and namespaces of a cluster, plus the NetworkPolicy manifests to compile. */
export interface Inventory {
  readonly namespaces: readonly NamespaceInfo[];
  readonly pods: readonly PodInfo[];
  readonly podIps: ReadonlyArray<readonly IpAddress[]>;
  readonly policies: readonly Manifest[];
}

interface PodDraft {
  readonly kind: PodKind;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ips: readonly IpAddress[];
  readonly ipTexts: readonly string[];
  readonly ports: readonly ContainerPort[];
  readonly origin: string;
  readonly owners: readonly OwnerRef[];
}

interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

const TERMINATED_PHASES = new Set(['Succeeded', 'Failed']);

/** Builds the pods and namespaces the model reasons about from raw manifests. */
export function buildInventory(manifests: readonly Manifest[]): Inventory {
  const namespaceLabels = new Map<string, Labels | undefined>(); // undefined: only implied
  const drafts = new Map<string, PodDraft>(); // by kind/namespace/name: a later duplicate replaces
  const policies = new Map<string, Manifest>();
  const noteNamespace = (ns: string) => {
    if (!namespaceLabels.has(ns)) namespaceLabels.set(ns, undefined);
  };

  for (const m of manifests) {
    withOrigin(m, () => {
      const o = m.object;
      const ns = namespaceOf(o);
      if (o.kind === 'Namespace' && apiGroup(o) === '') {
        namespaceLabels.set(requiredName(o), parseStringMap(o.metadata?.labels, 'metadata.labels'));
      } else if (o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1') {
        noteNamespace(ns);
        policies.set(`${ns}/${requiredName(o)}`, m);
      } else if (isModelledPod(o)) {
        noteNamespace(ns);
        const draft = o.kind === 'Pod' ? podDraft(o, m) : workloadDraft(o, m);
        if (draft) drafts.set(`${draft.kind}/${ns}/${draft.name}`, draft);
      } else if (typeof o.metadata?.namespace === 'string' && o.metadata.namespace !== '') {
        noteNamespace(o.metadata.namespace); // other kinds only reveal that their namespace exists
      }
    });
  }
  return assemble(namespaceLabels, representedDrafts([...drafts.values()]), [...policies.values()]);
}

/** Runs a parsing step, turning field errors into ManifestErrors that name file, document and object. */
export function withOrigin<T>(m: Manifest, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof FieldError) {
      const name = typeof m.object.metadata?.name === 'string' ? ` ${namespaceOf(m.object)}/${m.object.metadata.name}` : '';
      throw manifestError(m, `${m.object.kind}${name}: ${e.message}`);
    }
    throw e;
  }
}

/** metadata.namespace, defaulting to `default` like kubectl does for namespaced objects. */
export function namespaceOf(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

function requiredName(o: KubeObject): string {
  const name = o.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new FieldError('metadata.name', 'is required');
  }
  return name;
}

function apiGroup(o: KubeObject): string {
  const slash = o.apiVersion.indexOf('/');
  return slash < 0 ? '' : o.apiVersion.slice(0, slash);
}

const WORKLOAD_GROUPS: Readonly<Record<WorkloadKind, readonly string[]>> = {
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  Job: ['batch'],
  CronJob: ['batch'],
};

function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

function isModelledPod(o: KubeObject): boolean {
  if (o.kind === 'Pod') return apiGroup(o) === '';
  return isWorkloadKind(o.kind) && WORKLOAD_GROUPS[o.kind].includes(apiGroup(o));
}

function podDraft(o: KubeObject, m: Manifest): PodDraft | undefined {
  const status = isRecord(o.status) ? o.status : {};
  if (typeof status.phase === 'string' && TERMINATED_PHASES.has(status.phase)) {
    return undefined; // finished pods have no network presence
  }
  const ipTexts = podIpTexts(status);
  return {
    kind: 'Pod',
    namespace: namespaceOf(o),
    name: requiredName(o),
    labels: parseStringMap(o.metadata?.labels, 'metadata.labels'),
    ipTexts,
    ips: ipTexts.map((ip, i) => parseIp(ip, i === 0 ? 'status.podIP' : `status.podIPs[${i}]`)),
    ports: containerPorts(o.spec, 'spec'),
    origin: describeOrigin(m),
    owners: ownerRefs(o),
  };
}

function podIpTexts(status: Record<string, unknown>): string[] {
  const ips: string[] = [];
  if (typeof status.podIP === 'string' && status.podIP !== '') ips.push(status.podIP);
  if (Array.isArray(status.podIPs)) {
    for (const entry of status.podIPs) {
      const ip = isRecord(entry) ? entry.ip : undefined;
      if (typeof ip === 'string' && ip !== '' && !ips.includes(ip)) ips.push(ip);
    }
  }
  return ips;
}

function workloadDraft(o: KubeObject, m: Manifest): PodDraft {
  const kind = o.kind as WorkloadKind;
  const templatePath = kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
  const template = templatePath.split('.').reduce<unknown>((v, f) => (isRecord(v) ? v[f] : undefined), o);
  const t = isRecord(template) ? template : {};
  const meta = isRecord(t.metadata) ? t.metadata : {};
  return {
    kind,
    namespace: namespaceOf(o),
    name: requiredName(o),
    labels: parseStringMap(meta.labels, `${templatePath}.metadata.labels`),
    ipTexts: [],
    ips: [],
    ports: containerPorts(t.spec, `${templatePath}.spec`),
    origin: describeOrigin(m),
    owners: ownerRefs(o),
  };
}

function containerPorts(spec: unknown, path: string): ContainerPort[] {
  if (!isRecord(spec)) return [];
  const ports: ContainerPort[] = [];
  // Init containers count too: restartable (sidecar) init containers serve traffic.
  for (const field of ['containers', 'initContainers']) {
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, ci) => {
      const list = isRecord(c) && Array.isArray(c.ports) ? c.ports : [];
      list.forEach((p, pi) => ports.push(containerPort(p, `${path}.${field}[${ci}].ports[${pi}]`)));
    });
  }
  return ports;
}

function containerPort(raw: unknown, path: string): ContainerPort {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping');
  const port = raw.containerPort;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    throw new FieldError(`${path}.containerPort`, `must be a port number between ${MIN_PORT} and ${MAX_PORT}`);
  }
  const protocol = raw.protocol ?? 'TCP';
  if (!isProtocol(protocol)) {
    throw new FieldError(`${path}.protocol`, `unknown protocol ${JSON.stringify(protocol)}`);
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
  return name === undefined ? { port, protocol } : { name, port, protocol };
}

function ownerRefs(o: KubeObject): OwnerRef[] {
  const refs = o.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter(isRecord).map((r) => ({ kind: String(r.kind), name: String(r.name) }));
}

/**
 * Drops workloads whose pods are already in the input (a `kubectl get all` dump holds the Pods,
 * their ReplicaSet and its Deployment) and workloads owned by another workload in the input (the
 * Deployment stands for its ReplicaSets, the CronJob for its Jobs), so nothing is counted twice.
 */
function representedDrafts(drafts: readonly PodDraft[]): PodDraft[] {
  const byRef = new Map<string, PodDraft>();
  for (const d of drafts) if (d.kind !== 'Pod') byRef.set(`${d.namespace}/${d.kind}/${d.name}`, d);
  const ownersOf = (d: PodDraft) =>
    d.owners.map((o) => byRef.get(`${d.namespace}/${o.kind}/${o.name}`)).filter((o): o is PodDraft => o !== undefined);

  const covered = new Set<PodDraft>();
  const coverChain = (d: PodDraft, seen: Set<PodDraft>) => {
    for (const owner of ownersOf(d)) {
      if (!seen.has(owner)) {
        seen.add(owner);
        covered.add(owner);
        coverChain(owner, seen);
      }
    }
  };
  for (const d of drafts) {
    if (d.kind === 'Pod') coverChain(d, new Set()); // real pods cover their whole owner chain
    else if (ownersOf(d).length > 0) covered.add(d); // the owner workload represents this one
  }
  return drafts.filter((d) => !covered.has(d));
}

function assemble(namespaceLabels: Map<string, Labels | undefined>, drafts: PodDraft[], policies: Manifest[]): Inventory {
  const names = [...namespaceLabels.keys()].sort(compareText);
  const byNamespace = new Map<string, PodDraft[]>(names.map((n) => [n, []]));
  for (const d of drafts) byNamespace.get(d.namespace)?.push(d);

  const pods: PodInfo[] = [];
  const podIps: IpAddress[][] = [];
  const namespaces = names.map((name, index): NamespaceInfo => {
    const nsDrafts = byNamespace.get(name) ?? [];
    nsDrafts.sort((a, b) => compareText(a.name, b.name) || kindRank(a.kind) - kindRank(b.kind));
    const nsPods: PodInfo[] = [];
    const taken = new Set<string>();
    for (const d of nsDrafts.length > 0 ? nsDrafts : [placeholderDraft(name)]) {
      const pod = toPodInfo(d, pods.length, taken);
      nsPods.push(pod);
      pods.push(pod);
      podIps.push([...d.ips]);
    }
    const labels = { ...(namespaceLabels.get(name) ?? {}), [NAMESPACE_NAME_LABEL]: name };
    return { index, name, labels, declared: namespaceLabels.get(name) !== undefined, pods: nsPods };
  });
  return { namespaces, pods, podIps, policies };
}

function placeholderDraft(namespace: string): PodDraft {
  return { kind: 'Placeholder', namespace, name: PLACEHOLDER_POD_NAME, labels: {}, ips: [], ipTexts: [], ports: [], origin: '', owners: [] };
}

function toPodInfo(d: PodDraft, index: number, taken: Set<string>): PodInfo {
  // A Pod and a workload (or two workload kinds) may share a name: later ones get a kind suffix.
  let key = `${d.namespace}/${d.name}`;
  if (taken.has(key)) key = `${key}@${d.kind}`;
  taken.add(key);
  const base = { index, key, namespace: d.namespace, name: d.name, kind: d.kind, labels: d.labels, ips: d.ipTexts, ports: d.ports };
  return d.kind === 'Placeholder' ? base : { ...base, origin: d.origin };
}

/** Real pods sort before workloads of the same name, so they keep the plain `ns/name` key. */
function kindRank(kind: PodKind): number {
  return kind === 'Pod' ? -1 : (WORKLOAD_KINDS as readonly string[]).indexOf(kind);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// What a flow needs to know of a workload: its namespace, the labels that select its pods and its
// container ports. Read from a cdk8s-plus workload through its public API (rendering one early
// would run its rendering twice, and cdk8s-plus's `spread` adds its constraints on every render),
// or from the rendering of any other ApiObject with a pod template. Internal to the package.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { podTemplateOf } from '../model/pod-template';
import { isProtocol, Protocol } from '../model/vocabulary';
import { guardError, HasPath } from '../private/errors';
import { fingerprint, isRecord, valueAt } from '../private/json';
import { labelsProblems } from '../private/names';

/** One container port of a workload's pods. */
export interface WorkloadContainerPort {
  readonly port: number;
  readonly name?: string;
  readonly protocol: Protocol;
}

/** The pods of a workload, as a flow selects them. */
export interface WorkloadPods {
  /** The object's kind, for messages. */
  readonly kind: string;
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.namespace`, undefined when the object names none. */
  readonly namespace?: string;
  /**
   * The labels that select the workload's pods: its selector's `matchLabels` when the selector is
   * only that, else every label of its pod template (which all its pods carry).
   */
  readonly podLabels: { [key: string]: string };
  /** The container ports of every container, init containers included (sidecars serve traffic). */
  readonly containerPorts: WorkloadContainerPort[];
}

/** Where an error about a workload is reported, and the call that was made. */
export interface WorkloadCall {
  readonly scope: HasPath | string;
  readonly call: string;
}

/** What was read of a workload, to be compared with what it renders at synthesis. */
interface Reading {
  readonly what: 'pods' | 'ports';
  readonly text: string;
}

const readings = new WeakMap<IConstruct, Reading[]>();

/**
 * Reads the pods of `workload` (a cdk8s-plus workload, or a construct whose default child is an
 * ApiObject with a pod template). Throws a guard error naming `at.scope` when it has none. The
 * reading is checked again at synthesis: a workload changed after it was read fails synthesis.
 */
export function readWorkloadPods(workload: IConstruct, at: WorkloadCall, what: 'pods' | 'ports'): WorkloadPods {
  if (!isConstruct(workload)) {
    throw guardError(at.scope, `${at.call} was given ${String(workload)} instead of a workload`,
      'pass a cdk8s-plus workload (for example a kplus.Deployment) or the ApiObject of a workload');
  }
  const result = read(workload);
  if (typeof result === 'string') {
    throw guardError(at.scope, `${at.call}: ${workload.node.path} ${result}`,
      'pass a workload whose pod template carries labels (a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, '
      + 'or a custom resource with spec.template), or select the pods by label with pods({...})');
  }
  remember(workload, what, result);
  return result;
}

/** The facts of a workload, or why it has no pods a flow can select. */
function read(workload: IConstruct): WorkloadPods | string {
  const object = apiObjectOf(workload);
  if (!object) return 'is not an ApiObject and has no ApiObject as its default child';
  const plus = plusWorkloadOf(workload);
  const facts = plus ? readPlus(object, plus) : readRendered(object);
  if (typeof facts === 'string') return facts;
  const problems = labelsProblems(facts.podLabels);
  if (problems.length > 0) return `has pod labels a selector cannot use: ${problems.join('; ')}`;
  return facts;
}

/** The parts of a cdk8s-plus workload (or Pod) that say which pods it runs. */
interface PlusWorkload {
  readonly podMetadata: { toJson(): unknown };
  readonly containers: ReadonlyArray<{ readonly ports?: ReadonlyArray<PlusPort> }>;
  readonly initContainers?: ReadonlyArray<{ readonly ports?: ReadonlyArray<PlusPort> }>;
  /** Workloads only (a Pod is selected by its own labels). */
  readonly matchLabels?: { [key: string]: string };
  readonly matchExpressions?: readonly unknown[];
}

interface PlusPort {
  readonly number: number;
  readonly name?: string;
  readonly protocol?: string;
}

function plusWorkloadOf(workload: IConstruct): PlusWorkload | undefined {
  const candidate = workload as unknown as Partial<PlusWorkload>;
  const metadata = candidate.podMetadata as { toJson?: unknown } | undefined;
  return typeof metadata?.toJson === 'function' && Array.isArray(candidate.containers) ? candidate as PlusWorkload : undefined;
}

function readPlus(object: ApiObject, plus: PlusWorkload): WorkloadPods | string {
  const meta = plus.podMetadata.toJson();
  const templateLabels = stringMap(isRecord(meta) ? meta.labels : undefined);
  const selectorLabels = stringMap(plus.matchLabels);
  const expressions = plus.matchExpressions?.length ?? 0;
  const podLabels = choose(selectorLabels, expressions > 0, templateLabels);
  if (typeof podLabels === 'string') return podLabels;
  const ports = containerPorts([...plus.containers, ...plus.initContainers ?? []]
    .flatMap(c => (c.ports ?? []).map(p => ({ port: p.number, name: p.name, protocol: p.protocol }))));
  if (typeof ports === 'string') return ports;
  return { kind: object.kind, name: object.name, namespace: object.metadata.namespace, podLabels, containerPorts: ports };
}

function readRendered(object: ApiObject): WorkloadPods | string {
  const json: unknown = object.toJson();
  const template = podTemplateOf(json);
  if (!template) return `is a ${object.kind}, which has no pod template`;
  // The selector sits next to the template (spec.selector of a Deployment); a Pod has none.
  const holder = template.path.split('.').slice(0, -1);
  const selector = holder.length > 0 ? valueAt(json, [...holder.slice(0, -1), 'selector']) : undefined;
  const expressions = isRecord(selector) && Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  const selectorLabels = stringMap(isRecord(selector) ? selector.matchLabels : undefined);
  const podLabels = choose(selectorLabels, expressions > 0, stringMap(template.metadata.labels));
  if (typeof podLabels === 'string') return podLabels;
  const raw: Array<{ port: unknown; name?: unknown; protocol?: unknown }> = [];
  for (const field of ['containers', 'initContainers']) {
    const containers = template.spec[field];
    for (const c of Array.isArray(containers) ? containers : []) {
      for (const p of isRecord(c) && Array.isArray(c.ports) ? c.ports : []) {
        if (isRecord(p)) raw.push({ port: p.containerPort, name: p.name, protocol: p.protocol });
      }
    }
  }
  const ports = containerPorts(raw);
  if (typeof ports === 'string') return ports;
  const meta = isRecord(json) && isRecord(json.metadata) ? json.metadata : {};
  return {
    kind: object.kind,
    name: typeof meta.name === 'string' ? meta.name : object.name,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    podLabels,
    containerPorts: ports,
  };
}

/**
 * The selector's labels when the selector is only labels: exactly the pods the workload owns. A
 * selector with expressions (or none) leaves the template's labels, which every pod it runs carries.
 */
function choose(selectorLabels: { [key: string]: string }, hasExpressions: boolean, templateLabels: { [key: string]: string }):
{ [key: string]: string } | string {
  const mismatched = Object.keys(selectorLabels).filter(k => templateLabels[k] !== selectorLabels[k]).sort();
  if (mismatched.length > 0) {
    return `has a selector that its own pod template does not match (${mismatched.map(k => `${k}=${selectorLabels[k]}`).join(', ')}), `
      + 'which the API server refuses';
  }
  const labels = Object.keys(selectorLabels).length > 0 && !hasExpressions ? selectorLabels : templateLabels;
  if (Object.keys(labels).length === 0) return 'has no pod selector and no pod template labels, so nothing selects its pods';
  return { ...labels };
}

/** The container ports, or what is wrong with one of them (the API server would refuse it). */
function containerPorts(raw: ReadonlyArray<{ port: unknown; name?: unknown; protocol?: unknown }>): WorkloadContainerPort[] | string {
  const ports: WorkloadContainerPort[] = [];
  for (const { port, name, protocol } of raw) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      return `has a container port ${JSON.stringify(port)} that is no port number from 1 to 65535`;
    }
    if (protocol !== undefined && !isProtocol(protocol)) {
      return `has container port ${port} with protocol ${JSON.stringify(protocol)}, which is not TCP, UDP or SCTP`;
    }
    const p = (protocol ?? Protocol.TCP) as Protocol;
    ports.push(typeof name === 'string' && name !== '' ? { port, name, protocol: p } : { port, protocol: p });
  }
  return ports;
}

function stringMap(value: unknown): { [key: string]: string } {
  if (!isRecord(value)) return {};
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function apiObjectOf(workload: IConstruct): ApiObject | undefined {
  if (ApiObject.isApiObject(workload)) return workload;
  const child = workload.node.defaultChild;
  return child !== undefined && ApiObject.isApiObject(child) ? child : undefined;
}

function isConstruct(value: unknown): value is IConstruct {
  return isRecord(value) && isRecord(value.node) && typeof value.node.path === 'string';
}

/**
 * Records what was read, and on first reading adds a check at synthesis: flows were written from
 * this reading, so a workload whose namespace, pod labels or ports change afterwards fails.
 */
function remember(workload: IConstruct, what: 'pods' | 'ports', facts: WorkloadPods): void {
  const reading = { what, text: readingText(what, facts) };
  const known = readings.get(workload);
  if (known) {
    if (!known.some(r => r.what === reading.what && r.text === reading.text)) known.push(reading);
    return;
  }
  const held = [reading];
  readings.set(workload, held);
  workload.node.addValidation({
    validate: () => {
      const now = read(workload);
      if (typeof now === 'string') return [`${now}, but flows were declared with its pods. Fix: give the workload its pod labels before declaring flows with it`];
      const changed = held.filter(r => r.text !== readingText(r.what, now));
      if (changed.length === 0) return [];
      const parts = [...new Set(changed.map(r => (r.what === 'pods' ? 'its namespace or pod labels' : 'its container ports')))];
      return [`${parts.join(' and ')} changed after flows were declared with it (podsOf, Port.ofWorkload), so those flows select or open something else. `
        + 'Fix: finish the workload (namespace, selector, pod labels, containers) before declaring flows with it'];
    },
  });
}

function readingText(what: 'pods' | 'ports', facts: WorkloadPods): string {
  return what === 'pods'
    ? fingerprint({ namespace: facts.namespace ?? null, labels: facts.podLabels })
    : fingerprint(facts.containerPorts);
}

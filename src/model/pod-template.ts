// The one reader of pod templates: where a Pod, a workload or a PodTemplate keeps its pod's
// metadata and spec.
import { KubeObject } from './manifests';
import { apiGroupOf, WORKLOAD_KINDS, workloadKindOf, WorkloadKind } from './vocabulary';
import { isRecord, joinPath, valueAt } from '../private/json';

/** Where a manifest keeps its pod template. */
export interface PodTemplateLocation {
  /** Pod (template) metadata; `{}` when absent. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The pod spec. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Path of the pod spec inside the manifest, e.g. `spec.template.spec` (a Pod: `spec`). */
  readonly path: string;
  /** Path of the pod (template) metadata, e.g. `spec.template.metadata`. */
  readonly metadataPath: string;
}

// Path from the manifest root to the object holding `metadata` and `spec` of the pod.
const TEMPLATE_HOLDERS: ReadonlyMap<string, readonly string[]> = new Map([
  ...WORKLOAD_KINDS.map(k => [k.kind, k.templateHolder] as const),
  ['PodTemplate', ['template']],
]);

// For kinds we do not know (custom resources, kind-less snippets) the same shapes are tried,
// most nested first, but only accepted when they hold a pod spec with a containers list.
const FALLBACK_HOLDERS: readonly (readonly string[])[] = [
  ['spec', 'jobTemplate', 'spec', 'template'],
  ['spec', 'template'],
  ['template'],
  [],
];

/**
 * Locates the pod template of a Pod, a PodTemplate or a built-in workload (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob). Objects of other kinds are accepted
 * when they have one of those shapes and a `containers` list. Returns undefined when there is no
 * pod spec.
 */
export function podTemplateOf(manifest: unknown): PodTemplateLocation | undefined {
  if (!isRecord(manifest)) {
    return undefined;
  }
  const known = typeof manifest.kind === 'string' ? TEMPLATE_HOLDERS.get(manifest.kind) : undefined;
  if (known) {
    return templateAt(manifest, known, false);
  }
  for (const holder of FALLBACK_HOLDERS) {
    const found = templateAt(manifest, holder, true);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function templateAt(root: Record<string, unknown>, holderPath: readonly string[], requireContainers: boolean): PodTemplateLocation | undefined {
  const holder = valueAt(root, holderPath);
  const spec = isRecord(holder) ? holder.spec : undefined;
  if (!isRecord(holder) || !isRecord(spec) || (requireContainers && !Array.isArray(spec.containers))) {
    return undefined;
  }
  return {
    metadata: isRecord(holder.metadata) ? holder.metadata : {},
    spec,
    path: joinPath('', ...holderPath, 'spec'),
    metadataPath: joinPath('', ...holderPath, 'metadata'),
  };
}

/**
 * Whether an API group is one of Kubernetes' own (core, apps, batch, `*.k8s.io`) rather than a
 * custom resource's: only custom resources are read by shape, built-in kinds by their kind.
 */
export function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

// One WorkloadKind per custom kind and template shape, so every object of the kind shares it.
const customKinds = new Map<string, WorkloadKind>();

/**
 * The workload kind of an object, the one answer every command uses: a Pod or built-in workload by
 * its kind, or a custom resource whose spec holds a standard pod template (an Argo Rollout's or a
 * Knative Service's `spec.template`, a `spec.jobTemplate.spec.template`) with a containers list.
 */
export function workloadKindOfObject(o: KubeObject): WorkloadKind | undefined {
  const builtIn = workloadKindOf(o.apiVersion, o.kind);
  const group = apiGroupOf(o.apiVersion);
  if (builtIn || isBuiltInGroup(group)) return builtIn;
  const holder = CUSTOM_HOLDERS.find(h => templateAt(o, h, true));
  if (!holder) return undefined;
  const key = `${group}/${o.kind}/${holder.join('.')}`;
  let found = customKinds.get(key);
  if (!found) {
    // The count sits next to the template: spec.replicas, or the job template's parallelism.
    const count = holder[1] === 'jobTemplate' ? 'parallelism' : 'replicas';
    found = { kind: o.kind, groups: [group], templateHolder: holder, parallelism: [...holder.slice(0, -1), count] };
    customKinds.set(key, found);
  }
  return found;
}

// The standard template shapes a custom resource is modelled from (a bare `spec.containers` is
// not a template: nothing says which labels its pods carry).
const CUSTOM_HOLDERS: readonly (readonly string[])[] = [
  ['spec', 'jobTemplate', 'spec', 'template'],
  ['spec', 'template'],
];

/** Whether a workload kind is a custom resource read by its shape, not one of Kubernetes' own kinds. */
export function isCustomWorkloadKind(kind: WorkloadKind): boolean {
  return !kind.groups.some(isBuiltInGroup);
}

// Fields only a pod spec, or an operator's description of the pods it runs, has.
const POD_FIELDS = new Set(['containers', 'initContainers', 'serviceAccountName', 'podMetadata', 'podTemplate', 'nodeSelector', 'tolerations', 'affinity', 'hostNetwork']);
const POD_FIELD_DEPTH = 6;

/**
 * Whether a custom resource that is no workload still describes pods it runs through an operator
 * (a Prometheus, an Alertmanager, a Rollout with a workloadRef...): its spec has pod fields
 * somewhere. Such pods are not in the input, so nothing can be said about them.
 */
export function carriesPods(o: KubeObject): boolean {
  if (isBuiltInGroup(apiGroupOf(o.apiVersion)) || workloadKindOfObject(o)) return false;
  const search = (value: unknown, depth: number): boolean => {
    if (depth > POD_FIELD_DEPTH) return false;
    if (Array.isArray(value)) return value.some(v => search(v, depth + 1));
    if (!isRecord(value)) return false;
    return Object.entries(value).some(([k, v]) => POD_FIELDS.has(k) || search(v, depth + 1));
  };
  return search(o.spec, 0);
}

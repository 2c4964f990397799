// The one reader of pod templates: where a Pod, a workload or a PodTemplate keeps its pod's
// metadata and spec.
import { WORKLOAD_KINDS } from './vocabulary';
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

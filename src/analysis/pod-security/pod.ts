import { ContainerKind, ContainerRef, Fields, PodView } from './types';

/** Where a manifest keeps its pod template. */
export interface PodTemplateLocation {
  /** Pod (template) metadata; `{}` when absent. */
  readonly metadata: Fields;
  /** The pod spec. */
  readonly spec: Fields;
  /** Path of the pod spec inside the manifest, e.g. `spec.template.spec` (a Pod: `spec`). */
  readonly path: string;
  /** Path of the pod (template) metadata, e.g. `spec.template.metadata`. */
  readonly metadataPath: string;
}

// Path from the manifest root to the object holding `metadata` and `spec` of the pod.
const TEMPLATE_HOLDERS: ReadonlyMap<string, readonly string[]> = new Map([
  ['Pod', []],
  ['PodTemplate', ['template']],
  ['Deployment', ['spec', 'template']],
  ['StatefulSet', ['spec', 'template']],
  ['DaemonSet', ['spec', 'template']],
  ['ReplicaSet', ['spec', 'template']],
  ['ReplicationController', ['spec', 'template']],
  ['Job', ['spec', 'template']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
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
 * Locates the pod template of a Pod, PodTemplate, or workload (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob). Objects of other kinds
 * are accepted when they have one of those shapes and a `containers` list.
 * Returns undefined when there is no pod spec.
 */
export function podTemplateOf(manifest: unknown): PodTemplateLocation | undefined {
  const root = asObject(manifest);
  if (!root) {
    return undefined;
  }
  const known = typeof root.kind === 'string' ? TEMPLATE_HOLDERS.get(root.kind) : undefined;
  if (known) {
    return templateAt(root, known, false);
  }
  for (const holder of FALLBACK_HOLDERS) {
    const found = templateAt(root, holder, true);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function templateAt(root: Fields, holderPath: readonly string[], requireContainers: boolean): PodTemplateLocation | undefined {
  const holder = asObject(valueAt(root, holderPath));
  const spec = asObject(holder?.spec);
  if (!holder || !spec || (requireContainers && !Array.isArray(spec.containers))) {
    return undefined;
  }
  return {
    metadata: asObject(holder.metadata) ?? {},
    spec,
    path: joinPath('', ...holderPath, 'spec'),
    metadataPath: joinPath('', ...holderPath, 'metadata'),
  };
}

const CONTAINER_LISTS: readonly (readonly [ContainerKind, string])[] = [
  ['initContainer', 'initContainers'],
  ['container', 'containers'],
  ['ephemeralContainer', 'ephemeralContainers'],
];

/** Normalises a located template for the checks. */
export function podViewOf(template: PodTemplateLocation): PodView {
  const { spec } = template;
  const containers: ContainerRef[] = [];
  for (const [kind, listField] of CONTAINER_LISTS) {
    asArray(spec[listField]).forEach((item, index) => {
      const fields = asObject(item);
      if (!fields) {
        return;
      }
      containers.push({
        kind,
        name: typeof fields.name === 'string' ? fields.name : '',
        path: joinPath(template.path, listField, index),
        fields,
        securityContext: asObject(fields.securityContext),
      });
    });
  }
  return {
    metadata: template.metadata,
    spec,
    metadataPath: template.metadataPath,
    specPath: template.path,
    securityContext: asObject(spec.securityContext),
    containers,
    isWindows: asObject(spec.os)?.name === 'windows',
    usesUserNamespace: spec.hostUsers === false,
  };
}

// ---------------------------------------------------------------------------
// Reading untrusted manifest values.

/** The value if it is a plain JSON object, else undefined. */
export function asObject(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

/** The value if it is an array, else an empty array. */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value at a chain of object keys, or undefined where the chain breaks. */
export function valueAt(object: Fields, keys: readonly string[]): unknown {
  let value: unknown = object;
  for (const key of keys) {
    value = asObject(value)?.[key];
  }
  return value;
}

/** Present in the manifest: neither missing nor `null` (a Go pointer that is not nil). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** The value as the string Go would see; missing or null is the empty string. */
export function asText(value: unknown): string {
  return isSet(value) ? String(value) : '';
}

// ---------------------------------------------------------------------------
// Paths and message fragments.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends keys to a dotted path: numbers become `[i]`, keys that are not identifiers
 * (annotation keys) become `["key"]`. Each string is one key, never a dotted path.
 */
export function joinPath(base: string, ...segments: (string | number)[]): string {
  let result = base;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      result += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      result += result ? `.${segment}` : segment;
    } else {
      result += `[${JSON.stringify(segment)}]`;
    }
  }
  return result;
}

const KIND_LABELS: Readonly<Record<ContainerKind, string>> = {
  initContainer: 'init container',
  container: 'container',
  ephemeralContainer: 'ephemeral container',
};

/** `container "app"`, `init container "setup"`, or the path for unnamed containers. */
export function describeContainer(container: ContainerRef): string {
  const label = KIND_LABELS[container.kind];
  return container.name ? `${label} "${container.name}"` : `unnamed ${label} at ${container.path}`;
}

/** `"a", "b"` — quoted, comma separated. */
export function quoteList(items: readonly string[]): string {
  return items.map((item) => JSON.stringify(item)).join(', ');
}

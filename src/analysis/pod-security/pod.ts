import { ContainerKind, ContainerRef, Fields, PodView } from './types';
import { PodTemplateLocation } from '../../model/pod-template';
import { isRecord, joinPath } from '../../private/json';

export { joinPath, valueAt } from '../../private/json';

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
  return isRecord(value) ? value : undefined;
}

/** The value if it is an array, else an empty array. */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
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

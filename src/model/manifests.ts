// Kubernetes objects as read from YAML or JSON (or rendered by cdk8s), with where each came from,
// so that every error and finding can name the file and the document.
import { parseAllDocuments } from 'yaml';
import { isRecord } from '../private/json';

/** A Kubernetes object as parsed from YAML or JSON: only apiVersion and kind are guaranteed. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: Record<string, unknown>;
  readonly [field: string]: unknown;
}

/** One object read from a manifest file, with enough provenance for error messages. */
export interface Manifest {
  /** The parsed object. */
  readonly object: KubeObject;
  /** File name (or other label) the object came from; `<stdin>` for standard input. */
  readonly source: string;
  /** 1-based index of the YAML document within the source. */
  readonly document: number;
  /** 1-based index within the `items` of a `List` document, when the object came from one. */
  readonly item?: number;
}

/** Where a manifest came from. */
export type Origin = Pick<Manifest, 'source' | 'document' | 'item'>;

/**
 * Raised for input that cannot be turned into manifests (or into a model): the message always
 * names the file and the document so the user can find the offending object.
 */
export class ManifestError extends Error {
  constructor(message: string, readonly source?: string, readonly document?: number) {
    super(message);
    this.name = 'ManifestError';
  }
}

/**
 * A problem with one field of an object. Parsers throw it with the field path; `withOrigin` turns it
 * into a ManifestError that also names the file, document and object.
 */
export class FieldError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'FieldError';
  }
}

/** Human-readable location of a manifest, e.g. `cluster.yaml document 3 item 2`. */
export function describeOrigin(m: Origin): string {
  const item = m.item === undefined ? '' : ` item ${m.item}`;
  return `${m.source} document ${m.document}${item}`;
}

/** Builds a ManifestError located at the given manifest. */
export function manifestError(m: Origin, problem: string): ManifestError {
  return new ManifestError(`${describeOrigin(m)}: ${problem}`, m.source, m.document);
}

/** metadata.namespace, defaulting to `default` like kubectl does for namespaced objects. */
export function namespaceOf(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
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

/** The most aliases one document may expand, so an alias bomb ends with an error instead of a hang. */
export const MAX_ALIAS_COUNT = 1000;

/**
 * Parses multi-document YAML (JSON is a subset) into manifests. `kind: List` and any `*List` kind
 * with an `items` array (as printed by `kubectl get -o yaml`) are flattened; a top-level JSON array
 * is treated the same way. Empty documents are skipped but still counted, so document numbers match
 * what an editor shows between `---` separators.
 */
export function parseManifests(text: string, source: string): Manifest[] {
  const documents = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(documents)) {
    return []; // an empty stream: nothing but comments or whitespace
  }
  const result: Manifest[] = [];
  documents.forEach((doc, index) => {
    const document = index + 1;
    if (doc.errors.length > 0) {
      throw new ManifestError(`${source} document ${document}: invalid YAML: ${firstLine(doc.errors[0].message)}`, source, document);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      throw new ManifestError(`${source} document ${document}: cannot read the YAML: ${firstLine((e as Error).message)}`, source, document);
    }
    if (value !== null && value !== undefined) {
      result.push(...toManifests(value, source, document));
    }
  });
  return result;
}

/**
 * Turns an already-parsed value (one document) into manifests, flattening lists. Throws a
 * ManifestError naming `source` and `document` for anything that is not a Kubernetes object.
 */
export function toManifests(value: unknown, source: string, document: number): Manifest[] {
  const items = listItems(value, source, document);
  if (items === undefined) {
    return [{ object: asKubeObject(value, { source, document }), source, document }];
  }
  return items.map((itemValue, i) => {
    const origin = { source, document, item: i + 1 };
    return { object: asKubeObject(itemValue, origin), ...origin };
  });
}

/** The items to flatten when `value` is a list document, otherwise undefined. */
function listItems(value: unknown, source: string, document: number): unknown[] | undefined {
  if (Array.isArray(value)) {
    return value;
  }
  if (!isRecord(value) || typeof value.kind !== 'string' || !value.kind.endsWith('List')) {
    return undefined;
  }
  if (value.items === undefined || value.items === null) {
    return [];
  }
  if (!Array.isArray(value.items)) {
    throw new ManifestError(`${source} document ${document}: ${value.kind} has a non-list "items" field`, source, document);
  }
  return value.items;
}

function asKubeObject(value: unknown, origin: Origin): KubeObject {
  if (!isRecord(value)) {
    throw manifestError(origin, `expected a Kubernetes object (a mapping with apiVersion and kind), got ${typeName(value)}`);
  }
  const missing = ['apiVersion', 'kind'].filter((f) => typeof value[f] !== 'string' || value[f] === '');
  if (missing.length > 0) {
    throw manifestError(origin, `not a Kubernetes object: missing ${missing.join(' and ')}`);
  }
  if (value.metadata !== undefined && value.metadata !== null && !isRecord(value.metadata)) {
    throw manifestError(origin, `${String(value.kind)}: metadata must be a mapping`);
  }
  return value as KubeObject;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

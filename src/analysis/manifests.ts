import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

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

/** Human-readable location of a manifest, e.g. `cluster.yaml document 3 item 2`. */
export function describeOrigin(m: Pick<Manifest, 'source' | 'document' | 'item'>): string {
  const item = m.item === undefined ? '' : ` item ${m.item}`;
  return `${m.source} document ${m.document}${item}`;
}

/** Builds a ManifestError located at the given manifest. */
export function manifestError(m: Pick<Manifest, 'source' | 'document' | 'item'>, problem: string): ManifestError {
  return new ManifestError(`${describeOrigin(m)}: ${problem}`, m.source, m.document);
}

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
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
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

/** Reads files, directories (recursively: *.yaml, *.yml, *.json, sorted) and `-` (stdin). */
export function loadManifestFiles(paths: readonly string[]): Manifest[] {
  const result: Manifest[] = [];
  for (const p of paths) {
    if (p === '-') {
      result.push(...parseManifests(readSource(0, '<stdin>'), '<stdin>'));
      continue;
    }
    for (const file of expandPath(p)) {
      result.push(...parseManifests(readSource(file, file), file));
    }
  }
  return result;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function expandPath(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    throw new ManifestError(`${p}: cannot read: ${(e as Error).message}`, p);
  }
  if (!stat.isDirectory()) {
    return [p]; // an explicitly named file is read whatever its extension
  }
  const files: string[] = [];
  collectManifestFiles(p, files);
  // Plain code-unit order, not locale order, so results are identical on every machine.
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function collectManifestFiles(dir: string, into: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && fs.statSync(full).isDirectory());
    if (isDir) {
      collectManifestFiles(full, into);
    } else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      into.push(full);
    }
  }
}

function readSource(file: string | number, label: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestError(`${label}: cannot read: ${(e as Error).message}`, label);
  }
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

function asKubeObject(value: unknown, origin: Pick<Manifest, 'source' | 'document' | 'item'>): KubeObject {
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

/** True for plain mappings (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

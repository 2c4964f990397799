// Kubernetes objects as read from YAML or JSON (or rendered by cdk8s), with where each came from,
// so that every error and finding can name the file and the document.
import type { Document, DocumentOptions, Node, ParseOptions, ScalarTag, SchemaOptions, Tags } from 'yaml';
import { readFast } from './fast-yaml';
import { isClusterScopedStorage } from './vocabulary';
import { PLAIN_SCALARS } from './yaml-scalars';
import { isRecord } from '../private/json';
import { yamlPackage } from '../private/yaml-package';

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
  /**
   * 1-based line of the source where the object starts (its document's first node, or its entry
   * in a list); undefined for objects not read from text (rendered by cdk8s).
   */
  readonly line?: number;
}

/** Where a manifest came from. */
export type Origin = Pick<Manifest, 'source' | 'document' | 'item' | 'line'>;

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

/** `namespace/name`, or the bare name of a Namespace or another cluster-scoped kind the model reads. */
function qualifiedName(o: KubeObject, name: string): string {
  return o.kind === 'Namespace' || isClusterScopedStorage(o) ? name : `${namespaceOf(o)}/${name}`;
}

/** Runs a parsing step, turning field errors into ManifestErrors that name file, document and object. */
export function withOrigin<T>(m: Manifest, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof FieldError) {
      const name = typeof m.object.metadata?.name === 'string' ? ` ${qualifiedName(m.object, m.object.metadata.name)}` : '';
      throw manifestError(m, `${m.object.kind}${name}: ${e.message}`);
    }
    throw e;
  }
}

/** The most aliases one document may expand, so an alias bomb ends with an error instead of a hang. */
export const MAX_ALIAS_COUNT = 1000;

/** The most nodes one document may expand to through aliases and merge keys. */
export const MAX_EXPANDED_NODES = 1_000_000;

// Plain scalars are read as kubectl reads them (YAML 1.1 booleans and octal, see PLAIN_SCALARS),
// before the core schema's tags, which still give explicit tags (`!!str`) their meaning.
const PLAIN_SCALAR_TAGS: ScalarTag[] = PLAIN_SCALARS.map(s => ({ tag: s.tag, default: true, test: s.test, resolve: s.resolve }));

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  prettyErrors: false,
  schema: 'core',
  customTags: (core: Tags) => [...PLAIN_SCALAR_TAGS, ...core],
  merge: true, // `<<: *anchor` merges a mapping, as go-yaml does; keys written in the mapping win
};

/**
 * Parses multi-document YAML (JSON is a subset) into manifests, reading scalars and merge keys as
 * kubectl does (YAML 1.1 booleans and octal, `<<` merge keys). `kind: List` and any `*List` kind
 * with an `items` array (as printed by `kubectl get -o yaml`) are flattened; a top-level JSON array
 * is treated the same way. Empty documents are skipped but still counted, so document numbers match
 * what an editor shows between `---` separators. A stream of JSON values (`jq '.items[]'`) is read
 * as one document per value.
 */
export function parseManifests(text: string, source: string): Manifest[] {
  const values = jsonStream(text);
  if (values !== undefined) {
    const lines = new LineStarts(text);
    // Items of a list inside a stream (rare: jq prints objects) take the line of their list.
    return values.flatMap((json, index) => toManifests(parseJson(json.text, source, index + 1), source, index + 1, lines.lineOf(json.start)));
  }
  const fast = readFast(text);
  if (fast !== undefined) {
    return fast.flatMap((doc, index) => (doc.value === null || doc.value === undefined ? [] : toManifests(doc.value, source, index + 1, doc.line)));
  }
  return parseYamlManifests(text, source);
}

/**
 * The full reader of parseManifests, for any YAML: it keeps the syntax tree, so it resolves aliases
 * and merge keys, bounds what they expand to, refuses collections as keys and words syntax errors.
 * parseManifests leaves to it whatever the fast path is not sure of, with the same result.
 */
export function parseYamlManifests(text: string, source: string): Manifest[] {
  // The line counter only records newline offsets while lexing, so positions cost next to nothing.
  const { LineCounter, parseAllDocuments } = yamlPackage();
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  if (!Array.isArray(documents)) {
    return []; // an empty stream: nothing but comments or whitespace
  }
  const result: Manifest[] = [];
  documents.forEach((doc, index) => {
    const document = index + 1;
    const fail = (problem: string) => new ManifestError(`${source} document ${document}: ${problem}`, source, document);
    if (doc.errors.length > 0) {
      throw fail(`invalid YAML: ${firstLine(doc.errors[0].message)}`);
    }
    let value: unknown;
    try {
      checkAliases(doc);
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // Any failure here is about this document (an alias, a merge key): never a stack trace.
      throw fail(`cannot read the YAML: ${firstLine((e as Error).message)}`);
    }
    if (value !== null && value !== undefined) {
      const line = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
      result.push(...toManifests(value, source, document, line(doc.contents?.range?.[0] ?? doc.range[0]), yamlItemLines(doc).map(line)));
    }
  });
  return result;
}

/**
 * Reads a file that holds one YAML (or JSON) document of settings rather than Kubernetes objects,
 * with the scalars, merge keys and alias limits of parseManifests; undefined when it is empty.
 * Throws a ManifestError naming the source for invalid YAML or a second document.
 */
export function parseSettingsDocument(text: string, source: string): unknown {
  const documents = yamlPackage().parseAllDocuments(text, YAML_OPTIONS);
  if (!Array.isArray(documents)) return undefined;
  const broken = documents.find(d => d.errors.length > 0);
  if (broken) throw new ManifestError(`${source}: invalid YAML: ${firstLine(broken.errors[0].message)}`, source);
  const nonEmpty = documents.filter(d => d.contents !== null);
  if (nonEmpty.length > 1) {
    throw new ManifestError(`${source}: holds ${nonEmpty.length} YAML documents; write the settings as one document`, source);
  }
  const doc = nonEmpty[0];
  if (doc === undefined) return undefined;
  try {
    checkAliases(doc);
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new ManifestError(`${source}: cannot read the YAML: ${firstLine((e as Error).message)}`, source);
  }
}

/**
 * The start offsets of the entries of a list document (a top-level sequence, or the `items` of a
 * `*List`), in order; empty for any other document. Only the first level is looked at.
 */
function yamlItemLines(doc: Document.Parsed): Array<number | undefined> {
  const { isMap, isScalar, isSeq } = yamlPackage();
  let seq: unknown = doc.contents;
  if (isMap(seq)) {
    const items = seq.items.find(pair => isScalar(pair.key) && pair.key.value === 'items');
    seq = items?.value;
  }
  return isSeq(seq) ? seq.items.map(item => (item as Node | null)?.range?.[0]) : [];
}

/** Newline offsets of a text, for turning offsets into 1-based line numbers. */
class LineStarts {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/**
 * Checks every alias before the document is converted: it must name an anchor of the same
 * document, not one that contains it, and the document must not expand (through aliases and merge
 * keys, which the yaml package does not count) beyond MAX_EXPANDED_NODES. No key may be a mapping
 * or a list.
 */
function checkAliases(doc: Document.Parsed): void {
  const { isAlias, isCollection, isMap, isPair, isScalar, isSeq } = yamlPackage();
  const sizes = new Map<unknown, number>();
  const expanding = new Set<unknown>();
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) {
        throw new Error(`alias *${node.source} names no anchor before it in this document (anchors do not reach across --- separators)`);
      }
      return size(target);
    }
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (expanding.has(node)) throw new Error('an alias refers to the node that contains it');
    expanding.add(node);
    let total = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (isPair(item) && isCollection(isAlias(item.key) ? item.key.resolve(doc) : item.key)) {
          // JSON, and so Kubernetes, has only text keys (the yaml package would warn and stringify it).
          throw new Error('a mapping or list is used as a key; keys of Kubernetes objects are text');
        }
        total += isPair(item) ? size(item.key) + size(item.value) : size(item);
        if (total > MAX_EXPANDED_NODES) {
          throw new Error(`too many aliases: the document expands to more than ${MAX_EXPANDED_NODES} nodes`);
        }
      }
    }
    expanding.delete(node);
    sizes.set(node, total);
    return total;
  };
  if (doc.contents !== null && !isScalar(doc.contents)) size(doc.contents as Node);
}

/** One value of a JSON stream: its text and where it starts in the stream. */
interface JsonValueText {
  readonly text: string;
  readonly start: number;
}

/**
 * The texts of the values when `text` is a stream of two or more JSON objects or arrays (as
 * `jq '.items[]'` prints, separated by whitespace or nothing), which kubectl reads as one document
 * each; otherwise undefined, and the text is read as YAML.
 */
function jsonStream(text: string): JsonValueText[] | undefined {
  const values: JsonValueText[] = [];
  let i = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  while (i < text.length) {
    if (text[i] !== '{' && text[i] !== '[') {
      if (values.length < 2) return undefined; // `{...}` then `---` or other YAML
      values.push({ text: text.slice(i), start: i }); // not JSON: its document reports the error
      break;
    }
    const end = closingBracket(text, i);
    values.push({ text: text.slice(i, end), start: i });
    i = skipSpace(text, end);
  }
  return values.length > 1 ? values : undefined;
}

/** The index after the bracket that closes the one at `start` (or the text's end), skipping strings. */
function closingBracket(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if ((c === '}' || c === ']') && --depth === 0) {
      return i + 1;
    }
  }
  return text.length;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function parseJson(json: string, source: string, document: number): unknown {
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new ManifestError(`${source} document ${document}: invalid JSON: ${firstLine((e as Error).message)}`, source, document);
  }
}

/**
 * Turns an already-parsed value (one document) into manifests, flattening lists. Throws a
 * ManifestError naming `source` and `document` for anything that is not a Kubernetes object.
 * `line` is where the document starts in its source and `itemLines` where each list entry does.
 */
export function toManifests(
  value: unknown, source: string, document: number, line?: number, itemLines: ReadonlyArray<number | undefined> = [],
): Manifest[] {
  const items = listItems(value, source, document);
  if (items === undefined) {
    const origin = line === undefined ? { source, document } : { source, document, line };
    return [{ object: asKubeObject(value, origin), ...origin }];
  }
  return items.map((itemValue, i) => {
    const itemLine = itemLines[i] ?? line;
    const origin = itemLine === undefined ? { source, document, item: i + 1 } : { source, document, item: i + 1, line: itemLine };
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

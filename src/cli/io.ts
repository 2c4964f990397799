import * as fs from 'fs';
import * as path from 'path';
import { Manifest, ManifestError, parseManifests } from '../model/manifests';
import { InputNote } from '../model/notes';
import { compareText, isRecord } from '../private/json';
import { yamlPackage } from '../private/yaml-package';

/** Where the command writes its result (stdout) and diagnostics (stderr), and reads `-f -` from. */
export interface CliIo {
  /** The result, and nothing else. */
  stdout(text: string): void;
  /** Diagnostics: errors, warnings, skipped objects, summaries. */
  stderr(text: string): void;
  /** Standard input as text, read when a file is `-`; defaults to the process's stdin. */
  stdin?(): string;
  /** The directory output paths are relative to (SARIF); defaults to the process's. */
  cwd?(): string;
  /** The result as UTF-8 bytes, for outputs of hundreds of megabytes; `stdout` with their text when absent. */
  stdoutBytes?(bytes: Uint8Array): void;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: () => fs.readFileSync(0, 'utf8'),
    stdoutBytes: (bytes) => process.stdout.write(bytes),
  };
}

/**
 * Writes a long run of small texts to stdout as few large chunks of bytes: the JSON matrix of 3,000
 * pods is 9 million cells of two texts each per column, which encoded once and copied into a chunk
 * cost half of what joining and encoding them as strings would. Texts are never split across chunks.
 */
export class ChunkedStdout {
  static encode(text: string): Uint8Array {
    return Buffer.from(text, 'utf8');
  }

  private static readonly CHUNK = 1024 * 1024;
  private chunk = Buffer.allocUnsafe(ChunkedStdout.CHUNK);
  private length = 0;

  constructor(private readonly io: CliIo) {}

  /** Adds one text, given as its UTF-8 bytes (see `encode`). */
  write(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.chunk.length) this.flush();
    if (bytes.length > this.chunk.length) {
      this.emit(bytes);
      return;
    }
    this.chunk.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Writes what is pending. */
  flush(): void {
    if (this.length === 0) return;
    this.emit(this.chunk.subarray(0, this.length));
    // A stream may hold on to a written chunk: never fill it again.
    this.chunk = Buffer.allocUnsafe(ChunkedStdout.CHUNK);
    this.length = 0;
  }

  private emit(bytes: Uint8Array): void {
    if (this.io.stdoutBytes) this.io.stdoutBytes(bytes);
    else this.io.stdout(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  }
}

export const STDIN_LABEL = '<stdin>';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Loads the `-f` arguments in order: files, directories (recursively: *.yaml, *.yml, *.json, in
 * code-unit order) and `-` for standard input (read once; a second `-` adds nothing). Throws a
 * ManifestError naming the file and document; never hangs on a FIFO or loops on a symlink cycle.
 * A directory walk passes over hidden entries, Helm chart sources, files that hold no Kubernetes
 * objects and symbolic links that lead nowhere (dangling, looping, or back to a directory already
 * read), adding a note for each to `notes`; a file named explicitly is read whatever it holds.
 */
export function loadInputs(files: readonly string[], io: CliIo, notes: InputNote[] = []): Manifest[] {
  const manifests: Manifest[] = [];
  let stdinRead = false;
  for (const file of files) {
    if (file !== '-') {
      const stat = statOf(file);
      if (!stat.isDirectory()) {
        regularFile(file, stat); // an explicitly named file is read whatever its extension
        manifests.push(...parseNamed(readSource(file), file));
        continue;
      }
      for (const f of walk(file, notes)) {
        const text = readSource(f);
        const parsed = parseWalked(text, f);
        if (parsed.manifests) manifests.push(...parsed.manifests);
        else notes.push(parsed.note);
      }
    } else if (!stdinRead) {
      stdinRead = true;
      manifests.push(...parseNamed(readStdin(io), STDIN_LABEL));
    }
  }
  return manifests;
}

const HELM_HINT = 'render it first, e.g. helm template <release> <chart> | namespace-guard <command> -f -';

/** A source named explicitly (a file, stdin): an error when it is no manifest, with a hint for a Helm template. */
function parseNamed(text: string, source: string): Manifest[] {
  if (isHelmTemplate(text)) throw new ManifestError(`${source}: a Helm template, not a manifest; ${HELM_HINT}`, source);
  return parseManifests(text, source);
}

/**
 * A file found by a directory walk: its manifests, or a note when it holds no Kubernetes object at
 * all (a Chart.yaml, a values.yaml, a Helm template). A file with objects and an error is an error.
 */
function parseWalked(text: string, file: string): { manifests: Manifest[]; note?: undefined } | { manifests?: undefined; note: InputNote } {
  if (isHelmTemplate(text)) {
    return { note: { code: 'helm-source', message: `skipped ${file}: a Helm template, not a manifest; ${HELM_HINT}` } };
  }
  try {
    return { manifests: parseManifests(text, file) };
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    if (!holdsKubeObject(text)) {
      return { note: { code: 'skipped-file', message: `skipped ${file}: no Kubernetes objects in it (no document has apiVersion and kind)` } };
    }
    throw e;
  }
}

/**
 * Whether a text is a Go template rather than YAML: it has `{{` actions that YAML either refuses or
 * reads as a mapping used as a key (`name: {{ .Values.name }}`), which no manifest has. Actions
 * inside strings (a PrometheusRule's `"{{ $labels.pod }}"`) are text and do not count.
 */
function isHelmTemplate(text: string): boolean {
  if (!text.includes('{{')) return false;
  const { isCollection, parseAllDocuments, visit } = yamlPackage();
  const documents = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(documents)) return false;
  let templated = false;
  for (const doc of documents) {
    if (doc.errors.length > 0) return true;
    visit(doc, {
      Pair: (_key, pair) => {
        if (isCollection(pair.key)) {
          templated = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
  }
  return templated;
}

/** Whether some document of valid YAML is a Kubernetes object or a list of them (decides only what parseManifests refused). */
function holdsKubeObject(text: string): boolean {
  const documents = yamlPackage().parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(documents)) return false;
  if (documents.some(d => d.errors.length > 0)) return true; // broken YAML is an error, not "no objects"
  const isObject = (v: unknown) => isRecord(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string';
  return documents.some(d => {
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: 1000 });
    } catch {
      return true;
    }
    return isObject(value) || (Array.isArray(value) && value.some(isObject));
  });
}

/** The manifest files of a directory, recursively, in code-unit order. */
function walk(dir: string, notes: InputNote[]): string[] {
  const files: string[] = [];
  collectManifestFiles(dir, files, new Set([realPath(dir)]), notes);
  return files.sort(compareText);
}

function collectManifestFiles(dir: string, into: string[], visited: Set<string>, notes: InputNote[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new ManifestError(`${dir}: cannot read: ${(e as Error).message}`, dir);
  }
  // A chart source's templates are not manifests until Helm renders them: one note for the chart.
  if (entries.some(e => e.name === 'Chart.yaml' && !e.isDirectory())) {
    notes.push({ code: 'helm-source', message: `skipped ${dir}: a Helm chart source (it has a Chart.yaml); ${HELM_HINT}` });
    return;
  }
  for (const entry of [...entries].sort((a, b) => compareText(a.name, b.name))) {
    const full = path.join(dir, entry.name);
    // Hidden entries (.git, .github, editor files) belong to tools, not to the cluster. An editor's
    // lock file (`.#main.yaml -> user@host.1234`) is a dangling link: decide before following it.
    if (entry.name.startsWith('.')) {
      if (entry.isDirectory() || isManifestName(entry.name) || linkTarget(full)?.isDirectory()) {
        notes.push({ code: 'skipped-hidden', message: `skipped ${full}: hidden` });
      }
      continue;
    }
    let stat: fs.Stats | undefined;
    if (entry.isSymbolicLink()) {
      stat = linkTarget(full);
      if (stat === undefined) {
        // A link that leads nowhere (dangling, or a loop of links) holds no manifest to read.
        if (isManifestName(entry.name)) notes.push({ code: 'skipped-link', message: `skipped ${full}: ${brokenLinkReason(full)}` });
        continue;
      }
    }
    const isDirectory = entry.isDirectory() || stat?.isDirectory() === true;
    if (isDirectory) {
      const real = realPath(full);
      if (visited.has(real)) {
        notes.push({ code: 'skipped-link', message: `skipped ${full}: a symbolic link to a directory already read (a loop)` });
        continue;
      }
      visited.add(real);
      collectManifestFiles(full, into, visited, notes);
    } else if (isManifestName(entry.name)) {
      regularFile(full, stat ?? statOf(full));
      into.push(full);
    }
  }
}

function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** What a symbolic link leads to, or undefined when it leads nowhere (dangling, or a loop of links). */
function linkTarget(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function brokenLinkReason(p: string): string {
  try {
    fs.statSync(p);
    return 'cannot read';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'a loop of symbolic links';
    if (code === 'ENOENT') return `a dangling symbolic link (to ${readLink(p)})`;
    return `cannot read: ${(e as Error).message}`;
  }
}

function readLink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return 'nothing';
  }
}

function statOf(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    throw new ManifestError(`${p}: cannot read: ${(e as Error).message}`, p);
  }
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch (e) {
    throw new ManifestError(`${p}: cannot read: ${(e as Error).message}`, p);
  }
}

/** Refuses FIFOs, sockets and devices, which would block the read or never end. */
function regularFile(p: string, stat: fs.Stats): void {
  if (!stat.isFile()) {
    throw new ManifestError(`${p}: not a regular file (a FIFO, socket or device); pass files, directories, or - for standard input`, p);
  }
}

/**
 * Reads a file named on the command line, refusing FIFOs, sockets and devices before opening them
 * (opening a FIFO for reading blocks until a writer comes). Errors name the file.
 */
export function readRegularFile(file: string): string {
  regularFile(file, statOf(file));
  return readSource(file);
}

function readSource(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestError(`${file}: cannot read: ${(e as Error).message}`, file);
  }
}

function readStdin(io: CliIo): string {
  const read = io.stdin ?? (() => fs.readFileSync(0, 'utf8'));
  try {
    return read();
  } catch (e) {
    throw new ManifestError(`${STDIN_LABEL}: cannot read: ${(e as Error).message}`, STDIN_LABEL);
  }
}

import * as fs from 'fs';
import * as path from 'path';
import { Manifest, ManifestError, parseManifests } from '../model/manifests';
import { compareText } from '../private/json';

/** Where the command writes its result (stdout) and diagnostics (stderr), and reads `-f -` from. */
export interface CliIo {
  /** The result, and nothing else. */
  stdout(text: string): void;
  /** Diagnostics: errors, warnings, skipped objects, summaries. */
  stderr(text: string): void;
  /** Standard input as text, read when a file is `-`; defaults to the process's stdin. */
  stdin?(): string;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: () => fs.readFileSync(0, 'utf8'),
  };
}

export const STDIN_LABEL = '<stdin>';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Loads the `-f` arguments in order: files, directories (recursively: *.yaml, *.yml, *.json, in
 * code-unit order) and `-` for standard input (read once; a second `-` adds nothing). Throws a
 * ManifestError naming the file and document; never hangs on a FIFO or loops on a symlink cycle.
 */
export function loadInputs(files: readonly string[], io: CliIo): Manifest[] {
  const manifests: Manifest[] = [];
  let stdinRead = false;
  for (const file of files) {
    if (file !== '-') {
      for (const f of expandPath(file)) manifests.push(...parseManifests(readSource(f), f));
    } else if (!stdinRead) {
      stdinRead = true;
      manifests.push(...parseManifests(readStdin(io), STDIN_LABEL));
    }
  }
  return manifests;
}

function expandPath(p: string): string[] {
  const stat = statOf(p);
  if (!stat.isDirectory()) {
    regularFile(p, stat); // an explicitly named file is read whatever its extension
    return [p];
  }
  const files: string[] = [];
  collectManifestFiles(p, files, new Set([realPath(p)]));
  return files.sort(compareText);
}

function collectManifestFiles(dir: string, into: string[], visited: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new ManifestError(`${dir}: cannot read: ${(e as Error).message}`, dir);
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const stat = entry.isSymbolicLink() ? statOf(full) : undefined;
    if (entry.isDirectory() || stat?.isDirectory()) {
      const real = realPath(full);
      if (visited.has(real)) {
        throw new ManifestError(`${full}: a symbolic link loops back to a directory already read; remove the loop or name the directories to read`, full);
      }
      visited.add(real);
      collectManifestFiles(full, into, visited);
    } else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      regularFile(full, stat ?? statOf(full));
      into.push(full);
    }
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

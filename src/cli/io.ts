import * as fs from 'fs';
import { loadManifestFiles, Manifest, ManifestError, parseManifests } from '../analysis/manifests';

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

/**
 * Loads the `-f` arguments in order: files, directories (recursively) and `-` for standard input
 * (read once; a second `-` adds nothing). Throws a ManifestError naming the file and document.
 */
export function loadInputs(files: readonly string[], io: CliIo): Manifest[] {
  const manifests: Manifest[] = [];
  let stdinRead = false;
  for (const file of files) {
    if (file !== '-') {
      manifests.push(...loadManifestFiles([file]));
    } else if (!stdinRead) {
      stdinRead = true;
      manifests.push(...parseManifests(readStdin(io), STDIN_LABEL));
    }
  }
  return manifests;
}

function readStdin(io: CliIo): string {
  const read = io.stdin ?? (() => fs.readFileSync(0, 'utf8'));
  try {
    return read();
  } catch (e) {
    throw new ManifestError(`${STDIN_LABEL}: cannot read: ${(e as Error).message}`, STDIN_LABEL);
  }
}

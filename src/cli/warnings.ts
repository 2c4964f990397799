import { CliIo } from './io';
import { InputNote } from '../model/notes';

/** The line prefix of every warning, so scripts can filter them from stderr. */
export const WARNING_PREFIX = 'namespace-guard: warning: ';

/**
 * Where a command's warnings go: stderr, one line each, never stdout (whose JSON they must not
 * change); `--quiet` drops them.
 */
export class Warnings {
  constructor(private readonly io: CliIo, private readonly quiet: boolean | undefined) {}

  warn(message: string): void {
    if (!this.quiet) this.io.stderr(`${WARNING_PREFIX}${message}\n`);
  }

  /** Prints notes in the order given (the loader's, then the model's), computed only when they will be printed. */
  notes(notes: () => readonly InputNote[]): void {
    if (this.quiet) return;
    for (const note of notes()) this.warn(note.message);
  }
}

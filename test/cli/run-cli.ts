import * as path from 'path';
import { CliIo, run } from '../../src/cli/main';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command in-process with captured output; `stdin` is what `-f -` reads. */
export async function cli(args: string[], stdin?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: () => {
      if (stdin === undefined) throw new Error('the test gave no stdin');
      return stdin;
    },
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

/** Absolute path of a file under test/cli/fixtures. */
export function fixture(name: string): string {
  return path.join(__dirname, 'fixtures', name);
}

/** Repository root (where package.json is). */
export const ROOT = path.join(__dirname, '..', '..');

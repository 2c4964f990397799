import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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

/**
 * A fresh directory for each test of the file (removed after it), and a writer of files into it.
 * Call it at the top of a test file.
 */
export function useScratchDir(prefix: string): (name: string, text: string) => string {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return (name, text) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
}

const ENTRY = "require('./src/cli/main').run(process.argv.slice(1)).then(c => process.exitCode = c)";

/**
 * Runs the command in a fresh node process, from source through ts-node, as a user would; `code` is
 * null when it was killed (after `timeoutMs`, a hang).
 */
export function spawnCli(args: string[], input?: string, timeoutMs = 30_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', ENTRY, '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' },
    input,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

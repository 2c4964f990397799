// The packaged tests run the built library (lib/, with its jsii assembly), not the sources: they
// fail, never skip, when it is missing or older than src/.
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../docs/markdown';

/** The newest modification time of the files under a folder. */
function newest(dir: string): number {
  return Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map(e => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs;
  }));
}

/** Throws, with the command that fixes it, when lib/ is missing or older than its sources. */
export function expectBuiltLibrary(): void {
  const assembly = path.join(ROOT, '.jsii');
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js')) || !fs.existsSync(assembly)) {
    throw new Error('lib/ is missing: this test runs the built library, which exists only after `npx projen compile` '
      + '(`npx projen build` compiles before it tests). Run `npx projen compile`, then this test again.');
  }
  if (newest(path.join(ROOT, 'src')) > fs.statSync(assembly).mtimeMs) {
    throw new Error('lib/ is older than src/: the built library would not be the code under test. Run `npx projen compile`, then this test again.');
  }
}

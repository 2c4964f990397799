// A build script, not an example: writes examples/dist/evidence.md, `namespace-guard evidence` over
// the synthesized scenarios, as a pipeline runs it over its own synthesis. `npm run examples` runs it
// after `cdk8s synth`, from the sources, since a fresh clone has no built lib/ for the command.
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../src/cli/main';

const DIST = path.join(__dirname, '..', 'examples', 'dist');

async function writeEvidence(): Promise<number> {
  let markdown = '';
  const code = await run(['evidence', '-f', DIST], {
    stdout: (text) => {
      markdown += text;
    },
    stderr: (text) => process.stderr.write(text),
  });
  // Failed controls are part of the evidence (exit 0); only bad input stops here.
  if (code === 0) fs.writeFileSync(path.join(DIST, 'evidence.md'), markdown);
  return code;
}

writeEvidence().then((code) => {
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});

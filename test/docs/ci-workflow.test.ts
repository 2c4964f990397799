// docs/ci.md shows the GitHub Actions workflow a team copies into its app. These tests run its
// namespace-guard steps as written, on the examples' synthesized manifests (the pull request's head)
// and on a base without one of their flows, so that the workflow the documentation promises works:
// the SARIF file it uploads, the comment it posts, the evidence it keeps, the failure it raises.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { codeBlocks } from './markdown';
import { calicoRolloutChart } from '../../examples/calico-rollout';
import { guardrailsChart } from '../../examples/guardrails';
import { multiTenantChart } from '../../examples/multi-tenant';
import { securityZonesChart } from '../../examples/security-zones';
import { teamsChart } from '../../examples/teams';
import { cli } from '../cli/run-cli';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}

/** One command line of a step that runs namespace-guard. */
interface Command {
  readonly args: string[];
  /** The file its stdout is redirected to, if any. */
  readonly output?: string;
}

const workflowBlock = codeBlocks('docs/ci.md').filter((b) => b.language === 'yaml');
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, { steps: Step[] }>;
}

const workflow = parse(workflowBlock[0].code) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

/** The namespace-guard command lines of the workflow, in order (a `run: |` block holds several). */
function guardCommands(): Command[] {
  return steps.flatMap((step) => (step.run ?? '').split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith('npx namespace-guard '))
    .map((line) => {
      const [command, output] = line.split(/\s+>\s+/);
      return { args: command.split(/\s+/).slice(2), ...(output === undefined ? {} : { output }) };
    });
}

let work: string;

/** Synthesizes what `npm run examples` synthesizes into `dir`, one YAML file per chart. */
function synthesizeExamples(dir: string): void {
  const app = new App({ outdir: dir });
  for (const build of [multiTenantChart, teamsChart, securityZonesChart, calicoRolloutChart, guardrailsChart]) build(app);
  app.synth();
}

/** Runs a command of the workflow in `work`, its dist/ paths and output file there too. */
async function runStep(command: Command): Promise<number> {
  const args = command.args.map((a) => (a.startsWith('dist/') ? path.join(work, a) : a));
  const r = await cli(args);
  if (command.output !== undefined && command.output !== '/dev/null') fs.writeFileSync(path.join(work, command.output), r.stdout);
  return r.code;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-workflow-'));
  synthesizeExamples(path.join(work, 'dist', 'head'));
  // The base branch had no flow from the storefront zone into the identity zone.
  synthesizeExamples(path.join(work, 'dist', 'base'));
  const base = path.join(work, 'dist', 'base', 'security-zones.k8s.yaml');
  const documents = fs.readFileSync(base, 'utf8').split(/^---\n/m);
  const opened = documents.filter((d) => /kind: NetworkPolicy/.test(d) && /namespace: identity\n/.test(d) && /metadata.name: storefront/.test(d));
  expect(opened.length).toBeGreaterThan(0);
  fs.writeFileSync(base, documents.filter((d) => !opened.includes(d)).join('---\n'));
}, 120_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

test('docs/ci.md has one workflow, run on pull requests, allowed to upload SARIF and comment', () => {
  expect(workflowBlock).toHaveLength(1);
  expect(Object.keys(workflow.on)).toEqual(['pull_request']);
  expect(workflow.permissions).toMatchObject({ 'security-events': 'write', 'pull-requests': 'write' });
  expect(steps.some((s) => /cdk8s synth --output dist\/head/.test(s.run ?? ''))).toBe(true);
});

test('every namespace-guard step of the workflow runs on the examples and does what the workflow relies on', async () => {
  const commands = guardCommands();
  expect(commands.map((c) => c.args[0])).toEqual(['check', 'diff', 'evidence', 'evidence', 'diff']);
  const codes: number[] = [];
  for (const command of commands) codes.push(await runStep(command));
  // check and evidence have nothing to fail on; the last diff fails the job because the head opens a flow.
  expect(codes).toEqual([0, 0, 0, 0, 1]);

  const read = (file: string) => fs.readFileSync(path.join(work, file), 'utf8');
  const upload = (action: string) => steps.find((s) => s.uses?.startsWith(action))!;

  // The SARIF file the check step writes is the one uploaded, and it is SARIF 2.1.0.
  const sarifFile = upload('github/codeql-action/upload-sarif').with!.sarif_file;
  expect(commands[0].output).toBe(sarifFile);
  const sarif = JSON.parse(read(sarifFile));
  expect(sarif.version).toBe('2.1.0');
  expect(sarif.runs[0].tool.driver.name).toBe('namespace-guard');

  // The comment posted is the diff, and it says what the change opens.
  const comment = upload('marocchino/sticky-pull-request-comment').with!.path;
  expect(commands[1].output).toBe(comment);
  expect(read(comment)).toMatch(/opens/i);
  expect(read(comment)).toContain('1 flow added or widened');
  expect(read(comment)).toContain('| storefront | ⚠️ none → TCP 8443 |');

  // The evidence kept as an artefact is the evidence the steps wrote.
  const kept = upload('actions/upload-artifact').with!.path.trim().split('\n').map((p) => p.trim());
  expect(kept).toEqual([commands[2].output, commands[3].output]);
  expect(read(kept[0])).toMatch(/MTB-PL1-BC-HI-1/);
  const evidence = JSON.parse(read(kept[1]));
  expect(evidence.namespaces.map((n: { namespace: string }) => n.namespace)).toContain('customer1');
}, 120_000);

test('the failing step passes when the pull request opens nothing', async () => {
  const last = guardCommands().at(-1)!;
  const same = last.args.map((a) => a.replace('dist/base', 'dist/head'));
  expect(same).not.toEqual(last.args);
  expect(await runStep({ args: same })).toBe(0);
}, 120_000);

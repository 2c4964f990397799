/**
 * `namespace-guard check` benchmark: the command over the synthesized YAML of N TenantNamespace
 * bundles with 3 workloads each, beside the time to merely parse the same YAML (the floor).
 *
 *   check - the command in-process (`run(['check', '-f', file, '--format', 'json'])`): read the file,
 *           parse it, build the cluster model, run every rule, write the JSON report.
 *   parse - the same file read and parsed into plain objects with the `yaml` package the command uses
 *           (parseAllDocuments, then toJS per document), nothing else.
 *
 * The YAML is synthesized once, untimed, and written to a temporary file. Both measurements run
 * alternately in one process with a GC before each run; the medians and their ratio are reported
 * (goal: check at most 2.5 times the parse floor). Run with `npm run bench`, or alone:
 *
 *   TS_NODE_PROJECT=bench/tsconfig.json node --expose-gc -r ts-node/register/transpile-only bench/check.bench.ts [--quick]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { gc, median, tenantApp } from './common';
import { run } from '../src/cli/main';

const quick = process.argv.includes('--quick');
const TENANTS = quick ? 200 : 1000;
const RUNS = quick ? 1 : 5;
const MAX_RATIO = 2.5;

/** The YAML of an app with `tenants` full bundles and 3 workloads each, as `cdk8s synth` writes it. */
function tenantYaml(tenants: number): string {
  return tenantApp(tenants).app.synthYaml();
}

function timed(fn: () => unknown): number {
  gc();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  gc();
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const yaml = tenantYaml(TENANTS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-bench-'));
  const file = path.join(dir, 'app.k8s.yaml');
  fs.writeFileSync(file, yaml);
  let report = '';
  let code = -1;
  const check = async () => {
    report = '';
    code = await run(['check', '-f', file, '--format', 'json', '--fail-on', 'never'], {
      stdout: (text) => { report += text; },
      stderr: () => undefined,
    });
  };
  let documents = 0;
  const parse = () => {
    const parsed = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    const docs = Array.isArray(parsed) ? parsed : [];
    documents = docs.map(d => d.toJS()).filter(v => v !== null && v !== undefined).length;
  };

  await check(); // warm-up, untimed
  parse();
  const checks: number[] = [];
  const parses: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      checks.push(await timedAsync(check));
      parses.push(timed(parse));
    } else {
      parses.push(timed(parse));
      checks.push(await timedAsync(check));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`check exited ${code}`);
  const findings = JSON.parse(report).findings.length;

  const c = median(checks);
  const p = median(parses);
  const ratio = c / p;
  console.log(`check benchmark (${quick ? 'quick' : 'full'}): median of ${RUNS} run(s), node ${process.version}`);
  console.log(`  input: ${TENANTS} TenantNamespace bundles with 3 workloads each, ${documents} documents, ${(yaml.length / 1e6).toFixed(1)} MB of YAML (${findings} findings)`);
  console.log(`  parse the YAML (floor)   ${p.toFixed(0).padStart(7)} ms   runs: ${parses.map(x => x.toFixed(0)).join(', ')}`);
  console.log(`  namespace-guard check    ${c.toFixed(0).padStart(7)} ms   runs: ${checks.map(x => x.toFixed(0)).join(', ')}`);
  console.log(`  ratio check / parse      ${ratio.toFixed(2).padStart(7)}      target <= ${MAX_RATIO}: ${ratio <= MAX_RATIO ? 'PASS' : 'FAIL'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

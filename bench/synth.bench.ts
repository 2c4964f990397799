/**
 * Synthesis benchmark: N TenantNamespace bundles against the same objects as raw cdk8s ApiObjects.
 *
 * Run it with `npm run bench` (add `-- --quick` for a smoke run), or directly:
 *
 *   TS_NODE_PROJECT=bench/tsconfig.json node --expose-gc -r ts-node/register/transpile-only bench/synth.bench.ts [--quick]
 *
 * What one measurement covers (wall clock, process.hrtime):
 *   library  - new App(), one Chart, a ClusterProfile, N TenantNamespaces with the default quota,
 *              one admin group, one declared Ingress host and an ingress flow on TCP 8080, then
 *              app.synthYaml().
 *   baseline - new App(), one Chart, one `new ApiObject(chart, id, obj)` per object that the
 *              library app synthesizes for the same N, then app.synthYaml(). This is the floor that
 *              cdk8s itself sets for the same output; the two YAML strings are checked (untimed)
 *              to be byte-for-byte equal.
 *
 * Each N is measured several times, alternating library and baseline, with a full GC before every
 * run when one is available, and the medians are reported. The process always exits 0 once the
 * report is printed (the PASS/FAIL lines are information, not a gate); it exits 1 only when the
 * benchmark itself is invalid (the two YAML outputs differ) or crashes.
 */
import * as os from 'os';
import * as v8 from 'v8';
import * as vm from 'vm';
import { ApiObject, App, Chart } from 'cdk8s';
import { ClusterDns, ClusterProfile, Peer, Port, Subject, TenantNamespace } from '../src';

// Targets.
const MAX_RATIO = 1.3; // library median / baseline median, per N
const MAX_SCALING = 3.3; // t(3000) / t(1000) of the library (linear would be 3.0)
const MAX_10K_MS = 60_000; // one run of 10,000 tenants

interface Plan {
  readonly label: string;
  readonly sizes: Array<{ n: number; runs: number }>;
  readonly bigN?: number;
  readonly warmupN: number;
}

const FULL: Plan = { label: 'full', sizes: [{ n: 1000, runs: 5 }, { n: 3000, runs: 3 }], bigN: 10_000, warmupN: 100 };
const QUICK: Plan = { label: 'quick', sizes: [{ n: 200, runs: 1 }, { n: 600, runs: 1 }], warmupN: 100 };

type JsonObject = { [key: string]: unknown };

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly yaml: string;
  readonly rssMb: number;
}

interface Row {
  readonly n: number;
  readonly runs: number;
  readonly objects: number;
  readonly library: number[];
  readonly baseline: number[];
  readonly libraryCpu: number[];
  readonly baselineCpu: number[];
  readonly peakRssMb: number;
}

// ---------------------------------------------------------------------------------------------
// Garbage collection between runs.

function findGc(): { gc?: () => void; how: string } {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return { gc: existing, how: 'global.gc (--expose-gc)' };
  try {
    // Works without the command-line flag: expose gc, then read it from a fresh context.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as () => void, how: 'v8.setFlagsFromString(--expose-gc)' };
  } catch {
    // fall through
  }
  return { how: 'unavailable (runs are not separated by a GC)' };
}

const GC = findGc();

function collect(): void {
  if (GC.gc) {
    GC.gc();
    GC.gc();
  }
}

// ---------------------------------------------------------------------------------------------
// The two workloads.

function tenantName(i: number): string {
  return `tenant-${String(i).padStart(5, '0')}`;
}

function rssMb(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** CPU time (user + system, all threads of the process) since `start`, in ms. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Builds the library app for `n` tenants (construction only). */
function buildLibraryApp(n: number): { app: App; chart: Chart } {
  const app = new App();
  const chart = new Chart(app, 'bench');
  const cluster = new ClusterProfile(chart, 'Cluster', {
    dns: ClusterDns.kubeDns(),
    ingressController: Peer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  });
  for (let i = 0; i < n; i++) {
    const name = tenantName(i);
    const tenant = new TenantNamespace(chart, name, {
      cluster,
      admins: [Subject.group(`${name}-admins`)],
      ingressHosts: [`${name}.saas.example.com`],
    });
    tenant.connections.allowFrom(cluster.ingressController, Port.tcp(8080));
  }
  return { app, chart };
}

/** One timed library run: construction plus synthesis. */
function runLibrary(n: number): Run {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { app } = buildLibraryApp(n);
  const yaml = app.synthYaml();
  const ms = elapsedMs(start);
  return { ms, cpuMs: cpuMs(cpu), yaml, rssMb: rssMb() };
}

/** One timed baseline run: the given objects as raw ApiObjects, plus synthesis. */
function runBaseline(objects: JsonObject[]): Run {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const app = new App();
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < objects.length; i++) {
    new ApiObject(chart, `o${i}`, objects[i] as any);
  }
  const yaml = app.synthYaml();
  const ms = elapsedMs(start);
  return { ms, cpuMs: cpuMs(cpu), yaml, rssMb: rssMb() };
}

/** Untimed: the library's objects for `n` tenants, and its YAML. */
function prepare(n: number): { objects: JsonObject[]; yaml: string } {
  const { app, chart } = buildLibraryApp(n);
  const yaml = app.synthYaml();
  const objects = chart.toJson() as JsonObject[];
  return { objects, yaml };
}

/** A fresh deep copy per baseline run, so no run sees objects an earlier run touched. */
function copyOf(objects: JsonObject[]): JsonObject[] {
  return structuredClone(objects);
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  return `first difference at character ${i} (line ${line}): library ${JSON.stringify(a.slice(i, i + 60))} vs baseline ${JSON.stringify(b.slice(i, i + 60))}`;
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting.

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function fmt(value: number, digits: number, width: number): string {
  return value.toFixed(digits).padStart(width);
}

function loadAverage(): string {
  return os.loadavg().map(l => l.toFixed(2)).join(' ');
}

/** The number of YAML documents in a multi-document string. */
function countDocuments(yaml: string): number {
  return yaml.split(/^---$/m).filter(doc => doc.trim().length > 0).length;
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------

function measure(n: number, runs: number): Row {
  const prepared = prepare(n);
  const library: number[] = [];
  const baseline: number[] = [];
  const libraryCpu: number[] = [];
  const baselineCpu: number[] = [];
  let peak = 0;
  let checked = false;
  for (let r = 0; r < runs; r++) {
    // Alternate which side goes first in each round, so drift does not favour one side.
    const order: Array<'library' | 'baseline'> = r % 2 === 0 ? ['library', 'baseline'] : ['baseline', 'library'];
    for (const side of order) {
      let input: JsonObject[] | undefined;
      if (side === 'baseline') input = copyOf(prepared.objects);
      collect();
      const run = side === 'library' ? runLibrary(n) : runBaseline(input!);
      peak = Math.max(peak, run.rssMb);
      if (side === 'library') {
        library.push(run.ms);
        libraryCpu.push(run.cpuMs);
        if (run.yaml !== prepared.yaml) {
          throw new Error(`N=${n}: library synthesis is not deterministic between runs; ${firstDifference(prepared.yaml, run.yaml)}`);
        }
      } else {
        baseline.push(run.ms);
        baselineCpu.push(run.cpuMs);
        if (!checked) {
          if (run.yaml !== prepared.yaml) {
            throw new Error(`N=${n}: baseline YAML differs from library YAML, the comparison is invalid; ${firstDifference(prepared.yaml, run.yaml)}`);
          }
          checked = true;
        }
      }
    }
  }
  return { n, runs, objects: prepared.objects.length, library, baseline, libraryCpu, baselineCpu, peakRssMb: peak };
}

function main(): void {
  const plan = process.argv.includes('--quick') ? QUICK : FULL;

  log('cdk8s-namespace-guard synthesis benchmark');
  log(`mode: ${plan.label}`);
  log(`node: ${process.version} (${process.platform}/${process.arch}), v8 ${process.versions.v8}`);
  log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  log(`gc between runs: ${GC.how}`);
  log('workload: 1 App, 1 Chart, ClusterProfile (kube-dns, ingress-nginx), N TenantNamespaces (default quota, 1 admin group, 1 Ingress host, allowFrom ingress TCP 8080), app.synthYaml()');
  log('baseline: the same objects as raw cdk8s ApiObjects in 1 Chart, app.synthYaml(); YAML checked byte-for-byte equal');
  log('times: construction + synthesis per run, in ms; "wall" is elapsed time (the targets use it), "cpu" is');
  log('       user+system CPU time of the whole process (all threads), less sensitive to other load on the machine');
  const loadAtStart = os.loadavg()[0];
  log(`load average at start (1/5/15 min): ${loadAverage()}`);
  log();

  // Warm-up (untimed): lets the JIT compile both code paths before anything is measured.
  const warm = prepare(plan.warmupN);
  runLibrary(plan.warmupN);
  runBaseline(copyOf(warm.objects));

  const rows: Row[] = [];
  for (const { n, runs } of plan.sizes) rows.push(measure(n, runs));

  log('medians:');
  log('     N  runs  objects  library wall  baseline wall  ratio  library cpu  baseline cpu  cpu ratio  peak RSS MB');
  for (const row of rows) {
    const lib = median(row.library);
    const base = median(row.baseline);
    const libCpu = median(row.libraryCpu);
    const baseCpu = median(row.baselineCpu);
    log(`${String(row.n).padStart(6)}  ${String(row.runs).padStart(4)}  ${String(row.objects).padStart(7)}  ${fmt(lib, 1, 12)}  ${fmt(base, 1, 13)}  ${fmt(lib / base, 2, 5)}  ${fmt(libCpu, 1, 11)}  ${fmt(baseCpu, 1, 12)}  ${fmt(libCpu / baseCpu, 2, 9)}  ${fmt(row.peakRssMb, 0, 11)}`);
  }
  log();
  log('best runs (minimum of the runs; the least disturbed by other load on the machine):');
  log('     N  library wall  baseline wall  ratio  library cpu  baseline cpu  cpu ratio');
  for (const row of rows) {
    const lib = Math.min(...row.library);
    const base = Math.min(...row.baseline);
    const libCpu = Math.min(...row.libraryCpu);
    const baseCpu = Math.min(...row.baselineCpu);
    log(`${String(row.n).padStart(6)}  ${fmt(lib, 1, 12)}  ${fmt(base, 1, 13)}  ${fmt(lib / base, 2, 5)}  ${fmt(libCpu, 1, 11)}  ${fmt(baseCpu, 1, 12)}  ${fmt(libCpu / baseCpu, 2, 9)}`);
  }
  log();
  log('every run (wall ms / cpu ms, in the order measured within each side):');
  for (const row of rows) {
    log(`  N=${row.n} library:  ${row.library.map((t, i) => `${t.toFixed(1)}/${row.libraryCpu[i].toFixed(1)}`).join('  ')}`);
    log(`  N=${row.n} baseline: ${row.baseline.map((t, i) => `${t.toFixed(1)}/${row.baselineCpu[i].toFixed(1)}`).join('  ')}`);
  }
  log();

  const [small, large] = rows;
  const factor = large.n / small.n;
  const libScaling = median(large.library) / median(small.library);
  const baseScaling = median(large.baseline) / median(small.baseline);
  const libCpuScaling = median(large.libraryCpu) / median(small.libraryCpu);
  const baseCpuScaling = median(large.baselineCpu) / median(small.baselineCpu);
  log(`scaling t(${large.n})/t(${small.n}) of the medians (linear = ${factor.toFixed(2)}):`);
  log(`  library:  wall ${libScaling.toFixed(2)}  cpu ${libCpuScaling.toFixed(2)}`);
  log(`  baseline: wall ${baseScaling.toFixed(2)}  cpu ${baseCpuScaling.toFixed(2)}`);
  log();

  let big: { n: number; run: Run; objects: number } | undefined;
  if (plan.bigN !== undefined) {
    collect();
    const run = runLibrary(plan.bigN);
    const objects = countDocuments(run.yaml);
    big = { n: plan.bigN, run, objects };
    log(`library, N=${plan.bigN} (1 run): wall ${run.ms.toFixed(1)} ms, cpu ${run.cpuMs.toFixed(1)} ms, ${objects} objects, RSS after run ${run.rssMb.toFixed(0)} MB`);
    log();
  }

  const scalingTarget = MAX_SCALING * (factor / 3);
  log('targets:');
  for (const row of rows) {
    const ratio = median(row.library) / median(row.baseline);
    log(`  ratio library/baseline <= ${MAX_RATIO} at N=${row.n}: ${ratio.toFixed(2)} ${verdict(ratio <= MAX_RATIO)}`);
  }
  log(`  library t(${large.n})/t(${small.n}) <= ${scalingTarget.toFixed(2)}: ${libScaling.toFixed(2)} ${verdict(libScaling <= scalingTarget)}`);
  if (big) {
    log(`  library N=${big.n} < ${MAX_10K_MS / 1000} s: ${(big.run.ms / 1000).toFixed(1)} s ${verdict(big.run.ms < MAX_10K_MS)}`);
  } else {
    log(`  library N=10000 < ${MAX_10K_MS / 1000} s: not run in ${plan.label} mode`);
  }
  log();
  log(`process peak RSS (resourceUsage().maxRSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  log(`load average at end (1/5/15 min): ${loadAverage()}`);
  const cpus = os.cpus().length;
  if (Math.max(loadAtStart, os.loadavg()[0]) > cpus) {
    log(`WARNING: the 1-minute load average exceeded the ${cpus} CPUs of this machine; other processes competed with the`);
    log('         benchmark, so wall times (and, less so, cpu times) are inflated and noisy. Compare the cpu columns and');
    log('         the best runs, or re-run on an idle machine.');
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
}

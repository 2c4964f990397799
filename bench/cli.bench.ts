/**
 * Command benchmark: each `namespace-guard` command as a user runs it, a whole process
 * (`node bin/namespace-guard ...`, output to a file), beside the floor: a process that merely parses
 * the same YAML with a fast parser (js-yaml's loadAll) and does nothing else.
 *
 *   tenants  - a synthetic cluster of N tenant namespaces with 3 running Pods each and 5
 *              NetworkPolicies (default deny, DNS, from the ingress controller, frontend to backend
 *              both sides), plus kube-system and the ingress controller: 3,002 pods at N = 1,000.
 *   bundles  - the synthesized YAML of N TenantNamespace bundles with 3 workloads each (Namespace,
 *              policies, quota, limits, RBAC, Services, Ingresses), and a head where one tenant
 *              enforces a lower Pod Security level, has a larger CPU quota and accepts another tenant.
 *
 * Goals (the median over runs of the command's time divided by its floor's in the same run): `reach --level namespace` (the table)
 * at most 2.5x, pod-level `reach --format json` (9 million cells at N = 1,000) at most 6x, `diff` of
 * two bundle outputs at most 5x (its floor parses both), `check` at most 2.5x; and pod-level JSON for
 * 12,000 pods within 1.5 GB of memory (peak resident set, reported by the process itself; output to
 * /dev/null). Measurements alternate in order run after run; the first run of each is a warm-up
 * (file cache) and is not counted. The YAML is generated untimed. Needs a compiled lib/ (the bench
 * task compiles first). Run with `npm run bench`, or alone:
 *
 *   TS_NODE_PROJECT=bench/tsconfig.json node -r ts-node/register/transpile-only bench/cli.bench.ts [--quick]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { median, tenantApp } from './common';
import { syntheticCluster } from '../src/analysis/reachability';
import { KubeObject } from '../src/model/manifests';

const quick = process.argv.includes('--quick');
const TENANTS = quick ? 200 : 1000;
const RUNS = quick ? 1 : 5;
const BIG_PODS = quick ? 2000 : 12000;
const MEMORY_LIMIT_MB = 1500;
const BIN = path.join(__dirname, '..', 'bin', 'namespace-guard');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-bench-'));
const file = (name: string) => path.join(dir, name);

/** A process that parses the files with js-yaml and stops: what any command must at least do. */
function floorArgs(files: string[]): string[] {
  const script = `const y=require('js-yaml'),fs=require('fs');for(const f of ${JSON.stringify(files)})y.loadAll(fs.readFileSync(f,'utf8'));`;
  return ['-e', script];
}

/** Writes each child's peak resident set to stderr as it exits, so no external tool is needed. */
const PEAK_RSS = file('peak-rss.js');
fs.writeFileSync(PEAK_RSS, "process.on('exit', () => process.stderr.write(`\\npeak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n");

interface Run {
  readonly ms: number;
  readonly status: number | null;
  readonly outputBytes: number;
  readonly peakRssMb: number;
  readonly stderr: string;
}

function spawnTimed(args: string[], output: string): Run {
  const fd = fs.openSync(output, 'w');
  const start = process.hrtime.bigint();
  // The js-yaml the floor loads is the one the package bundles.
  const child = spawnSync(process.execPath, ['-r', PEAK_RSS, ...args], { stdio: ['ignore', fd, 'pipe'], cwd: path.join(__dirname, '..'), maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.closeSync(fd);
  const stderr = child.stderr.toString();
  const rss = /peak-rss-kb (\d+)/.exec(stderr);
  return {
    ms,
    status: child.status,
    outputBytes: output === '/dev/null' ? 0 : fs.statSync(output).size,
    peakRssMb: rss ? Number(rss[1]) / 1024 : NaN,
    stderr: stderr.replace(/\n?peak-rss-kb \d+\n/, ''),
  };
}

interface Measure {
  readonly label: string;
  readonly args: string[];
  /** Exit codes that mean success for this command. */
  readonly ok: readonly number[];
  /** The floor it is compared with, and the goal for the ratio. */
  readonly floor?: string;
  readonly maxRatio?: number;
  readonly samples: Run[];
}

function measure(label: string, args: string[], options: { floor?: string; maxRatio?: number; ok?: number[] } = {}): Measure {
  return { label, args, ok: options.ok ?? [0], floor: options.floor, maxRatio: options.maxRatio, samples: [] };
}

function asYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

/** The bundles' YAML with one tenant opened up: what a careless pull request might do. */
function openedUp(base: string, tenant: string, other: string): string {
  const namespaceDoc = new RegExp(`(kind: Namespace\\nmetadata:\\n(?:  .*\\n)*?    pod-security\\.kubernetes\\.io/enforce: )restricted(\\n(?:  .*\\n)*?  name: ${tenant}\\n)`);
  const quotaDoc = new RegExp(`(kind: ResourceQuota\\nmetadata:\\n(?:  .*\\n)*?  namespace: ${tenant}\\n(?:.*\\n)*?    limits\\.cpu: )"?[0-9.]+"?`);
  const head = base.replace(namespaceDoc, '$1baseline$2').replace(quotaDoc, '$1"64"');
  if (head === base) throw new Error(`no Namespace ${tenant} with an enforce label in the synthesized YAML`);
  const policy = (name: string, namespace: string, type: string, peerNamespace: string) => stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: {
      podSelector: {},
      policyTypes: [type],
      [type === 'Ingress' ? 'ingress' : 'egress']: [{
        [type === 'Ingress' ? 'from' : 'to']: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peerNamespace } } }],
        ports: [{ port: 8443 }],
      }],
    },
  });
  return `${head.trimEnd()}\n---\n${policy(`from-${other}`, tenant, 'Ingress', other)}---\n${policy(`to-${tenant}`, other, 'Egress', tenant)}`;
}

/** 12 namespaces of equal size, one policy each admitting the namespace itself on 8080: a matrix of BIG_PODS^2 cells. */
function bigCluster(pods: number): string {
  const namespaces = 12;
  const objects: KubeObject[] = [];
  let ip = 1;
  for (let n = 0; n < namespaces; n++) {
    const namespace = `team-${String(n).padStart(2, '0')}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'same-namespace', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8080 }] }] },
    });
    for (let p = 0; p < pods / namespaces; p++, ip++) {
      const podIP = `10.${Math.floor(ip / 65536) % 256}.${Math.floor(ip / 256) % 256}.${ip % 256}`;
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `app-${p}`, namespace, labels: { app: `app-${p % 10}` } },
        spec: { containers: [{ name: 'app', image: 'example.com/app:1', ports: [{ containerPort: 8080 }] }] },
        status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }] },
      });
    }
  }
  return asYaml(objects);
}

function main(): void {
  if (!fs.existsSync(path.join(__dirname, '..', 'lib', 'cli', 'main.js'))) {
    throw new Error('lib/ is missing: run `npx projen compile` first (the bench task does)');
  }
  fs.writeFileSync(file('tenants.yaml'), asYaml(syntheticCluster({ tenants: TENANTS, asPods: true })));
  const bundles = tenantApp(TENANTS).app.synthYaml();
  fs.writeFileSync(file('base.k8s.yaml'), bundles);
  fs.writeFileSync(file('head.k8s.yaml'), openedUp(bundles, 'tenant-00001', 'tenant-00002'));
  fs.writeFileSync(file('big.yaml'), bigCluster(BIG_PODS));
  const cli = (...args: string[]) => [BIN, ...args];

  const measures: Measure[] = [
    measure('floor: parse tenants.yaml', floorArgs([file('tenants.yaml')])),
    measure('reach --level namespace (table)', cli('reach', '-f', file('tenants.yaml'), '--level', 'namespace'), { floor: 'floor: parse tenants.yaml', maxRatio: 2.5 }),
    measure('reach --format json --port 8080 (pods)', cli('reach', '-f', file('tenants.yaml'), '--format', 'json', '--port', '8080'), { floor: 'floor: parse tenants.yaml', maxRatio: 6 }),
    measure('floor: parse base and head', floorArgs([file('base.k8s.yaml'), file('head.k8s.yaml')])),
    measure('diff --format json', cli('diff', '--base', file('base.k8s.yaml'), '--head', file('head.k8s.yaml'), '--format', 'json'), { floor: 'floor: parse base and head', maxRatio: 5 }),
    measure('floor: parse base', floorArgs([file('base.k8s.yaml')])),
    measure('check --format json', cli('check', '-f', file('base.k8s.yaml'), '--format', 'json', '--fail-on', 'never'), { floor: 'floor: parse base', maxRatio: 2.5 }),
  ];
  for (let run = 0; run <= RUNS; run++) {
    for (const m of measures) {
      const result = spawnTimed(m.args, file('out'));
      if (!m.ok.includes(result.status ?? -1)) throw new Error(`${m.label} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
      if (run > 0) m.samples.push(result);
    }
  }
  // The diff must find what the head changed, or it measured nothing.
  spawnTimed(measures.find((m) => m.label === 'diff --format json')!.args, file('diff.json'));
  const diff = JSON.parse(fs.readFileSync(file('diff.json'), 'utf8'));
  if (!diff.opens || diff.flows.added.length !== 1 || diff.podSecurity.length !== 1 || diff.quota.length !== 1) {
    throw new Error(`the diff missed the head's changes: ${JSON.stringify(diff).slice(0, 1000)}`);
  }
  const big = spawnTimed(cli('reach', '-f', file('big.yaml'), '--format', 'json', '--port', '8080'), '/dev/null');
  if (big.status !== 0) throw new Error(`12,000 pods exited ${big.status}: ${big.stderr.slice(0, 2000)}`);

  const tenantsMb = fs.statSync(file('tenants.yaml')).size / 1e6;
  const bundlesMb = fs.statSync(file('base.k8s.yaml')).size / 1e6;
  console.log(`command benchmark (${quick ? 'quick' : 'full'}): whole processes, median of ${RUNS} run(s) after a warm-up, node ${process.version}`);
  console.log(`  tenants.yaml: ${TENANTS} tenants, ${3 * TENANTS + 2} pods, ${5 * TENANTS} NetworkPolicies, ${tenantsMb.toFixed(1)} MB;`
    + ` base/head: ${TENANTS} TenantNamespace bundles, ${bundlesMb.toFixed(1)} MB each`);
  const medianOf = (label: string) => median(measures.find((m) => m.label === label)!.samples.map((s) => s.ms));
  for (const m of measures) {
    const ms = medianOf(m.label);
    const runs = m.samples.map((s) => s.ms.toFixed(0)).join(', ');
    const output = m.samples[0].outputBytes > 0 ? `, ${(m.samples[0].outputBytes / 1e6).toFixed(1)} MB out` : '';
    const peak = `, peak ${median(m.samples.map((s) => s.peakRssMb)).toFixed(0)} MB`;
    let verdict = '';
    if (m.floor !== undefined && m.maxRatio !== undefined) {
      // Each run's command against the floor run just before it, so a busy moment weighs on both.
      const floor = measures.find((f) => f.label === m.floor)!;
      const ratio = median(m.samples.map((s, i) => s.ms / floor.samples[i].ms));
      verdict = `  ${ratio.toFixed(2)}x floor, target <= ${m.maxRatio}x: ${ratio <= m.maxRatio ? 'PASS' : 'FAIL'}`;
    }
    console.log(`  ${m.label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms${verdict}   (runs: ${runs}${output}${peak})`);
  }
  console.log(`  reach --format json --port 8080, ${BIG_PODS.toLocaleString('en-US')} pods in 12 namespaces: ${(big.ms / 1000).toFixed(1)} s, `
    + `peak ${big.peakRssMb.toFixed(0)} MB, target <= ${MEMORY_LIMIT_MB} MB: ${big.peakRssMb <= MEMORY_LIMIT_MB ? 'PASS' : 'FAIL'}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

try {
  main();
} catch (e) {
  fs.rmSync(dir, { recursive: true, force: true });
  console.error(e);
  process.exit(1);
}

/**
 * Analysis benchmark: how long the reachability engine takes on realistic inputs.
 *
 *   namespace matrix - N TenantNamespace bundles (default-deny, DNS, ingress-controller flows and
 *                      intra-tenant flows between 3 workloads each, as in the multi-tenant example),
 *                      synthesized once untimed; timed: build the model from the objects and compute
 *                      the namespace matrix over every port and protocol.
 *   pod matrix       - the same shape as plain Pods with IPs (3 per tenant) and their policies; timed:
 *                      build the model and compute the pod-level matrix for TCP 8080.
 *
 * Each measurement is repeated and the median reported, at full size and at half size, so the growth
 * is visible (pairs grow 4x when the size doubles). Run with `npm run bench` (which runs the synthesis
 * benchmark first) or alone:
 *
 *   TS_NODE_PROJECT=bench/tsconfig.json node --expose-gc -r ts-node/register/transpile-only bench/analysis.bench.ts [--quick]
 */
import { gc, median, tenantApp } from './common';
import { ReachabilityModel, syntheticCluster } from '../src/analysis/reachability';

const quick = process.argv.includes('--quick');
const TENANTS = quick ? 200 : 1000;
const RUNS = quick ? 1 : 3;
const NAMESPACE_TARGET_MS = 2000;
const POD_TARGET_MS = 10000;

function time(runs: number, fn: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

/** The objects of an app with `tenants` full bundles and 3 workloads each. */
function tenantObjects(tenants: number): any[] {
  return tenantApp(tenants).chart.toJson();
}

function row(label: string, ms: number, target: number | undefined): string {
  const verdict = target === undefined ? '' : `  target <= ${target} ms: ${ms <= target ? 'PASS' : 'FAIL'}`;
  return `  ${label.padEnd(84)} ${ms.toFixed(0).padStart(7)} ms${verdict}`;
}

function main(): void {
  console.log(`analysis benchmark (${quick ? 'quick' : 'full'}): median of ${RUNS} run(s), node ${process.version}`);
  const results: Array<[string, number, number | undefined]> = [];

  for (const tenants of [TENANTS / 2, TENANTS]) {
    const objects = tenantObjects(tenants);
    const model = ReachabilityModel.fromObjects(objects);
    const label = `namespace matrix: ${tenants} bundles, ${model.namespaces.length} namespaces, ${model.pods.length} pods, ${model.policies.length} policies`;
    const ms = time(RUNS, () => ReachabilityModel.fromObjects(objects).namespaceMatrix());
    results.push([label, ms, tenants === TENANTS ? NAMESPACE_TARGET_MS : undefined]);
  }

  for (const tenants of [TENANTS / 2, TENANTS]) {
    const objects = syntheticCluster({ tenants, asPods: true });
    const model = ReachabilityModel.fromObjects(objects);
    const label = `pod matrix TCP 8080: ${model.pods.length} pods, ${model.policies.length} policies`;
    const ms = time(RUNS, () => ReachabilityModel.fromObjects(objects).podMatrix(8080, 'TCP'));
    results.push([label, ms, tenants === TENANTS ? POD_TARGET_MS : undefined]);
  }

  for (const [label, ms, target] of results) console.log(row(label, ms, target));
  const growth = (i: number) => (results[i + 1][1] / results[i][1]).toFixed(2);
  console.log(`  growth when the size doubles (pairs x4): namespace matrix ${growth(0)}, pod matrix ${growth(2)}`);
}

main();

/**
 * Analysis benchmark: how long the reachability engine takes on realistic inputs.
 *
 *   namespace matrix - N TenantNamespace bundles (default-deny, DNS, ingress-controller flows and
 *                      intra-tenant flows between 3 workloads each, as in the multi-tenant example),
 *                      synthesized once untimed; timed: build the model from the objects and compute
 *                      the namespace matrix over every port and protocol.
 *   ... + tiers      - the same, plus the network-policy-api tiers: one Admin ClusterNetworkPolicy
 *                      per tenant denying the other tenants (both directions) and a Baseline
 *                      default deny for every namespace.
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
import { ownerLabel, Profile } from '../src/model/vocabulary';

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

/**
 * The tiers a platform team would add to the tenants: per tenant an Admin ClusterNetworkPolicy that
 * denies traffic with every other tenant, and one Baseline default deny.
 */
function tierPolicies(objects: any[]): any[] {
  const label = ownerLabel(Profile.TENANT);
  const tenants = objects.filter((o) => o.kind === 'Namespace' && o.metadata.labels?.[label] !== undefined).map((o) => o.metadata.labels[label]);
  const cnp = (name: string, tier: string, priority: number, subject: object, rules: object) =>
    ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject, ...rules } });
  const others = (tenant: string) => [{ namespaces: { matchExpressions: [{ key: label, operator: 'Exists' }, { key: label, operator: 'NotIn', values: [tenant] }] } }];
  return [
    ...tenants.map((tenant: string) => cnp(`isolate-${tenant}`, 'Admin', 100, { namespaces: { matchLabels: { [label]: tenant } } }, {
      ingress: [{ name: 'deny-other-tenants', action: 'Deny', from: others(tenant) }],
      egress: [{ name: 'deny-other-tenants', action: 'Deny', to: others(tenant) }],
    })),
    cnp('default-deny', 'Baseline', 1000, { namespaces: {} }, {
      ingress: [{ name: 'deny', action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ name: 'deny', action: 'Deny', to: [{ namespaces: {} }] }],
    }),
  ];
}

function row(label: string, ms: number, target: number | undefined): string {
  const verdict = target === undefined ? '' : `  target <= ${target} ms: ${ms <= target ? 'PASS' : 'FAIL'}`;
  return `  ${label.padEnd(84)} ${ms.toFixed(0).padStart(7)} ms${verdict}`;
}

function main(): void {
  console.log(`analysis benchmark (${quick ? 'quick' : 'full'}): median of ${RUNS} run(s), node ${process.version}`);
  const results: Array<[string, number, number | undefined]> = [];

  const tiered: Array<[string, number]> = [];
  for (const tenants of [TENANTS / 2, TENANTS]) {
    const objects = tenantObjects(tenants);
    const model = ReachabilityModel.fromObjects(objects);
    const label = `namespace matrix: ${tenants} bundles, ${model.namespaces.length} namespaces, ${model.pods.length} pods, ${model.policies.length} policies`;
    const ms = time(RUNS, () => ReachabilityModel.fromObjects(objects).namespaceMatrix());
    results.push([label, ms, tenants === TENANTS ? NAMESPACE_TARGET_MS : undefined]);
    const withTiers = [...objects, ...tierPolicies(objects)];
    const tieredModel = ReachabilityModel.fromObjects(withTiers);
    tiered.push([
      `namespace matrix + tiers: ${tenants} bundles, ${tieredModel.clusterPolicies.length} ClusterNetworkPolicies`,
      time(RUNS, () => ReachabilityModel.fromObjects(withTiers).namespaceMatrix()),
    ]);
  }

  for (const tenants of [TENANTS / 2, TENANTS]) {
    const objects = syntheticCluster({ tenants, asPods: true });
    const model = ReachabilityModel.fromObjects(objects);
    const label = `pod matrix TCP 8080: ${model.pods.length} pods, ${model.policies.length} policies`;
    const ms = time(RUNS, () => ReachabilityModel.fromObjects(objects).podMatrix(8080, 'TCP'));
    results.push([label, ms, tenants === TENANTS ? POD_TARGET_MS : undefined]);
  }

  for (const [label, ms, target] of results.slice(0, 2)) console.log(row(label, ms, target));
  for (const [label, ms] of tiered) console.log(row(label, ms, NAMESPACE_TARGET_MS));
  for (const [label, ms, target] of results.slice(2)) console.log(row(label, ms, target));
  const growth = (i: number) => (results[i + 1][1] / results[i][1]).toFixed(2);
  console.log(`  growth when the size doubles (pairs x4): namespace matrix ${growth(0)}, pod matrix ${growth(2)}, `
    + `namespace matrix with tiers ${(tiered[1][1] / tiered[0][1]).toFixed(2)}`);
}

main();

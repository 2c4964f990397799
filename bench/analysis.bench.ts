/**
 * Times the NetworkPolicy reachability engine on synthetic clusters:
 *   ts-node --transpile-only -P bench/tsconfig.json bench/analysis.bench.ts [tenants]
 * Prints one line per measurement; the best of three runs is reported to damp machine noise.
 */
import { ReachabilityModel, syntheticCluster } from '../src/analysis/reachability';

function bestOf<T>(label: string, runs: number, fn: () => T): T {
  let best = Infinity;
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    result = fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`${label.padEnd(52)} ${best.toFixed(0).padStart(6)} ms`);
  return result;
}

const tenants = Number(process.argv[2] ?? 1000);

const deployments = syntheticCluster({ tenants });
const nsModel = bestOf(`build model: ${tenants} tenants (Deployments)`, 3, () => ReachabilityModel.fromObjects(deployments));
console.log(`  ${nsModel.namespaces.length} namespaces, ${nsModel.pods.length} pods, ${nsModel.policies.length} policies`);
bestOf('namespaceMatrix() over all ports', 3, () => nsModel.namespaceMatrix());
bestOf('namespaceMatrix(8080, TCP)', 3, () => nsModel.namespaceMatrix(8080, 'TCP'));
bestOf('build + namespaceMatrix() end to end', 3, () => ReachabilityModel.fromObjects(deployments).namespaceMatrix());

const pods = syntheticCluster({ tenants, asPods: true });
const podModel = bestOf(`build model: ${tenants} tenants (Pods with IPs)`, 3, () => ReachabilityModel.fromObjects(pods));
console.log(`  ${podModel.pods.length} pods`);
bestOf('podMatrix(8080, TCP)', 3, () => podModel.podMatrix(8080, 'TCP'));
bestOf('podPortMatrix() over all ports', 3, () => podModel.podPortMatrix());
bestOf('build + podMatrix(8080) end to end', 3, () => ReachabilityModel.fromObjects(pods).podMatrix(8080, 'TCP'));

// Worst case for the namespace matrix: nothing is isolated, so no namespace pair can be skipped.
const open = deployments.filter((o) => o.kind !== 'NetworkPolicy');
bestOf('build + namespaceMatrix() with no policies', 3, () => ReachabilityModel.fromObjects(open).namespaceMatrix());

// Harder: tenants accept TCP 8080 from every namespace and their egress is open, so most pairs
// have to be evaluated pod by pod.
const permissive = deployments
  .filter((o) => !(o.kind === 'NetworkPolicy' && ['allow-frontend-egress', 'allow-dns'].includes(String(o.metadata?.name))))
  .map((o) => (o.kind === 'NetworkPolicy' && o.metadata?.name === 'default-deny' ? { ...o, spec: { podSelector: {}, policyTypes: ['Ingress'] } } : o))
  .map((o) => (o.kind === 'NetworkPolicy' && o.metadata?.name === 'allow-ingress-controller'
    ? { ...o, spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] }] } }
    : o));
bestOf('build + namespaceMatrix() with open egress, shared ingress', 3, () => ReachabilityModel.fromObjects(permissive).namespaceMatrix());

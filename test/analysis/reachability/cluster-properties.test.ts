import * as fc from 'fast-check';
import { cluster, policies, PROBE_PORTS, referencePods, toObjects, withPolicies } from './properties/arbitraries';
import { tieredPolicies } from './properties/cluster-arbitraries';
import { describeVerdict, RefTieredCluster, tieredReferenceVerdict } from './properties/cluster-reference';
import { referenceAllows } from './properties/reference';
import { ReachabilityModel } from '../../../src/analysis/reachability';
import { ProtocolName as Protocol } from '../../../src/model/vocabulary';

/** A random cluster with NetworkPolicies and tiered cluster policies of both API versions. */
const tieredCluster: fc.Arbitrary<RefTieredCluster> = fc.tuple(cluster, policies({ min: 0, max: 3 }), tieredPolicies)
  .map(([base, specs, clusterPolicies]) => ({ ...withPolicies(base, specs), clusterPolicies }));

/** A few ports per run, drawn from every boundary the policies and pods can create. */
const someProbePorts = fc.subarray(PROBE_PORTS as Array<readonly [string, number]>, { minLength: 3, maxLength: 6 });

// The reference matches ipBlocks against pod addresses, as Calico does.
const modelOf = (c: RefTieredCluster) => ReachabilityModel.fromObjects([...toObjects(c), ...c.clusterPolicies], { networkBackend: 'calico' }, 'cluster-properties');

/** Compares the model with the reference on the chosen pairs and ports; throws on the first difference. */
function compare(c: RefTieredCluster, ports: ReadonlyArray<readonly [string, number]>, pairs: 'distinct' | 'self'): void {
  const model = modelOf(c);
  const pods = referencePods(c);
  expect(model.pods.map((p) => p.key).sort()).toEqual([...pods.keys()].sort());
  for (const [protocol, port] of ports) {
    const matrix = model.podMatrix(port, protocol as Protocol);
    for (const [fromKey, from] of pods) {
      for (const [toKey, to] of pods) {
        if ((fromKey === toKey) !== (pairs === 'self')) continue;
        const want = tieredReferenceVerdict(c, from, to, port, protocol);
        const verdict = model.evaluate(fromKey, toKey, port, protocol as Protocol);
        if (matrix.allowed(fromKey, toKey) !== want.allowed || verdict.allowed !== want.allowed) {
          throw new Error(`${protocol}/${port} ${fromKey} -> ${toKey}: reference ${describeVerdict(want)}; `
            + `model says ${verdict.explanation} (podMatrix: ${matrix.allowed(fromKey, toKey) ? 'allowed' : 'denied'})`);
        }
      }
    }
  }
}

describe('reachability properties with cluster network policies', () => {
  test('the model agrees with the naive tiered reference on every pair of distinct pods', () => {
    fc.assert(fc.property(tieredCluster, someProbePorts, (c, ports) => compare(c, ports, 'distinct')), { numRuns: 300 });
  });

  // A self-pair stands for a workload's replicas talking to each other, so by default (selfTraffic
  // 'policy') the model judges it like any pair, tiers included; 'allow' reads it as hairpin traffic.
  test('a pod connecting to itself is judged like any other pair by default', () => {
    fc.assert(fc.property(tieredCluster, someProbePorts, (c, ports) => compare(c, ports, 'self')), { numRuns: 100 });
  });

  test('the tiered reference is the NetworkPolicy reference when there are no cluster policies', () => {
    fc.assert(fc.property(tieredCluster, someProbePorts, (c, ports) => {
      const plain = { ...c, clusterPolicies: [] };
      const pods = [...referencePods(c).values()];
      for (const [protocol, port] of ports) {
        for (const from of pods) {
          for (const to of pods) {
            expect(tieredReferenceVerdict(plain, from, to, port, protocol).allowed).toBe(referenceAllows(c, from, to, port, protocol));
          }
        }
      }
    }), { numRuns: 100 });
  });
});

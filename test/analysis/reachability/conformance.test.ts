import { CASES, Probe, Step } from './conformance/cases';
import { e2eCluster, expectedTable, POD_KEYS } from './conformance/fixture';
import { ReachabilityModel } from '../../../src/analysis/reachability';

/** Cells where the model and the expected truth table disagree, as readable lines. */
function mismatches(model: ReachabilityModel, probe: Probe): string[] {
  const expected = expectedTable(probe.expect);
  const matrix = model.podMatrix(probe.port, probe.protocol);
  const wrong: string[] = [];
  for (const from of POD_KEYS) {
    for (const to of POD_KEYS) {
      const want = expected.get(`${from} -> ${to}`);
      const got = matrix.allowed(from, to);
      if (got !== want) {
        wrong.push(`${probe.protocol}/${probe.port} ${from} -> ${to}: expected ${want ? 'allowed' : 'denied'}, model says ${model.evaluate(from, to, probe.port, probe.protocol).explanation}`);
      }
    }
  }
  return wrong;
}

function modelFor(step: Step): ReachabilityModel {
  // Upstream's ipBlock scenarios take pod IPs as matched by ipBlocks, as Calico does (the API leaves it to the plugin).
  return ReachabilityModel.fromObjects([...e2eCluster(step.tweaks), ...step.policies], { networkBackend: 'calico' }, 'conformance');
}

describe('NetworkPolicy conformance (scenarios of the upstream e2e suite)', () => {
  test('the suite ports at least 40 upstream scenarios', () => {
    expect(CASES.filter((c) => c.origin === 'upstream').length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.title)).size).toBe(CASES.length);
  });

  // The diagonal (a pod to itself) is compared too: upstream ignores it because CNIs differ, but
  // every expected table here is also what the policies say for self traffic (see README notes).
  test.each(CASES.map((c) => [`[${c.origin}] ${c.title}`, c] as const))('%s', (_title, c) => {
    for (const step of c.steps) {
      const model = modelFor(step);
      for (const probe of step.probes) {
        expect(mismatches(model, probe)).toEqual([]);
      }
    }
  });

  test('evaluate() agrees with podMatrix() on every cell of every probe', () => {
    let cells = 0;
    for (const c of CASES) {
      for (const step of c.steps) {
        const model = modelFor(step);
        for (const probe of step.probes) {
          const matrix = model.podMatrix(probe.port, probe.protocol);
          for (const from of POD_KEYS) {
            for (const to of POD_KEYS) {
              const verdict = model.evaluate(from, to, probe.port, probe.protocol);
              expect(verdict.allowed).toBe(matrix.allowed(from, to));
              expect(verdict.allowed).toBe(verdict.egress.allowed && verdict.ingress.allowed);
              expect(verdict.explanation.startsWith(verdict.allowed ? 'allowed:' : 'denied:')).toBe(true);
              cells++;
            }
          }
        }
      }
    }
    expect(cells).toBeGreaterThan(5000);
  });
});

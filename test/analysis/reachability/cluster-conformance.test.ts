import { API_VERSIONS, CASES, ClusterConformanceCase, Probe, Step, UPSTREAM_TEST_NAMES } from './cluster-conformance/cases';
import { conformanceCluster, podKey, POD_KEYS } from './cluster-conformance/fixture';
import { describeVerdict, referenceCluster, tieredReferenceVerdict } from './properties/cluster-reference';
import { ReachabilityModel } from '../../../src/analysis/reachability';
import { KubeObject } from '../../../src/model/manifests';
import { ProtocolName as Protocol } from '../../../src/model/vocabulary';

const objectsOf = (step: Step): KubeObject[] => [...conformanceCluster(step.tweaks), ...step.policies];
const modelOf = (step: Step) => ReachabilityModel.fromObjects(objectsOf(step), { networkBackend: 'calico' }, 'cluster-conformance');
const each = CASES.map((c) => [`[${c.api}] ${c.test}: ${c.title}`, c] as const);
const verdictWord = (allowed: boolean) => (allowed ? 'allowed' : 'denied');
const where = (step: Step, index: number) => `step ${index + 1} (${step.tweaks.family}${step.tweaks.namespaceLabels ? ', relabelled namespaces' : ''})`;
const describeProbe = (p: Probe) => `${p.protocol}/${p.port} ${p.from} -> ${p.to}`;

/** Probes whose expectation the reference evaluator does not share, as readable lines. */
function referenceMismatches(c: ClusterConformanceCase): string[] {
  const wrong: string[] = [];
  c.steps.forEach((step, i) => {
    const { cluster, pods } = referenceCluster(objectsOf(step));
    for (const probe of step.probes) {
      const verdict = tieredReferenceVerdict(cluster, pods.get(podKey(probe.from))!, pods.get(podKey(probe.to))!, probe.port, probe.protocol);
      if (verdict.allowed !== probe.allowed) {
        wrong.push(`${where(step, i)} ${describeProbe(probe)}: upstream expects ${verdictWord(probe.allowed)}, reference says ${describeVerdict(verdict)}`);
      }
    }
  });
  return wrong;
}

/** Probes the model answers differently from upstream, with the model's explanation. */
function modelMismatches(c: ClusterConformanceCase): string[] {
  const wrong: string[] = [];
  c.steps.forEach((step, i) => {
    const model = modelOf(step);
    for (const probe of step.probes) {
      const from = podKey(probe.from);
      const to = podKey(probe.to);
      const got = model.podMatrix(probe.port, probe.protocol).allowed(from, to);
      const verdict = model.evaluate(from, to, probe.port, probe.protocol);
      if (got !== probe.allowed || verdict.allowed !== probe.allowed) {
        wrong.push(`${where(step, i)} ${describeProbe(probe)}: expected ${verdictWord(probe.allowed)}, model says ${verdict.explanation}`
          + (got === verdict.allowed ? '' : ` (and podMatrix says ${verdictWord(got)})`));
      }
    }
  });
  return wrong;
}

/** The ports the upstream pods serve. */
const SERVED: ReadonlyArray<readonly [Protocol, number]> = [['TCP', 80], ['TCP', 8080], ['UDP', 53], ['UDP', 5353], ['SCTP', 9003], ['SCTP', 9005]];

describe('cluster network policy conformance (tests of the upstream network-policy-api suite)', () => {
  test('the port covers the standard and named-port tests of both API versions', () => {
    // 22 upstream tests per version: 20 standard ones and the 2 named-port ones of each tier.
    expect(new Set(UPSTREAM_TEST_NAMES).size).toBeGreaterThanOrEqual(44);
    expect(new Set(CASES.map((c) => `${c.api} ${c.test}`)).size).toBe(UPSTREAM_TEST_NAMES.length);
    expect(new Set(CASES.map((c) => `${c.api} ${c.test} ${c.title}`)).size).toBe(CASES.length);
    for (const api of API_VERSIONS) {
      const cases = CASES.filter((c) => c.api === api);
      expect(cases.length).toBeGreaterThanOrEqual(87);
      expect(cases.flatMap((c) => c.steps.flatMap((s) => s.probes)).length).toBeGreaterThanOrEqual(320);
    }
    for (const c of CASES) {
      expect(c.steps.length).toBeGreaterThan(0);
      for (const step of c.steps) expect(step.probes.length).toBeGreaterThan(0);
    }
  });

  describe('every upstream expectation agrees with the naive reference evaluator', () => {
    test.each(each)('%s', (_title, c) => {
      expect(referenceMismatches(c)).toEqual([]);
    });
  });

  describe('ReachabilityModel answers every upstream probe as upstream expects', () => {
    test.each(each)('%s', (_title, c) => {
      expect(modelMismatches(c)).toEqual([]);
    });
  });

  // Upstream probes a few pairs per step; the reference knows every other pair too. A pod talking
  // to itself is left to the property tests (the model judges a self-pair like any pair by default).
  test('ReachabilityModel agrees with the reference on every pair of distinct pods of every step, on every served port', () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const c of CASES) {
      c.steps.forEach((step, i) => {
        const model = modelOf(step);
        const { cluster, pods } = referenceCluster(objectsOf(step));
        for (const [protocol, port] of SERVED) {
          const matrix = model.podMatrix(port, protocol);
          for (const from of POD_KEYS) {
            for (const to of POD_KEYS) {
              if (from === to) continue;
              cells++;
              const want = tieredReferenceVerdict(cluster, pods.get(from)!, pods.get(to)!, port, protocol);
              if (matrix.allowed(from, to) !== want.allowed && wrong.length < 50) {
                wrong.push(`[${c.api}] ${c.test}: ${c.title}, ${where(step, i)} ${protocol}/${port} ${from} -> ${to}: `
                  + `reference ${describeVerdict(want)}; model says ${model.evaluate(from, to, port, protocol).explanation}`);
              }
            }
          }
        }
      });
    }
    expect(wrong).toEqual([]);
    expect(cells).toBeGreaterThan(50000);
  });
});

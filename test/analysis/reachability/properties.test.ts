import * as fc from 'fast-check';
import { cluster, policies, PROBE_PORTS, referencePods, toObjects, withPolicies } from './properties/arbitraries';
import { PolicySpec, RefCluster, referenceAllows } from './properties/reference';
import { PortSet, ReachabilityModel, ReachabilityOptions } from '../../../src/analysis/reachability';
import { ProtocolName as Protocol } from '../../../src/model/vocabulary';

const RUNS = { numRuns: 150 };

// The reference matches ipBlocks against pod addresses, as Calico does; the plugins' differences have their own property below.
const modelOf = (c: RefCluster, options: ReachabilityOptions = {}) => ReachabilityModel.fromObjects(toObjects(c), { networkBackend: 'calico', ...options });

/** Ports per ordered pod pair, keyed `from -> to`. */
function portsByPair(model: ReachabilityModel): Map<string, PortSet> {
  const out = new Map<string, PortSet>();
  for (const a of model.pods) for (const b of model.pods) out.set(`${a.key} -> ${b.key}`, model.allowedPorts(a.key, b.key));
  return out;
}

const isSubset = (a: PortSet, b: PortSet) => a.intersect(b).equals(a);

const allowAll = (namespace: string) => ({
  namespace,
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] } as PolicySpec,
});
const denyAll = (namespace: string) => ({ namespace, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } as PolicySpec });

describe('reachability properties', () => {
  test('the model agrees with a naive reference evaluator on every pair and every port boundary', () => {
    fc.assert(fc.property(cluster, policies({ min: 1, max: 5 }), (base, specs) => {
      const c = withPolicies(base, specs);
      const model = modelOf(c);
      const pods = referencePods(c);
      expect(model.pods.map((p) => p.key).sort()).toEqual([...pods.keys()].sort());
      for (const [fromKey, from] of pods) {
        for (const [toKey, to] of pods) {
          const ports = model.allowedPorts(fromKey, toKey);
          for (const [protocol, port] of PROBE_PORTS) {
            const expected = referenceAllows(c, from, to, port, protocol);
            if (ports.contains(protocol as Protocol, port) !== expected) {
              throw new Error(`${fromKey} -> ${toKey} ${protocol}/${port}: model ${!expected}, reference ${expected}; ports ${ports}`);
            }
          }
        }
      }
    }), { numRuns: 400 });
  });

  test('the network plugin: Cilium and an undeclared plugin answer as the reference without ipBlocks matching pods, the undeclared one\'s twin as Calico', () => {
    const noPodMatch = { ipBlocksMatchPods: false };
    const someProbes = fc.subarray(PROBE_PORTS as Array<readonly [string, number]>, { minLength: 4, maxLength: 8 });
    fc.assert(fc.property(cluster, policies({ min: 1, max: 4 }), someProbes, (base, specs, probes) => {
      const c = withPolicies(base, specs);
      const pods = referencePods(c);
      const cilium = modelOf(c, { networkBackend: 'cilium' });
      const undeclared = ReachabilityModel.fromObjects(toObjects(c));
      // The twin exists exactly when it could answer differently; without it, the plugin changes nothing.
      const twin = undeclared.whereIpBlocksMatchPods ?? undeclared;
      expect(cilium.whereIpBlocksMatchPods).toBeUndefined();
      for (const [fromKey, from] of pods) {
        for (const [toKey, to] of pods) {
          for (const [protocol, port] of probes) {
            const strict = referenceAllows(c, from, to, port, protocol, noPodMatch);
            const loose = referenceAllows(c, from, to, port, protocol);
            const where = `${fromKey} -> ${toKey} ${protocol}/${port}`;
            expect([where, cilium.allowedPorts(fromKey, toKey).contains(protocol as Protocol, port)]).toEqual([where, strict]);
            expect([where, undeclared.allowedPorts(fromKey, toKey).contains(protocol as Protocol, port)]).toEqual([where, strict]);
            expect([where, twin.allowedPorts(fromKey, toKey).contains(protocol as Protocol, port)]).toEqual([where, loose]);
          }
        }
      }
    }), { numRuns: 150 });
  });

  test('with no policies everything is reachable on every port', () => {
    fc.assert(fc.property(cluster, (c) => {
      const model = modelOf(c);
      for (const ports of portsByPair(model).values()) expect(ports.isAll).toBe(true);
      for (const cell of model.namespaceMatrix().reachablePairs()) expect(cell.every.isAll).toBe(true);
    }), RUNS);
  });

  test('adding an allow-everything policy never removes reachability, and in every namespace restores all of it', () => {
    fc.assert(fc.property(cluster, policies({ min: 0, max: 4 }), fc.constantFrom('n1', 'n2', 'n3'), (base, specs, ns) => {
      const c = withPolicies(base, specs);
      const before = portsByPair(modelOf(c));
      const after = portsByPair(modelOf(withPolicies(c, [allowAll(ns)], 'allow')));
      for (const [pair, ports] of before) expect(isSubset(ports, after.get(pair)!)).toBe(true);
      const everywhere = portsByPair(modelOf(withPolicies(c, Object.keys(c.namespaces).map(allowAll), 'allow')));
      for (const ports of everywhere.values()) expect(ports.isAll).toBe(true);
    }), RUNS);
  });

  test('a default-deny-all policy denies every pair into or out of its namespace except what other policies allow', () => {
    fc.assert(fc.property(cluster, policies({ min: 0, max: 4 }), fc.constantFrom('n1', 'n2', 'n3'), (base, specs, ns) => {
      fc.pre(ns in base.namespaces);
      const c = withPolicies(base, specs);
      const before = portsByPair(modelOf(c));
      const denied = modelOf(withPolicies(c, [denyAll(ns)], 'deny'));
      const onlyDeny = modelOf(withPolicies(base, [denyAll(ns)], 'deny')); // same cluster, no other policies
      for (const a of denied.pods) {
        for (const b of denied.pods) {
          const pair = `${a.key} -> ${b.key}`;
          const touches = a.namespace === ns || b.namespace === ns;
          const ports = denied.allowedPorts(a.key, b.key);
          // Never more than before; untouched pairs unchanged; with nothing else, nothing at all.
          expect(isSubset(ports, before.get(pair)!)).toBe(true);
          if (!touches) expect(ports.equals(before.get(pair)!)).toBe(true);
          if (touches) expect(onlyDeny.allowedPorts(a.key, b.key).isEmpty).toBe(true);
        }
      }
    }), RUNS);
  });

  test('once every pod is isolated both ways, adding policies only ever adds reachability (union is monotone)', () => {
    fc.assert(fc.property(cluster, policies({ min: 0, max: 3 }), policies({ min: 1, max: 3 }), (base, first, more) => {
      const isolated = withPolicies(base, Object.keys(base.namespaces).map(denyAll), 'deny');
      const p = withPolicies(isolated, first, 'p');
      const pq = withPolicies(p, more, 'q');
      const before = portsByPair(modelOf(p));
      const after = portsByPair(modelOf(pq));
      for (const [pair, ports] of before) expect(isSubset(ports, after.get(pair)!)).toBe(true);
    }), RUNS);
  });

  test('namespace matrices agree with the pod-level matrices', () => {
    const selfTraffic = fc.constantFrom<ReachabilityOptions['selfTraffic']>('policy', 'allow');
    const probe = fc.constantFrom(...PROBE_PORTS);
    fc.assert(fc.property(cluster, policies({ min: 0, max: 5 }), probe, selfTraffic, (base, specs, [protocol, port], self) => {
      const model = modelOf(withPolicies(base, specs), { selfTraffic: self });
      const pods = model.podPortMatrix();
      const onePort = model.podMatrix(port, protocol as Protocol);
      const symbolic = model.namespaceMatrix();
      const boolean = model.namespaceMatrix(port, protocol as Protocol);
      for (const from of model.namespaces) {
        for (const to of model.namespaces) {
          const cells = from.pods.flatMap((a) => to.pods.map((b) => pods.ports(a.key, b.key)));
          const some = cells.reduce((acc, s) => acc.union(s), PortSet.NONE);
          // "Every pod" is every pod a workload stands for: every unit (part of its pods the policies tell apart).
          const every = from.units.flatMap((a) => to.units.map((b) => model.unitPorts(a, b))).reduce((acc, s) => acc.intersect(s), PortSet.ALL);
          expect(symbolic.some(from.name, to.name).equals(some)).toBe(true);
          expect(symbolic.every(from.name, to.name).equals(every)).toBe(true);
          const pairs = from.pods.flatMap((a) => to.pods.map((b) => onePort.allowed(a.key, b.key)));
          expect(boolean.some(from.name, to.name)).toBe(pairs.some((x) => x));
          expect(boolean.every(from.name, to.name)).toBe(every.contains(protocol as Protocol, port));
        }
      }
    }), { numRuns: 300 });
  });

  test('evaluate() agrees with allowedPorts() and names rules only when isolated', () => {
    fc.assert(fc.property(cluster, policies({ min: 0, max: 5 }), fc.constantFrom(...PROBE_PORTS), (base, specs, [protocol, port]) => {
      const model = modelOf(withPolicies(base, specs));
      for (const a of model.pods) {
        for (const b of model.pods) {
          const v = model.evaluate(a.key, b.key, port, protocol as Protocol);
          expect(v.allowed).toBe(model.allowedPorts(a.key, b.key).contains(protocol as Protocol, port));
          for (const side of [v.egress, v.ingress]) {
            expect(side.allowed).toBe(!side.isolated || side.allowingRules.length > 0);
            expect(side.isolated).toBe(side.isolatingPolicies.length > 0);
          }
        }
      }
    }), RUNS);
  });
  test('exposure() is the union over the source namespace\'s pods of allowedPorts()', () => {
    fc.assert(fc.property(cluster, policies({ min: 0, max: 5 }), (base, specs) => {
      const model = modelOf(withPolicies(base, specs));
      const exposure = model.exposure();
      for (const ns of model.namespaces) {
        for (const b of model.pods) {
          const union = ns.pods.reduce((acc, a) => acc.union(model.allowedPorts(a.key, b.key)), PortSet.NONE);
          expect(exposure.ports(ns.name, b.key).equals(union)).toBe(true);
        }
      }
    }), RUNS);
  });

  test('the explanation sentences agree with the verdict: the admitting rules, or a reason for every other rule', () => {
    fc.assert(fc.property(cluster, policies({ min: 0, max: 5 }), fc.constantFrom(...PROBE_PORTS), (base, specs, [protocol, port]) => {
      const model = modelOf(withPolicies(base, specs));
      for (const a of model.pods) {
        for (const b of model.pods) {
          const v = model.evaluate(a.key, b.key, port, protocol as Protocol);
          const text = v.sentences.join('\n');
          expect(text).not.toContain('undefined');
          const sides = [['Egress', v.egress], ['Ingress', v.ingress]] as const;
          for (const [name, side] of sides) {
            const first = v.sentences.find((line) => line.startsWith(`${name}:`))!;
            expect(first.includes('is not restricted')).toBe(!side.isolated);
            expect(first.includes('is admitted by')).toBe(side.isolated && side.allowed);
            for (const rule of side.allowingRules) expect(first).toContain(rule);
          }
        }
      }
    }), RUNS);
  });
});

import { NamespaceInfo } from './cluster';
import { Engine, SelfTraffic } from './engine';
import { PortSetStore } from './ports';

/** Per namespace: its units split by whether their ports in one direction depend on the other unit. */
interface Side {
  /** Pods whose ports do not depend on the other pod, and the union / intersection of those ports. */
  readonly fixed: Int32Array;
  readonly fixedUnion: number;
  readonly fixedIntersection: number;
  /** Pods whose ports depend on the other pod. */
  readonly varying: Int32Array;
  readonly all: Int32Array;
}

/**
 * Folds pod pairs into namespace pairs: union for "some pod pair", intersection for "every pod
 * pair", as interned port-set ids. Three shortcuts keep this exact while skipping most pod pairs:
 *
 * - pairs that no rule can connect (judged from the namespaces the rules' peers live in) stay NONE,
 *   which is right because every namespace holds at least one pod;
 * - pods whose ports do not depend on the other pod ("fixed": not isolated, or only rules whose peers
 *   are every pod) are combined per namespace: since intersection distributes over union, the block
 *   of fixed sources x fixed destinations is `union(E) ∩ union(I)` for some and `∩E ∩ ∩I` for every;
 * - only pairs involving a varying pod are evaluated one by one.
 */
export function aggregateNamespaces(
  engine: Engine,
  namespaces: readonly NamespaceInfo[],
  selfTraffic: SelfTraffic,
): { some: Int32Array; every: Int32Array } {
  const n = namespaces.length;
  const some = new Int32Array(n * n); // 0 is PortSetStore.NONE
  const every = new Int32Array(n * n);
  const store = engine.store;
  const egress = namespaces.map((ns) => side(engine, 'egress', ns));
  const ingress = namespaces.map((ns) => side(engine, 'ingress', ns));
  const sources = namespaces.map((ns) => engine.reachableNamespaces('ingress', ns.units));

  // Which namespaces each namespace may reach (egress) and be reached from (ingress), as bytes:
  // most of the n x n pairs are ruled out by these two look-ups alone.
  const reachable = (found: ReadonlySet<number> | undefined): Uint8Array | undefined => {
    if (found === undefined) return undefined;
    const bytes = new Uint8Array(n);
    found.forEach((i) => { bytes[i] = 1; });
    return bytes;
  };
  const sourceBytes = sources.map(reachable);

  // One fold for every pair (not a closure per pair: a thousand namespaces make a million pairs).
  let anyPair = PortSetStore.NONE;
  let allPairs = PortSetStore.ALL;
  const fold = (sourcePods: Int32Array, destinationPods: Int32Array) => {
    for (const a of sourcePods) {
      for (const b of destinationPods) {
        const ports = engine.allowedPorts(a, b);
        anyPair = store.union(anyPair, ports);
        allPairs = store.intersect(allPairs, ports);
      }
    }
  };
  for (const from of namespaces) {
    const targets = reachable(engine.reachableNamespaces('egress', from.units));
    const src = egress[from.index];
    for (const to of namespaces) {
      if (from.external === true && to.external === true) continue; // the internet node with itself: nothing of the cluster's
      if (targets?.[to.index] === 0 || sourceBytes[to.index]?.[from.index] === 0) continue;
      const dst = ingress[to.index];
      anyPair = PortSetStore.NONE;
      allPairs = PortSetStore.ALL;
      if (selfTraffic === 'allow' && from === to) {
        fold(src.all, dst.all); // a pod's own pair is exempt, which breaks the per-namespace algebra
      } else {
        if (src.fixed.length > 0 && dst.fixed.length > 0) {
          anyPair = store.intersect(src.fixedUnion, dst.fixedUnion);
          allPairs = store.intersect(src.fixedIntersection, dst.fixedIntersection);
        }
        fold(src.varying, dst.all);
        fold(src.fixed, dst.varying);
      }
      some[from.index * n + to.index] = anyPair;
      every[from.index * n + to.index] = allPairs;
    }
  }
  return { some, every };
}

function side(engine: Engine, direction: 'egress' | 'ingress', ns: NamespaceInfo): Side {
  const fixed: number[] = [];
  const varying: number[] = [];
  let fixedUnion = PortSetStore.NONE;
  let fixedIntersection = PortSetStore.ALL;
  for (const unit of ns.units) {
    const ports = engine.fixedPorts(direction, unit.index);
    if (ports < 0) {
      varying.push(unit.index);
    } else {
      fixed.push(unit.index);
      fixedUnion = engine.store.union(fixedUnion, ports);
      fixedIntersection = engine.store.intersect(fixedIntersection, ports);
    }
  }
  const all = Int32Array.from(ns.units, (u) => u.index);
  return { fixed: Int32Array.from(fixed), varying: Int32Array.from(varying), fixedUnion, fixedIntersection, all };
}

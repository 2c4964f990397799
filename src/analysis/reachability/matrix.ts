import { PortSet, PortSetStore } from './ports';
import { ProtocolName as Protocol } from '../../model/vocabulary';

/** Finds the row/column of a name, with an error that lists what is known. */
class Axis {
  private readonly index: ReadonlyMap<string, number>;

  constructor(readonly names: readonly string[], private readonly what: string) {
    this.index = new Map(names.map((n, i) => [n, i]));
  }

  indexOf(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) {
      const known = this.names.slice(0, 10).join(', ') + (this.names.length > 10 ? ', ...' : '');
      throw new RangeError(`unknown ${this.what} ${JSON.stringify(name)} (known: ${known})`);
    }
    return i;
  }
}

/** Pod-to-pod reachability on one port: `allowed(from, to)`. */
export class PodMatrix {
  private readonly axis: Axis;

  constructor(readonly pods: readonly string[], readonly port: number, readonly protocol: Protocol, private readonly cells: Uint8Array) {
    this.axis = new Axis(pods, 'pod');
  }

  allowed(from: string, to: string): boolean {
    return this.cells[this.axis.indexOf(from) * this.pods.length + this.axis.indexOf(to)] === 1;
  }

  /** The position of a pod in `pods`, for the `...At` methods. */
  positionOf(pod: string): number {
    return this.axis.indexOf(pod);
  }

  /** `allowed` by position in `pods`, for loops over every pair (no name look-ups). */
  allowedAt(from: number, to: number): boolean {
    return this.cells[from * this.pods.length + to] === 1;
  }

  /** Number of allowed ordered pairs (including a pod to itself). */
  countAllowed(): number {
    return this.cells.reduce((n, v) => n + v, 0);
  }

  /** A truth table with `.` for allowed and `X` for denied, one row per source. */
  toString(): string {
    return truthTable(this.pods, (i, j) => this.cells[i * this.pods.length + j] === 1);
  }
}

/** Pod-to-pod reachability over all ports: `ports(from, to)`. */
export class PodPortMatrix {
  private readonly axis: Axis;

  constructor(readonly pods: readonly string[], private readonly store: PortSetStore, private readonly cells: Int32Array) {
    this.axis = new Axis(pods, 'pod');
  }

  ports(from: string, to: string): PortSet {
    return this.store.get(this.cells[this.axis.indexOf(from) * this.pods.length + this.axis.indexOf(to)]);
  }

  /** The position of a pod in `pods`, for the `...At` methods. */
  positionOf(pod: string): number {
    return this.axis.indexOf(pod);
  }

  /** `ports` by position in `pods`, for loops over every pair (no name look-ups). */
  portsAt(from: number, to: number): PortSet {
    return this.store.get(this.cells[from * this.pods.length + to]);
  }
}

/** Namespace-to-namespace reachability on one port. */
export class NamespaceMatrix {
  private readonly axis: Axis;

  constructor(
    readonly namespaces: readonly string[],
    readonly port: number,
    readonly protocol: Protocol,
    private readonly someCells: Uint8Array,
    private readonly everyCells: Uint8Array,
  ) {
    this.axis = new Axis(namespaces, 'namespace');
  }

  /** True when some pod of `from` can reach some pod of `to`. */
  some(from: string, to: string): boolean {
    return this.someCells[this.cell(from, to)] === 1;
  }

  /** True when every pod of `from` can reach every pod of `to`. */
  every(from: string, to: string): boolean {
    return this.everyCells[this.cell(from, to)] === 1;
  }

  /** The position of a namespace in `namespaces`, for the `...At` methods. */
  positionOf(namespace: string): number {
    return this.axis.indexOf(namespace);
  }

  /** `some` by position in `namespaces`, for loops over every pair (no name look-ups). */
  someAt(from: number, to: number): boolean {
    return this.someCells[from * this.namespaces.length + to] === 1;
  }

  /** A truth table of `some`, with `.` for reachable and `X` for unreachable. */
  toString(): string {
    return truthTable(this.namespaces, (i, j) => this.someCells[i * this.namespaces.length + j] === 1);
  }

  private cell(from: string, to: string): number {
    return this.axis.indexOf(from) * this.namespaces.length + this.axis.indexOf(to);
  }
}

/** What one ordered namespace pair can do, over all ports. */
export interface NamespacePortCell {
  readonly from: string;
  readonly to: string;
  /** Ports on which some pod of `from` can reach some pod of `to`. */
  readonly some: PortSet;
  /** Ports on which every pod of `from` can reach every pod of `to`. */
  readonly every: PortSet;
}

/** Namespace-to-namespace reachability over all ports, computed exactly per port interval. */
export class NamespacePortMatrix {
  private readonly axis: Axis;

  constructor(
    readonly namespaces: readonly string[],
    private readonly store: PortSetStore,
    private readonly someCells: Int32Array,
    private readonly everyCells: Int32Array,
  ) {
    this.axis = new Axis(namespaces, 'namespace');
  }

  some(from: string, to: string): PortSet {
    return this.store.get(this.someCells[this.cell(from, to)]);
  }

  every(from: string, to: string): PortSet {
    return this.store.get(this.everyCells[this.cell(from, to)]);
  }

  /** The position of a namespace in `namespaces`, for the `...At` methods. */
  positionOf(namespace: string): number {
    return this.axis.indexOf(namespace);
  }

  /** `some` by position in `namespaces`, for loops over every pair (no name look-ups). */
  someAt(from: number, to: number): PortSet {
    return this.store.get(this.someCells[from * this.namespaces.length + to]);
  }

  /** Every ordered pair where some traffic is possible, row by row. */
  *reachablePairs(): IterableIterator<NamespacePortCell> {
    const n = this.namespaces.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const some = this.someCells[i * n + j];
        if (some === PortSetStore.NONE) continue;
        yield { from: this.namespaces[i], to: this.namespaces[j], some: this.store.get(some), every: this.store.get(this.everyCells[i * n + j]) };
      }
    }
  }

  private cell(from: string, to: string): number {
    return this.axis.indexOf(from) * this.namespaces.length + this.axis.indexOf(to);
  }
}

/**
 * Which pods each namespace can reach: per source namespace and destination pod, the ports on which
 * SOME pod of the namespace can connect to the pod. Unlike the namespace matrix, one open pod does
 * not make the whole destination namespace look open.
 */
export class ExposureMatrix {
  private readonly namespaceAxis: Axis;
  private readonly podAxis: Axis;

  constructor(
    readonly namespaces: readonly string[],
    readonly pods: readonly string[],
    private readonly store: PortSetStore,
    private readonly cells: Int32Array,
  ) {
    this.namespaceAxis = new Axis(namespaces, 'namespace');
    this.podAxis = new Axis(pods, 'pod');
  }

  /** Ports on which some pod of namespace `from` can connect to pod `to`. */
  ports(from: string, to: string): PortSet {
    return this.store.get(this.cells[this.namespaceAxis.indexOf(from) * this.pods.length + this.podAxis.indexOf(to)]);
  }
}

function truthTable(names: readonly string[], allowed: (i: number, j: number) => boolean): string {
  const width = Math.max(1, ...names.map((n) => n.length));
  const pad = (s: string) => s.padEnd(width);
  const header = [pad('-'), ...names.map(pad)].join(' ');
  const rows = names.map((n, i) => [pad(n), ...names.map((_, j) => pad(allowed(i, j) ? '.' : 'X'))].join(' '));
  return [header, ...rows].join('\n');
}

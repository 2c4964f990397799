// Flows between namespaces before and after a change: the namespace matrices of both sides (over
// all ports), cell by cell. A namespace only one side has holds no traffic on the other side.
import { compareText } from '../../private/json';
import { NamespacePortMatrix, PortSet } from '../reachability';

/** One ordered namespace pair whose ports changed. */
export interface FlowChange {
  readonly from: string;
  readonly to: string;
  /** Ports on which some pod of `from` can reach some pod of `to`, before and after. */
  readonly before: PortSet;
  readonly after: PortSet;
  /** The ports only after (the flow was added or widened) and only before (removed or narrowed). */
  readonly added: PortSet;
  readonly removed: PortSet;
  /**
   * The condition under which this change holds, when it holds only there (where the network plugin
   * matches ipBlocks against pod addresses); undefined for a change on every plugin.
   */
  readonly where?: string;
}

/**
 * The pairs whose ports differ between the two matrices, by source then destination (code-unit
 * order); each marked with `where` when given.
 */
export function compareFlows(base: NamespacePortMatrix, head: NamespacePortMatrix, where?: string): FlowChange[] {
  const names = [...new Set([...base.namespaces, ...head.namespaces])].sort(compareText);
  const position = (m: NamespacePortMatrix) => {
    const index = new Map(m.namespaces.map((n, i) => [n, i]));
    return Int32Array.from(names, n => index.get(n) ?? -1);
  };
  const inBase = position(base);
  const inHead = position(head);
  const changes: FlowChange[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = 0; j < names.length; j++) {
      const before = inBase[i] < 0 || inBase[j] < 0 ? PortSet.NONE : base.someAt(inBase[i], inBase[j]);
      const after = inHead[i] < 0 || inHead[j] < 0 ? PortSet.NONE : head.someAt(inHead[i], inHead[j]);
      if (before.key === after.key) continue;
      const [added, removed] = [after.subtract(before), before.subtract(after)];
      changes.push({ from: names[i], to: names[j], before, after, added, removed, ...(where ? { where } : {}) });
    }
  }
  return changes;
}

/**
 * The changes of the models where ipBlocks match pod addresses (an undeclared plugin's twins) that
 * the plain changes do not already hold: what a change opens (or closes) on such plugins only.
 */
export function conditionalFlows(plain: readonly FlowChange[], twins: readonly FlowChange[]): FlowChange[] {
  const known = new Map(plain.map(f => [`${f.from}\n${f.to}`, f]));
  return twins.flatMap(f => {
    const same = known.get(`${f.from}\n${f.to}`);
    const added = same ? f.added.subtract(same.added) : f.added;
    const removed = same ? f.removed.subtract(same.removed) : f.removed;
    return added.isEmpty && removed.isEmpty ? [] : [{ ...f, added, removed }];
  });
}

/** The parts of a port set as `reach` words them, one per entry: `["TCP 53", "UDP 53"]`, `["all TCP"]`, `["all"]`. */
export function portTexts(ports: PortSet): string[] {
  return ports.isEmpty ? [] : ports.toString().split(', ');
}

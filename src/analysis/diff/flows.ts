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
}

/** The pairs whose ports differ between the two matrices, by source then destination (code-unit order). */
export function compareFlows(base: NamespacePortMatrix, head: NamespacePortMatrix): FlowChange[] {
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
      changes.push({ from: names[i], to: names[j], before, after, added: after.subtract(before), removed: before.subtract(after) });
    }
  }
  return changes;
}

/** The parts of a port set as `reach` words them, one per entry: `["TCP 53", "UDP 53"]`, `["all TCP"]`, `["all"]`. */
export function portTexts(ports: PortSet): string[] {
  return ports.isEmpty ? [] : ports.toString().split(', ');
}

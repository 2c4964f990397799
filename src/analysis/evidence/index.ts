// Compliance evidence: for each namespace, each control of the catalogue that manifests can show,
// with pass, fail or not-applicable and the objects that prove it. Pure: reads the model only.
// What it shows is what the input declares; objects made on the cluster by hand are not in it.
import { CONTROLS } from './catalogue';
import { Control, ControlResult, ControlStatus, CONTROL_STATUSES, KUBERNETES_NAMESPACES } from './types';
import { ClusterModel } from '../../model/cluster-model';
import { compareText } from '../../private/json';

export { CONTROLS } from './catalogue';
export { CONTROL_STATUSES, FRAMEWORKS, KUBERNETES_NAMESPACES } from './types';
export type { Control, ControlResult, ControlStatus, Framework } from './types';


/** Which namespaces the evidence covers, and how they were chosen. */
export interface CoveredNamespaces {
  readonly names: readonly string[];
  /** `managed` (the library's labels), `all` (no managed namespace in the input: every one but the system ones) or `chosen`. */
  readonly selection: 'managed' | 'all' | 'chosen';
}

/**
 * The namespaces the library manages (its managed-by or profile label); without any, every namespace
 * of the input but kube-system, kube-public and kube-node-lease. Sorted.
 */
export function defaultNamespaces(model: ClusterModel): CoveredNamespaces {
  const managed = model.namespaces.filter(n => n.managed).map(n => n.name);
  if (managed.length > 0) return { names: managed, selection: 'managed' };
  return { names: model.namespaces.map(n => n.name).filter(n => !KUBERNETES_NAMESPACES.includes(n)), selection: 'all' };
}

export interface ControlEvidence {
  readonly control: Control;
  readonly result: ControlResult;
}

export interface NamespaceEvidence {
  readonly namespace: string;
  /** In catalogue order. */
  readonly controls: readonly ControlEvidence[];
}

/** The evidence of every control for each of `namespaces` (which must be in the model), sorted by name. */
export function collectEvidence(model: ClusterModel, namespaces: readonly string[]): NamespaceEvidence[] {
  const covered = new Set(namespaces);
  return [...covered].sort(compareText).map(name => {
    const namespace = model.namespace(name);
    if (!namespace) throw new Error(`namespace "${name}" is not in the model`);
    const context = { model, namespace, covered };
    return { namespace: name, controls: CONTROLS.map(control => ({ control, result: control.evaluate(context) })) };
  });
}

/** How many controls have each status. */
export function countStatuses(results: Iterable<ControlEvidence>): Record<ControlStatus, number> {
  const counts = Object.fromEntries(CONTROL_STATUSES.map(s => [s, 0])) as Record<ControlStatus, number>;
  for (const r of results) counts[r.result.status]++;
  return counts;
}

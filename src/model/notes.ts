// What the input holds that a command read differently from the cluster, or could not evaluate:
// one line each, recorded as the input is read and printed by the commands as warnings (stderr),
// so that nobody takes an answer about the modelled part for an answer about the whole.
import { isClusterPolicyKind } from './cluster-policy';
import { KubeObject } from './manifests';
import { carriesPods, isCustomWorkloadKind, workloadKindOfObject } from './pod-template';
import { apiGroupOf } from './vocabulary';
import { compareText } from '../private/json';

/** The kinds of notes. */
export type NoteCode =
  /** A file of a directory walk that holds no Kubernetes objects (Chart.yaml, values.yaml...). */
  | 'skipped-file'
  /** A hidden file or directory of a directory walk. */
  | 'skipped-hidden'
  /** A symbolic link of a directory walk that leads nowhere (dangling, a loop) or to a directory already read. */
  | 'skipped-link'
  /** A Helm chart source or template: render it first. */
  | 'helm-source'
  /** A custom resource modelled as a workload from its pod template. */
  | 'modelled-kind'
  /** A custom resource that runs pods the input does not describe. */
  | 'ignored-kind'
  /** A network policy of another API (Cilium, Calico, extensions/v1beta1...). */
  | 'unevaluated-policy'
  /** A peer of a network-policy-api rule that is not evaluated (experimental nodes or domainNames, an unknown peer type). */
  | 'unevaluated-peer'
  /** Two network-policy-api policies of one tier with the same priority that select a common pod. */
  | 'tied-priority'
  /** A pod on the host network, which NetworkPolicies do not cover on most CNIs. */
  | 'host-network'
  /** A NetworkPolicy whose podSelector matches no pod of the input. */
  | 'policy-selects-nothing';

export interface InputNote {
  readonly code: NoteCode;
  /** One line, without a trailing newline. */
  readonly message: string;
}

/** The only NetworkPolicy API the analyses evaluate, besides the network-policy-api tiers. */
export const EVALUATED_POLICY_API_VERSION = 'networking.k8s.io/v1';

/**
 * Whether an object is a network policy of an API the analyses do not evaluate: not a
 * networking.k8s.io/v1 NetworkPolicy, nor a v1alpha1 AdminNetworkPolicy or
 * BaselineAdminNetworkPolicy, nor a v1alpha2 ClusterNetworkPolicy.
 */
export function isUnevaluatedPolicy(o: KubeObject): boolean {
  // Every network policy API names its kinds ...NetworkPolicy (Cilium, Calico, AdminNetworkPolicy).
  return o.kind.endsWith('NetworkPolicy')
    && !(o.kind === 'NetworkPolicy' && o.apiVersion === EVALUATED_POLICY_API_VERSION)
    && !isClusterPolicyKind(o.apiVersion, o.kind);
}

/**
 * One note per custom kind modelled as a workload, and one per custom kind that runs pods it does
 * not describe (`isModelled` says which objects the command reads as pods), each with its count,
 * sorted by kind and group.
 */
export function podCarrierNotes(objects: readonly KubeObject[], isModelled: (o: KubeObject) => boolean): InputNote[] {
  const modelled = new Map<string, { kind: string; group: string; holder: string; count: number }>();
  const ignored = new Map<string, { kind: string; group: string; count: number }>();
  for (const o of objects) {
    const group = apiGroupOf(o.apiVersion);
    const workloadKind = workloadKindOfObject(o);
    if (workloadKind && isCustomWorkloadKind(workloadKind) && isModelled(o)) {
      const holder = workloadKind.templateHolder.join('.');
      const key = `${o.kind} ${group} ${holder}`;
      const entry = modelled.get(key) ?? { kind: o.kind, group, holder, count: 0 };
      entry.count++;
      modelled.set(key, entry);
    } else if (!isModelled(o) && carriesPods(o)) {
      const key = `${o.kind} ${group}`;
      const entry = ignored.get(key) ?? { kind: o.kind, group, count: 0 };
      entry.count++;
      ignored.set(key, entry);
    }
  }
  const sorted = <T>(m: Map<string, T>): T[] => [...m.entries()].sort((a, b) => compareText(a[0], b[0])).map(e => e[1]);
  return [
    ...sorted(modelled).map(e => ({
      code: 'modelled-kind' as const,
      message: `modelled ${e.kind} (${e.group}) from ${e.holder} as a workload (${count(e.count)})`,
    })),
    ...sorted(ignored).map(e => ({
      code: 'ignored-kind' as const,
      message: `ignored ${e.kind} (${e.group}) (${count(e.count)}): it runs pods through an operator but has no pod template `
        + '(spec.template) to model them from, so they are not in the analysis and policies meant for them select nothing here',
    })),
  ];
}

function count(n: number): string {
  return `${n} object${n === 1 ? '' : 's'}`;
}

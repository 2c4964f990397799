import { ClusterModel, Namespace } from '../../model/cluster-model';

/** `pass`: the objects show the control holds; `fail`: they do not (something violates it, or what it needs is missing); `not-applicable`: nothing in the namespace it could apply to. */
export type ControlStatus = 'pass' | 'fail' | 'not-applicable';

/** Namespaces Kubernetes itself runs in: never a tenant's (`default` may well be one). */
export const KUBERNETES_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

export const CONTROL_STATUSES: readonly ControlStatus[] = ['pass', 'fail', 'not-applicable'];

/** The benchmark a control comes from. */
export interface Framework {
  /** Short name used in output: `MTB`, `CIS`, `NSA/CISA`. */
  readonly name: string;
  /** The document and version followed. */
  readonly source: string;
}

export const MTB: Framework = {
  name: 'MTB',
  source: 'Kubernetes Multi-Tenancy Benchmarks (kubernetes-sigs/multi-tenancy, benchmarks/kubectl-mtb), profile level 1',
};
export const CIS: Framework = { name: 'CIS', source: 'CIS Kubernetes Benchmark v1.10.0, section 5 (Policies)' };
export const NSA: Framework = { name: 'NSA/CISA', source: 'NSA/CISA Kubernetes Hardening Guide v1.2 (August 2022)' };

export const FRAMEWORKS: readonly Framework[] = [MTB, CIS, NSA];

/** What one control shows about one namespace. */
export interface ControlResult {
  readonly status: ControlStatus;
  /** The objects that prove the status: `Kind namespace/name`, or `Kind name` for cluster-scoped ones. */
  readonly evidence: readonly string[];
  /** Why this status, in a sentence: what the objects show, what is missing or which object violates. */
  readonly reason: string;
  /** For a failure: what to change. */
  readonly fix?: string;
}

/** What a control is evaluated on: the whole model and the namespace. */
export interface ControlContext {
  readonly model: ClusterModel;
  readonly namespace: Namespace;
  /** The namespaces the evidence covers (a service account of another one is a tenant's). */
  readonly covered: ReadonlySet<string>;
}

/** One control of the catalogue. */
export interface Control {
  /** The benchmark's own id (`MTB-PL1-CC-FNS-1`, `CIS-5.2.2`) or, for the NSA/CISA guide, which has none, ours (`NSA-CISA-...`). */
  readonly id: string;
  readonly framework: Framework;
  /** A short title. */
  readonly title: string;
  readonly evaluate: (context: ControlContext) => ControlResult;
}

// What admission says about one request: the denials, warnings and audit entries, each naming the
// policy (a ValidatingAdmissionPolicy, or PodSecurity) and, for a policy, the binding that applied it.

export interface AdmissionDecision {
  /** The ValidatingAdmissionPolicy's name, or `PodSecurity`. */
  readonly policy: string;
  /** The binding that applied the policy; absent for Pod Security. */
  readonly binding?: string;
  /** For denials: the HTTP status reason the client would see (`Invalid` by default, `Forbidden` for Pod Security). */
  readonly reason?: string;
  readonly message: string;
}

export interface AdmissionResult {
  /** True when nothing denied the request. */
  readonly allowed: boolean;
  readonly kind: string;
  /** The object's namespace; null for cluster-scoped objects (Namespaces included). */
  readonly namespace: string | null;
  /** metadata.name ('' when the object has none, e.g. uses generateName). */
  readonly name: string;
  readonly denials: readonly AdmissionDecision[];
  readonly warnings: readonly AdmissionDecision[];
  readonly audits: readonly AdmissionDecision[];
}

/** Decisions being collected for one request. */
export interface DecisionSink {
  readonly denials: AdmissionDecision[];
  readonly warnings: AdmissionDecision[];
  readonly audits: AdmissionDecision[];
}

export function emptySink(): DecisionSink {
  return { denials: [], warnings: [], audits: [] };
}

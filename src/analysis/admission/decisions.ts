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

/** A policy whose verdict on a request is unknown: it depends on something not simulated. */
export interface NotChecked {
  readonly policy: string;
  readonly binding: string;
  /** The binding's validationActions: with Deny, the request may be denied. */
  readonly validationActions: readonly string[];
  /** What is not simulated (a function and its library, authorizer, optional syntax). */
  readonly reason: string;
}

export interface AdmissionResult {
  /**
   * True only when the request is shown admitted: nothing denied it and every policy bound with
   * Deny that applies was checked. False when denied, or when such a policy was not checked
   * (then `denials` may be empty and `notChecked` says why).
   */
  readonly allowed: boolean;
  readonly kind: string;
  /** The object's namespace; null for cluster-scoped objects (Namespaces included). */
  readonly namespace: string | null;
  /** metadata.name ('' when the object has none, e.g. uses generateName). */
  readonly name: string;
  readonly denials: readonly AdmissionDecision[];
  readonly warnings: readonly AdmissionDecision[];
  readonly audits: readonly AdmissionDecision[];
  /** Policies whose verdict is unknown (neither passed nor failed), each with its binding. */
  readonly notChecked: readonly NotChecked[];
}

/** Decisions being collected for one request. */
export interface DecisionSink {
  readonly denials: AdmissionDecision[];
  readonly warnings: AdmissionDecision[];
  readonly audits: AdmissionDecision[];
  readonly notChecked: NotChecked[];
}

export function emptySink(): DecisionSink {
  return { denials: [], warnings: [], audits: [], notChecked: [] };
}

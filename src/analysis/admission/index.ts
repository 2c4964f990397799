/**
 * Offline admission: ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1) with their
 * bindings, and Pod Security admission, judged on requests built from manifests. Internal: not
 * exported from the package index.
 */
export { AdmissionSimulator } from './simulator';
export type { SimulatorOptions } from './simulator';
export { REQUEST_OPERATIONS } from './attributes';
export type { AdmissionRequest, RequestOperation } from './attributes';
export type { AdmissionDecision, AdmissionResult, NotChecked } from './decisions';
export { POD_SECURITY_POLICY } from './pod-security-admission';
export { completeUserInfo } from './user-info';
export type { UserInfo } from './user-info';

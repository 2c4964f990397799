// The cluster's guardrails before and after a change: ValidatingAdmissionPolicies and their
// bindings, and the network-policy-api's cluster policies (AdminNetworkPolicy,
// BaselineAdminNetworkPolicy, ClusterNetworkPolicy), compared by kind and name on their spec.
// A change weakens a guardrail unless it is shown to only tighten it; what the cluster policies
// change for the namespaces of the input, the flows show too.
import { ClusterModel, ModelObject } from '../../model/cluster-model';
import { POLICY_API_GROUP } from '../../model/cluster-policy';
import { apiGroupOf } from '../../model/vocabulary';
import { compareText, fingerprint, isRecord } from '../../private/json';

const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const POLICY_KIND = 'ValidatingAdmissionPolicy';
const BINDING_KIND = 'ValidatingAdmissionPolicyBinding';
const CLUSTER_POLICY_KINDS = ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'];

export type GuardrailChangeKind = 'added' | 'removed' | 'changed';

export interface GuardrailChange {
  readonly kind: string;
  readonly name: string;
  readonly change: GuardrailChangeKind;
  /** What changed, in a few words: `validationActions Deny → Warn, Audit`, `spec.validations changed`. */
  readonly detail: string;
  /** The change may let through what was stopped: a guardrail removed, or changed in a way not shown to only tighten it. */
  readonly weakens: boolean;
}

/** The guardrails added, removed or changed, by kind then name. */
export function compareGuardrails(base: ClusterModel, head: ClusterModel): GuardrailChange[] {
  const before = guardrailsOf(base);
  const after = guardrailsOf(head);
  const changes: GuardrailChange[] = [];
  for (const [key, was] of before) {
    const now = after.get(key);
    if (!now) changes.push({ kind: was.kind, name: was.name, change: 'removed', detail: 'removed', weakens: true });
    else if (fingerprint(specOf(was)) !== fingerprint(specOf(now))) changes.push({ kind: now.kind, name: now.name, change: 'changed', ...judgeChange(now.kind, specOf(was), specOf(now)) });
  }
  for (const [key, now] of after) {
    if (before.has(key)) continue;
    const opening = isClusterPolicy(now) && !onlyDenies(specOf(now));
    changes.push({ kind: now.kind, name: now.name, change: 'added', detail: opening ? 'added, with rules that accept or pass traffic' : 'added', weakens: opening });
  }
  return changes.sort((a, b) => compareText(a.kind, b.kind) || compareText(a.name, b.name));
}

function guardrailsOf(model: ClusterModel): Map<string, ModelObject> {
  const found = new Map<string, ModelObject>();
  for (const object of model.objects) {
    const group = apiGroupOf(object.apiVersion);
    const admission = group === ADMISSION_GROUP && (object.kind === POLICY_KIND || object.kind === BINDING_KIND);
    if (admission || isClusterPolicy(object)) found.set(`${object.kind}/${object.name}`, object);
  }
  return found;
}

function isClusterPolicy(object: ModelObject): boolean {
  return apiGroupOf(object.apiVersion) === POLICY_API_GROUP && CLUSTER_POLICY_KINDS.includes(object.kind);
}

function specOf(object: ModelObject): Record<string, unknown> {
  const spec = object.manifest.object.spec;
  return isRecord(spec) ? spec : {};
}

/** Says what changed in a spec and whether the change may weaken the guardrail. */
function judgeChange(kind: string, before: Record<string, unknown>, after: Record<string, unknown>): { detail: string; weakens: boolean } {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareText)
    .filter(f => fingerprint(before[f]) !== fingerprint(after[f]));
  const details: string[] = [];
  let weakens = false;
  for (const field of fields) {
    const tightens = tightening(kind, field, before[field], after[field]);
    weakens ||= !tightens;
    details.push(field === 'failurePolicy' || field === 'validationActions'
      ? `${field} ${words(before[field]) || 'unset'} → ${words(after[field]) || 'unset'}`
      : `spec.${field} changed`);
  }
  return { detail: details.join('; '), weakens };
}

/** Whether changing one field of a spec can only stop more requests or traffic. */
function tightening(kind: string, field: string, before: unknown, after: unknown): boolean {
  if (kind === POLICY_KIND) {
    if (field === 'failurePolicy') return (before ?? 'Fail') === 'Ignore' && (after ?? 'Fail') === 'Fail';
    // More validations, each kept as it was, refuse more.
    if (field === 'validations') return includesAll(after, before);
    // Fewer match conditions apply the policy to more requests.
    if (field === 'matchConditions') return includesAll(before, after);
    return false;
  }
  if (kind === BINDING_KIND && field === 'validationActions') {
    const [was, now] = [textList(before), textList(after)];
    if (now.includes('Deny')) return true; // Deny is the strongest action; Warn may not go with it
    return !was.includes('Deny') && was.every(a => now.includes(a));
  }
  if (CLUSTER_POLICY_KINDS.includes(kind) && (field === 'ingress' || field === 'egress')) {
    return onlyDeniesAdded(before, after);
  }
  return false;
}

/** Whether every rule of a cluster policy denies (a policy that only denies cannot open anything). */
function onlyDenies(spec: Record<string, unknown>): boolean {
  return [spec.ingress, spec.egress].every(rules => !Array.isArray(rules) || rules.every(r => isRecord(r) && r.action === 'Deny'));
}

/**
 * Whether `after` is `before` with Deny rules inserted, the others unchanged and in order: with
 * first-match-wins evaluation, a Deny rule can only take traffic away from the rules after it.
 */
function onlyDeniesAdded(before: unknown, after: unknown): boolean {
  const was = Array.isArray(before) ? before.map(fingerprint) : [];
  const now = Array.isArray(after) ? after : [];
  let i = 0;
  for (const rule of now) {
    if (i < was.length && fingerprint(rule) === was[i]) i++;
    else if (!(isRecord(rule) && rule.action === 'Deny')) return false;
  }
  return i === was.length;
}

/** Whether every entry of `part` (by value) is in `whole`. */
function includesAll(whole: unknown, part: unknown): boolean {
  const have = new Set(Array.isArray(whole) ? whole.map(fingerprint) : []);
  return (Array.isArray(part) ? part : []).every(entry => have.has(fingerprint(entry)));
}

function textList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function words(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : value === undefined || value === null ? '' : String(value);
}

// ValidatingAdmissionPolicies and their bindings read from manifests, validated and compiled once.
// Anything the API server would refuse, or that cannot be judged offline (params), is reported
// with the policy's name, file and document.
import { CelCompileError, CompiledExpression } from './cel';
import { MatchResources, parseMatchResources } from './match-resources';
import { FieldError, Manifest, manifestError, Origin } from '../../model/manifests';
import { isRecord } from '../../private/json';

export const ADMISSION_GROUP = 'admissionregistration.k8s.io';
export const POLICY_KIND = 'ValidatingAdmissionPolicy';
export const BINDING_KIND = 'ValidatingAdmissionPolicyBinding';

export type FailurePolicy = 'Fail' | 'Ignore';
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';
export const VALIDATION_ACTIONS: readonly ValidationAction[] = ['Deny', 'Warn', 'Audit'];

export interface NamedExpression {
  readonly name: string;
  readonly expression: CompiledExpression;
}

export interface Validation {
  readonly expression: CompiledExpression;
  readonly message?: string;
  readonly messageExpression?: CompiledExpression;
  /** Forbidden, Unauthorized, RequestEntityTooLarge or Invalid (the default). */
  readonly reason: string;
}

export interface AdmissionPolicy {
  readonly name: string;
  readonly origin: Origin;
  readonly failurePolicy: FailurePolicy;
  readonly matchConstraints: MatchResources;
  readonly matchConditions: readonly NamedExpression[];
  /** In declaration order; each may read the ones before it. */
  readonly variables: readonly NamedExpression[];
  readonly validations: readonly Validation[];
}

export interface PolicyBinding {
  readonly name: string;
  readonly origin: Origin;
  readonly policyName: string;
  /** Undefined: every request the policy matches. */
  readonly matchResources?: MatchResources;
  readonly validationActions: readonly ValidationAction[];
}

const REASONS = ['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'];

/** Whether a manifest is a policy or binding of admissionregistration.k8s.io (any version). */
export function isAdmissionKind(m: Manifest, kind: string): boolean {
  return m.object.kind === kind && m.object.apiVersion.startsWith(`${ADMISSION_GROUP}/`);
}

/**
 * Reads and compiles a ValidatingAdmissionPolicy. auditAnnotations are accepted and not
 * evaluated (they only annotate the audit log); paramKind is refused: params are not simulated.
 */
export function readPolicy(m: Manifest, kubernetesMinor?: number): AdmissionPolicy {
  const name = nameOf(m);
  return located(m, `${POLICY_KIND} ${name}`, () => {
    const spec = m.object.spec;
    if (!isRecord(spec)) throw new FieldError('spec', 'is required');
    if (spec.paramKind !== undefined && spec.paramKind !== null) {
      throw new FieldError('spec.paramKind', 'policies with params are not supported offline; inline the parameters in the expressions');
    }
    const failurePolicy = spec.failurePolicy ?? 'Fail';
    if (failurePolicy !== 'Fail' && failurePolicy !== 'Ignore') {
      throw new FieldError('spec.failurePolicy', `must be Fail or Ignore, not ${JSON.stringify(failurePolicy)}`);
    }
    if (spec.matchConstraints === undefined || spec.matchConstraints === null) {
      throw new FieldError('spec.matchConstraints', 'is required: a policy matches only the resources its rules name');
    }
    const matchConstraints = parseMatchResources(spec.matchConstraints, 'spec.matchConstraints', true);
    const matchConditions = namedExpressions(spec.matchConditions, 'spec.matchConditions', () => new Set(), kubernetesMinor);
    const declared = new Set<string>();
    const variables = namedExpressions(spec.variables, 'spec.variables', (variable) => {
      const before = new Set(declared);
      declared.add(variable);
      return before;
    }, kubernetesMinor);
    const validations = list(spec.validations, 'spec.validations').map((v, i) => readValidation(v, `spec.validations[${i}]`, declared, kubernetesMinor));
    if (validations.length === 0 && list(spec.auditAnnotations, 'spec.auditAnnotations').length === 0) {
      throw new FieldError('spec.validations', 'is required: a policy needs validations or auditAnnotations');
    }
    return { name, origin: m, failurePolicy, matchConstraints, matchConditions, variables, validations };
  });
}

/** Reads a ValidatingAdmissionPolicyBinding; paramRef is refused like paramKind. */
export function readBinding(m: Manifest): PolicyBinding {
  const name = nameOf(m);
  return located(m, `${BINDING_KIND} ${name}`, () => {
    const spec = m.object.spec;
    if (!isRecord(spec)) throw new FieldError('spec', 'is required');
    if (typeof spec.policyName !== 'string' || spec.policyName === '') throw new FieldError('spec.policyName', 'is required');
    if (spec.paramRef !== undefined && spec.paramRef !== null) {
      throw new FieldError('spec.paramRef', 'bindings with params are not supported offline; inline the parameters in the policy');
    }
    const actions = list(spec.validationActions, 'spec.validationActions');
    if (actions.length === 0) throw new FieldError('spec.validationActions', `is required: one or more of ${VALIDATION_ACTIONS.join(', ')}`);
    actions.forEach((a, i) => {
      if (!(VALIDATION_ACTIONS as readonly unknown[]).includes(a)) {
        throw new FieldError(`spec.validationActions[${i}]`, `must be one of ${VALIDATION_ACTIONS.join(', ')}, not ${JSON.stringify(a)}`);
      }
    });
    const validationActions = [...new Set(actions as ValidationAction[])];
    if (validationActions.includes('Deny') && validationActions.includes('Warn')) {
      throw new FieldError('spec.validationActions', 'must not hold both Deny and Warn (a denied request is already reported)');
    }
    const matchResources = spec.matchResources === undefined || spec.matchResources === null
      ? undefined
      : parseMatchResources(spec.matchResources, 'spec.matchResources', false);
    return { name, origin: m, policyName: spec.policyName, matchResources, validationActions };
  });
}

function readValidation(raw: unknown, path: string, variables: ReadonlySet<string>, minor?: number): Validation {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping with an expression');
  const reason = raw.reason ?? 'Invalid';
  if (typeof reason !== 'string' || !REASONS.includes(reason)) {
    throw new FieldError(`${path}.reason`, `must be one of ${REASONS.join(', ')}, not ${JSON.stringify(reason)}`);
  }
  if (raw.message !== undefined && typeof raw.message !== 'string') throw new FieldError(`${path}.message`, 'must be a string');
  return {
    expression: compile(raw.expression, `${path}.expression`, variables, minor),
    ...(typeof raw.message === 'string' && raw.message !== '' ? { message: raw.message } : {}),
    ...(raw.messageExpression === undefined || raw.messageExpression === null || raw.messageExpression === ''
      ? {}
      : { messageExpression: compile(raw.messageExpression, `${path}.messageExpression`, variables, minor) }),
    reason,
  };
}

/** matchConditions or variables: `{name, expression}` entries with unique names. */
function namedExpressions(raw: unknown, path: string, visible: (name: string) => ReadonlySet<string>, minor?: number): NamedExpression[] {
  const names = new Set<string>();
  return list(raw, path).map((entry, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') throw new FieldError(`${at}.name`, 'is required');
    if (names.has(entry.name)) throw new FieldError(`${at}.name`, `duplicate name ${JSON.stringify(entry.name)}`);
    names.add(entry.name);
    return { name: entry.name, expression: compile(entry.expression, `${at}.expression`, visible(entry.name), minor) };
  });
}

function compile(raw: unknown, path: string, variables: ReadonlySet<string>, minor: number | undefined): CompiledExpression {
  if (typeof raw !== 'string' || raw.trim() === '') throw new FieldError(path, 'is required: a CEL expression');
  try {
    return CompiledExpression.compile(raw, variables, minor);
  } catch (e) {
    if (e instanceof CelCompileError) throw new FieldError(path, `CEL compile error: ${e.message}`);
    throw e;
  }
}

function list(raw: unknown, path: string): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new FieldError(path, 'must be a list');
  return raw;
}

function nameOf(m: Manifest): string {
  const name = m.object.metadata?.name;
  if (typeof name !== 'string' || name === '') throw manifestError(m, `${m.object.kind}: metadata.name is required`);
  return name;
}

/** Runs a reading step, naming the object, file and document in any field error. */
function located<T>(origin: Origin, what: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof FieldError) throw manifestError(origin, `${what}: ${e.message}`);
    throw e;
  }
}

// The admission chain offline: Pod Security admission, then every ValidatingAdmissionPolicy through
// its bindings, for requests built from manifests. Mutating admission, webhooks, RBAC authorization
// and params are not simulated.
import { CelInput } from '@bufbuild/cel';
import { AdmissionAttributes, admissionAttributes, AdmissionRequest, NamespaceEntry } from './attributes';
import { CelOutcome, celTypeName, checkKubernetesMinor, LazyVariables, toCelValue } from './cel';
import { DEFAULT_MINOR, OLDEST_MINOR } from './cel-library';
import { AdmissionResult, DecisionSink, emptySink } from './decisions';
import { matchesResources } from './match-resources';
import { admitPodSecurity } from './pod-security-admission';
import { AdmissionPolicy, BINDING_KIND, isAdmissionKind, POLICY_KIND, PolicyBinding, readBinding, readPolicy, Validation } from './policy';
import { builtInResource, CustomResources, GroupVersionKind, guessResource, KindResource } from './resources';
import { ClusterModel } from '../../model/cluster-model';
import { describeOrigin, Manifest, ManifestError } from '../../model/manifests';
import { NAMESPACE_NAME_LABEL, SYSTEM_NAMESPACES } from '../../model/vocabulary';

/** A policy's verdict on one request, before its bindings turn it into denials, warnings or audits. */
interface Failure {
  readonly message: string;
  readonly reason: string;
}

/** A policy's run on one request: its definite failures, and why the rest is unknown. */
interface PolicyRun {
  readonly failures: readonly Failure[];
  /** What is not simulated, when some verdict of the policy depends on it. */
  readonly notChecked?: string;
}

/** The API server the simulator stands for. */
export interface SimulatorOptions {
  /**
   * Its Kubernetes minor version (31 for 1.31, from 30): which CEL functions a new policy may call
   * and how some of them behave (a newer server than 1.35 is simulated as 1.35, whose libraries
   * it compiles new policies with), and the version Pod Security labels are judged at, capped at
   * it. Undefined: CEL as 1.35, Pod Security labels at their own version.
   */
  readonly kubernetesMinor?: number;
}

export class AdmissionSimulator {
  /**
   * Reads the policies, bindings, Namespaces and CustomResourceDefinitions of `manifests` (other
   * objects are ignored).
   * Throws a ManifestError, naming file and document, for a policy or binding the API server
   * of that version would refuse (a function it does not have included) or that uses params;
   * `warn` receives what is ignored or guessed.
   */
  static fromManifests(
    manifests: readonly Manifest[],
    warn: (message: string) => void = () => {},
    options: SimulatorOptions = {},
  ): AdmissionSimulator {
    const server = options.kubernetesMinor;
    // A server newer than the newest simulated compiles new policies with that one's libraries.
    const kubernetesMinor = checkKubernetesMinor(Math.min(Math.max(server ?? DEFAULT_MINOR, OLDEST_MINOR), DEFAULT_MINOR));
    const policies = new Map<string, AdmissionPolicy>();
    const bindings = new Map<string, PolicyBinding>();
    for (const m of manifests) {
      if ((isAdmissionKind(m, POLICY_KIND) || isAdmissionKind(m, BINDING_KIND)) && server !== undefined && server < OLDEST_MINOR) {
        throw new ManifestError(`${m.object.kind} ${describeOrigin(m)}: admissionregistration.k8s.io/v1 is served from Kubernetes 1.${OLDEST_MINOR}, `
          + `so a 1.${server} API server refuses it; judge it with --kubernetes-version 1.${OLDEST_MINOR} or later`, m.source, m.document);
      }
      if (isAdmissionKind(m, POLICY_KIND)) {
        const policy = readPolicy(m, kubernetesMinor);
        policies.set(policy.name, policy); // a later copy replaces an earlier one, as kubectl apply would
      } else if (isAdmissionKind(m, BINDING_KIND)) {
        const binding = readBinding(m);
        bindings.set(binding.name, binding);
      }
    }
    for (const binding of bindings.values()) {
      if (!policies.has(binding.policyName)) {
        warn(`${BINDING_KIND} ${binding.name} (${describeOrigin(binding.origin)}) binds ${POLICY_KIND} ${binding.policyName}, `
          + 'which is not in the manifests: the binding does nothing');
      }
    }
    const model = ClusterModel.fromManifests(manifests.filter(m => m.object.kind === 'Namespace' && m.object.apiVersion === 'v1'));
    const customResources = CustomResources.of(manifests.map(m => m.object));
    return new AdmissionSimulator(
      [...policies.values()], [...bindings.values()], model, customResources, warn, kubernetesMinor, options.kubernetesMinor,
    );
  }

  private readonly warnedKinds = new Set<string>();
  private readonly assumedNamespaces = new Set<string>();

  private constructor(
    readonly policies: readonly AdmissionPolicy[],
    readonly bindings: readonly PolicyBinding[],
    private readonly model: ClusterModel,
    private readonly customResources: CustomResources,
    private readonly warn: (message: string) => void,
    /** The Kubernetes minor version (1.NN) whose API server is simulated. */
    readonly kubernetesMinor: number,
    /** The server's own minor version, which caps Pod Security label versions; undefined: none. */
    private readonly serverMinor?: number,
  ) {}

  /**
   * Admits one request. Throws a ManifestError for a request the API server could not receive:
   * a namespaced object whose Namespace is not among the manifests (a Namespace being created is fine).
   */
  admit(request: AdmissionRequest): AdmissionResult {
    const attributes = admissionAttributes(request, name => this.namespace(name), gvk => this.resourceOf(gvk));
    const sink = emptySink();
    admitPodSecurity(attributes, sink, this.warn, this.serverMinor);
    let bindings: CelBindings | undefined;
    for (const policy of this.policies) {
      if (!matchesResources(policy.matchConstraints, attributes)) continue;
      const applying = this.bindings.filter(b => b.policyName === policy.name
        && (!b.matchResources || matchesResources(b.matchResources, attributes)));
      if (applying.length === 0) continue; // an unbound policy does nothing
      bindings ??= celBindings(attributes);
      const run = evaluatePolicy(policy, bindings);
      for (const binding of applying) record(policy, binding, run, sink);
    }
    const subject = (request.object ?? request.oldObject)!;
    // An unknown verdict of a Deny binding could be a denial: admitted is not shown then.
    const unknownDenial = sink.notChecked.some(n => n.validationActions.includes('Deny'));
    return {
      allowed: sink.denials.length === 0 && !unknownDenial,
      kind: subject.kind,
      namespace: attributes.objectNamespace,
      name: attributes.name,
      denials: sink.denials,
      warnings: sink.warnings,
      audits: sink.audits,
      notChecked: sink.notChecked,
    };
  }

  private namespace(name: string): NamespaceEntry | undefined {
    const ns = this.model.namespace(name);
    if (ns?.object) return { labels: ns.labels, object: ns.object.manifest.object };
    if (!SYSTEM_NAMESPACES.includes(name)) return undefined;
    // Every cluster has it: assume it as created, with no labels but its name, and say so once.
    if (!this.assumedNamespaces.has(name)) {
      this.assumedNamespaces.add(name);
      this.warn(`namespace ${name} is not in the manifests; every cluster has it, so it is taken as created, with no labels but `
        + `${NAMESPACE_NAME_LABEL} (no Pod Security labels): add its Namespace to -f to use its real labels`);
    }
    const labels = { [NAMESPACE_NAME_LABEL]: name };
    return { labels, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } };
  }

  /** As discovery would serve the kind: built in, or defined by a CustomResourceDefinition of the input; else guessed, once warned. */
  private resourceOf(gvk: GroupVersionKind): KindResource | undefined {
    const known = builtInResource(gvk) ?? this.customResources.resourceOf(gvk);
    const key = `${gvk.group}/${gvk.kind}`;
    if (!known && !this.warnedKinds.has(key)) {
      this.warnedKinds.add(key);
      this.warn(`${gvk.kind} (group "${gvk.group}") is not a built-in kind and no CustomResourceDefinition of the manifests defines it: `
        + `its resource is guessed as ${guessResource(gvk.kind)}, namespaced when it has metadata.namespace`);
    }
    return known;
  }
}

type CelBindings = Readonly<Record<string, CelInput>>;

/** The variables of a request, converted once and shared by every policy. */
function celBindings(a: AdmissionAttributes): CelBindings {
  const { username, groups } = a.request.userInfo;
  const kind = { group: a.kind.group, version: a.kind.version, kind: a.kind.kind };
  const resource = { group: a.group, version: a.version, resource: a.resource };
  const request = {
    uid: '',
    kind,
    resource,
    subResource: a.subResource,
    requestKind: kind,
    requestResource: resource,
    requestSubResource: a.subResource,
    name: a.name,
    namespace: a.namespace,
    operation: a.operation,
    userInfo: { username, uid: '', groups: [...groups], extra: {} },
    dryRun: false,
  };
  return {
    object: toCelValue(a.object),
    oldObject: toCelValue(a.oldObject),
    request: toCelValue(request),
    namespaceObject: toCelValue(a.namespaceObject),
    params: null,
  };
}

/**
 * Runs a policy: its matchConditions (any false: the policy does not apply; else any error: the
 * failurePolicy decides), then every validation. An evaluation error is a failure under
 * failurePolicy Fail and is skipped under Ignore. An outcome that depends on something not
 * simulated is neither: the policy is not checked (its definite failures still count).
 */
function evaluatePolicy(policy: AdmissionPolicy, base: CelBindings): PolicyRun {
  const evaluators = new Map<string, () => CelOutcome>();
  const bindings: Record<string, CelInput> = { ...base };
  const variables = new LazyVariables(evaluators);
  for (const v of policy.variables) evaluators.set(v.name, () => v.expression.evaluate(bindings));
  bindings.variables = variables;
  const failOnError = policy.failurePolicy === 'Fail';

  let conditionError: string | undefined;
  let conditionUnknown: string | undefined;
  for (const condition of policy.matchConditions) {
    const outcome = booleanOutcome(condition.expression.evaluate(bindings), condition.expression.text);
    if (outcome.ok && outcome.value === false) return { failures: [] };
    if (!outcome.ok && outcome.notSimulated !== undefined) conditionUnknown ??= `matchCondition '${condition.name}': ${outcome.notSimulated}`;
    else if (!outcome.ok) conditionError ??= `matchCondition '${condition.name}' resulted in error: ${outcome.error}`;
  }
  // Whether the policy applies at all is unknown: a condition not simulated could be false.
  if (conditionUnknown !== undefined) return { failures: [], notChecked: conditionUnknown };
  if (conditionError !== undefined) return { failures: failOnError ? [{ message: conditionError, reason: 'Invalid' }] : [] };

  const failures: Failure[] = [];
  let notChecked: string | undefined;
  for (const validation of policy.validations) {
    const outcome = booleanOutcome(validation.expression.evaluate(bindings), validation.expression.text);
    if (!outcome.ok && outcome.notSimulated !== undefined) {
      notChecked ??= `expression '${validation.expression.text}': ${outcome.notSimulated}`;
    } else if (!outcome.ok) {
      if (failOnError) failures.push({ message: `expression '${validation.expression.text}' resulted in error: ${outcome.error}`, reason: 'Invalid' });
    } else if (!outcome.value) {
      failures.push({ message: failureMessage(validation, bindings), reason: validation.reason });
    }
  }
  return { failures, ...(notChecked === undefined ? {} : { notChecked }) };
}

function booleanOutcome(outcome: CelOutcome, text: string): CelOutcome {
  if (!outcome.ok || typeof outcome.value === 'boolean') return outcome;
  // The API server refuses a non-boolean expression when it type-checks it; without a type
  // checker it shows here, as an evaluation error.
  return { ok: false, error: `expression '${text}' must evaluate to bool, not ${celTypeName(outcome.value)}` };
}

/**
 * The messageExpression's result when it gives a non-blank single line; otherwise, as in the API
 * server, the message, and without one `failed expression: <expression>`.
 */
function failureMessage(validation: Validation, bindings: CelBindings): string {
  if (validation.messageExpression) {
    const outcome = validation.messageExpression.evaluate(bindings);
    if (outcome.ok && typeof outcome.value === 'string' && outcome.value.trim() !== '' && !/[\r\n]/.test(outcome.value)) {
      return outcome.value;
    }
  }
  return validation.message ?? `failed expression: ${validation.expression.text}`;
}

/** validationActions: Deny rejects the request, Warn returns a warning, Audit writes an audit entry. */
function record(policy: AdmissionPolicy, binding: PolicyBinding, run: PolicyRun, sink: DecisionSink): void {
  if (run.notChecked !== undefined) {
    sink.notChecked.push({ policy: policy.name, binding: binding.name, validationActions: binding.validationActions, reason: run.notChecked });
  }
  for (const failure of run.failures) {
    for (const action of binding.validationActions) {
      const decision = { policy: policy.name, binding: binding.name, message: failure.message };
      if (action === 'Deny') sink.denials.push({ policy: policy.name, binding: binding.name, reason: failure.reason, message: failure.message });
      else if (action === 'Warn') sink.warnings.push(decision);
      else sink.audits.push(decision);
    }
  }
}

import { AdmissionRequest, AdmissionSimulator, completeUserInfo } from '../../../src/analysis/admission';
import { KubeObject, ManifestError, toManifests } from '../../../src/model/manifests';

const ALICE = completeUserInfo('alice', ['dev']);

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

interface PolicySpec {
  readonly name?: string;
  readonly rules?: unknown[];
  readonly match?: Record<string, unknown>;
  readonly spec?: Record<string, unknown>;
  readonly validations?: unknown[];
  readonly actions?: string[];
  readonly bindingMatch?: Record<string, unknown>;
  readonly bound?: boolean;
}

const DEPLOYMENTS = [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }];

/** A policy and (unless bound is false) its binding. */
function policy(p: PolicySpec): KubeObject[] {
  const name = p.name ?? 'test-policy';
  const objects: KubeObject[] = [{
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: { matchConstraints: { resourceRules: p.rules ?? DEPLOYMENTS, ...p.match }, validations: p.validations ?? [], ...p.spec },
  }];
  if (p.bound !== false) {
    objects.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: `${name}-binding` },
      spec: { policyName: name, validationActions: p.actions ?? ['Deny'], ...(p.bindingMatch ? { matchResources: p.bindingMatch } : {}) },
    });
  }
  return objects;
}

function simulator(objects: KubeObject[], warnings: string[] = []): AdmissionSimulator {
  return AdmissionSimulator.fromManifests(objects.flatMap((o, i) => toManifests(o, 'policies.yaml', i + 1)), m => warnings.push(m));
}

function deployment(replicas?: number, labels: Record<string, string> = {}, ns = 'shop'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns, labels },
    spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

function create(object: KubeObject, userInfo = ALICE): AdmissionRequest {
  return { operation: 'CREATE', object, oldObject: null, userInfo };
}

const SHOP = namespace('shop', { env: 'prod' });

describe('ported Kubernetes documentation examples', () => {
  // The replica limit of the ValidatingAdmissionPolicy documentation, with the limit inlined (no params).
  const replicaLimit = policy({
    name: 'demo-policy.example.com',
    validations: [{ expression: 'object.spec.replicas <= 5' }],
  });

  test('replicas are compared as integers', () => {
    const sim = simulator([SHOP, ...replicaLimit]);
    expect(sim.admit(create(deployment(5))).allowed).toBe(true);
    const denied = sim.admit(create(deployment(6)));
    expect(denied.allowed).toBe(false);
    expect(denied.denials).toEqual([{
      policy: 'demo-policy.example.com',
      binding: 'demo-policy.example.com-binding',
      reason: 'Invalid',
      message: 'failed expression: object.spec.replicas <= 5',
    }]);
  });

  test('a missing field is an evaluation error; has() guards it', () => {
    const sim = simulator([SHOP, ...replicaLimit]);
    const missing = sim.admit(create(deployment()));
    expect(missing.allowed).toBe(false);
    expect(missing.denials[0].message).toBe("expression 'object.spec.replicas <= 5' resulted in error: field not found: replicas");
    const guarded = simulator([SHOP, ...policy({ validations: [{ expression: '!has(object.spec.replicas) || object.spec.replicas <= 5' }] })]);
    expect(guarded.admit(create(deployment())).allowed).toBe(true);
  });

  test('labels required on every object of a namespace selected by its labels, with a messageExpression', () => {
    const sim = simulator([SHOP, namespace('lab', { env: 'test' }), ...policy({
      match: { namespaceSelector: { matchLabels: { env: 'prod' } } },
      validations: [{
        expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels",
        messageExpression: "'Deployment ' + object.metadata.name + ' needs an owner label'",
        reason: 'Forbidden',
      }],
    })]);
    expect(sim.admit(create(deployment(1))).denials).toEqual([expect.objectContaining({ reason: 'Forbidden', message: 'Deployment web needs an owner label' })]);
    expect(sim.admit(create(deployment(1, { owner: 'team-a' }))).allowed).toBe(true);
    expect(sim.admit(create(deployment(1, {}, 'lab'))).allowed).toBe(true);
  });
});

describe('matching', () => {
  const denyAll = (extra: Partial<PolicySpec>) => policy({ validations: [{ expression: 'false', message: 'no' }], ...extra });

  test('resourceRules and excludeResourceRules, with resourceNames', () => {
    const sim = simulator([SHOP, ...denyAll({
      rules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'] }],
      match: { excludeResourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['*'], resources: ['deployments'], resourceNames: ['web'] }] },
    })]);
    expect(sim.admit(create(deployment(1))).allowed).toBe(true);
    const other = deployment(1);
    expect(sim.admit(create({ ...other, metadata: { ...other.metadata, name: 'api' } })).allowed).toBe(false);
    expect(sim.admit(create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } })).allowed).toBe(false);
  });

  test('namespaceSelector: the namespace of a namespaced object, a Namespace\'s own labels, any cluster-scoped object', () => {
    const sim = simulator([SHOP, namespace('dev', { env: 'dev' }), ...denyAll({
      rules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'] }],
      match: { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } },
    })]);
    expect(sim.admit(create(deployment(1))).allowed).toBe(false);
    expect(sim.admit(create(deployment(1, {}, 'dev'))).allowed).toBe(true);
    // A Namespace matches on its own labels (the new ones when created, the stored ones when deleted).
    expect(sim.admit(create(namespace('new', { env: 'prod' }))).allowed).toBe(false);
    expect(sim.admit(create(namespace('new', { env: 'dev' }))).allowed).toBe(true);
    expect(sim.admit({ operation: 'DELETE', object: null, oldObject: namespace('dev', { env: 'prod' }), userInfo: ALICE }).allowed).toBe(false);
    expect(sim.admit({ operation: 'DELETE', object: null, oldObject: namespace('dev', { env: 'dev' }), userInfo: ALICE }).allowed).toBe(true);
    // A cluster-scoped object other than a Namespace always matches a namespaceSelector.
    const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } };
    expect(sim.admit(create(clusterRole))).toMatchObject({ allowed: false, namespace: null });
  });

  test('the API server\'s name label lets a namespaceSelector pick a namespace by name', () => {
    const sim = simulator([SHOP, namespace('dev'), ...denyAll({ match: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } } })]);
    expect(sim.admit(create(deployment(1))).allowed).toBe(false);
    expect(sim.admit(create(deployment(1, {}, 'dev'))).allowed).toBe(true);
  });

  test('objectSelector: the object\'s labels or the old object\'s', () => {
    const sim = simulator([SHOP, ...denyAll({
      rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['*'], resources: ['deployments'] }],
      match: { objectSelector: { matchLabels: { locked: 'true' } } },
    })]);
    expect(sim.admit(create(deployment(1, { locked: 'true' }))).allowed).toBe(false);
    expect(sim.admit(create(deployment(1))).allowed).toBe(true);
    // Removing the label in an update is still matched, through the old object.
    expect(sim.admit({ operation: 'UPDATE', object: deployment(1), oldObject: deployment(1, { locked: 'true' }), userInfo: ALICE }).allowed).toBe(false);
    expect(sim.admit({ operation: 'DELETE', object: null, oldObject: deployment(1, { locked: 'true' }), userInfo: ALICE }).allowed).toBe(false);
    expect(sim.admit({ operation: 'DELETE', object: null, oldObject: deployment(1), userInfo: ALICE }).allowed).toBe(true);
  });

  test('a binding\'s matchResources narrows the policy further', () => {
    const sim = simulator([SHOP, namespace('dev', { env: 'dev' }), ...denyAll({ bindingMatch: { namespaceSelector: { matchLabels: { env: 'dev' } } } })]);
    expect(sim.admit(create(deployment(1))).allowed).toBe(true);
    expect(sim.admit(create(deployment(1, {}, 'dev'))).allowed).toBe(false);
  });

  test('a policy without a binding does nothing; a binding without its policy warns', () => {
    const warnings: string[] = [];
    const orphan = policy({ name: 'other' })[1];
    const sim = simulator([SHOP, ...denyAll({ bound: false }), { ...orphan, spec: { ...(orphan.spec as object), policyName: 'gone' } }], warnings);
    expect(sim.admit(create(deployment(1))).allowed).toBe(true);
    expect(warnings).toEqual([expect.stringContaining('binds ValidatingAdmissionPolicy gone, which is not in the manifests')]);
  });

  test('matchConditions: all must be true; an error follows failurePolicy', () => {
    const conditions = (failurePolicy: string) => simulator([SHOP, ...policy({
      spec: {
        failurePolicy,
        matchConditions: [
          { name: 'not-system', expression: "!request.userInfo.username.startsWith('system:')" },
          { name: 'has-tier', expression: "object.metadata.labels.tier != 'batch'" },
        ],
      },
      validations: [{ expression: 'false', message: 'denied' }],
    })]);
    const fail = conditions('Fail');
    expect(fail.admit(create(deployment(1, { tier: 'web' }))).allowed).toBe(false);
    expect(fail.admit(create(deployment(1, { tier: 'batch' }))).allowed).toBe(true);
    expect(fail.admit(create(deployment(1, { tier: 'web' }), completeUserInfo('system:kube-controller-manager'))).allowed).toBe(true);
    const error = fail.admit(create(deployment(1)));
    expect(error.denials.map(d => d.message)).toEqual(["matchCondition 'has-tier' resulted in error: field not found: tier"]);
    expect(conditions('Ignore').admit(create(deployment(1))).allowed).toBe(true);
    // A false condition wins over an erroring one.
    expect(fail.admit(create(deployment(1), completeUserInfo('system:admin'))).allowed).toBe(true);
  });
});

describe('evaluation', () => {
  test('variables are evaluated lazily, may use earlier variables, and carry their errors', () => {
    const sim = simulator([SHOP, ...policy({
      spec: {
        variables: [
          { name: 'replicas', expression: 'object.spec.replicas' },
          { name: 'limit', expression: "'big' in object.metadata.labels ? 10 : 3" },
          { name: 'headroom', expression: 'variables.limit - variables.replicas' },
          { name: 'broken', expression: 'object.spec.nothing' },
        ],
      },
      validations: [
        { expression: 'variables.headroom >= 0', messageExpression: "'over the limit by ' + string(-variables.headroom)" },
        { expression: 'variables.replicas > 0 || variables.broken', message: 'zero replicas' },
      ],
    })]);
    expect(sim.admit(create(deployment(2))).allowed).toBe(true); // broken is never read
    expect(sim.admit(create(deployment(5))).denials.map(d => d.message)).toEqual(['over the limit by 2']);
    expect(sim.admit(create(deployment(5, { big: 'yes' }))).allowed).toBe(true);
    expect(sim.admit(create(deployment(0))).denials.map(d => d.message)).toEqual([
      "expression 'variables.replicas > 0 || variables.broken' resulted in error: variables.broken: field not found: nothing",
    ]);
  });

  test('message, messageExpression and the default message', () => {
    const sim = simulator([SHOP, ...policy({
      validations: [
        { expression: 'false', message: 'static' },
        { expression: 'false', message: 'fallback', messageExpression: "'dynamic ' + object.metadata.name" },
        { expression: 'false', message: 'fallback when blank', messageExpression: "' '" },
        { expression: 'false', message: 'fallback on error', messageExpression: 'object.nothing' },
        { expression: 'false', messageExpression: "'two\\nlines'" },
        { expression: '1 > 2' },
      ],
    })]);
    expect(sim.admit(create(deployment(1))).denials.map(d => d.message)).toEqual([
      'static', 'dynamic web', 'fallback when blank', 'fallback on error', 'failed expression: false', 'failed expression: 1 > 2',
    ]);
  });

  test('failurePolicy: a runtime error denies under Fail, is skipped under Ignore; a non-boolean result is an error', () => {
    const withPolicy = (failurePolicy?: string) => simulator([SHOP, ...policy({
      spec: failurePolicy ? { failurePolicy } : {},
      validations: [{ expression: 'object.spec.replicas / 0 == 1' }, { expression: 'object.metadata.name' }],
    })]);
    const fail = withPolicy().admit(create(deployment(1)));
    expect(fail.denials.map(d => d.message)).toEqual([
      "expression 'object.spec.replicas / 0 == 1' resulted in error: int divide by zero",
      "expression 'object.metadata.name' resulted in error: expression 'object.metadata.name' must evaluate to bool, not string",
    ]);
    expect(withPolicy('Ignore').admit(create(deployment(1)))).toMatchObject({ allowed: true, denials: [], warnings: [] });
  });

  test('validationActions: Deny, Warn and Audit', () => {
    const sim = (actions: string[]) => simulator([SHOP, ...policy({ actions, validations: [{ expression: 'false', message: 'no' }] })]);
    const expected = { policy: 'test-policy', binding: 'test-policy-binding', message: 'no' };
    expect(sim(['Deny', 'Audit']).admit(create(deployment(1)))).toMatchObject({
      allowed: false, denials: [{ ...expected, reason: 'Invalid' }], warnings: [], audits: [expected],
    });
    expect(sim(['Warn']).admit(create(deployment(1)))).toEqual(expect.objectContaining({ allowed: true, denials: [], warnings: [expected], audits: [] }));
    expect(sim(['Audit']).admit(create(deployment(1)))).toEqual(expect.objectContaining({ allowed: true, warnings: [], audits: [expected] }));
    expect(() => sim(['Deny', 'Warn'])).toThrow('must not hold both Deny and Warn');
  });

  test('request, namespaceObject and the strings extension are available; authorizer leaves the policy not checked', () => {
    const sim = simulator([SHOP, ...policy({
      validations: [
        { expression: "request.kind.kind == 'Deployment' && request.resource.resource == 'deployments' && request.resource.group == 'apps'" },
        { expression: "request.namespace == 'shop' && request.name == 'web' && request.operation == 'CREATE' && request.subResource == ''" },
        { expression: "namespaceObject.metadata.labels.env == 'prod' && params == null && oldObject == null && !request.dryRun" },
        { expression: "object.metadata.name.upperAscii().split('E').join('-').lowerAscii() == 'w-b'" },
        { expression: "request.userInfo.groups == ['dev', 'system:authenticated']" },
        { expression: "authorizer.group('apps').resource('deployments').check('create').allowed()" },
      ],
    })]);
    // Never a pass, never a denial: the verdict depends on RBAC, which is not simulated.
    const result = sim.admit(create(deployment(1)));
    expect(result).toMatchObject({ allowed: false, denials: [] });
    expect(result.notChecked).toEqual([{
      policy: 'test-policy',
      binding: 'test-policy-binding',
      validationActions: ['Deny'],
      reason: expect.stringMatching(/^expression 'authorizer\.group.*': authorizer \(the request's RBAC authorization is not simulated offline\)$/),
    }]);
  });

  test('compile errors and undeclared names are refused when the policy is read, naming file and document', () => {
    const read = (validations: unknown[], spec: Record<string, unknown> = {}) => () => simulator([...policy({ validations, spec })]);
    expect(read([{ expression: 'object.spec.replicas <=' }])).toThrow(ManifestError);
    expect(read([{ expression: 'object.spec.replicas <=' }])).toThrow(/^policies\.yaml document 1: ValidatingAdmissionPolicy test-policy: spec\.validations\[0\]\.expression: CEL compile error:/);
    expect(read([{ expression: 'objekt.spec.replicas > 1' }])).toThrow("undeclared reference to 'objekt'");
    expect(read([{ expression: 'object.spec.replicas.all(x, x > 0)' }])).not.toThrow();
    expect(read([{ expression: 'variables.later' }], { variables: [{ name: 'first', expression: 'variables.later' }, { name: 'later', expression: '1' }] }))
      .toThrow("spec.variables[0].expression: CEL compile error: undefined variable 'variables.later'");
    expect(read([{ expression: 'true' }], { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } })).toThrow('params are not supported');
    expect(read([])).toThrow('a policy needs validations or auditAnnotations');
  });
});

describe('requests', () => {
  test('a namespaced object without a namespace is in default; a namespace every cluster has is assumed, any other must be in the manifests', () => {
    const warnings: string[] = [];
    const sim = simulator([SHOP], warnings);
    const loose = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    expect(sim.admit(create(loose))).toMatchObject({ allowed: true, namespace: 'default', name: 'c' });
    expect(sim.admit(create({ ...loose, metadata: { name: 'd', namespace: 'kube-system' } }))).toMatchObject({ allowed: true, namespace: 'kube-system' });
    sim.admit(create(loose));
    expect(warnings).toEqual(['default', 'kube-system'].map(n => `namespace ${n} is not in the manifests; every cluster has it, so it is taken as created, `
      + 'with no labels but kubernetes.io/metadata.name (no Pod Security labels): add its Namespace to -f to use its real labels'));
    expect(() => sim.admit({ ...create({ ...loose, metadata: { name: 'c', namespace: 'billing' } }), origin: { source: 'obj.yaml', document: 2 } }))
      .toThrow('obj.yaml document 2: ConfigMap billing/c: namespace billing is not in the manifests; add its Namespace to -f');
    expect(simulator([namespace('default')]).admit(create(loose))).toMatchObject({ allowed: true, namespace: 'default', name: 'c' });
    // Creating a Namespace needs no Namespace in the manifests.
    expect(sim.admit(create(namespace('brand-new')))).toMatchObject({ allowed: true, namespace: null });
  });

  test('an unknown kind: the resource is guessed and a warning says so', () => {
    const warnings: string[] = [];
    const sim = simulator([SHOP, ...policy({
      rules: [{ apiGroups: ['example.com'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['widgetpolicies'] }],
      validations: [{ expression: "request.resource.resource == 'nothing'", message: 'widget denied' }],
    })], warnings);
    const widget = { apiVersion: 'example.com/v1', kind: 'WidgetPolicy', metadata: { name: 'w', namespace: 'shop' } };
    expect(sim.admit(create(widget)).denials.map(d => d.message)).toEqual(['widget denied']);
    expect(warnings).toEqual([expect.stringContaining('WidgetPolicy (group "example.com") is not a built-in kind and no CustomResourceDefinition of the manifests defines it: its resource is guessed as widgetpolicies')]);
  });

  test('a kind with a CustomResourceDefinition in the manifests is served as the CRD says: its plural and its scope, no guess', () => {
    // Chaos Mesh's NetworkChaos is served as networkchaos (the guess would be networkchaoses), and
    // cert-manager's ClusterIssuer is cluster-scoped: the API server maps kinds through the CRDs.
    const crd = (group: string, kind: string, plural: string, scope: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${group}` },
      spec: { group, names: { kind, plural }, scope, versions: [{ name: 'v1', served: true, storage: true }] },
    });
    const warnings: string[] = [];
    const sim = simulator([SHOP, crd('chaos-mesh.org', 'NetworkChaos', 'networkchaos', 'Namespaced'),
      crd('cert-manager.io', 'ClusterIssuer', 'clusterissuers', 'Cluster'), ...policy({
        rules: [{ apiGroups: ['chaos-mesh.org', 'cert-manager.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['networkchaos', 'clusterissuers'] }],
        validations: [{ expression: 'false', message: 'no chaos, no issuers' }],
      })], warnings);
    const chaos = { apiVersion: 'chaos-mesh.org/v1', kind: 'NetworkChaos', metadata: { name: 'delay', namespace: 'shop' } };
    expect(sim.admit(create(chaos)).denials.map(d => d.message)).toEqual(['no chaos, no issuers']);
    // Namespaced by the CRD: without metadata.namespace it is in default.
    expect(sim.admit(create({ ...chaos, metadata: { name: 'delay' } }))).toMatchObject({ namespace: 'default', name: 'delay' });
    // Cluster-scoped by the CRD: a metadata.namespace is dropped, as the API server drops it.
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'ca', namespace: 'nowhere' } };
    expect(sim.admit(create(issuer))).toMatchObject({ allowed: false, namespace: null, name: 'ca' });
    expect(warnings).toEqual([expect.stringMatching(/^namespace default is not in the manifests; every cluster has it/)]);
  });

  test('userInfo is completed as the API server completes it', () => {
    expect(completeUserInfo('alice', ['dev'])).toEqual({ username: 'alice', groups: ['dev', 'system:authenticated'] });
    expect(completeUserInfo('system:anonymous')).toEqual({ username: 'system:anonymous', groups: ['system:unauthenticated'] });
    expect(completeUserInfo('system:serviceaccount:ci:deployer')).toEqual({
      username: 'system:serviceaccount:ci:deployer',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'],
    });
    expect(completeUserInfo('system:serviceaccount:broken').groups).toEqual(['system:authenticated']);
    expect(completeUserInfo('bob', ['system:authenticated']).groups).toEqual(['system:authenticated']);
  });
});

describe('Pod Security admission', () => {
  const restricted = namespace('locked', {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'v1.30',
    'pod-security.kubernetes.io/audit': 'restricted',
  });
  const pod = (image = 'nginx'): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'locked' }, spec: { containers: [{ name: 'c', image }] },
  });

  test('a Pod failing enforce is denied, with the audit entry', () => {
    const result = simulator([restricted]).admit(create(pod()));
    expect(result.allowed).toBe(false);
    expect(result.denials).toHaveLength(1);
    expect(result.denials[0]).toMatchObject({ policy: 'PodSecurity', reason: 'Forbidden' });
    expect(result.denials[0].binding).toBeUndefined();
    expect(result.denials[0].message).toMatch(/^violates PodSecurity "restricted:v1\.30": .*allowPrivilegeEscalation/);
    expect(result.audits.map(a => a.message)).toEqual([expect.stringMatching(/^would violate PodSecurity "restricted:latest": /)]);
  });

  test('a Deployment is only warned, for enforce and warn alike', () => {
    const warnOnly = namespace('soft', { 'pod-security.kubernetes.io/warn': 'baseline' });
    const privileged = { ...deployment(1, {}, 'soft') };
    (privileged.spec as any).template.spec.hostNetwork = true;
    const soft = simulator([warnOnly]).admit(create(privileged));
    expect(soft).toMatchObject({ allowed: true, denials: [] });
    expect(soft.warnings.map(w => w.message)).toEqual([expect.stringMatching(/^would violate PodSecurity "baseline:latest": .*host/)]);
    const locked = simulator([restricted]).admit(create(deployment(1, {}, 'locked')));
    expect(locked.allowed).toBe(true);
    expect(locked.warnings.map(w => w.message)).toEqual([expect.stringMatching(/^would violate PodSecurity "restricted:v1\.30": /)]);
  });

  test('DELETE is exempt; a Pod update that changes no image is not re-checked; no labels admit everything', () => {
    const sim = simulator([restricted, namespace('open')]);
    expect(sim.admit({ operation: 'DELETE', object: null, oldObject: pod(), userInfo: ALICE }).allowed).toBe(true);
    const relabelled = { ...pod(), metadata: { name: 'p', namespace: 'locked', labels: { a: 'b' } } };
    expect(sim.admit({ operation: 'UPDATE', object: relabelled, oldObject: pod(), userInfo: ALICE }).allowed).toBe(true);
    expect(sim.admit({ operation: 'UPDATE', object: pod('nginx:2'), oldObject: pod(), userInfo: ALICE }).allowed).toBe(false);
    const openPod = { ...pod(), metadata: { name: 'p', namespace: 'open' }, spec: { hostPID: true, containers: [{ name: 'c', image: 'x' }] } };
    expect(sim.admit(create(openPod))).toMatchObject({ allowed: true, denials: [], warnings: [], audits: [] });
  });
});

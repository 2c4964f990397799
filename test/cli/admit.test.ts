import { cli, useScratchDir } from './run-cli';
import { serverClause, serverVersionOf } from '../../src/cli/kubernetes-version';

const write = useScratchDir('admit');

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: customer1, labels: {pod-security.kubernetes.io/enforce: restricted}}\n';

/** No NodePort Services, written the way a guardrail policy is. */
const NO_NODE_PORT = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-node-port}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [services]}
  validations:
  - expression: "!has(object.spec.type) || object.spec.type != 'NodePort'"
    message: NodePort Services are not allowed
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-node-port}
spec:
  policyName: no-node-port
  validationActions: [Deny]
`;

const SERVICE = (type: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: customer1}\nspec: {type: ${type}, ports: [{port: 80}]}\n`;

describe('namespace-guard admit', () => {
  test('a denied object: exit 1, JSON with one line per object in a stable key order', async () => {
    const policies = write('policies.yaml', `${NAMESPACE}---\n${NO_NODE_PORT}`);
    const objects = write('objects.yaml', `${SERVICE('NodePort')}---\n${SERVICE('ClusterIP').replace('web', 'internal')}`);
    const r = await cli(['admit', '-f', policies, '--object', objects, '--operation', 'CREATE', '--user', 'alice', '--format', 'json']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]);
    expect(Object.keys(first)).toEqual(['allowed', 'kind', 'namespace', 'name', 'denials', 'warnings', 'audits', 'notChecked', 'kubernetesVersion', 'kubernetesVersionAssumed']);
    expect(first).toEqual({
      allowed: false,
      kind: 'Service',
      namespace: 'customer1',
      name: 'web',
      denials: [{ policy: 'no-node-port', binding: 'no-node-port', reason: 'Invalid', message: 'NodePort Services are not allowed' }],
      warnings: [],
      audits: [],
      notChecked: [],
      kubernetesVersion: '1.37',
      kubernetesVersionAssumed: true,
    });
    expect(JSON.parse(lines[1])).toMatchObject({ allowed: true, name: 'internal', denials: [] });
    // Without --kubernetes-version, the summary says what was assumed.
    expect(r.stderr).toBe(`namespace-guard: 2 CREATE requests as alice (${serverClause(serverVersionOf(undefined), 35)}): 1 admitted, 1 denied\n`);
  });

  test('a Deny policy that calls a library not simulated: NOT CHECKED, never admitted, exit 1, even under Ignore', async () => {
    const quantity = NO_NODE_PORT.replace('no-node-port}', 'no-node-port}\n  # quantity() is not simulated')
      .replace('  matchConstraints:', '  failurePolicy: Ignore\n  matchConstraints:')
      .replace('"!has(object.spec.type) || object.spec.type != \'NodePort\'"', '"quantity(\'1Gi\').isInteger()"');
    const policies = write('policies.yaml', `${NAMESPACE}---\n${quantity}`);
    const objects = write('svc.yaml', SERVICE('ClusterIP'));
    const r = await cli(['admit', '-f', policies, '--object', objects, '--operation', 'CREATE', '--user', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('NOT CHECKED Service customer1/web\n  not checked: no-node-port (binding no-node-port, Deny): '
      + "expression 'quantity('1Gi').isInteger()': quantity() (Kubernetes quantity library) is not simulated\n");
    expect(r.stderr).toContain('0 admitted, 0 denied, 1 not checked');
    const json = await cli(['admit', '-f', policies, '--object', objects, '--operation', 'CREATE', '--user', 'alice', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ allowed: false, denials: [], notChecked: [{ policy: 'no-node-port', binding: 'no-node-port' }] });
  });

  test('every object admitted: exit 0; text format', async () => {
    const policies = write('policies.yaml', `${NAMESPACE}---\n${NO_NODE_PORT}`);
    const objects = write('svc.yaml', SERVICE('ClusterIP'));
    const r = await cli(['admit', '-f', policies, '--object', objects, '--operation', 'CREATE', '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ADMITTED Service customer1/web\n');
  });

  test('text format: the verdict line, then one indented line per denial and warning', async () => {
    const policies = write('policies.yaml', `${NAMESPACE}---\n${NO_NODE_PORT}`);
    const objects = write('objects.yaml', `${SERVICE('NodePort')}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: customer1}\n`
      + 'spec: {template: {spec: {containers: [{name: c, image: nginx}]}}}\n');
    const r = await cli(['admit', '-f', policies, '--object', objects, '--operation', 'CREATE', '--user', 'alice']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('DENIED Service customer1/web');
    expect(lines[1]).toBe('  denied by no-node-port (binding no-node-port): NodePort Services are not allowed');
    expect(lines[2]).toBe('ADMITTED Deployment customer1/app');
    expect(lines[3]).toMatch(/^ {2}warning from PodSecurity: would violate PodSecurity "restricted:latest": /);
  });

  test('a Pod failing the enforced level is denied by PodSecurity', async () => {
    const policies = write('ns.yaml', NAMESPACE);
    const pod = write('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: customer1}\nspec: {containers: [{name: c, image: nginx}]}\n');
    const r = await cli(['admit', '-f', policies, '--object', pod, '--operation', 'CREATE', '--user', 'alice', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.denials).toHaveLength(1);
    expect(out.denials[0]).toMatchObject({ policy: 'PodSecurity', binding: null, reason: 'Forbidden' });
    expect(out.denials[0].message).toMatch(/^violates PodSecurity "restricted:latest": /);
    // Deleting it is exempt.
    expect((await cli(['admit', '-f', policies, '--object', pod, '--operation', 'DELETE', '--user', 'alice'])).code).toBe(0);
  });

  test('a CEL expression that does not compile is bad input naming the policy, file, document and error', async () => {
    const policies = write('bad.yaml', `${NAMESPACE}---\n${NO_NODE_PORT.replace("object.spec.type != 'NodePort'", 'object.spec.type !=')}`);
    const objects = write('svc.yaml', SERVICE('ClusterIP'));
    const r = await cli(['admit', '-f', policies, '--object', objects, '--operation', 'CREATE', '--user', 'alice']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^namespace-guard: ${escape(policies)} document 2: ValidatingAdmissionPolicy no-node-port: `
      + 'spec\\.validations\\[0\\]\\.expression: CEL compile error: <input>:1:\\d+: found ! but expecting end of input\n$'));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('bad input: unknown operation, UPDATE without its old object, missing namespace, params', async () => {
    const policies = write('policies.yaml', `${NAMESPACE}---\n${NO_NODE_PORT}`);
    const svc = write('svc.yaml', SERVICE('ClusterIP'));
    const patch = await cli(['admit', '-f', policies, '--object', svc, '--operation', 'PATCH', '--user', 'alice']);
    expect(patch.code).toBe(2);
    expect(patch.stderr).toContain('expected one of CREATE, UPDATE, DELETE');

    const noOld = await cli(['admit', '-f', policies, '--object', svc, '--operation', 'UPDATE', '--user', 'alice']);
    expect(noOld.code).toBe(2);
    expect(noOld.stderr).toContain('UPDATE needs --old-object');

    const other = write('other.yaml', SERVICE('ClusterIP').replace('name: web', 'name: api'));
    const unmatched = await cli(['admit', '-f', policies, '--object', svc, '--old-object', other, '--operation', 'UPDATE', '--user', 'alice']);
    expect(unmatched.code).toBe(2);
    expect(unmatched.stderr).toContain(`${svc} document 1: no old object Service customer1/web in --old-object ${other}`);

    const elsewhere = write('elsewhere.yaml', SERVICE('ClusterIP').replace('customer1', 'customer2'));
    const missingNs = await cli(['admit', '-f', policies, '--object', elsewhere, '--operation', 'CREATE', '--user', 'alice']);
    expect(missingNs.code).toBe(2);
    expect(missingNs.stderr).toContain('namespace customer2 is not in the manifests; add its Namespace to -f');

    const withParams = write('params.yaml', NO_NODE_PORT.replace('spec:\n  matchConstraints', 'spec:\n  paramKind: {apiVersion: v1, kind: ConfigMap}\n  matchConstraints'));
    const params = await cli(['admit', '-f', withParams, '-f', policies, '--object', svc, '--operation', 'CREATE', '--user', 'alice']);
    expect(params.code).toBe(2);
    expect(params.stderr).toContain('spec.paramKind: policies with params are not supported offline');

    const yaml = write('broken.yaml', 'kind: [');
    expect((await cli(['admit', '-f', yaml, '--object', svc, '--operation', 'CREATE', '--user', 'alice'])).code).toBe(2);
    expect((await cli(['admit', '-f', policies, '--object', svc, '--operation', 'CREATE'])).code).toBe(2);
  });

  test('UPDATE pairs each object with its old object; DELETE judges the stored object as oldObject', async () => {
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: immutable-type}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: ["*"], resources: [services]}
  validations:
  - expression: "request.operation != 'UPDATE' || object.spec.type == oldObject.spec.type"
    messageExpression: "'type changed from ' + oldObject.spec.type + ' to ' + object.spec.type"
  - expression: "request.operation != 'DELETE' || (object == null && (!has(oldObject.metadata.labels) || !('protected' in oldObject.metadata.labels)))"
    message: protected Services cannot be deleted
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: immutable-type}
spec: {policyName: immutable-type, validationActions: [Deny]}
`;
    const policies = write('policies.yaml', `${NAMESPACE}---\n${policy}`);
    const both = write('new.yaml', `${SERVICE('NodePort').replace('name: web', 'name: api')}---\n${SERVICE('NodePort')}`);
    const old = write('old.yaml', `${SERVICE('ClusterIP')}---\n${SERVICE('NodePort').replace('name: web', 'name: api')}`);
    const r = await cli(['admit', '-f', policies, '--object', both, '--old-object', old, '--operation', 'UPDATE', '--user', 'alice', '--format', 'json']);
    expect(r.code).toBe(1);
    const [api, web] = r.stdout.trim().split('\n').map(l => JSON.parse(l));
    expect(api.allowed).toBe(true);
    expect(web.denials.map((d: any) => d.message)).toEqual(['type changed from ClusterIP to NodePort']);

    const protectedSvc = write('protected.yaml', SERVICE('ClusterIP').replace('namespace: customer1', 'namespace: customer1, labels: {protected: "yes"}'));
    const del = await cli(['admit', '-f', policies, '--object', protectedSvc, '--operation', 'DELETE', '--user', 'alice']);
    expect(del.code).toBe(1);
    expect(del.stdout).toContain('protected Services cannot be deleted');
    expect((await cli(['admit', '-f', policies, '--object', svcFile(), '--operation', 'DELETE', '--user', 'alice'])).code).toBe(0);
  });

  test('the user and groups reach request.userInfo, completed as the API server completes them', async () => {
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: deployers-only}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [services]}
  validations:
  - expression: "'system:serviceaccounts:ci' in request.userInfo.groups || 'deployers' in request.userInfo.groups"
    messageExpression: "request.userInfo.username + ' in ' + request.userInfo.groups.join(',') + ' may not create Services'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: deployers-only}
spec: {policyName: deployers-only, validationActions: [Warn]}
`;
    const policies = write('policies.yaml', `${NAMESPACE}---\n${policy}`);
    const svc = write('svc.yaml', SERVICE('ClusterIP'));
    const alice = await cli(['admit', '-f', policies, '--object', svc, '--operation', 'CREATE', '--user', 'alice', '--group', 'dev', '--group', 'ops']);
    expect(alice.code).toBe(0); // Warn only
    expect(alice.stdout).toContain('warning from deployers-only (binding deployers-only): alice in dev,ops,system:authenticated may not create Services');
    const ci = await cli(['admit', '-f', policies, '--object', svc, '--operation', 'CREATE', '--user', 'system:serviceaccount:ci:deployer']);
    expect(ci.stdout).toBe('ADMITTED Service customer1/web\n');
    const anonymous = await cli(['admit', '-f', policies, '--object', svc, '--operation', 'CREATE', '--user', 'system:anonymous']);
    expect(anonymous.stdout).toContain('system:anonymous in system:unauthenticated may not create Services');
  });

  test('a binding naming a missing policy does nothing, and says so on stderr', async () => {
    const policies = write('policies.yaml', `${NAMESPACE}---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\n`
      + 'metadata: {name: orphan}\nspec: {policyName: gone, validationActions: [Deny]}\n');
    const r = await cli(['admit', '-f', policies, '--object', write('svc.yaml', SERVICE('NodePort')), '--operation', 'CREATE', '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('ValidatingAdmissionPolicyBinding orphan');
    expect(r.stderr).toContain('binds ValidatingAdmissionPolicy gone, which is not in the manifests');
  });

  test('admit --help documents the limits', async () => {
    const r = await cli(['admit', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Not simulated: RBAC authorization');
    expect(r.stdout).toContain('system:authenticated');
  });

  function svcFile(): string {
    return write('plain.yaml', SERVICE('ClusterIP').replace('name: web', 'name: other'));
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('admit against a hostile policy', () => {
  test('an expression built to run for ever is stopped: the request fails the policy (failurePolicy Fail), no hang', async () => {
    const hundred = `[${Array.from({ length: 100 }, (_, i) => i).join(',')}]`;
    const bomb = `${hundred}.all(a, ${hundred}.all(b, ${hundred}.all(c, ${hundred}.all(d, a + b + c + d >= 0))))`;
    const policy = NO_NODE_PORT.replace('"!has(object.spec.type) || object.spec.type != \'NodePort\'"', JSON.stringify(bomb));
    expect(policy).toContain('.all(d,');
    const manifests = write('manifests.yaml', `${NAMESPACE}---\n${policy}`);
    const result = await cli(['admit', '-f', manifests, '--object', write('svc.yaml', SERVICE('ClusterIP')), '--operation', 'CREATE', '--user', 'alice', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).denials[0].message).toMatch(/evaluation exceeded 2000 ms/);
  });
});

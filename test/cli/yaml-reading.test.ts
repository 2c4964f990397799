// The CLI reads YAML as kubectl does: merge keys, YAML 1.1 booleans, streams of JSON objects,
// errors that name the file and document, and namespace-less objects in `default`.
import { cli, useScratchDir } from './run-cli';
import { serverClause, serverVersionOf } from '../../src/cli/kubernetes-version';

const write = useScratchDir('ng-yaml');

const SHOP = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
`;

/** A pod whose labels merge the shared ones of its annotations: `<<` is a merge key, not a label. */
const pod = (name: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  annotations: &shared {tier: backend}
  labels: {<<: *shared, app: ${name}}
spec: {containers: [{name: c, image: i}]}
`;

/** Redis takes 6379 from cart only: the second rule merges the first one's `from`. */
const REDIS_POLICY = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: redis-from-cart, namespace: shop}
spec:
  podSelector: {matchLabels: {app: redis, tier: backend}}
  policyTypes: [Ingress]
  ingress:
  - &fromCart
    from:
    - podSelector: {matchLabels: {app: cart}}
    ports:
    - {protocol: TCP, port: 8080}
  - <<: *fromCart
    ports:
    - {protocol: TCP, port: 6379}
`;

describe('merge keys', () => {
  test('an ingress rule merging another keeps its from: reach denies what kubectl\'s policy denies', async () => {
    const file = write('shop.yaml', SHOP + pod('frontend') + pod('cart') + pod('redis') + REDIS_POLICY);
    const denied = await cli(['reach', '-f', file, '--from', 'shop/frontend', '--to', 'shop/redis', '--port', '6379']);
    expect([denied.code, denied.stdout.split('\n')[0], denied.stderr]).toEqual([1, 'denied', '']);
    const allowed = await cli(['reach', '-f', file, '--from', 'shop/cart', '--to', 'shop/redis', '--port', '6379']);
    expect([allowed.code, allowed.stdout.split('\n')[0]]).toEqual([0, 'allowed']);
  });

  test('labels may merge a mapping: check reads them instead of failing on "<<"', async () => {
    const r = await cli(['check', '-f', write('shop.yaml', SHOP + pod('web'))]);
    expect(r.stderr).not.toContain('<<');
    expect(r.code).toBe(0);
  });
});

describe('YAML 1.1 booleans, as kubectl reads plain scalars', () => {
  const psa = (spec: string) => `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: baseline}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
${spec}`;

  test('privileged: on and hostNetwork: yes are true: pod-security denies them', async () => {
    const file = write('on.yaml', psa('  hostNetwork: yes\n  containers:\n  - {name: c, image: i, securityContext: {privileged: on}}\n'));
    const r = await cli(['pod-security', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('hostNamespaces at spec.hostNetwork');
    expect(r.stdout).toContain('privileged at spec.containers[0].securityContext.privileged');
  });

  test('check finds the same, and capitalised forms are booleans too', async () => {
    const file = write('on.yaml', psa('  hostPID: Yes\n  containers:\n  - {name: c, image: i, securityContext: {privileged: ON}}\n'));
    const r = await cli(['check', '-f', file, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('spec.hostPID');
    expect(r.stdout).toContain('spec.containers[0].securityContext.privileged');
  });

  test('allowPrivilegeEscalation: no is false: restricted does not flag it', async () => {
    const container = '  containers:\n  - name: c\n    image: i\n    securityContext:\n      allowPrivilegeEscalation: no\n'
      + '      runAsNonRoot: yes\n      capabilities: {drop: [ALL]}\n      seccompProfile: {type: RuntimeDefault}\n';
    const r = await cli(['pod-security', '-f', write('no.yaml', psa(container)), '--level', 'restricted']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ALLOWED Pod shop\/p \[restricted:latest\] \([^)]*no\.yaml document 2\)\n$/);
  });

  test('a boolean label value is rejected, naming the file, document, object and field', async () => {
    const file = write('labels.yaml', `${SHOP}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop, labels: {canary: yes}}\n`);
    const r = await cli(['check', '-f', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`namespace-guard: ${file} document 2: Pod shop/p: metadata.labels.canary: must be a string, not the boolean true: `
      + 'YAML reads unquoted true, false, yes, no, on and off as booleans, which the API server rejects here; quote the value\n');
    const quoted = await cli(['check', '-f', write('quoted.yaml', `${SHOP}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop, labels: {canary: "yes"}}\n`)]);
    expect(quoted.code).toBe(0);
  });
});

describe('streams of JSON objects (jq \'.items[]\')', () => {
  const ns = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const jsonPod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a', labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, null, 2);

  test('objects separated by newlines or by nothing are one document each', async () => {
    const r = await cli(['reach', '-f', '-', '--from', 'a/x', '--to', 'a/y', '--port', '80'], `${ns('a')}\n${jsonPod('x')}${jsonPod('y')}\n`);
    expect([r.code, r.stdout.split('\n')[0], r.stderr]).toEqual([0, 'allowed', '']);
  });

  test('errors name the document of the object', async () => {
    const missing = await cli(['check', '-f', '-'], `${ns('a')}\n{"kind": "Pod"}\n${ns('b')}\n`);
    expect([missing.code, missing.stderr]).toEqual([2, 'namespace-guard: <stdin> document 2: not a Kubernetes object: missing apiVersion\n']);
    const broken = await cli(['check', '-f', '-'], `${ns('a')}${ns('b')}{"apiVersion": "v1", "kind": }\n`);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^namespace-guard: <stdin> document 3: invalid JSON: [^\n]+\n$/);
  });
});

describe('aliases: errors name the file and the document, exit 2, no stack trace', () => {
  test('an alias to an anchor of another document', async () => {
    const file = write('alias.yaml', `${SHOP}labels: &l {team: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: *l}\n`);
    const r = await cli(['check', '-f', file]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`namespace-guard: ${file} document 2: cannot read the YAML: alias *l names no anchor before it in this document `
      + '(anchors do not reach across --- separators)\n');
  });

  test('a merge key to an anchor of another document', async () => {
    const file = write('merge.yaml', `${SHOP}labels: &l {team: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {<<: *l}}\n`);
    const r = await cli(['check', '-f', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^namespace-guard: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} document 2: cannot read the YAML: alias \\*l names no anchor`));
  });

  test.each([
    ['aliases', (prev: string) => `[${Array(9).fill(`*${prev}`).join(', ')}]`],
    ['merge keys', (prev: string) => `{<<: [${Array(9).fill(`*${prev}`).join(', ')}]}`],
  ])('too many %s (an alias bomb)', async (_, level) => {
    const names = 'abcdefghijkl'.split('');
    const lines = names.slice(1).map((n, i) => `  ${n}: &${n} ${level(names[i])}`);
    const file = write('bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  a: &a {x: 1, y: 2}\n${lines.join('\n')}\n`);
    const r = await cli(['check', '-f', file]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^namespace-guard: .*bomb\.yaml document 1: cannot read the YAML: [^\n]*\n$/);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });
});

describe('namespace-less objects are in default, for every command', () => {
  const DEFAULT_RESTRICTED = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: default, labels: {pod-security.kubernetes.io/enforce: restricted}}\n';
  const BARE_POD = (name: string) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: i}]}\n`;

  test('pod-security checks a pod without metadata.namespace against the default Namespace\'s labels', async () => {
    const file = write('default.yaml', DEFAULT_RESTRICTED + BARE_POD('p'));
    const r = await cli(['pod-security', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^DENIED  Pod default/p \\[restricted:latest\\] \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} document 2\\)\n`));
    expect(r.stderr).toBe(`namespace-guard: checked 1: 0 allowed, 1 denied; 0 skipped (${serverClause(serverVersionOf(undefined))})\n`);
  });

  test('reach applies a namespace-less policy to namespace-less pods, all in default', async () => {
    const policy = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {matchLabels: {app: b}}, policyTypes: [Ingress]}\n';
    const file = write('default.yaml', DEFAULT_RESTRICTED + BARE_POD('a') + BARE_POD('b') + policy);
    const r = await cli(['reach', '-f', file, '--from', 'default/a', '--to', 'default/b', '--port', '80']);
    expect([r.code, r.stdout.split('\n')[0]]).toEqual([1, 'denied']);
    expect((await cli(['reach', '-f', file, '--from', 'default/b', '--to', 'default/a', '--port', '80'])).code).toBe(0);
  });
});

test('an error in a Namespace names it without a namespace: Namespaces are cluster-scoped', async () => {
  const file = write('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {audited: on}}\n');
  const r = await cli(['check', '-f', file]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/document 1: Namespace shop: metadata\.labels\.audited: must be a string, not the boolean true/);
});

test('labels the API server rejects stop every command: such an object never exists, so nothing may be concluded from it', async () => {
  const ns = write('bad-ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: "restricted "}}\n');
  const problem = 'document 1: Namespace shop: metadata.labels.pod-security.kubernetes.io/enforce: label value "restricted " is invalid: it must consist of';
  for (const args of [['check', '-f', ns], ['pod-security', '-f', ns], ['reach', '-f', ns], ['evidence', '-f', ns]]) {
    const r = await cli(args);
    expect([args[0], r.code]).toEqual([args[0], 2]);
    expect(r.stderr).toContain(problem);
  }
  const vap = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: p}\nspec:\n'
    + '  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]}\n'
    + '  validations: [{expression: "true"}]\n';
  const badPod = write('bad-pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default, labels: {app: <x>}}\nspec: {containers: [{name: c, image: i}]}\n');
  const r = await cli(['admit', '-f', write('vap.yaml', vap), '--object', badPod, '--operation', 'CREATE', '--user', 'alice']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('metadata.labels.app: label value "<x>"');
});

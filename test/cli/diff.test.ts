import * as fs from 'fs';
import { cli, fixture, useScratchDir } from './run-cli';

const write = useScratchDir('diff');
const BASE = fixture('diff/base.yaml');
const HEAD = fixture('diff/head.yaml');

const ns = (name: string, labels = '{}') => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${labels}}\n`;
const denyAll = (namespace: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ${namespace}}\n`
  + 'spec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n';

describe('namespace-guard diff', () => {
  test('JSON: one object with every kind of change, in the documented shape', async () => {
    const r = await cli(['diff', '--base', BASE, '--head', HEAD, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual({
      // customer3's egress to every namespace reaches namespaces created later too, on every port.
      flows: { added: [{ from: 'customer3', to: '(new namespace)', ports: ['all'] }, { from: 'customer3', to: 'billing', ports: ['TCP 8443'] }], removed: [] },
      podFlows: [],
      addresses: { added: [], removed: [] },
      podSecurity: [{ namespace: 'customer3', before: { level: 'restricted', version: 'v1.35' }, after: { level: 'baseline', version: 'v1.35' } }],
      quota: [{ namespace: 'customer3', key: 'limits.cpu', before: '4', after: '8' }],
      access: [{
        namespace: 'billing',
        subject: 'Group/billing-devs',
        before: ['Role namespace-guard-edit'],
        after: ['Role namespace-guard-admin'],
        added: ['get/list/watch/create/update/patch/delete on rolebindings.rbac.authorization.k8s.io', 'get/list/watch/create/update/patch/delete on roles.rbac.authorization.k8s.io'],
        removed: [],
      }],
      roles: [],
      guardrails: [{ kind: 'ValidatingAdmissionPolicyBinding', name: 'b', change: 'changed', detail: 'validationActions Deny → Warn, Audit', weakens: true }],
      opens: true,
    });
    // Keys in the documented order.
    expect(r.stdout).toMatch(/^\{"flows":\{"added":\[.*\],"removed":\[\]\},"podFlows":\[\],"addresses":\{.*\},"podSecurity":.*,"quota":.*,"access":.*,"roles":.*,"guardrails":.*,"opens":true\}\n$/);
    expect(r.stderr).toBe('namespace-guard: opens: 2 flows added or widened, 1 Pod Security level lowered, 1 quota or limit raised, '
      + '1 subject given more access, 1 guardrail removed or weakened\n');
  });

  test('the reverse change opens nothing and says what it closes', async () => {
    const r = await cli(['diff', '--base', HEAD, '--head', BASE, '--format', 'json', '--fail-on', 'open']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.opens).toBe(false);
    expect(out.flows).toEqual({ added: [], removed: [{ from: 'customer3', to: '(new namespace)', ports: ['all'] }, { from: 'customer3', to: 'billing', ports: ['TCP 8443'] }] });
    expect(out.guardrails).toEqual([{ kind: 'ValidatingAdmissionPolicyBinding', name: 'b', change: 'changed', detail: 'validationActions Warn, Audit → Deny', weakens: false }]);
    expect(out.access.map((a: any) => [a.before, a.after, a.added, a.removed.length])).toEqual([[['Role namespace-guard-admin'], ['Role namespace-guard-edit'], [], 2]]);
    expect(r.stderr).toBe('namespace-guard: opens nothing; 2 flows removed or narrowed, 1 other Pod Security change, 1 other quota or limit change, '
      + '1 subject given less (or other) access, 1 guardrail added or tightened\n');
  });

  test('--fail-on: open fails when something opens, change on any change, never (the default) never', async () => {
    const code = async (base: string, head: string, ...flags: string[]) => (await cli(['diff', '--base', base, '--head', head, ...flags])).code;
    expect(await code(BASE, HEAD)).toBe(0);
    expect(await code(BASE, HEAD, '--fail-on', 'never')).toBe(0);
    expect(await code(BASE, HEAD, '--fail-on', 'open')).toBe(1);
    expect(await code(BASE, HEAD, '--fail-on', 'change')).toBe(1);
    expect(await code(HEAD, BASE, '--fail-on', 'open')).toBe(0);
    expect(await code(HEAD, BASE, '--fail-on', 'change')).toBe(1);
    expect(await code(BASE, BASE, '--fail-on', 'change')).toBe(0);
  });

  test('RBAC compared on rules, not names: a Role widened to "*" or a new "*" Role bound to nobody opens, and --fail-on open fails', async () => {
    const base = fs.readFileSync(BASE, 'utf8');
    const widened = write('widened.yaml', base.replace(
      'rules: [{apiGroups: [apps], resources: [deployments], verbs: [get, list, watch, create, update, patch, delete]}]',
      'rules: [{apiGroups: [\'*\'], resources: [\'*\'], verbs: [\'*\']}]'));
    expect(widened).not.toBe(base);
    const r = await cli(['diff', '--base', BASE, '--head', widened, '--format', 'json', '--fail-on', 'open']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.access).toEqual([{
      namespace: 'billing',
      subject: 'Group/billing-devs',
      before: ['Role namespace-guard-edit'],
      after: ['Role namespace-guard-edit'],
      added: ['every verb on every resource of every API group'],
      removed: [],
    }]);
    expect(out.roles).toEqual([{
      role: 'Role billing/namespace-guard-edit',
      change: 'widened',
      added: ['every verb on every resource of every API group'],
      removed: [],
      widens: true,
    }]);
    expect(r.stderr).toBe('namespace-guard: opens: 1 subject given more access, 1 role widened or added with wide rules\n');

    const added = write('added.yaml', `${base}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: anything, namespace: customer3}\n`
      + 'rules: [{apiGroups: [\'*\'], resources: [\'*\'], verbs: [\'*\']}]\n');
    const unbound = await cli(['diff', '--base', BASE, '--head', added, '--fail-on', 'open']);
    expect(unbound.code).toBe(1);
    expect(unbound.stdout.split('\n')).toContain('| Role customer3/anything | added | every verb on every resource of every API group | — | ⚠️ widens |');
  });

  test('markdown: the verdict first, then a section per kind of change, the flows as the changed cells of the matrix', async () => {
    const r = await cli(['diff', '--base', BASE, '--head', HEAD]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('**namespace-guard diff: this change opens access**: 2 flows added or widened, 1 Pod Security level lowered, '
      + '1 quota or limit raised, 1 subject given more access, 1 guardrail removed or weakened.');
    expect(lines.filter(l => l.startsWith('#### ')).map(l => l.replace(/ \(.*$/, ''))).toEqual([
      '#### Flows between namespaces', '#### Pod Security', '#### Quotas and limit ranges', '#### Access', '#### Guardrails',
    ]);
    expect(lines).toContain('| namespace | subject | before | after | added | removed |  |');
    expect(lines).toContain('| from \\ to | (new namespace) | billing | customer3 |');
    expect(lines).toContain('| customer3 | ⚠️ none → all | ⚠️ none → TCP 8443 |  |');
    expect(lines).toContain('| customer3 | restricted (v1.35) | baseline (v1.35) | ⚠️ lowered |');
    expect(lines).toContain('| customer3 | limits.cpu | 4 | 8 | ⚠️ raised |');
    expect(lines).toContain('| billing | Group/billing-devs | Role namespace-guard-edit | Role namespace-guard-admin | '
      + 'get/list/watch/create/update/patch/delete on rolebindings.rbac.authorization.k8s.io<br>'
      + 'get/list/watch/create/update/patch/delete on roles.rbac.authorization.k8s.io | — | ⚠️ raised |');
    expect(lines).toContain('| ValidatingAdmissionPolicyBinding | b | validationActions Deny → Warn, Audit | ⚠️ weakens |');
    const same = await cli(['diff', '--base', BASE, '--head', BASE]);
    expect(same.stdout).toBe('**namespace-guard diff: no change** to flows, outside addresses, Pod Security, quotas and limits, access or guardrails.\n');
    expect(same.stderr).toBe('namespace-guard: no change to flows, outside addresses, Pod Security, quotas and limits, access or guardrails\n');
  });

  test('many namespaces: one row per changed pair instead of a matrix, and long sections are cut for a comment', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const base = write('base.yaml', names.map(n => `${ns(n)}---\n${denyAll(n)}`).join('---\n'));
    const head = write('head.yaml', names.map(n => ns(n)).join('---\n'));
    const r = await cli(['diff', '--base', base, '--head', head]);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('| from | to | before | after |  |');
    // The outside nodes and the new namespace sort among the namespaces by their names.
    expect(lines).toContain('| (new namespace) | t00 | none | all | ⚠️ opened |');
    expect(lines.filter(l => /^\| (t\d\d|internet|\(new namespace\)|\(other addresses\)) \| (t\d\d|internet|\(new namespace\)|\(other addresses\)) \|/.test(l))).toHaveLength(50);
    // Every pair of the 60 namespaces, and each namespace to and from the internet, the other addresses and a new namespace.
    const pairs = 60 * 60 + 3 * 2 * 60;
    expect(lines).toContain(`… and ${pairs - 50} more (all of them with --format json).`);
    const json = JSON.parse((await cli(['diff', '--base', base, '--head', head, '--format', 'json'])).stdout);
    expect(json.flows.added).toHaveLength(pairs);
  });

  test('--base and --head take several paths, repeated too; one side may read standard input', async () => {
    const a = write('a.yaml', `${ns('a')}---\n${denyAll('a')}`);
    const b = write('b.yaml', `${ns('b')}---\n${denyAll('b')}`);
    const opened = write('b-open.yaml', ns('b'));
    const r = await cli(['diff', '--base', a, b, '--head', a, '--head', opened, '--format', 'json']);
    // a still denies everything both ways; b is open within itself and to and from the internet.
    expect(JSON.parse(r.stdout).flows.added.map((f: any) => `${f.from}->${f.to} ${f.ports}`)).toEqual([
      '(new namespace)->b all', '(other addresses)->b all', 'b->(new namespace) all', 'b->(other addresses) all', 'b->b all', 'b->internet all', 'internet->b all',
    ]);
    const stdin = await cli(['diff', '--base', a, b, '--head', a, '-', '--format', 'json'], fs.readFileSync(opened, 'utf8'));
    expect(stdin.stdout).toBe(r.stdout);
  });

  test('warnings of both sides go to stderr, those only the base has marked; --quiet drops them', async () => {
    const calico = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: c, namespace: a}\nspec: {}\n';
    const base = write('base.yaml', `${ns('a')}---\n${calico}`);
    const head = write('head.yaml', ns('a'));
    const r = await cli(['diff', '--base', base, '--head', head]);
    expect(r.stderr).toMatch(/^namespace-guard: warning: in --base: not evaluated: NetworkPolicy a\/c \(projectcalico\.org\/v3/m);
    expect((await cli(['diff', '--base', base, '--head', head, '-q'])).stderr).not.toContain('warning');
  });

  test.each([
    ['invalid YAML in --head', (bad: string) => ['--base', BASE, '--head', bad], /bad\.yaml document 1: invalid YAML/],
    ['--head missing', () => ['--base', BASE], /required option '--head <paths\.\.\.>' not specified/],
    ['both sides on stdin', () => ['--base', '-', '--head', '-'], /--base and --head cannot both read standard input/],
    ['an unknown format', () => ['--base', BASE, '--head', HEAD, '--format', 'html'], /Allowed choices are markdown, json/],
    ['an unknown --fail-on', () => ['--base', BASE, '--head', HEAD, '--fail-on', 'error'], /Allowed choices are open, change, never/],
  ])('%s is bad input: exit 2, no stack trace', async (_name, args, message) => {
    const bad = write('bad.yaml', 'kind: [\n');
    const r = await cli(['diff', ...args(bad)], '');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  test('--help documents what is compared, what opens, the formats and the exit codes', async () => {
    const r = await cli(['diff', '--help']);
    expect(r.code).toBe(0);
    for (const text of ['--base <paths...>', '--fail-on <change>', 'podSecurity', 'ClusterRoleBindings', '"opens":true', 'Exit status: 0, or 1 with --fail-on open']) {
      expect(r.stdout).toContain(text);
    }
  });
});

describe('diff --cluster', () => {
  const tenants = (opened: boolean) => ['a', 'b'].map(n => `${ns(n)}---\n${denyAll(n)}`).join('---\n')
    + (opened ? '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, namespace: a}\n'
      + 'spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}\n'
      + '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: in, namespace: b}\n'
      + 'spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}\n' : '');

  test('the network plugin decides whether ipBlocks open tenants to each other; undeclared, the flow is marked as the plugin\'s', async () => {
    const base = write('base.yaml', tenants(false));
    const head = write('head.yaml', tenants(true));
    const json = async (...flags: string[]) => JSON.parse((await cli(['diff', '--base', base, '--head', head, '--format', 'json', '-q', ...flags])).stdout);
    const between = (out: any) => out.flows.added.filter((f: any) => f.from === 'a' && f.to === 'b');
    expect(between(await json())).toEqual([{ from: 'a', to: 'b', ports: ['all'], where: 'where the network plugin matches ipBlocks against pod addresses (Calico does, Cilium does not)' }]);
    expect(between(await json('--cluster', write('calico.yaml', 'networkBackend: calico\npodCidrs: [10.244.0.0/16]\n')))).toEqual([{ from: 'a', to: 'b', ports: ['all'] }]);
    expect(between(await json('--cluster', write('cilium.yaml', 'networkBackend: cilium\n')))).toEqual([]);
    const md = (await cli(['diff', '--base', base, '--head', head, '-q'])).stdout;
    expect(md).toContain('#### Flows that change only where the network plugin matches ipBlocks against pod addresses');
    expect(md).toContain('| a | b | ⚠️ all |  |');
    expect((await cli(['diff', '--base', base, '--head', head, '--fail-on', 'open', '-q'])).code).toBe(1);
  });

  test('address ranges outside the cluster are a section of their own', async () => {
    const base = write('base.yaml', tenants(false));
    const head = write('head.yaml', `${tenants(false)}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: cloud, namespace: a}\n`
      + 'spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 52.0.0.0/8}}], ports: [{port: 443}]}]}\n');
    const r = await cli(['diff', '--base', base, '--head', head, '-q']);
    expect(r.stdout).toContain('#### Addresses outside the cluster');
    expect(r.stdout).toContain('| a | to internet | TCP 443 | 52.0.0.0/8 | ⚠️ opened |');
    const json = JSON.parse((await cli(['diff', '--base', base, '--head', head, '-q', '--format', 'json'])).stdout);
    expect(json.addresses.added).toEqual([{ namespace: 'a', direction: 'egress', node: 'internet', ports: ['TCP 443'], ranges: ['52.0.0.0/8'] }]);
  });
});

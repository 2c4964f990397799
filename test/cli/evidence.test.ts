import { multiTenantYaml } from './example-yaml';
import { cli, fixture, useScratchDir } from './run-cli';
import { CONTROLS } from '../../src/analysis/evidence';

jest.setTimeout(60_000);

const write = useScratchDir('evidence');

const EXAMPLE = multiTenantYaml();

const UNMANAGED = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: baseline}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: shop}
spec:
  containers: [{name: a, image: a, securityContext: {privileged: true}}]
`;

describe('namespace-guard evidence', () => {
  test('JSON in the issue\'s shape: namespaces sorted, controls in catalogue order, each with id, title, status and evidence', async () => {
    const r = await cli(['evidence', '-f', write('dist.yaml', EXAMPLE), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['frameworks', 'namespaces', 'summary']);
    expect(out.namespaces.map((n: any) => n.namespace)).toEqual(['customer1', 'customer2']);
    const controls = out.namespaces[0].controls;
    expect(controls.map((c: any) => c.id)).toEqual(CONTROLS.map(c => c.id));
    expect(controls.find((c: any) => c.id === 'MTB-PL1-CC-FNS-1')).toEqual({
      id: 'MTB-PL1-CC-FNS-1',
      framework: 'MTB',
      title: 'Configure namespace resource quotas',
      status: 'pass',
      evidence: ['ResourceQuota customer1/namespace-quota'],
      reason: 'ResourceQuota customer1/namespace-quota limits cpu, memory and ephemeral-storage',
    });
    const failed = controls.find((c: any) => c.id === 'MTB-PL1-BC-CPI-2');
    expect(Object.keys(failed)).toEqual(['id', 'framework', 'title', 'status', 'evidence', 'reason', 'fix']);
    const all = out.namespaces.flatMap((n: any) => n.controls);
    expect(out.summary).toEqual({
      'pass': all.filter((c: any) => c.status === 'pass').length,
      'fail': all.filter((c: any) => c.status === 'fail').length,
      'not-applicable': all.filter((c: any) => c.status === 'not-applicable').length,
    });
    expect(r.stderr).toBe(`namespace-guard: 2 namespaces: ${out.summary.pass} passed, ${out.summary.fail} failed, ${out.summary['not-applicable']} not applicable\n`);
  });

  test('markdown: a summary table, then a section per namespace with id | title | status | evidence | reason', async () => {
    const r = await cli(['evidence', '-f', write('dist.yaml', EXAMPLE)]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('# Compliance evidence');
    const summary = lines.indexOf('| namespace | pass | fail | not-applicable |');
    expect(summary).toBeGreaterThan(0);
    expect(lines[summary + 2]).toMatch(/^\| customer1 \| \d+ \| \d+ \| \d+ \|$/);
    expect(lines.filter(l => l.startsWith('## '))).toEqual(['## customer1', '## customer2']);
    expect(lines).toContain('| MTB-PL1-CC-FNS-1 | Configure namespace resource quotas | ✅ pass | ResourceQuota customer1/namespace-quota | '
      + 'ResourceQuota customer1/namespace-quota limits cpu, memory and ephemeral-storage |');
    expect(lines.find(l => l.startsWith('| MTB-PL1-BC-CPI-2 |'))).toMatch(/\| ❌ fail \| RoleBinding customer1\/namespace-guard-admin<br>Role customer1\/namespace-guard-admin \| .* Fix: /);
  });

  test('with the guardrails in the input, admission takes back the admin Role\'s RBAC writes: nothing fails, even with --fail-on fail', async () => {
    const r = await cli(['evidence', '-f', write('guarded.yaml', multiTenantYaml(true)), '--format', 'json', '--fail-on', 'fail']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.summary.fail).toBe(0);
    for (const ns of out.namespaces) {
      const cpi2 = ns.controls.find((c: any) => c.id === 'MTB-PL1-BC-CPI-2');
      expect(cpi2.status).toBe('pass');
      expect(cpi2.evidence).toContain('ValidatingAdmissionPolicy namespace-guard-managed-objects');
      expect(cpi2.reason).toContain('but admission denies all');
    }
  });

  test('--fail-on fail exits 1 when a control fails; never (the default) exits 0', async () => {
    const file = write('dist.yaml', EXAMPLE);
    expect((await cli(['evidence', '-f', file])).code).toBe(0);
    expect((await cli(['evidence', '-f', file, '--fail-on', 'never'])).code).toBe(0);
    expect((await cli(['evidence', '-f', file, '--fail-on', 'fail'])).code).toBe(1);
  });

  test('without managed namespaces: every namespace but Kubernetes\' own, with a warning on stderr (none with --quiet)', async () => {
    const r = await cli(['evidence', '-f', '-', '--format', 'json'], UNMANAGED);
    const out = JSON.parse(r.stdout);
    expect(out.namespaces.map((n: any) => n.namespace)).toEqual(['shop']);
    const privileged = out.namespaces[0].controls.find((c: any) => c.id === 'MTB-PL1-BC-CPI-5');
    expect(privileged).toMatchObject({ status: 'fail', evidence: ['Namespace shop', 'Pod shop/agent'] });
    expect(r.stderr).toContain('namespace-guard: warning: no namespace of the input is labelled app.kubernetes.io/managed-by: cdk8s-namespace-guard '
      + 'or namespace-guard.dev/profile: covering every namespace but kube-system, kube-public, kube-node-lease (choose with --namespace)\n');
    const quiet = await cli(['evidence', '-f', '-', '--quiet'], UNMANAGED);
    expect(quiet.stderr).not.toContain('warning');
  });

  test('--namespace chooses, repeatable; an unknown one is a usage error naming the namespaces of the input', async () => {
    const chosen = await cli(['evidence', '-f', '-', '--namespace', 'kube-system', '--namespace', 'shop', '--format', 'json'], UNMANAGED);
    expect(JSON.parse(chosen.stdout).namespaces.map((n: any) => n.namespace)).toEqual(['kube-system', 'shop']);
    const unknown = await cli(['evidence', '-f', '-', '--namespace', 'nope'], UNMANAGED);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('namespace-guard: --namespace "nope": not in the input; its namespaces are kube-system, shop\n');
  });

  test('bad input exits 2 naming the file and the document', async () => {
    const broken = await cli(['evidence', '-f', fixture('broken.yaml')]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toMatch(/^namespace-guard: \S+broken\.yaml document 2: invalid YAML: .+\n$/);
    // A field the Pod Security checks read, wrongly typed, is found while the controls are evaluated.
    const typed = write('typed.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Pod\n'
      + 'metadata: {name: p, namespace: shop}\nspec: {hostPID: "yes", containers: [{name: a, image: a}]}\n');
    const r = await cli(['evidence', '-f', typed, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^namespace-guard: \S+typed\.yaml document 2: Pod shop\/p: spec\.hostPID: .+\n$/);
  });

  test('--help explains the statuses and which namespaces are covered', async () => {
    const r = await cli(['evidence', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not-applicable  nothing in the namespace it could apply to');
    expect(r.stdout).toContain('when the input has none, every namespace but kube-system, kube-public and\nkube-node-lease');
  });
});

describe('evidence --cluster', () => {
  const scratch = useScratchDir('evidence-cluster');
  test('the network plugin decides the network controls: an ipBlock of the pod range reopens a namespace on Calico, not on Cilium', async () => {
    const input = scratch('t.yaml', [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: t, labels: {app.kubernetes.io/managed-by: cdk8s-namespace-guard}}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: t}\nspec: {containers: [{name: c, image: i}]}',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: t}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: office, namespace: t}\n'
        + 'spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}], ports: [{port: 8080}]}]}',
    ].join('\n---\n'));
    const statusOn = async (cluster: string | undefined) => {
      const r = await cli(['evidence', '-f', input, '--format', 'json', '-q', ...(cluster ? ['--cluster', scratch('cluster.yaml', cluster)] : [])]);
      expect(r.code).toBe(0);
      const t = JSON.parse(r.stdout).namespaces.find((n: any) => n.namespace === 't');
      return t.controls.find((c: any) => c.id === 'CIS-5.3.2').status;
    };
    expect(await statusOn('networkBackend: calico\npodCidrs: [10.244.0.0/16]')).toBe('fail');
    expect(await statusOn('networkBackend: cilium')).toBe('pass');
    // Undeclared: it fails where the plugin matches ipBlocks against pod addresses, so it is no pass.
    expect(await statusOn(undefined)).toBe('fail');
  });
});

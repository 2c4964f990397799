import { cli, fixture } from './run-cli';

// Every command on small fixtures reduced from upstream projects nobody here wrote; each file's
// header names its source repository, path and commit (see fixtures/real-world/README.md).
// The verdicts below were worked out by reading the policies and securityContexts by hand.

const WARNING = 'namespace-guard: warning: ';

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter(l => l.startsWith(WARNING)).map(l => l.slice(WARNING.length));
}

function realWorld(name: string): string {
  return fixture(`real-world/${name}.yaml`);
}

interface PodSecurityEntry {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly allowed: boolean;
  readonly violations: ReadonlyArray<{ readonly check: string; readonly path: string }>;
}

async function podSecurity(file: string, level: string): Promise<{ code: number; entries: PodSecurityEntry[] }> {
  const r = await cli(['pod-security', '-f', file, '--level', level, '--format', 'json', '--quiet']);
  return { code: r.code, entries: JSON.parse(r.stdout) };
}

function checksOf(entries: PodSecurityEntry[], name: string): string[] {
  const entry = entries.find(e => e.name === name);
  if (!entry) throw new Error(`no pod-security entry for ${name}`);
  return entry.violations.map(v => v.check).sort();
}

describe('kube-prometheus (Prometheus and Alertmanager CRs, node-exporter on the host network)', () => {
  const F = realWorld('kube-prometheus');
  const CR_WARNINGS = [
    'ignored Alertmanager (monitoring.coreos.com) (1 object): it runs pods through an operator but has no pod template (spec.template) to model them from, so they are not in the analysis and policies meant for them select nothing here',
    'ignored Prometheus (monitoring.coreos.com) (1 object): it runs pods through an operator but has no pod template (spec.template) to model them from, so they are not in the analysis and policies meant for them select nothing here',
  ];
  const HOST_NETWORK = expect.stringMatching(/^DaemonSet monitoring\/node-exporter \(.*document 6\) runs on the host network: NetworkPolicies do not apply to its pods on most CNIs$/);

  test('check: the CRs and the host-network DaemonSet are named on stderr; the allow-all egress rules are link-local-egress errors', async () => {
    const r = await cli(['check', '-f', F]);
    expect(r.code).toBe(1);
    expect(warnings(r.stderr)).toEqual([...CR_WARNINGS, HOST_NETWORK]);
    // egress: [{}] in each of the four policies opens 169.254.169.254, fd00:ec2::254,
    // 100.100.100.200, 169.254.0.0/16 and fe80::/10: five errors per policy.
    expect(r.stdout.match(/^ERROR link-local-egress: /gm)).toHaveLength(20);
    for (const policy of ['prometheus-k8s', 'alertmanager-main', 'node-exporter', 'blackbox-exporter']) {
      expect(r.stdout).toContain(`ERROR link-local-egress: NetworkPolicy monitoring/${policy} `);
    }
    // The policies meant for the operator's pods, and every `from: app.kubernetes.io/name=prometheus`, select nothing.
    expect(r.stdout.match(/^WARNING unmatched-flow-selector: /gm)).toHaveLength(7);
    // Each says what the selector is for: the pods the policy applies to, or a peer it admits.
    expect(r.stdout).toContain('policy prometheus-k8s applies to pods with app.kubernetes.io/component=prometheus,');
    expect(r.stdout).toContain('policy node-exporter admits traffic from pods with app.kubernetes.io/name=prometheus in "monitoring"');
    expect(r.stderr).toContain('namespace-guard: 9 objects in 1 namespace: 20 errors, 7 warnings, 0 acknowledged');
  });

  test('reach (pod level): only the two modelled workloads; prometheus is not in the input, so nothing reaches node-exporter on 9100', async () => {
    const r = await cli(['reach', '-f', F, '--port', '9100', '--format', 'json']);
    expect(r.code).toBe(0);
    const allowed: Record<string, Record<string, boolean>> = JSON.parse(r.stdout).allowed;
    expect(Object.keys(allowed)).toEqual(['monitoring/blackbox-exporter', 'monitoring/node-exporter']);
    expect(allowed['monitoring/blackbox-exporter']['monitoring/node-exporter']).toBe(false);
    expect(allowed['monitoring/node-exporter']['monitoring/node-exporter']).toBe(false);
    const w = warnings(r.stderr);
    expect(w.slice(0, 3)).toEqual([...CR_WARNINGS, HOST_NETWORK]);
    // reach (unlike check, which has the finding) warns about the policies that select no pod.
    expect(w.slice(3)).toEqual([
      expect.stringMatching(/^NetworkPolicy monitoring\/prometheus-k8s \(.*\) selects no pod in the input \(podSelector app\.kubernetes\.io\/component=prometheus,.*\): the pods it is meant for are missing or of a kind that is not modelled$/),
      expect.stringMatching(/^NetworkPolicy monitoring\/alertmanager-main \(.*\) selects no pod in the input \(podSelector app\.kubernetes\.io\/component=alert-router,.*\)/),
    ]);
  });

  test('reach (namespace level): no port is open inside monitoring', async () => {
    const r = await cli(['reach', '-f', F, '--level', 'namespace', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^monitoring +none$/m);
    expect(r.stderr).toBe('');
  });

  test('reach --from/--to: blackbox-exporter to node-exporter on 9100 is denied by the node-exporter policy (only prometheus may), with the host-network caveat on stderr', async () => {
    const r = await cli(['reach', '-f', F, '--from', 'monitoring/blackbox-exporter', '--to', 'monitoring/node-exporter', '--port', '9100']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('denied');
    expect(r.stdout).toContain('does not match podSelector app.kubernetes.io/name=prometheus');
    // On most CNIs the policy does not hold for a host-network pod: the verdict is the
    // NetworkPolicy semantics, and both the warning and the verdict say so.
    expect(warnings(r.stderr)).toContainEqual(HOST_NETWORK);
    expect(r.stdout).toContain('Caution: monitoring/node-exporter runs on the host network, where NetworkPolicies do not apply on most CNIs');
    expect(r.stdout).not.toContain('Caution: monitoring/blackbox-exporter');
  });

  test('reach --from a pod the Prometheus/Alertmanager operator would run: unknown, since the CRs are not modelled', async () => {
    const r = await cli(['reach', '-f', F, '--from', 'monitoring/prometheus-k8s-0', '--to', 'monitoring/alertmanager-main-0', '--port', '9093', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from: unknown pod "monitoring/prometheus-k8s-0"');
  });

  test('pod-security: the namespace has no enforce label, so workloads are skipped without --level', async () => {
    const r = await cli(['pod-security', '-f', F, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('skipped DaemonSet monitoring/node-exporter');
    expect(r.stderr).toContain('no Pods or workloads were checked (2 skipped)');
  });

  test('pod-security: node-exporter fails baseline (host namespaces, hostPath, hostPort, SYS_TIME); blackbox-exporter passes baseline and misses only one seccompProfile for restricted', async () => {
    const baseline = await podSecurity(F, 'baseline');
    expect(baseline.code).toBe(1);
    expect(checksOf(baseline.entries, 'node-exporter')).toEqual([
      'capabilities_baseline', 'hostNamespaces', 'hostNamespaces', 'hostPathVolumes', 'hostPathVolumes', 'hostPorts',
    ]);
    expect(baseline.entries.find(e => e.name === 'blackbox-exporter')?.allowed).toBe(true);

    const restricted = await podSecurity(F, 'restricted');
    expect(restricted.code).toBe(1);
    expect(checksOf(restricted.entries, 'node-exporter')).toEqual([
      'capabilities_restricted', 'hostNamespaces', 'hostNamespaces', 'hostPorts',
      'restrictedVolumes', 'restrictedVolumes', 'seccompProfile_restricted', 'seccompProfile_restricted',
    ]);
    // The kube-rbac-proxy sidecar sets seccompProfile RuntimeDefault; the exporter container does not.
    const blackbox = restricted.entries.find(e => e.name === 'blackbox-exporter');
    expect(blackbox?.violations).toEqual([
      expect.objectContaining({ check: 'seccompProfile_restricted', path: 'spec.template.spec.containers[0].securityContext.seccompProfile.type' }),
    ]);
  });
});

describe('microservices-demo (Online Boutique with its network-policies component)', () => {
  const F = realWorld('microservices-demo');

  test('check: no warnings; the allow-all egress of three policies is reported as link-local-egress', async () => {
    const r = await cli(['check', '-f', F]);
    expect(r.code).toBe(1);
    expect(warnings(r.stderr)).toEqual([]);
    expect(r.stdout.match(/^ERROR link-local-egress: /gm)).toHaveLength(15);
    expect(r.stderr).toContain('namespace-guard: 8 objects in 1 namespace: 15 errors, 0 warnings, 0 acknowledged');
  });

  test('reach (pod level) on 7070: cartservice admits only frontend; checkoutservice has no egress (deny-all and no policy of its own here)', async () => {
    const r = await cli(['reach', '-f', F, '--port', '7070', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const allowed: Record<string, Record<string, boolean>> = JSON.parse(r.stdout).allowed;
    expect(allowed['default/frontend']['default/cartservice']).toBe(true);
    expect(allowed['default/checkoutservice']['default/cartservice']).toBe(false);
    expect(allowed['default/redis-cart']['default/cartservice']).toBe(false);
    expect(allowed['default/cartservice']['default/cartservice']).toBe(false);
  });

  test('reach --from/--to: cartservice to redis-cart on 6379 allowed, frontend to redis-cart denied', async () => {
    const ok = await cli(['reach', '-f', F, '--from', 'default/cartservice', '--to', 'default/redis-cart', '--port', '6379']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe('allowed');
    expect(ok.stdout).toContain('admitted by default/redis-cart ingress[0]');

    const no = await cli(['reach', '-f', F, '--from', 'default/frontend', '--to', 'default/redis-cart', '--port', '6379']);
    expect(no.code).toBe(1);
    expect(no.stdout.split('\n')[0]).toBe('denied');
    expect(no.stdout).toContain('does not match podSelector app=cartservice');

    const checkout = await cli(['reach', '-f', F, '--from', 'default/checkoutservice', '--to', 'default/cartservice', '--port', '7070']);
    expect(checkout.code).toBe(1);
    expect(checkout.stdout).toContain('isolated for egress by default/deny-all, which has no egress rules');
  });

  test('reach (namespace level): default reaches itself on 6379', async () => {
    const r = await cli(['reach', '-f', F, '--level', 'namespace', '--port', '6379']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^default +✓$/m);
  });

  test('pod-security: without any securityContext every service passes baseline and fails the same four restricted checks', async () => {
    const baseline = await podSecurity(F, 'baseline');
    expect(baseline.code).toBe(0);
    expect(baseline.entries.map(e => [e.name, e.allowed])).toEqual([
      ['frontend', true], ['checkoutservice', true], ['cartservice', true], ['redis-cart', true],
    ]);
    const restricted = await podSecurity(F, 'restricted');
    expect(restricted.code).toBe(1);
    for (const name of ['frontend', 'checkoutservice', 'cartservice', 'redis-cart']) {
      expect(checksOf(restricted.entries, name)).toEqual([
        'allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted',
      ]);
    }
  });
});

describe('ingress-nginx (controller, admission Jobs, ValidatingWebhookConfiguration)', () => {
  const F = realWorld('ingress-nginx');

  test('check: clean, nothing to warn about', async () => {
    const r = await cli(['check', '-f', F]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('namespace-guard: 6 objects in 1 namespace: 0 errors, 0 warnings, 0 acknowledged\n');
  });

  test('reach: no NetworkPolicy upstream, so everything is open, pod and namespace level', async () => {
    const pods = await cli(['reach', '-f', F, '--from', 'ingress-nginx/ingress-nginx-admission-patch', '--to', 'ingress-nginx/ingress-nginx-controller', '--port', '8443']);
    expect(pods.code).toBe(0);
    expect(pods.stdout.split('\n')[0]).toBe('allowed');
    expect(pods.stdout).toContain('no NetworkPolicy of namespace ingress-nginx selects ingress-nginx/ingress-nginx-controller for ingress');
    const ns = await cli(['reach', '-f', F, '--level', 'namespace']);
    expect(ns.code).toBe(0);
    expect(ns.stdout).toMatch(/^ingress-nginx +all$/m);
    expect(ns.stderr).toBe('');
  });

  test('pod-security: baseline admits all three; restricted denies the controller (allowPrivilegeEscalation: true, runAsUser 101 without runAsNonRoot, no seccomp) and the Jobs (no drop ALL, no seccomp)', async () => {
    const baseline = await podSecurity(F, 'baseline');
    expect(baseline.code).toBe(0);
    expect(baseline.entries.every(e => e.allowed)).toBe(true);
    expect(baseline.entries).toHaveLength(3);

    const restricted = await podSecurity(F, 'restricted');
    expect(restricted.code).toBe(1);
    // NET_BIND_SERVICE is the one capability restricted lets a container add.
    expect(checksOf(restricted.entries, 'ingress-nginx-controller')).toEqual([
      'allowPrivilegeEscalation', 'runAsNonRoot', 'seccompProfile_restricted',
    ]);
    for (const job of ['ingress-nginx-admission-create', 'ingress-nginx-admission-patch']) {
      expect(checksOf(restricted.entries, job)).toEqual(['capabilities_restricted', 'seccompProfile_restricted']);
    }
  });

  test('admit: no admission policy in the input, so every object is admitted, and the webhook is named as not simulated', async () => {
    const r = await cli(['admit', '-f', F, '--object', F, '--operation', 'CREATE', '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ADMITTED Deployment ingress-nginx/ingress-nginx-controller');
    expect(r.stdout).toContain('ADMITTED ValidatingWebhookConfiguration ingress-nginx-admission');
    expect(r.stderr).toMatch(/warning: not simulated: ValidatingWebhookConfiguration ingress-nginx-admission \(.*document \d+\): the API server would also ask it/);
    expect(r.stderr).toContain('6 CREATE requests as alice: 6 admitted, 0 denied');
    const quiet = await cli(['admit', '-f', F, '--object', F, '--operation', 'CREATE', '--user', 'alice', '--quiet']);
    expect(quiet.stdout).toBe(r.stdout);
    expect(quiet.stderr).not.toContain('not simulated');
  });
});

describe('Calico (projectcalico.org/v3 NetworkPolicy and GlobalNetworkPolicy)', () => {
  const F = realWorld('calico');
  const NOT_EVALUATED = [
    expect.stringMatching(/^not evaluated: NetworkPolicy production\/allow-tcp-6379 \(projectcalico\.org\/v3, .*document 4\): only networking\.k8s\.io\/v1 NetworkPolicies and the policy\.networking\.k8s\.io tiers \(/),
    expect.stringMatching(/^not evaluated: GlobalNetworkPolicy allow-tcp-6379-global \(projectcalico\.org\/v3, .*document 5\): only networking\.k8s\.io\/v1 NetworkPolicies and the policy\.networking\.k8s\.io tiers \(/),
  ];

  test('check: both Calico policies named as not evaluated', async () => {
    const r = await cli(['check', '-f', F]);
    expect(r.code).toBe(0);
    expect(warnings(r.stderr)).toEqual(NOT_EVALUATED);
  });

  test('reach: with no v1 policy every pair is open; the warning says Calico may deny what is shown allowed', async () => {
    // Calico would deny frontend -> database on 6380 (it admits 6379 only); the v1 model cannot know.
    const r = await cli(['reach', '-f', F, '--from', 'production/frontend', '--to', 'production/database', '--port', '6380']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('allowed');
    expect(warnings(r.stderr)).toEqual(NOT_EVALUATED);
    const ns = await cli(['reach', '-f', F, '--level', 'namespace']);
    expect(ns.stdout).toMatch(/^production +all$/m);
    expect(warnings(ns.stderr)).toEqual(NOT_EVALUATED);
  });

  test('pod-security: the plain Deployments pass baseline', async () => {
    const r = await podSecurity(F, 'baseline');
    expect(r.code).toBe(0);
    expect(r.entries.map(e => e.allowed)).toEqual([true, true]);
  });

  test('--quiet drops the warnings', async () => {
    const r = await cli(['check', '-f', F, '--quiet']);
    expect(warnings(r.stderr)).toEqual([]);
  });
});

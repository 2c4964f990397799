import { cli, fixture, useScratchDir } from './run-cli';
import { serverClause, serverVersionOf } from '../../src/cli/kubernetes-version';

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
    // egress: [{}] in each of the four policies opens every address: one error per policy, naming
    // the metadata addresses and link-local ranges it includes (not one error per address).
    expect(r.stdout.match(/^ERROR link-local-egress: /gm)).toHaveLength(4);
    for (const policy of ['prometheus-k8s', 'alertmanager-main', 'node-exporter', 'blackbox-exporter']) {
      expect(r.stdout).toContain(`ERROR link-local-egress: NetworkPolicy monitoring/${policy} `);
      expect(r.stdout).toContain(`NetworkPolicy "${policy}" in namespace "monitoring" opens every address (egress[0]), `
        + 'the cloud metadata addresses 169.254.169.254/32, fd00:ec2::254/128, 100.100.100.200/32, 168.63.129.16/32 and link-local addresses (169.254.0.0/16, fe80::/10) beyond port 53 included');
    }
    // The policies meant for the operator's pods, and every `from: app.kubernetes.io/name=prometheus`, select nothing.
    expect(r.stdout.match(/^WARNING unmatched-flow-selector: /gm)).toHaveLength(7);
    // Each says what the selector is for: the pods the policy applies to, or a peer it admits.
    expect(r.stdout).toContain('policy prometheus-k8s applies to pods with app.kubernetes.io/component=prometheus,');
    expect(r.stdout).toContain('policy node-exporter admits traffic from pods with app.kubernetes.io/name=prometheus in "monitoring"');
    expect(r.stderr).toContain('namespace-guard: 9 objects in 1 namespace: 4 errors, 7 warnings, 0 acknowledged');
  });

  test('reach (pod level): only the two modelled workloads; node-exporter runs on the host network, which its policy does not cover, so it is open on 9100', async () => {
    const r = await cli(['reach', '-f', F, '--port', '9100', '--format', 'json']);
    expect(r.code).toBe(0);
    const allowed: Record<string, Record<string, boolean>> = JSON.parse(r.stdout).allowed;
    expect(Object.keys(allowed)).toEqual(['monitoring/blackbox-exporter', 'monitoring/node-exporter']);
    // The node-exporter policy admits only prometheus, but on most CNIs no NetworkPolicy applies to host-network pods.
    expect(allowed['monitoring/blackbox-exporter']['monitoring/node-exporter']).toBe(true);
    expect(allowed['monitoring/node-exporter']['monitoring/node-exporter']).toBe(true);
    const w = warnings(r.stderr);
    expect(w.slice(0, 3)).toEqual([...CR_WARNINGS, HOST_NETWORK]);
    // reach (unlike check, which has the finding) warns about the policies that select no pod.
    expect(w.slice(3)).toEqual([
      expect.stringMatching(/^NetworkPolicy monitoring\/prometheus-k8s \(.*\) selects no pod in the input \(podSelector app\.kubernetes\.io\/component=prometheus,.*\): the pods it is meant for are missing or of a kind that is not modelled$/),
      expect.stringMatching(/^NetworkPolicy monitoring\/alertmanager-main \(.*\) selects no pod in the input \(podSelector app\.kubernetes\.io\/component=alert-router,.*\)/),
    ]);
  });

  test('reach (namespace level): monitoring is open inside, through the host-network node-exporter', async () => {
    const r = await cli(['reach', '-f', F, '--level', 'namespace', '--quiet']);
    expect(r.code).toBe(0);
    // Its policies admit no pod of the namespace, but node-exporter's are on the host network, which they do
    // not cover; every pod may send anywhere (egress: [{}]), public addresses included.
    expect(r.stdout).toMatch(/^monitoring +all +all$/m);
    expect(r.stderr).toBe('');
  });

  test('reach --from/--to: blackbox-exporter to node-exporter on 9100 is allowed: the node-exporter policy does not cover a host-network pod', async () => {
    const r = await cli(['reach', '-f', F, '--from', 'monitoring/blackbox-exporter', '--to', 'monitoring/node-exporter', '--port', '9100']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('allowed');
    expect(r.stdout).toContain('Ingress: monitoring/node-exporter runs on the host network, which NetworkPolicies do not select on most network plugins '
      + '(its traffic is the node\'s), so its ingress is not restricted.');
    expect(warnings(r.stderr)).toContainEqual(HOST_NETWORK);
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
    expect(r.stdout.match(/^ERROR link-local-egress: /gm)).toHaveLength(3);
    expect(r.stderr).toContain('namespace-guard: 8 objects in 1 namespace: 3 errors, 0 warnings, 0 acknowledged');
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
    expect(r.stdout).toMatch(/^default +✓ +✓$/m);
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
    expect(ns.stdout).toMatch(/^ingress-nginx +all +all$/m);
    expect(ns.stdout).toMatch(/^internet +all +-$/m);
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
    expect(r.stderr).toContain(`6 CREATE requests as alice (${serverClause(serverVersionOf(undefined), 35)}): 6 admitted, 0 denied`);
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
    expect(ns.stdout).toMatch(/^production +all +all$/m);
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

describe('Argo CD (seven components, their NetworkPolicies, Application and AppProject CRs)', () => {
  const F = realWorld('argo-cd');
  const NS = 'argocd';
  const pod = (name: string) => `${NS}/argocd-${name}`;
  const COMPONENTS = ['application-controller', 'applicationset-controller', 'dex-server', 'notifications-controller', 'redis', 'repo-server', 'server'];
  const PODS = COMPONENTS.map(pod);
  // argocd-redis-network-policy: ingress on TCP 6379 from these three podSelectors (of argocd itself) only.
  const REDIS_CLIENTS = ['server', 'repo-server', 'application-controller'].map(pod);
  // argocd-repo-server-network-policy: TCP 8081 from these four; 8084 (metrics) from every namespace.
  const REPO_SERVER_CLIENTS = ['server', 'application-controller', 'notifications-controller', 'applicationset-controller'].map(pod);

  test('check: every policy selects its component and every peer selector a workload; the CRs run no pods: nothing to say', async () => {
    const r = await cli(['check', '-f', F]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    // No egress rules (no link-local-egress), an unlabelled unmanaged namespace, and an Application
    // and AppProject that describe no pods: neither a finding nor a warning.
    expect(r.stderr).toBe('namespace-guard: 27 objects in 1 namespace: 0 errors, 0 warnings, 0 acknowledged\n');
  });

  test('reach (pod level) on 6379: redis admits server, repo-server and application-controller only; argocd-server admits everything', async () => {
    const r = await cli(['reach', '-f', F, '--port', '6379', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const allowed: Record<string, Record<string, boolean>> = JSON.parse(r.stdout).allowed;
    expect(Object.keys(allowed)).toEqual(PODS);
    for (const from of PODS) {
      for (const to of PODS) {
        // Every policy is ingress-only, so egress is open; only the destination's policy decides.
        const expected = to === pod('redis') ? REDIS_CLIENTS.includes(from) : to === pod('server');
        expect([from, to, allowed[from][to]]).toEqual([from, to, expected]);
      }
    }
  });

  test('reach (exposure level): per component the ports some argocd pod can reach are exactly those its policy opens', async () => {
    const r = await cli(['reach', '-f', F, '--level', 'exposure', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).exposed[NS][NS]).toEqual({
      pods: 7,
      reachable: {
        [pod('application-controller')]: 'TCP 8082', // a port without protocol is TCP
        [pod('applicationset-controller')]: 'TCP 7000, TCP 8080',
        [pod('dex-server')]: 'TCP 5556-5558', // 5556 and 5557 from argocd-server, 5558 from any pod
        [pod('notifications-controller')]: 'TCP 9001', // admitted though the container declares no port
        [pod('redis')]: 'TCP 6379',
        [pod('repo-server')]: 'TCP 8081, TCP 8084',
        [pod('server')]: 'all', // ingress: [{}]
      },
    });
    const on6379 = await cli(['reach', '-f', F, '--level', 'exposure', '--port', '6379']);
    expect(on6379.stdout).toMatch(/^argocd +2\/7 +1\/1$/m);
    // argocd-server admits every source, public addresses included.
    expect(on6379.stdout).toContain('internet -> argocd: 1/7 pods: argocd/argocd-server');
    expect(on6379.stdout).toContain('argocd -> argocd: 2/7 pods: argocd/argocd-redis, argocd/argocd-server');
  });

  test('reach (namespace level): argocd reaches itself on every port (argocd-server) and on 6379', async () => {
    const all = await cli(['reach', '-f', F, '--level', 'namespace']);
    expect(all.stdout).toMatch(/^argocd +all +all$/m);
    const redis = await cli(['reach', '-f', F, '--level', 'namespace', '--port', '6379', '--format', 'json']);
    expect(JSON.parse(redis.stdout).allowed).toEqual({ argocd: { argocd: true, internet: true }, internet: { argocd: true } });
  });

  test('reach --from/--to: dex to redis is denied (none of the three podSelectors), repo-server to redis admitted', async () => {
    const no = await cli(['reach', '-f', F, '--from', pod('dex-server'), '--to', pod('redis'), '--port', '6379']);
    expect(no.code).toBe(1);
    expect(no.stdout.split('\n')[0]).toBe('denied');
    expect(no.stdout).toContain('no NetworkPolicy of namespace argocd selects argocd/argocd-dex-server for egress');
    expect(no.stdout).toContain('argocd/argocd-redis is isolated for ingress by argocd/argocd-redis-network-policy');
    expect(no.stdout).toContain('the source matches none of its 3 peers');
    for (const name of ['argocd-server', 'argocd-repo-server', 'argocd-application-controller']) {
      expect(no.stdout).toContain(`does not match podSelector app.kubernetes.io/name=${name}`);
    }
    for (const from of REDIS_CLIENTS) {
      const ok = await cli(['reach', '-f', F, '--from', from, '--to', pod('redis'), '--port', '6379']);
      expect([from, ok.code, ok.stdout.split('\n')[0]]).toEqual([from, 0, 'allowed']);
      expect(ok.stdout).toContain('admitted by argocd/argocd-redis-network-policy ingress[0]');
    }
  });

  test('reach --from/--to: the repo-server policy admits 8081 from its four clients and 8084 from anyone, as upstream intends', async () => {
    for (const from of PODS) {
      const r = await cli(['reach', '-f', F, '--from', from, '--to', pod('repo-server'), '--port', '8081']);
      expect([from, r.code]).toEqual([from, REPO_SERVER_CLIENTS.includes(from) ? 0 : 1]);
    }
    const dex = await cli(['reach', '-f', F, '--from', pod('dex-server'), '--to', pod('repo-server'), '--port', '8081']);
    expect(dex.stdout).toContain('argocd/argocd-repo-server-network-policy ingress[1] (from namespaceSelector {}, on TCP/8084): wrong port: it allows TCP 8084, not TCP/8081');
    const metrics = await cli(['reach', '-f', F, '--from', pod('dex-server'), '--to', pod('repo-server'), '--port', '8084']);
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toContain('admitted by argocd/argocd-repo-server-network-policy ingress[1] (from namespaceSelector {}, on TCP/8084)');
  });

  test('reach --from/--to: dex admits argocd-server on 5556-5557 only; argocd-server admits anything from anywhere', async () => {
    const server = await cli(['reach', '-f', F, '--from', pod('server'), '--to', pod('dex-server'), '--port', '5557']);
    expect(server.code).toBe(0);
    const redis = await cli(['reach', '-f', F, '--from', pod('redis'), '--to', pod('dex-server'), '--port', '5556']);
    expect(redis.code).toBe(1);
    expect(redis.stdout).toContain('does not match podSelector app.kubernetes.io/name=argocd-server');
    const open = await cli(['reach', '-f', F, '--from', pod('redis'), '--to', pod('server'), '--port', '443']);
    expect(open.code).toBe(0);
    expect(open.stdout).toContain('admitted by argocd/argocd-server-network-policy ingress[0] (from anywhere, on every port)');
  });

  test('pod-security: no enforce label on argocd, so the seven workloads are skipped without --level', async () => {
    const r = await cli(['pod-security', '-f', F]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('skipped StatefulSet argocd/argocd-application-controller');
    expect(r.stderr).toContain('no Pods or workloads were checked (7 skipped)');
  });

  test('pod-security: every component passes restricted, init containers included; redis and notifications through their pod securityContext', async () => {
    // Read by hand: every container (and init container) drops ALL and disallows privilege escalation;
    // runAsNonRoot and seccompProfile RuntimeDefault are set on each container, except redis's and the
    // notifications controller's containers, which inherit both from the pod. Volumes are configMap,
    // secret and emptyDir only; no host namespaces, ports or paths; runAsUser 999 and 1001 are non-zero.
    for (const level of ['baseline', 'restricted']) {
      const r = await podSecurity(F, level);
      expect(r.code).toBe(0);
      expect(r.entries.map(e => [e.kind, e.name, e.allowed, e.violations])).toEqual([
        ...COMPONENTS.filter(c => c !== 'application-controller').map(c => ['Deployment', `argocd-${c}`, true, []]),
        ['StatefulSet', 'argocd-application-controller', true, []],
      ]);
    }
  });

  test('reach --from/--to across the two installs says each reason once, not once per peer', async () => {
    const r = await cli(['reach', '-f', F, '-f', realWorld('cert-manager'), '--from', 'cert-manager/cert-manager', '--to', 'argocd/argocd-redis', '--port', '6379', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the source matches none of its 3 peers: for each, cert-manager/cert-manager is in namespace cert-manager, '
      + 'but a peer without namespaceSelector only selects pods of argocd.');
    expect(r.stdout.match(/is in namespace cert-manager/g)).toHaveLength(1);
  });

  test('with cert-manager installed too: namespaceSelector {} admits its pods on the metrics ports; redis and repo-server 8081 stay argocd-only', async () => {
    const r = await cli(['reach', '-f', F, '-f', realWorld('cert-manager'), '--level', 'exposure', '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    // A podSelector peer without a namespaceSelector matches pods of the policy's own namespace only.
    expect(JSON.parse(r.stdout).exposed['cert-manager'][NS]).toEqual({
      pods: 7,
      reachable: {
        [pod('application-controller')]: 'TCP 8082',
        [pod('applicationset-controller')]: 'TCP 7000, TCP 8080',
        [pod('dex-server')]: 'TCP 5558',
        [pod('notifications-controller')]: 'TCP 9001',
        [pod('repo-server')]: 'TCP 8084',
        [pod('server')]: 'all',
      },
    });
    const redis = await cli(['reach', '-f', F, '-f', realWorld('cert-manager'), '--from', 'cert-manager/cert-manager', '--to', pod('redis'), '--port', '6379', '--quiet']);
    expect(redis.code).toBe(1);
    expect(redis.stdout).toContain('cert-manager/cert-manager is in namespace cert-manager, but a peer without namespaceSelector only selects pods of argocd');
  });
});

describe('cert-manager (Helm chart rendered with default values, webhook configurations, Issuer and Certificate CRs)', () => {
  const F = realWorld('cert-manager');
  const POLICIES = realWorld('cert-manager-network-policies');
  const NS = 'cert-manager';
  const PODS = ['cert-manager', 'cert-manager-cainjector', 'cert-manager-startupapicheck', 'cert-manager-webhook'].map(n => `${NS}/${n}`);
  // Only the ACME Issuer describes pods (its HTTP-01 solver's podTemplate); the self-signed Issuer
  // and the two Certificates do not, so they are not named.
  const ISSUER_WARNING = 'ignored Issuer (cert-manager.io) (1 object): it runs pods through an operator but has no pod template (spec.template) to model them from, so they are not in the analysis and policies meant for them select nothing here';
  const write = useScratchDir('real-world-cert-manager');

  test('check: no finding; the ACME Issuer is named on stderr; three namespaces (cert-manager, default for the CRs, kube-system for leader election)', async () => {
    const r = await cli(['check', '-f', F]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(warnings(r.stderr)).toEqual([ISSUER_WARNING]);
    expect(r.stderr).toContain('namespace-guard: 17 objects in 3 namespaces: 0 errors, 0 warnings, 0 acknowledged');
  });

  test('reach: the chart renders no NetworkPolicy by default, so every pair is open, pod and namespace level', async () => {
    const r = await cli(['reach', '-f', F, '--port', '10250', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(warnings(r.stderr)).toEqual([ISSUER_WARNING]);
    const allowed: Record<string, Record<string, boolean>> = JSON.parse(r.stdout).allowed;
    // The post-install startupapicheck Job is a workload like the three Deployments.
    expect(Object.keys(allowed)).toEqual(PODS);
    for (const from of PODS) expect(Object.values(allowed[from])).toEqual([true, true, true, true]);

    const ns = await cli(['reach', '-f', F, '--level', 'namespace', '--quiet']);
    for (const from of ['cert-manager', 'default', 'kube-system']) {
      expect(ns.stdout).toMatch(new RegExp(`^${from} +all +all +all +all$`, 'm'));
    }
    const exposure = await cli(['reach', '-f', F, '--level', 'exposure', '--port', '10250', '--format', 'json', '--quiet']);
    const exposed = JSON.parse(exposure.stdout).exposed;
    expect(Object.keys(exposed.default[NS].reachable)).toEqual(PODS);
    expect(exposed[NS].default).toEqual({ pods: 0, reachable: {} });
  });

  test('reach --from/--to: a new pod of default reaches the webhook on 10250 (no policy); the solver pods the Issuer would run are unknown', async () => {
    const r = await cli(['reach', '-f', F, '--from', 'default/*', '--to', `${NS}/cert-manager-webhook`, '--port', '10250']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('allowed');
    expect(r.stdout).toContain('no NetworkPolicy of namespace cert-manager selects cert-manager/cert-manager-webhook for ingress');
    const solver = await cli(['reach', '-f', F, '--from', 'default/cm-acme-http-solver-x7k2p', '--to', `${NS}/cert-manager`, '--port', '9402', '--quiet']);
    expect(solver.code).toBe(2);
    expect(solver.stderr).toContain('--from: unknown pod "default/cm-acme-http-solver-x7k2p"');
  });

  test('pod-security: without an enforce label all four are skipped; at baseline and restricted all pass', async () => {
    const skipped = await cli(['pod-security', '-f', F]);
    expect(skipped.code).toBe(0);
    expect(warnings(skipped.stderr)).toEqual([ISSUER_WARNING]);
    expect(skipped.stderr).toContain('no Pods or workloads were checked (4 skipped)');
    // Read by hand from values.yaml: every pod sets runAsNonRoot and seccompProfile RuntimeDefault,
    // every container drops ALL and disallows privilege escalation; no volumes, no host fields.
    for (const level of ['baseline', 'restricted']) {
      const r = await podSecurity(F, level);
      expect(r.code).toBe(0);
      expect(r.entries.map(e => [e.kind, e.name, e.allowed, e.violations])).toEqual([
        ['Deployment', 'cert-manager-cainjector', true, []],
        ['Deployment', 'cert-manager', true, []],
        ['Deployment', 'cert-manager-webhook', true, []],
        ['Job', 'cert-manager-startupapicheck', true, []],
      ]);
    }
  });

  test('admit: kube-system (the leader-election Role) and default (the CRs) are assumed as every cluster has them; everything is admitted and both webhook configurations are named as not simulated', async () => {
    const assumed = await cli(['admit', '-f', F, '--object', F, '--operation', 'CREATE', '--user', 'alice']);
    expect(assumed.code).toBe(0);
    expect(assumed.stdout).toContain('ADMITTED Role kube-system/cert-manager:leaderelection');
    expect(warnings(assumed.stderr).filter(w => w.startsWith('namespace '))).toEqual(['kube-system', 'default'].map(n => `namespace ${n} is not in the manifests; `
      + 'every cluster has it, so it is taken as created, with no labels but kubernetes.io/metadata.name (no Pod Security labels): add its Namespace to -f to use its real labels'));

    // Given, they are read from the manifests and nothing is assumed.
    const clusterNamespaces = write('namespaces.yaml', ['default', 'kube-system']
      .map(n => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`).join('---\n'));
    const r = await cli(['admit', '-f', F, '-f', clusterNamespaces, '--object', F, '--operation', 'CREATE', '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ADMITTED Deployment cert-manager/cert-manager-webhook');
    expect(r.stdout).toContain('ADMITTED Issuer default/example-issuer');
    expect(r.stdout).toContain('ADMITTED Role kube-system/cert-manager:leaderelection');
    // admit judges requests, not the pods an operator runs later: no pod-carrier warning here.
    expect(warnings(r.stderr)).toEqual([
      expect.stringMatching(/^not simulated: MutatingWebhookConfiguration cert-manager-webhook \(.*cert-manager\.yaml document 11\): the API server would also ask it/),
      expect.stringMatching(/^not simulated: ValidatingWebhookConfiguration cert-manager-webhook \(.*cert-manager\.yaml document 12\): the API server would also ask it/),
      // The Certificate CRD is in the input, and the API server serves the kind as it says; the
      // Issuer's CRD is not, so its resource is guessed.
      'Issuer (group "cert-manager.io") is not a built-in kind and no CustomResourceDefinition of the manifests defines it: '
        + 'its resource is guessed as issuers, namespaced when it has metadata.namespace',
    ]);
    expect(r.stderr).toContain(`17 CREATE requests as alice (${serverClause(serverVersionOf(undefined), 35)}): 17 admitted, 0 denied`);
  });

  describe('with the chart\'s optional NetworkPolicies (networkPolicy.enabled for the three components)', () => {
    test('check: each of the three egress rules (any destination on 80, 443, 53, 6443) opens the metadata addresses and link-local ranges', async () => {
      const r = await cli(['check', '-f', F, '-f', POLICIES, '--quiet']);
      expect(r.code).toBe(1);
      // Each rule opens every address on 80/443/53/6443: one finding per policy naming what that
      // includes (169.254.169.254, fd00:ec2::254 and 100.100.100.200, and 169.254.0.0/16 and
      // fe80::/10 beyond port 53).
      expect(r.stdout.match(/^ERROR link-local-egress: /gm)).toHaveLength(3);
      for (const policy of ['cert-manager-cainjector-allow-egress', 'cert-manager-allow-egress', 'cert-manager-webhook-allow-egress']) {
        expect(r.stdout.match(new RegExp(`^ERROR link-local-egress: NetworkPolicy cert-manager/${policy} `, 'gm'))).toHaveLength(1);
        expect(r.stdout).toContain(`NetworkPolicy "${policy}" in namespace "cert-manager" opens every address (egress[0]), the cloud metadata addresses `
          + '169.254.169.254/32, fd00:ec2::254/128, 100.100.100.200/32, 168.63.129.16/32 and link-local addresses (169.254.0.0/16, fe80::/10) beyond port 53 included');
      }
      expect(r.stdout).not.toContain('unmatched-flow-selector');
      expect(r.stderr).toContain('namespace-guard: 23 objects in 3 namespaces: 3 errors, 0 warnings, 0 acknowledged');
    });

    test('reach: named ports resolve on each destination; the three components cannot reach each other, the Job reaches their named ports', async () => {
      const r = await cli(['reach', '-f', F, '-f', POLICIES, '--level', 'exposure', '--format', 'json', '--quiet']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).exposed[NS][NS]).toEqual({
        pods: 4,
        reachable: {
          [`${NS}/cert-manager`]: 'TCP 9402-9403', // http-metrics, http-healthz
          [`${NS}/cert-manager-cainjector`]: 'TCP 9402', // http-metrics
          [`${NS}/cert-manager-startupapicheck`]: 'all', // no policy selects the Job
          [`${NS}/cert-manager-webhook`]: 'TCP 6080, TCP 9402, TCP 10250', // healthcheck, http-metrics, https
        },
      });
      const job = await cli(['reach', '-f', F, '-f', POLICIES, '--from', `${NS}/cert-manager-startupapicheck`, '--to', `${NS}/cert-manager-webhook`, '--port', '10250', '--quiet']);
      expect(job.code).toBe(0);
      expect(job.stdout).toContain('admitted by cert-manager/cert-manager-webhook-allow-ingress ingress[0] (from anywhere, on TCP/https, TCP/healthcheck, TCP/http-metrics)');
      // The controller's egress allows 53, 80, 443 and 6443 only.
      const controller = await cli(['reach', '-f', F, '-f', POLICIES, '--from', `${NS}/cert-manager`, '--to', `${NS}/cert-manager-webhook`, '--port', '10250', '--quiet']);
      expect(controller.code).toBe(1);
      expect(controller.stdout).toContain('cert-manager/cert-manager is isolated for egress by cert-manager/cert-manager-allow-egress');
      // http-healthz is the controller's port: the cainjector has only http-metrics.
      const healthz = await cli(['reach', '-f', F, '-f', POLICIES, '--from', `${NS}/cert-manager-startupapicheck`, '--to', `${NS}/cert-manager-cainjector`, '--port', '9403', '--quiet']);
      expect(healthz.code).toBe(1);
      expect(healthz.stdout).toContain('wrong port: it allows TCP 9402, not TCP/9403');
    });
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { cli, useScratchDir } from './run-cli';

// Warnings say what the input holds that a command did not evaluate; they go to stderr only.
const write = useScratchDir('warnings');

const WARNING = 'namespace-guard: warning: ';

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter(l => l.startsWith(WARNING)).map(l => l.slice(WARNING.length));
}

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - containerPort: 8080
`;

const PROMETHEUS = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: k8s
  namespace: shop
spec:
  replicas: 2
  serviceAccountName: prometheus-k8s
  podMetadata:
    labels:
      app.kubernetes.io/name: prometheus
`;

const ALLOW_PROMETHEUS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: prometheus
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: prometheus
  ingress:
    - {}
`;

const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: shop
spec:
  podSelector: {}
`;

// Config objects, built-in and custom: no pods, nothing to warn about.
const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  a: b
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  endpoints:
    - port: http
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: shop
spec:
  secretName: web-tls
  dnsNames: [shop.example.com]
`;

const docs = (...texts: string[]) => texts.join('---\n');

describe('custom resources that carry pods', () => {
  test('a custom resource with a spec.template pod template is a pod of reach, and the kind is named once with its count', async () => {
    const file = write('in.yaml', docs(NAMESPACE, ROLLOUT, ROLLOUT.replace('name: web\n', 'name: api\n')));
    const r = await cli(['reach', '-f', file, '--port', '8080', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).allowed)).toEqual(['shop/api', 'shop/web']);
    expect(warnings(r.stderr)).toEqual(['modelled Rollout (argoproj.io) from spec.template as a workload (2 objects)']);
  });

  test('reach and pod-security take the same workloads: a ReplicationController and a Rollout', async () => {
    const rc = `apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
        - name: legacy
          image: nginx
`;
    const file = write('in.yaml', docs(NAMESPACE, rc, ROLLOUT));
    const reach = await cli(['reach', '-f', file, '--port', '80', '--format', 'json']);
    const podSecurity = await cli(['pod-security', '-f', file, '--level', 'baseline', '--format', 'json']);
    const reachPods = Object.keys(JSON.parse(reach.stdout).allowed);
    const checked = (JSON.parse(podSecurity.stdout) as Array<{ namespace: string; name: string }>).map(o => `${o.namespace}/${o.name}`).sort();
    expect(reachPods).toEqual(['shop/legacy', 'shop/web']);
    expect(checked).toEqual(reachPods);
    expect(warnings(podSecurity.stderr)).toEqual(['modelled Rollout (argoproj.io) from spec.template as a workload (1 object)']);
  });

  test('a kind that runs pods without a pod template is named with its count, and the policy meant for its pods selects nothing', async () => {
    const alertmanager = `apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata:
  name: main
  namespace: shop
spec:
  replicas: 3
  nodeSelector:
    kubernetes.io/os: linux
`;
    const file = write('in.yaml', docs(NAMESPACE, PROMETHEUS, PROMETHEUS.replace('name: k8s', 'name: user'), alertmanager, ALLOW_PROMETHEUS, DENY_ALL, ROLLOUT));
    const r = await cli(['reach', '-f', file]);
    expect(r.code).toBe(0);
    const lines = warnings(r.stderr);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('modelled Rollout (argoproj.io) from spec.template as a workload (1 object)');
    expect(lines[1]).toMatch(/^ignored Alertmanager \(monitoring\.coreos\.com\) \(1 object\): it runs pods/);
    expect(lines[2]).toMatch(/^ignored Prometheus \(monitoring\.coreos\.com\) \(2 objects\): it runs pods/);
    expect(lines[3]).toBe(`NetworkPolicy shop/prometheus (${file} document 5) selects no pod in the input (podSelector app.kubernetes.io/name=prometheus): `
      + 'the pods it is meant for are missing or of a kind that is not modelled');
  });

  test('config objects, built-in or custom, draw no warning', async () => {
    const file = write('in.yaml', docs(NAMESPACE, CONFIG, ROLLOUT, DENY_ALL));
    for (const command of [['reach'], ['check'], ['pod-security', '--level', 'baseline']]) {
      const r = await cli([...command, '-f', file]);
      expect(warnings(r.stderr)).toEqual(['modelled Rollout (argoproj.io) from spec.template as a workload (1 object)']);
    }
  });

  test('check runs the workload rules on a modelled custom resource, which holds their acknowledgements', async () => {
    const restricted = NAMESPACE.replace('  name: shop\n', '  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n');
    const privileged = ROLLOUT.replace('          image: nginx\n', '          image: nginx\n          securityContext:\n            privileged: true\n');
    const file = write('in.yaml', docs(restricted, privileged));
    const r = await cli(['check', '-f', file, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ rule: string; kind: string; target: string }> }).findings;
    expect(findings.filter(f => f.rule === 'pod-security').map(f => `${f.kind} ${f.target}`)).toEqual(['Rollout privileged']);
    expect(r.code).toBe(1);
    const acknowledged = privileged.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    namespace-guard.dev/acknowledged: "pod-security[privileged]: a CNI agent"\n');
    const a = await cli(['check', '-f', write('ack.yaml', docs(restricted, acknowledged)), '--format', 'json']);
    expect(a.stderr).not.toContain('acknowledges');
    expect(a.code).toBe(0);
  });

  test('pod-security names the kinds it cannot check', async () => {
    const file = write('in.yaml', docs(NAMESPACE, PROMETHEUS));
    const r = await cli(['pod-security', '-f', file, '--level', 'restricted']);
    expect(warnings(r.stderr)).toEqual([expect.stringMatching(/^ignored Prometheus \(monitoring\.coreos\.com\) \(1 object\)/)]);
  });
});

describe('network policies of other APIs', () => {
  test('each one is named as not evaluated', async () => {
    const policy = (apiVersion: string, kind: string, namespaced = true) => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: p
${namespaced ? '  namespace: shop\n' : ''}spec: {}
`;
    const file = write('in.yaml', docs(
      NAMESPACE,
      policy('cilium.io/v2', 'CiliumNetworkPolicy'),
      policy('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', false),
      policy('projectcalico.org/v3', 'NetworkPolicy'),
      policy('projectcalico.org/v3', 'GlobalNetworkPolicy', false),
      policy('extensions/v1beta1', 'NetworkPolicy'),
      // No such kind in v1alpha1, nor a released v1beta1: only the kinds the analysis reads are exempt.
      policy('policy.networking.k8s.io/v1alpha1', 'ClusterNetworkPolicy', false),
      policy('policy.networking.k8s.io/v1beta1', 'ClusterNetworkPolicy', false).replace('name: p', 'name: q'),
      DENY_ALL,
    ));
    const r = await cli(['reach', '-f', file, '--port', '80', '--format', 'json']);
    expect(r.code).toBe(0);
    const named = warnings(r.stderr).map(l => l.replace(/ \(([^,]+), .* document (\d+)\): .*/, ' ($1, document $2)'));
    expect(named).toEqual([
      'not evaluated: CiliumNetworkPolicy shop/p (cilium.io/v2, document 2)',
      'not evaluated: CiliumClusterwideNetworkPolicy p (cilium.io/v2, document 3)',
      'not evaluated: NetworkPolicy shop/p (projectcalico.org/v3, document 4)',
      'not evaluated: GlobalNetworkPolicy p (projectcalico.org/v3, document 5)',
      'not evaluated: NetworkPolicy shop/p (extensions/v1beta1, document 6)',
      'not evaluated: ClusterNetworkPolicy p (policy.networking.k8s.io/v1alpha1, document 7)',
      'not evaluated: ClusterNetworkPolicy q (policy.networking.k8s.io/v1beta1, document 8)',
    ]);
    expect(warnings(r.stderr)[0]).toContain('only networking.k8s.io/v1 NetworkPolicies and the policy.networking.k8s.io tiers (v1alpha1 AdminNetworkPolicy');
  });

  test('the network-policy-api kinds the analysis evaluates are not named; their experimental peers are', async () => {
    const file = write('tiers.yaml', docs(
      NAMESPACE,
      `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: isolate
spec:
  priority: 10
  subject:
    namespaces: {}
  egress:
    - name: to-nodes
      action: Deny
      to:
        - nodes: {}
`,
      `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  subject:
    namespaces: {}
  ingress:
    - action: Deny
      from:
        - namespaces: {}
`,
      `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: egress-names
spec:
  tier: Admin
  priority: 20
  subject:
    namespaces: {}
  egress:
    - name: registry
      action: Accept
      to:
        - domainNames: ["registry.example.com"]
`,
    ));
    const r = await cli(['reach', '-f', file, '--port', '80', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(warnings(r.stderr)).toEqual([
      expect.stringMatching(/^not evaluated: the nodes peer of AdminNetworkPolicy isolate rule to-nodes \(priority 10\) \(policy\.networking\.k8s\.io\/v1alpha1, .*document 2\): node IPs/),
      expect.stringMatching(/^not evaluated: the domainNames peer of ClusterNetworkPolicy egress-names rule registry \(priority 20\) \(policy\.networking\.k8s\.io\/v1alpha2, .*document 4\)/),
    ]);
  });
});

describe('host network', () => {
  test('a pod on the host network is named', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: shop
spec:
  hostNetwork: true
  containers:
    - name: agent
      image: agent
`;
    const file = write('in.yaml', docs(NAMESPACE, pod, pod.replace('name: agent\n  namespace', 'name: other\n  namespace').replace('  hostNetwork: true\n', '')));
    const r = await cli(['reach', '-f', file, '--port', '80', '--format', 'json']);
    expect(warnings(r.stderr)).toEqual([
      `Pod shop/agent (${file} document 2) runs on the host network: NetworkPolicies do not apply to its pods on most CNIs`,
    ]);
  });
});

describe('--quiet', () => {
  test('warnings go to stderr, never change stdout, and --quiet (before or after the command) drops them', async () => {
    const file = write('in.yaml', docs(NAMESPACE, PROMETHEUS, ALLOW_PROMETHEUS, ROLLOUT));
    const loud = await cli(['reach', '-f', file, '--port', '8080', '--format', 'json']);
    const before = await cli(['--quiet', 'reach', '-f', file, '--port', '8080', '--format', 'json']);
    const after = await cli(['reach', '-f', file, '--port', '8080', '--format', 'json', '-q']);
    expect(warnings(loud.stderr)).toHaveLength(3);
    expect(before.stdout).toBe(loud.stdout);
    expect(after.stdout).toBe(loud.stdout);
    expect(before.stderr).toBe('');
    expect(after.stderr).toBe('');
    JSON.parse(loud.stdout);
  });

  test('check and pod-security accept it too; summaries still print', async () => {
    const file = write('in.yaml', docs(NAMESPACE, PROMETHEUS));
    const check = await cli(['check', '-f', file, '--quiet']);
    expect(check.stderr).toMatch(/^namespace-guard: 2 objects in 1 namespace: /);
    const podSecurity = await cli(['--quiet', 'pod-security', '-f', file, '--level', 'baseline']);
    expect(warnings(podSecurity.stderr)).toEqual([]);
  });
});

describe('directory walk', () => {
  const MANIFEST = NAMESPACE;

  test('skips hidden entries, files without Kubernetes objects and Helm chart sources, naming each', async () => {
    const dir = path.dirname(write('app.yaml', MANIFEST));
    fs.mkdirSync(path.join(dir, '.github'));
    fs.writeFileSync(path.join(dir, '.github', 'dependabot.yml'), 'version: 2\nupdates: []\n');
    fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicaCount: 2\nimage:\n  tag: latest\n');
    fs.mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(dir, 'chart', 'templates', 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n');
    fs.mkdirSync(path.join(dir, 'loose'));
    fs.writeFileSync(path.join(dir, 'loose', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n');
    const r = await cli(['check', '-f', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ findings: [], errors: 0, warnings: 0 });
    expect(warnings(r.stderr)).toEqual([
      `skipped ${path.join(dir, '.github')}: hidden`,
      `skipped ${path.join(dir, 'chart')}: a Helm chart source (it has a Chart.yaml); render it first, e.g. helm template <release> <chart> | namespace-guard <command> -f -`,
      `skipped ${path.join(dir, 'loose', 'svc.yaml')}: a Helm template, not a manifest; render it first, e.g. helm template <release> <chart> | namespace-guard <command> -f -`,
      `skipped ${path.join(dir, 'values.yaml')}: no Kubernetes objects in it (no document has apiVersion and kind)`,
    ]);
    expect(r.stderr).toMatch(/namespace-guard: 1 object in 1 namespace/);
  });

  test('a file named explicitly is still an error; a Helm template gets the hint to render it', async () => {
    const values = write('values.yaml', 'replicaCount: 2\n');
    const r = await cli(['check', '-f', values]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a Kubernetes object');
    const template = write('deploy.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n');
    const t = await cli(['check', '-f', template]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('helm template');
  });

  test('Go template text inside YAML strings (a PrometheusRule) is read, not taken for Helm', async () => {
    const rule = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: rules
  namespace: shop
spec:
  groups:
    - name: pods
      rules:
        - alert: PodDown
          expr: up == 0
          annotations:
            summary: "{{ $labels.pod }} is down"
            description: |
              {{ $labels.pod }} has been down for {{ $value }} minutes
`;
    const dir = path.dirname(write('rules.yaml', docs(NAMESPACE, rule)));
    const r = await cli(['check', '-f', dir]);
    expect(r.code).toBe(0);
    expect(warnings(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/namespace-guard: 2 objects in 1 namespace/);
  });

  test('a walked file with objects and an error is still an error', async () => {
    const dir = path.dirname(write('broken.yaml', `${MANIFEST}---\nreplicas: 2\n`));
    const r = await cli(['check', '-f', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('broken.yaml document 2');
  });
});

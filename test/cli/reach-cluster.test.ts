// reach --cluster: a cluster file declares the DNS, ingress controller and monitoring pods and the
// cluster's ranges, as a ClusterProfile does; reach adds representative pods for the services, as
// ConnectivityReport does, and refuses a bad file naming the file and the field.
import { cli, useScratchDir } from './run-cli';
import { CLUSTER_FILE_EXAMPLE } from '../../src/cli/cluster-file';

const write = useScratchDir('namespace-guard-cluster');

const NS = (name: string) => `---\napiVersion: v1\nkind: Namespace\nmetadata: { name: "${name}" }\n`;
const POD = (ns: string, name: string, labels: string) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: "${ns}", labels: ${labels} }\nspec: { containers: [{ name: c, image: i }] }\n`;
const POLICY = (ns: string, name: string, spec: string) =>
  `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: "${ns}" }\nspec: ${spec}\n`;
const inNamespace = (ns: string) => `{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ${ns} } } }`;

// shop: default-deny, DNS to kube-dns, ingress from the ingress controller on 8080, scraped by monitoring on 9090.
const SHOP = NS('shop') + POD('shop', 'web', '{ app: web }')
  + POLICY('shop', 'default-deny', '{ podSelector: {}, policyTypes: [Ingress, Egress] }')
  + POLICY('shop', 'dns', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, '
    + 'podSelector: { matchLabels: { k8s-app: kube-dns } } }], ports: [{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }] }] }')
  + POLICY('shop', 'ingress', `{ podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [${inNamespace('ingress-nginx')}], ports: [{ port: 8080 }] }] }`)
  + POLICY('shop', 'scrape', `{ podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [${inNamespace('monitoring')}], ports: [{ port: 9090 }] }] }`);

const CLUSTER = `# the cluster shop runs on
dns:
  kubeDns: {}
ingressController:
  namespaceName: ingress-nginx
  podLabels: { app.kubernetes.io/name: ingress-nginx }
monitoring:
  - namespaceName: monitoring
    podLabels: { app: prometheus }
podCidrs: [10.244.0.0/16]
serviceCidrs: [10.96.0.0/12]
nodeCidrs: [10.0.0.0/20]
`;

const ADDED = 'namespace-guard: warning: added representative pods for the cluster services of FILE: ingress-nginx/ingress-nginx (ingress-controller), '
  + 'kube-system/kube-dns (dns), monitoring/prometheus (monitoring)\n';

describe('reach --cluster', () => {
  test('adds a representative pod for each declared service, so flows to and from them are proven', async () => {
    const file = write('cluster.yaml', CLUSTER);
    const r = await cli(['reach', '-f', '-', '--cluster', file, '--level', 'namespace'], SHOP);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(ADDED.replace('FILE', file));
    expect(r.stdout.split('\n').slice(1, 7)).toEqual([
      'from \\ to      ingress-nginx  kube-system     monitoring  shop      internet',
      'ingress-nginx  all            all             all         TCP 8080  all',
      'kube-system    all            all             all         none      all',
      'monitoring     all            all             all         TCP 9090  all',
      'shop           none           TCP 53, UDP 53  none        none      none',
      'internet       all            all             all         none      -',
    ]);
    const dns = await cli(['reach', '-q', '-f', '-', '--cluster', file, '--from', 'shop', '--to', 'kube-system/kube-dns', '--port', '53', '--protocol', 'UDP'], SHOP);
    expect(dns.code).toBe(0);
    expect(dns.stdout.split('\n').slice(0, 2)).toEqual(['allowed', 'shop/web can reach kube-system/kube-dns on UDP/53: 1 of 1 pod pair from shop to kube-system/kube-dns can.']);
    const without = await cli(['reach', '-f', '-', '--from', 'shop/web', '--to', 'kube-system/kube-dns', '--port', '53'], SHOP);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('--to: unknown namespace "kube-system" in "kube-system/kube-dns"');
  });

  test('the DNS pod has the dns and dns-tcp ports, so named ports resolve on it', async () => {
    const file = write('cluster.yaml', 'dns: { kubeDns: { namespaceName: dns, podLabels: { app: coredns } } }\n');
    const named = NS('shop') + POD('shop', 'web', '{ app: web }')
      + POLICY('shop', 'dns', '{ podSelector: {}, policyTypes: [Egress], egress: [{ ports: [{ port: dns, protocol: UDP }] }] }');
    const r = await cli(['reach', '-f', '-', '--cluster', file, '--from', 'shop/web', '--to', 'dns/coredns', '--port', '53', '--protocol', 'UDP'], named);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`namespace-guard: warning: added representative pods for the cluster services of ${file}: dns/coredns (dns)\n`);
  });

  test('a service whose pods are in the input adds nothing; a NodeLocal address alone adds no DNS pod', async () => {
    const file = write('cluster.yaml', CLUSTER);
    const real = SHOP + NS('ingress-nginx') + POD('ingress-nginx', 'controller', '{ app.kubernetes.io/name: ingress-nginx }');
    const r = await cli(['reach', '-f', '-', '--cluster', file, '--level', 'namespace'], real);
    expect(r.stderr).toBe(`namespace-guard: warning: added representative pods for the cluster services of ${file}: kube-system/kube-dns (dns), monitoring/prometheus (monitoring)\n`);
    const nodeLocal = write('node-local.yaml', 'dns: { nodeLocal: 169.254.20.10 }\n');
    const none = await cli(['reach', '-f', '-', '--cluster', nodeLocal, '--level', 'namespace'], SHOP);
    expect(none.stderr).toBe('');
    expect(none.stdout.split('\n')[1]).toBe('from \\ to  shop  internet');
  });

  test('a JSON cluster file reads the same', async () => {
    const file = write('cluster.json', JSON.stringify({ ingressController: [{ namespaceName: 'ingress-nginx' }], podCidrs: ['10.244.0.0/16'] }));
    const r = await cli(['reach', '-f', '-', '--cluster', file, '--from', 'ingress-nginx', '--to', 'shop/web', '--port', '8080'], SHOP);
    expect(r.code).toBe(0);
    // Without podLabels the service is every pod of its namespace: the representative pod is named after its role.
    expect(r.stdout.split('\n')[1]).toBe('ingress-nginx/ingress-controller can reach shop/web on TCP/8080: 1 of 1 pod pair from ingress-nginx to shop/web can.');
  });

  test('an address of the internet node inside a declared range is left out of it', async () => {
    const file = write('cluster.yaml', 'podCidrs: [198.41.0.0/16]\n');
    const r = await cli(['reach', '-f', '-', '--cluster', file, '--level', 'namespace'], SHOP);
    expect(r.stdout).toContain('internet: some public address (every address but the special-purpose ranges and the cluster\'s declared ranges), '
      + 'matched by ipBlock rules for the part they hold; no policy restricts it; --from/--to name the ranges\n');
    // An egress rule to the declared range reaches the cluster's pods there, not the internet.
    const egress = SHOP + POLICY('shop', 'to-range', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 198.41.0.0/16 } }] }] }');
    const verdict = await cli(['reach', '-f', '-', '-q', '--cluster', file, '--from', 'shop', '--to', 'internet', '--port', '443'], egress);
    expect(verdict.code).toBe(1);
  });
});

test('the example of the help is a valid cluster file', async () => {
  const help = (await cli(['reach', '--help'])).stdout;
  const example = help.slice(help.indexOf('naming the file and the field. Example:\n') + 'naming the file and the field. Example:\n'.length, help.indexOf('\n\nExit status'));
  expect(example).toBe(CLUSTER_FILE_EXAMPLE.split('\n').map(line => `  ${line}`).join('\n'));
  const file = write('example.yaml', example);
  const r = await cli(['reach', '-f', '-', '--cluster', file, '--level', 'namespace'], SHOP);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe(`namespace-guard: warning: added representative pods for the cluster services of ${file}: ingress-nginx/ingress-nginx (ingress-controller), `
    + 'kube-system/kube-dns (dns), monitoring/monitoring (monitoring)\n');
});

describe('a bad cluster file exits 2 naming the file and the field', () => {
  test.each([
    ['an unknown field', 'dns: {}\ncni: calico\n', 'cni: unknown field; a cluster file has dns, ingressController, monitoring, podCidrs, serviceCidrs, nodeCidrs, networkBackend'],
    ['an unknown network plugin', 'networkBackend: CALICO\n', 'networkBackend: "CALICO" is not one of kubernetes, calico, cilium (kubernetes: any plugin, when it is none of the others)'],
    ['an unknown nested field', 'dns: { kubeDns: { namespace: kube-system } }\n', 'dns.kubeDns.namespace: unknown field; dns.kubeDns has namespaceName, podLabels'],
    ['dns without either form', 'dns: {}\n', 'dns: declares neither kubeDns nor nodeLocal; give kubeDns: {} for the kube-dns defaults, or nodeLocal: <address>'],
    ['kubeDns left empty', 'dns:\n  kubeDns:\n', 'dns.kubeDns: must be a mapping ({} for the defaults), got null'],
    ['empty DNS labels', 'dns: { kubeDns: { podLabels: {} } }\n',
      'dns.kubeDns.podLabels: is empty, which would stand for every pod of the DNS namespace; give the DNS pods\' labels such as { k8s-app: kube-dns }'],
    ['a bad namespace name', 'ingressController: { namespaceName: Ingress_Nginx }\n', 'ingressController.namespaceName: "Ingress_Nginx" is not a namespace name: '],
    ['a service without its namespace', 'monitoring: [{ namespaceName: monitoring }, { podLabels: { app: x } }]\n',
      'monitoring[1].namespaceName: is required: the namespace the pods run in'],
    ['a label value that YAML reads as a boolean', 'monitoring: { namespaceName: m, podLabels: { scrape: yes } }\n',
      'monitoring.podLabels.scrape: must be a string (quote it: "true"), got boolean true'],
    ['a bad CIDR', 'podCidrs: [10.244.0.0/33]\n', 'podCidrs[0]: '],
    ['CIDRs not in a list', 'serviceCidrs: 10.96.0.0/12\n', 'serviceCidrs: must be a list of CIDRs such as [10.244.0.0/16], got "10.96.0.0/12"'],
    ['every address', 'nodeCidrs: [0.0.0.0/0]\n', 'nodeCidrs[0]: "0.0.0.0/0" is every address; give the cluster\'s own range, for example "10.244.0.0/16"'],
    ['a NodeLocal range', 'dns: { nodeLocal: 169.254.20.10/32 }\n', 'dns.nodeLocal: "169.254.20.10/32" is not an IP address; give the cache\'s address alone, for example 169.254.20.10'],
    ['not a mapping', '- dns\n', '(top level): must be a mapping, got a list'],
  ])('%s', async (_label, text, message) => {
    const file = write('cluster.yaml', text);
    const r = await cli(['reach', '-f', '-', '--cluster', file, '--level', 'namespace'], SHOP);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(`namespace-guard: --cluster ${file}: ${message}`)).toBe(true);
  });

  test.each([
    ['an empty file', '# nothing\n', 'the file is empty; declare at least one of dns, ingressController, monitoring, podCidrs, serviceCidrs, nodeCidrs'],
    ['two documents', 'dns: { kubeDns: {} }\n---\npodCidrs: [10.0.0.0/8]\n', 'holds 2 YAML documents; write the settings as one document'],
    ['invalid YAML', 'dns: { kubeDns: {\n', 'invalid YAML: '],
    ['a manifest', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n', 'holds a Kubernetes object (Namespace), not a cluster file; pass manifests with -f'],
  ])('%s', async (_label, text, message) => {
    const file = write('cluster.yaml', text);
    const r = await cli(['reach', '-f', '-', '--cluster', file], SHOP);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(`namespace-guard: --cluster ${file}: ${message}`)).toBe(true);
  });

  test('a missing file, named before any manifest is read', async () => {
    const r = await cli(['reach', '-f', '/nonexistent/manifests.yaml', '--cluster', '/nonexistent/cluster.yaml']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^namespace-guard: --cluster \/nonexistent\/cluster\.yaml: cannot read: ENOENT/) });
  });
});

// reach on manifests with namespaces in monitor mode: what the cluster lets through now, a warning
// that says so, and --as-enforced for what it will let through once they enforce.
import { cli } from './run-cli';

const NS = (name: string) => `---\napiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: { namespace-guard.dev/enforcement: monitor } }\n`;
const POD = (ns: string, name: string) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: ${ns}, labels: { app: ${name} } }\nspec: { containers: [{ name: c, image: i }] }\n`;
const POLICY = (kind: 'NetworkPolicy' | 'StagedKubernetesNetworkPolicy', ns: string, name: string, spec: string, annotations = '{}') => `---
apiVersion: ${kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'projectcalico.org/v3'}
kind: ${kind}
metadata: { name: ${name}, namespace: ${ns}, annotations: ${annotations} }
spec: ${spec}
`;
const DENY = '{ podSelector: {}, policyTypes: [Ingress, Egress] }';
// shop: monitored on a plain backend (intended deny + allow-all); calico: monitored on Calico (staged
// deny, staged egress to shop on TCP 80); shop admits calico on TCP 80 in its intended policies.
const INPUT = NS('shop') + NS('calico') + POD('shop', 'web') + POD('calico', 'client')
  + POLICY('NetworkPolicy', 'shop', 'default-deny', DENY)
  + POLICY('NetworkPolicy', 'shop', 'allow-from-calico', '{ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: calico } } }], ports: [{ port: 80 }] }] }')
  + POLICY('NetworkPolicy', 'shop', 'monitor-allow-all', '{ podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{}], egress: [{}] }', '{ namespace-guard.dev/monitor-only: "true" }')
  + POLICY('StagedKubernetesNetworkPolicy', 'calico', 'default-deny', DENY)
  + POLICY('StagedKubernetesNetworkPolicy', 'calico', 'allow-to-shop', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } } }], ports: [{ port: 80 }] }] }');

const INTERNET_NOTE = 'internet: some public address (every address but the special-purpose ranges), matched by ipBlock rules for the part they hold; no policy restricts it; --from/--to name the ranges';

const WARNING = 'namespace-guard: warning: the input has 1 monitor-only allow-all policy (which lets everything through) and 2 Calico staged '
  + 'policies (reported, not enforced): this is what the cluster lets through now; --as-enforced answers as it will be once monitor mode ends, '
  + 'so comparing the two shows what enforcement would block\n';

describe('reach with namespaces in monitor mode', () => {
  test('answers what the cluster lets through now, and warns that the policies say otherwise', async () => {
    expect(await cli(['reach', '-f', '-', '--level', 'namespace'], INPUT)).toEqual({
      code: 0,
      stdout: [
        'ports on which some pod of the row namespace can connect to some pod of the column namespace',
        'from \\ to  calico  shop  internet',
        'calico     all     all   all',
        'shop       all     all   all',
        'internet   all     all   -',
        INTERNET_NOTE,
        '',
      ].join('\n'),
      stderr: WARNING,
    });
    expect((await cli(['reach', '-q', '-f', '-', '--level', 'namespace'], INPUT)).stderr).toBe('');
  });

  test('--as-enforced answers as the cluster will be once they enforce, without the warning', async () => {
    expect(await cli(['reach', '-f', '-', '--level', 'namespace', '--as-enforced'], INPUT)).toEqual({
      code: 0,
      stdout: [
        'ports on which some pod of the row namespace can connect to some pod of the column namespace, as enforced (monitor-only policies '
        + 'left out, staged policies enforced)',
        // Once enforced, both deny the internet too.
        'from \\ to  calico  shop    internet',
        'calico     none    TCP 80  none',
        'shop       none    none    none',
        'internet   none    none    -',
        INTERNET_NOTE,
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('a verdict, JSON and the exposure table follow the flag', async () => {
    const now = await cli(['reach', '-q', '-f', '-', '--from', 'shop/web', '--to', 'calico/client', '--port', '80'], INPUT);
    expect(now.code).toBe(0);
    const enforced = await cli(['reach', '-f', '-', '--from', 'shop/web', '--to', 'calico/client', '--port', '80', '--as-enforced'], INPUT);
    expect(enforced.code).toBe(1);
    expect(enforced.stdout).toMatch(/^denied\n.*shop\/default-deny/s);
    const json = await cli(['reach', '-f', '-', '--level', 'namespace', '--port', '80', '--format', 'json', '--as-enforced'], INPUT);
    expect(json.stdout).toBe('{"level":"namespace","port":80,"protocol":"TCP","allowed":{"calico":{"calico":false,"internet":false,"shop":true},'
      + '"internet":{"calico":false,"shop":false},"shop":{"calico":false,"internet":false,"shop":false}}}\n');
    const exposure = await cli(['reach', '-f', '-', '--level', 'exposure', '--as-enforced'], INPUT);
    expect(exposure.stdout.split('\n')[0]).toBe('pods of the column namespace that some pod of the row namespace can reach on some port (reachable/all; - no pods), '
      + 'as enforced (monitor-only policies left out, staged policies enforced)');
  });

  test('input without monitor-only or staged policies gets no warning', async () => {
    const plain = NS('shop') + POD('shop', 'web') + POLICY('NetworkPolicy', 'shop', 'default-deny', DENY);
    expect((await cli(['reach', '-f', '-', '--level', 'namespace'], plain)).stderr).toBe('');
  });
});

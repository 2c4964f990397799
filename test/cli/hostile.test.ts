import { billionLaughs, BOMB, escape, expectBadInput } from './hostile-input';
import { cli, useScratchDir } from './run-cli';
import { NAMESPACE_YAML as NS } from '../helpers';

// Hostile input, the command run in this process (hostile.process.test.ts runs its own): every failure is bad input (exit 2) naming the file
// and document, never "unexpected error" with a stack trace, and nothing hangs.
jest.setTimeout(120_000);

const write = useScratchDir('hostile');

describe('an alias bomb is bad input naming the file and the document, for every command', () => {
  test.each([
    ['reach', (f: string) => ['reach', '-f', f, '--level', 'namespace']],
    ['pod-security', (f: string) => ['pod-security', '-f', f]],
    ['diff', (f: string) => ['diff', '--base', f, '--head', f]],
    ['evidence', (f: string) => ['evidence', '-f', f]],
  ])('%s', async (_, args) => {
    const file = write('bomb.yaml', `${NS('shop')}---\n${BOMB}`);
    expectBadInput(await cli(args(file)), new RegExp(`^namespace-guard: ${escape(file)} document 2: cannot read the YAML: too many aliases`));
  });

  test('admit --object and reach --cluster name the file too', async () => {
    const manifests = write('ns.yaml', NS('shop'));
    const object = write('object.yaml', BOMB);
    expectBadInput(await cli(['admit', '-f', manifests, '--object', object, '--operation', 'CREATE', '--user', 'u']),
      new RegExp(`^namespace-guard: ${escape(object)} document 1: cannot read the YAML: too many aliases`));
    const cluster = write('cluster.yaml', billionLaughs(''));
    expectBadInput(await cli(['reach', '-f', manifests, '--cluster', cluster]),
      new RegExp(`^namespace-guard: --cluster ${escape(cluster)}: cannot read the YAML: too many aliases`));
  });
});

describe('pod-security refuses wrongly typed fields that the API server would reject', () => {
  const POD = (spec: string) => 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: baseline}}\n'
    + `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n${spec}`;

  test.each([
    ['capabilities.add a string', '  containers:\n  - name: c\n    image: i\n    securityContext: {capabilities: {add: NET_ADMIN}}\n',
      'spec.containers[0].securityContext.capabilities.add: must be a list, not string "NET_ADMIN"'],
    ['containers a number', '  containers: 5\n', 'spec.containers: must be a list, not number 5'],
    ['a container a string', '  containers: [c]\n', 'spec.containers[0]: must be a mapping, not string "c"'],
    ['hostNetwork a string', '  hostNetwork: "yes"\n  containers: [{name: c, image: i}]\n', 'spec.hostNetwork: must be true or false, not string "yes"'],
    ['runAsUser a fraction', '  securityContext: {runAsUser: 0.5}\n  containers: [{name: c, image: i}]\n', 'spec.securityContext.runAsUser: must be an integer, not number 0.5'],
    ['a volume source a string', '  volumes: [{name: v, hostPath: /etc}]\n  containers: [{name: c, image: i}]\n', 'spec.volumes[0].hostPath: must be a mapping, not string "/etc"'],
  ])('%s: exit 2 naming the file, the document and the field, for pod-security, check and admit', async (_, spec, problem) => {
    const file = write('pod.yaml', POD(spec));
    const message = new RegExp(`^namespace-guard: ${escape(file)} document 2: Pod shop/p: ${escape(problem)} \\(the API server rejects the object\\)\n`);
    expectBadInput(await cli(['pod-security', '-f', file]), message);
    expectBadInput(await cli(['check', '-f', file]), message);
    expectBadInput(await cli(['admit', '-f', file, '--object', file, '--operation', 'CREATE', '--user', 'u']), message);
  });

  test('null is unset, as the API server reads it', async () => {
    const file = write('pod.yaml', POD('  hostNetwork: null\n  containers:\n  - name: c\n    image: i\n    securityContext: {privileged: null, capabilities: {add: null}}\n'));
    expect((await cli(['pod-security', '-f', file])).code).toBe(0);
  });
});

// The schemas of our own (test/schemas/) validate what they claim to, and kinds without any schema
// are still refused.
import * as fs from 'fs';
import * as path from 'path';
import { schemaProblems } from './schema';

const staged = (spec: object, metadata: object = { name: 'allow-dns', namespace: 'shop' }) =>
  ({ apiVersion: 'projectcalico.org/v3', kind: 'StagedKubernetesNetworkPolicy', metadata, spec });

describe('Calico StagedKubernetesNetworkPolicy', () => {
  test('a NetworkPolicy spec is valid, with every peer and port form', () => {
    expect(schemaProblems(staged({
      podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'lb' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 'http' }] }],
      egress: [{ to: [{ podSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 8000, endPort: 8080 }] }, {}],
    }))).toEqual([]);
    expect(schemaProblems(staged({ stagedAction: 'Set', podSelector: {} }))).toEqual([]);
  });

  test.each([
    ['an unknown spec field', staged({ podSelector: {}, egres: [] }), '/spec must NOT have additional properties (egres)'],
    ['a protocol NetworkPolicy has not', staged({ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }), '/spec/ingress/0/ports/0/protocol must be equal to one of the allowed values'],
    ['port 0', staged({ podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] }), '/spec/ingress/0/ports/0/port must be >= 1'],
    ['an ipBlock with a selector in one peer', staged({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }), '/spec/ingress/0/from/0 must NOT be valid'],
    ['an empty peer', staged({ podSelector: {}, egress: [{ to: [{}] }] }), '/spec/egress/0/to/0 must NOT have fewer than 1 properties'],
    ['a policy type of another API', staged({ podSelector: {}, policyTypes: ['Ingress', 'Admin'] }), '/spec/policyTypes/1 must be equal to one of the allowed values'],
    ['an unknown staged action', staged({ stagedAction: 'Apply' }), '/spec/stagedAction must be equal to one of the allowed values'],
    ['no namespace (it is a namespaced kind)', staged({ podSelector: {} }, { name: 'x' }), "/metadata must have required property 'namespace'"],
  ])('refuses %s', (_what, obj, problem) => {
    expect(schemaProblems(obj)).toContain(`StagedKubernetesNetworkPolicy/${(obj.metadata as any).namespace ?? ''}/${(obj.metadata as any).name}: ${problem}`);
  });

  test('every schema of our own names its source', () => {
    const dir = path.join(__dirname, 'schemas');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['calico-v3.json', 'network-policy-api-v1alpha1.json', 'network-policy-api-v1alpha2.json']));
    for (const f of files) expect(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).$comment).toMatch(/ from .*\/|shared by the .* schemas/);
  });
});

test('built-in kinds still validate against kubernetes-models, and a kind without a schema is refused', () => {
  const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec: { podSelector: {} } };
  expect(schemaProblems(policy)).toEqual([]);
  expect(schemaProblems({ ...policy, spec: { podSelector: {}, policyTypes: 'Ingress' } })).not.toEqual([]);
  expect(schemaProblems({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p' } })).toEqual(['no schema for cilium.io/v2 CiliumNetworkPolicy']);
});

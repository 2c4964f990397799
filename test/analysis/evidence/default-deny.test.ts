// Default deny as the cluster enforces it: the evidence for CIS 5.3.2 and the guide's default deny is
// read from the reachability analysis over the whole input, so whatever reopens a namespace beside
// its default-deny policy fails them, naming the object.
import { Testing } from 'cdk8s';
import { multiTenantChart } from '../../../examples/multi-tenant';
import { securityZonesChart } from '../../../examples/security-zones';
import { collectEvidence, ControlResult } from '../../../src/analysis/evidence';
import { ClusterModel } from '../../../src/model/cluster-model';
import { ClusterNetwork } from '../../../src/model/cluster-network';

type Obj = Record<string, any>;

function synth(build: (app: any) => unknown): Obj[] {
  const app = Testing.app();
  build(app);
  return app.charts.flatMap(c => Testing.synth(c));
}

const MULTI_TENANT = synth(multiTenantChart);
const CONTROLS = ['CIS-5.3.2', 'NSA-CISA-NET-DEFAULT-DENY'];

function results(objects: Obj[], namespace = 'customer1', network?: ClusterNetwork): Record<string, ControlResult> {
  const model = network
    ? ClusterModel.fromManifests(ClusterModel.fromObjects(objects).objects.map(o => o.manifest), network)
    : ClusterModel.fromObjects(objects);
  const [result] = collectEvidence(model, [namespace]);
  return Object.fromEntries(result.controls.filter(c => CONTROLS.includes(c.control.id)).map(c => [c.control.id, c.result]));
}

const netpol = (name: string, spec: Obj, namespace = 'customer1'): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });

describe('the default-deny controls read what the cluster enforces', () => {
  test('the example\'s customers pass, with their default-deny policy as the proof', () => {
    for (const [id, r] of Object.entries(results(MULTI_TENANT))) {
      expect([id, r.status]).toEqual([id, 'pass']);
      expect(r.evidence).toEqual(['NetworkPolicy customer1/default-deny']);
      expect(r.reason).toContain('nothing in the input reopens it');
    }
  });

  test('an allow-all NetworkPolicy beside the default deny fails both controls, naming the policy', () => {
    const r = results([...MULTI_TENANT, netpol('allow-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] })]);
    for (const id of CONTROLS) {
      expect(r[id].status).toBe('fail');
      expect(r[id].evidence).toContain('NetworkPolicy customer1/allow-all');
      expect(r[id].reason).toContain('a pod of a namespace no policy names can reach customer1/');
      expect(r[id].reason).toContain('customer1/allow-all ingress[0]');
      expect(r[id].reason).toMatch(/the internet can reach customer1\/\w+ on every port \(customer1\/allow-all ingress\[0\]\)/);
    }
  });

  test('a rule open to every namespace on one port reopens it too', () => {
    const r = results([...MULTI_TENANT, netpol('debug', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 22 }] }] })]);
    expect(r['CIS-5.3.2'].status).toBe('fail');
    expect(r['CIS-5.3.2'].reason).toMatch(/a pod of a namespace no policy names can reach customer1\/backend on TCP 22 \(customer1\/debug ingress\[0\]\)/);
  });

  test('an Admin tier policy that accepts everything counts: the tiers come before the NetworkPolicies', () => {
    const accept = {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'open-all' },
      spec: { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ name: 'everyone', action: 'Accept', from: [{ namespaces: {} }] }] },
    };
    const r = results([...MULTI_TENANT, accept]);
    expect(r['NSA-CISA-NET-DEFAULT-DENY'].status).toBe('fail');
    expect(r['NSA-CISA-NET-DEFAULT-DENY'].evidence).toContain('ClusterNetworkPolicy open-all');
    expect(r['NSA-CISA-NET-DEFAULT-DENY'].reason).toContain('ClusterNetworkPolicy open-all rule everyone (priority 1)');
  });

  test('a workload on the host network fails: NetworkPolicies do not cover it', () => {
    const objects = structuredClone(MULTI_TENANT);
    objects.find(o => o.kind === 'Deployment' && o.metadata.namespace === 'customer1' && o.metadata.name === 'backend')!.spec.template.spec.hostNetwork = true;
    const r = results(objects);
    expect(r['CIS-5.3.2'].status).toBe('fail');
    expect(r['CIS-5.3.2'].evidence).toContain('Deployment customer1/backend');
    expect(r['CIS-5.3.2'].reason).toContain('Deployment customer1/backend runs on the host network');
  });

  test('an ipBlock of the private ranges reopens it where the plugin matches pod addresses: not a pass on an undeclared plugin', () => {
    const office = netpol('office', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 8080 }] }] });
    const r = results([...MULTI_TENANT, office]);
    expect(r['CIS-5.3.2'].status).toBe('fail');
    expect(r['CIS-5.3.2'].reason).toContain('where the network plugin matches ipBlocks against pod addresses');
    // Cilium never matches ipBlocks against the cluster's pods: the office range is then outside the cluster only.
    const cilium = results([...MULTI_TENANT, office], 'customer1', ClusterNetwork.of({ networkBackend: 'cilium' }));
    expect(cilium['CIS-5.3.2'].status).toBe('pass');
    // On Calico with pods in 10.244.0.0/16, the block holds them.
    const calico = results([...MULTI_TENANT, office], 'customer1', ClusterNetwork.of({ networkBackend: 'calico', podCidrs: ['10.244.0.0/16'] }));
    expect(calico['CIS-5.3.2'].status).toBe('fail');
    expect(calico['CIS-5.3.2'].reason).not.toContain('where the network plugin');
  });

  test('every port of the internet reopens it; a declared port of it does not', () => {
    const everyPort = netpol('public', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] } }] }] });
    const r = results([...MULTI_TENANT, everyPort], 'customer1', ClusterNetwork.of({ networkBackend: 'calico', podCidrs: ['10.244.0.0/16'] }));
    expect(r['CIS-5.3.2'].status).toBe('fail');
    expect(r['CIS-5.3.2'].reason).toContain('the internet can reach customer1/');
    const onePort = netpol('public', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] } }], ports: [{ port: 443 }] }] });
    expect(results([...MULTI_TENANT, onePort], 'customer1', ClusterNetwork.of({ networkBackend: 'calico', podCidrs: ['10.244.0.0/16'] }))['CIS-5.3.2'].status).toBe('pass');
  });

  test('an operations zone\'s declared egress to every namespace on its ports is its posture, named in the reason', () => {
    const zones = synth(securityZonesChart);
    const ops = zones.find(o => o.kind === 'Namespace' && o.metadata.labels['namespace-guard.dev/exposure'] === 'operations')!.metadata.name;
    const r = results(zones, ops);
    expect(r['CIS-5.3.2'].status).toBe('pass');
    expect(r['CIS-5.3.2'].reason).toContain('the operations posture\'s declared egress to every namespace on named ports');
  });
});

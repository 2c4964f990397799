// Random unsafe injections into a tenant that reach reveals never leave the corresponding evidence
// control passing: a policy (or an Admin tier rule, or a host-network workload) that opens the tenant
// to a namespace no policy names, to every port of the internet, or to the other tenant.
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { multiTenantChart } from '../../../examples/multi-tenant';
import { collectEvidence } from '../../../src/analysis/evidence';
import { NEW_NAMESPACE, PortSet, ReachabilityModel } from '../../../src/analysis/reachability';
import { ClusterModel } from '../../../src/model/cluster-model';

type Obj = Record<string, any>;

const app = Testing.app();
multiTenantChart(app);
const EXAMPLE: Obj[] = app.charts.flatMap(c => Testing.synth(c));

const peer = fc.constantFrom<Obj | undefined>(
  undefined,
  { namespaceSelector: {} },
  { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['customer1'] }] } },
  { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer2' } } },
  { namespaceSelector: { matchLabels: { 'namespace-guard.dev/profile': 'tenant' } } },
  { ipBlock: { cidr: '0.0.0.0/0' } },
  { ipBlock: { cidr: '10.0.0.0/8' } },
  { ipBlock: { cidr: '52.0.0.0/8' } },
  { podSelector: {} },
);
const ports = fc.constantFrom<Obj[] | undefined>(undefined, [{ port: 22 }], [{ protocol: 'TCP' }], [{ port: 5432 }, { port: 53, protocol: 'UDP' }]);

/** A policy of customer1 with one rule of a random direction, peer and ports. */
const injectedPolicy = fc.record({
  direction: fc.constantFrom('ingress', 'egress'),
  selector: fc.constantFrom<Obj>({}, { matchLabels: { app: 'backend' } }, { matchLabels: { app: 'nothing-yet' } }),
  peer,
  ports,
}).map(({ direction, selector, peer: p, ports: q }) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'injected', namespace: 'customer1' },
  spec: {
    podSelector: selector,
    policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'],
    [direction]: [{ ...(p ? { [direction === 'ingress' ? 'from' : 'to']: [p] } : {}), ...(q ? { ports: q } : {}) }],
  },
}));

/** An Admin tier rule that accepts traffic of customer1's pods from every namespace or every address. */
const adminAccept = fc.constantFrom<Obj>({ namespaces: {} }, { networks: ['0.0.0.0/0'] }).map(from => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'injected' },
  spec: {
    tier: 'Admin',
    priority: 1,
    subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'customer1' } } },
    ...('networks' in from ? { egress: [{ name: 'out', action: 'Accept', to: [from] }] } : { ingress: [{ name: 'in', action: 'Accept', from: [from] }] }),
  },
}));

/** customer2 opening its side in the opposite direction: what a flow between two tenants needs. */
const counterpart = (policy: Obj): Obj => {
  const ingress = policy.spec.policyTypes[0] === 'Ingress';
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'counterpart', namespace: 'customer2' },
    spec: { podSelector: {}, policyTypes: [ingress ? 'Egress' : 'Ingress'], [ingress ? 'egress' : 'ingress']: [{}] },
  };
};

type Injection = { kind: 'policy'; object: Obj } | { kind: 'pair'; objects: Obj[] } | { kind: 'admin'; object: Obj } | { kind: 'host-network' };
const injection: fc.Arbitrary<Injection> = fc.oneof(
  { weight: 4, arbitrary: injectedPolicy.map(object => ({ kind: 'policy' as const, object })) },
  { weight: 3, arbitrary: injectedPolicy.map(object => ({ kind: 'pair' as const, objects: [object, counterpart(object)] })) },
  { weight: 2, arbitrary: adminAccept.map(object => ({ kind: 'admin' as const, object })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'host-network' as const }) },
);

function inject(i: Injection): Obj[] {
  const objects = structuredClone(EXAMPLE);
  if (i.kind === 'host-network') {
    objects.find(o => o.kind === 'Deployment' && o.metadata.namespace === 'customer1' && o.metadata.name === 'backend')!.spec.template.spec.hostNetwork = true;
    return objects;
  }
  return [...objects, ...(i.kind === 'pair' ? i.objects : [i.object])];
}

/** What reach reveals about customer1: open to strangers or to every port of the internet, or to the other tenant. */
function revealed(model: ReachabilityModel): { reopened: boolean; crossTenant: boolean } {
  const answers = [model, ...(model.whereIpBlocksMatchPods ? [model.whereIpBlocksMatchPods] : [])];
  const own = model.namespaces.find(n => n.name === 'customer1')!.units;
  const open = (m: ReachabilityModel, others: readonly typeof own[number][]) =>
    own.some(u => others.some(o => !m.unitPorts(o, u).isEmpty || !m.unitPorts(u, o).isEmpty));
  const stranger = model.namespaces.find(n => n.name === NEW_NAMESPACE)!.units;
  const internet = model.internet!.units;
  const everyPort = (m: ReachabilityModel) => own.some(u => internet.some(o => m.unitPorts(o, u).isAll || m.unitPorts(u, o).isAll));
  const customer2 = model.namespaces.find(n => n.name === 'customer2')!.units;
  const dns = PortSet.range('UDP', 53).union(PortSet.range('TCP', 53));
  const beyondDns = (allowed: PortSet) => !allowed.subtract(dns).isEmpty;
  const tenantOpen = (m: ReachabilityModel) => own.some(u => customer2.some(o => beyondDns(m.unitPorts(o, u)) || beyondDns(m.unitPorts(u, o))));
  return {
    reopened: own.some(u => u.hostNetwork === true) || answers.some(m => open(m, stranger) || everyPort(m)),
    crossTenant: answers.some(tenantOpen),
  };
}

describe('unsafe injections that reach reveals never leave the evidence passing', () => {
  test('default deny fails when a tenant is reopened; tenant isolation fails when the other tenant can connect', () => {
    fc.assert(fc.property(injection, i => {
      const objects = inject(i);
      const cluster = ClusterModel.fromObjects(objects);
      const reach = ReachabilityModel.fromCluster(cluster, { internet: true, anticipate: true });
      const { reopened, crossTenant } = revealed(reach);
      const [evidence] = collectEvidence(cluster, ['customer1']);
      const status = (id: string) => evidence.controls.find(c => c.control.id === id)!.result.status;
      if (reopened) {
        expect([JSON.stringify(i), status('CIS-5.3.2')]).toEqual([JSON.stringify(i), 'fail']);
        expect(status('NSA-CISA-NET-DEFAULT-DENY')).toBe('fail');
      }
      if (crossTenant) expect([JSON.stringify(i), status('MTB-PL1-BC-NI-1')]).toEqual([JSON.stringify(i), 'fail']);
    }), { numRuns: 150 });
  });

  test('the example itself passes all three: nothing is revealed', () => {
    const cluster = ClusterModel.fromObjects(EXAMPLE);
    expect(revealed(ReachabilityModel.fromCluster(cluster, { internet: true, anticipate: true }))).toEqual({ reopened: false, crossTenant: false });
    const [evidence] = collectEvidence(cluster, ['customer1']);
    for (const id of ['CIS-5.3.2', 'NSA-CISA-NET-DEFAULT-DENY', 'MTB-PL1-BC-NI-1']) {
      expect([id, evidence.controls.find(c => c.control.id === id)!.result.status]).toEqual([id, 'pass']);
    }
  });
});

// The examples' own workloads, Services, Ingresses and Secrets, created by the admins of their
// namespaces, pass the guardrails and Pod Security admission: the guardrails stop attacks, not work.
import { App, Chart, Testing } from 'cdk8s';
import { guardrailsChart } from '../../examples/guardrails';
import { multiTenantChart } from '../../examples/multi-tenant';
import { securityZonesChart } from '../../examples/security-zones';
import { teamsChart } from '../../examples/teams';
import { AdmissionSimulator, completeUserInfo, UserInfo } from '../../src/analysis/admission';
import { KubeObject, toManifests } from '../../src/model/manifests';
import { MANAGED_BY_LABEL } from '../../src/model/vocabulary';
import { expectValidManifests } from '../schema';

const SCENARIOS: Array<[string, (app: App) => Chart]> = [
  ['multi-tenant', multiTenantChart],
  ['teams', teamsChart],
  ['security-zones', securityZonesChart],
];

/** The admin of a namespace, as the bundle's admin RoleBinding names it. */
function adminOf(objects: any[], namespace: string): UserInfo {
  const binding = objects.find(o => o.kind === 'RoleBinding' && o.metadata?.namespace === namespace && o.metadata?.name === 'namespace-guard-admin') as any;
  const subject = binding?.subjects?.find((s: any) => s.kind === 'Group' || s.kind === 'User');
  if (!subject) throw new Error(`namespace ${namespace} has no admin in the example`);
  return subject.kind === 'Group' ? completeUserInfo(`an-admin-of-${namespace}`, [subject.name]) : completeUserInfo(subject.name);
}

describe.each(SCENARIOS)('the %s example with the guardrails', (_, build) => {
  const app = Testing.app();
  build(app);
  guardrailsChart(app);
  const objects = app.charts.flatMap(c => Testing.synth(c)) as any[];
  const simulator = AdmissionSimulator.fromManifests(objects.flatMap((o, i) => toManifests(o, 'synthesis', i + 1)));
  const own: KubeObject[] = objects.filter(o => o.metadata?.namespace !== undefined && o.metadata?.labels?.[MANAGED_BY_LABEL] === undefined);

  test('is schema-valid and has workloads of its own', () => {
    expectValidManifests(objects);
    expect(own.filter(o => o.kind === 'Deployment').length).toBeGreaterThan(0);
  });

  test('each of its own objects is admitted when its namespace\'s admin creates it, without a warning', () => {
    const results = own.map(o => simulator.admit({ operation: 'CREATE', object: o, oldObject: null, userInfo: adminOf(objects, String(o.metadata!.namespace)) }));
    const refused = results.filter(r => !r.allowed || r.warnings.length > 0);
    expect(refused).toEqual([]);
    expect(results.length).toBe(own.length);
  });

  test('each of its own objects is admitted when the GitOps controller applies it: judged like a tenant\'s, and compliant', () => {
    const gitops = completeUserInfo('system:serviceaccount:argocd:argocd-application-controller');
    const refused = own.map(o => simulator.admit({ operation: 'CREATE', object: o, oldObject: null, userInfo: gitops }))
      .filter(r => !r.allowed || r.warnings.length > 0);
    expect(refused).toEqual([]);
  });

  test('the same objects, created by a stranger to the namespace with a host claimed elsewhere, meet the guardrails', () => {
    const ingresses = own.filter(o => o.kind === 'Ingress');
    for (const ingress of ingresses) {
      const hijack = JSON.parse(JSON.stringify(ingress));
      hijack.metadata.namespace = own.find(o => o.metadata!.namespace !== ingress.metadata!.namespace)?.metadata?.namespace ?? 'elsewhere';
      const result = simulator.admit({ operation: 'CREATE', object: hijack, oldObject: null, userInfo: adminOf(objects, hijack.metadata.namespace) });
      expect(result.denials.map(d => d.policy)).toContain('namespace-guard-ingress-hosts');
    }
  });
});

test('the examples cover workloads, Services, Ingresses and Secrets', () => {
  const kinds = new Set<string>();
  for (const [, build] of SCENARIOS) {
    const app = Testing.app();
    build(app);
    for (const o of app.charts.flatMap(c => Testing.synth(c)) as any[]) {
      if (o.metadata?.labels?.[MANAGED_BY_LABEL] === undefined && o.metadata?.namespace) kinds.add(o.kind);
    }
  }
  expect([...kinds].sort()).toEqual(expect.arrayContaining(['Deployment', 'Ingress', 'Secret', 'Service']));
});

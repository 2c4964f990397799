// The ingress-annotations guardrail (CEL, run by the admission simulator as the API server would)
// refuses exactly what the `check` rule's reference function refuses, for any annotations and any
// allowance: the admission and synth-time answers never disagree.
import * as fc from 'fast-check';
import { Enforcement } from '../../src';
import { AdmissionSimulator, completeUserInfo } from '../../src/analysis/admission';
import { guardrailPolicies } from '../../src/guardrails/guardrail-policies';
import { INGRESS_NGINX_ANNOTATIONS, INGRESS_NGINX_PREFIX, IngressAnnotationAllowance, NginxAnnotationRisk, refusedIngressAnnotations } from '../../src/model/ingress-annotations';
import { KubeObject, toManifests } from '../../src/model/manifests';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../src/model/vocabulary';

const NAMESPACE: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'customer1', labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } } };
const RISKS: NginxAnnotationRisk[] = ['Low', 'Medium', 'High', 'Critical'];
const simulators = new Map<string, AdmissionSimulator>();

function simulatorFor(allowance: IngressAnnotationAllowance): AdmissionSimulator {
  const key = JSON.stringify(allowance);
  let simulator = simulators.get(key);
  if (!simulator) {
    const policy = guardrailPolicies({
      platformAdmins: [],
      enforcement: Enforcement.ENFORCE,
      ingressAnnotations: allowance,
      priorityClasses: [],
      declaredSubjects: new Map(),
      podCidrs: [],
      clusterCidrs: [],
    }).find(p => (p.policy.metadata as { name: string }).name === 'namespace-guard-ingress-annotations')!;
    const objects = [NAMESPACE, policy.policy, ...policy.bindings] as KubeObject[];
    simulator = AdmissionSimulator.fromManifests(objects.flatMap((o, i) => toManifests(o, 'parity', i + 1)));
    simulators.set(key, simulator);
  }
  return simulator;
}

const names = INGRESS_NGINX_ANNOTATIONS.map(a => a.name);
const key = fc.oneof(
  fc.constantFrom(...names).map(n => `${INGRESS_NGINX_PREFIX}${n}`),
  fc.constantFrom('no-such-annotation', 'Server-Alias', '').map(n => `${INGRESS_NGINX_PREFIX}${n}`),
  fc.constantFrom('cert-manager.io/cluster-issuer', 'kubernetes.io/ingress.class', 'nginx.ingress.kubernetes.io'),
);
const value = fc.oneof(fc.constantFrom('basic-auth', 'customer1/basic-auth', 'customer2/basic-auth', '/x', 'customer1', 'customer1x/y', 'a/b/c', ''), fc.string());
const allowance = fc.record({
  prefix: fc.constant(INGRESS_NGINX_PREFIX),
  maxRisk: fc.constantFrom(...RISKS),
  allowed: fc.uniqueArray(fc.constantFrom(...names.slice(0, 40)).map(n => `${INGRESS_NGINX_PREFIX}${n}`), { maxLength: 4 }),
});

test('the guardrail and the reference function refuse the same annotations', () => {
  fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 5 }), allowance, (annotations, allow) => {
    const refused = refusedIngressAnnotations(annotations, 'customer1', allow).map(r => r.key).sort();
    const ingress: KubeObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'customer1', annotations }, spec: { rules: [{ host: 'a.example.com' }] },
    };
    const result = simulatorFor(allow).admit({ operation: 'CREATE', object: ingress, oldObject: null, userInfo: completeUserInfo('mallory') });
    expect(result.notChecked).toEqual([]);
    expect(result.allowed).toBe(refused.length === 0);
    for (const k of refused) expect(result.denials[0].message).toContain(k);
  }), { numRuns: 300 });
});

// The multi-tenant example's objects, for evidence tests that change one tenant as a hostile tenant
// (or a careless platform) would.
import { Testing } from 'cdk8s';
import { multiTenantChart } from '../../../examples/multi-tenant';
import { collectEvidence, ControlResult } from '../../../src/analysis/evidence';
import { ClusterModel } from '../../../src/model/cluster-model';

export type Obj = Record<string, any>;

export function synth(build: (app: any) => unknown): Obj[] {
  const app = Testing.app();
  build(app);
  return app.charts.flatMap(c => Testing.synth(c));
}

export const MULTI_TENANT = synth(multiTenantChart);

/** The example's objects of one customer (its Namespace and everything in it), a fresh copy. */
export function customer(name = 'customer1'): Obj[] {
  return structuredClone(MULTI_TENANT.filter(o => o.metadata.namespace === name || (o.kind === 'Namespace' && o.metadata.name === name)));
}

/** Every control's result for one namespace of the objects, by id. */
export function evidenceOf(objects: Obj[], namespace = 'customer1'): Record<string, ControlResult> {
  const [result] = collectEvidence(ClusterModel.fromObjects(objects), [namespace]);
  return Object.fromEntries(result.controls.map(c => [c.control.id, c.result]));
}

export const rawPod = (name: string, spec: Obj, namespace = 'customer1'): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec });

/** A pod spec that passes Pod Security restricted, but for what `container` is given. */
export const HARDENED = {
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
};

export const container = (extra: Obj = {}): Obj => ({
  name: 'app',
  image: 'app:1',
  ...extra,
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, ...(extra.securityContext ?? {}) },
});

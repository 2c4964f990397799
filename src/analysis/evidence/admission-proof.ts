// Whether the admission policies of the input take back a write that a tenant's RBAC allows. RBAC
// says who may ask; a ValidatingAdmissionPolicy that denies the request still stops it. So a grant
// is neutralised only when the simulator, run on the policies and bindings of the input, denies
// every request the grant lets the tenant make on the namespace's objects: proof, not the
// presence of a policy. Without any ValidatingAdmissionPolicy in the input nothing is simulated.
import { listText, ref } from './refs';
import { ControlContext } from './types';
import { ClusterModel, ModelObject } from '../../model/cluster-model';
import { KubeObject } from '../../model/manifests';
import { apiGroupOf } from '../../model/vocabulary';
import { groupBy } from '../../private/collections';
import { compareText } from '../../private/json';
import { AdmissionRequest, AdmissionResult, AdmissionSimulator, completeUserInfo, UserInfo } from '../admission';

/** The verbs a grant gives on one resource. */
export interface WriteAccess {
  readonly group: string;
  readonly resource: string;
  readonly verbs: readonly string[];
  /** Undefined: every object of the resource; else only these (such a grant creates nothing). */
  readonly names?: readonly string[];
}

/** What admission says about every request a tenant could make with some write access. */
export interface AdmissionVerdict {
  /** True when at least one request was tried and every one was denied. */
  readonly denied: boolean;
  /** `ValidatingAdmissionPolicy x (binding y)` for each policy and binding that denied, sorted. */
  readonly deniedBy: readonly string[];
  /** The policies and bindings that denied, as `Kind name`. */
  readonly evidence: readonly string[];
  /** How many requests were tried. */
  readonly requests: number;
  /** Why the verdict is not a denial: the first request admitted, or that there was nothing to try. */
  readonly admitted?: string;
}

const RBAC_VERSION = 'rbac.authorization.k8s.io/v1';

interface ProtectedKind {
  readonly apiVersion: string;
  readonly kind: string;
  /**
   * New objects whose creation the controls care about, in the namespace. Others have none: a new
   * ResourceQuota or LimitRange only adds limits (they all apply), and a new Role grants nothing
   * until a RoleBinding names it, which is the RoleBinding's creation.
   */
  readonly creations?: (namespace: string) => KubeObject[];
}

// A NetworkPolicy that admits everything: policies add up, so any new one can open the namespace.
const allowAll = (namespace: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-all', namespace },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
});

// RoleBindings that hand the namespace to someone outside its tenants: every authenticated user,
// and a service account of another namespace (what a tenant may bind inside is its own business).
const bindingTo = (namespace: string, name: string, subject: Record<string, string>): KubeObject => ({
  apiVersion: RBAC_VERSION,
  kind: 'RoleBinding',
  metadata: { name, namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  subjects: [subject],
});

const PROTECTED: ReadonlyMap<string, ProtectedKind> = new Map([
  ['/resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota' }],
  ['/limitranges', { apiVersion: 'v1', kind: 'LimitRange' }],
  ['networking.k8s.io/networkpolicies', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', creations: (ns: string) => [allowAll(ns)] }],
  ['rbac.authorization.k8s.io/roles', { apiVersion: RBAC_VERSION, kind: 'Role' }],
  ['rbac.authorization.k8s.io/rolebindings', {
    apiVersion: RBAC_VERSION,
    kind: 'RoleBinding',
    creations: (ns: string) => [
      bindingTo(ns, 'everyone', { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }),
      bindingTo(ns, 'outsider', { kind: 'ServiceAccount', name: 'default', namespace: ns === 'default' ? 'kube-public' : 'default' }),
    ],
  }],
]);

// The marker a probe update adds: a change the API server stores, as `kubectl annotate` would make.
const PROBE_ANNOTATION = 'evidence.namespace-guard.dev/probe';

interface ModelAdmission {
  readonly simulator?: AdmissionSimulator;
  /** Why the policies of the input cannot be simulated. */
  readonly error?: string;
  readonly results: Map<string, AdmissionResult | string>;
  /** The objects of each namespace, found once: every grant of every namespace looks them up. */
  byNamespace?: Map<string, ModelObject[]>;
}

const byModel = new WeakMap<ClusterModel, ModelAdmission | null>();

/** The simulator of the input's policies; null when the input has no ValidatingAdmissionPolicy (nothing to simulate). */
function admissionOf(model: ClusterModel): ModelAdmission | null {
  let found = byModel.get(model);
  if (found !== undefined) return found;
  found = null;
  if (model.objects.some(o => o.kind === 'ValidatingAdmissionPolicy' && apiGroupOf(o.apiVersion) === 'admissionregistration.k8s.io')) {
    try {
      found = { simulator: AdmissionSimulator.fromManifests(model.objects.map(o => o.manifest)), results: new Map() };
    } catch (e) {
      found = { error: e instanceof Error ? e.message : String(e), results: new Map() };
    }
  }
  byModel.set(model, found);
  return found;
}

/** Whether the input holds admission policies to simulate (the RBAC controls skip the simulator otherwise). */
export function hasAdmissionPolicies(model: ClusterModel): boolean {
  return admissionOf(model) !== null;
}

/**
 * The user a tenant subject (`Group/x`, `User/x`, `ServiceAccount/ns/name`) acts as, with the groups
 * the API server would add. A group stands for a member who has that group only.
 */
export function tenantUser(tenant: string, namespace: string): UserInfo {
  const kind = tenant.slice(0, tenant.indexOf('/'));
  // User and group names may contain slashes; service account keys are `ServiceAccount/ns/name`.
  const first = tenant.slice(kind.length + 1);
  if (kind === 'ServiceAccount') return completeUserInfo(`system:serviceaccount:${first.replace('/', ':')}`);
  if (kind === 'User') return completeUserInfo(first);
  if (first === 'system:unauthenticated' || first === 'system:anonymous') return completeUserInfo('system:anonymous', [first]);
  if (first === 'system:serviceaccounts' || first.startsWith('system:serviceaccounts:')) {
    const ns = first === 'system:serviceaccounts' ? namespace : first.slice('system:serviceaccounts:'.length);
    return completeUserInfo(`system:serviceaccount:${ns}:default`, [first]);
  }
  return completeUserInfo(`member-of-${first}`, [first]);
}

interface Probe {
  readonly request: Omit<AdmissionRequest, 'userInfo'>;
  /** `UPDATE of Role ns/x`, `CREATE of a NetworkPolicy that allows everything`. */
  readonly text: string;
}

/**
 * The requests a tenant with `access` could make in namespace `ns`: update/patch (UPDATE, adding an
 * annotation) and delete/deletecollection (DELETE, one per object) of each object of the resource
 * in the input (those it names, when it names some), and create (CREATE) of the new objects the
 * resource's controls care about.
 */
function probesOf(context: ControlContext, admission: ModelAdmission, access: WriteAccess, ns: string): Probe[] {
  const kind = PROTECTED.get(`${access.group}/${access.resource}`);
  if (!kind) return [];
  admission.byNamespace ??= groupBy(context.model.objects.filter(o => o.namespace !== undefined), o => o.namespace!);
  const existing = (admission.byNamespace.get(ns) ?? [])
    .filter(o => o.kind === kind.kind && apiGroupOf(o.apiVersion) === access.group && (access.names === undefined || access.names.includes(o.name)));
  const probes: Probe[] = [];
  const has = (...verbs: string[]) => verbs.some(v => access.verbs.includes(v));
  if (has('create')) {
    for (const object of kind.creations?.(ns) ?? []) {
      probes.push({ request: { operation: 'CREATE', object, oldObject: null }, text: `CREATE of ${createdText(object)}` });
    }
  }
  for (const o of existing) {
    const stored = o.manifest.object;
    if (has('update', 'patch')) probes.push({ request: { operation: 'UPDATE', object: annotated(stored), oldObject: stored, origin: o.manifest }, text: `UPDATE of ${ref(o)}` });
    if (has('delete', 'deletecollection')) probes.push({ request: { operation: 'DELETE', object: null, oldObject: stored, origin: o.manifest }, text: `DELETE of ${ref(o)}` });
  }
  return probes;
}

function createdText(o: KubeObject): string {
  if (o.kind === 'NetworkPolicy') return `a NetworkPolicy ${o.metadata?.namespace}/${o.metadata?.name} that allows all traffic`;
  const subject = (o.subjects as Array<Record<string, string>>)[0];
  return `a RoleBinding ${o.metadata?.namespace}/${o.metadata?.name} to ${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`;
}

function annotated(o: KubeObject): KubeObject {
  const metadata = o.metadata ?? {};
  const annotations = typeof metadata.annotations === 'object' && metadata.annotations !== null ? metadata.annotations : {};
  return { ...o, metadata: { ...metadata, annotations: { ...annotations, [PROBE_ANNOTATION]: 'modified' } } };
}

/**
 * What the input's admission policies do with every request `tenant` (a tenant of the context's
 * namespace) could make through `writes` in namespace `ns` (by default the context's); undefined when
 * the input has no ValidatingAdmissionPolicy.
 */
export function admissionDenies(
  context: ControlContext, tenant: string, writes: readonly WriteAccess[], ns = context.namespace.name,
): AdmissionVerdict | undefined {
  const admission = admissionOf(context.model);
  if (admission === null) return undefined;
  const nothing = { denied: false, deniedBy: [], evidence: [], requests: 0 };
  if (!admission.simulator) return { ...nothing, admitted: `the admission policies of the input cannot be simulated (${admission.error})` };
  const userInfo = tenantUser(tenant, context.namespace.name);
  const probes = writes.flatMap(w => probesOf(context, admission, w, ns));
  if (probes.length === 0) return { ...nothing, admitted: `there is no request for admission to judge: the input has no such object in ${ns}` };
  const deniedBy = new Map<string, [policy: string, binding: string]>();
  for (const probe of probes) {
    const result = admit(admission, probe, userInfo);
    if (typeof result === 'string') return { ...nothing, requests: probes.length, admitted: `${probe.text} as ${tenant} cannot be simulated (${result})` };
    if (result.allowed) {
      const warned = [...new Set(result.warnings.map(w => `ValidatingAdmissionPolicy ${w.policy} (binding ${w.binding})`))];
      return {
        ...nothing,
        requests: probes.length,
        admitted: `admission lets ${probe.text} as ${tenant} through${warned.length > 0 ? ` (with only a warning from ${listText(warned)})` : ''}`,
      };
    }
    for (const d of result.denials) deniedBy.set(`${d.policy}\u0000${d.binding ?? ''}`, [d.policy, d.binding ?? '']);
  }
  const pairs = [...deniedBy.values()].sort(([a, b], [c, d]) => compareText(a, c) || compareText(b, d));
  return {
    denied: true,
    requests: probes.length,
    deniedBy: pairs.map(([p, b]) => (b === '' ? p : `ValidatingAdmissionPolicy ${p} (binding ${b})`)),
    evidence: [...new Set(pairs.flatMap(([p, b]) => (b === '' ? [p] : [`ValidatingAdmissionPolicy ${p}`, `ValidatingAdmissionPolicyBinding ${b}`])))],
  };
}

/** One request, admitted once per model and user (the controls ask the same ones). */
function admit(admission: ModelAdmission, probe: Probe, userInfo: UserInfo): AdmissionResult | string {
  const { request } = probe;
  const key = `${userInfo.username}\u0000${userInfo.groups.join(',')}\u0000${probe.text}`;
  let result = admission.results.get(key);
  if (result === undefined) {
    try {
      result = admission.simulator!.admit({ ...request, userInfo });
    } catch (e) {
      result = e instanceof Error ? e.message : String(e);
    }
    admission.results.set(key, result);
  }
  return result;
}

// Controls read from a namespace's own objects: quotas and limit ranges, Pod Security admission
// being on at all, and service-account tokens.
import { listText, ref, refs } from './refs';
import { Control, ControlContext, ControlResult, Framework } from './types';
import { readPodSecurityLabels, ResourceQuota } from '../../model/cluster-model';
import { serviceAccountOf, tokenMounts } from '../../model/service-account-tokens';
import { API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION, podSecurityLevelLabel, SERVICE_ACCOUNT_TOKEN_SECRET_TYPE } from '../../model/vocabulary';
import { parseQuantity } from '../../private/quantity';

type Evaluate = (context: ControlContext) => ControlResult;

/** A control whose evaluation is its own function. */
export function control(id: string, framework: Framework, title: string, evaluate: Evaluate): Control {
  return { id, framework, title, evaluate };
}

/** Passes when every part passes; fails with the reasons of the parts that fail. */
export function allOf(id: string, framework: Framework, title: string, parts: readonly Control[]): Control {
  return control(id, framework, title, context => {
    const results = parts.map(p => ({ part: p, result: p.evaluate(context) }));
    const failed = results.filter(r => r.result.status === 'fail');
    const applicable = results.filter(r => r.result.status !== 'not-applicable');
    const evidence = [...new Set((failed.length > 0 ? failed : applicable).flatMap(r => r.result.evidence))];
    if (failed.length > 0) {
      return {
        status: 'fail',
        evidence,
        reason: failed.map(r => `${r.part.id}: ${r.result.reason}`).join('; '),
        fix: failed.map(r => r.result.fix).filter(f => f !== undefined).join('; '),
      };
    }
    if (applicable.length === 0) return { status: 'not-applicable', evidence: [], reason: results.map(r => r.result.reason).join('; ') };
    return { status: 'pass', evidence, reason: applicable.map(r => `${r.part.id}: ${r.result.reason}`).join('; ') };
  });
}

// ---------------------------------------------------------------------------------------------
// Quotas

/** Quotas that count every pod of the namespace (a scoped quota counts only some). */
function unscopedQuotas(quotas: readonly ResourceQuota[]): ResourceQuota[] {
  return quotas.filter(q => !q.scoped);
}

/**
 * A compute resource is limited when an unscoped quota sets it, its requests or its limits: either
 * bounds what the namespace takes from the nodes (the LimitRange fills in what pods leave out).
 */
export const COMPUTE_RESOURCES: readonly string[] = ['cpu', 'memory', 'ephemeral-storage'];

/**
 * The objects whose number every tenant namespace must bound, as `<resource>[.<group>]`: the kinds
 * a tenant can create in its namespace that take the cluster's resources (every kind the bundle's
 * access levels let tenants write is one), and replication controllers and quotas, which tenants
 * should not make at all. The list is fixed: which kinds a namespace's tenants may create depends
 * on roles, admission and the cluster's own objects, which the input rarely shows in full.
 */
export const COUNTED_OBJECTS: readonly string[] = [
  'pods', 'services', 'secrets', 'configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas', 'serviceaccounts',
  'deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch', 'cronjobs.batch',
  'horizontalpodautoscalers.autoscaling', 'poddisruptionbudgets.policy', 'ingresses.networking.k8s.io',
  'roles.rbac.authorization.k8s.io', 'rolebindings.rbac.authorization.k8s.io',
];

// The kinds a quota may also count by their bare resource name (the quota's specialised syntax).
const SHORT_COUNT_KEYS = new Set(['pods', 'services', 'secrets', 'configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas']);

/** The quota keys that count a kind: `count/<resource>[.<group>]`, and the bare name where Kubernetes takes it. */
export function countKeys(resource: string): string[] {
  return SHORT_COUNT_KEYS.has(resource) ? [resource, `count/${resource}`] : [`count/${resource}`];
}

/** Which of `wanted` the unscoped quotas of the namespace set, through any of the keys `keysOf` gives. */
function quotaCoverage(context: ControlContext, wanted: readonly string[], keysOf: (resource: string) => string[]): ControlResult {
  const quotas = unscopedQuotas(context.namespace.resourceQuotas);
  const setting = (resource: string) => quotas.filter(q => keysOf(resource).some(k => q.hard[k] !== undefined));
  const missing = wanted.filter(r => setting(r).length === 0);
  const evidence = refs(wanted.flatMap(setting));
  const scoped = context.namespace.resourceQuotas.filter(q => q.scoped);
  // Said only when it explains why nothing counts: beside an unscoped quota, a scoped one changes nothing.
  const scopedNote = scoped.length > 0 ? ` (${listText(refs(scoped))} ${scoped.length === 1 ? 'is' : 'are'} scoped, counting only some pods, and left out)` : '';
  if (missing.length === 0) {
    return { status: 'pass', evidence, reason: `${listText(evidence)} limit${evidence.length === 1 ? 's' : ''} ${listText([...wanted])}` };
  }
  return {
    status: 'fail',
    evidence,
    reason: quotas.length === 0
      ? `${context.namespace.name} has no ResourceQuota that counts every pod${scopedNote}`
      : `no ResourceQuota of ${context.namespace.name} limits ${listText(missing)}`,
    fix: `add ${listText(missing.map(m => keysOf(m)[0]))} to spec.hard of the namespace's ResourceQuota (the bundle's Quota sets them all)`,
  };
}

export const computeQuota: Evaluate = context => quotaCoverage(context, COMPUTE_RESOURCES, r => [`requests.${r}`, `limits.${r}`, r]);

/**
 * MTB-PL1-CC-FNS-2: the unscoped quotas of the namespace count every kind of COUNTED_OBJECTS. The
 * reason lists the kinds they count, and on failure those they do not.
 */
export const objectCountQuota: Evaluate = ({ namespace: ns }) => {
  const quotas = unscopedQuotas(ns.resourceQuotas);
  const counting = (resource: string) => quotas.filter(q => countKeys(resource).some(k => q.hard[k] !== undefined));
  const counted = COUNTED_OBJECTS.filter(r => counting(r).length > 0);
  const missing = COUNTED_OBJECTS.filter(r => counting(r).length === 0);
  const evidence = refs(COUNTED_OBJECTS.flatMap(counting));
  const scoped = ns.resourceQuotas.filter(q => q.scoped);
  const scopedNote = scoped.length > 0 ? ` (${listText(refs(scoped))} ${scoped.length === 1 ? 'is' : 'are'} scoped, counting only some pods, and left out)` : '';
  const countedText = `${listText(evidence)} count${evidence.length === 1 ? 's' : ''} ${listText(counted)}`;
  if (missing.length === 0) return { status: 'pass', evidence, reason: countedText };
  return {
    status: 'fail',
    evidence,
    reason: quotas.length === 0
      ? `${ns.name} has no unscoped ResourceQuota${scopedNote}, so nothing counts ${listText(missing)}`
      : `no ResourceQuota of ${ns.name} counts ${listText(missing)}${counted.length > 0 ? `; ${countedText}` : ''}`,
    fix: `add ${listText(missing.map(m => countKeys(m)[0]))} to spec.hard of the namespace's ResourceQuota (the bundle's Quota sets them all)`,
  };
};

/** NodePort Services are blocked by an unscoped quota of zero node ports, and none is in the input. */
export const nodePortsBlocked: Evaluate = ({ namespace: ns }) => {
  const zero = unscopedQuotas(ns.resourceQuotas).filter(q => q.hard['services.nodeports'] !== undefined && parseQuantity(q.hard['services.nodeports']) === 0);
  const opening = ns.services.filter(s => s.serviceType === 'NodePort' || (s.serviceType === 'LoadBalancer' && s.allocatesNodePorts));
  const problems = [
    ...(zero.length === 0 ? [`no ResourceQuota of ${ns.name} sets services.nodeports to 0, so tenants may create NodePort Services`] : []),
    ...opening.map(s => `${ref(s)} is of type ${s.serviceType}${s.serviceType === 'LoadBalancer' ? ' and allocates node ports' : ''}`),
  ];
  if (problems.length === 0) {
    return { status: 'pass', evidence: refs(zero), reason: `${listText(refs(zero))} set${zero.length === 1 ? 's' : ''} services.nodeports to 0 and no Service in the input opens a node port` };
  }
  return {
    status: 'fail',
    evidence: refs([...zero, ...opening]),
    reason: problems.join('; '),
    fix: 'set services.nodeports: "0" in the namespace\'s ResourceQuota and expose Services through an Ingress or a LoadBalancer with allocateLoadBalancerNodePorts: false',
  };
};

/** NSA/CISA resource policies: a LimitRange that gives containers cpu and memory defaults, and a quota on cpu and memory. */
export const resourcePolicies: Evaluate = context => {
  const ns = context.namespace;
  const quota = quotaCoverage(context, ['cpu', 'memory'], r => [`requests.${r}`, `limits.${r}`, r]);
  const withDefaults = ns.limitRanges.filter(l => l.containerLimits.some(c => ['cpu', 'memory'].every(r => c.default[r] !== undefined || c.max[r] !== undefined)));
  const problems = [
    ...(quota.status === 'fail' ? [quota.reason] : []),
    ...(withDefaults.length === 0 ? [`no LimitRange of ${ns.name} gives containers a default or maximum for both cpu and memory`] : []),
  ];
  const evidence = [...quota.evidence, ...refs(withDefaults)];
  if (problems.length === 0) return { status: 'pass', evidence, reason: `${quota.reason}; ${listText(refs(withDefaults))} bound${withDefaults.length === 1 ? 's' : ''} each container's cpu and memory` };
  return {
    status: 'fail',
    evidence,
    reason: problems.join('; '),
    fix: 'give the namespace a ResourceQuota on cpu and memory and a LimitRange with container defaults (the bundle\'s Quota and ContainerLimits)',
  };
};

// ---------------------------------------------------------------------------------------------
// Admission and service accounts

/** Pod Security admission enforces a level other than privileged. */
export const podSecurityEnforced: Evaluate = ({ namespace: ns }) => {
  const enforce = ns.object ? readPodSecurityLabels(ns.labels, 'enforce') : undefined;
  if (ns.object && enforce && enforce.level !== 'privileged') {
    return { status: 'pass', evidence: [ref(ns.object)], reason: `Namespace ${ns.name} enforces Pod Security "${enforce.level}" (${podSecurityLevelLabel('enforce')}, version ${enforce.version})` };
  }
  return {
    status: 'fail',
    evidence: ns.object ? [ref(ns.object)] : [],
    reason: !ns.object
      ? `the input has no Namespace object for ${ns.name}, so its admission labels cannot be shown`
      : enforce ? `Namespace ${ns.name} enforces Pod Security "privileged", which checks nothing`
        : `Namespace ${ns.name} has no ${podSecurityLevelLabel('enforce')} label, so Pod Security admission checks nothing there${ns.monitored ? ' (monitor mode: it only warns and audits)' : ''}`,
    fix: `label the Namespace ${podSecurityLevelLabel('enforce')}: baseline or restricted`,
  };
};

/**
 * CIS 5.1.5: the `default` ServiceAccount, which every pod without another one runs as, does not
 * mount tokens and no binding gives it rights. Kubernetes creates it with automounting on, so a
 * namespace whose input leaves it out fails.
 */
export const defaultServiceAccountUnused: Evaluate = context => {
  const ns = context.namespace;
  const account = ns.serviceAccounts.find(a => a.name === 'default');
  const key = `ServiceAccount/${ns.name}/default`;
  const bindings = ns.roleBindings.filter(b => b.subjects.some(s => s.kind === 'ServiceAccount' && (s.namespace ?? ns.name) === ns.name && s.name === 'default'));
  const problems = [
    ...(!account ? [`the input has no ServiceAccount ${ns.name}/default, which Kubernetes creates with token automounting on`]
      : account.automountToken !== false ? [`${ref(account)} does not set automountServiceAccountToken: false`] : []),
    ...bindings.map(b => `${ref(b)} gives ${key} a role`),
    ...(ns.apiAccessServiceAccounts.includes('default') ? [`Namespace ${ns.name} declares "default" for API access (${API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION})`] : []),
  ];
  if (problems.length === 0) {
    return { status: 'pass', evidence: refs([account]), reason: `${ref(account!)} sets automountServiceAccountToken: false and no RoleBinding of ${ns.name} names it` };
  }
  return {
    status: 'fail',
    evidence: refs([account, ...bindings, ...(ns.apiAccessServiceAccounts.includes('default') ? [ns.object] : [])]),
    reason: problems.join('; '),
    fix: 'declare ServiceAccount "default" with automountServiceAccountToken: false, bind roles to dedicated service accounts and run workloads that need the API as those',
  };
};

/**
 * CIS 5.1.6 and the guide's token protection: pods get an API token only under the service
 * accounts the namespace declares for API access (the namespace-guard.dev/api-access-service-accounts
 * annotation; none when absent). A pod gets one when it asks (automountServiceAccountToken: true, a
 * projected token) or when it does not refuse and its service account does not (or is not in the
 * input, where Kubernetes' default is to mount). Long-lived token Secrets fail too.
 */
export const tokensOnlyWhereDeclared: Evaluate = ({ namespace: ns }) => {
  const declared = new Set(ns.apiAccessServiceAccounts);
  const accounts = new Map(ns.serviceAccounts.map(a => [a.name, a]));
  const problems: Array<{ object: { kind: string; name: string; namespace?: string }; text: string }> = [];
  for (const secret of ns.secrets.filter(s => s.secretType === SERVICE_ACCOUNT_TOKEN_SECRET_TYPE)) {
    problems.push({ object: secret, text: `${ref(secret)} is a long-lived token (type ${SERVICE_ACCOUNT_TOKEN_SECRET_TYPE})` });
  }
  for (const w of ns.workloads) {
    const sa = serviceAccountOf(w);
    if (declared.has(sa)) continue;
    const explicit = tokenMounts(w);
    const account = accounts.get(sa);
    const automounted = w.template.spec.automountServiceAccountToken !== false && account?.automountToken !== false;
    if (explicit.length > 0) {
      problems.push({ object: w, text: `${ref(w)} mounts an API token (${explicit.join('; ')}) as service account "${sa}", which is not declared for API access` });
    } else if (automounted) {
      problems.push({
        object: w,
        text: `${ref(w)} gets an API token: neither it nor ${account ? ref(account) : `service account "${sa}" (not in the input)`} sets automountServiceAccountToken: false`,
      });
    }
  }
  for (const account of ns.serviceAccounts) {
    if (account.automountToken !== false && !declared.has(account.name)) {
      problems.push({ object: account, text: `${ref(account)} does not set automountServiceAccountToken: false` });
    }
  }
  if (problems.length === 0) {
    const evidence = refs([...ns.serviceAccounts, ...ns.workloads]);
    return {
      status: 'pass',
      evidence,
      reason: `every ServiceAccount and workload of ${ns.name} in the input turns token automounting off`
        + (declared.size > 0 ? `, but for ${listText([...declared].sort())} (declared in ${API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION})` : ''),
    };
  }
  return {
    status: 'fail',
    evidence: refs(problems.map(p => p.object)),
    reason: problems.map(p => p.text).join('; '),
    fix: `set automountServiceAccountToken: false on the ServiceAccounts and pods that do not call the API, delete token Secrets, and list the service accounts that do in ${API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION} (the bundle's apiAccessServiceAccounts)`,
  };
};

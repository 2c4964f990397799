// The ValidatingAdmissionPolicies behind ClusterGuardrails, as plain data. They are cluster-wide
// and read each namespace's own settings from its labels and annotations (written by the bundles),
// so their number does not grow with the number of namespaces.
import { endpointAddresses, ipv4InExpression } from './address-expressions';
import { AccessLevel } from '../bundles/access';
import { guardRoleName } from '../bundles/rbac-rules';
import { INGRESS_NGINX_ANNOTATIONS, IngressAnnotationAllowance, permittedByCatalogue } from '../model/ingress-annotations';
import {
  API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION, ENFORCEMENT_LABEL, Enforcement, GUARD_PREFIX, INGRESS_HOSTS_ANNOTATION, MANAGED_BY_LABEL,
  MANAGED_BY_VALUE, POD_SECURITY_LABEL_PREFIX, podSecurityLevelLabel, PodSecurityLevel, SERVICE_TYPES_ANNOTATION,
  WORKLOAD_KINDS,
} from '../model/vocabulary';
import { groupBy } from '../private/collections';

/** A user, group or service account exempt from the guardrails. */
export interface ExemptSubject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  readonly namespace?: string;
}

/** What the guardrails apply to, and how strictly. */
export interface GuardrailSettings {
  /** Who may change what the guardrails protect. */
  readonly platformAdmins: readonly ExemptSubject[];
  /** Deny, or only warn and audit. */
  readonly enforcement: Enforcement;
  /** The ingress controller's annotations tenants may use. */
  readonly ingressAnnotations: IngressAnnotationAllowance;
  /** The PriorityClasses tenants' pods may name (never a `system-` one). */
  readonly priorityClasses: readonly string[];
  /**
   * The users and groups each managed namespace grants access to (`Group/name` or `User/name`, to
   * the namespaces that declare it), known at synthesis: a RoleBinding elsewhere may not name them.
   */
  readonly declaredSubjects: ReadonlyMap<string, readonly string[]>;
  /** The pod network (the ClusterProfile's pod CIDRs); empty when not declared. */
  readonly podCidrs: readonly string[];
  /** Addresses no hand-written endpoint may hold (the Service and node CIDRs the ClusterProfile declares). */
  readonly clusterCidrs: readonly string[];
}

/** One policy and its bindings. */
export interface GuardrailPolicy {
  readonly policy: Record<string, unknown>;
  readonly bindings: Array<Record<string, unknown>>;
}

/** The prefix of every policy and binding name. */
export const GUARDRAIL_PREFIX = 'namespace-guard';

/**
 * Kubernetes' own controllers that must keep working inside managed namespaces: the namespace
 * controller and the garbage collector delete everything in a namespace being deleted (as their
 * service accounts, or as the controller manager itself without `--use-service-account-credentials`),
 * and the service-account controller creates the `default` ServiceAccount of a new namespace.
 */
export const KUBERNETES_CONTROLLERS = [
  'system:kube-controller-manager',
  'system:serviceaccount:kube-system:namespace-controller',
  'system:serviceaccount:kube-system:generic-garbage-collector',
  'system:serviceaccount:kube-system:service-account-controller',
  // The volume binder sets a claim's volumeName when it binds it; the endpoint controllers write the
  // Endpoints and EndpointSlices of Services with selectors, from the pods' own addresses.
  'system:serviceaccount:kube-system:persistent-volume-binder',
  'system:serviceaccount:kube-system:endpoint-controller',
  'system:serviceaccount:kube-system:endpointslice-controller',
  'system:serviceaccount:kube-system:endpointslicemirroring-controller',
];

/**
 * The objects of a managed namespace that the guard itself writes, by kind: the platform admins
 * write them, and they are the only tenant-kind objects the admins are exempt for. A platform
 * controller that also syncs tenants' repositories is judged like a tenant for everything else, so
 * a tenant cannot route a forbidden object through it.
 */
const GUARD_OBJECT_NAMES: Readonly<Record<string, readonly string[]>> = {
  RoleBinding: Object.values(AccessLevel).map(guardRoleName),
  ServiceAccount: ['default'],
};

const ADMISSION_VERSION = 'admissionregistration.k8s.io/v1';
const WRITE = ['CREATE', 'UPDATE'];
const WRITE_OR_DELETE = ['CREATE', 'UPDATE', 'DELETE'];

/** A CEL string literal. */
function text(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function list(values: readonly string[]): string {
  return `[${values.map(text).join(', ')}]`;
}

/** `object.metadata.labels` (or annotations), or an empty map when absent. */
function metadataMap(object: string, field: 'labels' | 'annotations'): string {
  return `(has(${object}.metadata.${field}) ? ${object}.metadata.${field} : {})`;
}

function isManaged(object: string): string {
  const labels = metadataMap(object, 'labels');
  return `(${object} != null && ${text(MANAGED_BY_LABEL)} in ${labels} && ${labels}[${text(MANAGED_BY_LABEL)}] == ${text(MANAGED_BY_VALUE)})`;
}

/** A comma-separated list in an annotation of the request's namespace, or an empty list. */
function namespaceList(annotation: string): string {
  const annotations = metadataMap('namespaceObject', 'annotations');
  return `(namespaceObject != null && ${text(annotation)} in ${annotations} ? ${annotations}[${text(annotation)}].split(',') : [])`;
}

/** Whether the requester is a platform admin. */
function platformAdminExpression(admins: readonly ExemptSubject[]): string {
  const users = [
    ...admins.filter(a => a.kind === 'User').map(a => a.name),
    ...admins.filter(a => a.kind === 'ServiceAccount').map(a => `system:serviceaccount:${a.namespace}:${a.name}`),
  ];
  const groups = admins.filter(a => a.kind === 'Group').map(a => a.name);
  const byGroup = groups.length === 0 ? '' : ` || (has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${list(groups)}))`;
  return `request.userInfo.username in ${list(users)}${byGroup}`;
}

/** Whether the request writes one of the guard's own objects (by kind, name and managed-by label). */
function guardObjectExpression(): string {
  const byKind = Object.entries(GUARD_OBJECT_NAMES).map(([kind, names]) => `(request.kind.kind == ${text(kind)} && request.name in ${list(names)})`).join(' || ');
  return `(${byKind}) && ${isManaged('object')}`;
}

/**
 * Who is exempt: Kubernetes' own controllers always; the platform admins for every object of the
 * guard's own policies, but for the tenant kinds only for the guard's own objects.
 */
function privilegedExpression(admins: readonly ExemptSubject[], exempts: Exemption): string {
  const controllers = `request.userInfo.username in ${list(KUBERNETES_CONTROLLERS)}`;
  const admin = `(${platformAdminExpression(admins)})`;
  return exempts === 'platform-admins' ? `${controllers} || ${admin}` : `${controllers} || (${admin} && ${guardObjectExpression()})`;
}

/** Whom a policy exempts besides Kubernetes' controllers: every platform admin request, or only the guard's own objects. */
type Exemption = 'platform-admins' | 'guard-objects';

interface PolicyDraft {
  readonly name: string;
  readonly rules: Array<{ apiGroups: string[]; resources: string[]; operations: string[] }>;
  readonly objectSelector?: Record<string, unknown>;
  readonly matchConditions?: Array<{ name: string; expression: string }>;
  readonly variables?: Array<{ name: string; expression: string }>;
  /** What every other requester must satisfy (`false`: nobody else may make the request). */
  readonly validations: Array<{ expression: string; message?: string; messageExpression?: string; reason?: string }>;
  /**
   * Whether a namespace's own monitor mode turns the policy into warnings there: only for policies
   * that protect the namespace itself. Whatever protects other namespaces or the node (shared hosts,
   * addresses, identities, the scheduler) enforces in every namespace.
   */
  readonly followsNamespaceMode: boolean;
  /** Namespaces are matched by match conditions, not by a namespace selector. */
  readonly clusterScoped?: boolean;
  /** Whom the policy exempts (default: the guard's own objects only). */
  readonly exempts?: Exemption;
  /** More namespace selector terms (the policy applies only to namespaces that also match them). */
  readonly namespaceTerms?: Array<Record<string, unknown>>;
}

const MANAGED_NAMESPACES = { key: MANAGED_BY_LABEL, operator: 'In', values: [MANAGED_BY_VALUE] };

function render(draft: PolicyDraft, settings: GuardrailSettings): GuardrailPolicy {
  const name = `${GUARDRAIL_PREFIX}-${draft.name}`;
  const policy = {
    apiVersion: ADMISSION_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: draft.rules.map(r => ({ apiGroups: r.apiGroups, apiVersions: ['*'], resources: r.resources, operations: r.operations })),
        ...(draft.objectSelector ? { objectSelector: draft.objectSelector } : {}),
      },
      ...(draft.matchConditions ? { matchConditions: draft.matchConditions } : {}),
      variables: [{ name: 'privileged', expression: privilegedExpression(settings.platformAdmins, draft.exempts ?? 'guard-objects') }, ...(draft.variables ?? [])],
      // The platform admins and Kubernetes' controllers pass every validation: each draft states its rule only.
      validations: draft.validations.map(v => ({ ...v, expression: `variables.privileged || (${v.expression})` })),
    },
  };
  const binding = (suffix: string, actions: string[], modeSelector?: Record<string, unknown>) => ({
    apiVersion: ADMISSION_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: `${name}${suffix}`, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } },
    spec: {
      policyName: name,
      validationActions: actions,
      ...(draft.clusterScoped ? {} : {
        matchResources: {
          namespaceSelector: { matchExpressions: [MANAGED_NAMESPACES, ...(draft.namespaceTerms ?? []), ...(modeSelector ? [modeSelector] : [])] },
        },
      }),
    },
  });
  const deny = ['Deny'];
  const monitor = ['Warn', 'Audit'];
  if (settings.enforcement === Enforcement.MONITOR) return { policy, bindings: [binding('', monitor)] };
  if (!draft.followsNamespaceMode) return { policy, bindings: [binding('', deny)] };
  return {
    policy,
    bindings: [
      binding('', deny, { key: ENFORCEMENT_LABEL, operator: 'NotIn', values: [Enforcement.MONITOR] }),
      binding('-monitor', monitor, { key: ENFORCEMENT_LABEL, operator: 'In', values: [Enforcement.MONITOR] }),
    ],
  };
}

const PLATFORM_ONLY = 'ask a platform admin: they manage it in the cdk8s app';

/** The guard's own objects (quota, limit range, RBAC, default ServiceAccount), identified by its label. */
const managedObjects: PolicyDraft = {
  name: 'managed-objects',
  rules: [
    { apiGroups: [''], resources: ['limitranges', 'resourcequotas', 'serviceaccounts'], operations: WRITE_OR_DELETE },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], operations: WRITE_OR_DELETE },
  ],
  // The API server matches an object selector against the old object too, so removing the label
  // does not take an object out of the policy's reach.
  objectSelector: { matchLabels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } },
  validations: [{
    expression: 'false',
    messageExpression: 'request.resource.resource + \' "\' + request.name + \'" is managed by cdk8s-namespace-guard; '
      + `only platform admins may create, change or delete it. Fix: ${PLATFORM_ONLY}'`,
    reason: 'Forbidden',
  }],
  followsNamespaceMode: false,
  exempts: 'platform-admins',
};

/** Every NetworkPolicy of a managed namespace: policies add up, so any new one can open it. */
const networkPolicies: PolicyDraft = {
  name: 'network-policies',
  rules: [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], operations: WRITE_OR_DELETE }],
  validations: [{
    expression: 'false',
    message: 'NetworkPolicies of a namespace managed by cdk8s-namespace-guard are written by platform admins only: '
      + `any added policy can open the namespace. Fix: declare the flow on the bundle, or ${PLATFORM_ONLY}`,
    reason: 'Forbidden',
  }],
  followsNamespaceMode: false,
  exempts: 'platform-admins',
};

function guardedKeys(map: string, guarded: (key: string) => string): string {
  return `variables.old${map}.filter(k, ${guarded('k')}).all(k, k in variables.new${map} && variables.new${map}[k] == variables.old${map}[k]) `
    + `&& variables.new${map}.filter(k, ${guarded('k')}).all(k, k in variables.old${map})`;
}

/**
 * The labels and annotations of managed Namespaces. A namespace selector sees the new labels on an
 * update, so removing the managed-by label would escape it: match conditions on both versions instead.
 */
const namespaces: PolicyDraft = {
  name: 'namespaces',
  rules: [{ apiGroups: [''], resources: ['namespaces'], operations: ['UPDATE', 'DELETE'] }],
  matchConditions: [{ name: 'managed-namespace', expression: `${isManaged('oldObject')} || ${isManaged('object')}` }],
  variables: [
    { name: 'oldLabels', expression: metadataMap('oldObject', 'labels') },
    { name: 'newLabels', expression: metadataMap('object', 'labels') },
    { name: 'oldAnnotations', expression: metadataMap('oldObject', 'annotations') },
    { name: 'newAnnotations', expression: metadataMap('object', 'annotations') },
  ],
  validations: [
    {
      expression: 'request.operation != \'DELETE\'',
      message: `a namespace managed by cdk8s-namespace-guard is deleted by platform admins only. Fix: ${PLATFORM_ONLY}`,
      reason: 'Forbidden',
    },
    {
      expression: `request.operation != 'UPDATE' || (${guardedKeys('Labels', k =>
        `(${k}.startsWith(${text(POD_SECURITY_LABEL_PREFIX)}) || ${k}.startsWith(${text(`${GUARD_PREFIX}/`)}) || ${k} == ${text(MANAGED_BY_LABEL)})`)})`,
      message: 'the Pod Security, managed-by and namespace-guard.dev labels of a managed namespace are changed by platform admins only. '
        + `Fix: ${PLATFORM_ONLY}`,
      reason: 'Forbidden',
    },
    {
      expression: `request.operation != 'UPDATE' || (${guardedKeys('Annotations', k => `${k}.startsWith(${text(`${GUARD_PREFIX}/`)})`)})`,
      message: `the namespace-guard.dev annotations of a managed namespace are changed by platform admins only. Fix: ${PLATFORM_ONLY}`,
      reason: 'Forbidden',
    },
  ],
  followsNamespaceMode: false,
  exempts: 'platform-admins',
  clusterScoped: true,
};

const services: PolicyDraft = {
  name: 'services',
  rules: [{ apiGroups: [''], resources: ['services'], operations: WRITE }],
  variables: [{ name: 'allowedTypes', expression: namespaceList(SERVICE_TYPES_ANNOTATION) }],
  validations: [
    {
      expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
      message: 'Services may not set externalIPs: they capture traffic to those addresses cluster-wide (CVE-2020-8554). '
        + 'Fix: remove spec.externalIPs; expose the Service through the ingress controller',
      reason: 'Forbidden',
    },
    {
      expression: '!has(object.spec.type) || object.spec.type != \'ExternalName\'',
      message: 'Services of type ExternalName may not be created: they can point the ingress controller at another namespace. '
        + 'Fix: use type ClusterIP, or ask a platform admin',
      reason: 'Forbidden',
    },
    {
      expression: '!has(object.spec.type) || !(object.spec.type in [\'NodePort\', \'LoadBalancer\']) '
        + '|| object.spec.type in variables.allowedTypes',
      messageExpression: '\'Services of type \' + object.spec.type + \' are not allowed in namespace \' + request.namespace + \'. '
        + 'Fix: use type ClusterIP behind the ingress controller, or allow it in the bundle\\\'s quota (nodePorts, loadBalancers)\'',
      reason: 'Forbidden',
    },
  ],
  followsNamespaceMode: false,
};

/** Ingress wildcards cover exactly one more DNS label, as the Ingress API defines them. */
function hostAllowed(host: string): string {
  return `variables.hosts.exists(d, d == ${host} || (d.startsWith('*.') && ${host}.endsWith(d.substring(1)) `
    + `&& !${host}.substring(0, ${host}.size() - d.size() + 1).contains('.')))`;
}

const ingressHosts: PolicyDraft = {
  name: 'ingress-hosts',
  rules: [{ apiGroups: ['networking.k8s.io'], resources: ['ingresses'], operations: WRITE }],
  variables: [{ name: 'hosts', expression: namespaceList(INGRESS_HOSTS_ANNOTATION) }],
  validations: [
    {
      expression: '(!has(object.spec.defaultBackend) && has(object.spec.rules) && object.spec.rules.all(r, has(r.host)))',
      message: 'an Ingress without a host (or with a default backend) claims every host of the shared ingress controller. '
        + 'Fix: give every rule a host declared in the bundle\'s ingressHosts',
      reason: 'Forbidden',
    },
    {
      expression: `!has(object.spec.rules) || object.spec.rules.all(r, !has(r.host) || ${hostAllowed('r.host')})`,
      messageExpression: `'Ingress hosts ' + object.spec.rules.filter(r, has(r.host) && !${hostAllowed('r.host')}).map(r, r.host).join(', ') `
        + '+ \' are not declared for namespace \' + request.namespace + \'. Fix: add them to the bundle\\\'s ingressHosts\'',
      reason: 'Forbidden',
    },
    {
      expression: `!has(object.spec.tls) || object.spec.tls.all(t, !has(t.hosts) || t.hosts.all(h, ${hostAllowed('h')}))`,
      message: 'an Ingress TLS entry names a host that is not declared for this namespace. Fix: add it to the bundle\'s ingressHosts',
      reason: 'Forbidden',
    },
  ],
  followsNamespaceMode: false,
};

/**
 * A RoleBinding subject that stays inside the request's namespace. The API server hands the policy
 * the subject as a plain map, so its `namespace` key is read as `s.namespace` (CEL refuses reserved
 * words only as bare identifiers); the CRD-style escape `s.__namespace__` would find no such key.
 */
const SUBJECT_INSIDE = '(s.kind == \'ServiceAccount\' ? (has(s.namespace) && s.namespace == request.namespace) '
  + ': s.kind == \'Group\' ? (!s.name.startsWith(\'system:\') || s.name == \'system:serviceaccounts:\' + request.namespace) '
  + ': (!s.name.startsWith(\'system:\') || s.name.startsWith(\'system:serviceaccount:\' + request.namespace + \':\')))';

/** `Kind/name` of a User or Group subject, the key of the declared subjects. */
const SUBJECT_KEY = 's.kind + \'/\' + s.name';

function roleBindings(settings: GuardrailSettings): PolicyDraft {
  const declared = [...settings.declaredSubjects].sort(([a], [b]) => a.localeCompare(b));
  const owners = `{${declared.map(([key, owning]) => `${text(key)}: ${list([...owning].sort())}`).join(', ')}}`;
  const foreign = `(s.kind != 'ServiceAccount' && ${SUBJECT_KEY} in variables.declaredSubjects && !(request.namespace in variables.declaredSubjects[${SUBJECT_KEY}]))`;
  return {
    name: 'role-bindings',
    rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], operations: WRITE }],
    variables: [{ name: 'declaredSubjects', expression: owners }],
    validations: [
      {
        expression: `!has(object.subjects) || object.subjects.all(s, ${SUBJECT_INSIDE})`,
        messageExpression: '\'RoleBinding subjects outside namespace \' + request.namespace + \': \' '
          + `+ object.subjects.filter(s, !${SUBJECT_INSIDE}).map(s, s.kind + ' ' + (s.kind == 'ServiceAccount' && has(s.namespace) ? s.namespace + '/' : '') + s.name).join(', ') `
          + '+ \'. Fix: bind only this namespace\\\'s service accounts and your own users and groups (no system: groups)\'',
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.subjects) || !object.subjects.exists(s, ${foreign})`,
        messageExpression: '\'RoleBinding subjects that other managed namespaces declare as their own: \' '
          + `+ object.subjects.filter(s, ${foreign}).map(s, ${SUBJECT_KEY} + ' (' + variables.declaredSubjects[${SUBJECT_KEY}].join(', ') + ')').join(', ') `
          + '+ \'. Fix: bind your own users and groups; to share work with another tenant, declare the flow or access in the cdk8s app\'',
        reason: 'Forbidden',
      },
    ],
    followsNamespaceMode: false,
  };
}

/**
 * The pod spec of a Pod or of a workload's pod template, or null for other kinds: one branch per
 * template location of the workload kinds the model knows.
 */
function podSpecExpression(): string {
  const byHolder = groupBy(WORKLOAD_KINDS, w => ['object', ...w.templateHolder, 'spec'].join('.'));
  return [...byHolder].map(([path, kinds]) => `request.kind.kind in ${list(kinds.map(w => w.kind))} ? ${path} : `).join('') + 'null';
}

/** The workload resources, grouped by API group (only the current groups: the old ones are not served). */
function workloadRules(): Array<{ apiGroups: string[]; resources: string[]; operations: string[] }> {
  const byGroup = groupBy(WORKLOAD_KINDS, w => w.groups[0]);
  return [...byGroup].map(([group, kinds]) => ({ apiGroups: [group], resources: kinds.map(w => `${w.kind.toLowerCase()}s`).sort(), operations: WRITE }));
}

const serviceAccountTokens: PolicyDraft = {
  name: 'service-account-tokens',
  rules: [
    { apiGroups: [''], resources: ['secrets', 'serviceaccounts'], operations: WRITE },
    ...workloadRules(),
  ],
  variables: [
    { name: 'apiAccess', expression: namespaceList(API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION) },
    { name: 'podSpec', expression: podSpecExpression() },
    {
      name: 'serviceAccount',
      expression: 'variables.podSpec == null ? \'\' : has(variables.podSpec.serviceAccountName) ? variables.podSpec.serviceAccountName '
        + ': has(variables.podSpec.serviceAccount) ? variables.podSpec.serviceAccount : \'default\'',
    },
  ],
  validations: [
    {
      expression: 'request.kind.kind != \'Secret\' || !has(object.type) || object.type != \'kubernetes.io/service-account-token\'',
      message: 'service-account-token Secrets may not be created: they hold a token that never expires. '
        + 'Fix: let pods of a declared API-access service account get short-lived projected tokens',
      reason: 'Forbidden',
    },
    {
      expression: 'request.kind.kind != \'ServiceAccount\' || object.metadata.name in variables.apiAccess '
        + '|| (has(object.automountServiceAccountToken) && object.automountServiceAccountToken == false)',
      messageExpression: '\'ServiceAccount "\' + object.metadata.name + \'" must set automountServiceAccountToken: false. '
        + 'Fix: set it, or declare the service account in the bundle\\\'s apiAccessServiceAccounts\'',
      reason: 'Forbidden',
    },
    {
      expression: 'variables.podSpec == null || variables.serviceAccount in variables.apiAccess '
        + '|| ((!has(variables.podSpec.automountServiceAccountToken) || variables.podSpec.automountServiceAccountToken == false) '
        + '&& (!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.projected) || !has(v.projected.sources) '
        + '|| v.projected.sources.all(p, !has(p.serviceAccountToken)))))',
      messageExpression: '\'pods of service account "\' + variables.serviceAccount + \'" may not mount an API token '
        + '(automountServiceAccountToken: true or a projected serviceAccountToken volume). '
        + 'Fix: remove it, or declare the service account in the bundle\\\'s apiAccessServiceAccounts\'',
      reason: 'Forbidden',
    },
  ],
  followsNamespaceMode: true,
};

/**
 * The ingress controller's annotations (by default ingress-nginx's): it acts for every tenant and
 * may reach every namespace, so an annotation that claims hosts, sends its requests elsewhere,
 * injects configuration or reads another namespace's Secret makes it the tenant's deputy. Tenants
 * may use the annotations at or below the allowed risk level that do none of that, and those the
 * platform allows by name; a Secret named in another namespace is refused even then.
 */
function ingressAnnotations(settings: GuardrailSettings): PolicyDraft {
  const allowance = settings.ingressAnnotations;
  // A Secret-naming annotation is permitted by its risk like any other; the value check below refuses other namespaces.
  const permitted = INGRESS_NGINX_ANNOTATIONS.filter(a => permittedByCatalogue(a, allowance.maxRisk)).map(a => a.name);
  const secrets = INGRESS_NGINX_ANNOTATIONS.filter(a => a.deputy === 'secret').map(a => a.name);
  const prefix = text(allowance.prefix);
  const name = `k.substring(${allowance.prefix.length})`;
  const keyAllowed = `(${name} in variables.permitted || k in variables.allowed)`;
  const value = 'variables.annotations[k]';
  const foreignSecret = `(${name} in variables.secrets && ${value}.contains('/') && !${value}.startsWith(request.namespace + '/'))`;
  const refused = `(k.startsWith(${prefix}) && (!${keyAllowed} || ${foreignSecret}))`;
  return {
    name: 'ingress-annotations',
    rules: [{ apiGroups: ['networking.k8s.io'], resources: ['ingresses'], operations: WRITE }],
    variables: [
      { name: 'annotations', expression: metadataMap('object', 'annotations') },
      { name: 'permitted', expression: list(permitted) },
      { name: 'allowed', expression: list(allowance.allowed) },
      { name: 'secrets', expression: list(secrets) },
    ],
    validations: [{
      expression: `!variables.annotations.exists(k, ${refused})`,
      messageExpression: '\'Ingress annotations the platform does not allow: \' '
        + `+ variables.annotations.filter(k, ${refused}).join(', ') `
        + '+ \'. The shared ingress controller would claim other hosts, send its requests elsewhere, run injected configuration or read '
        + 'another namespace\\\'s Secret for this Ingress. Fix: remove them, name Secrets of this namespace only, or ask a platform admin to '
        + 'allow them (ClusterGuardrails ingressAnnotations)\'',
      reason: 'Forbidden',
    }],
    followsNamespaceMode: false,
  };
}

/** A pod spec field that a tenant may not set, unless an update keeps the value the Pod already has (the scheduler set it). */
function unchangedOnPodUpdate(field: string): string {
  return `(request.operation == 'UPDATE' && request.kind.kind == 'Pod' && oldObject != null && has(oldObject.spec.${field}) `
    + `&& oldObject.spec.${field} == variables.podSpec.${field})`;
}

/**
 * The scheduler acts for every tenant: `spec.nodeName` bypasses it (and every taint), and a
 * priority class lets a pod preempt others, `system-node-critical` even CoreDNS.
 */
function podScheduling(settings: GuardrailSettings): PolicyDraft {
  return {
    name: 'pod-scheduling',
    rules: workloadRules(),
    variables: [
      { name: 'podSpec', expression: podSpecExpression() },
      { name: 'priorityClasses', expression: list(settings.priorityClasses) },
    ],
    validations: [
      {
        expression: `variables.podSpec == null || !has(variables.podSpec.nodeName) || variables.podSpec.nodeName == '' || ${unchangedOnPodUpdate('nodeName')}`,
        messageExpression: '\'spec.nodeName places the pod on node \' + variables.podSpec.nodeName + \' past the scheduler and every taint. '
          + 'Fix: remove it; use a nodeSelector or affinity the platform allows\'',
        reason: 'Forbidden',
      },
      {
        expression: 'variables.podSpec == null || !has(variables.podSpec.priorityClassName) || variables.podSpec.priorityClassName == \'\' '
          + '|| (variables.podSpec.priorityClassName in variables.priorityClasses && !variables.podSpec.priorityClassName.startsWith(\'system-\')) '
          + `|| ${unchangedOnPodUpdate('priorityClassName')}`,
        messageExpression: '\'priority class \' + variables.podSpec.priorityClassName + \' is not one tenants may use: a higher priority '
          + 'preempts other tenants\\\' pods, system- classes even CoreDNS. Fix: remove priorityClassName, or use one of the platform\\\'s '
          + 'classes (ClusterGuardrails priorityClasses)\'',
        reason: 'Forbidden',
      },
    ],
    followsNamespaceMode: false,
  };
}

/**
 * A claim that names its volume takes whichever PersistentVolume it names: another tenant's data, or
 * a hostPath volume onto the node. The platform pre-binds a volume from the volume's `claimRef`.
 */
const persistentVolumeClaims: PolicyDraft = {
  name: 'persistent-volume-claims',
  rules: [{ apiGroups: [''], resources: ['persistentvolumeclaims'], operations: WRITE }],
  validations: [{
    expression: '!has(object.spec.volumeName) || object.spec.volumeName == \'\' '
      + '|| (request.operation == \'UPDATE\' && oldObject != null && has(oldObject.spec.volumeName) && oldObject.spec.volumeName == object.spec.volumeName)',
    messageExpression: '\'PersistentVolumeClaim "\' + object.metadata.name + \'" names PersistentVolume "\' + object.spec.volumeName + \'": '
      + 'a claim may not choose its volume (another tenant\\\'s data, or a hostPath volume on the node). '
      + 'Fix: request storage from a StorageClass; a platform admin pre-binds a volume with its claimRef\'',
    reason: 'Forbidden',
  }],
  followsNamespaceMode: false,
};

/**
 * Hand-written Endpoints and EndpointSlices send a Service's traffic (and the ingress controller's)
 * wherever they point: only pod-network addresses, never the metadata service, the node or the
 * Service range. The endpoint controllers, which write them from the pods, are exempt.
 */
function endpoints(settings: GuardrailSettings): PolicyDraft {
  const allowed = endpointAddresses(settings.podCidrs, settings.clusterCidrs);
  const where = settings.podCidrs.length > 0 ? 'the pod network' : 'the private ranges pods use (the pod CIDRs are not declared)';
  const ok = (address: string) => ipv4InExpression(address, allowed);
  // Without the lists library (not on every supported version), nested lists are walked, not flattened.
  const bad = (addresses: string, ip: string) => `(${addresses}).filter(a, !${ok(ip)}).map(a, ${ip}).join(', ')`;
  const sliceOk = `!has(object.endpoints) || object.endpoints.all(e, e.addresses.all(a, ${ok('a')}))`;
  const sliceBad = `(has(object.endpoints) ? object.endpoints : []).map(e, ${bad('e.addresses', 'a')})`;
  const field = (name: string) => `(has(s.${name}) ? s.${name} : [])`;
  const subsetsOk = `!has(object.subsets) || object.subsets.all(s, ${field('addresses')}.all(a, ${ok('a.ip')}) && ${field('notReadyAddresses')}.all(a, ${ok('a.ip')}))`;
  const subsetsBad = `(has(object.subsets) ? object.subsets : []).map(s, ${bad(`${field('addresses')} + ${field('notReadyAddresses')}`, 'a.ip')})`;
  return {
    name: 'endpoints',
    rules: [
      { apiGroups: [''], resources: ['endpoints'], operations: WRITE },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], operations: WRITE },
    ],
    variables: [{ name: 'badAddresses', expression: `(request.kind.kind == 'EndpointSlice' ? ${sliceBad} : ${subsetsBad}).filter(t, t != '').join(', ')` }],
    validations: [
      {
        expression: 'request.kind.kind != \'EndpointSlice\' || object.addressType == \'IPv4\'',
        messageExpression: '\'EndpointSlices of addressType \' + object.addressType + \' may not be written by hand: only IPv4 pod addresses can be checked. '
          + 'Fix: give the Service a selector, or ask a platform admin\'',
        reason: 'Forbidden',
      },
      {
        expression: `request.kind.kind == 'EndpointSlice' ? (${sliceOk}) : (${subsetsOk})`,
        messageExpression: `'endpoint addresses outside ${where}: ' + variables.badAddresses `
          + '+ \'. A Service (and the ingress controller) would send its traffic there: the metadata service, a node, another network. '
          + 'Fix: give the Service a selector so the endpoint controllers write pod addresses, or ask a platform admin\'',
        reason: 'Forbidden',
      },
    ],
    followsNamespaceMode: false,
  };
}

/** Probe and lifecycle handlers whose httpGet or tcpSocket action can name a host. */
const HOST_HANDLERS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle.postStart', 'lifecycle.preStop'];

/** Whether container `c` names no host in a probe or lifecycle handler. */
function noHandlerHost(): string {
  const checks = HOST_HANDLERS.flatMap(handler => ['httpGet', 'tcpSocket'].map(action => {
    const parts = [...handler.split('.'), action, 'host'];
    const present = parts.map((_, k) => `has(c.${parts.slice(0, k + 1).join('.')})`).join(' && ');
    return `!(${present} && c.${parts.join('.')} != '')`;
  }));
  return checks.join(' && ');
}

/**
 * Pod Security's baseline forbids a host in probes and lifecycle handlers (the kubelet would
 * fetch it from the node, the metadata service included) only from Kubernetes 1.34; this policy
 * holds the same line on older servers, in every namespace that enforces baseline or restricted.
 */
const probeHosts: PolicyDraft = {
  name: 'probe-hosts',
  // Ephemeral containers are added through their own subresource.
  rules: [...workloadRules(), { apiGroups: [''], resources: ['pods/ephemeralcontainers'], operations: ['UPDATE'] }],
  variables: [
    { name: 'podSpec', expression: podSpecExpression() },
    {
      name: 'containers',
      expression: 'variables.podSpec == null ? [] : (has(variables.podSpec.containers) ? variables.podSpec.containers : []) '
        + '+ (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) '
        + '+ (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])',
    },
  ],
  validations: [{
    expression: `variables.containers.all(c, ${noHandlerHost()})`,
    messageExpression: '\'containers with a host in a probe or lifecycle handler: \' '
      + `+ variables.containers.filter(c, !(${noHandlerHost()})).map(c, c.name).join(', ') `
      + '+ \'. The kubelet would connect to that host from the node, the cloud metadata service included. '
      + 'Fix: remove the host field so the kubelet targets the pod\\\'s own IP\'',
    reason: 'Forbidden',
  }],
  followsNamespaceMode: false,
  namespaceTerms: [{ key: podSecurityLevelLabel('enforce'), operator: 'In', values: [PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED] }],
};

function drafts(settings: GuardrailSettings): PolicyDraft[] {
  return [
    managedObjects, networkPolicies, namespaces, services, ingressHosts, ingressAnnotations(settings), roleBindings(settings),
    serviceAccountTokens, podScheduling(settings), probeHosts, persistentVolumeClaims, endpoints(settings),
  ];
}

/** Every guardrail policy with its bindings, in a fixed order. */
export function guardrailPolicies(settings: GuardrailSettings): GuardrailPolicy[] {
  return drafts(settings).map(d => render(d, settings));
}

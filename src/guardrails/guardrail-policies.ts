// The ValidatingAdmissionPolicies behind ClusterGuardrails, as plain data. They are cluster-wide
// and read each namespace's own settings from its labels and annotations (written by the bundles),
// so their number does not grow with the number of namespaces.
import {
  API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION, ENFORCEMENT_LABEL, Enforcement, GUARD_PREFIX, INGRESS_HOSTS_ANNOTATION, MANAGED_BY_LABEL,
  MANAGED_BY_VALUE, POD_SECURITY_LABEL_PREFIX, SERVICE_TYPES_ANNOTATION, WORKLOAD_KINDS,
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
];

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

/** Whether the requester is a platform admin or one of Kubernetes' own controllers. */
function privilegedExpression(admins: readonly ExemptSubject[]): string {
  const users = [
    ...KUBERNETES_CONTROLLERS,
    ...admins.filter(a => a.kind === 'User').map(a => a.name),
    ...admins.filter(a => a.kind === 'ServiceAccount').map(a => `system:serviceaccount:${a.namespace}:${a.name}`),
  ];
  const groups = admins.filter(a => a.kind === 'Group').map(a => a.name);
  const byGroup = groups.length === 0 ? '' : ` || (has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${list(groups)}))`;
  return `request.userInfo.username in ${list(users)}${byGroup}`;
}

interface PolicyDraft {
  readonly name: string;
  readonly rules: Array<{ apiGroups: string[]; resources: string[]; operations: string[] }>;
  readonly objectSelector?: Record<string, unknown>;
  readonly matchConditions?: Array<{ name: string; expression: string }>;
  readonly variables?: Array<{ name: string; expression: string }>;
  /** What every other requester must satisfy (`false`: nobody else may make the request). */
  readonly validations: Array<{ expression: string; message?: string; messageExpression?: string; reason?: string }>;
  /** Whether a namespace's own monitor mode turns the policy into warnings there. */
  readonly followsNamespaceMode: boolean;
  /** Namespaces are matched by match conditions, not by a namespace selector. */
  readonly clusterScoped?: boolean;
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
      variables: [{ name: 'privileged', expression: privilegedExpression(settings.platformAdmins) }, ...(draft.variables ?? [])],
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
        matchResources: { namespaceSelector: { matchExpressions: [MANAGED_NAMESPACES, ...(modeSelector ? [modeSelector] : [])] } },
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
  followsNamespaceMode: true,
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
  followsNamespaceMode: true,
};

/**
 * A RoleBinding subject that stays inside the request's namespace. The API server hands the policy
 * the subject as a plain map, so its `namespace` key is read as `s.namespace` (CEL refuses reserved
 * words only as bare identifiers); the CRD-style escape `s.__namespace__` would find no such key.
 */
const SUBJECT_INSIDE = '(s.kind == \'ServiceAccount\' ? (has(s.namespace) && s.namespace == request.namespace) '
  + ': s.kind == \'Group\' ? (!s.name.startsWith(\'system:\') || s.name == \'system:serviceaccounts:\' + request.namespace) '
  + ': (!s.name.startsWith(\'system:\') || s.name.startsWith(\'system:serviceaccount:\' + request.namespace + \':\')))';

const roleBindings: PolicyDraft = {
  name: 'role-bindings',
  rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], operations: WRITE }],
  validations: [{
    expression: `!has(object.subjects) || object.subjects.all(s, ${SUBJECT_INSIDE})`,
    messageExpression: '\'RoleBinding subjects outside namespace \' + request.namespace + \': \' '
      + `+ object.subjects.filter(s, !${SUBJECT_INSIDE}).map(s, s.kind + ' ' + (s.kind == 'ServiceAccount' && has(s.namespace) ? s.namespace + '/' : '') + s.name).join(', ') `
      + '+ \'. Fix: bind only this namespace\\\'s service accounts and your own users and groups (no system: groups)\'',
    reason: 'Forbidden',
  }],
  followsNamespaceMode: true,
};

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

const DRAFTS: readonly PolicyDraft[] = [managedObjects, networkPolicies, namespaces, services, ingressHosts, roleBindings, serviceAccountTokens];

/** Every guardrail policy with its bindings, in a fixed order. */
export function guardrailPolicies(settings: GuardrailSettings): GuardrailPolicy[] {
  return DRAFTS.map(d => render(d, settings));
}

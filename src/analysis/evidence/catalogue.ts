// The controls that manifests can show, per namespace: the profile-level-1 Multi-Tenancy
// Benchmarks, section 5 of the CIS Kubernetes Benchmark (v1.10.0) and the NSA/CISA Kubernetes
// Hardening Guide (v1.2). Ids and short titles are the benchmarks' own (the guide has no ids, so
// its are ours); what each control asks of the manifests is our reading, written in each evaluator.
//
// Left out, because manifests cannot show them: MTB CC-CPI-1's view of non-namespaced kinds beyond
// the bindings, BC-OPS (self-service) and DI-1 (image pull policy: an admission controller's job);
// CIS 5.1.2 and 5.1.4 (a tenant needs its Secrets and Pods), 5.1.7, 5.1.9-5.1.13 (cluster-wide
// grants), 5.3.1 (the CNI), 5.4 and 5.5 (secret storage, image provenance) and 5.7.1/5.7.4 (about
// the cluster's namespaces as a whole).
import { defaultDeny } from './default-deny';
import { hostVolumeRoutes } from './host-volumes';
import { allOf, computeQuota, control, defaultServiceAccountUnused, nodePortsBlocked, objectCountQuota, podSecurityEnforced, resourcePolicies, tokensOnlyWhereDeclared } from './namespace-controls';
import { tenantNetworkIsolation } from './network-isolation';
import { immutableRootFilesystem, podControl } from './pod-controls';
import {
  beyondNamespaceProblems, clusterAdminProblems, escalationProblems, OTHER_TENANTS, rbacControl, WILDCARD_ROLES, wildcardProblems,
} from './rbac-controls';
import { CIS, Control, ControlContext, Framework, MTB, NSA } from './types';
import { PodSecurityCheckId } from '../pod-security';
import { MULTI_TENANCY_RESOURCES } from '../rbac';

const HOST_PID = { hostNamespaces: /(^|\.)hostPID$/ };
const HOST_IPC = { hostNamespaces: /(^|\.)hostIPC$/ };
const HOST_NETWORK = { hostNamespaces: /(^|\.)hostNetwork$/ };
const ADDED_CAPABILITIES = { capabilities_baseline: /\.add$/, capabilities_restricted: /\.add$/ };

const rbacFix = 'bind tenants to roles without write access to these objects: the bundles\' view and edit levels (AccessLevel.VIEW, EDIT) '
  + 'write none of them; the admin level writes Roles and RoleBindings, and Kubernetes\' edit and admin ClusterRoles write NetworkPolicies';

const quotaNotModifiable = rbacControl({
  id: 'MTB-PL1-CC-TI-1',
  framework: MTB,
  title: 'Block modification of resource quotas',
  what: 'write access to ResourceQuotas',
  writes: [['', 'resourcequotas']],
  fix: rbacFix,
});
const multiTenantResources = rbacControl({
  id: 'MTB-PL1-BC-CPI-2',
  framework: MTB,
  title: 'Block Multitenant Resources',
  what: 'write access to ResourceQuotas, LimitRanges, NetworkPolicies, Roles or RoleBindings',
  writes: MULTI_TENANCY_RESOURCES,
  // Another tenant's subjects bound here would reach into this tenant's objects.
  extra: OTHER_TENANTS,
  fix: rbacFix,
});
const clusterAdmin = rbacControl({
  id: 'CIS-5.1.1',
  framework: CIS,
  title: 'Ensure that the cluster-admin role is only used where required',
  what: 'cluster-admin',
  problems: clusterAdminProblems,
  needsRoles: false,
  fix: 'bind tenants to namespaced roles instead of cluster-admin',
});
const wildcards = rbacControl({
  id: 'CIS-5.1.3',
  framework: CIS,
  title: 'Minimize wildcard use in Roles and ClusterRoles',
  what: 'a role with wildcards',
  problems: wildcardProblems,
  extra: WILDCARD_ROLES,
  fix: 'list the API groups, resources and verbs the role needs instead of "*"',
});

// Pod Security admission rejects inline hostPath volumes; claims bound to hostPath and local
// PersistentVolumes (or provisioned as such) pass it and are checked beside it.
const HOST_PATHS = {
  level: 'baseline' as const,
  checks: ['hostPathVolumes'] as PodSecurityCheckId[],
  what: 'hostPath volumes',
  beyondAdmission: ({ model, namespace }: ControlContext) => hostVolumeRoutes(model, namespace),
};
const nonRoot = { level: 'restricted' as const, checks: ['runAsNonRoot', 'runAsUser'] as const, what: 'containers that run as root' };
const tokens = (id: string, framework: Framework, title: string) => control(id, framework, title, tokensOnlyWhereDeclared);
const denyByDefault = (id: string, framework: Framework, title: string) => control(id, framework, title, defaultDeny);

/** Every control, in the order output lists them: MTB, then CIS by number, then NSA/CISA. */
export const CONTROLS: readonly Control[] = [
  // Multi-Tenancy Benchmarks, profile level 1 (ids and titles as kubectl-mtb's benchmark configs write them).
  rbacControl({
    id: 'MTB-PL1-CC-CPI-1',
    framework: MTB,
    title: 'Block access to cluster resources',
    what: 'access beyond the namespace (a ClusterRoleBinding, or a RoleBinding in a namespace of another tenant)',
    problems: beyondNamespaceProblems,
    needsRoles: false,
    fix: 'grant tenants access with RoleBindings in their own namespaces only',
  }),
  multiTenantResources,
  podControl({ id: 'MTB-PL1-BC-CPI-3', framework: MTB, title: 'Block add capabilities', level: 'restricted', checks: ['capabilities_baseline', 'capabilities_restricted'], only: ADDED_CAPABILITIES, what: 'containers that add capabilities (but NET_BIND_SERVICE)' }),
  podControl({ id: 'MTB-PL1-BC-CPI-4', framework: MTB, title: 'Require run as non-root user', ...nonRoot, checks: [...nonRoot.checks] }),
  podControl({ id: 'MTB-PL1-BC-CPI-5', framework: MTB, title: 'Block privileged containers', level: 'baseline', checks: ['privileged'], what: 'privileged containers' }),
  podControl({ id: 'MTB-PL1-BC-CPI-6', framework: MTB, title: 'Block privilege escalation', level: 'restricted', checks: ['allowPrivilegeEscalation'], what: 'containers that allow privilege escalation' }),
  control('MTB-PL1-CC-FNS-1', MTB, 'Configure namespace resource quotas', computeQuota),
  control('MTB-PL1-CC-FNS-2', MTB, 'Configure namespace object limits', objectCountQuota),
  podControl({ id: 'MTB-PL1-BC-HI-1', framework: MTB, title: 'Block use of host path volumes', ...HOST_PATHS }),
  // Upstream gives this benchmark the id of the host path one (both are MTB-PL1-BC-HI-1); the suffix keeps ours unique.
  control('MTB-PL1-BC-HI-1-NodePort', MTB, 'Block use of NodePort services', nodePortsBlocked),
  podControl({ id: 'MTB-PL1-BC-HI-3', framework: MTB, title: 'Block use of host networking and ports', level: 'baseline', checks: ['hostNamespaces', 'hostPorts'], only: HOST_NETWORK, what: 'pods on the host network or with host ports' }),
  podControl({ id: 'MTB-PL1-BC-HI-4', framework: MTB, title: 'Block use of host PID', level: 'baseline', checks: ['hostNamespaces'], only: HOST_PID, what: 'pods in the host PID namespace' }),
  podControl({ id: 'MTB-PL1-BC-HI-5', framework: MTB, title: 'Block use of host IPC', level: 'baseline', checks: ['hostNamespaces'], only: HOST_IPC, what: 'pods in the host IPC namespace' }),
  quotaNotModifiable,
  // Upstream's config lists this benchmark under profile level 2 while its id says PL1 (an earlier draft
  // had it at level 1 as "Block network connections across tenants"); the id and title are its own.
  control('MTB-PL1-BC-NI-1', MTB, 'Default deny network connections across tenants', tenantNetworkIsolation),

  // CIS Kubernetes Benchmark v1.10.0, section 5.
  clusterAdmin,
  wildcards,
  control('CIS-5.1.5', CIS, 'Ensure that default service accounts are not actively used', defaultServiceAccountUnused),
  tokens('CIS-5.1.6', CIS, 'Ensure that Service Account Tokens are only mounted where necessary'),
  rbacControl({
    id: 'CIS-5.1.8',
    framework: CIS,
    title: 'Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster',
    what: 'the bind, escalate or impersonate verbs',
    problems: escalationProblems,
    fix: 'remove the bind, escalate and impersonate verbs (and "*") from the roles tenants hold',
  }),
  control('CIS-5.2.1', CIS, 'Ensure that the cluster has at least one active policy control mechanism in place', podSecurityEnforced),
  podControl({ id: 'CIS-5.2.2', framework: CIS, title: 'Minimize the admission of privileged containers', level: 'baseline', checks: ['privileged'], what: 'privileged containers' }),
  podControl({ id: 'CIS-5.2.3', framework: CIS, title: 'Minimize the admission of containers wishing to share the host process ID namespace', level: 'baseline', checks: ['hostNamespaces'], only: HOST_PID, what: 'pods in the host PID namespace' }),
  podControl({ id: 'CIS-5.2.4', framework: CIS, title: 'Minimize the admission of containers wishing to share the host IPC namespace', level: 'baseline', checks: ['hostNamespaces'], only: HOST_IPC, what: 'pods in the host IPC namespace' }),
  podControl({ id: 'CIS-5.2.5', framework: CIS, title: 'Minimize the admission of containers wishing to share the host network namespace', level: 'baseline', checks: ['hostNamespaces'], only: HOST_NETWORK, what: 'pods on the host network' }),
  podControl({ id: 'CIS-5.2.6', framework: CIS, title: 'Minimize the admission of containers with allowPrivilegeEscalation', level: 'restricted', checks: ['allowPrivilegeEscalation'], what: 'containers that allow privilege escalation' }),
  podControl({ id: 'CIS-5.2.7', framework: CIS, title: 'Minimize the admission of root containers', ...nonRoot, checks: [...nonRoot.checks] }),
  // Restricted makes every container drop ALL, which is what removes NET_RAW from the runtime's defaults.
  podControl({ id: 'CIS-5.2.8', framework: CIS, title: 'Minimize the admission of containers with the NET_RAW capability', level: 'restricted', checks: ['capabilities_restricted'], what: 'containers that keep NET_RAW (they do unless they drop ALL)' }),
  podControl({ id: 'CIS-5.2.9', framework: CIS, title: 'Minimize the admission of containers with added capabilities', level: 'restricted', checks: ['capabilities_baseline', 'capabilities_restricted'], only: ADDED_CAPABILITIES, what: 'containers that add capabilities (but NET_BIND_SERVICE)' }),
  podControl({ id: 'CIS-5.2.10', framework: CIS, title: 'Minimize the admission of containers with capabilities assigned', level: 'restricted', checks: ['capabilities_restricted'], what: 'containers that keep the runtime\'s default capabilities' }),
  podControl({ id: 'CIS-5.2.11', framework: CIS, title: 'Minimize the admission of Windows HostProcess containers', level: 'baseline', checks: ['windowsHostProcess'], what: 'Windows HostProcess containers' }),
  podControl({ id: 'CIS-5.2.12', framework: CIS, title: 'Minimize the admission of HostPath volumes', ...HOST_PATHS }),
  podControl({ id: 'CIS-5.2.13', framework: CIS, title: 'Minimize the admission of containers which use HostPorts', level: 'baseline', checks: ['hostPorts'], what: 'host ports' }),
  // Read strictly: a namespace has network policies when they isolate every pod by default.
  denyByDefault('CIS-5.3.2', CIS, 'Ensure that all Namespaces have NetworkPolicies defined'),
  podControl({ id: 'CIS-5.7.2', framework: CIS, title: 'Ensure that the seccomp profile is set to docker/default in your Pod definitions', level: 'restricted', checks: ['seccompProfile_baseline', 'seccompProfile_restricted'], what: 'pods without the RuntimeDefault (or a Localhost) seccomp profile' }),
  podControl({ id: 'CIS-5.7.3', framework: CIS, title: 'Apply SecurityContext to your Pods and Containers', level: 'restricted', what: 'pods whose security context falls short of the restricted Pod Security Standard' }),

  // NSA/CISA Kubernetes Hardening Guide v1.2 (ids ours: the guide numbers none).
  podControl({ id: 'NSA-CISA-POD-NON-ROOT', framework: NSA, title: 'Containers run as non-root users', ...nonRoot, checks: [...nonRoot.checks] }),
  immutableRootFilesystem('NSA-CISA-POD-IMMUTABLE-FS', NSA, 'Containers run with an immutable root filesystem'),
  podControl({ id: 'NSA-CISA-POD-PRIVILEGE', framework: NSA, title: 'No privileged containers and no privilege escalation', level: 'restricted', checks: ['privileged', 'allowPrivilegeEscalation'], what: 'privileged containers and privilege escalation' }),
  tokens('NSA-CISA-POD-SA-TOKEN', NSA, 'Service account tokens are mounted only where needed'),
  denyByDefault('NSA-CISA-NET-DEFAULT-DENY', NSA, 'Network separation: deny all ingress and egress by default'),
  control('NSA-CISA-RESOURCE-POLICIES', NSA, 'Resource policies: LimitRange and ResourceQuota', resourcePolicies),
  allOf('NSA-CISA-RBAC-LEAST-PRIVILEGE', NSA, 'RBAC least privilege', [clusterAdmin, wildcards, multiTenantResources]),
];

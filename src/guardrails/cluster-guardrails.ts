import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClusterNetworkPolicyApi } from './cluster-network-policy-api';
import { ExemptSubject, GUARDRAIL_PREFIX, GuardrailPolicy, guardrailPolicies, GuardrailSettings } from './guardrail-policies';
import { IngressAnnotations } from './ingress-annotations';
import {
  baselinePolicy, IsolatedNamespace, isolationPolicy, isolationPolicyName, metadataPolicy, renderTierPolicy, TierPolicy, tierHeader, tierSpec,
} from './network-policy-tiers';
import { Subject } from '../bundles/access';
import { NamespaceBundle } from '../bundles/namespace-bundle';
import { SecurityZone } from '../bundles/security-zone';
import { ClusterProfile } from '../cluster/cluster-profile';
import { AppGuard } from '../guard/app-guard';
import { Direction, Enforcement, Exposure, NAMESPACE_NAME_LABEL, Profile } from '../model/vocabulary';
import { PeerSelector } from '../network/peer';
import { guardError } from '../private/errors';
import { fingerprint } from '../private/json';
import { dnsSubdomainProblem } from '../private/names';

// Identities that every tenant (or anyone at all) holds: never platform admins.
const BROAD_IDENTITIES = new Set([
  'Group/system:authenticated', 'Group/system:unauthenticated', 'Group/system:serviceaccounts', 'User/system:anonymous',
]);

/**
 * Properties of `ClusterGuardrails`.
 */
export interface ClusterGuardrailsProps {
  /**
   * Who may change what the guardrails protect: the identity that applies this app's output (for
   * example the GitOps controller's service account) and the platform team. Service accounts must
   * name their namespace.
   */
  readonly platformAdmins: Subject[];

  /**
   * Deny what the guardrails forbid, or only warn and audit. When enforcing, only the policy that
   * protects a namespace's own identity (service-account tokens) warns instead in a namespace whose
   * bundle is in monitor mode: whatever protects other namespaces, the node, the shared deputies or
   * the guard itself enforces in every namespace.
   *
   * @default Enforcement.ENFORCE
   */
  readonly enforcement?: Enforcement;

  /**
   * Also write cluster network policies (SIG Network's network-policy-api CRDs, which the
   * cluster's network plugin must implement) that hold below and above the bundles'
   * NetworkPolicies: an Admin tier that isolates tenants from each other and restricted zones from
   * everything but their declared flows, and keeps every managed namespace away from the cloud
   * metadata service; a Baseline tier that closes a managed namespace (DNS only) if its
   * NetworkPolicies are deleted. Namespaces in monitor mode are left out. Cannot be combined with
   * `Enforcement.MONITOR`: these policies have no audit mode.
   *
   * @default ClusterNetworkPolicyApi.NONE
   */
  readonly networkPolicyApi?: ClusterNetworkPolicyApi;

  /**
   * The shared ingress controller's annotations that tenants' Ingresses may carry.
   *
   * @default IngressAnnotations.ingressNginx()
   */
  readonly ingressAnnotations?: IngressAnnotations;

  /**
   * The PriorityClasses tenants' pods may name. A pod without a priority class gets the cluster's
   * default one; the `system-` classes (which preempt other tenants' pods and CoreDNS) are never
   * allowed.
   *
   * @default - none: tenants' pods name no priority class
   */
  readonly priorityClasses?: string[];

  /**
   * The cluster the guardrails are written for: its pod CIDRs are the addresses hand-written
   * Endpoints and EndpointSlices may hold, and its Service and node CIDRs are refused there.
   *
   * @default - every ClusterProfile of the app; where none declares pod CIDRs, endpoints may hold private addresses only
   */
  readonly cluster?: ClusterProfile;
}

/**
 * Admission guardrails that hold inside the cluster: ValidatingAdmissionPolicies and their
 * bindings (`admissionregistration.k8s.io/v1`, Kubernetes 1.30 and later), scoped to the namespaces
 * the bundles manage (by their managed-by label). Tenants cannot undo them:
 *
 * - the guard's own objects (NetworkPolicies, ResourceQuota, LimitRange, Roles, RoleBindings, the
 *   default ServiceAccount) and any NetworkPolicy in a managed namespace are written by platform
 *   admins only; Kubernetes' own controllers can still delete a namespace;
 * - the Pod Security, managed-by and guard labels and annotations of managed Namespaces are changed
 *   by platform admins only;
 * - Services with `externalIPs` or of type `ExternalName` are refused, NodePort and LoadBalancer
 *   ones unless the bundle's quota allows them;
 * - Ingress hosts must be among the bundle's `ingressHosts` (none declared: no Ingresses), and the
 *   ingress controller's annotations within `ingressAnnotations`;
 * - RoleBinding subjects stay inside the namespace (no `system:` groups, no other namespace's
 *   service accounts, no users or groups another managed namespace declares);
 * - no service-account-token Secrets, and API tokens only for pods of the service accounts a
 *   bundle declares in `apiAccessServiceAccounts`;
 * - no `spec.nodeName`, and only the `priorityClasses` the platform lists (never `system-`);
 * - no host in probes and lifecycle handlers (which Pod Security forbids only from 1.34);
 * - no claim that names its PersistentVolume, and no hand-written endpoint outside the pod network.
 *
 * Platform admins are exempt from the policies on the kinds tenants write only for the guard's own
 * objects, so a GitOps controller that also syncs tenants' repositories is not their bypass. A
 * namespace in monitor mode weakens only itself: only its own tokens' policy follows its mode.
 *
 * The policies are cluster-wide and read each namespace's settings from its labels and
 * annotations, so their number does not grow with the number of namespaces.
 *
 * With `networkPolicyApi`, the guardrails also write cluster network policies
 * (`ClusterNetworkPolicy` v1alpha2, or `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy`
 * v1alpha1) for the namespaces that enforce:
 *
 * - Admin tier, priority 100: no managed namespace reaches the cloud metadata addresses;
 * - Admin tier, priority 110, one object per tenant and per restricted zone member (a peer cannot
 *   say "other than the subject's own namespace"): traffic between two tenants is denied both ways,
 *   and a restricted member admits only its zone and declared flows and sends only to its zone and
 *   DNS; the namespace's declared flows are passed on to its NetworkPolicies;
 * - Baseline tier, priority 900 (the `default` singleton in v1alpha1): a managed namespace without
 *   NetworkPolicies is closed but for DNS.
 */
export class ClusterGuardrails extends Construct {
  /** The names of the ValidatingAdmissionPolicies, in the order they are written. */
  public readonly policyNames: string[];

  /** The enforcement mode. */
  public readonly enforcement: Enforcement;

  /** The cluster network policy API written, or `NONE`. */
  public readonly networkPolicyApi: ClusterNetworkPolicyApi;

  constructor(scope: Construct, id: string, props: ClusterGuardrailsProps) {
    super(scope, id);
    this.enforcement = props?.enforcement ?? Enforcement.ENFORCE;
    this.networkPolicyApi = props?.networkPolicyApi ?? ClusterNetworkPolicyApi.NONE;
    const platformAdmins = this.validate(props);
    const existing = this.node.root.node.findAll().find((c: IConstruct) => c !== this && c instanceof ClusterGuardrails);
    if (existing) {
      throw guardError(this, `the app already has ClusterGuardrails at ${existing.node.path}`, 'create ClusterGuardrails once per app: its policies are cluster-wide');
    }

    // One set of guardrails serves the whole cluster: without a named profile, every profile of the app describes it.
    const profiles = props?.cluster ? [props.cluster] : ClusterProfile._all(this);
    const settings = (declaredSubjects: ReadonlyMap<string, readonly string[]>): GuardrailSettings => ({
      platformAdmins,
      enforcement: this.enforcement,
      ingressAnnotations: (props?.ingressAnnotations ?? IngressAnnotations.ingressNginx())._allowance(),
      priorityClasses: [...new Set(props?.priorityClasses ?? [])].sort(),
      declaredSubjects,
      podCidrs: profiles.flatMap(p => p.podCidrs),
      clusterCidrs: profiles.flatMap(p => [...p.serviceCidrs, ...p.nodeCidrs]),
    });
    // Names and bindings are fixed now; the policies' specs read every bundle's subjects, so they are
    // rendered once, at synthesis.
    const policies = guardrailPolicies(settings(new Map()));
    let rendered: GuardrailPolicy[] | undefined;
    const renderedSpec = (i: number) => Lazy.any({
      produce: () => (rendered ??= guardrailPolicies(settings(this.declaredSubjects())))[i].policy.spec,
    });
    this.policyNames = policies.map(p => String((p.policy.metadata as { name: string }).name));
    policies.forEach(({ policy, bindings }, i) => {
      const name = String((policy.metadata as { name: string }).name).slice(GUARDRAIL_PREFIX.length + 1);
      this.clusterObject(`Policy-${name}`, { ...policy, spec: renderedSpec(i) });
      bindings.forEach((binding, k) => this.clusterObject(`Binding-${name}${k === 0 ? '' : `-${k}`}`, binding));
    });
    if (this.networkPolicyApi !== ClusterNetworkPolicyApi.NONE) this.writeNetworkPolicies(this.networkPolicyApi);
  }

  /**
   * The cluster-wide policies now; the isolation of each tenant and restricted zone member as its
   * bundle is created (before or after the guardrails). Their rules are rendered at synthesis, when
   * every flow is declared.
   */
  private writeNetworkPolicies(api: ClusterNetworkPolicyApi): void {
    this.clusterObject('NetworkPolicy-metadata', renderTierPolicy(api, metadataPolicy()));
    this.tierObject('NetworkPolicy-baseline', api, baselinePolicy([]), () => baselinePolicy(this.clusterDns()));
    AppGuard.of(this).onNamespaceClaimed(owner => {
      if (!(owner instanceof NamespaceBundle) || owner.enforcement === Enforcement.MONITOR) return;
      const restricted = owner._zone instanceof SecurityZone && owner._zone.exposure === Exposure.RESTRICTED;
      if (owner.profile !== Profile.TENANT && !restricted) return;
      const header = { name: isolationPolicyName(owner.namespaceName), tier: 'Admin' as const };
      this.tierObject(`NetworkPolicy-isolation-${owner.namespaceName}`, api, header, () => isolationPolicy(this.isolated(owner, restricted)));
    });
  }

  /** A policy whose spec is rendered at synthesis. */
  private tierObject(id: string, api: ClusterNetworkPolicyApi, header: Pick<TierPolicy, 'name' | 'tier'>, policy: () => TierPolicy): void {
    this.clusterObject(id, { ...tierHeader(api, header), spec: Lazy.any({ produce: () => tierSpec(api, policy()) }) });
  }

  /** The users and groups each bundle of the app grants access to, with the namespaces that grant them. */
  private declaredSubjects(): Map<string, string[]> {
    const owners = new Map<string, string[]>();
    for (const bundle of NamespaceBundle.all(this)) {
      for (const identity of bundle._grantedIdentities) owners.set(identity, [...owners.get(identity) ?? [], bundle.namespaceName]);
    }
    return owners;
  }

  /** The DNS of every enforcing bundle, without repeats. */
  private clusterDns(): PeerSelector[] {
    const selectors = NamespaceBundle.all(this).filter(b => b.enforcement !== Enforcement.MONITOR).flatMap(b => b._clusterDns._selectors());
    return [...new Map(selectors.map(s => [fingerprint(s), s])).values()];
  }

  private isolated(bundle: NamespaceBundle, restricted: boolean): IsolatedNamespace {
    const peers = (direction: Direction) => (restricted
      ? bundle._declaredPeers(direction).filter(s => s.cidr === undefined)
      : this.otherTenants(bundle, direction));
    return {
      name: bundle.namespaceName,
      path: bundle.node.path,
      posture: restricted ? 'restricted' : 'tenant',
      ingress: peers('ingress'),
      egress: peers('egress'),
      dns: restricted ? bundle._clusterDns._selectors() : [],
    };
  }

  /**
   * A tenant's declared peers, narrowed to the other tenants they select (by name or by label):
   * only those would be denied, and passing anything else would skip the platform's own Admin
   * policies for it. An unacknowledged flow to another tenant fails synthesis, so each is accepted.
   */
  private otherTenants(tenant: NamespaceBundle, direction: Direction): PeerSelector[] {
    let tenants: NamespaceBundle[] | undefined;
    const isOtherTenant = (b: NamespaceBundle | undefined): b is NamespaceBundle => b !== undefined && b !== tenant && b.profile === Profile.TENANT;
    const narrowed: PeerSelector[] = [];
    for (const selector of tenant._declaredPeers(direction)) {
      if (selector.cidr !== undefined) continue;
      let names: string[];
      if (selector.namespaceNames && selector.namespaceNames.length > 0) {
        names = selector.namespaceNames.filter(n => isOtherTenant(NamespaceBundle.find(this, n)));
      } else {
        tenants ??= NamespaceBundle.all(this).filter(isOtherTenant);
        const wanted = Object.entries(selector.namespaceLabels ?? {});
        names = tenants.filter(b => wanted.every(([k, v]) => namespaceLabel(b, k) === v)).map(b => b.namespaceName);
      }
      if (names.length > 0) narrowed.push({ namespaceNames: names, podLabels: selector.podLabels });
    }
    return narrowed;
  }

  private validate(props: ClusterGuardrailsProps): ExemptSubject[] {
    const problems: string[] = [];
    if (!Object.values(Enforcement).includes(this.enforcement)) {
      problems.push(`enforcement ${JSON.stringify(this.enforcement)} is not an Enforcement; use Enforcement.ENFORCE or MONITOR`);
    }
    if (!Object.values(ClusterNetworkPolicyApi).includes(this.networkPolicyApi)) {
      problems.push(`networkPolicyApi ${JSON.stringify(this.networkPolicyApi)} is not a ClusterNetworkPolicyApi; use ClusterNetworkPolicyApi.V1ALPHA2, V1ALPHA1 or NONE`);
    } else if (this.networkPolicyApi !== ClusterNetworkPolicyApi.NONE && this.enforcement === Enforcement.MONITOR) {
      problems.push('networkPolicyApi cannot be combined with Enforcement.MONITOR: cluster network policies have no audit mode, they deny; '
        + 'use ClusterNetworkPolicyApi.NONE while monitoring');
    }
    if (props?.ingressAnnotations !== undefined && !(props.ingressAnnotations instanceof IngressAnnotations)) {
      problems.push('ingressAnnotations is not an IngressAnnotations; use IngressAnnotations.ingressNginx()');
    } else if (props?.ingressAnnotations) {
      problems.push(...props.ingressAnnotations._problems());
    }
    const classes = props?.priorityClasses ?? [];
    if (!Array.isArray(classes)) {
      problems.push('priorityClasses is not a list; give the names of the PriorityClasses tenants may use');
    } else {
      for (const name of classes) {
        const problem = typeof name === 'string' ? dnsSubdomainProblem(name) : 'it is not a string';
        if (problem) {problems.push(`priorityClasses: ${JSON.stringify(name)}: ${problem}`);} else if (name.startsWith('system-')) {
          problems.push(`priorityClasses: "${name}" is one of Kubernetes' system classes, which preempt other tenants' pods and CoreDNS; `
            + 'create a PriorityClass of your own for tenants');
        }
      }
    }
    const admins = props?.platformAdmins ?? [];
    if (!Array.isArray(admins) || admins.length === 0) {
      problems.push('platformAdmins is empty, so nobody could change the managed objects, not even the deployment that writes them');
    }
    const subjects: ExemptSubject[] = [];
    for (const admin of Array.isArray(admins) ? admins : []) {
      if (!(admin instanceof Subject)) {
        problems.push(`platformAdmins holds ${JSON.stringify(admin)}, which is not a Subject; use Subject.user, Subject.group or Subject.serviceAccount`);
        continue;
      }
      problems.push(...admin._problems().map(p => `platformAdmins: ${p}`));
      if (admin.kind === 'ServiceAccount' && admin.namespaceName === undefined) {
        problems.push(`platformAdmins: service account "${admin.name}" has no namespace; give it, for example Subject.serviceAccount("${admin.name}", "argocd")`);
      }
      if (BROAD_IDENTITIES.has(`${admin.kind}/${admin.name}`)) {
        problems.push(`platformAdmins: ${admin.kind} "${admin.name}" includes tenants, who would then be exempt from every guardrail`);
      }
      subjects.push({ kind: admin.kind as ExemptSubject['kind'], name: admin.name, namespace: admin.namespaceName });
    }
    if (problems.length > 0) {
      throw guardError(this, `invalid ClusterGuardrails: ${problems.join('; ')}`, 'correct the properties listed above');
    }
    return subjects;
  }

  private clusterObject(id: string, body: Record<string, unknown>): void {
    const object = new ApiObject(this, id, body as any);
    // Policies are cluster-scoped; a chart-wide namespace must not leak onto them.
    if (Chart.of(this).namespace !== undefined) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}

/** A label of a bundle's Namespace, including the one the API server sets. */
function namespaceLabel(bundle: NamespaceBundle, key: string): string | undefined {
  return key === NAMESPACE_NAME_LABEL ? bundle.namespaceName : bundle.namespaceObject.metadata.getLabel(key);
}

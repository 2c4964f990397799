import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ExemptSubject, GUARDRAIL_PREFIX, guardrailPolicies } from './guardrail-policies';
import { Subject } from '../bundles/access';
import { Enforcement } from '../model/vocabulary';
import { guardError } from '../private/errors';

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
   * Deny what the guardrails forbid, or only warn and audit. When enforcing, the policies about
   * tenants' own objects (Services, Ingresses, RoleBindings, tokens) still only warn in namespaces
   * whose bundle is in monitor mode; the protection of the guard's own objects and labels is never
   * relaxed per namespace.
   *
   * @default Enforcement.ENFORCE
   */
  readonly enforcement?: Enforcement;
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
 * - Ingress hosts must be among the bundle's `ingressHosts` (none declared: no Ingresses);
 * - RoleBinding subjects stay inside the namespace (no `system:` groups, no other namespace's
 *   service accounts);
 * - no service-account-token Secrets, and API tokens only for pods of the service accounts a
 *   bundle declares in `apiAccessServiceAccounts`.
 *
 * The policies are cluster-wide and read each namespace's settings from its labels and
 * annotations, so their number does not grow with the number of namespaces.
 */
export class ClusterGuardrails extends Construct {
  /** The names of the ValidatingAdmissionPolicies, in the order they are written. */
  public readonly policyNames: string[];

  /** The enforcement mode. */
  public readonly enforcement: Enforcement;

  constructor(scope: Construct, id: string, props: ClusterGuardrailsProps) {
    super(scope, id);
    this.enforcement = props.enforcement ?? Enforcement.ENFORCE;
    const platformAdmins = this.validate(props);
    const existing = this.node.root.node.findAll().find((c: IConstruct) => c !== this && c instanceof ClusterGuardrails);
    if (existing) {
      throw guardError(this, `the app already has ClusterGuardrails at ${existing.node.path}`, 'create ClusterGuardrails once per app: its policies are cluster-wide');
    }

    const policies = guardrailPolicies({ platformAdmins, enforcement: this.enforcement });
    this.policyNames = policies.map(p => String((p.policy.metadata as { name: string }).name));
    for (const { policy, bindings } of policies) {
      const name = String((policy.metadata as { name: string }).name).slice(GUARDRAIL_PREFIX.length + 1);
      this.clusterObject(`Policy-${name}`, policy);
      bindings.forEach((binding, i) => this.clusterObject(`Binding-${name}${i === 0 ? '' : `-${i}`}`, binding));
    }
  }

  private validate(props: ClusterGuardrailsProps): ExemptSubject[] {
    const problems: string[] = [];
    if (!Object.values(Enforcement).includes(this.enforcement)) {
      problems.push(`enforcement ${JSON.stringify(this.enforcement)} is not an Enforcement; use Enforcement.ENFORCE or MONITOR`);
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

import { Construct } from 'constructs';
import { NamespaceBundle, NamespaceBundleOptions } from './namespace-bundle';
import { granted } from './profile-grant';
import { PodSecurityLevel, Profile } from '../model/vocabulary';

/**
 * Properties of a `TenantNamespace`.
 */
export interface TenantNamespaceProps extends NamespaceBundleOptions {
  /**
   * The tenant (customer) name, written as the `namespace-guard.dev/tenant` label.
   *
   * @default - the construct id
   */
  readonly tenantName?: string;

  /**
   * The namespace name.
   *
   * @default - the tenant name
   */
  readonly namespaceName?: string;
}

/**
 * One customer per namespace, the strictest profile: Pod Security `restricted`, default deny
 * both ways, and no flow to or from another tenant unless it is declared and acknowledged with
 * a reason naming the other tenant
 * (`acknowledge(RuleId.CROSS_TENANT_FLOW, reason, { appliesTo: ['customer2'] })`). The tenant reaches only the shared
 * services it declares with `connections.allowTo(...)`. A flow into the tenant from a team's
 * namespace, or from a zone's that does not face the internet (the cluster's declared monitoring on
 * named ports excepted), is acknowledged the same way, naming that namespace
 * (`acknowledge(RuleId.TENANT_DATA_ACCESS, reason, { appliesTo: ['analytics'] })`).
 *
 * Adding a customer is one more `new TenantNamespace(chart, 'customer3', { cluster })`.
 */
export class TenantNamespace extends NamespaceBundle {
  /** The tenant name. */
  public readonly tenantName: string;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps = {}) {
    const tenantName = props.tenantName ?? id;
    super(scope, id, granted({
      ...props,
      namespaceName: props.namespaceName ?? tenantName,
      podSecurity: PodSecurityLevel.RESTRICTED,
    }, { profile: Profile.TENANT, ownerName: tenantName }));
    this.tenantName = tenantName;
  }
}

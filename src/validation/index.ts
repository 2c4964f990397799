import { crossTenantFlowRule } from './cross-tenant-flow';
import { privilegedPodSecurityRule } from './privileged-pod-security';
import { BundleRule } from './rule';

export * from './finding';

/**
 * Every bundle rule, in a stable order.
 * @internal
 */
export const BUNDLE_RULES: BundleRule[] = [crossTenantFlowRule, privilegedPodSecurityRule];

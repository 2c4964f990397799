import type { NamespaceBundle } from '../namespace-bundle';

/**
 * A finding before it is matched against acknowledgements.
 * @internal
 */
export interface RawFinding {
  readonly ruleId: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * A synth-time rule over one bundle.
 * @internal
 */
export interface BundleRule {
  readonly id: string;
  check(bundle: NamespaceBundle): RawFinding[];
}

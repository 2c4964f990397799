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
 * What a rule may look at beyond its bundle.
 * @internal
 */
export interface RuleContext {
  /** Every bundle of the app. */
  readonly bundles: NamespaceBundle[];
}

/**
 * A synth-time rule over one bundle.
 * @internal
 */
export interface BundleRule {
  readonly id: string;
  check(bundle: NamespaceBundle, context: RuleContext): RawFinding[];
}

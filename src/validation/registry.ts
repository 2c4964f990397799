import { IConstruct } from 'constructs';
import type { NamespaceBundle } from '../namespace-bundle';

// Bundles per app (keyed by the construct tree's root), in creation order.
const REGISTRY = new WeakMap<IConstruct, Map<string, NamespaceBundle>>();

/**
 * The bundles of the app that `scope` belongs to, by namespace name.
 * @internal
 */
export function bundleRegistry(scope: IConstruct): Map<string, NamespaceBundle> {
  const root = scope.node.root;
  let bundles = REGISTRY.get(root);
  if (!bundles) {
    bundles = new Map();
    REGISTRY.set(root, bundles);
  }
  return bundles;
}

import { RuleId } from './finding';
import { AppRule, RawFinding, RuleContext } from './rule';

/**
 * A flow to or from a managed namespace must be declared with the bundle (or `bundle.pods()`),
 * so that both sides are written. Declared through an external peer such as
 * `Peer.namespaceNamed('payments')`, only our side is written and the other side still denies.
 * @internal
 */
export const oneSidedFlowRule: AppRule = {
  id: RuleId.ONE_SIDED_FLOW,
  check(context: RuleContext): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const bundle of context.bundles) {
      for (const flow of bundle._flows()) {
        const managed = new Set(flow.peerSpec.managedEndpoints.map(e => e.bundle.namespaceName));
        const named = flow.peerSpec.selectors.flatMap(s => s.namespaceNames ?? []);
        for (const name of new Set(named)) {
          const other = context.bundlesByName.get(name);
          if (!other || managed.has(name) || name === bundle.namespaceName) continue;
          const side = flow.direction === 'Ingress' ? 'egress' : 'ingress';
          findings.push({
            ruleId: RuleId.ONE_SIDED_FLOW,
            scope: bundle,
            namespaceName: bundle.namespaceName,
            message: `policy ${flow.policyName} in "${bundle.namespaceName}" names managed namespace "${name}" through an external peer, so its ${side} side is never written and ${other.node.path} still denies the traffic`,
            fix: 'declare the flow with the bundle itself (or its pods({...})) instead of Peer.namespaceNamed/Peer.pods, so both sides are written',
          });
        }
      }
    }
    return findings;
  },
};

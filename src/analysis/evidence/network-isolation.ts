// MTB network isolation: what can connect to a tenant's pods, and what its pods can connect to,
// across tenants, teams and zones. Derived from the reachability analysis of the whole input (every
// NetworkPolicy and cluster network policy, as the cluster enforces them now), not from rule text.
import { reachabilityOf, ruleOwners } from './reachability';
import { listText, ref, refs, sortedUnique } from './refs';
import { ControlContext, ControlResult } from './types';
import { Acknowledgement } from '../../model/acknowledgements';
import { ClusterModel, Namespace, NetworkPolicy } from '../../model/cluster-model';
import { PolicyRule } from '../../model/network-policy';
import {
  describeIsolatedPeer, isMonitoringRule, isolatedPeer, IsolatedPeer, isolationAcknowledgement, isolationRuleFor,
} from '../../model/tenant-isolation';
import { ACKNOWLEDGED_ANNOTATION, Direction, Profile, PROFILE_LABEL } from '../../model/vocabulary';
import { DirectionVerdict, NamespacePortMatrix, PodInfo, PortSet, ReachabilityModel, WHERE_IPBLOCKS_MATCH_PODS } from '../reachability';

/** The reachability of one model, built once for every namespace the evidence covers. */
interface Reachability {
  readonly model: ReachabilityModel;
  readonly matrix: NamespacePortMatrix;
  /** The NetworkPolicy of each rule label (`customer1/allow-from-x ingress[0]`), as verdicts name them. */
  readonly policyOfRule: ReadonlyMap<string, NetworkPolicy>;
  /** When the answers hold only on some plugins: where (see ReachabilityModel.whereIpBlocksMatchPods). */
  readonly condition?: string;
}

const reachabilities = new WeakMap<ClusterModel, readonly Reachability[]>();

/** The analysis of the input; then, where the plugin is not declared, the one of plugins that match ipBlocks against pods. */
function isolationAnalyses(model: ClusterModel): readonly Reachability[] {
  let found = reachabilities.get(model);
  if (!found) {
    const reach = reachabilityOf(model);
    const policyOfRule = ruleOwners(model);
    const twin = reach.whereIpBlocksMatchPods;
    found = [
      { model: reach, matrix: reach.namespaceMatrix(), policyOfRule },
      ...(twin ? [{ model: twin, matrix: twin.namespaceMatrix(), policyOfRule, condition: WHERE_IPBLOCKS_MATCH_PODS }] : []),
    ];
    reachabilities.set(model, found);
  }
  return found;
}

/** DNS: what a tenant may send to a zone that serves it (the cluster's DNS is recognisable in manifests by its port only). */
const DNS_PORTS = PortSet.range('UDP', 53).union(PortSet.range('TCP', 53));

/** The traffic between the tenant and another namespace, in one direction. */
interface Flow {
  readonly other: Namespace;
  readonly peer: IsolatedPeer;
  readonly direction: Direction;
  /** The ports on which some pod reaches some pod, less the exempt ones. */
  readonly ports: PortSet;
  /** The exempt ports that are open: from a zone, the declared monitoring's named ports; to a zone, DNS. */
  readonly exempt: PortSet;
  /** A pod pair and port of the flow, with what admits it, when `ports` is not empty. */
  readonly example?: { readonly text: string; readonly evidence: readonly string[] };
  /** Where the flow exists, when only on some plugins. */
  readonly condition?: string;
}

/**
 * MTB-PL1-BC-NI-1 for a tenant's namespace (`namespace-guard.dev/profile: tenant`): no pod of another
 * tenant's namespace, of a team's, or of a zone's that does not face the internet can connect to a pod
 * of the tenant, and no pod of the tenant to one of theirs, on any port, unless the tenant's Namespace
 * acknowledges it naming that namespace (`cross-tenant-flow` for a tenant, `tenant-data-access` for a
 * team or zone). Exempt, as the rules exempt them: internet-facing zones; into the tenant, a zone on
 * the named ports of the cluster's declared monitoring (the tenant's rules annotated
 * `namespace-guard.dev/flow: monitoring`); out of it, DNS (port 53) to a zone. Namespaces without a
 * profile are left to the default-deny controls and named in the reason.
 */
export function tenantNetworkIsolation(context: ControlContext): ControlResult {
  const { model, namespace: tenant } = context;
  if (tenant.profile !== Profile.TENANT) {
    return {
      status: 'not-applicable',
      evidence: [],
      reason: `${tenant.name} is not a tenant's namespace (${PROFILE_LABEL}: ${Profile.TENANT}), which is what this control isolates`,
    };
  }
  const candidates = model.namespaces.filter(n => n !== tenant && isolatedPeer(n) !== undefined);
  if (candidates.length === 0) {
    return {
      status: 'not-applicable',
      evidence: [],
      reason: `no other tenant, team or zone namespace in the input for ${tenant.name} to be isolated from (internet-facing zones are exempt)`,
    };
  }

  const flows: Flow[] = [];
  const unchecked: string[] = [];
  const internetZones: string[] = [];
  for (const reach of isolationAnalyses(model)) {
    const names = reach.matrix.namespaces;
    const t = names.indexOf(tenant.name);
    for (let o = 0; o < names.length; o++) {
      const info = reach.model.namespaces[o];
      const other = model.namespace(names[o]);
      if (o === t || info.external || other === undefined) continue;
      const into = reach.matrix.someAt(o, t);
      const out = reach.matrix.someAt(t, o);
      if (into.isEmpty && out.isEmpty) continue;
      const peer = isolatedPeer(other);
      if (peer === undefined) {
        if (reach.condition !== undefined) continue; // said once, from the first analysis
        const what = [...(into.isEmpty ? [] : [`${other.name} reaches ${tenant.name} on ${into}`]), ...(out.isEmpty ? [] : [`${tenant.name} reaches ${other.name} on ${out}`])];
        (other.profile === Profile.ZONE ? internetZones : unchecked).push(...what);
        continue;
      }
      for (const [direction, ports] of [['ingress', into], ['egress', out]] as const) {
        if (ports.isEmpty) continue;
        const flow = examine(reach, tenant, other, peer, direction);
        // A plugin's answer counts for the ports it adds to what every plugin lets through.
        const known = flows.find(f => f.other === other && f.direction === direction);
        const extra = known ? flow.ports.subtract(known.ports) : flow.ports;
        if (reach.condition === undefined) flows.push(flow);
        else if (!extra.isEmpty) flows.push({ ...flow, ports: extra, exempt: PortSet.NONE, condition: reach.condition });
      }
    }
  }

  const reaching = flows.filter(f => !f.ports.isEmpty);
  const acknowledged = reaching.map(f => ({ flow: f, ack: isolationAcknowledgement(tenant, f.other, f.peer) }));
  const failing = acknowledged.filter(a => a.ack === undefined).map(a => a.flow);
  const accepted = acknowledged.filter((a): a is { flow: Flow; ack: Acknowledgement } => a.ack !== undefined);

  const notes = [
    ...(accepted.length > 0 ? [`acknowledged on Namespace ${tenant.name}: ${accepted.map(({ flow, ack }) => `${flowText(tenant, flow)} (${ack.rule}: ${ack.reason})`).join('; ')}`] : []),
    ...exemptNotes(tenant, flows, internetZones),
    ...(unchecked.length > 0 ? [`not checked here, as namespaces without a profile (the default-deny controls cover them): ${unchecked.join('; ')}`] : []),
  ];
  const others = sortedUnique(candidates.map(n => n.name));
  if (failing.length === 0) {
    const isolating = refs(tenant.networkPolicies.filter(p => !p.staged && !p.monitorOnly));
    return {
      status: 'pass',
      evidence: [...isolating, ...(accepted.length > 0 && tenant.object ? [ref(tenant.object)] : [])],
      reason: [
        `no pod of ${namesText(others)} can connect to a pod of ${tenant.name}, nor one of ${tenant.name} to theirs, on any port`
          + `${accepted.length > 0 || flows.some(f => !f.exempt.isEmpty) ? ' but the acknowledged and exempt ones below' : ''}`
          + ' (reachability over every NetworkPolicy and cluster network policy of the input, as enforced now)',
        ...notes,
      ].join('; '),
    };
  }
  const acknowledge = sortedUnique(failing.map(f => `${isolationRuleFor(f.peer)}[${f.other.name}]`));
  return {
    status: 'fail',
    evidence: sortedUnique(failing.flatMap(f => f.example?.evidence ?? [])),
    reason: [...failing.map(f => `${flowText(tenant, f)}${f.example ? ` (${f.example.text})` : ''}`), ...notes].join('; '),
    fix: `remove the flows or narrow the policies named; where a flow is intended, acknowledge it on Namespace ${tenant.name} with the reason `
      + `(${ACKNOWLEDGED_ANNOTATION}: ${listText(acknowledge)}; with the library, TenantNamespace.acknowledge naming the namespace in appliesTo)`,
  };
}

/** `team namespace analytics reaches customer1 on TCP 5432`, `customer1 reaches tenant namespace customer2 on all`. */
function flowText(tenant: Namespace, flow: Flow): string {
  const other = describeIsolatedPeer(flow.other, flow.peer, false);
  const where = flow.condition === undefined ? '' : ` ${flow.condition}`;
  return flow.direction === 'ingress' ? `${other} reaches ${tenant.name} on ${flow.ports}${where}` : `${tenant.name} reaches ${other} on ${flow.ports}${where}`;
}

function exemptNotes(tenant: Namespace, flows: readonly Flow[], internetZones: readonly string[]): string[] {
  const exempt = flows.filter(f => !f.exempt.isEmpty).map(f => (f.direction === 'ingress'
    ? `${describeIsolatedPeer(f.other, f.peer, false)} reaches ${tenant.name} on ${f.exempt} (the cluster's declared monitoring, on its named ports)`
    : `${tenant.name} reaches ${describeIsolatedPeer(f.other, f.peer, false)} on ${f.exempt} (DNS)`));
  return [
    ...(exempt.length > 0 ? [`exempt: ${exempt.join('; ')}`] : []),
    ...(internetZones.length > 0 ? [`exempt as internet-facing zones: ${internetZones.join('; ')}`] : []),
  ];
}

/** `a`, `a or b`, `a, b or c`, `a, b, c, d, e or 3 more`. */
function namesText(names: readonly string[]): string {
  const shown = names.length <= 5 ? [...names] : [...names.slice(0, 5), `${names.length - 5} more`];
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/**
 * The ports of one direction between the tenant and `other`, pod pair by pod pair, less the exempt
 * ones, with the first pair and port that remain explained by the verdict of the analysis.
 */
function examine(reach: Reachability, tenant: Namespace, other: Namespace, peer: IsolatedPeer, direction: Direction): Flow {
  const tenantPods = podsOf(reach, tenant.name);
  const otherPods = podsOf(reach, other.name);
  const [sources, destinations] = direction === 'ingress' ? [otherPods, tenantPods] : [tenantPods, otherPods];
  let ports = PortSet.NONE;
  let exempt = PortSet.NONE;
  let example: { from: PodInfo; to: PodInfo; ports: PortSet } | undefined;
  for (const a of sources) {
    for (const b of destinations) {
      const allowed = reach.model.allowedPorts(a.key, b.key);
      if (allowed.isEmpty) continue;
      const exemptHere = allowed.intersect(exemptPorts(tenant, other, peer, direction, a, b));
      const left = allowed.subtract(exemptHere);
      ports = ports.union(left);
      exempt = exempt.union(exemptHere);
      if (!example && !left.isEmpty) example = { from: a, to: b, ports: left };
    }
  }
  return { other, peer, direction, ports, exempt, ...(example ? { example: explain(reach, example.from, example.to, example.ports) } : {}) };
}

function podsOf(reach: Reachability, namespace: string): readonly PodInfo[] {
  return reach.model.namespaces.find(n => n.name === namespace && !n.external)?.pods ?? [];
}

/**
 * What the rules exempt, per pod pair: into the tenant from a zone, the named ports that the
 * tenant's monitoring rules open to that pod; out of the tenant to a zone, DNS.
 */
function exemptPorts(tenant: Namespace, other: Namespace, peer: IsolatedPeer, direction: Direction, from: PodInfo, to: PodInfo): PortSet {
  if (peer !== 'zone') return PortSet.NONE;
  if (direction === 'egress') return DNS_PORTS;
  let ports = PortSet.NONE;
  for (const np of tenant.networkPolicies) {
    if (np.staged || np.monitorOnly || !np.policy.affectsIngress || !np.policy.podSelector.matches(to.labels)) continue;
    for (const rule of np.policy.ingress) {
      if (!isMonitoringRule(np, rule) || !admitsPod(rule, other, from)) continue;
      for (const p of rule.ports ?? []) {
        if (p.kind !== 'named') continue;
        for (const c of to.ports) if (c.name === p.name && c.protocol === p.protocol) ports = ports.union(PortSet.range(c.protocol, c.port));
      }
    }
  }
  return ports;
}

/** Whether a rule's peers select `pod` of namespace `ns` (not the policy's own): by namespace and pod labels; ipBlocks do not count. */
function admitsPod(rule: PolicyRule, ns: Namespace, pod: PodInfo): boolean {
  if (rule.peers === undefined) return true;
  return rule.peers.some(p => p.kind === 'selector' && p.namespaceSelector !== undefined && p.namespaceSelector.matches(ns.labels)
    && (p.podSelector?.matches(pod.labels) ?? true));
}

/** The verdict on one pair and the first open port: which rules (or tiers) admit it on each side. */
function explain(reach: Reachability, from: PodInfo, to: PodInfo, ports: PortSet): { text: string; evidence: string[] } {
  const [first] = ports.ranges();
  const verdict = reach.model.evaluate(from.key, to.key, first.from, first.protocol);
  const egress = side(reach, verdict.egress, 'egress', from.key);
  const ingress = side(reach, verdict.ingress, 'ingress', to.key);
  return {
    text: `for example ${from.key} → ${to.key} on ${first.protocol} ${first.from}: ${egress.text}; ${ingress.text}`,
    evidence: [...egress.evidence, ...ingress.evidence],
  };
}

function side(reach: Reachability, verdict: DirectionVerdict, direction: Direction, pod: string): { text: string; evidence: string[] } {
  const tier = verdict.decidedBy === 'Admin' ? verdict.admin : verdict.decidedBy === 'Baseline' ? verdict.baseline : undefined;
  if (tier) return { text: `${direction} of ${pod} accepted by ${tier.text}`, evidence: [tier.policy] };
  if (verdict.decidedBy === 'NetworkPolicy') {
    const policies = verdict.allowingRules.map(label => reach.policyOfRule.get(label)).filter((p): p is NetworkPolicy => p !== undefined);
    return { text: `${direction} of ${pod} allowed by ${verdict.allowingRules.join(', ')}`, evidence: refs(policies) };
  }
  return { text: `no NetworkPolicy isolates ${pod} for ${direction}`, evidence: [] };
}

import { UnitInfo } from './cluster';
import { Engine } from './engine';
import { describeAddresses, outsideNoun } from './internet';
import { ASSUMED_CLUSTER_RANGES_TEXT } from '../../model/cluster-network';
import {
  ClusterAction, ClusterPeer, ClusterPolicyRule, ClusterTier, describeClusterPeer, describeClusterPort, describeClusterRule,
} from '../../model/cluster-policy';
import { Labels } from '../../model/labels';
import { describePolicyPort, PolicyPeer, PolicyRule } from '../../model/network-policy';
import { Direction, ProtocolName as Protocol } from '../../model/vocabulary';
import { AddressSet } from '../../private/address-set';

/** The first matching rule of the Admin or Baseline tier, which decided its part of the traffic. */
export interface TierDecision {
  readonly tier: ClusterTier;
  /** Accept, Deny or Pass; v1alpha1's Allow reads as Accept. */
  readonly action: ClusterAction;
  /** `ClusterNetworkPolicy tenant-isolation`. */
  readonly policy: string;
  /** `rule <name>`, or `ingress[0]` for a rule without a name. */
  readonly rule: string;
  /** undefined for the BaselineAdminNetworkPolicy, which has none. */
  readonly priority?: number;
  /** `ClusterNetworkPolicy tenant-isolation rule deny-other-tenants (priority 100)`. */
  readonly text: string;
}

/** Which tier's answer a direction got: the NetworkPolicies', a cluster tier's, or the default (allowed). */
export type DecidingTier = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';

/** The outcome of one direction (egress from the client, or ingress to the server). */
export interface DirectionVerdict {
  readonly allowed: boolean;
  /** True when some NetworkPolicy selecting the pod has this policy type. */
  readonly isolated: boolean;
  /** `namespace/name` of the NetworkPolicies that isolate the pod in this direction. */
  readonly isolatingPolicies: readonly string[];
  /**
   * NetworkPolicy rules that allow the connection, e.g. `y/allow-x ingress[0]`, when the
   * NetworkPolicies decide (empty otherwise).
   */
  readonly allowingRules: readonly string[];
  /** The tier that decided: Admin (Accept or Deny), NetworkPolicy, Baseline, or none (`default`: allowed). */
  readonly decidedBy: DecidingTier;
  /** The first Admin tier rule that matches: it accepted, denied, or passed the traffic on. */
  readonly admin?: TierDecision;
  /** The first Baseline tier rule that matches, when the traffic reached that tier. */
  readonly baseline?: TierDecision;
}

/** Whether `from` may open a connection to `to` on `protocol`/`port`, and why. */
export interface Verdict {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
  /** One human sentence, starting with `allowed:` or `denied:`. */
  readonly explanation: string;
  /**
   * The explanation as sentences, one per line: per direction, the Admin tier rule that decided or
   * passed the traffic, which NetworkPolicies isolate the pod and which rule admits the traffic, or
   * why each rule does not (port, peer selector, ipBlock), and the Baseline tier when it decides.
   */
  readonly sentences: readonly string[];
}

const NOT_ISOLATED: DirectionVerdict = { allowed: true, isolated: false, isolatingPolicies: [], allowingRules: [], decidedBy: 'default' };

/** Builds a verdict with explanation; the slow, descriptive twin of Engine.allowedPorts. */
export function explainConnection(
  engine: Engine, from: UnitInfo, to: UnitInfo, port: number, protocol: Protocol, selfAllowed: boolean, scoped: ReadonlySet<UnitInfo> = new Set(),
): Verdict {
  const base = { from: from.pod.key, to: to.pod.key, port, protocol };
  if (selfAllowed && from.index === to.index) {
    return {
      ...base,
      allowed: true,
      egress: NOT_ISOLATED,
      ingress: NOT_ISOLATED,
      explanation: `allowed: ${who(from)} is talking to itself, which this model does not subject to network policy (selfTraffic: 'allow')`,
      sentences: [`${who(from)} is talking to itself, which this model does not subject to network policy (selfTraffic: 'allow').`],
    };
  }
  const egress = directionVerdict(engine, 'egress', from.index, to.index, to.index, port, protocol);
  const ingress = directionVerdict(engine, 'ingress', to.index, from.index, to.index, port, protocol);
  const allowed = egress.allowed && ingress.allowed;
  const traffic = `${protocol}/${port}`;
  // A pod whose pods the policies treat differently (by address, by a label their controller sets) answers for some of them.
  const variants = variantClauses(from, to, scoped);
  const scope = variants.length === 0 ? [] : [`For ${variants.join(' and ')}:`];
  const sentences = [
    ...scope,
    ...directionSentences(engine, 'egress', egress, from, to, port, protocol),
    ...directionSentences(engine, 'ingress', ingress, from, to, port, protocol),
  ];
  const explanation = explain(allowed, who(from), who(to), traffic, egress, ingress) + (variants.length === 0 ? '' : ` (for ${variants.join(' and ')})`);
  return { ...base, allowed, egress, ingress, explanation, sentences };
}

function directionVerdict(
  engine: Engine,
  direction: Direction,
  self: number,
  peer: number,
  dst: number,
  port: number,
  protocol: Protocol,
): DirectionVerdict {
  const policies = (direction === 'egress' ? engine.egressPolicies : engine.ingressPolicies)[self];
  const isolation = { isolated: policies.length > 0, isolatingPolicies: policies.map((p) => p.key) };
  const admin = firstMatch(engine, engine.tierRulesOf('Admin', direction, self), peer, dst, port, protocol);
  if (admin !== undefined && admin.action !== 'Pass') {
    return { ...isolation, allowed: admin.action === 'Accept', allowingRules: [], decidedBy: 'Admin', admin: tierDecision(admin) };
  }
  // Undecided or passed: the NetworkPolicies decide for a pod they isolate, else the Baseline tier.
  const passed = admin === undefined ? {} : { admin: tierDecision(admin) };
  if (policies.length > 0) {
    const allowingRules = policies
      .flatMap((p) => p[direction])
      .filter((r) => engine.ruleMatchesPeer(r.id, peer) && engine.store.get(engine.rulePorts(r.id, dst)).contains(protocol, port))
      .map((r) => r.label);
    return { ...isolation, allowed: allowingRules.length > 0, allowingRules, decidedBy: 'NetworkPolicy', ...passed };
  }
  const baseline = firstMatch(engine, engine.tierRulesOf('Baseline', direction, self), peer, dst, port, protocol);
  if (baseline !== undefined) {
    // A Baseline Pass leaves the last tier: the default, allowed.
    return { ...isolation, allowed: baseline.action !== 'Deny', allowingRules: [], decidedBy: 'Baseline', ...passed, baseline: tierDecision(baseline) };
  }
  return { ...NOT_ISOLATED, ...passed };
}

/** The first rule of a tier that matches the peer and the port: the one that decides. */
function firstMatch(
  engine: Engine,
  rules: readonly ClusterPolicyRule[],
  peer: number,
  dst: number,
  port: number,
  protocol: Protocol,
): ClusterPolicyRule | undefined {
  return rules.find((r) => engine.clusterRuleMatchesPeer(r, peer) && engine.store.get(engine.clusterRulePorts(r, dst)).contains(protocol, port));
}

function tierDecision(rule: ClusterPolicyRule): TierDecision {
  const p = rule.policy;
  return {
    tier: p.tier,
    action: rule.action,
    policy: p.label,
    rule: rule.label,
    ...(p.priority === undefined ? {} : { priority: p.priority }),
    text: describeClusterRule(rule),
  };
}

function explain(allowed: boolean, from: string, to: string, traffic: string, egress: DirectionVerdict, ingress: DirectionVerdict): string {
  const egressText = clause(`egress from ${from}`, egress, `no egress rule allows ${traffic} to ${to}`);
  const ingressText = clause(`ingress to ${to}`, ingress, `no ingress rule allows ${traffic} from ${from}`);
  if (allowed) {
    const untouched = (v: DirectionVerdict) => v.decidedBy === 'default' && v.admin === undefined;
    if (untouched(egress) && untouched(ingress)) {
      return `allowed: no NetworkPolicy isolates egress from ${from} or ingress to ${to}`;
    }
    return `allowed: ${egressText}; ${ingressText}`;
  }
  // Only the failing directions explain a denial.
  return `denied: ${[egress.allowed ? '' : egressText, ingress.allowed ? '' : ingressText].filter((t) => t !== '').join('; ')}`;
}

const ACTION_PAST: Readonly<Record<ClusterAction, string>> = { Accept: 'accepted', Deny: 'denied', Pass: 'passed' };

function clause(subject: string, v: DirectionVerdict, denial: string): string {
  if (v.decidedBy === 'Admin') return `${subject} is ${ACTION_PAST[v.admin!.action]} by the Admin tier: ${v.admin!.text}`;
  const passed = v.admin === undefined ? undefined : `${subject} is passed by the Admin tier: ${v.admin.text} to the NetworkPolicies`;
  switch (v.decidedBy) {
    case 'NetworkPolicy':
      if (passed === undefined) {
        return v.allowed ? `${subject} is allowed by ${v.allowingRules.join(', ')}` : `${subject} is isolated by ${v.isolatingPolicies.join(', ')} and ${denial}`;
      }
      return v.allowed ? `${passed}, and allowed by ${v.allowingRules.join(', ')}` : `${passed}, which isolate it (${v.isolatingPolicies.join(', ')}), and ${denial}`;
    case 'Baseline': {
      const b = v.baseline!;
      const outcome = `${ACTION_PAST[b.action]} by the Baseline tier: ${b.text}${b.action === 'Pass' ? ' (allowed by default)' : ''}`;
      return passed === undefined ? `${subject} is not isolated by a NetworkPolicy and is ${outcome}` : `${passed}, none of which isolates it, and is ${outcome}`;
    }
    default:
      return passed === undefined ? `${subject} is not isolated` : `${passed}, none of which isolates it`;
  }
}

const ACTION_VERB: Readonly<Record<ClusterAction, string>> = { Accept: 'accepts', Deny: 'denies', Pass: 'passes' };

/**
 * Sentences for one direction: egress is the source's side, ingress the destination's. The Admin
 * tier comes first: the rule that decided or passed the traffic, or why none of its rules matches.
 * Then each rule of the isolating NetworkPolicies is named with what admits the traffic or the
 * first thing that stops it, so a reader can tell a wrong port from a selector that misses the
 * other pod; without isolating NetworkPolicies, the Baseline tier the same way.
 */
function directionSentences(
  engine: Engine,
  direction: Direction,
  verdict: DirectionVerdict,
  from: UnitInfo,
  to: UnitInfo,
  port: number,
  protocol: Protocol,
): string[] {
  const [self, peer] = direction === 'egress' ? [from, to] : [to, from];
  const side = direction === 'egress' ? 'Egress' : 'Ingress';
  const traffic = `${protocol}/${port} ${direction === 'egress' ? `to ${who(to)}` : `from ${who(from)}`}`;
  if (self.external === true) {
    const addresses = describeAddresses(self.pod.addresses, self.pod.addresses, outsideNoun(self.pod.kind));
    return [`${side}: ${who(self)} stands for addresses outside the cluster (${addresses}), which no policy selects, so its ${direction} is not restricted.`];
  }
  const lines: string[] = [];
  const adminRules = engine.tierRulesOf('Admin', direction, self.index);
  const firstRule = (tier: string, rule: ClusterPolicyRule) =>
    `${describeClusterRule(rule)} (${describeClusterRuleBody(rule)}) is the first ${tier} tier rule that matches it`;
  const adminRule = verdict.admin === undefined ? undefined : firstMatch(engine, adminRules, peer.index, to.index, port, protocol);
  if (adminRule !== undefined && verdict.decidedBy === 'Admin') {
    return [`${side}: the Admin tier ${ACTION_VERB[adminRule.action]} ${traffic}: ${firstRule('Admin', adminRule)}, so no NetworkPolicy or Baseline rule is consulted.`];
  }
  if (adminRule !== undefined) {
    lines.push(`${side}: the Admin tier passes ${traffic} to the NetworkPolicies: ${firstRule('Admin', adminRule)}.`);
  } else if (adminRules.length > 0) {
    lines.push(`${side}: no Admin tier rule matches ${traffic}:`, ...mismatchLines(engine, adminRules, peer, to, port, protocol));
  }
  const policies = (direction === 'egress' ? engine.egressPolicies : engine.ingressPolicies)[self.index];
  if (policies.length === 0) {
    const baselineRules = engine.tierRulesOf('Baseline', direction, self.index);
    const unselected = self.hostNetwork === true
      ? `${side}: ${who(self)} runs on the host network, which NetworkPolicies do not select on most network plugins (its traffic is the node's)`
      : `${side}: no NetworkPolicy of namespace ${self.namespace} selects ${who(self)} for ${direction}`;
    if (baselineRules.length === 0) return [...lines, `${unselected}, so its ${direction} is not restricted.`];
    const baselineRule = verdict.baseline === undefined ? undefined : firstMatch(engine, baselineRules, peer.index, to.index, port, protocol);
    if (baselineRule !== undefined) {
      const outcome = baselineRule.action === 'Pass' ? ' on to the default, which allows it' : '';
      return [...lines, `${unselected}, so the Baseline tier decides; it ${ACTION_VERB[baselineRule.action]} ${traffic}${outcome}: ${firstRule('Baseline', baselineRule)}.`];
    }
    return [
      ...lines,
      `${unselected}, so the Baseline tier decides, and no Baseline tier rule matches ${traffic}, so it is allowed:`,
      ...mismatchLines(engine, baselineRules, peer, to, port, protocol),
    ];
  }
  const names = policies.map((p) => p.key).join(', ');
  const isolated = `${side}: ${who(self)} is isolated for ${direction} by ${names}`;
  const rules = policies.flatMap((p) => p[direction]);
  const admitting = rules.filter((r) => ruleMismatch(engine, r, peer, to, port, protocol) === undefined);
  if (admitting.length > 0) {
    const which = admitting.map((r) => `${r.label} (${describeRule(r)})`).join(', ');
    return [...lines, `${isolated}; ${traffic} is admitted by ${which}.`];
  }
  if (rules.length === 0) {
    return [...lines, `${isolated}, which ${policies.length === 1 ? 'has' : 'have'} no ${direction} rules, so all ${direction} is denied.`];
  }
  return [
    ...lines,
    `${isolated}, and no ${direction} rule admits ${traffic}:`,
    ...rules.map((r) => `  - ${r.label} (${describeRule(r)}): ${ruleMismatch(engine, r, peer, to, port, protocol)}.`),
  ];
}

/** One line per cluster policy rule, each saying why it does not match. */
function mismatchLines(
  engine: Engine, rules: readonly ClusterPolicyRule[], peer: UnitInfo, dst: UnitInfo, port: number, protocol: Protocol,
): string[] {
  return rules.map((r) => `  - ${describeClusterRule(r)} (${describeClusterRuleBody(r)}): ${clusterRuleMismatch(engine, r, peer, dst, port, protocol)}.`);
}

/** Why a cluster policy rule does not match the traffic (the caller knows it does not). */
function clusterRuleMismatch(engine: Engine, rule: ClusterPolicyRule, peer: UnitInfo, dst: UnitInfo, port: number, protocol: Protocol): string {
  const reasons: string[] = [];
  if (!engine.clusterRuleMatchesPeer(rule, peer.index)) {
    const role = rule.direction === 'egress' ? 'destination' : 'source';
    if (rule.failClosed === 'matches-nothing') {
      reasons.push('a peer of unknown type makes this Accept rule fail closed, matching nothing');
    } else {
      const why = rule.peers.map((p) => clusterPeerMismatch(engine, p, peer));
      reasons.push(noneOfPeers(role, why));
    }
  }
  const ports = engine.store.get(engine.clusterRulePorts(rule, dst.index));
  if (!ports.contains(protocol, port)) {
    const named = (rule.ports ?? []).flatMap((p) => (p.kind === 'named' ? [p.name] : []));
    if (ports.isEmpty) {
      reasons.push(`wrong port: named port ${named.join(', ')} names no container port of ${dst.pod.key}`);
    } else {
      const namedNote = named.length > 0 ? `; named ports ${named.join(', ')} resolve on ${dst.pod.key}'s container ports` : '';
      reasons.push(`wrong port: it matches ${ports.toString()}, not ${protocol}/${port}${namedNote}`);
    }
  }
  return reasons.join('; and ');
}

/** Why one cluster policy peer does not match `pod`. */
function clusterPeerMismatch(engine: Engine, peer: ClusterPeer, pod: UnitInfo): string {
  switch (peer.kind) {
    case 'networks':
      return addressMismatch(engine, pod, `networks ${peer.networks.map((n) => n.cidr).join(', ')}`, peer.networks.reduce((acc, n) => acc.union(n.addresses), AddressSet.EMPTY));
    case 'unevaluated':
      return `is not matched by a ${peer.field} peer, which is not evaluated and read as matching no pod`;
    case 'pods': {
      if (pod.external === true) return `${who(pod)} is outside the cluster, and namespaces and pods peers select pods of the cluster only`;
      if (pod.hostNetwork === true) return `${who(pod)} runs on the host network, which namespaces and pods peers never select`;
      const ns = engine.inventory.namespaces.find((n) => n.name === pod.namespace);
      if (!peer.namespaceSelector.matches(ns?.labels ?? {})) {
        return `namespace ${pod.namespace} (labels ${labelText(ns?.labels ?? {})}) does not match namespaces ${peer.namespaceSelector.text}`;
      }
      return `${who(pod)} (labels ${labelText(pod.labels)}) does not match pods ${peer.podSelector?.text ?? '{}'}`;
    }
  }
}

/** `Deny from namespaces tenant NotIn (a), on every port`. */
function describeClusterRuleBody(rule: ClusterPolicyRule): string {
  const word = rule.direction === 'egress' ? 'to' : 'from';
  const ports = rule.ports === undefined ? 'every port' : rule.ports.map(describeClusterPort).join(', ');
  const action = rule.action === rule.writtenAction ? rule.action : `${rule.writtenAction}, read as ${rule.action}`;
  return `${action} ${word} ${rule.peers.map(describeClusterPeer).join(' or ')}, on ${ports}`;
}

/** Why a rule does not admit the traffic, or undefined when it does. */
function ruleMismatch(engine: Engine, rule: PolicyRule, peer: UnitInfo, dst: UnitInfo, port: number, protocol: Protocol): string | undefined {
  const ports = engine.store.get(engine.rulePorts(rule.id, dst.index));
  const reasons: string[] = [];
  if (!engine.ruleMatchesPeer(rule.id, peer.index)) {
    const role = rule.direction === 'egress' ? 'destination' : 'source';
    const peers = rule.peers ?? [];
    const why = peers.map((p) => peerMismatch(engine, p, rule.policy.namespace, peer));
    reasons.push(noneOfPeers(role, why));
  }
  if (!ports.contains(protocol, port)) {
    const named = (rule.ports ?? []).filter((p) => p.kind === 'named').map((p) => p.kind === 'named' ? `${p.protocol}/${p.name}` : '');
    if (ports.isEmpty) {
      // Only named ports, none of which the destination declares: saying "it allows none" would hide why.
      reasons.push(`wrong port: ${named.join(', ')} names no container port of ${dst.pod.key}`);
    } else {
      const namedNote = named.length > 0 ? `; named ports ${named.join(', ')} resolve on ${dst.pod.key}'s container ports` : '';
      reasons.push(`wrong port: it allows ${ports.toString()}, not ${protocol}/${port}${namedNote}`);
    }
  }
  return reasons.length === 0 ? undefined : reasons.join('; and ');
}

/** Why one peer does not match `pod` (the caller knows it does not). */
function peerMismatch(engine: Engine, peer: PolicyPeer, policyNamespace: string, pod: UnitInfo): string {
  if (peer.kind === 'ipBlock') {
    const block = `ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except.length > 0 ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`;
    // Units never straddle a block: it holds all of the unit's addresses or none.
    if (pod.external !== true && !engine.ipBlocksMatchPods && peer.ipBlock.addresses.overlaps(pod.addresses)) {
      return engine.inventory.network.ipBlocksMatchPods === 'no'
        ? `${who(pod)} is a pod of the cluster, and on ${engine.inventory.network.networkBackend} ipBlocks never match the cluster's own pods and nodes`
        : `${who(pod)} is a pod of the cluster: whether ipBlocks match pod addresses is up to the network plugin (Calico: yes, Cilium: no), `
          + 'and this answer is for the plugins that do not';
    }
    return addressMismatch(engine, pod, block, peer.ipBlock.addresses);
  }
  if (pod.external === true) return `${who(pod)} is outside the cluster, and namespaceSelector and podSelector peers select pods of the cluster only`;
  if (pod.hostNetwork === true) return `${who(pod)} runs on the host network, which namespaceSelector and podSelector peers never select`;
  const ns = engine.inventory.namespaces.find((n) => n.name === pod.namespace);
  if (peer.namespaceSelector === undefined && pod.namespace !== policyNamespace) {
    return `${who(pod)} is in namespace ${pod.namespace}, but a peer without namespaceSelector only selects pods of ${policyNamespace}`;
  }
  if (peer.namespaceSelector !== undefined && !peer.namespaceSelector.matches(ns?.labels ?? {})) {
    return `namespace ${pod.namespace} (labels ${labelText(ns?.labels ?? {})}) does not match namespaceSelector ${peer.namespaceSelector.text}`;
  }
  return `${who(pod)} (labels ${labelText(pod.labels)}) does not match podSelector ${peer.podSelector?.text ?? '{}'}`;
}

/** Why an address block (whose membership is uniform over the unit) does not hold the unit's addresses. */
function addressMismatch(engine: Engine, unit: UnitInfo, block: string, held: AddressSet): string {
  // When the block holds none of the pod's addresses, that is said of the whole pod; else of this part of it.
  const whole = !held.overlaps(unit.pod.addresses);
  if (unit.external === true) {
    const addresses = whole ? unit.pod.addresses : unit.addresses;
    return `${who(unit)} (${describeAddresses(addresses, unit.pod.addresses, outsideNoun(unit.pod.kind))}) is not in ${block}`;
  }
  if (unit.pod.ips.length > 0) return `IP ${unit.pod.ips.join(', ')} of ${unit.pod.key} is not in ${block}`;
  if (!whole && unit.variant !== undefined) return `the pods of ${unit.pod.key} with ${unit.variant} are not in ${block}`;
  const network = engine.inventory.network;
  const declared = unit.hostNetwork === true ? network.nodeRangesDeclared : network.podRangesDeclared;
  const range = unit.hostNetwork === true ? 'node' : 'pod';
  const where = declared ? `the cluster's ${range} range, ${unit.pod.addresses.toString()}` : `the ${range} range ${ASSUMED_CLUSTER_RANGES_TEXT}`;
  return `${unit.pod.key} has no status.podIP: its pods' addresses (${where}) are not in ${block}`;
}

/** A unit as sentences name it: its pod's key (what sets it apart from the pod's other units is said once, up front). */
function who(unit: UnitInfo): string {
  return unit.pod.key;
}

/** `the pods of y/web with addresses in 10.0.2.0/24`, for each end whose pod's units answer differently (`scoped`). */
function variantClauses(from: UnitInfo, to: UnitInfo, scoped: ReadonlySet<UnitInfo>): string[] {
  return [from, ...(to === from ? [] : [to])].filter((u) => u.variant !== undefined && scoped.has(u))
    .map((u) => (u.external === true ? `${u.pod.key} (${u.variant})` : `the pods of ${u.pod.key} with ${u.variant}`));
}

/** A short description of a rule's peers and ports, e.g. `from namespaceSelector team=x, on TCP/80`. */
function describeRule(rule: PolicyRule): string {
  const word = rule.direction === 'egress' ? 'to' : 'from';
  const peers = rule.peers === undefined ? `${word} anywhere` : `${word} ${rule.peers.map(describePeer).join(' or ')}`;
  const ports = rule.ports === undefined ? 'on every port' : `on ${rule.ports.map(describePolicyPort).join(', ')}`;
  return `${peers}, ${ports}`;
}

function describePeer(peer: PolicyPeer): string {
  if (peer.kind === 'ipBlock') return `ipBlock ${peer.ipBlock.cidr}`;
  const parts = [
    peer.namespaceSelector === undefined ? undefined : `namespaceSelector ${peer.namespaceSelector.text}`,
    peer.podSelector === undefined ? undefined : `podSelector ${peer.podSelector.text}`,
  ].filter((t): t is string => t !== undefined);
  return parts.join(' + ');
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** Why the other pod matches none of a rule's peers, each distinct reason said once. */
function noneOfPeers(role: string, why: readonly string[]): string {
  if (why.length === 1) return `the ${role} ${why[0]}`;
  const distinct = [...new Set(why)];
  if (distinct.length === 1) return `the ${role} matches none of its ${why.length} peers: for each, ${distinct[0]}`;
  return `the ${role} matches none of its ${why.length} peers (${distinct.join('; ')})`;
}

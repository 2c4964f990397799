import { PodInfo } from './cluster';
import { Engine } from './engine';
import { Labels } from '../../model/labels';
import { describePolicyPort, NetworkPolicyInfo, PolicyPeer, PolicyRule } from '../../model/network-policy';
import { Direction, ProtocolName as Protocol } from '../../model/vocabulary';

/** The outcome of one direction (egress from the client, or ingress to the server). */
export interface DirectionVerdict {
  readonly allowed: boolean;
  /** True when some policy selecting the pod has this policy type. */
  readonly isolated: boolean;
  /** `namespace/name` of the policies that isolate the pod in this direction. */
  readonly isolatingPolicies: readonly string[];
  /** Rules that allow the connection, e.g. `y/allow-x ingress[0]` (empty when not isolated). */
  readonly allowingRules: readonly string[];
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
   * The explanation as sentences, one per line: per direction, which policies isolate the pod and
   * which rule admits the traffic, or why each rule does not (port, peer selector, ipBlock).
   */
  readonly sentences: readonly string[];
}

const NOT_ISOLATED: DirectionVerdict = { allowed: true, isolated: false, isolatingPolicies: [], allowingRules: [] };

/** Builds a verdict with explanation; the slow, descriptive twin of Engine.allowedPorts. */
export function explainConnection(engine: Engine, from: PodInfo, to: PodInfo, port: number, protocol: Protocol, selfAllowed: boolean): Verdict {
  const base = { from: from.key, to: to.key, port, protocol };
  if (selfAllowed && from.index === to.index) {
    return {
      ...base,
      allowed: true,
      egress: NOT_ISOLATED,
      ingress: NOT_ISOLATED,
      explanation: `allowed: ${from.key} is talking to itself, which this model does not subject to NetworkPolicy (selfTraffic: 'allow')`,
      sentences: [`${from.key} is talking to itself, which this model does not subject to NetworkPolicy (selfTraffic: 'allow').`],
    };
  }
  const egress = directionVerdict(engine, 'egress', engine.egressPolicies[from.index], to.index, to.index, port, protocol);
  const ingress = directionVerdict(engine, 'ingress', engine.ingressPolicies[to.index], from.index, to.index, port, protocol);
  const allowed = egress.allowed && ingress.allowed;
  const traffic = `${protocol}/${port}`;
  const sentences = [
    ...directionSentences(engine, 'egress', from, to, port, protocol),
    ...directionSentences(engine, 'ingress', from, to, port, protocol),
  ];
  return { ...base, allowed, egress, ingress, explanation: explain(allowed, from.key, to.key, traffic, egress, ingress), sentences };
}

function directionVerdict(
  engine: Engine,
  direction: Direction,
  policies: readonly NetworkPolicyInfo[],
  peer: number,
  dst: number,
  port: number,
  protocol: Protocol,
): DirectionVerdict {
  if (policies.length === 0) return NOT_ISOLATED;
  const allowingRules = policies
    .flatMap((p) => p[direction])
    .filter((r) => engine.ruleMatchesPeer(r.id, peer) && engine.store.get(engine.rulePorts(r.id, dst)).contains(protocol, port))
    .map((r) => r.label);
  return { allowed: allowingRules.length > 0, isolated: true, isolatingPolicies: policies.map((p) => p.key), allowingRules };
}

function explain(allowed: boolean, from: string, to: string, traffic: string, egress: DirectionVerdict, ingress: DirectionVerdict): string {
  const egressText = clause(`egress from ${from}`, egress, `no egress rule allows ${traffic} to ${to}`);
  const ingressText = clause(`ingress to ${to}`, ingress, `no ingress rule allows ${traffic} from ${from}`);
  if (allowed) {
    if (!egress.isolated && !ingress.isolated) {
      return `allowed: no NetworkPolicy isolates egress from ${from} or ingress to ${to}`;
    }
    return `allowed: ${egressText}; ${ingressText}`;
  }
  // Only the failing directions explain a denial.
  return `denied: ${[egress.allowed ? '' : egressText, ingress.allowed ? '' : ingressText].filter((t) => t !== '').join('; ')}`;
}

function clause(subject: string, v: DirectionVerdict, denial: string): string {
  if (!v.isolated) return `${subject} is not isolated`;
  if (v.allowed) return `${subject} is allowed by ${v.allowingRules.join(', ')}`;
  return `${subject} is isolated by ${v.isolatingPolicies.join(', ')} and ${denial}`;
}

/**
 * Sentences for one direction: egress is the source's side, ingress the destination's. Each rule of
 * the isolating policies is named with what admits the traffic or the first thing that stops it,
 * so a reader can tell a wrong port from a selector that misses the other pod.
 */
function directionSentences(engine: Engine, direction: Direction, from: PodInfo, to: PodInfo, port: number, protocol: Protocol): string[] {
  const [self, peer] = direction === 'egress' ? [from, to] : [to, from];
  const side = direction === 'egress' ? 'Egress' : 'Ingress';
  const traffic = `${protocol}/${port} ${direction === 'egress' ? `to ${to.key}` : `from ${from.key}`}`;
  const policies = (direction === 'egress' ? engine.egressPolicies : engine.ingressPolicies)[self.index];
  if (policies.length === 0) {
    return [`${side}: no NetworkPolicy of namespace ${self.namespace} selects ${self.key} for ${direction}, so its ${direction} is not restricted.`];
  }
  const names = policies.map((p) => p.key).join(', ');
  const isolated = `${side}: ${self.key} is isolated for ${direction} by ${names}`;
  const rules = policies.flatMap((p) => p[direction]);
  const admitting = rules.filter((r) => ruleMismatch(engine, r, peer, to, port, protocol) === undefined);
  if (admitting.length > 0) {
    const which = admitting.map((r) => `${r.label} (${describeRule(r)})`).join(', ');
    return [`${isolated}; ${traffic} is admitted by ${which}.`];
  }
  if (rules.length === 0) {
    return [`${isolated}, which ${policies.length === 1 ? 'has' : 'have'} no ${direction} rules, so all ${direction} is denied.`];
  }
  return [
    `${isolated}, and no ${direction} rule admits ${traffic}:`,
    ...rules.map((r) => `  - ${r.label} (${describeRule(r)}): ${ruleMismatch(engine, r, peer, to, port, protocol)}.`),
  ];
}

/** Why a rule does not admit the traffic, or undefined when it does. */
function ruleMismatch(engine: Engine, rule: PolicyRule, peer: PodInfo, dst: PodInfo, port: number, protocol: Protocol): string | undefined {
  const ports = engine.store.get(engine.rulePorts(rule.id, dst.index));
  const reasons: string[] = [];
  if (!engine.ruleMatchesPeer(rule.id, peer.index)) {
    const role = rule.direction === 'egress' ? 'destination' : 'source';
    const peers = rule.peers ?? [];
    const why = peers.map((p) => peerMismatch(engine, p, rule.policy.namespace, peer));
    reasons.push(why.length === 1 ? `the ${role} ${why[0]}` : `the ${role} matches none of its ${peers.length} peers (${why.join('; ')})`);
  }
  if (!ports.contains(protocol, port)) {
    const named = (rule.ports ?? []).filter((p) => p.kind === 'named').map((p) => p.kind === 'named' ? `${p.protocol}/${p.name}` : '');
    if (ports.isEmpty) {
      // Only named ports, none of which the destination declares: saying "it allows none" would hide why.
      reasons.push(`wrong port: ${named.join(', ')} names no container port of ${dst.key}`);
    } else {
      const namedNote = named.length > 0 ? `; named ports ${named.join(', ')} resolve on ${dst.key}'s container ports` : '';
      reasons.push(`wrong port: it allows ${ports.toString()}, not ${protocol}/${port}${namedNote}`);
    }
  }
  return reasons.length === 0 ? undefined : reasons.join('; and ');
}

/** Why one peer does not match `pod` (the caller knows it does not). */
function peerMismatch(engine: Engine, peer: PolicyPeer, policyNamespace: string, pod: PodInfo): string {
  if (peer.kind === 'ipBlock') {
    const block = `ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except.length > 0 ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`;
    if (pod.ips.length === 0) return `${pod.key} has no IP (${pod.kind === 'Pod' ? 'no status.podIP' : 'a workload template or placeholder'}), so ${block} cannot match it`;
    return `IP ${pod.ips.join(', ')} of ${pod.key} is not in ${block}`;
  }
  const ns = engine.inventory.namespaces.find((n) => n.name === pod.namespace);
  if (peer.namespaceSelector === undefined && pod.namespace !== policyNamespace) {
    return `${pod.key} is in namespace ${pod.namespace}, but a peer without namespaceSelector only selects pods of ${policyNamespace}`;
  }
  if (peer.namespaceSelector !== undefined && !peer.namespaceSelector.matches(ns?.labels ?? {})) {
    return `namespace ${pod.namespace} (labels ${labelText(ns?.labels ?? {})}) does not match namespaceSelector ${peer.namespaceSelector.text}`;
  }
  return `${pod.key} (labels ${labelText(pod.labels)}) does not match podSelector ${peer.podSelector?.text ?? '{}'}`;
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

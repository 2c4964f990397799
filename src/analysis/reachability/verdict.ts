import { PodInfo } from './cluster';
import { Engine } from './engine';
import { NetworkPolicyInfo } from '../../model/network-policy';
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
    };
  }
  const egress = directionVerdict(engine, 'egress', engine.egressPolicies[from.index], to.index, to.index, port, protocol);
  const ingress = directionVerdict(engine, 'ingress', engine.ingressPolicies[to.index], from.index, to.index, port, protocol);
  const allowed = egress.allowed && ingress.allowed;
  return { ...base, allowed, egress, ingress, explanation: explain(allowed, from.key, to.key, `${protocol}/${port}`, egress, ingress) };
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

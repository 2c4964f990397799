// networking.k8s.io/v1 NetworkPolicies, parsed and validated the way the API server reads them.
import { IpBlock } from './ip-block';
import { LabelSelector } from './labels';
import { describeOrigin, FieldError, Manifest, namespaceOf, withOrigin } from './manifests';
import { Direction, isProtocol, MAX_PORT, MIN_PORT, ProtocolName } from './vocabulary';
import { isRecord } from '../private/json';

/**
 * One entry of `from`/`to`. A selector peer with only `podSelector` means pods of the policy's
 * namespace; with only `namespaceSelector` every pod of the matching namespaces; with both, pods
 * matching both (AND) in one peer.
 */
export type PolicyPeer =
  | { readonly kind: 'selector'; readonly podSelector?: LabelSelector; readonly namespaceSelector?: LabelSelector }
  | { readonly kind: 'ipBlock'; readonly ipBlock: IpBlock };

/**
 * One entry of `ports`. `all` is a protocol without a port; `named` is resolved against the
 * destination pod's container ports (for ingress and egress alike).
 */
export type PolicyPort =
  | { readonly kind: 'all'; readonly protocol: ProtocolName }
  | { readonly kind: 'range'; readonly protocol: ProtocolName; readonly from: number; readonly to: number }
  | { readonly kind: 'named'; readonly protocol: ProtocolName; readonly name: string };

export interface PolicyRule {
  /** Index over all rules of the model (ingress and egress). */
  readonly id: number;
  /** E.g. `x/allow-dns egress[0]`. */
  readonly label: string;
  readonly direction: Direction;
  readonly policy: NetworkPolicyInfo;
  /** undefined when `from`/`to` is absent or empty: every source/destination, external ones included. */
  readonly peers?: readonly PolicyPeer[];
  /** undefined when `ports` is absent or empty: every port of every protocol. */
  readonly ports?: readonly PolicyPort[];
}

export interface NetworkPolicyInfo {
  readonly index: number;
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  /** policyTypes after defaulting. */
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly origin: string;
}

/** Compiles networking.k8s.io/v1 NetworkPolicy manifests, numbering their rules from 0. */
export function compilePolicies(manifests: readonly Manifest[]): NetworkPolicyInfo[] {
  let nextRuleId = 0;
  return manifests.map((m, index) => {
    const policy = compilePolicy(m, index, nextRuleId);
    nextRuleId += policy.ingress.length + policy.egress.length;
    return policy;
  });
}

/**
 * Compiles one NetworkPolicy; `index` is its position among the policies and its rules are numbered
 * from `firstRuleId`. Invalid fields raise a ManifestError naming the file, document and field.
 */
export function compilePolicy(m: Manifest, index: number, firstRuleId: number): NetworkPolicyInfo {
  return withOrigin(m, () => compileSpec(m, index, firstRuleId));
}

function compileSpec(m: Manifest, index: number, firstRuleId: number): NetworkPolicyInfo {
  const o = m.object;
  const namespace = namespaceOf(o);
  const name = String(o.metadata?.name);
  const spec = o.spec ?? {};
  if (!isRecord(spec)) throw new FieldError('spec', 'must be a mapping');
  const types = policyTypes(spec);
  const rawIngress = ruleList(spec.ingress, 'spec.ingress');
  const rawEgress = ruleList(spec.egress, 'spec.egress');

  // Rules are attached after the policy object exists, since each rule points back at it.
  const ingress: PolicyRule[] = [];
  const egress: PolicyRule[] = [];
  const policy: NetworkPolicyInfo = {
    index,
    key: `${namespace}/${name}`,
    namespace,
    name,
    // The field is required; a missing one decodes to the empty selector, which selects every pod.
    podSelector: spec.podSelector === undefined || spec.podSelector === null
      ? LabelSelector.EVERYTHING
      : LabelSelector.parse(spec.podSelector, 'spec.podSelector'),
    affectsIngress: types.ingress,
    affectsEgress: types.egress,
    ingress,
    egress,
    origin: describeOrigin(m),
  };
  let id = firstRuleId;
  rawIngress.forEach((r, i) => ingress.push(compileRule(r, 'ingress', i, id++, policy)));
  rawEgress.forEach((r, i) => egress.push(compileRule(r, 'egress', i, id++, policy)));
  return policy;
}

/**
 * policyTypes, defaulted as the API server does when absent or empty: Ingress always, Egress only
 * when the policy has at least one egress rule (`egress: []` does not count).
 */
function policyTypes(spec: Record<string, unknown>): { ingress: boolean; egress: boolean } {
  const raw = spec.policyTypes;
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
    return { ingress: true, egress: Array.isArray(spec.egress) && spec.egress.length > 0 };
  }
  if (!Array.isArray(raw)) throw new FieldError('spec.policyTypes', 'must be a list');
  raw.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') {
      throw new FieldError(`spec.policyTypes[${i}]`, `must be Ingress or Egress, got ${JSON.stringify(t)}`);
    }
  });
  return { ingress: raw.includes('Ingress'), egress: raw.includes('Egress') };
}

function ruleList(raw: unknown, path: string): Array<Record<string, unknown>> {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new FieldError(path, 'must be a list of rules');
  return raw.map((r, i) => {
    if (r === null) return {}; // `- ` with nothing after it is the empty rule `{}`
    if (!isRecord(r)) throw new FieldError(`${path}[${i}]`, 'must be a mapping');
    return r;
  });
}

function compileRule(raw: Record<string, unknown>, direction: Direction, i: number, id: number, policy: NetworkPolicyInfo): PolicyRule {
  const path = `spec.${direction}[${i}]`;
  const peerField = direction === 'ingress' ? 'from' : 'to';
  const peers = optionalList(raw[peerField], `${path}.${peerField}`, (p, pp) => compilePeer(p, pp));
  const ports = optionalList(raw.ports, `${path}.ports`, (p, pp) => compilePort(p, pp));
  return {
    id,
    label: `${policy.key} ${direction}[${i}]`,
    direction,
    policy,
    ...(peers === undefined ? {} : { peers }),
    ...(ports === undefined ? {} : { ports }),
  };
}

/** An absent or empty list means "no restriction", which callers see as undefined. */
function optionalList<T>(raw: unknown, path: string, compile: (item: unknown, path: string) => T): T[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new FieldError(path, 'must be a list');
  return raw.length === 0 ? undefined : raw.map((item, i) => compile(item, `${path}[${i}]`));
}

function compilePeer(raw: unknown, path: string): PolicyPeer {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping');
  const has = (f: string) => raw[f] !== undefined && raw[f] !== null;
  if (has('ipBlock')) {
    if (has('podSelector') || has('namespaceSelector')) {
      throw new FieldError(path, 'ipBlock cannot be combined with podSelector or namespaceSelector');
    }
    return { kind: 'ipBlock', ipBlock: IpBlock.parse(raw.ipBlock, `${path}.ipBlock`) };
  }
  if (!has('podSelector') && !has('namespaceSelector')) {
    throw new FieldError(path, 'must set podSelector, namespaceSelector or ipBlock');
  }
  return {
    kind: 'selector',
    ...(has('podSelector') ? { podSelector: LabelSelector.parse(raw.podSelector, `${path}.podSelector`) } : {}),
    ...(has('namespaceSelector') ? { namespaceSelector: LabelSelector.parse(raw.namespaceSelector, `${path}.namespaceSelector`) } : {}),
  };
}

function compilePort(raw: unknown, path: string): PolicyPort {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping');
  const protocol = raw.protocol ?? 'TCP'; // a port without protocol is TCP only
  if (!isProtocol(protocol)) {
    throw new FieldError(`${path}.protocol`, `must be TCP, UDP or SCTP, got ${JSON.stringify(protocol)}`);
  }
  const port = raw.port;
  const endPort = raw.endPort;
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null) throw new FieldError(`${path}.endPort`, 'requires port');
    return { kind: 'all', protocol };
  }
  if (typeof port === 'string' && !/^[0-9]+$/.test(port)) {
    if (endPort !== undefined && endPort !== null) {
      throw new FieldError(`${path}.endPort`, 'cannot be used with a named port');
    }
    return { kind: 'named', protocol, name: port };
  }
  const from = portNumber(typeof port === 'string' ? Number(port) : port, `${path}.port`);
  const to = endPort === undefined || endPort === null ? from : portNumber(endPort, `${path}.endPort`);
  if (to < from) throw new FieldError(`${path}.endPort`, `must not be less than port (${from})`);
  return { kind: 'range', protocol, from, to };
}

function portNumber(raw: unknown, path: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < MIN_PORT || raw > MAX_PORT) {
    throw new FieldError(path, `must be a port number between ${MIN_PORT} and ${MAX_PORT} or a port name`);
  }
  return raw;
}

/** Text for a policy port, e.g. `TCP/80`, `TCP/8080-8090`, `UDP/dns` or `SCTP/*`. */
export function describePolicyPort(p: PolicyPort): string {
  switch (p.kind) {
    case 'all':
      return `${p.protocol}/*`;
    case 'named':
      return `${p.protocol}/${p.name}`;
    case 'range':
      return p.from === p.to ? `${p.protocol}/${p.from}` : `${p.protocol}/${p.from}-${p.to}`;
  }
}

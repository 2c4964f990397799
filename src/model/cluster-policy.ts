// The cluster-wide tiers of the Kubernetes network-policy-api (policy.networking.k8s.io): the
// v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy and the v1alpha2 ClusterNetworkPolicy,
// read into one form: a tier, a priority, a subject and ordered rules with an action, peers and
// ports. Validated the way the CRDs' schemas do, so bad input fails here with its file and document.
import { IpBlock } from './ip-block';
import { LabelSelector } from './labels';
import { describeOrigin, FieldError, Manifest, manifestError } from './manifests';
import { Direction, isProtocol, MAX_PORT, MIN_PORT, ProtocolName } from './vocabulary';
import { compareText, isRecord } from '../private/json';

export const POLICY_API_GROUP = 'policy.networking.k8s.io';

/** Admin policies are evaluated before NetworkPolicies, Baseline policies after them. */
export type ClusterTier = 'Admin' | 'Baseline';

/** What a matching rule does; v1alpha1's `Allow` reads as `Accept`. */
export type ClusterAction = 'Accept' | 'Deny' | 'Pass';

/**
 * One entry of a rule's `from`/`to`. `pods` without a podSelector is a `namespaces` peer (every pod
 * of the matching namespaces). Neither selects pods on the host network. `networks` matches pod IPs
 * (egress only). `unevaluated` is a peer the analysis cannot evaluate: an experimental `nodes` or
 * `domainNames` peer (read as matching no pod), or one with no field it knows (`failClosed`).
 */
export type ClusterPeer =
  | { readonly kind: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector?: LabelSelector }
  | { readonly kind: 'networks'; readonly networks: readonly IpBlock[] }
  | { readonly kind: 'unevaluated'; readonly field: string; readonly failClosed: boolean };

/** One port match: every port of a protocol, a port or inclusive range, or a named container port (any protocol). */
export type ClusterPort =
  | { readonly kind: 'all'; readonly protocol: ProtocolName }
  | { readonly kind: 'range'; readonly protocol: ProtocolName; readonly from: number; readonly to: number }
  | { readonly kind: 'named'; readonly name: string };

export interface ClusterPolicyRule {
  /** Index over all cluster policy rules of the model (ingress and egress). */
  readonly id: number;
  /** Position among the policy's rules of this direction. */
  readonly index: number;
  readonly direction: Direction;
  readonly name?: string;
  /** `rule <name>`, or `ingress[0]` for a rule without a name. */
  readonly label: string;
  /** The action evaluated (Allow read as Accept; a Deny or Pass rule that fails closed as Deny). */
  readonly action: ClusterAction;
  /** The action as written: Allow, Accept, Deny or Pass. */
  readonly writtenAction: string;
  readonly policy: ClusterPolicyInfo;
  /** Never empty: the API requires at least one peer. */
  readonly peers: readonly ClusterPeer[];
  /** undefined when `ports`/`protocols` is absent: every port of every protocol. */
  readonly ports?: readonly ClusterPort[];
  /**
   * A peer with no field the analysis knows (a newer API version): the API asks implementations to
   * fail closed, so an Accept rule matches nothing and a Deny or Pass rule denies everything.
   */
  readonly failClosed?: 'matches-nothing' | 'denies-everything';
}

export interface ClusterPolicyInfo {
  /** Position among the cluster policies of the model. */
  readonly index: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly tier: ClusterTier;
  /** 0-1000, lower first; undefined for the BaselineAdminNetworkPolicy, which has none. */
  readonly priority?: number;
  /** The pods the policy applies to: namespaces matching `namespaceSelector`, pods matching `podSelector` (every pod when absent). */
  readonly subject: { readonly namespaceSelector: LabelSelector; readonly podSelector?: LabelSelector };
  readonly ingress: readonly ClusterPolicyRule[];
  readonly egress: readonly ClusterPolicyRule[];
  /** Where it was read, e.g. `cluster.yaml document 3`. */
  readonly origin: string;
  /** `ClusterNetworkPolicy tenant-isolation`. */
  readonly label: string;
}

interface Flavor {
  readonly version: string;
  /** The tier, unless the spec says (v1alpha2). */
  readonly tier?: ClusterTier;
  readonly actions: Readonly<Record<string, ClusterAction>>;
  readonly hasPriority: boolean;
  /** v1alpha1 matches ports with `ports`, v1alpha2 with `protocols`. */
  readonly portsField: 'ports' | 'protocols';
}

const V1ALPHA1 = `${POLICY_API_GROUP}/v1alpha1`;
const V1ALPHA2 = `${POLICY_API_GROUP}/v1alpha2`;

const FLAVORS: Readonly<Record<string, Flavor>> = {
  [`${V1ALPHA1} AdminNetworkPolicy`]: {
    version: V1ALPHA1, tier: 'Admin', actions: { Allow: 'Accept', Deny: 'Deny', Pass: 'Pass' }, hasPriority: true, portsField: 'ports',
  },
  [`${V1ALPHA1} BaselineAdminNetworkPolicy`]: {
    version: V1ALPHA1, tier: 'Baseline', actions: { Allow: 'Accept', Deny: 'Deny' }, hasPriority: false, portsField: 'ports',
  },
  [`${V1ALPHA2} ClusterNetworkPolicy`]: {
    version: V1ALPHA2, actions: { Accept: 'Accept', Deny: 'Deny', Pass: 'Pass' }, hasPriority: true, portsField: 'protocols',
  },
};

/** The BaselineAdminNetworkPolicy is a singleton with this name. */
export const BASELINE_ADMIN_POLICY_NAME = 'default';

const MAX_PRIORITY = 1000;
const EGRESS_ONLY_PEERS = ['networks', 'nodes', 'domainNames'];

/** Whether an object is one of the network-policy-api kinds the analyses evaluate. */
export function isClusterPolicyKind(apiVersion: string, kind: string): boolean {
  return FLAVORS[`${apiVersion} ${kind}`] !== undefined;
}

/**
 * Compiles one cluster policy; `index` is its position among the cluster policies and its rules
 * are numbered from `firstRuleId`. Invalid fields raise a ManifestError naming file, document and field.
 */
export function compileClusterPolicy(m: Manifest, index: number, firstRuleId: number): ClusterPolicyInfo {
  try {
    return compileSpec(m, index, firstRuleId);
  } catch (e) {
    // Named without a namespace: these kinds are cluster-scoped.
    if (!(e instanceof FieldError)) throw e;
    const name = typeof m.object.metadata?.name === 'string' ? ` ${m.object.metadata.name}` : '';
    throw manifestError(m, `${m.object.kind}${name}: ${e.message}`);
  }
}

/**
 * The order of evaluation: Admin before Baseline, lower priority first. Policies of one tier with
 * the same priority are in an order the API leaves to the implementation; here by name, then kind.
 * The BaselineAdminNetworkPolicy comes after the Baseline ClusterNetworkPolicies.
 */
export function compareClusterPolicies(a: ClusterPolicyInfo, b: ClusterPolicyInfo): number {
  const rank = (p: ClusterPolicyInfo) => p.priority ?? MAX_PRIORITY + 1;
  return (a.tier === b.tier ? 0 : a.tier === 'Admin' ? -1 : 1)
    || rank(a) - rank(b)
    || compareText(a.name, b.name)
    || compareText(a.kind, b.kind)
    || a.index - b.index;
}

/** `ClusterNetworkPolicy tenant-isolation rule deny-other-tenants (priority 100)`. */
export function describeClusterRule(rule: ClusterPolicyRule): string {
  const priority = rule.policy.priority === undefined ? '' : ` (priority ${rule.policy.priority})`;
  return `${rule.policy.label} ${rule.label}${priority}`;
}

/** `namespaces team=a`, `pods app=web in namespaces {}`, `networks 10.0.0.0/8`, `nodes (not evaluated)`. */
export function describeClusterPeer(peer: ClusterPeer): string {
  switch (peer.kind) {
    case 'pods':
      return peer.podSelector === undefined
        ? `namespaces ${peer.namespaceSelector.text}`
        : `pods ${peer.podSelector.text} in namespaces ${peer.namespaceSelector.text}`;
    case 'networks':
      return `networks ${peer.networks.map((n) => n.cidr).join(', ')}`;
    case 'unevaluated':
      return `${peer.field} (not evaluated)`;
  }
}

/** `TCP/80`, `TCP/8080-8090`, `UDP/*` or `named port http`. */
export function describeClusterPort(p: ClusterPort): string {
  switch (p.kind) {
    case 'all':
      return `${p.protocol}/*`;
    case 'named':
      return `named port ${p.name}`;
    case 'range':
      return p.from === p.to ? `${p.protocol}/${p.from}` : `${p.protocol}/${p.from}-${p.to}`;
  }
}

function compileSpec(m: Manifest, index: number, firstRuleId: number): ClusterPolicyInfo {
  const o = m.object;
  const flavor = FLAVORS[`${o.apiVersion} ${o.kind}`];
  const name = o.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new FieldError('metadata.name', 'is required');
  if (!flavor.hasPriority && name !== BASELINE_ADMIN_POLICY_NAME) {
    throw new FieldError('metadata.name', `must be "${BASELINE_ADMIN_POLICY_NAME}": the BaselineAdminNetworkPolicy is a singleton, got ${JSON.stringify(name)}`);
  }
  const spec = o.spec;
  if (!isRecord(spec)) throw new FieldError('spec', 'is required and must be a mapping');
  const tier = flavor.tier ?? readTier(spec.tier);
  const priority = flavor.hasPriority ? readPriority(spec.priority) : undefined;
  const rawIngress = ruleList(spec.ingress, 'spec.ingress');
  const rawEgress = ruleList(spec.egress, 'spec.egress');
  const ingress: ClusterPolicyRule[] = [];
  const egress: ClusterPolicyRule[] = [];
  const policy: ClusterPolicyInfo = {
    index,
    apiVersion: o.apiVersion,
    kind: o.kind,
    name,
    tier,
    ...(priority === undefined ? {} : { priority }),
    subject: readSubject(spec.subject),
    ingress,
    egress,
    origin: describeOrigin(m),
    label: `${o.kind} ${name}`,
  };
  let id = firstRuleId;
  rawIngress.forEach((r, i) => ingress.push(compileRule(r, 'ingress', i, id++, policy, flavor)));
  rawEgress.forEach((r, i) => egress.push(compileRule(r, 'egress', i, id++, policy, flavor)));
  return policy;
}

function readTier(raw: unknown): ClusterTier {
  if (raw !== 'Admin' && raw !== 'Baseline') {
    throw new FieldError('spec.tier', `must be Admin or Baseline, got ${JSON.stringify(raw ?? null)}`);
  }
  return raw;
}

function readPriority(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > MAX_PRIORITY) {
    throw new FieldError('spec.priority', `must be an integer from 0 to ${MAX_PRIORITY} (lower is evaluated first), got ${JSON.stringify(raw ?? null)}`);
  }
  return raw;
}

function readSubject(raw: unknown): ClusterPolicyInfo['subject'] {
  const path = 'spec.subject';
  if (!isRecord(raw)) throw new FieldError(path, 'is required: set namespaces or pods');
  const fields = presentFields(raw, ['namespaces', 'pods']);
  if (fields.length !== 1) {
    throw new FieldError(path, `must set exactly one of namespaces or pods, got ${fields.length === 0 ? 'neither' : 'both'}`);
  }
  if (fields[0] === 'namespaces') return { namespaceSelector: LabelSelector.parse(raw.namespaces, `${path}.namespaces`) };
  return namespacedPod(raw.pods, `${path}.pods`);
}

function namespacedPod(raw: unknown, path: string): { namespaceSelector: LabelSelector; podSelector: LabelSelector } {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping with namespaceSelector and podSelector');
  if (raw.podSelector === undefined || raw.podSelector === null) {
    throw new FieldError(`${path}.podSelector`, 'is required ({} selects every pod)');
  }
  return {
    // An absent namespaceSelector decodes to the empty selector: every namespace.
    namespaceSelector: raw.namespaceSelector === undefined || raw.namespaceSelector === null
      ? LabelSelector.EVERYTHING
      : LabelSelector.parse(raw.namespaceSelector, `${path}.namespaceSelector`),
    podSelector: LabelSelector.parse(raw.podSelector, `${path}.podSelector`),
  };
}

function ruleList(raw: unknown, path: string): Array<Record<string, unknown>> {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new FieldError(path, 'must be a list of rules');
  return raw.map((r, i) => {
    if (!isRecord(r)) throw new FieldError(`${path}[${i}]`, 'must be a mapping with action and ' + (path.endsWith('ingress') ? 'from' : 'to'));
    return r;
  });
}

function compileRule(
  raw: Record<string, unknown>,
  direction: Direction,
  i: number,
  id: number,
  policy: ClusterPolicyInfo,
  flavor: Flavor,
): ClusterPolicyRule {
  const path = `spec.${direction}[${i}]`;
  const name = raw.name;
  if (name !== undefined && name !== null && typeof name !== 'string') throw new FieldError(`${path}.name`, 'must be a string');
  const writtenAction = readAction(raw.action, `${path}.action`, flavor);
  const peerField = direction === 'ingress' ? 'from' : 'to';
  const rawPeers = raw[peerField];
  if (!Array.isArray(rawPeers) || rawPeers.length === 0) {
    throw new FieldError(`${path}.${peerField}`, 'is required and must list at least one peer');
  }
  const peers = rawPeers.map((p, j) => compilePeer(p, `${path}.${peerField}[${j}]`, direction));
  const otherField = flavor.portsField === 'ports' ? 'protocols' : 'ports';
  if (raw[otherField] !== undefined && raw[otherField] !== null) {
    throw new FieldError(`${path}.${otherField}`, `is not a field of ${policy.kind} (${flavor.version}): it matches ports with ${flavor.portsField}`);
  }
  const ports = readPorts(raw[flavor.portsField], `${path}.${flavor.portsField}`, flavor);
  if (ports?.some((p) => p.kind === 'named') && peers.some((p) => p.kind !== 'pods' && !(p.kind === 'unevaluated' && p.failClosed))) {
    throw new FieldError(path, 'a named port cannot be used with networks, nodes or domainNames peers, which have no named ports');
  }
  const hasName = typeof name === 'string' && name !== '';
  const base = {
    id,
    index: i,
    direction,
    ...(hasName ? { name } : {}),
    label: hasName ? `rule ${name}` : `${direction}[${i}]`,
    writtenAction,
    policy,
    peers,
  };
  const action = flavor.actions[writtenAction];
  if (peers.some((p) => p.kind === 'unevaluated' && p.failClosed)) {
    return action === 'Accept'
      ? { ...base, action, ...(ports === undefined ? {} : { ports }), failClosed: 'matches-nothing' }
      : { ...base, action: 'Deny', failClosed: 'denies-everything' };
  }
  return { ...base, action, ...(ports === undefined ? {} : { ports }) };
}

function readAction(raw: unknown, path: string, flavor: Flavor): string {
  const allowed = Object.keys(flavor.actions);
  if (typeof raw === 'string' && allowed.includes(raw)) return raw;
  const list = allowed.length === 2 ? allowed.join(' or ') : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  const hint = raw === 'Pass' && flavor.tier === 'Baseline' ? ': the BaselineAdminNetworkPolicy has no lower tier to pass to'
    : raw === 'Accept' || raw === 'Allow' ? ` (${raw === 'Accept' ? 'Accept is the v1alpha2' : 'Allow is the v1alpha1'} word)`
      : '';
  throw new FieldError(path, `must be ${list}, got ${JSON.stringify(raw ?? null)}${hint}`);
}

function compilePeer(raw: unknown, path: string, direction: Direction): ClusterPeer {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping');
  const known = direction === 'ingress' ? ['namespaces', 'pods'] : ['namespaces', 'pods', ...EGRESS_ONLY_PEERS];
  if (direction === 'ingress') {
    const egressOnly = presentFields(raw, EGRESS_ONLY_PEERS);
    if (egressOnly.length > 0) throw new FieldError(`${path}.${egressOnly[0]}`, 'is only allowed in egress peers');
  }
  const fields = presentFields(raw, known);
  if (fields.length > 1) throw new FieldError(path, `must set exactly one of ${known.join(', ')}, got ${fields.join(', ')}`);
  if (fields.length === 0) {
    // No field this version knows: a peer type of a newer API version, or an empty peer.
    const unknown = Object.keys(raw).sort();
    return { kind: 'unevaluated', field: unknown.length === 0 ? 'an empty peer' : unknown.join(', '), failClosed: true };
  }
  const field = fields[0];
  const at = `${path}.${field}`;
  switch (field) {
    case 'namespaces':
      return { kind: 'pods', namespaceSelector: LabelSelector.parse(raw.namespaces, at) };
    case 'pods':
      return { kind: 'pods', ...namespacedPod(raw.pods, at) };
    case 'networks':
      return { kind: 'networks', networks: nonEmptyList(raw.networks, at, 'CIDRs').map((c, i) => IpBlock.ofCidr(c, `${at}[${i}]`)) };
    case 'nodes':
      LabelSelector.parse(raw.nodes, at);
      return { kind: 'unevaluated', field, failClosed: false };
    default:
      nonEmptyList(raw.domainNames, at, 'domain names').forEach((d, i) => {
        if (typeof d !== 'string' || d === '') throw new FieldError(`${at}[${i}]`, 'must be a domain name');
      });
      return { kind: 'unevaluated', field, failClosed: false };
  }
}

function readPorts(raw: unknown, path: string, flavor: Flavor): ClusterPort[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  return nonEmptyList(raw, path, 'ports (omit the field to match every port)')
    .map((p, i) => flavor.portsField === 'ports' ? v1alpha1Port(p, `${path}[${i}]`) : v1alpha2Protocol(p, `${path}[${i}]`));
}

/** `{portNumber: {protocol, port}}`, `{namedPort}` or `{portRange: {protocol, start, end}}`. */
function v1alpha1Port(raw: unknown, path: string): ClusterPort {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping with portNumber, namedPort or portRange');
  const fields = presentFields(raw, ['portNumber', 'namedPort', 'portRange']);
  if (fields.length !== 1) {
    throw new FieldError(path, `must set exactly one of portNumber, namedPort or portRange, got ${fields.length === 0 ? 'none' : fields.join(', ')}`);
  }
  if (fields[0] === 'namedPort') return namedPort(raw.namedPort, `${path}.namedPort`);
  const at = `${path}.${fields[0]}`;
  const value = raw[fields[0]];
  if (!isRecord(value)) throw new FieldError(at, 'must be a mapping');
  const protocol = readProtocol(value.protocol, `${at}.protocol`);
  if (fields[0] === 'portNumber') {
    const port = portNumber(value.port, `${at}.port`);
    return { kind: 'range', protocol, from: port, to: port };
  }
  return portRange(value, at, protocol);
}

/** `{tcp|udp|sctp: {destinationPort?: {number} | {range: {start, end}}}}` or `{destinationNamedPort}`. */
function v1alpha2Protocol(raw: unknown, path: string): ClusterPort {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping with tcp, udp, sctp or destinationNamedPort');
  const fields = presentFields(raw, ['tcp', 'udp', 'sctp', 'destinationNamedPort']);
  // `tcp: {}` decodes to null in YAML when written `tcp:`; it is still the field being set.
  const nullProtocols = ['tcp', 'udp', 'sctp'].filter((f) => f in raw && raw[f] === null);
  const all = [...fields, ...nullProtocols];
  if (all.length !== 1) {
    throw new FieldError(path, `must set exactly one of tcp, udp, sctp or destinationNamedPort, got ${all.length === 0 ? 'none' : all.join(', ')}`);
  }
  const field = all[0];
  if (field === 'destinationNamedPort') return namedPort(raw.destinationNamedPort, `${path}.destinationNamedPort`);
  const protocol = field.toUpperCase() as ProtocolName;
  const at = `${path}.${field}`;
  const value = raw[field] ?? {};
  if (!isRecord(value)) throw new FieldError(at, 'must be a mapping with an optional destinationPort');
  const destination = value.destinationPort;
  // Without destinationPort the rule matches every port of the protocol.
  if (destination === undefined || destination === null) return { kind: 'all', protocol };
  const dp = `${at}.destinationPort`;
  if (!isRecord(destination)) throw new FieldError(dp, 'must be a mapping with number or range');
  const set = presentFields(destination, ['number', 'range']);
  if (set.length !== 1) throw new FieldError(dp, `must set exactly one of number or range, got ${set.length === 0 ? 'none' : 'both'}`);
  if (set[0] === 'number') {
    const port = portNumber(destination.number, `${dp}.number`);
    return { kind: 'range', protocol, from: port, to: port };
  }
  if (!isRecord(destination.range)) throw new FieldError(`${dp}.range`, 'must be a mapping with start and end');
  return portRange(destination.range, `${dp}.range`, protocol);
}

function portRange(raw: Record<string, unknown>, path: string, protocol: ProtocolName): ClusterPort {
  const from = portNumber(raw.start, `${path}.start`);
  const to = portNumber(raw.end, `${path}.end`);
  if (from >= to) throw new FieldError(`${path}.end`, `must be greater than start (${from}); write a single port as a number`);
  return { kind: 'range', protocol, from, to };
}

function namedPort(raw: unknown, path: string): ClusterPort {
  if (typeof raw !== 'string' || raw === '') throw new FieldError(path, 'must be the name of a container port');
  return { kind: 'named', name: raw };
}

function readProtocol(raw: unknown, path: string): ProtocolName {
  const protocol = raw ?? 'TCP';
  if (!isProtocol(protocol)) throw new FieldError(path, `must be TCP, UDP or SCTP, got ${JSON.stringify(protocol)}`);
  return protocol;
}

function portNumber(raw: unknown, path: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < MIN_PORT || raw > MAX_PORT) {
    throw new FieldError(path, `must be a port number between ${MIN_PORT} and ${MAX_PORT}, got ${JSON.stringify(raw ?? null)}`);
  }
  return raw;
}

function nonEmptyList(raw: unknown, path: string, what: string): unknown[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new FieldError(path, `must be a non-empty list of ${what}`);
  return raw;
}

/** The fields of `names` that are set (present and not null). */
function presentFields(raw: Record<string, unknown>, names: readonly string[]): string[] {
  return names.filter((n) => raw[n] !== undefined && raw[n] !== null);
}

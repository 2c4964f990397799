import { Construct, IConstruct } from 'constructs';
import { lateProfileCheck } from './cluster-resolution';
import { NamespaceBundle, NamespaceBundleOptions, NamespaceBundleProps } from './namespace-bundle';
import { granted } from './profile-grant';
import { ClusterProfile } from '../cluster/cluster-profile';
import { recordAcknowledgement } from '../guard/acknowledge';
import { AcknowledgeOptions } from '../guard/acknowledge-options';
import { Direction, Exposure, EXPOSURE_LABEL, PodSecurityLevel, Profile } from '../model/vocabulary';
import { Connections, IConnectable } from '../network/connections';
import { FlowRefusal } from '../network/flow-sink';
import { IPeer, Peer, PeerSpec } from '../network/peer';
import { PodSelection } from '../network/pod-selection';
import { Port } from '../network/port';
import { readWorkloadPods } from '../network/workload-pods';
import { guardError } from '../private/errors';
import { labelsProblems, toDnsLabel } from '../private/names';
import { isPrivateBlock } from '../private/special-ranges';

/**
 * Properties of a `SecurityZone`.
 */
export interface SecurityZoneProps extends NamespaceBundleOptions {
  /** The zone's posture. */
  readonly exposure: Exposure;

  /** The member namespaces (at least one), each a complete bundle. */
  readonly namespaces: string[];

  /**
   * The zone name, written as the `namespace-guard.dev/zone` label.
   *
   * @default - the construct id
   */
  readonly zoneName?: string;

  /**
   * The ports internet clients may reach. Required for `Exposure.INTERNET`, refused otherwise.
   *
   * @default - none
   */
  readonly internetPorts?: Port[];

  /**
   * Where internet traffic comes from. Behind a load balancer that does not preserve client
   * addresses, use the load balancer's range instead.
   *
   * @default Peer.internet()
   */
  readonly internetPeer?: IPeer;

  /**
   * The ports an operations zone reaches on every pod of the cluster (for example the metrics
   * port). Required for `Exposure.OPERATIONS`, refused otherwise. The other side is written where
   * it is declared: a zone or bundle that lets the operations zone in (`allowFrom(ops, port)`).
   *
   * @default - none
   */
  readonly operationsPorts?: Port[];

  /**
   * Whether pods of the zone's namespaces may talk to each other (and within their namespace).
   *
   * @default true
   */
  readonly allowWithinZone?: boolean;

  /**
   * The Pod Security Standards level of the members. `PRIVILEGED` fails synthesis unless every
   * member acknowledges it.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
}

/**
 * A DMZ-style security zone: one or more namespaces that share a posture. A zone-to-zone flow
 * is declared once (`web.connections.allowTo(data, Port.tcp(5432))`) and written in every
 * member of both zones.
 *
 * Members are selected by their `kubernetes.io/metadata.name`, which nobody can forge; the
 * `namespace-guard.dev/zone` label is informational (only cluster administrators should be able
 * to label namespaces).
 */
export class SecurityZone extends Construct implements IPeer, IConnectable {
  /** The zone name. */
  public readonly zoneName: string;
  /** The posture. */
  public readonly exposure: Exposure;
  /** The member bundles, one per namespace. */
  public readonly members: NamespaceBundle[];
  /** The flows of the whole zone. */
  public readonly connections: Connections;
  /** The readable peer name: `zone-<name>`. */
  public readonly peerName: string;

  private readonly clusterRanges: string[];
  private readonly cluster?: ClusterProfile;

  constructor(scope: Construct, id: string, props: SecurityZoneProps) {
    super(scope, id);
    this.zoneName = props.zoneName ?? id;
    const cluster = ClusterProfile._resolve(this, props.cluster);
    if (props.cluster === undefined) lateProfileCheck(this, cluster);
    this.cluster = cluster;
    this.clusterRanges = cluster?._clusterRanges() ?? [];
    this.exposure = props.exposure;
    this.peerName = toDnsLabel(`zone-${this.zoneName}`);
    this.validate(props);

    const allowWithinZone = props.allowWithinZone ?? true;
    this.members = props.namespaces.map(namespaceName => new ZoneMember(this, namespaceName, granted({
      ...props,
      cluster,
      // allowWithinZone covers traffic inside each member namespace too, unless set on its own.
      allowSameNamespace: props.allowSameNamespace ?? allowWithinZone,
      namespaceName,
    }, { profile: Profile.ZONE, ownerName: this.zoneName, zone: this })));
    for (const member of this.members) member._addNamespaceLabel(EXPOSURE_LABEL, this.exposure);
    for (const member of this.members) member._addFlowGuard((direction, peer, peerSpec, ports) => this.refuse(direction, peer, peerSpec, ports));

    this.connections = new Connections(this, this);
    if (allowWithinZone && this.members.length > 1) {
      this.connections.allowFrom(this, Port.allTraffic());
    }
    if (this.exposure === Exposure.INTERNET) {
      this.connections.allowFrom(props.internetPeer ?? Peer.internet(), ...props.internetPorts!);
    }
    if (this.exposure === Exposure.OPERATIONS) {
      this.connections.allowTo(Peer.allPods(), ...props.operationsPorts!);
    }
  }

  /** The member bundle of `namespaceName`. Throws when it is not a member. */
  public member(namespaceName: string): NamespaceBundle {
    const found = this.members.find(m => m.namespaceName === namespaceName);
    if (!found) {
      throw guardError(this, `zone "${this.zoneName}" has no member namespace "${namespaceName}"`, `use one of ${this.members.map(m => `"${m.namespaceName}"`).join(', ')}`);
    }
    return found;
  }

  /**
   * Acknowledges findings about every member namespace (see `NamespaceBundle.acknowledge`).
   *
   * @param ruleId a rule id from `RuleId`
   * @param reason why the finding is acceptable (at least 10 characters, one line)
   * @param options what it covers
   */
  public acknowledge(ruleId: string, reason: string, options?: AcknowledgeOptions): void {
    recordAcknowledgement(this, ruleId, reason, options);
  }

  /** The pods with the given labels in every member namespace. */
  public pods(labels: { [key: string]: string }): PodSelection {
    const problems = labelsProblems(labels ?? {});
    if (Object.keys(labels ?? {}).length === 0) problems.push('no labels given');
    if (problems.length > 0) {
      throw guardError(this, `pods(${JSON.stringify(labels)}): ${problems.join('; ')}`, 'select pods by at least one valid label, for example pods({ app: "web" }); use the zone itself for every pod');
    }
    return new PodSelection(this, { endpoints: this.members.map(bundle => ({ bundle })), baseName: this.peerName, podLabels: labels });
  }

  /**
   * The pods of a workload in one of the member namespaces, selected from that member (see
   * `NamespaceBundle.podsOf`).
   *
   * @param workload a cdk8s-plus workload or any ApiObject with a pod template, in a member namespace
   */
  public podsOf(workload: IConstruct): PodSelection {
    const call = `podsOf(${workload?.node?.path ?? String(workload)})`;
    const pods = readWorkloadPods(workload, { scope: this, call }, 'pods');
    const member = this.members.find(m => m.namespaceName === pods.namespace);
    if (!member) {
      const where = pods.namespace === undefined ? 'names no namespace' : `runs in namespace "${pods.namespace}"`;
      throw guardError(this, `${call}: the ${pods.kind} "${pods.name}" ${where}, which is not a member of zone "${this.zoneName}"`,
        `set its metadata.namespace to a member: ${this.members.map(m => `"${m.namespaceName}"`).join(', ')}`);
    }
    return member.podsOf(workload);
  }

  /** Selects every pod of every member namespace. */
  public toPeerSpec(): PeerSpec {
    return {
      selectors: [{ namespaceNames: this.members.map(m => m.namespaceName) }],
      managedEndpoints: this.members.map(bundle => ({ bundle })),
    };
  }

  private validate(props: SecurityZoneProps): void {
    const problems: string[] = [];
    if (!Object.values(Exposure).includes(props.exposure)) {
      problems.push(`exposure ${JSON.stringify(props.exposure)} is not an Exposure; use Exposure.INTERNET, INTERNAL, RESTRICTED or OPERATIONS`);
    }
    if (!Array.isArray(props.namespaces) || props.namespaces.length === 0) {
      problems.push('a zone needs at least one member namespace; list them in namespaces');
    } else {
      // Member names become construct ids, which cannot be empty: report it here with the fix.
      if (props.namespaces.some(n => typeof n !== 'string' || n.length === 0)) {
        problems.push('namespaces lists an empty or non-string name; give every member namespace a name such as "storefront"');
      }
      const duplicates = props.namespaces.filter((n, i) => props.namespaces.indexOf(n) !== i);
      if (duplicates.length > 0) problems.push(`namespaces lists ${[...new Set(duplicates)].map(d => `"${d}"`).join(', ')} more than once; list each member once`);
    }
    const ports = props.internetPorts ?? [];
    if (props.exposure === Exposure.INTERNET && ports.length === 0) {
      problems.push('an internet-facing zone needs internetPorts; list the ports clients reach, for example internetPorts: [Port.tcp(8443)]');
    }
    if (props.exposure !== Exposure.INTERNET && ports.length > 0) {
      problems.push(`internetPorts is set but the zone's exposure is "${props.exposure}"; remove internetPorts or use Exposure.INTERNET`);
    }
    const opsPorts = props.operationsPorts ?? [];
    if (props.exposure === Exposure.OPERATIONS && opsPorts.length === 0) {
      problems.push('an operations zone needs operationsPorts; list the ports it reaches on every pod, for example operationsPorts: [Port.named("metrics")]');
    }
    if (props.exposure !== Exposure.OPERATIONS && opsPorts.length > 0) {
      problems.push(`operationsPorts is set but the zone's exposure is "${props.exposure}"; remove operationsPorts or use Exposure.OPERATIONS`);
    }
    if (opsPorts.some(p => p?.isAllTraffic)) {
      problems.push('operationsPorts lists Port.allTraffic(), which opens every port of every pod; list the ports the tools use, for example Port.named("metrics")');
    }
    if (props.exposure !== Exposure.INTERNET && props.internetPeer) {
      problems.push(`internetPeer is set but the zone's exposure is "${props.exposure}"; remove internetPeer or use Exposure.INTERNET`);
    }
    if (problems.length > 0) throw guardError(this, `invalid security zone: ${problems.join('; ')}`, 'correct the properties listed above');
  }

  /** The posture's limits on flows into and out of every member. */
  private refuse(direction: Direction, peerObject: IPeer, peer: PeerSpec, ports: Port[]): FlowRefusal | undefined {
    // Members of one zone share a trust domain.
    if (peer.selectors.every(s => s.cidr === undefined) && peer.managedEndpoints.length > 0
      && peer.managedEndpoints.every(e => e.bundle instanceof NamespaceBundle && e.bundle._zone === this)) {
      return undefined;
    }
    const publicBlocks = peer.selectors.filter(s => s.cidr !== undefined && !isPrivateBlock(s.cidr, this.clusterRanges));
    switch (this.exposure) {
      case Exposure.RESTRICTED: {
        if (direction === 'egress') {
          return {
            problem: `restricted zone "${this.zoneName}" allows no egress but DNS`,
            fix: 'let the other side call into this zone (declare the flow from the client zone with allowTo), or use Exposure.INTERNAL',
          };
        }
        // Membership is granted by a SecurityZone when it creates its members; a profile cannot be claimed.
        const fromZone = peer.managedEndpoints.length > 0
          && peer.managedEndpoints.every(e => e.bundle instanceof NamespaceBundle && e.bundle._zone !== undefined);
        if (fromZone) return undefined;
        const monitoring = this.cluster?._declaredMonitoring;
        if (monitoring !== undefined && peerObject === monitoring) return this.refuseMonitoring(peer, ports);
        return {
          problem: `restricted zone "${this.zoneName}" admits traffic only from declared zones`
            + (peerObject.peerName === monitoring?.peerName ? ` and its cluster's declared monitoring, and ${peerObject.peerName} is a look-alike of the declared monitoring, not it` : ''),
          fix: 'declare the client as a SecurityZone and allow the flow from it, or use Exposure.INTERNAL'
            + (monitoring !== undefined ? '; for monitoring, allow the profile\'s own object: allowFrom(cluster.monitoring, ...cluster.monitoringPorts)' : ''),
        };
      }
      case Exposure.INTERNAL:
      case Exposure.OPERATIONS:
        if (publicBlocks.length > 0) {
          return {
            problem: `${this.exposure} zone "${this.zoneName}" allows no traffic ${direction === 'ingress' ? 'from' : 'to'} addresses outside the private ranges `
              + `(${publicBlocks.map(s => s.cidr).join(', ')})`,
            fix: 'use Exposure.INTERNET for internet-facing namespaces, or restrict the IP block to private ranges (RFC 1918, fc00::/7) '
              + 'or the pod, service and node CIDRs the ClusterProfile declares; link-local, loopback and shared (100.64.0.0/10) addresses are not private',
          };
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * A restricted zone admits its cluster's declared monitoring on the profile's monitoring ports
   * only (named ports: what the pods publish for monitoring), and only when it names the
   * namespaces it runs in: a monitoring peer that is every pod or an address block would open the
   * zone to anyone.
   */
  private refuseMonitoring(peer: PeerSpec, ports: Port[]): FlowRefusal | undefined {
    const cluster = this.cluster!;
    const open = peer.selectors.filter(s => s.cidr !== undefined || (s.namespaceNames ?? []).length === 0);
    if (open.length > 0) {
      return {
        problem: `restricted zone "${this.zoneName}" admits the cluster's monitoring only when it names its namespaces, `
          + `but ${cluster.node.path}'s monitoring selects ${open.some(s => s.cidr !== undefined) ? 'an address block' : 'namespaces by label or every namespace'}`,
        fix: 'declare monitoring by namespace in the ClusterProfile, for example Peer.namespaceNamed("monitoring") or Peer.pods("monitoring", { "app.kubernetes.io/name": "prometheus" })',
      };
    }
    const allowed = new Set(cluster.monitoringPorts.map(p => p._key));
    const others = ports.filter(p => !allowed.has(p._key));
    if (others.length > 0) {
      return {
        problem: `restricted zone "${this.zoneName}" admits the cluster's monitoring only on its monitoring ports (${cluster.monitoringPorts.join(', ')}), `
          + `not on ${others.join(', ')}`,
        fix: `scrape the named ports of ${cluster.node.path}'s monitoringPorts, for example allowFrom(cluster.monitoring, ...cluster.monitoringPorts); `
          + 'a number could be any service of the pods, a name is what they publish for monitoring',
      };
    }
    return undefined;
  }
}

/** A member namespace of a zone; only a SecurityZone creates one, with its grant. */
class ZoneMember extends NamespaceBundle {
  constructor(zone: SecurityZone, namespaceName: string, props: NamespaceBundleProps) {
    super(zone, namespaceName, props);
  }
}

import { IConstruct } from 'constructs';
import { flowSinkOf, FlowSink } from './flow-sink';
import { IPeer, ManagedEndpoint, Peer } from './peer';
import { Port } from './port';
import { Direction, reverseDirection } from '../model/vocabulary';
import { guardError } from '../private/errors';

/**
 * Something with connections: a bundle, a zone or a pod selection of them.
 */
export interface IConnectable {
  /** The flows this object allows. */
  readonly connections: Connections;
}

/**
 * Declares the flows of a managed set of pods, in the manner of aws-cdk's `Connections`.
 *
 * `a.connections.allowTo(b, Port.tcp(443))` writes an egress rule in `a` and, when `b` is
 * managed in this app, the matching ingress rule in `b`. Declaring the same flow again is
 * harmless, and flows added after construction still land in the output.
 */
export class Connections {
  /**
   * @param scope the construct that owns these connections (named in error messages)
   * @param owner the managed pods these connections belong to
   */
  constructor(private readonly scope: IConstruct, private readonly owner: IPeer) {}

  /**
   * Allows traffic from `peer` into the owner's pods on the given ports.
   *
   * @param peer where the traffic comes from
   * @param ports the ports it may reach; at least one (use `Port.allTraffic()` for all)
   */
  public allowFrom(peer: IPeer, ...ports: Port[]): void {
    this.allow('ingress', peer, ports, 'allowFrom');
  }

  /**
   * Allows traffic from the owner's pods to `peer` on the given ports.
   *
   * @param peer where the traffic goes
   * @param ports the ports it may reach; at least one (use `Port.allTraffic()` for all)
   */
  public allowTo(peer: IPeer, ...ports: Port[]): void {
    this.allow('egress', peer, ports, 'allowTo');
  }

  private allow(direction: Direction, peer: IPeer, ports: Port[], method: string): void {
    const call = `connections.${method}(${peer?.peerName ?? peer})`;
    if (!peer || typeof peer.toPeerSpec !== 'function') {
      throw guardError(this.scope, `${method} was given ${String(peer)} instead of a peer`, 'pass a bundle, a zone, bundle.pods({...}) or a Peer such as Peer.namespaceNamed("monitoring")');
    }
    if (ports.length === 0) {
      throw guardError(this.scope, `${call} names no port`, 'list the ports, for example Port.tcp(8080), or pass Port.allTraffic() to allow every port and protocol');
    }
    const problems = ports.flatMap(p => p._problems());
    if (peer instanceof Peer) problems.push(...peer._problems());
    if (problems.length > 0) {
      throw guardError(this.scope, `${call}: ${problems.join('; ')}`, 'correct the arguments as described');
    }

    const ownerSpec = this.owner.toPeerSpec();
    const peerSpec = peer.toPeerSpec();
    if (ownerSpec.managedEndpoints.length === 0) {
      throw guardError(this.scope, `${call}: these connections belong to no managed namespace`, 'declare flows on a bundle, a zone or bundle.pods({...})');
    }
    const reverse = reverseDirection(direction);
    const sink = (e: ManagedEndpoint): FlowSink => {
      const found = flowSinkOf(e.bundle);
      if (!found) {
        throw guardError(this.scope, `${call}: ${e.bundle.node.path} is not a namespace bundle of this library`, 'declare flows between bundles, zones, bundle.pods({...}) and Peer values');
      }
      return found;
    };
    // Check every side before writing any, so a rejected flow leaves nothing half-written.
    const writes = [
      ...ownerSpec.managedEndpoints.map(e => ({ sink: sink(e), pods: e, direction, peer, spec: peerSpec })),
      ...peerSpec.managedEndpoints.map(e => ({ sink: sink(e), pods: e, direction: reverse, peer: this.owner, spec: ownerSpec })),
    ];
    for (const w of writes) {
      const refusal = w.sink._refuseFlow(w.direction, w.peer, w.spec, ports);
      if (refusal) {
        throw guardError(this.scope, `${call}: ${refusal.problem}`, refusal.fix);
      }
    }
    for (const w of writes) {
      w.sink._addFlow(w.direction, w.pods, w.peer, w.spec, ports);
    }
  }
}

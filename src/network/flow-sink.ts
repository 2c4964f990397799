// The side of a flow that a managed namespace writes. Connections reach bundles through this
// interface, so the network layer never imports the bundles that implement it.
import { IManagedNamespace } from './managed-namespace';
import { IPeer, ManagedEndpoint, PeerSpec } from './peer';
import { Port } from './port';
import { Direction } from '../model/vocabulary';

/** Why a namespace's posture refuses a flow, and how to fix it. */
export interface FlowRefusal {
  readonly problem: string;
  readonly fix: string;
}

/** What a managed namespace does with the flows declared on it. */
export interface FlowSink extends IManagedNamespace {
  /**
   * Why the namespace's posture refuses the flow, or undefined when it accepts it. `peer` is the
   * object the flow was declared with: a declared cluster service is recognised by identity.
   */
  _refuseFlow(direction: Direction, peer: IPeer, peerSpec: PeerSpec, ports: Port[]): FlowRefusal | undefined;
  /**
   * Records the flow of the namespace's pods in `pods` (their labels and readable name) and writes
   * its NetworkPolicy (ports merge when the flow is declared again).
   */
  _addFlow(direction: Direction, pods: ManagedEndpoint, peer: IPeer, peerSpec: PeerSpec, ports: Port[]): void;
}

/** The flow sink behind a managed namespace, or undefined when it is not one of this library's bundles. */
export function flowSinkOf(namespace: IManagedNamespace): FlowSink | undefined {
  const candidate = namespace as Partial<FlowSink>;
  return typeof candidate._refuseFlow === 'function' && typeof candidate._addFlow === 'function' ? candidate as FlowSink : undefined;
}

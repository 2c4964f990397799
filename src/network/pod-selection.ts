import { IConstruct } from 'constructs';
import { Connections, IConnectable } from './connections';
import { IPeer, ManagedEndpoint, PeerSpec } from './peer';
import { joinName, labelValues, toDnsLabel } from '../private/names';

/**
 * Properties of a `PodSelection`.
 */
export interface PodSelectionProps {
  /** The managed namespaces the selection spans. */
  readonly endpoints: ManagedEndpoint[];
  /** The readable name of what is selected from (a namespace or a zone). */
  readonly baseName: string;
  /** The labels that select the pods. */
  readonly podLabels: { [key: string]: string };

  /**
   * The readable name of the pods in generated names (for example the workload's name).
   *
   * @default - the values of `podLabels`
   */
  readonly podsName?: string;
}

/**
 * A subset of the pods of a bundle or zone, selected by labels: a peer, and a set of pods with
 * its own connections (for example `bundle.pods({ app: 'api' })`, or `bundle.podsOf(deployment)`
 * for the pods of one workload).
 */
export class PodSelection implements IPeer, IConnectable {
  /** A readable DNS label for these pods. */
  public readonly peerName: string;
  /** The flows of these pods. */
  public readonly connections: Connections;
  /** The labels that select the pods. */
  public readonly podLabels: { [key: string]: string };
  private readonly endpoints: ManagedEndpoint[];

  constructor(scope: IConstruct, props: PodSelectionProps) {
    this.podLabels = { ...props.podLabels };
    const podsName = props.podsName !== undefined ? toDnsLabel(props.podsName) : undefined;
    this.endpoints = props.endpoints.map(e => ({ bundle: e.bundle, podLabels: { ...props.podLabels }, podsName }));
    this.peerName = toDnsLabel(joinName(props.baseName, podsName ?? labelValues(props.podLabels)));
    this.connections = new Connections(scope, this);
  }

  /** Selects these pods in every namespace of the selection. */
  public toPeerSpec(): PeerSpec {
    return {
      selectors: [{ namespaceNames: this.endpoints.map(e => e.bundle.namespaceName), podLabels: { ...this.podLabels } }],
      managedEndpoints: this.endpoints,
    };
  }
}

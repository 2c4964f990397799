import { IConstruct } from 'constructs';

/**
 * A namespace that a bundle of this app manages: a flow to or from it is written on its side too.
 * `NamespaceBundle` implements it.
 */
export interface IManagedNamespace extends IConstruct {
  /** The namespace name. */
  readonly namespaceName: string;
}

/**
 * The kind of boundary a bundle draws; written as the `namespace-guard.dev/profile` label.
 */
export enum Profile {
  /** One customer per namespace. */
  TENANT = 'tenant',
  /** One development team per namespace. */
  TEAM = 'team',
  /** A member of a security zone. */
  ZONE = 'zone',
}

// Only the library's own constructs create bundles of a profile: TenantNamespace, TeamNamespace and
// SecurityZone pass a grant that users cannot spell, so a user subclass of NamespaceBundle cannot
// claim to be a tenant or a zone member.
import { Profile } from '../model/vocabulary';

const GRANT = Symbol('namespace-guard.profile-grant');

/** The profile a bundle is created with, and the zone it belongs to when it is a zone member. */
export interface ProfileGrant {
  readonly profile: Profile;
  readonly ownerName: string;
  /** The zone that created the bundle (zone members only). */
  readonly zone?: object;
}

/** The bundle properties with a profile granted. */
export function granted<T extends object>(props: T, grant: ProfileGrant): T {
  return Object.assign({}, props, { [GRANT]: grant });
}

/** The grant carried by bundle properties, if any. */
export function grantOf(props: object): ProfileGrant | undefined {
  return (props as { [GRANT]?: ProfileGrant })[GRANT];
}

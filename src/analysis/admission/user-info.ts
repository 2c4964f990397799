// The user a request is made as, with the groups the API server's authenticators would add: a
// policy that tests `request.userInfo.groups` sees what it would see on a real cluster.

/** `request.userInfo`. */
export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
}

export const ANONYMOUS_USER = 'system:anonymous';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/**
 * The user info of `username` with the given groups, completed as the API server completes it:
 * a service account (`system:serviceaccount:<ns>:<name>`) is in `system:serviceaccounts` and
 * `system:serviceaccounts:<ns>`; every user but `system:anonymous` is in `system:authenticated`,
 * and `system:anonymous` is in `system:unauthenticated`. Given groups come first; none is repeated.
 */
export function completeUserInfo(username: string, groups: readonly string[] = []): UserInfo {
  const all = [...groups];
  const namespace = serviceAccountNamespace(username);
  if (namespace !== undefined) all.push(SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`);
  all.push(username === ANONYMOUS_USER ? UNAUTHENTICATED_GROUP : AUTHENTICATED_GROUP);
  return { username, groups: [...new Set(all)] };
}

/** The namespace of a service account user name, or undefined for any other user. */
export function serviceAccountNamespace(username: string): string | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '' ? parts[0] : undefined;
}

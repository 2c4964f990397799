// The Pod Security Admission version bundles pin, and how a version given to a construct is checked.
import { POD_SECURITY_VERSION_PATTERN } from '../model/vocabulary';

/**
 * The Pod Security Admission policy version that bundles pin when none is given. A pinned version
 * keeps the rules stable when the cluster is upgraded; bump it deliberately (and the `@default`
 * texts that state it).
 */
export const DEFAULT_POD_SECURITY_VERSION = 'v1.35';

/** Why `version` is not a Pod Security Admission policy version, or undefined. */
export function podSecurityVersionProblem(version: string): string | undefined {
  if (version === 'latest' || (typeof version === 'string' && POD_SECURITY_VERSION_PATTERN.test(version))) return undefined;
  const bare = typeof version === 'string' && /^1\.\d+$/.test(version) ? ` (did you mean "v${version}"?)` : '';
  return `"${version}" is not a Pod Security Admission version${bare}; use "v1.<minor>" such as "${DEFAULT_POD_SECURITY_VERSION}", or "latest" to follow the cluster`;
}

// --kubernetes-version: the API server the Pod Security labels are judged by. Without it the newest
// version the checks model is assumed, which judges every label at its own version; the commands
// say so, since an older cluster judges differently.
import { UsageError } from './errors';
import { formatKubernetesVersion, NEWEST_KUBERNETES_MINOR, parseKubernetesVersion } from '../model/kubernetes-version';

export interface ServerVersion {
  readonly minor: number;
  /** `1.31`. */
  readonly text: string;
  /** Not given: the newest modelled. */
  readonly assumed: boolean;
}

/** The flag's version, or the assumed one; a UsageError (exit 2) for a bad value. */
export function serverVersionOf(flag: string | undefined): ServerVersion {
  if (flag === undefined) return { minor: NEWEST_KUBERNETES_MINOR, text: formatKubernetesVersion(NEWEST_KUBERNETES_MINOR), assumed: true };
  try {
    const minor = parseKubernetesVersion(flag);
    return { minor, text: formatKubernetesVersion(minor), assumed: false };
  } catch (e) {
    throw new UsageError(`--kubernetes-version: ${(e as Error).message}`);
  }
}

/**
 * What the summary line says of the server judged: its version, or that none was given and what
 * was assumed instead (an older cluster judges a newer label at its own version).
 */
export function serverClause(version: ServerVersion, celMinor?: number): string {
  if (!version.assumed) {
    return celMinor === undefined || celMinor === version.minor ? `as Kubernetes ${version.text}`
      : `as Kubernetes ${version.text}, admission CEL as 1.${celMinor}, the newest simulated`;
  }
  const cel = celMinor === undefined ? '' : `admission CEL as 1.${celMinor}, `;
  return `Kubernetes version not given: ${cel}Pod Security labels at their own versions; pass --kubernetes-version with the cluster's`;
}

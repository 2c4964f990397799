// The Kubernetes version of the cluster (of its API server), as a ClusterProfile, a cluster file
// or a flag gives it. An API server judges a Pod Security label at the label's version capped at
// its own, so the checks need it; it is written `1.<minor>`, as `kubectl version` prints it.

/** The oldest cluster the library supports: Pod Security Admission went GA in 1.25. */
export const OLDEST_KUBERNETES_MINOR = 25;

/**
 * The newest version the Pod Security checks model (the policy versions go up to v1.37); a newer
 * cluster cannot be judged faithfully, since its checks are not known here.
 */
export const NEWEST_KUBERNETES_MINOR = 37;

/** `31` → `1.31`. */
export function formatKubernetesVersion(minor: number): string {
  return `1.${minor}`;
}

/** Why `value` is not a supported Kubernetes version such as `1.31`, or undefined. */
export function kubernetesVersionProblem(value: unknown): string | undefined {
  const range = `a version from ${formatKubernetesVersion(OLDEST_KUBERNETES_MINOR)} to ${formatKubernetesVersion(NEWEST_KUBERNETES_MINOR)}`;
  if (typeof value !== 'string') {
    return `${JSON.stringify(value)} is not a Kubernetes version; give the cluster's version as a string "1.<minor>" such as "1.31" `
      + '(quoted: YAML reads 1.30 as the number 1.3)';
  }
  // `v1.31` and `1.31.2` (as `kubectl version` prints them) name a minor too, but say so.
  const loose = /^v?1\.(0|[1-9][0-9]*)(\.[0-9]+)?$/.exec(value);
  if (!loose || loose[0] !== `1.${loose[1]}`) {
    const hint = loose ? ` (did you mean "1.${loose[1]}"?)` : '';
    return `"${value}" is not a Kubernetes version${hint}; give the API server's major.minor version as "1.<minor>" such as "1.31", ${range}`;
  }
  const match = loose;
  const minor = Number(match[1]);
  if (minor < OLDEST_KUBERNETES_MINOR) {
    return `Kubernetes ${value} is older than ${formatKubernetesVersion(OLDEST_KUBERNETES_MINOR)}, the oldest supported (Pod Security Admission GA); give ${range}`;
  }
  if (minor > NEWEST_KUBERNETES_MINOR) {
    return `Kubernetes ${value} is newer than ${formatKubernetesVersion(NEWEST_KUBERNETES_MINOR)}, the newest whose Pod Security checks are modelled; give ${range}`;
  }
  return undefined;
}

/**
 * The minor of a supported Kubernetes version (`1.31` → 31).
 * @throws Error saying why the value is not one.
 */
export function parseKubernetesVersion(value: unknown): number {
  const problem = kubernetesVersionProblem(value);
  if (problem) throw new Error(problem);
  return Number((value as string).slice(2));
}

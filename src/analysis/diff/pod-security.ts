// The Pod Security level each namespace enforces, before and after a change. What counts is what
// admission enforces: the enforce labels (monitor mode, which only audits, enforces what its
// enforce label says). A namespace without an enforce label admits anything, as "privileged" does.
import { ClusterModel, NamespacePodSecurity, readPodSecurityLabels } from '../../model/cluster-model';
import { POD_SECURITY_LEVELS } from '../../model/vocabulary';
import { compareText } from '../../private/json';

/** A namespace whose enforced level or version changed; `before` is null for a namespace the base does not have. */
export interface PodSecurityChange {
  readonly namespace: string;
  readonly before: NamespacePodSecurity | null;
  readonly after: NamespacePodSecurity;
  /**
   * The change admits pods that were refused: a lower level, the same level at an older version,
   * or a new namespace that enforces "privileged" (or nothing).
   */
  readonly lowers: boolean;
}

/** What admission enforces in each namespace of the model, "privileged" (latest) without a label. */
export function enforcedPodSecurity(model: ClusterModel): Map<string, NamespacePodSecurity> {
  return new Map(model.namespaces.map(ns => {
    const read = readPodSecurityLabels(ns.labels, 'enforce');
    return [ns.name, read ? { level: read.level, version: read.version } : { level: 'privileged', version: 'latest' }];
  }));
}

/** The namespaces of the head whose enforced Pod Security differs from the base's, by name. */
export function comparePodSecurity(base: ClusterModel, head: ClusterModel): PodSecurityChange[] {
  const before = enforcedPodSecurity(base);
  const changes: PodSecurityChange[] = [];
  for (const [namespace, after] of enforcedPodSecurity(head)) {
    const was = before.get(namespace);
    if (was && was.level === after.level && was.version === after.version) continue;
    changes.push({ namespace, before: was ?? null, after, lowers: was ? lowers(was, after) : after.level === 'privileged' });
  }
  return changes.sort((a, b) => compareText(a.namespace, b.namespace));
}

function lowers(before: NamespacePodSecurity, after: NamespacePodSecurity): boolean {
  const rank = (p: NamespacePodSecurity) => POD_SECURITY_LEVELS.indexOf(p.level);
  if (rank(after) !== rank(before)) return rank(after) < rank(before);
  // "privileged" checks nothing at any version; at the other levels an older version checks less.
  return after.level !== 'privileged' && minor(after.version) < minor(before.version);
}

/** The minor of `v1.<minor>`, `latest` above every one. */
function minor(version: string): number {
  return version === 'latest' ? Infinity : Number(version.slice('v1.'.length));
}

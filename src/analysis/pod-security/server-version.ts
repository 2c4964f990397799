// How an API server of a given version judges a Pod Security label. The admission plugin evaluates a
// label's version capped at the newest version it knows (its own), and `latest` as its own; a
// server older than the label therefore runs the older revisions of the checks, and lacks the
// checks added since.
import { podSecurityChecksFor } from './checker';
import { POD_SECURITY_CHECKS } from './checks';
import { admittedPodSecurityVersion, formatPodSecurityVersion, parsePodSecurityVersion, PodSecurityLevelName } from './levels';
import { CheckFn, PodSecurityCheckDefinition, PodSecurityCheckId } from './types';

/** A check that a label's version runs and a server older than it does not. */
export interface MissingPodSecurityCheck {
  readonly id: PodSecurityCheckId;
  /** The first policy minor version that runs it (`34` for v1.34). */
  readonly since: number;
}

/**
 * The policy version a server of minor `serverMinor` judges a (valid) label version at: the older
 * of the two, `latest` being the server's own. Without a server version, the label's version (one
 * newer than modelled is `latest`).
 */
export function judgedPodSecurityVersion(version: string, serverMinor?: number): string {
  const admitted = admittedPodSecurityVersion(version);
  if (serverMinor === undefined) return admitted;
  return formatPodSecurityVersion(Math.min(parsePodSecurityVersion(admitted), serverMinor));
}

/**
 * The checks a level pinned at `pinnedVersion` runs that a server of minor `serverMinor` lacks,
 * oldest first: on that server, pods that only those checks reject are admitted. A stricter
 * restricted check that only keeps a rule its baseline check later relaxed is not missing (the
 * older server runs that rule through the baseline check). Revisions that changed an existing
 * check are not listed: the server runs its own, which `judgedPodSecurityVersion` gives.
 * @throws Error for an unknown level or version.
 */
export function missingPodSecurityChecks(level: PodSecurityLevelName, pinnedVersion: string, serverMinor: number): MissingPodSecurityCheck[] {
  const pinned = parsePodSecurityVersion(admittedPodSecurityVersion(pinnedVersion));
  const judged = Math.min(pinned, serverMinor);
  if (judged === pinned) return [];
  const atServer = new Set(podSecurityChecksFor(level, formatPodSecurityVersion(judged)));
  return podSecurityChecksFor(level, formatPodSecurityVersion(pinned))
    .filter(id => !atServer.has(id))
    .map(id => definition(id))
    .filter(check => !(check.replaces ?? []).some(r => atServer.has(r) && variantAt(definition(r), judged) === variantAt(check, pinned)))
    .map(check => ({ id: check.id, since: check.variants[0].since }))
    .sort((a, b) => a.since - b.since || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function definition(id: PodSecurityCheckId): PodSecurityCheckDefinition {
  return POD_SECURITY_CHECKS.find(c => c.id === id)!;
}

function variantAt(check: PodSecurityCheckDefinition, minor: number): CheckFn | undefined {
  return [...check.variants].reverse().find(v => v.since <= minor)?.evaluate;
}

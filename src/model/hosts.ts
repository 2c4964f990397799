// Ingress host names as a namespace declares them and as Ingresses claim them. A wildcard covers
// exactly one DNS label, as Ingress controllers match it: `*.example.com` covers `a.example.com`,
// neither `example.com` nor `a.b.example.com`.
import { dnsSubdomainProblem } from '../private/names';

const IPV4 = /^[0-9]+(\.[0-9]+){3}$/;

/** Why `host` cannot be a declared Ingress host, or undefined. */
export function ingressHostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string') return `${JSON.stringify(host)} is not a host name`;
  if (host !== host.toLowerCase()) return `"${host}" has upper-case letters; write it as "${host.toLowerCase()}"`;
  const base = host.startsWith('*.') ? host.slice(2) : host;
  if (base.includes('*')) return `"${host}" has a "*" other than a leading "*." wildcard`;
  if (IPV4.test(base)) return `"${host}" is an IP address; Ingress hosts are DNS names`;
  const problem = dnsSubdomainProblem(base);
  return problem ? `"${host}" is not a DNS name: ${problem}` : undefined;
}

/** Whether a declared host (or wildcard) covers the host an Ingress claims (itself possibly a wildcard). */
export function hostCovers(declared: string, claimed: string): boolean {
  if (declared === claimed) return true;
  if (!declared.startsWith('*.') || claimed.startsWith('*.')) return false;
  const suffix = declared.slice(1); // ".example.com"
  const label = claimed.slice(0, claimed.length - suffix.length);
  return claimed.endsWith(suffix) && label.length > 0 && !label.includes('.');
}

/** Whether two hosts (or wildcards) can name the same host. */
export function hostsOverlap(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/** A claimed host and who claimed it. */
export interface HostClaim<T> {
  readonly host: string;
  readonly owner: T;
  /** Owners of one group share their hosts (the members of a zone). */
  readonly group: unknown;
}

/**
 * Hosts claimed by owners, indexed so that finding a clash with any earlier claim costs the same
 * whether there are ten claims or ten thousand: a host can only clash with the same name, with the
 * wildcard of its parent domain, or (for a wildcard) with the hosts of that domain.
 */
export class HostIndex<T> {
  private readonly byName = new Map<string, HostClaim<T>[]>();
  private readonly byParent = new Map<string, HostClaim<T>[]>();

  /** Records the claim, or returns an earlier claim of another group that overlaps it (nothing is recorded then). */
  claim(host: string, owner: T, group: unknown = owner): HostClaim<T> | undefined {
    const parent = host.slice(host.indexOf('.') + 1);
    const candidates = host.startsWith('*.')
      ? [...this.byName.get(host) ?? [], ...this.byParent.get(parent) ?? []]
      : [...this.byName.get(host) ?? [], ...this.byName.get(`*.${parent}`) ?? []];
    const clash = candidates.find(c => c.group !== group && hostsOverlap(c.host, host));
    if (clash) return clash;
    const claim = { host, owner, group };
    this.byName.set(host, [...this.byName.get(host) ?? [], claim]);
    if (!host.startsWith('*.')) this.byParent.set(parent, [...this.byParent.get(parent) ?? [], claim]);
    return undefined;
  }
}

/** The entries of a comma-separated list annotation, trimmed, without empty ones; [] when absent. */
export function parseListAnnotation(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(',').map(s => s.trim()).filter(s => s !== '');
}

/** A list annotation's value: sorted, de-duplicated, comma-separated; undefined for an empty list. */
export function renderListAnnotation(values: readonly string[]): string | undefined {
  const sorted = [...new Set(values)].sort();
  return sorted.length === 0 ? undefined : sorted.join(',');
}

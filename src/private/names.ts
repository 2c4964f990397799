// Kubernetes name rules and readable generated names.
import { createHash } from 'crypto';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Explains why `name` is not a DNS-1123 label, or returns undefined when it is one.
 */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 63) return `it has ${name.length} characters (at most 63)`;
  if (!DNS_LABEL.test(name)) {
    return 'it must consist of lower-case letters, digits and "-", and start and end with a letter or digit';
  }
  return undefined;
}

/** Explains why `name` is not a DNS-1123 subdomain. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 253) return `it has ${name.length} characters (at most 253)`;
  if (!DNS_SUBDOMAIN.test(name)) {
    return 'it must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit';
  }
  return undefined;
}

/** Explains why `value` is not a valid label value (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > 63) return `it has ${value.length} characters (at most 63)`;
  if (!LABEL_NAME.test(value)) {
    return 'it must consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit';
  }
  return undefined;
}

/** Explains why `key` is not a valid label key. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    const p = dnsSubdomainProblem(prefix);
    if (p) return `its prefix "${prefix}" is not a DNS subdomain: ${p}`;
  }
  if (name.length === 0) return 'its name part is empty';
  if (name.length > 63) return `its name part has ${name.length} characters (at most 63)`;
  if (!LABEL_NAME.test(name)) {
    return 'its name part must consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit';
  }
  return undefined;
}

/** Problems of a whole label map, one line each. */
export function labelsProblems(labels: { [key: string]: string }): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const k = labelKeyProblem(key);
    if (k) problems.push(`label key "${key}" is invalid: ${k}`);
    if (typeof value !== 'string') {
      problems.push(`label "${key}" has a non-string value; quote it (for example "${String(value)}")`);
      continue;
    }
    const v = labelValueProblem(value);
    if (v) problems.push(`label value "${value}" (key "${key}") is invalid: ${v}`);
  }
  return problems;
}

/** A short, stable hash used to keep generated names unique. */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * Turns free text into a readable DNS label: lower case, invalid characters to "-", trimmed
 * to `max` characters with a hash suffix when it had to be shortened.
 */
export function toDnsLabel(text: string, max = 63): string {
  let label = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (label.length === 0) label = 'x';
  if (label.length <= max) return label;
  const hash = shortHash(text);
  return `${label.slice(0, max - hash.length - 1).replace(/-$/, '')}-${hash}`;
}

/** Labels rendered as a short readable string, sorted for determinism. */
export function describeLabels(labels: { [key: string]: string }): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? 'all pods' : keys.map(k => `${k}=${labels[k]}`).join(',');
}

/** The values of a label map joined by "-", sorted by key (for readable names). */
/**
 * Joins two parts of a readable name without saying the same words twice: `ingress-nginx` and
 * `ingress-nginx` give `ingress-nginx`, `checkout` and `checkout-api` give `checkout-api`,
 * `customer1-backend` and `backend` give `customer1-backend`.
 */
export function joinName(first: string, second: string): string {
  if (second === first || second.startsWith(`${first}-`)) return second;
  if (first.endsWith(`-${second}`)) return first;
  return `${first}-${second}`;
}

export function labelValues(labels: { [key: string]: string }): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? 'all' : keys.map(k => labels[k]).join('-');
}

import { createHash } from 'crypto';

/** Label key that the API server sets on every namespace and nobody can forge. @internal */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Prefix of the labels this library writes. @internal */
export const LABEL_PREFIX = 'namespace-guard.dev';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Explains why `name` is not a DNS-1123 label, or returns undefined when it is one.
 * @internal
 */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 63) return `it has ${name.length} characters (at most 63)`;
  if (!DNS_LABEL.test(name)) {
    return 'it must consist of lower-case letters, digits and "-", and start and end with a letter or digit';
  }
  return undefined;
}

/** Explains why `name` is not a DNS-1123 subdomain. @internal */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 253) return `it has ${name.length} characters (at most 253)`;
  if (!DNS_SUBDOMAIN.test(name)) {
    return 'it must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit';
  }
  return undefined;
}

/** Explains why `value` is not a valid label value (empty is valid). @internal */
export function labelValueProblem(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > 63) return `it has ${value.length} characters (at most 63)`;
  if (!LABEL_NAME.test(value)) {
    return 'it must consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit';
  }
  return undefined;
}

/** Explains why `key` is not a valid label key. @internal */
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

/** Problems of a whole label map, one line each. @internal */
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

/** A short, stable hash used to keep generated names unique. @internal */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * Turns free text into a readable DNS label: lower case, invalid characters to "-", trimmed
 * to `max` characters with a hash suffix when it had to be shortened.
 * @internal
 */
export function toDnsLabel(text: string, max = 63): string {
  let label = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (label.length === 0) label = 'x';
  if (label.length <= max) return label;
  const hash = shortHash(text);
  return `${label.slice(0, max - hash.length - 1).replace(/-$/, '')}-${hash}`;
}

/** Labels rendered as a short readable string, sorted for determinism. @internal */
export function describeLabels(labels: { [key: string]: string }): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? 'all pods' : keys.map(k => `${k}=${labels[k]}`).join(',');
}

/** Stable fingerprint of a JSON-like value (keys sorted). @internal */
export function fingerprint(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: unknown } = {};
    for (const key of Object.keys(value as object).sort()) out[key] = sortKeys((value as any)[key]);
    return out;
  }
  return value;
}

/** The values of a label map joined by "-", sorted by key (for readable names). @internal */
export function labelValues(labels: { [key: string]: string }): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? 'all' : keys.map(k => labels[k]).join('-');
}

// Helpers for untrusted JSON-like values (parsed YAML, rendered manifests), shared by every layer.

/** True for plain mappings (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a chain of object keys, or undefined where the chain breaks. */
export function valueAt(object: unknown, keys: readonly string[]): unknown {
  let value: unknown = object;
  for (const key of keys) {
    value = isRecord(value) ? value[key] : undefined;
  }
  return value;
}

/** Plain code-unit order (not locale order), so output is identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable fingerprint of a JSON-like value (keys sorted). */
export function fingerprint(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareText)) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends keys to a dotted field path: numbers become `[i]`, keys that are not identifiers
 * (annotation keys) become `["key"]`. Each string is one key, never a dotted path.
 */
export function joinPath(base: string, ...segments: (string | number)[]): string {
  let result = base;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      result += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      result += result ? `.${segment}` : segment;
    } else {
      result += `[${JSON.stringify(segment)}]`;
    }
  }
  return result;
}

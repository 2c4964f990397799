// Label maps and label selectors (metav1.LabelSelector), as the API server reads them.
import { FieldError } from './manifests';
import { isRecord } from '../private/json';
import { labelKeyProblem, labelValueProblem } from '../private/names';

export type Labels = Readonly<Record<string, string>>;

/**
 * A label value no selector can name, for a label whose value is unknown or left open: the API server
 * rejects angle brackets in label values (and so do `parseLabels` and `LabelSelector.parse`).
 */
export const UNNAMED_LABEL_VALUE = '<unknown>';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: ReadonlySet<string>;
}

/** A validated metav1.LabelSelector, ready to match label maps. */
export class LabelSelector {
  /** The selector `{}`: matches every object. */
  static readonly EVERYTHING = new LabelSelector([]);

  /**
   * Validates a raw selector object. `path` is the field path used in error messages. An absent
   * selector is the caller's business (its meaning depends on the field), so `raw` must be present.
   */
  static parse(raw: unknown, path: string): LabelSelector {
    if (!isRecord(raw)) {
      throw new FieldError(path, 'must be a label selector mapping');
    }
    const requirements: Requirement[] = [];
    for (const [key, value] of Object.entries(parseLabels(raw.matchLabels, `${path}.matchLabels`))) {
      requirements.push({ key, operator: 'In', values: new Set([value]) });
    }
    const expressions = raw.matchExpressions ?? [];
    if (!Array.isArray(expressions)) {
      throw new FieldError(`${path}.matchExpressions`, 'must be a list');
    }
    expressions.forEach((e, i) => requirements.push(parseRequirement(e, `${path}.matchExpressions[${i}]`)));
    return new LabelSelector(requirements);
  }

  /** A canonical text form; selectors with equal keys select the same objects. */
  readonly key: string;

  private constructor(private readonly requirements: readonly Requirement[]) {
    this.key = requirements
      .map((r) => `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`)
      .sort()
      .join(' && ');
  }

  /**
   * The `key=value` pairs every matching label map must carry (from matchLabels, and from `In`
   * expressions with one value), for looking candidates up in an index before calling `matches`.
   */
  get requiredPairs(): ReadonlyArray<readonly [string, string]> {
    return this.requirements
      .filter((r) => r.operator === 'In' && r.values.size === 1)
      .map((r) => [r.key, [...r.values][0]] as const);
  }

  /** The values an `In` requirement (or matchLabels entry) pins `key` to, if there is one. */
  valuesOf(key: string): ReadonlySet<string> | undefined {
    return this.requirements.find((r) => r.key === key && r.operator === 'In')?.values;
  }

  /**
   * The `NotIn` requirements apart from the rest: an object matches iff it matches `rest` and has
   * none of the `key=value` pairs of `excluded`. Lets a caller with a label index answer
   * `tenant NotIn (a)` by removing the few objects labelled `tenant=a` instead of testing them all.
   */
  splitNotIn(): { readonly rest: LabelSelector; readonly excluded: ReadonlyArray<readonly [string, string]> } {
    const notIn = this.requirements.filter((r) => r.operator === 'NotIn');
    if (notIn.length === 0) return { rest: this, excluded: [] };
    return {
      rest: new LabelSelector(this.requirements.filter((r) => r.operator !== 'NotIn')),
      excluded: notIn.flatMap((r) => [...r.values].map((v) => [r.key, v] as const)),
    };
  }

  /** Readable text: `app=web,tier=api` for plain label matches, else the canonical form. */
  get text(): string {
    if (this.requirements.length > 0 && this.requirements.every((r) => r.operator === 'In' && r.values.size === 1)) {
      return this.requirements.map((r) => `${r.key}=${[...r.values][0]}`).sort().join(',');
    }
    return this.toString();
  }

  /** True for `{}`, which selects everything. */
  get matchesEverything(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  /** The keys the requirements are about, sorted. */
  keys(): string[] {
    return [...new Set(this.requirements.map((r) => r.key))].sort();
  }

  /** Whether some requirement is about `key`. */
  mentions(key: string): boolean {
    return this.requirements.some((r) => r.key === key);
  }

  /** The values the requirements on `key` name (In and NotIn), sorted. */
  valuesNamed(key: string): string[] {
    return [...new Set(this.requirements.filter((r) => r.key === key).flatMap((r) => [...r.values]))].sort();
  }

  /**
   * A label map the selector matches, as small as possible: each `In` key with its lowest value
   * allowed by every requirement on it, each `Exists` key with `value`; undefined when no label map
   * matches (`a In (x)` with `a NotIn (x)`, `a Exists` with `a DoesNotExist`).
   */
  example(value = UNNAMED_LABEL_VALUE): Labels | undefined {
    const labels: Record<string, string> = {};
    for (const key of [...new Set(this.requirements.map((r) => r.key))].sort()) {
      const on = this.requirements.filter((r) => r.key === key);
      const absent = on.some((r) => r.operator === 'DoesNotExist');
      const present = on.some((r) => r.operator === 'In' || r.operator === 'Exists');
      if (!present) continue; // NotIn and DoesNotExist hold for an absent key
      if (absent) return undefined;
      const excluded = new Set(on.filter((r) => r.operator === 'NotIn').flatMap((r) => [...r.values]));
      const allowed = on.filter((r) => r.operator === 'In')
        .reduce<string[] | undefined>((acc, r) => (acc === undefined ? [...r.values] : acc.filter((v) => r.values.has(v))), undefined);
      const candidates = (allowed ?? [value]).filter((v) => !excluded.has(v)).sort();
      if (candidates.length === 0) return undefined;
      labels[key] = candidates[0];
    }
    return labels;
  }

  toString(): string {
    return this.key === '' ? '{}' : this.key;
  }
}

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && r.values.has(labels[r.key]);
    case 'NotIn':
      return !has || !r.values.has(labels[r.key]); // an absent key satisfies NotIn
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

function parseRequirement(raw: unknown, path: string): Requirement {
  if (!isRecord(raw)) {
    throw new FieldError(path, 'must be a mapping with key, operator and values');
  }
  const { key, operator } = raw;
  if (typeof key !== 'string' || key === '') {
    throw new FieldError(`${path}.key`, 'must be a non-empty string');
  }
  if (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist') {
    throw new FieldError(`${path}.operator`, `unknown operator ${JSON.stringify(operator)} (expected In, NotIn, Exists or DoesNotExist)`);
  }
  checkLabelKey(key, `${path}.key`);
  const values = parseStringList(raw.values, `${path}.values`);
  values.forEach((v, i) => checkLabelValue(v, `${path}.values[${i}]`));
  const needsValues = operator === 'In' || operator === 'NotIn';
  if (needsValues && values.length === 0) {
    throw new FieldError(`${path}.values`, `must be non-empty for operator ${operator}`);
  }
  if (!needsValues && values.length > 0) {
    throw new FieldError(`${path}.values`, `must be empty for operator ${operator}`);
  }
  return { key, operator, values: new Set(values) };
}

function parseStringList(raw: unknown, path: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    throw new FieldError(path, 'must be a list of strings');
  }
  return raw.map((v, i) => (typeof v === 'string' ? v : labelValue(v, `${path}[${i}]`)));
}

/**
 * Items (namespaces) by each `key=value` label pair they carry, so that equality selectors find
 * their candidates without a scan.
 */
export function indexByLabel<T extends { readonly labels: Labels }>(items: Iterable<T>): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    for (const [key, value] of Object.entries(item.labels)) {
      const pair = `${key}=${value}`;
      const list = index.get(pair);
      if (list) list.push(item);
      else index.set(pair, [item]);
    }
  }
  return index;
}

/**
 * Reads a string map such as metadata.labels or matchLabels. Numbers are accepted as their text
 * (YAML turns an unquoted `1` into a number, which is what the author meant). Booleans are not:
 * kubectl reads YAML 1.1, where `yes`, `on` and `off` are booleans too, so the text cannot be
 * recovered, and the API server rejects a boolean there; the error asks for quotes.
 */
export function parseStringMap(raw: unknown, path: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    throw new FieldError(path, 'must be a mapping of strings');
  }
  const out: Record<string, string> = {};
  for (const k of Object.keys(raw)) {
    const v = raw[k];
    // Nearly every value is a string: only the others need the field's path.
    out[k] = typeof v === 'string' ? v : labelValue(v, `${path}.${k}`);
  }
  return out;
}

/**
 * Reads a label map (metadata.labels, matchLabels) and checks every key and value the way the API
 * server does, so that no object it would reject counts in an analysis.
 */
export function parseLabels(raw: unknown, path: string): Record<string, string> {
  const labels = parseStringMap(raw, path);
  for (const [key, value] of Object.entries(labels)) {
    checkLabelKey(key, `${path}.${key}`);
    checkLabelValue(value, `${path}.${key}`);
  }
  return labels;
}

function checkLabelKey(key: string, path: string): void {
  const problem = labelKeyProblem(key);
  if (problem) throw new FieldError(path, `label key ${JSON.stringify(key)} is invalid: ${problem}; the API server rejects it`);
}

function checkLabelValue(value: string, path: string): void {
  const problem = labelValueProblem(value);
  if (problem) throw new FieldError(path, `label value ${JSON.stringify(value)} is invalid: ${problem}; the API server rejects it`);
}

function labelValue(v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') {
    throw new FieldError(path, `must be a string, not the boolean ${v}: YAML reads unquoted true, false, yes, no, on and off as booleans, `
      + 'which the API server rejects here; quote the value');
  }
  if (v === null) return '';
  throw new FieldError(path, 'must be a string');
}

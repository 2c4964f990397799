// The CEL environment of the API server's admission policies, by Kubernetes minor version: which
// functions a new policy may call, which of them are evaluated here, and overloads that follow
// cel-go where @bufbuild/cel differs (strings by code point, strconv number parsing, limits).
import { CelFunc, celFunc, celList, celMethod, CelScalar, celUint, listType } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/** The Kubernetes minor versions the simulator knows (1.NN). */
export const OLDEST_MINOR = 30;
export const NEWEST_MINOR = 35;
export const DEFAULT_MINOR = NEWEST_MINOR;

/**
 * Functions evaluated here as cel-go evaluates them: the standard library and the strings
 * extension at version 2 (every minor from 1.29 on), except `format`.
 */
const SIMULATED = new Set([
  'size', 'contains', 'startsWith', 'endsWith', 'matches', 'int', 'uint', 'double', 'string', 'bytes', 'bool',
  'duration', 'timestamp', 'dyn', 'type', 'getFullYear', 'getMonth', 'getDayOfYear', 'getDayOfMonth', 'getDate',
  'getDayOfWeek', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds',
  'charAt', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'replace', 'split', 'substring', 'trim', 'join',
  'strings.quote',
]);

/** A library function of the API server that is not evaluated here. */
export interface UnsimulatedFunction {
  readonly library: string;
  /**
   * The first minor whose API server accepts it in a new policy. A new policy is compiled with
   * the libraries of the previous minor (the compatibility version), so a library introduced in
   * 1.N reaches new policies in 1.N+1.
   */
  readonly since: number;
}

const UNSIMULATED = new Map<string, UnsimulatedFunction>();
function library(name: string, since: number, functions: readonly string[]): void {
  for (const f of functions) if (!UNSIMULATED.has(f)) UNSIMULATED.set(f, { library: name, since });
}
library('strings (format)', 30, ['format']);
library('Kubernetes URL', 30, ['url', 'isURL', 'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery']);
library('Kubernetes regex', 30, ['find', 'findAll']);
library('Kubernetes lists', 30, ['isSorted', 'sum', 'min', 'max']);
library('Kubernetes quantity', 30, ['quantity', 'isQuantity', 'sign', 'isGreaterThan', 'isLessThan', 'compareTo', 'add', 'sub',
  'asInteger', 'isInteger', 'asApproximateFloat']);
library('Kubernetes authorizer', 30, ['path', 'group', 'resource', 'subresource', 'namespace', 'name', 'check', 'allowed', 'reason',
  'errored', 'error', 'serviceAccount']);
library('Kubernetes authorizer selectors', 32, ['fieldSelector', 'labelSelector']);
library('sets', 30, ['sets.contains', 'sets.equivalent', 'sets.intersects']);
library('optional types', 30, ['optional.of', 'optional.none', 'optional.ofNonZeroValue', 'value', 'hasValue', 'or', 'orValue',
  'optMap', 'optFlatMap']);
library('Kubernetes IP', 31, ['ip', 'isIP', 'ip.isCanonical', 'family', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast',
  'isLinkLocalUnicast', 'isGlobalUnicast']);
library('Kubernetes CIDR', 31, ['cidr', 'isCIDR', 'containsIP', 'containsCIDR', 'prefixLength', 'masked']);
library('Kubernetes format', 32, ['format.named', 'validate', ...['dns1123Label', 'dns1123Subdomain', 'dns1035Label', 'qualifiedName',
  'dns1123LabelPrefix', 'dns1123SubdomainPrefix', 'dns1035LabelPrefix', 'labelValue', 'uri', 'uuid', 'byte', 'date', 'datetime']
  .map(f => `format.${f}`)]);
library('two-variable comprehensions', 33, ['transformList', 'transformMap', 'transformMapEntry']);
// The optional library gained first() and last() with cel-go 0.23 (Kubernetes 1.33).
library('optional types', 33, ['first', 'last']);
library('Kubernetes semver', 34, ['semver', 'isSemver', 'major', 'minor', 'patch']);
library('lists', 35, ['lists.range', 'slice', 'flatten', 'reverse', 'sort', 'sortBy', 'distinct']);

/** Three-argument forms of these macros are two-variable comprehensions (1.33 on). */
export const TWO_VARIABLE_MACROS = new Set(['all', 'exists', 'existsOne', 'exists_one']);
export const TWO_VARIABLE_SINCE = 33;

/** Macros whose arguments bind names: a stub overload never runs for them, so they are flagged on the tree. */
export const UNSIMULATED_MACROS = new Set(['transformList', 'transformMap', 'transformMapEntry', 'optMap', 'optFlatMap', 'sortBy']);

export type FunctionStatus =
  | { readonly kind: 'simulated' }
  | { readonly kind: 'unsimulated'; readonly library: string }
  | { readonly kind: 'unavailable'; readonly library: string; readonly since: number }
  | { readonly kind: 'unknown' };

/** What a call of `name` (a function, method or qualified name) is on the API server of 1.`minor`. */
export function functionStatus(name: string, minor: number): FunctionStatus {
  if (isOperator(name) || SIMULATED.has(name)) return { kind: 'simulated' };
  const entry = UNSIMULATED.get(name);
  if (!entry) return { kind: 'unknown' };
  return minor < entry.since
    ? { kind: 'unavailable', library: entry.library, since: entry.since }
    : { kind: 'unsimulated', library: entry.library };
}

/** Whether a qualified name (`sets.contains`) names a function, so its first part is no variable. */
export function isQualifiedFunction(name: string): boolean {
  return SIMULATED.has(name) || UNSIMULATED.has(name);
}

function isOperator(name: string): boolean {
  return /^[_@!-]/.test(name);
}

// --- not simulated at run time -------------------------------------------------------------------

/** Thrown by a stub: the expression reached a function that is not evaluated here. */
const UNSIMULATED_MARK = 'not simulated: ';

/** The functions reached during the evaluation in progress (stubs, and variables that reached one). */
let reached: string[] | undefined;

/** Records that the running evaluation depends on something not simulated, and fails it. */
export function unsimulated(what: string): never {
  reached?.push(what);
  throw new Error(`${UNSIMULATED_MARK}${what}`);
}

/**
 * Runs an evaluation and returns, with its result, what it reached that is not simulated.
 * A value computed despite a stub is exact (the stub's error was absorbed by `||`, `&&`, `?:`
 * or a macro, which absorbs any value the same way); an error with a stub reached is unknown.
 */
export function tracking<T>(run: () => T): { readonly result: T; readonly reached: readonly string[] } {
  const outer = reached;
  const mine: string[] = [];
  reached = mine;
  try {
    return { result: run(), reached: mine };
  } finally {
    reached = outer;
    outer?.push(...mine);
  }
}

const { DYN, INT, STRING, DOUBLE, UINT } = CelScalar;
const LIST = listType(DYN);

function stubs(): CelFunc[] {
  const out: CelFunc[] = [];
  for (const [name, { library: lib }] of UNSIMULATED) {
    const what = `${name}() (${lib} library)`;
    for (let arity = 0; arity <= 3; arity++) {
      const params = Array.from({ length: arity }, () => DYN);
      out.push(celFunc(name, params, DYN, () => unsimulated(what)));
      if (!name.includes('.')) out.push(celMethod(name, DYN, params, DYN, () => unsimulated(what)));
    }
  }
  // indexOf and lastIndexOf of a list belong to the Kubernetes lists library; of a string, to strings.
  for (const name of ['indexOf', 'lastIndexOf']) {
    out.push(celMethod(name, LIST, [DYN], INT, () => unsimulated(`list ${name}() (Kubernetes lists library)`)));
  }
  return out;
}

// --- strings as cel-go sees them: sequences of code points ---------------------------------------

function codePoints(s: string): string[] {
  return Array.from(s);
}

function outOfRange(index: bigint | number): Error {
  return new Error(`index out of range: ${index}`);
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function charAt(s: string, index: bigint): string {
  const chars = codePoints(s);
  if (index < 0n || index > BigInt(chars.length)) throw outOfRange(index);
  return index === BigInt(chars.length) ? '' : chars[Number(index)];
}

function matchesAt(chars: readonly string[], sub: readonly string[], at: number): boolean {
  for (let j = 0; j < sub.length; j++) if (chars[at + j] !== sub[j]) return false;
  return true;
}

/**
 * Whether a search offset lies inside a string of `length` characters. A negative offset is an
 * error; one at or past the end was an error in cel-go before 0.22 (Kubernetes 1.31 and older) and
 * finds nothing since.
 */
function offsetInside(offset: bigint, length: number, minor: number): boolean {
  if (offset < 0n || (offset >= BigInt(length) && minor <= 31)) throw outOfRange(offset);
  return offset < BigInt(length);
}

export function indexOf(s: string, substr: string, offset: bigint, minor: number): bigint {
  if (substr === '') return offset; // cel-go returns the offset unchecked
  const chars = codePoints(s);
  const sub = codePoints(substr);
  if (!offsetInside(offset, chars.length, minor)) return -1n;
  for (let i = Number(offset); i < chars.length - (sub.length - 1); i++) if (matchesAt(chars, sub, i)) return BigInt(i);
  return -1n;
}

export function lastIndexOf(s: string, substr: string, minor: number): bigint {
  const chars = codePoints(s);
  if (substr === '') return BigInt(chars.length);
  // cel-go 0.26 (Kubernetes 1.34) answers -1 when the string is shorter in bytes; before, an
  // empty string made the search start at -1, an error.
  if (minor >= 34 && utf8Length(s) < utf8Length(substr)) return -1n;
  return lastIndexOfFrom(s, substr, BigInt(chars.length - 1), minor);
}

export function lastIndexOfFrom(s: string, substr: string, offset: bigint, minor: number): bigint {
  if (substr === '') return offset;
  const chars = codePoints(s);
  const sub = codePoints(substr);
  if (!offsetInside(offset, chars.length, minor)) return -1n;
  let start = Math.min(Number(offset), chars.length - sub.length);
  for (; start >= 0; start--) if (matchesAt(chars, sub, start)) return BigInt(start);
  return -1n;
}

export function substring(s: string, start: bigint, end?: bigint): string {
  const chars = codePoints(s);
  const length = BigInt(chars.length);
  if (end === undefined) {
    if (start < 0n || start > length) throw outOfRange(start);
    return chars.slice(Number(start)).join('');
  }
  if (start > end) throw new Error(`invalid substring range. start: ${start}, end: ${end}`);
  if (start < 0n || start > length) throw outOfRange(start);
  if (end < 0n || end > length) throw outOfRange(end);
  return chars.slice(Number(start), Number(end)).join('');
}

/** Go's strings.SplitN: n < 0 all pieces, 0 none, else at most n, the last holding the rest. */
export function split(s: string, sep: string, n: bigint): string[] {
  if (n === 0n) return [];
  if (sep === '') {
    const chars = codePoints(s);
    if (n < 0n || n >= BigInt(chars.length)) return chars;
    const head = chars.slice(0, Number(n) - 1);
    return [...head, chars.slice(Number(n) - 1).join('')];
  }
  const pieces: string[] = [];
  let rest = s;
  while (n < 0n || BigInt(pieces.length) < n - 1n) {
    const at = rest.indexOf(sep);
    if (at < 0) break;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at + sep.length);
  }
  pieces.push(rest);
  return pieces;
}

/** Go's strings.Replace: n < 0 replaces all; an empty `old` matches before every code point and at the end. */
export function replace(s: string, old: string, replacement: string, n: bigint): string {
  if (old === replacement || n === 0n) return s;
  if (old === '') {
    const chars = codePoints(s);
    const limit = n < 0n ? chars.length + 1 : Math.min(Number(n), chars.length + 1);
    let out = '';
    for (let i = 0; i < chars.length; i++) out += (i < limit ? replacement : '') + chars[i];
    return out + (chars.length < limit ? replacement : '');
  }
  let out = '';
  let rest = s;
  for (let done = 0n; n < 0n || done < n; done++) {
    const at = rest.indexOf(old);
    if (at < 0) break;
    out += rest.slice(0, at) + replacement;
    rest = rest.slice(at + old.length);
  }
  return out + rest;
}

const QUOTED: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"',
};

/** strings.quote: Go's escapes (no `\0`); a lone surrogate, invalid in UTF-8, becomes U+FFFD. */
export function quote(s: string): string {
  let out = '"';
  for (const c of codePoints(s)) {
    const code = c.codePointAt(0)!;
    out += QUOTED[c] ?? (code >= 0xd800 && code <= 0xdfff ? '\ufffd' : c);
  }
  return `${out}"`;
}

// --- numbers as strconv parses and prints them ---------------------------------------------------

const MAX_INT = 9223372036854775807n;
const MIN_INT = -9223372036854775808n;
const MAX_UINT = 18446744073709551615n;

/** strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, nothing else (no spaces). */
export function parseInt64(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const value = BigInt(s);
  if (value < MIN_INT || value > MAX_INT) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  return value;
}

/** strconv.ParseUint(s, 10, 64): decimal digits only (no sign). */
export function parseUint64(s: string): bigint {
  if (!/^[0-9]+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const value = BigInt(s);
  if (value > MAX_UINT) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  return value;
}

/** strconv.ParseFloat(s, 64): decimal or inf/infinity/nan; a value beyond the double range is an error. */
export function parseDouble(s: string): number {
  if (/^[+-]?0[xX]/.test(s)) unsimulated('double() of a hexadecimal string');
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) {
    throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
  }
  const value = Number(s);
  if (!Number.isFinite(value)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`);
  return value;
}

/** strconv.FormatFloat(x, 'g', -1, 64): shortest digits, exponent form below 1e-4 and from 1e6. */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, exponentText] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(x); // JavaScript prints this range in plain decimals too
}

// --- the environment ------------------------------------------------------------------------------

/** Overloads of the strings extension replaced below (same ids). */
const REPLACED = new Set(['charAt', 'indexOf', 'lastIndexOf', 'split', 'substring', 'replace', 'strings.quote', 'format']);

/** The functions of the environment for 1.`minor`: bufbuild's, overridden where cel-go differs, and stubs. */
export function environmentFunctions(minor: number): CelFunc[] {
  return [
    ...strings.filter(f => !REPLACED.has(f.name)),
    ...stubs(),
    celMethod('charAt', STRING, [INT], STRING, function (this: string, i: bigint) { return charAt(this, i); }),
    celMethod('indexOf', STRING, [STRING], INT, function (this: string, sub: string) { return indexOf(this, sub, 0n, minor); }),
    celMethod('indexOf', STRING, [STRING, INT], INT, function (this: string, sub: string, offset: bigint) {
      return indexOf(this, sub, offset, minor);
    }),
    celMethod('lastIndexOf', STRING, [STRING], INT, function (this: string, sub: string) { return lastIndexOf(this, sub, minor); }),
    celMethod('lastIndexOf', STRING, [STRING, INT], INT, function (this: string, sub: string, offset: bigint) {
      return lastIndexOfFrom(this, sub, offset, minor);
    }),
    celMethod('split', STRING, [STRING], listType(STRING), function (this: string, sep: string) { return celList(split(this, sep, -1n)); }),
    celMethod('split', STRING, [STRING, INT], listType(STRING), function (this: string, sep: string, n: bigint) {
      return celList(split(this, sep, n));
    }),
    celMethod('substring', STRING, [INT], STRING, function (this: string, start: bigint) { return substring(this, start); }),
    celMethod('substring', STRING, [INT, INT], STRING, function (this: string, start: bigint, end: bigint) {
      return substring(this, start, end);
    }),
    celMethod('replace', STRING, [STRING, STRING], STRING, function (this: string, old: string, r: string) {
      return replace(this, old, r, -1n);
    }),
    celMethod('replace', STRING, [STRING, STRING, INT], STRING, function (this: string, old: string, r: string, n: bigint) {
      return replace(this, old, r, n);
    }),
    celFunc('strings.quote', [STRING], STRING, quote),
    celFunc('int', [STRING], INT, parseInt64),
    celFunc('uint', [STRING], UINT, (s: string) => celUint(parseUint64(s))),
    celFunc('double', [STRING], DOUBLE, parseDouble),
    celFunc('string', [DOUBLE], STRING, formatDouble),
  ];
}

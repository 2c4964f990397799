// The fast path of the manifest reader. Most manifests (what cdk8s, Helm and kubectl write) use no
// anchors, tags or merge keys; for those, js-yaml builds the same values about ten times faster than
// the yaml package, whose syntax tree the full reader needs for aliases, merge keys and its checks.
// Whatever this path is not sure of, it leaves to the full reader by returning undefined.
import { FAILSAFE_SCHEMA, loadAll, LoadOptions, Type } from 'js-yaml';
import { PLAIN_SCALARS, PlainScalar } from './yaml-scalars';
import { isRecord } from '../private/json';

/** One document read by the fast path: its value and the 1-based line where its content starts. */
export interface FastDocument {
  readonly value: unknown;
  readonly line: number | undefined;
}

/**
 * Texts the fast path leaves to the full reader, found by a conservative scan (a match inside a
 * string only costs speed): anchors and tags (`&a`, `!t` after a space or flow indicator), merge keys
 * (`<<`), directives (`%YAML`), explicit keys (`? `), collections used as keys (`]:`, `}:`), and null
 * or empty keys, which the two readers turn into different text. Each pattern runs only when a
 * cheap search finds the character it needs: most manifests have none of them.
 */
const NEEDS_FULL_READER: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/[&!]/, /(?:^|[\s[{,])[&!]/m],
  [/<</, /<</],
  [/%/, /^%/m],
  [/\?/, /^[ \t]*(?:-[ \t]+)*\?(?:[ \t]|$)/m],
  [/[\]}][ \t]*:/, /[\]}][ \t]*:(?:[ \t]|$)/],
  [/(?:~|null|Null|NULL)[ \t]*:/, /(?:^|[\s{,])(?:~|null|Null|NULL)[ \t]*:(?:[ \t]|$)/m],
  [/^[ \t-]*:/m, /^[ \t]*(?:-[ \t]+)*:(?:[ \t]|$)/m],
];

function needsFullReader(text: string): boolean {
  return NEEDS_FULL_READER.some(([candidate, pattern]) => candidate.test(text) && pattern.test(text));
}

/**
 * The plain scalars of PLAIN_SCALARS as js-yaml types, one per tag (js-yaml keeps one type per tag).
 * js-yaml asks each type in turn about every plain scalar, so the pattern that matches a text is
 * found once for all of them, and texts that start with a character none can start with (most
 * names and labels) skip the patterns altogether.
 */
function scalarTypes(): Type[] {
  let lastText: string | undefined;
  let lastMatch: PlainScalar | undefined;
  const matchOf = (text: string): PlainScalar | undefined => {
    if (text !== lastText) {
      lastText = text;
      lastMatch = text !== '' && !SCALAR_STARTS.has(text.charCodeAt(0)) ? undefined : PLAIN_SCALARS.find(s => s.test.test(text));
    }
    return lastMatch;
  };
  const tags = [...new Set(PLAIN_SCALARS.map(s => s.tag))];
  return tags.map(tag => new Type(tag, {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && matchOf(data)?.tag === tag,
    construct: (data: string) => matchOf(data)!.resolve(data),
  }));
}

/** The first characters of the texts of PLAIN_SCALARS (checked by a test). */
export const SCALAR_STARTS: ReadonlySet<number> = new Set([...'yYnNoOtTfF~+-.0123456789'].map(c => c.charCodeAt(0)));

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: scalarTypes() });

/** Raised to leave a text to the full reader from inside js-yaml's callbacks. */
class NotForFastPath extends Error {}

/**
 * The documents of `text` read with js-yaml, when they need nothing but plain mappings, lists and
 * scalars; undefined for anything else (syntax errors included, so that the full reader words them).
 * List documents (a top-level list, a `*List` kind) are left to the full reader too: it knows the
 * line of each entry.
 */
export function readFast(text: string): FastDocument[] | undefined {
  if (needsFullReader(text)) return undefined;
  const lines: number[] = [];
  const options: LoadOptions = {
    schema: SCHEMA,
    onWarning: () => {
      throw new NotForFastPath();
    },
    // Only the root of each document is noted: where its content starts, comments skipped.
    listener: (event, state) => {
      if (event === 'open' && (state as unknown as { depth: number }).depth === 1) {
        lines.push((state as unknown as { line: number }).line + 1);
      }
    },
  };
  let values: unknown[];
  try {
    values = loadAll(text, undefined, options);
  } catch {
    return undefined;
  }
  if (values.length !== lines.length || values.some(isListDocument)) return undefined;
  return values.map((value, i) => ({ value, line: lines[i] }));
}

function isListDocument(value: unknown): boolean {
  return Array.isArray(value) || (isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List'));
}

// The fast path of the manifest reader. Most manifests (what cdk8s, Helm and kubectl write) use no
// anchors, tags or merge keys; for those, js-yaml builds the same values about ten times faster than
// the yaml package, whose syntax tree the full reader needs for aliases, merge keys and its checks.
// Whatever this path is not sure of, it leaves to the full reader by returning undefined.
import { FAILSAFE_SCHEMA, loadAll, LoadOptions, Type } from 'js-yaml';
import { PLAIN_SCALARS } from './yaml-scalars';
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
 * or empty keys, which the two readers turn into different text.
 */
const NEEDS_FULL_READER = new RegExp([
  '(?:^|[\\s\\[{,])[&!]',
  '<<',
  '^%',
  '^[ \\t]*(?:-[ \\t]+)*\\?(?:[ \\t]|$)',
  '[\\]}][ \\t]*:(?:[ \\t]|$)',
  '(?:^|[\\s{,])(?:~|null|Null|NULL)[ \\t]*:(?:[ \\t]|$)',
  '^[ \\t]*(?:-[ \\t]+)*:(?:[ \\t]|$)',
].join('|'), 'm');

/** The plain scalars of PLAIN_SCALARS as js-yaml types, one per tag (js-yaml keeps one type per tag). */
function scalarTypes(): Type[] {
  const tags = [...new Set(PLAIN_SCALARS.map(s => s.tag))];
  return tags.map(tag => {
    const scalars = PLAIN_SCALARS.filter(s => s.tag === tag);
    const match = (data: unknown) => (typeof data === 'string' ? scalars.find(s => s.test.test(data)) : undefined);
    return new Type(tag, {
      kind: 'scalar',
      resolve: (data: unknown) => match(data) !== undefined,
      construct: (data: string) => match(data)!.resolve(data),
    });
  });
}

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
  if (NEEDS_FULL_READER.test(text)) return undefined;
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

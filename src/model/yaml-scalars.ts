// What a plain (unquoted) YAML scalar means, as kubectl and kustomize read it. Both YAML readers of
// the manifest reader resolve plain scalars with this one table, so they cannot drift apart.

/** One kind of plain scalar: the tag it resolves to, the texts it covers, and their value. */
export interface PlainScalar {
  readonly tag: string;
  readonly test: RegExp;
  readonly resolve: (text: string) => unknown;
}

const BOOL = 'tag:yaml.org,2002:bool';
const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';
const NULL = 'tag:yaml.org,2002:null';

/**
 * Plain scalars in the order they are tried; any other plain scalar is a string. kubectl reads YAML
 * with go-yaml, whose plain scalars follow YAML 1.1: besides true/false, y/yes/on and n/no/off (lower,
 * Capitalised, UPPER) are booleans and 0755 is octal (so it comes before decimal). The rest is the
 * YAML 1.2 core schema: null and ~, 0o and 0x integers, decimal integers and floats, .inf and .nan.
 * Sexagesimal (1:20), timestamps, binary and underscores stay strings, as they do there. None of these
 * patterns overlap except octal and decimal, whose order is kept.
 */
export const PLAIN_SCALARS: readonly PlainScalar[] = [
  { tag: BOOL, test: /^(?:y|Y|yes|Yes|YES|on|On|ON)$/, resolve: () => true },
  { tag: BOOL, test: /^(?:n|N|no|No|NO|off|Off|OFF)$/, resolve: () => false },
  { tag: INT, test: /^[-+]?0[0-7]+$/, resolve: (text) => parseInt(text, 8) },
  { tag: NULL, test: /^(?:~|[Nn]ull|NULL)?$/, resolve: () => null },
  { tag: BOOL, test: /^(?:[Tt]rue|TRUE)$/, resolve: () => true },
  { tag: BOOL, test: /^(?:[Ff]alse|FALSE)$/, resolve: () => false },
  { tag: INT, test: /^0o[0-7]+$/, resolve: (text) => parseInt(text.substring(2), 8) },
  { tag: INT, test: /^[-+]?[0-9]+$/, resolve: (text) => parseInt(text, 10) },
  { tag: INT, test: /^0x[0-9a-fA-F]+$/, resolve: (text) => parseInt(text.substring(2), 16) },
  { tag: FLOAT, test: /^[-+]?\.(?:inf|Inf|INF)$/, resolve: (text) => (text[0] === '-' ? -Infinity : Infinity) },
  { tag: FLOAT, test: /^\.(?:nan|NaN|NAN)$/, resolve: () => NaN },
  { tag: FLOAT, test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, resolve: (text) => parseFloat(text) },
  { tag: FLOAT, test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, resolve: (text) => parseFloat(text) },
];

/** The value of a plain scalar's text. */
export function resolvePlainScalar(text: string): unknown {
  for (const scalar of PLAIN_SCALARS) {
    if (scalar.test.test(text)) return scalar.resolve(text);
  }
  return text;
}

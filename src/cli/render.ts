import { compareText } from '../private/json';

/** Left-aligned columns separated by two spaces, without trailing blanks. */
export function renderGrid(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/**
 * A JSON object whose members come out in code-unit order of their keys. Built by hand because
 * JavaScript objects put integer-like keys (a namespace called `123`) first, whatever the insertion order.
 */
export function sortedJsonObject(entries: Iterable<readonly [string, string]>): string {
  const sorted = [...entries].sort(([a], [b]) => compareText(a, b));
  return `{${sorted.map(([key, json]) => `${JSON.stringify(key)}:${json}`).join(',')}}`;
}

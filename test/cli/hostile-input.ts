// Hostile inputs and what a command must do with them: exit 2, naming the file and the document,
// with no stack trace. Shared by the in-process tests and those that run the command's own process.

export function expectBadInput(r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect([r.code, r.stdout]).toEqual([2, '']);
}

/** The classic "billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
export function billionLaughs(indent: string): string {
  const lines = [`${indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) {
    lines.push(`${indent}${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

export const BOMB = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: laughs, namespace: shop}\ndata:\n${billionLaughs('  ')}`;

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

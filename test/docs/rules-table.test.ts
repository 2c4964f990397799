// docs/synth-time-checks.md has one row per rule of the registry, with the rule's severity: a new
// rule cannot ship undocumented, and a renamed id (which would orphan acknowledgements) shows here.
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './markdown';
import { RULES } from '../../src/rules/all-rules';
import { FindingSeverity, RuleId } from '../../src/rules/rule-id';

const ROW = /^\| `([a-z][a-z0-9-]*)` \| (error|warning)\b/;

test('the rules table of docs/synth-time-checks.md lists every rule once, with its severity', () => {
  const lines = fs.readFileSync(path.join(ROOT, 'docs', 'synth-time-checks.md'), 'utf8').split('\n');
  const start = lines.indexOf('## The rules');
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const table = lines.slice(start, end < 0 ? undefined : end).filter(l => ROW.test(l)).map(l => ROW.exec(l)!);
  const documented = table.map(m => m[1]);
  expect([...documented].sort()).toEqual([...RuleId.all()].sort());
  expect(new Set(documented).size).toBe(documented.length);
  for (const [, id, severity] of table) {
    const rule = RULES.find(r => r.id === id)!;
    expect([id, severity]).toEqual([id, rule.severity === FindingSeverity.ERROR ? 'error' : 'warning']);
  }
});

import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parse } from 'yaml';
import { checkPodSecurity, PodSecurityLevelName, PodSecurityResult } from '../../../src/analysis/pod-security';

/*
 * Conformance against the upstream Pod Security Admission fixtures in ../shared/oracles
 * (see its README.md). The folder sits beside the repository clone, so it is resolved
 * from this file, never from an absolute path.
 */
const ORACLE_DIR = path.resolve(__dirname, '../../../../shared/oracles/pod-security');

interface FixtureEntry {
  readonly file: string;
  readonly level: PodSecurityLevelName;
  readonly version: string;
  readonly expect: 'pass' | 'fail';
  readonly checkId: string | null;
  readonly expectErrorSubstring?: string;
  readonly reportedCheckIds?: string[];
}

if (!fs.existsSync(path.join(ORACLE_DIR, 'index.json'))) {
  throw new Error(`Pod Security oracle not found at ${ORACLE_DIR}: shared/ must sit beside the repository clone`);
}

const index: { fixtures: FixtureEntry[] } = JSON.parse(fs.readFileSync(path.join(ORACLE_DIR, 'index.json'), 'utf8'));

/** Why the checker disagrees with the fixture, or undefined when it agrees. */
function disagreement(entry: FixtureEntry, result: PodSecurityResult): string | undefined {
  const summary = () => JSON.stringify(result.violations.map(({ check, message }) => `${check}: ${message}`));
  if (entry.expect === 'pass') {
    return result.allowed && result.violations.length === 0 ? undefined : `expected allowed, got ${summary()}`;
  }
  if (result.allowed) {
    return 'expected denied, got allowed';
  }
  const reported = result.violations.filter((violation) => entry.reportedCheckIds?.includes(violation.check));
  if (reported.length === 0) {
    return `expected a violation of ${entry.reportedCheckIds?.join(' or ')}, got ${summary()}`;
  }
  if (!reported.some((violation) => violation.message.includes(entry.expectErrorSubstring ?? ''))) {
    return `expected a ${entry.reportedCheckIds?.join('/')} message containing ${JSON.stringify(entry.expectErrorSubstring)}, got ${summary()}`;
  }
  return undefined;
}

describe('Pod Security Admission oracle fixtures', () => {
  test('the index lists every fixture file exactly once', () => {
    const onDisk: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(full);
        } else if (entry.name.endsWith('.yaml')) {
          onDisk.push(path.relative(ORACLE_DIR, full).split(path.sep).join('/'));
        }
      }
    };
    walk(path.join(ORACLE_DIR, 'testdata'));
    expect(index.fixtures.map((entry) => entry.file).sort()).toEqual(onDisk.sort());
    expect(onDisk).toHaveLength(4537);
  });

  test('fixture counts per level and outcome match the README', () => {
    const counts: Record<string, number> = {};
    for (const entry of index.fixtures) {
      const key = `${entry.level}/${entry.expect}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    expect(counts).toEqual({
      'baseline/pass': 433,
      'baseline/fail': 1122,
      'restricted/pass': 618,
      'restricted/fail': 2364,
    });
  });

  test('the checker agrees with all 4,537 fixtures, quickly', () => {
    const pods = index.fixtures.map((entry) => parse(fs.readFileSync(path.join(ORACLE_DIR, entry.file), 'utf8')));
    const disagreements: string[] = [];
    let checked = 0;
    const started = performance.now();
    index.fixtures.forEach((entry, i) => {
      let problem: string | undefined;
      try {
        problem = disagreement(entry, checkPodSecurity(pods[i], entry.level, entry.version));
      } catch (error) {
        problem = `threw ${(error as Error).message}`;
      }
      checked++;
      if (problem) {
        disagreements.push(`${entry.file} (${entry.level} ${entry.version}): ${problem}`);
      }
    });
    const elapsedMs = performance.now() - started;
    expect(disagreements).toEqual([]);
    expect(checked).toBe(4537);
    // Evaluation alone (YAML parsing excluded) takes about half a second; the bound only catches blow-ups.
    expect(elapsedMs).toBeLessThan(5000);
  }, 60_000); // Parsing 4,537 YAML files dominates: a few seconds, more under coverage on a busy machine.
});

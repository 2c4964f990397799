import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { gunzipSync } from 'zlib';
import { parse } from 'yaml';
import { checkPodSecurity, PodSecurityLevelName, PodSecurityResult } from '../../../src/analysis/pod-security';

/*
 * Conformance against the upstream Pod Security Admission fixtures, packed with their index into
 * test/fixtures/pod-security/fixtures.json.gz (see the README.md there for provenance, licence,
 * layout and how to regenerate it).
 */
const PACKED = path.resolve(__dirname, '../../fixtures/pod-security/fixtures.json.gz');

interface FixtureEntry {
  readonly file: string;
  readonly level: PodSecurityLevelName;
  readonly version: string;
  readonly expect: 'pass' | 'fail';
  readonly checkId: string | null;
  readonly expectErrorSubstring?: string;
  readonly reportedCheckIds?: string[];
}

interface PackedFixtures {
  readonly format: number;
  readonly index: { readonly fixtures: FixtureEntry[] };
  /** Each fixture's exact text, keyed by its path in the index (`testdata/...yaml`). */
  readonly files: Record<string, string>;
}

const packed: PackedFixtures = JSON.parse(gunzipSync(fs.readFileSync(PACKED)).toString('utf8'));
const index = packed.index;

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
  test('the index lists every packed fixture exactly once', () => {
    expect(packed.format).toBe(1);
    const listed = index.fixtures.map((entry) => entry.file).sort();
    const texts = Object.keys(packed.files).sort();
    expect(new Set(listed).size).toBe(listed.length);
    // Every index entry has a text, and every text has an index entry.
    expect(listed).toEqual(texts);
    expect(texts).toHaveLength(4537);
    expect(texts.every((file) => /^testdata\/(baseline|restricted)\/v1\.\d+\/(pass|fail)\/[a-z_]+\d*\.yaml$/.test(file))).toBe(true);
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
    const pods = index.fixtures.map((entry) => parse(packed.files[entry.file]));
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
  }, 60_000); // Parsing 4,537 YAML texts dominates: a few seconds, more under coverage on a busy machine.
});

import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { parse } from 'yaml';
import {
  checkPodSecurity, judgedPodSecurityVersion, missingPodSecurityChecks, PodSecurityLevelName,
} from '../../../src/analysis/pod-security';

describe('judgedPodSecurityVersion: the label capped at the API server', () => {
  test.each([
    ['v1.35', undefined, 'v1.35'],
    ['latest', undefined, 'latest'],
    ['v1.99', undefined, 'latest'],
    ['v1.35', 33, 'v1.33'],
    ['v1.30', 33, 'v1.30'],
    ['latest', 31, 'v1.31'],
    ['v1.99', 31, 'v1.31'],
  ])('%s on a server of minor %s is judged at %s', (label, minor, judged) => {
    expect(judgedPodSecurityVersion(label, minor)).toBe(judged);
  });
});

describe('missingPodSecurityChecks', () => {
  test('the probe and lifecycle host check is missing before 1.34', () => {
    expect(missingPodSecurityChecks('baseline', 'v1.35', 33)).toEqual([{ id: 'hostProbesAndHostLifecycle', since: 34 }]);
    expect(missingPodSecurityChecks('baseline', 'latest', 30)).toEqual([{ id: 'hostProbesAndHostLifecycle', since: 34 }]);
    expect(missingPodSecurityChecks('baseline', 'v1.35', 34)).toEqual([]);
    expect(missingPodSecurityChecks('baseline', 'v1.33', 30)).toEqual([]);
    expect(missingPodSecurityChecks('privileged', 'v1.35', 25)).toEqual([]);
  });

  test('restricted: procMount_restricted is not missing, the older baseline procMount check runs the same rule', () => {
    expect(missingPodSecurityChecks('restricted', 'v1.35', 33)).toEqual([{ id: 'hostProbesAndHostLifecycle', since: 34 }]);
  });

  test('a stricter restricted check that an older server lacks is missing even though the baseline one it replaces runs', () => {
    expect(missingPodSecurityChecks('restricted', 'v1.25', 21).map(c => c.id)).toEqual(['capabilities_restricted', 'runAsUser']);
  });
});

/*
 * The upstream fixtures (test/fixtures/pod-security) with a server older than their label: a label
 * v1.X on a server of minor Y is judged as v1.min(X, Y), so each fixture of version v1.Y must keep
 * its expectation under every newer label, and each fixture of v1.X under every server at least as new.
 */
describe('the capped evaluation agrees with the upstream fixtures', () => {
  interface Entry { readonly file: string; readonly level: PodSecurityLevelName; readonly version: string; readonly expect: 'pass' | 'fail' }
  const packed = JSON.parse(gunzipSync(fs.readFileSync(path.resolve(__dirname, '../../fixtures/pod-security/fixtures.json.gz'))).toString('utf8'));
  const entries: Entry[] = packed.index.fixtures.filter((e: Entry) => Number(e.version.slice(3)) >= 25);
  const pods = new Map(entries.map(e => [e.file, parse(packed.files[e.file])]));
  const minor = (v: string) => Number(v.slice(3));

  test.each([25, 28, 31, 33, 34, 35, 36, 37])('on a server of minor %i', (server) => {
    const wrong: string[] = [];
    for (const e of entries) {
      const labels = minor(e.version) === server
        ? ['latest', ...Array.from({ length: 38 - server }, (_, i) => `v1.${server + i}`)] // every label at least as new: judged as v1.<server>
        : minor(e.version) < server ? [e.version] : [];
      for (const label of labels) {
        const allowed = checkPodSecurity(pods.get(e.file), e.level, judgedPodSecurityVersion(label, server)).allowed;
        if (allowed !== (e.expect === 'pass')) wrong.push(`${e.file} under ${label}: ${allowed ? 'allowed' : 'denied'}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

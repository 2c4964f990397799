import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import Ajv from 'ajv';
import { cli } from './run-cli';
import { run } from '../../src/cli/main';
import { FINGERPRINT_KEY } from '../../src/cli/sarif';
import { RuleId } from '../../src/rules/rule-id';

// The SARIF 2.1.0 schema (our subset of the OASIS one, in test/schemas) with the two URI formats
// it uses, checked on Node's own URL parser.
const URI_REFERENCE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$/;
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
ajv.addFormat('uri', { type: 'string', validate: (text: string) => URI_REFERENCE.test(text) && URL.canParse(text) });
ajv.addFormat('uri-reference', { type: 'string', validate: (text: string) => URI_REFERENCE.test(text) && URL.canParse(text, 'file:///base/') });
const validateSarif = ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'sarif-2.1.0.json'), 'utf8')));

function expectValidSarif(log: unknown): void {
  const valid = validateSarif(log);
  expect(validateSarif.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: baseline}\n';
const HOST_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: shop}\nspec: {hostPID: true, containers: [{name: a, image: busybox}]}\n';
const TYPO_POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\nspec: {podSelector: {matchLabels: {app: apii}}}\n';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarif-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** `check --format sarif` with the scratch directory as the working directory (relative `-f` paths are taken from it). */
async function sarif(args: string[], cwd = dir): Promise<{ code: number; log: any; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const absolute = args.map((a, i) => (args[i - 1] === '-f' ? path.resolve(dir, a) : a));
  const code = await run(['check', '--format', 'sarif', ...absolute], {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    cwd: () => cwd,
  });
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return { code, log: JSON.parse(stdout), stderr };
}

describe('namespace-guard check --format sarif', () => {
  test('valid SARIF 2.1.0; every rule with descriptions, help with the fix and a security severity', async () => {
    write('a.yaml', `${NAMESPACE}---\n${HOST_POD}`);
    const { code, log } = await sarif(['-f', 'a.yaml']);
    expect(code).toBe(1);
    expectValidSarif(log);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('namespace-guard');
    expect(driver.rules.map((r: any) => r.id)).toEqual(RuleId.all());
    for (const rule of driver.rules) {
      expect(rule.shortDescription.text).toMatch(/^[A-Z].+\.$/);
      expect(rule.fullDescription.text.length).toBeGreaterThan(rule.shortDescription.text.length);
      expect(rule.help.text).toContain('Fix: ');
      expect(rule.help.text).toContain('namespace-guard.dev/acknowledged');
      expect(rule.help.markdown).toContain('**Fix:**');
      const severity = rule.properties['security-severity'];
      expect(severity).toMatch(/^\d+\.\d$/);
      expect(Number(severity)).toBeGreaterThan(0);
      expect(Number(severity)).toBeLessThanOrEqual(10);
      expect(rule.properties.tags).toContain('security');
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
    const severities = Object.fromEntries(driver.rules.map((r: any) => [r.id, Number(r.properties['security-severity'])]));
    // Breaking tenant isolation weighs more than a selector that matches nothing.
    expect(severities[RuleId.CROSS_TENANT_FLOW]).toBeGreaterThanOrEqual(7);
    expect(severities[RuleId.UNMATCHED_FLOW_SELECTOR]).toBeLessThan(4);
  });

  test('a result per finding: rule, level, message with the fix, the file relative to the working directory and the document\'s first line', async () => {
    write('manifests/a.yaml', `# the shop\n${NAMESPACE}---\n\n# a node agent\n${HOST_POD}`);
    write('manifests/b.yaml', `---\n${TYPO_POLICY}`);
    const { log } = await sarif(['-f', 'manifests']);
    const results = log.runs[0].results;
    const rules = log.runs[0].tool.driver.rules;
    const where = (r: any) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine];
    expect(results.map((r: any) => [r.ruleId, r.level, ...where(r)]))
      .toEqual([['pod-security', 'error', 'manifests/a.yaml', 10], ['unmatched-flow-selector', 'warning', 'manifests/b.yaml', 2]]);
    const [pod] = results;
    expect(rules[pod.ruleIndex].id).toBe('pod-security');
    expect(pod.message.text).toMatch(/^Pod "agent" in namespace "shop" fails Pod Security "baseline" \(latest\) check hostNamespaces at spec\.hostPID\. Fix: .*hostPID/);
    expect(pod.locations[0].logicalLocations).toEqual([{ name: 'agent', fullyQualifiedName: 'shop/Pod/agent', kind: 'resource' }]);
    expect(pod.properties).toEqual({ kind: 'Pod', namespace: 'shop', name: 'agent', target: 'hostNamespaces' });
    expect(pod.suppressions).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, 'manifests/a.yaml'), 'utf8').split('\n')[9]).toBe('apiVersion: v1');
  });

  test('the line of an item of a List, paths with spaces, and files outside the working directory', async () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${NAMESPACE.trimEnd().replace(/\n/g, '\n  ')}\n- ${HOST_POD.replace('agent', 'lister').trimEnd().replace(/\n/g, '\n  ')}\n`;
    write('my dump.yaml', list);
    const outside = write('elsewhere/x.yaml', `${NAMESPACE}---\n${HOST_POD}`);
    const { log } = await sarif(['-f', 'my dump.yaml', '-f', outside], path.join(dir, 'repo'));
    const where = (r: any) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine];
    expect(log.runs[0].results.map(where)).toEqual([
      [pathToFileURL(outside).href, 7],
      [pathToFileURL(path.join(dir, 'my dump.yaml')).href, 9],
    ]);
    const inside = await sarif(['-f', 'my dump.yaml']);
    expect(inside.log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('my%20dump.yaml');
    expectValidSarif(inside.log);
  });

  test('acknowledged findings are suppressed results carrying the reason; monitor mode lowers the level', async () => {
    write('ack.yaml', `${NAMESPACE}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  namespace: shop\n`
      + '  annotations: {namespace-guard.dev/acknowledged: "pod-security[hostNamespaces]: the node agent reads host processes"}\n'
      + 'spec: {hostPID: true, containers: [{name: a, image: busybox}]}\n');
    const acknowledged = await sarif(['-f', 'ack.yaml']);
    expect(acknowledged.code).toBe(0);
    expectValidSarif(acknowledged.log);
    expect(acknowledged.log.runs[0].results[0].level).toBe('error');
    expect(acknowledged.log.runs[0].results[0].suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'the node agent reads host processes' }]);

    write('monitor.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    namespace-guard.dev/enforcement: monitor\n'
      + `    pod-security.kubernetes.io/enforce: privileged\n    pod-security.kubernetes.io/audit: baseline\n---\n${HOST_POD}`);
    const monitored = await sarif(['-f', 'monitor.yaml']);
    expect(monitored.code).toBe(0);
    expect(monitored.log.runs[0].results.map((r: any) => [r.ruleId, r.level, r.properties.monitorMode])).toEqual([['pod-security', 'warning', true]]);
  });

  test('fingerprints tell findings apart and stay when the object moves to another line', async () => {
    const pod = (name: string) => HOST_POD.replace('agent', name);
    write('a.yaml', `${NAMESPACE}---\n${pod('one')}---\n${pod('two')}`);
    const before = (await sarif(['-f', 'a.yaml'])).log.runs[0].results;
    write('a.yaml', `${NAMESPACE}---\n# moved down\n\n${pod('one')}---\n${pod('two')}`);
    const after = (await sarif(['-f', 'a.yaml'])).log.runs[0].results;
    const fingerprints = (rs: any[]) => rs.map(r => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(fingerprints(before)).size).toBe(2);
    expect(fingerprints(after)).toEqual(fingerprints(before));
    expect(after.map((r: any) => r.locations[0].physicalLocation.region.startLine)).toEqual([9, 14]);
  });

  test('objects from standard input name only the object, with a warning; --quiet drops it', async () => {
    const r = await cli(['check', '-f', '-', '--format', 'sarif'], `${NAMESPACE}---\n${HOST_POD}`);
    const log = JSON.parse(r.stdout);
    expectValidSarif(log);
    expect(log.runs[0].results[0].locations).toEqual([{ logicalLocations: [{ name: 'agent', fullyQualifiedName: 'shop/Pod/agent', kind: 'resource' }] }]);
    expect(r.stderr).toContain('namespace-guard: warning: findings read from standard input have no file and line in the SARIF log');
    const quiet = await cli(['check', '-f', '-', '--format', 'sarif', '-q'], `${NAMESPACE}---\n${HOST_POD}`);
    expect(quiet.stderr).not.toContain('namespace-guard: warning:');
  });

  test('no findings: a valid log with the rules and no results; the same input gives the same bytes', async () => {
    write('plain.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    const { code, log } = await sarif(['-f', 'plain.yaml']);
    expect(code).toBe(0);
    expectValidSarif(log);
    expect(log.runs[0].results).toEqual([]);
    write('a.yaml', `${NAMESPACE}---\n${HOST_POD}---\n${TYPO_POLICY}`);
    expect(JSON.stringify((await sarif(['-f', 'a.yaml'])).log)).toBe(JSON.stringify((await sarif(['-f', 'a.yaml'])).log));
  });

  test('the schema refuses what SARIF does not allow', () => {
    const minimal = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] };
    expect(validateSarif(minimal)).toBe(true);
    const result = (extra: object) => ({ ...minimal, runs: [{ ...minimal.runs[0], results: [{ message: { text: 'm' }, ...extra }] }] });
    expect(validateSarif(result({ level: 'critical' }))).toBe(false);
    expect(validateSarif(result({ locations: [{ physicalLocation: { artifactLocation: { uri: 'a b.yaml' }, region: { startLine: 1 } } }] }))).toBe(false);
    expect(validateSarif(result({ locations: [{ physicalLocation: { artifactLocation: { uri: 'a.yaml' }, region: { startLine: 0 } } }] }))).toBe(false);
    expect(validateSarif(result({ suppressions: [{ justification: 'no kind' }] }))).toBe(false);
    expect(validateSarif({ ...minimal, version: '2.0.0' })).toBe(false);
  });
});

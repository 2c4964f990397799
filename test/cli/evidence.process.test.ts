// namespace-guard evidence in its own process, as CI runs it.
import { multiTenantYaml } from './example-yaml';
import { spawnCli, useScratchDir } from './run-cli';

jest.setTimeout(60_000);

const write = useScratchDir('evidence-process');
const EXAMPLE = multiTenantYaml();

describe('namespace-guard evidence', () => {
  test('in its own process: markdown on stdout, the totals on stderr, exit 1 with --fail-on fail', () => {
    const file = write('dist.yaml', EXAMPLE);
    const r = spawnCli(['evidence', '-f', file, '--fail-on', 'fail']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^# Compliance evidence\n/);
    expect(r.stdout).toContain('## customer1');
    expect(r.stderr).toMatch(/^namespace-guard: 2 namespaces: \d+ passed, \d+ failed, \d+ not applicable\n$/);
    const json = spawnCli(['evidence', '-f', '-', '--format', 'json', '--namespace', 'customer2'], EXAMPLE);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).namespaces.map((n: any) => n.namespace)).toEqual(['customer2']);
  });
});

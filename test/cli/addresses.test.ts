// Addresses on the command line and in YAML: read with the one strict parser, never reinterpreted;
// the cluster's ranges come from flags.
import { cli, useScratchDir } from './run-cli';

const write = useScratchDir('addresses');

const TENANT = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: customer1, labels: {namespace-guard.dev/profile: tenant, namespace-guard.dev/tenant: customer1}}\n';
const egressTo = (cidr: string, ports = '[{protocol: TCP, port: 443}]') => 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n'
  + `metadata: {name: out, namespace: customer1}\nspec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: "${cidr}"}}], ports: ${ports}}]}\n`;

describe('CIDRs in NetworkPolicies', () => {
  test.each(['012.0.0.0/8', '0xa.0.0.0/8', '10.0.0.0/08', 'fe80::1%eth0/64', '::ffff:012.0.0.1/128'])(
    'check and reach refuse %s with the file, document and field, exit 2', async (cidr) => {
      const file = write('policy.yaml', `${TENANT}---\n${egressTo(cidr)}`);
      for (const args of [['check', '-f', file], ['reach', '-f', file, '--port', '443', '--format', 'json']]) {
        const r = await cli(args);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(`namespace-guard: ${file} document 2: NetworkPolicy customer1/out: spec.egress[0].to[0].ipBlock.cidr: invalid CIDR ${JSON.stringify(cidr)}: `
          + 'write it as address/prefix in canonical form (decimal, no leading zeros, no IPv6 zone), for example "10.0.0.0/8"\n');
      }
    });

  test('an unquoted octal-looking CIDR in block YAML is refused too, never read as a number or as octal', async () => {
    const policy = ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', '  name: out', '  namespace: customer1', 'spec:',
      '  podSelector: {}', '  egress:', '  - to:', '    - ipBlock:', '        cidr: 012.0.0.0/8'].join('\n');
    const file = write('policy.yaml', `${TENANT}---\n${policy}\n`);
    const r = await cli(['check', '-f', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} document 2: NetworkPolicy customer1/out: spec.egress[0].to[0].ipBlock.cidr: invalid CIDR "012.0.0.0/8"`);
  });

  test('an ipBlock over the metadata address is a link-local-egress finding on any YAML', async () => {
    const file = write('policy.yaml', `${TENANT}---\n${egressTo('0.0.0.0/0')}`);
    const r = await cli(['check', '-f', file, '--format', 'json']);
    expect(r.code).toBe(1);
    // A block of every IPv4 address is one finding naming what it includes, acknowledged without a target.
    const findings = JSON.parse(r.stdout).findings;
    expect(findings.map((f: any) => `${f.rule} ${f.target}`)).toEqual(['link-local-egress null']);
    expect(findings[0].message).toContain('opens every address (egress[0]), the cloud metadata addresses 169.254.169.254/32, 100.100.100.200/32, 168.63.129.16/32 '
      + 'and link-local addresses (169.254.0.0/16) beyond port 53 included');
    const narrow = write('narrow.yaml', `${TENANT}---\n${egressTo('169.254.0.0/16')}`);
    expect(JSON.parse((await cli(['check', '-f', narrow, '--format', 'json'])).stdout).findings.map((f: any) => `${f.rule} ${f.target}`))
      .toEqual(['link-local-egress 169.254.169.254/32', 'link-local-egress 169.254.0.0/16']);
    const dns = write('dns.yaml', `${TENANT}---\n${egressTo('169.254.20.10/32', '[{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]')}`);
    expect((await cli(['check', '-f', dns])).code).toBe(0);
  });

  test('an IPv4-mapped ipBlock is the IPv4 block it embeds for reachability', async () => {
    const pods = ['a', 'b'].map((name, i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: nets, labels: {app: ${name}}}\n`
      + `spec: {containers: [{name: c, image: i}]}\nstatus: {podIP: 10.0.0.${i + 1}}\n`).join('');
    const policy = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-mapped, namespace: nets}\n'
      + 'spec: {podSelector: {matchLabels: {app: a}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: "::ffff:10.0.0.2/128"}}]}]}\n';
    const file = write('pods.yaml', `apiVersion: v1\nkind: Namespace\nmetadata: {name: nets}\n${pods}${policy}`);
    expect((await cli(['reach', '-f', file, '--from', 'nets/a', '--to', 'nets/b', '--port', '80'])).stdout).toMatch(/^allowed/);
    expect((await cli(['reach', '-f', file, '--from', 'nets/a', '--to', 'nets/a', '--port', '80'])).stdout).toMatch(/^denied/);
  });
});

describe('check --pod-cidr, --service-cidr, --node-cidr', () => {
  test('a tenant ipBlock covering a declared range is a cluster-range-flow finding; without the flags, none', async () => {
    const file = write('policy.yaml', `${TENANT}---\n${egressTo('10.0.0.0/8')}`);
    expect((await cli(['check', '-f', file])).code).toBe(0);
    const r = await cli(['check', '-f', file, '--pod-cidr', '10.244.0.0/16', '--service-cidr', '10.96.0.0/12', '--pod-cidr', '192.168.0.0/16',
      '--node-cidr', '10.0.0.0/20', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: any) => `${f.rule} ${f.target}`)).toEqual([
      'cluster-range-flow 10.244.0.0/16', 'cluster-range-flow 10.96.0.0/12',
    ]);
  });

  test.each([
    ['--pod-cidr', '012.0.0.0/8', '"012.0.0.0/8" is not a CIDR block; write it as address/prefix in canonical form (no leading zeros)'],
    ['--service-cidr', '10.96.0.1/12', '"10.96.0.1/12" has host bits set; did you mean "10.96.0.0/12"?'],
    ['--node-cidr', '10.0.0.0', '"10.0.0.0" has no prefix length; did you mean "10.0.0.0/32"?'],
    ['--pod-cidr', '0.0.0.0/0', '"0.0.0.0/0" is every address'],
  ])('%s %s is refused with exit 2', async (flag, value, text) => {
    const r = await cli(['check', '-f', '-', flag, value], TENANT);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`namespace-guard: option '${flag} <cidr>' argument '${value}' is invalid. ${text}`);
  });
});

// reach and the internet node (every public address outside the cluster, as a namespace is its
// pods), and --from/--to naming namespaces: what an internet-facing namespace is exposed to, and
// which public ranges may be reached.
import { cli, useScratchDir } from './run-cli';
import { nonPublicExcepts } from '../../src/private/special-ranges';

const NS = (name: string) => `---\napiVersion: v1\nkind: Namespace\nmetadata: { name: "${name}" }\n`;
const POD = (ns: string, name: string, ip?: string) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: "${ns}", labels: { app: ${name} } }\n`
  + `spec: { containers: [{ name: c, image: i }] }\n${ip ? `status: { phase: Running, podIP: "${ip}" }\n` : ''}`;
const POLICY = (ns: string, name: string, spec: string) =>
  `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: "${ns}" }\nspec: ${spec}\n`;
/** What Peer.internet() writes: every IPv4 and IPv6 address but the special-purpose ranges. */
const PUBLIC = `[{ ipBlock: { cidr: 0.0.0.0/0, except: ${JSON.stringify(nonPublicExcepts('ipv4'))} } }, `
  + `{ ipBlock: { cidr: "::/0", except: ${JSON.stringify(nonPublicExcepts('ipv6'))} } }]`;

// web: internet-facing on TCP 443, may call out to public addresses on 443 and to db on 5432;
// db: admits web on 5432 only, sends nothing; office: admits a private range only.
const INPUT = NS('web') + NS('db') + NS('office')
  + POD('web', 'front') + POD('web', 'worker') + POD('db', 'postgres') + POD('office', 'wiki')
  + POLICY('web', 'default-deny', '{ podSelector: {}, policyTypes: [Ingress, Egress] }')
  + POLICY('web', 'from-internet', `{ podSelector: { matchLabels: { app: front } }, policyTypes: [Ingress], ingress: [{ from: ${PUBLIC}, ports: [{ port: 443 }] }] }`)
  + POLICY('web', 'to-internet', `{ podSelector: {}, policyTypes: [Egress], egress: [{ to: ${PUBLIC}, ports: [{ port: 443 }] }] }`)
  + POLICY('web', 'to-db', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: { matchLabels: '
    + '{ kubernetes.io/metadata.name: db } } }], ports: [{ port: 5432 }] }] }')
  + POLICY('db', 'default-deny', '{ podSelector: {}, policyTypes: [Ingress, Egress] }')
  + POLICY('db', 'from-web', '{ podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ namespaceSelector: { matchLabels: '
    + '{ kubernetes.io/metadata.name: web } } }], ports: [{ port: 5432 }] }] }')
  + POLICY('office', 'from-office', '{ podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }] }');

const write = useScratchDir('namespace-guard-internet');

const NOTE = 'internet: some public address (every address but the special-purpose ranges), matched by ipBlock rules for the part they hold; '
  + 'no policy restricts it; --from/--to name the ranges';
const CONDITIONAL_NOTE = '* only where the network plugin matches ipBlocks against pod addresses (Calico does, Cilium does not): '
  + 'the input does not declare the plugin (networkBackend in --cluster)';

describe('the internet node at namespace level', () => {
  test('table: web is exposed to the internet on 443 only, db and office not at all; web may call out on 443', async () => {
    expect(await cli(['reach', '-f', '-', '--level', 'namespace'], INPUT)).toEqual({
      code: 0,
      stdout: [
        'ports on which some pod of the row namespace can connect to some pod of the column namespace',
        'from \\ to  db        office        web      internet',
        'db         none      none          none     none',
        // office admits 10.0.0.0/8 only: its own pod has an address of the pod range (the private ranges,
        // as none is declared), which that block holds where the plugin matches ipBlocks against pods.
        'office     none      none (+all*)  none     all',
        'web        TCP 5432  none          none     TCP 443',
        'internet   none      none          TCP 443  -',
        NOTE,
        CONDITIONAL_NOTE,
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('json: the internet is a row and a column, without a member for itself', async () => {
    const r = await cli(['reach', '-f', '-', '--level', 'namespace', '--port', '443', '--format', 'json'], INPUT);
    expect(JSON.parse(r.stdout).allowed).toEqual({
      db: { db: false, office: false, web: false, internet: false },
      office: { db: false, office: 'where-ipblocks-match-pods', web: false, internet: true },
      web: { db: false, office: false, web: false, internet: true },
      internet: { db: false, office: false, web: true },
    });
  });

  test('mermaid: a circle with an edge from the internet to web and from web and office to it', async () => {
    const r = await cli(['reach', '-f', '-', '--format', 'mermaid'], INPUT);
    expect(r.stdout).toBe([
      'flowchart LR',
      '  ns0["db"]',
      '  ns1["office"]',
      '  ns2["web"]',
      '  ns3(("internet"))',
      '  ns1 -->|"all"| ns3',
      '  ns2 -->|"TCP 5432"| ns0',
      '  ns2 -->|"TCP 443"| ns3',
      '  ns3 -->|"TCP 443"| ns2',
      '',
    ].join('\n'));
  });

  test('exposure: the internet reaches one pod of web, the front', async () => {
    const r = await cli(['reach', '-f', '-', '--level', 'exposure', '--port', '443'], INPUT);
    expect(r.stdout).toContain('internet   0/1  0/1     1/2  -\n');
    expect(r.stdout).toContain('internet -> web: 1/2 pods: web/front\n');
    expect(r.stdout).toContain('web -> internet: TCP 443\n');
  });

  test('the pod matrix leaves it out', async () => {
    const r = await cli(['reach', '-f', '-', '--port', '443', '--format', 'json'], INPUT);
    expect(Object.keys(JSON.parse(r.stdout).allowed)).toEqual(['db/postgres', 'office/wiki', 'web/front', 'web/worker']);
  });
});

describe('--from/--to with the internet', () => {
  test('from the internet to a pod: allowed by the ipBlock rule, which names the internet\'s side', async () => {
    const r = await cli(['reach', '-f', '-', '--from', 'internet', '--to', 'web/front', '--port', '443'], INPUT);
    expect(r).toEqual({
      code: 0,
      stdout: [
        'allowed',
        'Egress: internet stands for addresses outside the cluster (every public address), which no policy selects, so its egress is not restricted.',
        'Ingress: web/front is isolated for ingress by web/default-deny, web/from-internet; TCP/443 from internet is admitted by '
          + 'web/from-internet ingress[0] (from ipBlock 0.0.0.0/0 or ipBlock ::/0, on TCP/443).',
        'Addresses of internet that can connect on TCP/443: every public address.',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('a private ipBlock does not admit it, and the explanation says whose addresses are not in it', async () => {
    const r = await cli(['reach', '-f', '-', '--from', 'internet', '--to', 'office/wiki', '--port', '80'], INPUT);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  - office/from-office ingress[0] (from ipBlock 10.0.0.0/8, on every port): the source internet '
      + '(every public address) is not in ipBlock 10.0.0.0/8.\n');
  });

  test('to the internet from a namespace: the pair that answers, then its explanation', async () => {
    const r = await cli(['reach', '-f', '-', '--from', 'web', '--to', 'internet', '--port', '443'], INPUT);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['allowed', 'web/front can reach internet (every public address) on TCP/443: 2 of 2 pod pairs from web to internet can.']);
    const db = await cli(['reach', '-f', '-', '--from', 'db', '--to', 'internet', '--port', '443'], INPUT);
    expect(db.code).toBe(1);
    expect(db.stdout.split('\n').slice(0, 3)).toEqual([
      'denied',
      'The one pod pair from db to internet is not allowed on TCP/443; for example db/postgres to internet:',
      'Egress: db/postgres is isolated for egress by db/default-deny, which has no egress rules, so all egress is denied.',
    ]);
  });
});

describe('the internet is more than one address', () => {
  // Egress to 52.0.0.0/8 (one cloud's range) or 0.0.0.0/1 (half the address space): neither holds
  // a.root-servers.net's address, which stood for the whole internet before.
  const egressTo = (cidr: string, port: number) => NS('app') + POD('app', 'api')
    + POLICY('app', 'default-deny', '{ podSelector: {}, policyTypes: [Ingress, Egress] }')
    + POLICY('app', 'cloud', `{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: ${cidr} } }], ports: [{ port: ${port} }] }] }`);

  test.each([['52.0.0.0/8', '52.0.0.0/8'], ['0.0.0.0/1', '1.0.0.0/8, 2.0.0.0/7, 4.0.0.0/6, 8.0.0.0/7, 11.0.0.0/8, 12.0.0.0/6 and']])(
    'egress to %s shows in the matrix, and --from/--to names the ranges', async (cidr, ranges) => {
      const table = await cli(['reach', '-f', '-', '--level', 'namespace'], egressTo(cidr, 443));
      expect(table.stdout.split('\n').slice(1, 4)).toEqual(['from \\ to  app   internet', 'app        none  TCP 443', 'internet   none  -']);
      const verdict = await cli(['reach', '-f', '-', '--from', 'app/api', '--to', 'internet', '--port', '443'], egressTo(cidr, 443));
      expect(verdict.code).toBe(0);
      expect(verdict.stdout).toContain(`Addresses of internet reached on TCP/443: ${ranges}`);
      const other = await cli(['reach', '-f', '-', '--from', 'app/api', '--to', 'internet', '--port', '80'], egressTo(cidr, 443));
      expect(other.code).toBe(1);
    });
});

describe('an undeclared network plugin: never a plain denied', () => {
  // Two tenants opened to each other through an ipBlock of the private range their pods live in.
  const TENANTS = NS('t1') + NS('t2') + POD('t1', 'app') + POD('t2', 'app')
    + POLICY('t1', 'default-deny', '{ podSelector: {}, policyTypes: [Ingress, Egress] }')
    + POLICY('t2', 'default-deny', '{ podSelector: {}, policyTypes: [Ingress, Egress] }')
    + POLICY('t1', 'to-private', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }] }')
    + POLICY('t2', 'from-private', '{ podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }] }');

  test('the verdict is allowed where ipBlocks match pod addresses, then what it is elsewhere', async () => {
    const r = await cli(['reach', '-f', '-', '--from', 't1/app', '--to', 't2/app', '--port', '8080'], TENANTS);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('allowed where the network plugin matches ipBlocks against pod addresses (Calico does, Cilium does not)');
    expect(r.stdout).toContain('Egress: t1/app is isolated for egress by t1/default-deny, t1/to-private; TCP/8080 to t2/app is admitted by t1/to-private egress[0]');
    expect(r.stdout).toContain('Where the network plugin does not match ipBlocks against pod addresses (Cilium), it is denied: ');
  });

  test('a declared plugin settles it: Calico allows, Cilium denies', async () => {
    for (const [backend, code, first] of [['calico', 0, 'allowed'], ['cilium', 1, 'denied']] as const) {
      const file = write(`${backend}.yaml`, `networkBackend: ${backend}\n`);
      const r = await cli(['reach', '-f', '-', '-q', '--cluster', file, '--from', 't1/app', '--to', 't2/app', '--port', '8080'], TENANTS);
      expect([backend, r.code, r.stdout.split('\n')[0]]).toEqual([backend, code, first]);
    }
  });
});

describe('--from/--to naming namespaces', () => {
  test('allowed: some pod of one reaches some pod of the other; the pair and how many pairs can', async () => {
    const r = await cli(['reach', '-f', '-', '--from', 'web', '--to', 'db', '--port', '5432'], INPUT);
    expect(r).toEqual({
      code: 0,
      stdout: [
        'allowed',
        'web/front can reach db/postgres on TCP/5432: 2 of 2 pod pairs from web to db can.',
        'Egress: web/front is isolated for egress by web/default-deny, web/to-internet, web/to-db; TCP/5432 to db/postgres is admitted by '
          + 'web/to-db egress[0] (to namespaceSelector kubernetes.io/metadata.name=db, on TCP/5432).',
        'Ingress: db/postgres is isolated for ingress by db/default-deny, db/from-web; TCP/5432 from web/front is admitted by '
          + 'db/from-web ingress[0] (from namespaceSelector kubernetes.io/metadata.name=web, on TCP/5432).',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('denied: the pair closest to being allowed shows the side that is missing', async () => {
    // web may send to db on 5432, but db admits nothing from web on 443: the egress side is the one missing.
    const r = await cli(['reach', '-f', '-', '--from', 'db', '--to', 'web', '--port', '443'], INPUT);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['denied', 'None of the 2 pod pairs from db to web is allowed on TCP/443; for example db/postgres to web/front:']);
  });

  test('a namespace on one side and a pod on the other', async () => {
    const r = await cli(['reach', '-f', '-', '--from', 'web/worker', '--to', 'db', '--port', '5432'], INPUT);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['allowed', 'web/worker can reach db/postgres on TCP/5432: 1 of 1 pod pair from web/worker to db can.']);
  });
});

describe('a namespace called internet', () => {
  test('keeps its name; the node is (internet), and a warning says so', async () => {
    const input = INPUT + NS('internet') + POD('internet', 'gw');
    const r = await cli(['reach', '-f', '-', '--level', 'namespace', '--port', '443', '--format', 'json'], input);
    expect(Object.keys(JSON.parse(r.stdout).allowed)).toEqual(['(internet)', 'db', 'internet', 'office', 'web']);
    expect(r.stderr).toBe('namespace-guard: warning: the input has a namespace called internet: the node that stands for a public address is called (internet) here\n');
    const ns = await cli(['reach', '-q', '-f', '-', '--from', 'internet', '--to', 'web', '--port', '443'], input);
    expect(ns.stdout.split('\n')[1]).toBe('None of the 2 pod pairs from internet to web is allowed on TCP/443; for example internet/gw to web/front:');
    const node = await cli(['reach', '-q', '-f', '-', '--from', '(internet)', '--to', 'web/front', '--port', '443'], input);
    expect(node.code).toBe(0);
  });
});

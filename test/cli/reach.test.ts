import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, fixture } from './run-cli';
import { run } from '../../src/cli/main';

const DUMP = fixture('kubectl-dump.yaml');

/** The dump at TCP/80: x has no policies; y denies ingress except x -> y/api on TCP 80. */
const DUMP_POD_JSON_TCP_80 = '{"level":"pod","port":80,"protocol":"TCP","allowed":{'
  + '"x/client":{"x/client":true,"x/web":true,"y/api":true,"y/db":false},'
  + '"x/web":{"x/client":true,"x/web":true,"y/api":true,"y/db":false},'
  + '"y/api":{"x/client":true,"x/web":true,"y/api":false,"y/db":false},'
  + '"y/db":{"x/client":true,"x/web":true,"y/api":false,"y/db":false}}}\n';

/** The note under a namespace-level table or markdown matrix that has the internet node. */
const INTERNET_NOTE = 'internet: some public address (every address but the special-purpose ranges), matched by ipBlock rules for the part they hold; no policy restricts it; --from/--to name the ranges';

const NS = (name: string, labels = '{}') => `---\napiVersion: v1\nkind: Namespace\nmetadata: { name: "${name}", labels: ${labels} }\n`;
const POD = (ns: string, name: string, app = name) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: "${ns}", labels: { app: ${app} } }\nspec: { containers: [{ name: c, image: i }] }\n`;

describe('reach --format json', () => {
  test('pod level: every ordered pair of pods on the port, keys sorted, one line', async () => {
    expect(await cli(['reach', '-f', DUMP, '--port', '80', '--format', 'json'])).toEqual({ code: 0, stdout: DUMP_POD_JSON_TCP_80, stderr: '' });
  });

  test('--protocol picks the protocol of the port', async () => {
    const r = await cli(['reach', '-f', DUMP, '--port', '80', '--protocol', 'UDP', '--format', 'json']);
    expect(r.code).toBe(0);
    // The allow rule is TCP only: on UDP 80 nothing gets into y.
    expect(r.stdout).toBe(DUMP_POD_JSON_TCP_80.replace('"protocol":"TCP"', '"protocol":"UDP"').replace(/"y\/api":true/g, '"y/api":false'));
  });

  test('namespace level: whether SOME pod of the source can reach SOME pod of the destination', async () => {
    const r = await cli(['reach', '-f', DUMP, '--level', 'namespace', '--port', '80', '--format', 'json']);
    expect(r).toEqual({
      code: 0,
      // The internet node (a public address) is a key too; its pair with itself is left out.
      stdout: '{"level":"namespace","port":80,"protocol":"TCP","allowed":{"internet":{"x":true,"y":false},'
        + '"x":{"internet":true,"x":true,"y":true},"y":{"internet":true,"x":true,"y":false}}}\n',
      stderr: '',
    });
    const db = await cli(['reach', '-f', DUMP, '--level', 'namespace', '--port', '5432', '--format', 'json']);
    expect(db.stdout).toBe('{"level":"namespace","port":5432,"protocol":"TCP","allowed":{"internet":{"x":true,"y":false},'
      + '"x":{"internet":true,"x":true,"y":false},"y":{"internet":true,"x":true,"y":false}}}\n');
  });

  test('keys are sorted by code unit, also when names look like numbers or share a prefix', async () => {
    const input = NS('10') + NS('9') + NS('x') + NS('x-y') + POD('10', 'p') + POD('9', 'p') + POD('x', 'p') + POD('x-y', 'p');
    const ns = await cli(['reach', '-f', '-', '--level', 'namespace', '--port', '1', '--format', 'json'], input);
    // Checked on the text: JSON.parse would itself move the integer-like key "9" before "10".
    expect(ns.stdout).toMatch(/^\{"level":"namespace","port":1,"protocol":"TCP","allowed":\{"10":\{"10":true,"9":true,"internet":true,"x":true,"x-y":true\},"9":/);
    const pods = await cli(['reach', '-f', '-', '--port', '1', '--format', 'json'], input);
    expect(pods.stdout).toMatch(/^\{"level":"pod","port":1,"protocol":"TCP","allowed":\{"10\/p":\{"10\/p":true,"9\/p":true,"x-y\/p":true,"x\/p":true\},"9\/p":/);
  });

  test('pod keys of workloads are their metadata.name; several -f files (YAML and JSON) are read in order', async () => {
    const r = await cli(['reach', '-f', fixture('multi-doc.yaml'), '-f', fixture('cluster.json'), '--port', '9090', '--format', 'json']);
    expect(r).toEqual({
      code: 0,
      stdout: '{"level":"pod","port":9090,"protocol":"TCP","allowed":{'
        + '"ops/monitor":{"ops/monitor":false,"shop/backend":false,"shop/frontend":false},'
        + '"shop/backend":{"ops/monitor":true,"shop/backend":false,"shop/frontend":true},'
        + '"shop/frontend":{"ops/monitor":true,"shop/backend":true,"shop/frontend":true}}}\n',
      stderr: '',
    });
  });

  test('empty namespaces: their <ns>/* placeholder is left out at pod level and counted at namespace level', async () => {
    const input = `${fs.readFileSync(DUMP, 'utf8')}${NS('empty')}`;
    const pods = await cli(['reach', '-f', '-', '--port', '80', '--format', 'json'], input);
    expect(pods).toEqual({ code: 0, stdout: DUMP_POD_JSON_TCP_80, stderr: '' });
    const namespaces = await cli(['reach', '-f', '-', '--level', 'namespace', '--port', '80', '--format', 'json'], input);
    expect(namespaces.stdout).toBe('{"level":"namespace","port":80,"protocol":"TCP","allowed":{'
      + '"empty":{"empty":true,"internet":true,"x":true,"y":false},"internet":{"empty":true,"x":true,"y":false},'
      + '"x":{"empty":true,"internet":true,"x":true,"y":true},"y":{"empty":true,"internet":true,"x":true,"y":false}}}\n');
  });

  test('reads stdin for -f -, and a directory recursively', async () => {
    expect((await cli(['reach', '-f', '-', '--port', '80', '--format', 'json'], fs.readFileSync(DUMP, 'utf8'))).stdout).toBe(DUMP_POD_JSON_TCP_80);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'namespace-guard-cli-'));
    try {
      fs.mkdirSync(path.join(dir, 'nested'));
      fs.copyFileSync(DUMP, path.join(dir, 'nested', 'dump.yml'));
      fs.writeFileSync(path.join(dir, 'README.md'), 'not a manifest');
      expect(await cli(['reach', '-f', dir, '--port', '80', '--format', 'json'])).toEqual({ code: 0, stdout: DUMP_POD_JSON_TCP_80, stderr: '' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reach --format table', () => {
  test('with --port: a mark per pod pair', async () => {
    const r = await cli(['reach', '-f', DUMP, '--port', '80']);
    expect(r).toEqual({
      code: 0,
      stdout: [
        'TCP/80 from the row pod to the column pod: ✓ allowed, ✗ denied',
        'from \\ to  x/client  x/web  y/api  y/db',
        'x/client   ✓         ✓      ✓      ✗',
        'x/web      ✓         ✓      ✓      ✗',
        'y/api      ✓         ✓      ✗      ✗',
        'y/db       ✓         ✓      ✗      ✗',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('without --port: the allowed port set per pod pair', async () => {
    const r = await cli(['reach', '-f', DUMP, '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'ports on which the row pod can connect to the column pod',
      'from \\ to  x/client  x/web  y/api   y/db',
      'x/client   all       all    TCP 80  none',
      'x/web      all       all    TCP 80  none',
      'y/api      all       all    none    none',
      'y/db       all       all    none    none',
      '',
    ].join('\n'));
  });

  test('namespace level, with and without --port', async () => {
    expect((await cli(['reach', '-f', DUMP, '--level', 'namespace'])).stdout).toBe([
      'ports on which some pod of the row namespace can connect to some pod of the column namespace',
      'from \\ to  x    y       internet',
      'x          all  TCP 80  all',
      'y          all  none    all',
      'internet   all  none    -',
      INTERNET_NOTE,
      '',
    ].join('\n'));
    expect((await cli(['reach', '-f', DUMP, '--level', 'namespace', '--port', '53', '--protocol', 'UDP'])).stdout).toBe([
      'UDP/53 from some pod of the row namespace to some pod of the column namespace: ✓ allowed, ✗ denied',
      'from \\ to  x  y  internet',
      'x          ✓  ✗  ✓',
      'y          ✓  ✗  ✓',
      'internet   ✓  ✗  -',
      INTERNET_NOTE,
      '',
    ].join('\n'));
  });

  test('input without pods prints nothing on stdout and says so on stderr', async () => {
    const r = await cli(['reach', '-f', '-'], '# nothing here\n');
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'namespace-guard: no pods or workloads in the input\n' });
  });
});

describe('reach --format markdown and mermaid (namespace level)', () => {
  test('markdown: a caption and a matrix table', async () => {
    expect(await cli(['reach', '-f', DUMP, '--format', 'markdown'])).toEqual({
      code: 0,
      stdout: [
        'ports on which some pod of the row namespace can connect to some pod of the column namespace',
        '',
        '| from \\ to | x | y | internet |',
        '| --- | --- | --- | --- |',
        '| x | all | TCP 80 | all |',
        '| y | all | none | all |',
        '| internet | all | none | - |',
        '',
        INTERNET_NOTE,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect((await cli(['reach', '-f', DUMP, '--format', 'markdown', '--level', 'namespace', '--port', '80'])).stdout).toBe([
      'TCP/80 from some pod of the row namespace to some pod of the column namespace: ✓ allowed, ✗ denied',
      '',
      '| from \\ to | x | y | internet |',
      '| --- | --- | --- | --- |',
      '| x | ✓ | ✓ | ✓ |',
      '| y | ✓ | ✗ | ✓ |',
      '| internet | ✓ | ✗ | - |',
      '',
      INTERNET_NOTE,
      '',
    ].join('\n'));
  });

  test('mermaid: a flowchart of the allowed namespace flows without self edges, labelled with ports', async () => {
    expect(await cli(['reach', '-f', DUMP, '--format', 'mermaid'])).toEqual({
      code: 0,
      // The internet node is a circle; nothing connects it with itself.
      stdout: 'flowchart LR\n  ns0["x"]\n  ns1["y"]\n  ns2(("internet"))\n  ns0 -->|"TCP 80"| ns1\n  ns0 -->|"all"| ns2\n'
        + '  ns1 -->|"all"| ns0\n  ns1 -->|"all"| ns2\n  ns2 -->|"all"| ns0\n',
      stderr: '',
    });
    const db = await cli(['reach', '-f', DUMP, '--format', 'mermaid', '--port', '5432']);
    expect(db.stdout).toBe('flowchart LR\n  ns0["x"]\n  ns1["y"]\n  ns2(("internet"))\n  ns0 --> ns2\n  ns1 --> ns0\n  ns1 --> ns2\n  ns2 --> ns0\n');
  });
});

describe('reach --level exposure', () => {
  test('table: per namespace pair, reachable pods of the destination out of all, then which pods on which ports', async () => {
    expect(await cli(['reach', '-f', DUMP, '--level', 'exposure'])).toEqual({
      code: 0,
      stdout: [
        'pods of the column namespace that some pod of the row namespace can reach on some port (reachable/all; - no pods)',
        'from \\ to  x    y    internet',
        'x          2/2  1/2  1/1',
        'y          2/2  0/2  1/1',
        'internet   2/2  0/2  -',
        INTERNET_NOTE,
        '',
        'x -> x: all 2 pods (all)',
        'x -> y: 1/2 pods: y/api (TCP 80)',
        'x -> internet: all',
        'y -> x: all 2 pods (all)',
        'y -> internet: all',
        'internet -> x: all 2 pods (all)',
        '',
      ].join('\n'),
      stderr: '',
    });
    const db = await cli(['reach', '-f', DUMP, '--level', 'exposure', '--port', '5432']);
    expect(db.stdout).toBe([
      'pods of the column namespace that some pod of the row namespace can reach on TCP/5432 (reachable/all; - no pods)',
      'from \\ to  x    y    internet',
      'x          2/2  0/2  1/1',
      'y          2/2  0/2  1/1',
      'internet   2/2  0/2  -',
      INTERNET_NOTE,
      '',
      'x -> x: all 2 pods',
      'x -> internet: TCP 5432',
      'y -> x: all 2 pods',
      'y -> internet: TCP 5432',
      'internet -> x: all 2 pods',
      '',
    ].join('\n'));
  });

  test('a namespace without pods is "-", not 0 of 0; its placeholder still counts as a source', async () => {
    const r = await cli(['reach', '-f', '-', '--level', 'exposure', '--port', '80'], `${fs.readFileSync(DUMP, 'utf8')}${NS('empty')}`);
    expect(r.stdout.split('\n').slice(1, 5)).toEqual([
      'from \\ to  empty  x    y    internet',
      'empty      -      2/2  0/2  1/1',
      'x          -      2/2  1/2  1/1',
      'y          -      2/2  0/2  1/1',
    ]);
  });

  test('json: every ordered namespace pair with the pod count and the reachable pods with their ports; --port optional', async () => {
    expect(await cli(['reach', '-f', DUMP, '--level', 'exposure', '--port', '80', '--format', 'json'])).toEqual({
      code: 0,
      stdout: '{"level":"exposure","port":80,"protocol":"TCP","exposed":{'
        + '"internet":{"x":{"pods":2,"reachable":{"x/client":"TCP 80","x/web":"TCP 80"}},"y":{"pods":2,"reachable":{}}},'
        + '"x":{"internet":{"pods":1,"reachable":{"internet":"TCP 80"}},"x":{"pods":2,"reachable":{"x/client":"TCP 80","x/web":"TCP 80"}},'
        + '"y":{"pods":2,"reachable":{"y/api":"TCP 80"}}},'
        + '"y":{"internet":{"pods":1,"reachable":{"internet":"TCP 80"}},"x":{"pods":2,"reachable":{"x/client":"TCP 80","x/web":"TCP 80"}},'
        + '"y":{"pods":2,"reachable":{}}}}}\n',
      stderr: '',
    });
    const all = await cli(['reach', '-f', DUMP, '--level', 'exposure', '--format', 'json']);
    expect(JSON.parse(all.stdout)).toEqual({
      level: 'exposure',
      port: null,
      protocol: null,
      exposed: {
        x: {
          x: { pods: 2, reachable: { 'x/client': 'all', 'x/web': 'all' } },
          y: { pods: 2, reachable: { 'y/api': 'TCP 80' } },
          internet: { pods: 1, reachable: { internet: 'all' } },
        },
        y: { x: { pods: 2, reachable: { 'x/client': 'all', 'x/web': 'all' } }, y: { pods: 2, reachable: {} }, internet: { pods: 1, reachable: { internet: 'all' } } },
        internet: { x: { pods: 2, reachable: { 'x/client': 'all', 'x/web': 'all' } }, y: { pods: 2, reachable: {} } },
      },
    });
  });

  test('one open pod no longer makes the namespace look open: the namespace matrix says all, exposure says 1 of 3', async () => {
    const input = NS('a') + NS('b') + POD('a', 'p') + POD('b', 'front') + POD('b', 'db1') + POD('b', 'db2')
      + '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: only-front, namespace: b }\n'
      + 'spec: { podSelector: { matchExpressions: [{ key: app, operator: NotIn, values: [front] }] }, policyTypes: [Ingress] }\n';
    expect((await cli(['reach', '-f', '-', '--level', 'namespace', '--port', '443', '--format', 'json'], input)).stdout).toContain('"a":{"a":true,"b":true,"internet":true}');
    const exposure = await cli(['reach', '-f', '-', '--level', 'exposure', '--port', '443'], input);
    expect(exposure.stdout).toContain('a          1/1  1/3  1/1\n');
    expect(exposure.stdout).toContain('a -> b: 1/3 pods: b/front\n');
  });
});

describe('wide tables', () => {
  test('a table wider than --width prints one line per ordered pair that can connect, then how many cannot', async () => {
    const r = await cli(['reach', '-f', DUMP, '--port', '80', '--width', '30']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'TCP/80 from the row pod to the column pod: ✓ allowed, ✗ denied',
      'from      to        TCP/80',
      'x/client  x/client  ✓',
      'x/client  x/web     ✓',
    ]);
    // Every listed pair is allowed, and the listed and counted pairs are the 16 of the grid.
    const listed = lines.slice(2, -1);
    expect(listed.every((line) => line.endsWith('✓'))).toBe(true);
    const denied = Number(/^\((\d+) other ordered pairs: ✗ denied\)$/.exec(lines[lines.length - 1])?.[1]);
    expect(listed.length + denied).toBe(16);
    const grid = (await cli(['reach', '-f', DUMP, '--port', '80'])).stdout;
    expect(grid.split('\n').slice(2, 6).join('').split('✗').length - 1).toBe(denied);
    const exposure = await cli(['reach', '-f', DUMP, '--level', 'exposure', '--width', '10']);
    expect(exposure.stdout.split('\n').slice(1, 9)).toEqual([
      'from      to        pods', 'x         x         2/2', 'x         y         1/2', 'x         internet  1/1',
      'y         x         2/2', 'y         internet  1/1', 'internet  x         2/2', '(2 other ordered pairs: no pod reachable)',
    ]);
  });

  test('without --width the limit is 120 columns', async () => {
    const pods = Array.from({ length: 12 }, (_, i) => POD('some-namespace', `pod-${i}`)).join('');
    const r = await cli(['reach', '-f', '-'], NS('some-namespace') + pods);
    expect(r.stdout.split('\n')[1]).toBe('from                   to                     ports');
    expect((await cli(['reach', '-f', DUMP])).stdout.split('\n')[1]).toBe('from \\ to  x/client  x/web  y/api   y/db');
  });
});

test('on a terminal, the terminal\'s width is the limit', async () => {
  const stdout = process.stdout as { isTTY?: boolean; columns?: number };
  const saved = { isTTY: stdout.isTTY, columns: stdout.columns };
  let written = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
  try {
    stdout.isTTY = true;
    stdout.columns = 30;
    expect(await run(['reach', '-f', DUMP, '--port', '80'])).toBe(0);
  } finally {
    write.mockRestore();
    stdout.isTTY = saved.isTTY;
    stdout.columns = saved.columns;
  }
  expect(written.split('\n')[1]).toBe('from      to        TCP/80');
});

describe('reach --namespace --format mermaid', () => {
  test('the pods of one namespace, the flows between them, and the other namespaces they connect with', async () => {
    expect(await cli(['reach', '-f', DUMP, '--namespace', 'y', '--format', 'mermaid'])).toEqual({
      code: 0,
      stdout: [
        'flowchart LR',
        '  subgraph g0["namespace y"]',
        '    ns0["y/api"]',
        '    ns1["y/db"]',
        '  end',
        '  subgraph g1["other namespaces"]',
        '    ns2["x"]',
        '  end',
        '  subgraph g2["outside the cluster"]',
        '    ns3(("internet"))',
        '  end',
        '  ns0 -->|"all"| ns2',
        '  ns0 -->|"all"| ns3',
        '  ns1 -->|"all"| ns2',
        '  ns1 -->|"all"| ns3',
        '  ns2 -->|"TCP 80"| ns0',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('with --port, edges for that port only and without labels; other namespaces nothing connects with are left out', async () => {
    const r = await cli(['reach', '-f', '-', '--namespace', 'y', '--port', '5432'], `${fs.readFileSync(DUMP, 'utf8')}${NS('empty')}`);
    expect(r.stdout).toBe('flowchart LR\n  subgraph g0["namespace y"]\n    ns0["y/api"]\n    ns1["y/db"]\n  end\n'
      + '  subgraph g1["other namespaces"]\n    ns2["empty"]\n    ns3["x"]\n  end\n'
      + '  subgraph g2["outside the cluster"]\n    ns4(("internet"))\n  end\n'
      + '  ns0 --> ns2\n  ns0 --> ns3\n  ns0 --> ns4\n  ns1 --> ns2\n  ns1 --> ns3\n  ns1 --> ns4\n');
  });

  test.each([
    ['an unknown namespace', ['--namespace', 'z'], '--namespace: unknown namespace "z" (namespaces in the input: x, y)'],
    ['the internet node', ['--namespace', 'internet'],
      '--namespace: unknown namespace "internet" (namespaces in the input: x, y); internet stands for a public address, not a namespace: the graph of each namespace shows its flows with it'],
    ['another format', ['--namespace', 'x', '--format', 'table'], '--namespace draws one namespace\'s pods as a mermaid flowchart: use it with --format mermaid, not table'],
    ['namespace level', ['--namespace', 'x', '--level', 'namespace'], '--namespace draws pods and cannot be combined with --level namespace'],
    ['exposure as markdown', ['--level', 'exposure', '--format', 'markdown'], '--level exposure prints a table or JSON, not markdown'],
  ])('%s exits 2', async (_label, flags, message) => {
    expect(await cli(['reach', '-f', DUMP, ...flags])).toEqual({ code: 2, stdout: '', stderr: `namespace-guard: ${message}\n` });
  });
});

test('--help says --port is the container port, not the Service port, and documents the new JSON', async () => {
  const help = (await cli(['reach', '--help'])).stdout;
  expect(help).toContain('not a Service port');
  expect(help).toContain('{"level":"exposure","port":80,"protocol":"TCP","exposed"');
  expect(help).toContain('--namespace <namespace>');
});

describe('reach --from --to', () => {
  test('an allowed connection: exit 0, "allowed", then why', async () => {
    expect(await cli(['reach', '-f', DUMP, '--from', 'x/client', '--to', 'y/api', '--port', '80'])).toEqual({
      code: 0,
      stdout: [
        'allowed',
        'Egress: no NetworkPolicy of namespace x selects x/client for egress, so its egress is not restricted.',
        'Ingress: y/api is isolated for ingress by y/default-deny, y/allow-x-to-api; TCP/80 from x/client is admitted by y/allow-x-to-api ingress[0] '
          + '(from namespaceSelector kubernetes.io/metadata.name=x, on TCP/80).',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('a denied connection: exit 1, "denied", then the isolating policy', async () => {
    expect(await cli(['reach', '-f', DUMP, '--from', 'x/client', '--to', 'y/db', '--port', '5432'])).toEqual({
      code: 1,
      stdout: [
        'denied',
        'Egress: no NetworkPolicy of namespace x selects x/client for egress, so its egress is not restricted.',
        'Ingress: y/db is isolated for ingress by y/default-deny, which has no ingress rules, so all ingress is denied.',
        '',
      ].join('\n'),
      stderr: '',
    });
    const udp = await cli(['reach', '-f', DUMP, '--from', 'x/client', '--to', 'y/api', '--port', '80', '--protocol', 'UDP']);
    expect(udp.code).toBe(1);
    expect(udp.stdout.split('\n').slice(2)).toEqual([
      'Ingress: y/api is isolated for ingress by y/default-deny, y/allow-x-to-api, and no ingress rule admits UDP/80 from x/client:',
      '  - y/allow-x-to-api ingress[0] (from namespaceSelector kubernetes.io/metadata.name=x, on TCP/80): wrong port: it allows TCP 80, not UDP/80.',
      '',
    ]);
  });

  test('the <ns>/* placeholder of an empty namespace can be judged', async () => {
    const r = await cli(['reach', '-f', '-', '--from', 'y/api', '--to', 'empty/*', '--port', '80'], `${fs.readFileSync(DUMP, 'utf8')}${NS('empty')}`);
    expect(r).toEqual({
      code: 0,
      stdout: 'allowed\nEgress: no NetworkPolicy of namespace y selects y/api for egress, so its egress is not restricted.\n'
        + 'Ingress: no NetworkPolicy of namespace empty selects empty/* for ingress, so its ingress is not restricted.\n',
      stderr: '',
    });
  });

  test.each([
    ['an unknown pod', ['--from', 'x/client', '--to', 'y/cache'], '--to: unknown pod "y/cache" (pods in namespace y: y/api, y/db)'],
    ['an unknown namespace', ['--from', 'z/client', '--to', 'y/api'], '--from: unknown namespace "z" in "z/client" (namespaces in the input: x, y)'],
    ['a name that is no namespace', ['--from', 'client', '--to', 'y/api'],
      '--from: unknown namespace "client" (namespaces in the input: x, y; <namespace>/<pod> for a pod, internet for a public address)'],
  ])('%s exits 2 naming what is known', async (_label, flags, message) => {
    expect(await cli(['reach', '-f', DUMP, ...flags, '--port', '80'])).toEqual({ code: 2, stdout: '', stderr: `namespace-guard: ${message}\n` });
  });

  test('an Admin tier rule that denies what the NetworkPolicies allow: exit 1 and the tier, policy and rule; an invalid one exits 2', async () => {
    const cnp = (priority: string) => `---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: tenant-isolation }
spec:
  tier: Admin
  priority: ${priority}
  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: "y" } } }
  ingress:
    - name: deny-x
      action: Deny
      from: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: "x" } } }]
`;
    const r = await cli(['reach', '-f', DUMP, '-f', '-', '--from', 'x/client', '--to', 'y/api', '--port', '80'], cnp('100'));
    expect(r).toEqual({
      code: 1,
      stdout: [
        'denied',
        'Egress: no NetworkPolicy of namespace x selects x/client for egress, so its egress is not restricted.',
        'Ingress: the Admin tier denies TCP/80 from x/client: ClusterNetworkPolicy tenant-isolation rule deny-x (priority 100) '
          + '(Deny from namespaces kubernetes.io/metadata.name=x, on every port) is the first Admin tier rule that matches it, '
          + 'so no NetworkPolicy or Baseline rule is consulted.',
        '',
      ].join('\n'),
      stderr: '',
    });
    const bad = await cli(['reach', '-f', '-', '--port', '80'], cnp('high'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('<stdin> document 1: ClusterNetworkPolicy tenant-isolation: spec.priority: must be an integer from 0 to 1000');
  });

  test('the known pods listed for an unknown pod include workloads and placeholders', async () => {
    const r = await cli(['reach', '-f', fixture('multi-doc.yaml'), '-f', '-', '--from', 'shop/web', '--to', 'idle/web', '--port', '80'], NS('idle'));
    expect(r.stderr).toBe('namespace-guard: --from: unknown pod "shop/web" (pods in namespace shop: shop/backend (Deployment), shop/frontend (Deployment))\n');
    const idle = await cli(['reach', '-f', fixture('multi-doc.yaml'), '-f', '-', '--from', 'shop/frontend', '--to', 'idle/web', '--port', '80'], NS('idle'));
    expect(idle.stderr).toBe('namespace-guard: --to: unknown pod "idle/web" (pods in namespace idle: idle/* (placeholder: the namespace has no pods or workloads))\n');
    expect(idle.code).toBe(2);
  });
});

describe('reach usage and input errors exit 2 with stdout empty', () => {
  test.each([
    ['port 0', ['--port', '0'], 'option \'--port <port>\' argument \'0\' is invalid. Expected a port number between 1 and 65535.'],
    ['port 65536', ['--port', '65536'], 'option \'--port <port>\' argument \'65536\' is invalid. Expected a port number between 1 and 65535.'],
    ['a named port', ['--port', 'http'], 'option \'--port <port>\' argument \'http\' is invalid. Expected a port number between 1 and 65535.'],
    ['a fractional port', ['--port', '80.5'], 'option \'--port <port>\' argument \'80.5\' is invalid. Expected a port number between 1 and 65535.'],
    ['a lower-case protocol', ['--port', '80', '--protocol', 'tcp'], 'option \'--protocol <protocol>\' argument \'tcp\' is invalid. Allowed choices are TCP, UDP, SCTP.'],
    ['an unknown format', ['--format', 'yaml'], 'option \'--format <format>\' argument \'yaml\' is invalid. Allowed choices are table, json, markdown, mermaid.'],
    ['a zero width', ['--width', '0'], 'option \'--width <columns>\' argument \'0\' is invalid. Expected a positive number of columns.'],
    ['an unknown level', ['--level', 'cluster'], 'option \'--level <level>\' argument \'cluster\' is invalid. Allowed choices are pod, namespace, exposure.'],
  ])('%s', async (_label, flags, message) => {
    expect(await cli(['reach', '-f', DUMP, ...flags])).toEqual({
      code: 2,
      stdout: '',
      stderr: `namespace-guard: ${message}\n(run "namespace-guard reach --help" for usage)\n`,
    });
  });

  test.each([
    ['json without --port', ['--format', 'json'], '--format json needs --port (and optionally --protocol): the JSON matrix answers for one port'],
    ['--protocol without --port', ['--protocol', 'UDP'], '--protocol only applies together with --port'],
    ['--from without --to', ['--from', 'x/client', '--port', '80'], '--from and --to must be given together'],
    ['--from/--to without --port', ['--from', 'x/client', '--to', 'y/api'], '--from/--to need --port (and optionally --protocol): a verdict is for one port'],
    ['--from/--to with --level', ['--from', 'x', '--to', 'y', '--port', '80', '--level', 'namespace'],
      '--from/--to judge one connection, at the level of what they name (a namespace, <namespace>/<pod> or internet); --level namespace is for matrices'],
    ['--from/--to with a matrix format', ['--from', 'x/client', '--to', 'y/api', '--port', '80', '--format', 'json'],
      '--from/--to print a verdict and its explanation; --format json is for matrices'],
    ['mermaid at pod level', ['--format', 'mermaid', '--level', 'pod'],
      '--format mermaid draws namespace flows: use it with --level namespace (the default for this format)'],
  ])('%s', async (_label, flags, message) => {
    expect(await cli(['reach', '-f', DUMP, ...flags])).toEqual({ code: 2, stdout: '', stderr: `namespace-guard: ${message}\n` });
  });

  test('flag mistakes are reported before any file is read', async () => {
    const r = await cli(['reach', '-f', fixture('missing.yaml'), '--format', 'json']);
    expect(r.stderr).toBe('namespace-guard: --format json needs --port (and optionally --protocol): the JSON matrix answers for one port\n');
  });

  test('an unreadable file is named', async () => {
    const missing = fixture('missing.yaml');
    const r = await cli(['reach', '-f', DUMP, '-f', missing, '--port', '80', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`namespace-guard: ${missing}: cannot read: ENOENT: no such file or directory, stat '${missing}'\n`);
  });

  test('invalid YAML is located by file and document', async () => {
    const r = await cli(['reach', '-f', fixture('broken.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^namespace-guard: ${fixture('broken.yaml').replace(/[.]/g, '\\.')} document 2: invalid YAML: .+\n$`));
  });

  test('an invalid NetworkPolicy is located by file, document and object', async () => {
    const policy = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: { name: bad, namespace: x }',
      'spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/33 } }] }] }',
    ].join('\n');
    const r = await cli(['reach', '-f', '-', '--port', '80', '--format', 'json'], `${NS('x')}---\n${policy}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^namespace-guard: <stdin> document 2: NetworkPolicy x\/bad: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr/);
  });

  test('unreadable stdin is reported as <stdin>', async () => {
    const r = await cli(['reach', '-f', '-']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'namespace-guard: <stdin>: cannot read: the test gave no stdin\n' });
  });
});

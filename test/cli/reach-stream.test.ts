// `reach --format json` at pod level is written in chunks of at most a mebibyte: the matrix of
// 12,000 pods is several gigabytes, more than any single string can hold.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';

const MIB = 1024 * 1024;

test('the pod matrix is written in bounded chunks, and reads back as one JSON object equal to the matrix', async () => {
  const pods = 300;
  const docs: string[] = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: big}'];
  for (let i = 0; i < pods; i++) {
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: p${String(i).padStart(3, '0')}, namespace: big, labels: {app: a${i % 3}}}\n`
      + 'spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}');
  }
  // Only app=a0 pods admit ingress on 8080.
  docs.push('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-a0, namespace: big}\n'
    + 'spec: {podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [a0]}]}, policyTypes: [Ingress]}');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-stream-'));
  const file = path.join(dir, 'big.yaml');
  fs.writeFileSync(file, docs.join('\n---\n'));
  const chunks: string[] = [];
  const code = await run(['reach', '-f', file, '--port', '8080', '--format', 'json'], { stdout: (t) => chunks.push(t), stderr: () => undefined });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(code).toBe(0);
  // More than one chunk's worth, and no chunk larger than one.
  const total = chunks.reduce((sum, c) => sum + Buffer.byteLength(c), 0);
  expect(total).toBeGreaterThan(MIB);
  expect(chunks.length).toBeGreaterThan(1);
  expect(Math.max(...chunks.map(c => Buffer.byteLength(c)))).toBeLessThanOrEqual(MIB);
  const json = JSON.parse(chunks.join(''));
  expect(json.level).toBe('pod');
  expect(Object.keys(json.allowed)).toHaveLength(pods);
  for (const [from, row] of Object.entries(json.allowed as Record<string, Record<string, boolean>>)) {
    expect(Object.keys(row)).toHaveLength(pods);
    for (const [to, allowed] of Object.entries(row)) {
      const index = Number(to.slice('big/p'.length));
      expect({ from, to, allowed }).toEqual({ from, to, allowed: index % 3 === 0 });
    }
  }
  expect(Object.keys(json.allowed)).toEqual([...Object.keys(json.allowed)].sort());
}, 60_000);

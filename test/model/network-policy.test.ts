import { PortSet, PortSetStore } from '../../src/analysis/reachability';
import { parseManifests } from '../../src/model/manifests';
import { compilePolicies, describePolicyPort } from '../../src/model/network-policy';

describe('PortSet', () => {
  const dns = PortSet.range('UDP', 53).union(PortSet.range('TCP', 53));

  test('prints compact text ordered by port, then protocol', () => {
    expect(dns.union(PortSet.range('TCP', 8080, 8090)).toString()).toBe('TCP 53, UDP 53, TCP 8080-8090');
    expect(PortSet.ALL.toString()).toBe('all');
    expect(PortSet.NONE.toString()).toBe('none');
    expect(PortSet.protocol('TCP').union(PortSet.range('UDP', 53)).toString()).toBe('all TCP, UDP 53');
  });

  test('union merges overlapping and adjacent ranges', () => {
    const merged = PortSet.range('TCP', 80, 90).union(PortSet.range('TCP', 91, 100)).union(PortSet.range('TCP', 85, 95));
    expect(merged.ranges()).toEqual([{ protocol: 'TCP', from: 80, to: 100 }]);
    const gap = PortSet.range('TCP', 80).union(PortSet.range('TCP', 82));
    expect(gap.toString()).toBe('TCP 80, TCP 82');
  });

  test('intersect keeps only common ports, per protocol', () => {
    const a = PortSet.range('TCP', 1, 100).union(PortSet.range('UDP', 53));
    const b = PortSet.range('TCP', 50, 200).union(PortSet.range('SCTP', 53));
    expect(a.intersect(b).toString()).toBe('TCP 50-100');
    expect(a.intersect(PortSet.NONE).isEmpty).toBe(true);
    expect(a.intersect(PortSet.ALL).equals(a)).toBe(true);
  });

  test('subtract keeps the ports not in the other set, per protocol', () => {
    const dns53 = PortSet.range('TCP', 53).union(PortSet.range('UDP', 53));
    expect(PortSet.ALL.subtract(dns53).toString()).toBe('all SCTP, TCP 1-52, UDP 1-52, TCP 54-65535, UDP 54-65535');
    expect(PortSet.range('TCP', 1, 100).subtract(PortSet.range('TCP', 50, 200)).toString()).toBe('TCP 1-49');
    expect(PortSet.range('TCP', 1, 100).subtract(PortSet.range('TCP', 1)).subtract(PortSet.range('TCP', 100)).toString()).toBe('TCP 2-99');
    expect(dns53.subtract(PortSet.ALL).isEmpty).toBe(true);
    expect(dns53.subtract(PortSet.NONE).equals(dns53)).toBe(true);
  });

  test('subtract removes ports, splitting ranges, per protocol; the store memoises it', () => {
    const a = PortSet.range('TCP', 1, 100).union(PortSet.range('UDP', 53));
    expect(a.subtract(PortSet.range('TCP', 10, 20).union(PortSet.range('TCP', 50))).toString()).toBe('TCP 1-9, TCP 21-49, TCP 51-100, UDP 53');
    expect(a.subtract(PortSet.protocol('TCP')).toString()).toBe('UDP 53');
    expect(PortSet.ALL.subtract(PortSet.range('SCTP', 1, 65534)).toString()).toBe('all TCP, all UDP, SCTP 65535');
    expect(a.subtract(PortSet.NONE).equals(a)).toBe(true);
    expect(a.subtract(a).isEmpty).toBe(true);
    const store = new PortSetStore();
    const all = PortSetStore.ALL;
    const web = store.intern(PortSet.range('TCP', 80));
    const rest = store.subtract(all, web);
    expect(store.get(rest).contains('TCP', 80)).toBe(false);
    expect(store.subtract(all, web)).toBe(rest);
    expect(store.union(rest, web)).toBe(all);
    expect(store.subtract(web, all)).toBe(PortSetStore.NONE);
  });

  test('contains checks protocol and range bounds inclusively', () => {
    const s = PortSet.range('TCP', 8080, 8090);
    expect([s.contains('TCP', 8079), s.contains('TCP', 8080), s.contains('TCP', 8090), s.contains('TCP', 8091), s.contains('UDP', 8085)])
      .toEqual([false, true, true, false, false]);
  });

  test('the whole space is "all" however it is built', () => {
    const built = PortSet.of([
      { protocol: 'TCP', from: 1, to: 1000 }, { protocol: 'TCP', from: 1001, to: 65535 },
      { protocol: 'UDP', from: 1, to: 65535 }, { protocol: 'SCTP', from: 1, to: 65535 },
    ]);
    expect(built.isAll).toBe(true);
    expect(built.equals(PortSet.ALL)).toBe(true);
  });

  test('the store interns equal sets and memoises operations', () => {
    const store = new PortSetStore();
    const a = store.intern(PortSet.range('TCP', 80));
    expect(store.intern(PortSet.range('TCP', 80, 80))).toBe(a);
    const b = store.intern(PortSet.range('TCP', 81));
    const ab = store.union(a, b);
    expect(store.get(ab).toString()).toBe('TCP 80-81');
    expect(store.union(b, a)).toBe(ab);
    expect(store.intersect(ab, a)).toBe(a);
    expect(store.intersect(a, b)).toBe(PortSetStore.NONE);
    expect(store.union(a, PortSetStore.ALL)).toBe(PortSetStore.ALL);
  });
});

/** Compiles the ports of the single ingress rule of a policy written as YAML. */
function rulePorts(portsYaml: string): string[] {
  const yaml = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: x }\nspec:\n  podSelector: {}\n  ingress:\n  - ports: ${portsYaml}\n`;
  return (compilePolicies(parseManifests(yaml, 'policy.yaml'))[0].ingress[0].ports ?? []).map(describePolicyPort);
}

describe('NetworkPolicy ports', () => {
  test('protocol defaults to TCP; a port without number covers the whole protocol', () => {
    expect(rulePorts('[{port: 80}, {protocol: UDP}, {port: 53, protocol: UDP}]')).toEqual(['TCP/80', 'UDP/*', 'UDP/53']);
  });

  test('endPort makes an inclusive range; named ports stay names', () => {
    expect(rulePorts('[{port: 8080, endPort: 8090}, {port: http}, {port: dns, protocol: UDP}]')).toEqual(['TCP/8080-8090', 'TCP/http', 'UDP/dns']);
  });

  test('absent and empty ports both mean every port', () => {
    expect(rulePorts('[]')).toEqual([]);
    const yaml = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec: { ingress: [{}] }\n';
    expect(compilePolicies(parseManifests(yaml, 'p.yaml'))[0].ingress[0].ports).toBeUndefined();
  });

  test.each([
    ['[{port: 80, endPort: 79}]', 'spec.ingress[0].ports[0].endPort: must not be less than port (80)'],
    ['[{port: http, endPort: 90}]', 'spec.ingress[0].ports[0].endPort: cannot be used with a named port'],
    ['[{endPort: 90}]', 'spec.ingress[0].ports[0].endPort: requires port'],
    ['[{port: 70000}]', 'spec.ingress[0].ports[0].port: must be a port number between 1 and 65535'],
    ['[{port: 80, protocol: tcp}]', 'spec.ingress[0].ports[0].protocol: must be TCP, UDP or SCTP, got "tcp"'],
  ])('rejects %s with the file, document, object and field', (ports, message) => {
    expect(() => rulePorts(ports)).toThrow(`policy.yaml document 1: NetworkPolicy x/p: ${message}`);
  });
});

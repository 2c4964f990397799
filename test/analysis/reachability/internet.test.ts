// The internet node: one endpoint outside the cluster, standing for every public address (as a
// namespace stands for its pods), whose parts ipBlock and `networks` peers match and that no
// selector and no policy selects.
import {
  findEndpoint, INTERNET_NODE, INTERNET_NODE_FALLBACK, judgeEndpoints, PortSet, ReachabilityModel, syntheticCluster,
} from '../../../src/analysis/reachability';
import { ClusterModel } from '../../../src/model/cluster-model';
import { ClusterNetwork } from '../../../src/model/cluster-network';
import { NAMESPACE_NAME_LABEL } from '../../../src/model/vocabulary';
import { AddressSet } from '../../../src/private/address-set';
import { parseCidr } from '../../../src/private/cidr';
import { NON_PUBLIC_RANGES, nonPublicExcepts, PUBLIC_ADDRESSES } from '../../../src/private/special-ranges';

const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

function pod(key: string, labels: Record<string, string> = {}, ip?: string) {
  const [namespace, name] = key.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', ...(ip ? { podIP: ip } : {}) },
  };
}

const netpol = (namespace: string, name: string, spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const ingressFrom = (namespace: string, name: string, from: object[] | undefined) =>
  netpol(namespace, name, { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ...(from ? { from } : {}), ports: [{ port: 8080 }] }] });
const egressTo = (namespace: string, name: string, to: object[]) => netpol(namespace, name, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to }] });
/** What `Peer.internet()` writes: every address but the special-purpose ranges, in both families. */
const PUBLIC = [
  { ipBlock: { cidr: '0.0.0.0/0', except: nonPublicExcepts('ipv4') } },
  { ipBlock: { cidr: '::/0', except: nonPublicExcepts('ipv6') } },
];

const withInternet = (objects: object[]) => ReachabilityModel.fromObjects(objects, { internet: true });
const ports = (m: ReachabilityModel, from: string, to: string) => m.allowedPorts(from, to).toString();

const addressesTo = (m: ReachabilityModel, from: string, port: number) =>
  m.addressesOnPort(m.pod(from).units, m.internet!, 'egress', port, 'TCP').toString();

describe('what the internet node stands for', () => {
  test('every public address: all addresses but the special-purpose ranges, the public blocks of Peer.internet()', () => {
    const m = withInternet([ns('a'), pod('a/web'), ingressFrom('a', 'from-internet', PUBLIC)]);
    expect(m.internet!.addresses.equals(PUBLIC_ADDRESSES)).toBe(true);
    for (const range of NON_PUBLIC_RANGES) {
      const block = parseCidr(range.cidr)!;
      // Mapped IPv4 addresses are read as the IPv4 addresses they embed, so their block is IPv4's business.
      if (block.family === 'ipv6' && range.cidr === '::ffff:0:0/96') continue;
      expect(`${range.cidr}: ${m.internet!.addresses.overlaps(AddressSet.ofCidrs([range.cidr]))}`).toBe(`${range.cidr}: false`);
    }
    expect(ports(m, INTERNET_NODE, 'a/web')).toBe('TCP 8080');
    expect(m.addressesOnPort(m.pod('a/web').units, m.internet!, 'ingress', 8080, 'TCP').equals(PUBLIC_ADDRESSES)).toBe(true);
  });

  test('addresses inside the cluster\'s declared ranges are the cluster\'s, not the internet\'s', () => {
    const cluster = ClusterModel.fromObjects([ns('a'), pod('a/web')]);
    const declared = ClusterModel.fromManifests(cluster.objects.map(o => o.manifest), ClusterNetwork.of({ podCidrs: ['198.41.0.0/24'] }));
    const internet = ReachabilityModel.fromCluster(declared, { internet: true }).internet!;
    expect(internet.addresses.equals(PUBLIC_ADDRESSES.subtract(AddressSet.ofCidrs(['198.41.0.0/24'])))).toBe(true);
  });
});

describe('the internet node in the model', () => {
  test('is not there unless asked for; when asked, it comes last, as an entry with one pod', () => {
    const objects = [ns('a'), pod('a/web')];
    expect(ReachabilityModel.fromObjects(objects).pods.map(p => p.key)).toEqual(['a/web']);
    const m = withInternet(objects);
    expect(m.pods.map(p => [p.key, p.kind, p.ips])).toEqual([['a/web', 'Pod', []], ['internet', 'Internet', []]]);
    expect(m.namespaces.map(n => [n.name, n.external === true])).toEqual([['a', false], ['internet', true]]);
    expect(m.internet?.key).toBe('internet');
  });

  test('has no policies: it reaches and is reached by every pod no policy isolates, and not itself', () => {
    const m = withInternet([ns('a'), pod('a/web')]);
    expect(ports(m, 'internet', 'a/web')).toBe('all');
    expect(ports(m, 'a/web', 'internet')).toBe('all');
    expect(ports(m, 'internet', 'internet')).toBe('none');
    expect(m.namespaceMatrix().some('internet', 'internet').toString()).toBe('none');
    expect(m.evaluate('internet', 'a/web', 80).sentences).toEqual([
      'Egress: internet stands for addresses outside the cluster (every public address), which no policy selects, so its egress is not restricted.',
      'Ingress: no NetworkPolicy of namespace a selects a/web for ingress, so its ingress is not restricted.',
    ]);
  });

  test('namespace and pod selectors never select it, even those that select every namespace', () => {
    const m = withInternet([
      ns('a'), pod('a/web'),
      ingressFrom('a', 'from-every-namespace', [{ namespaceSelector: {} }]),
      egressTo('a', 'to-every-pod', [{ namespaceSelector: {}, podSelector: {} }]),
    ]);
    expect(ports(m, 'internet', 'a/web')).toBe('none');
    expect(ports(m, 'a/web', 'internet')).toBe('none');
    const verdict = m.evaluate('internet', 'a/web', 8080);
    expect(verdict.explanation).toBe('denied: ingress to a/web is isolated by a/from-every-namespace and no ingress rule allows TCP/8080 from internet');
    expect(verdict.sentences).toContain('  - a/from-every-namespace ingress[0] (from namespaceSelector {}, on TCP/8080): the source internet is outside the cluster, '
      + 'and namespaceSelector and podSelector peers select pods of the cluster only.');
  });

  test('a rule without peers admits it: an empty from or to is every source or destination, outside the cluster too', () => {
    const m = withInternet([ns('a'), pod('a/web'), ingressFrom('a', 'anyone', undefined)]);
    expect(ports(m, 'internet', 'a/web')).toBe('TCP 8080');
  });

  test('ipBlocks hold part of it: half the address space, one cloud\'s range and an except all show, with the ranges', () => {
    // The cases a single representative address got wrong: none of these holds 198.41.0.4.
    const half = withInternet([ns('a'), pod('a/web'), egressTo('a', 'half', [{ ipBlock: { cidr: '0.0.0.0/1' } }])]);
    expect(ports(half, 'a/web', 'internet')).toBe('all');
    expect(addressesTo(half, 'a/web', 443)).toBe(PUBLIC_ADDRESSES.intersect(AddressSet.ofCidrs(['0.0.0.0/1'])).toString());
    const cloud = withInternet([ns('a'), pod('a/web'), netpol('a', 'cloud', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '52.0.0.0/8' } }], ports: [{ port: 443 }] }] })]);
    expect(ports(cloud, 'a/web', 'internet')).toBe('TCP 443');
    expect(addressesTo(cloud, 'a/web', 443)).toBe('52.0.0.0/8');
    expect(addressesTo(cloud, 'a/web', 80)).toBe('none');
    const excepted = withInternet([ns('a'), pod('a/web'), egressTo('a', 'v4', [{ ipBlock: { cidr: '0.0.0.0/0', except: ['198.41.0.0/16'] } }])]);
    expect(ports(excepted, 'a/web', 'internet')).toBe('all');
    expect(excepted.addressesOnPort(excepted.pod('a/web').units, excepted.internet!, 'egress', 443, 'TCP').overlaps(AddressSet.ofCidrs(['198.41.0.0/16']))).toBe(false);
    const v6 = withInternet([ns('a'), pod('a/web'), egressTo('a', 'v6', [{ ipBlock: { cidr: '2000::/3' } }])]);
    expect(ports(v6, 'a/web', 'internet')).toBe('all');
    const priv = withInternet([ns('a'), pod('a/web'), ingressFrom('a', 'office', [{ ipBlock: { cidr: '10.0.0.0/8' } }])]);
    expect(ports(priv, 'internet', 'a/web')).toBe('none');
    expect(priv.evaluate('internet', 'a/web', 8080).sentences).toContain('  - a/office ingress[0] (from ipBlock 10.0.0.0/8, on TCP/8080): the source internet '
      + '(every public address) is not in ipBlock 10.0.0.0/8.');
  });

  test('the answer for one port names the ranges: an allowed verdict says which public addresses, a partial one for which', () => {
    const m = withInternet([ns('a'), pod('a/web'), netpol('a', 'cloud', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '52.0.0.0/8' } }] }] })]);
    const verdict = judgeEndpoints(m, findEndpoint(m, 'a/web')!, findEndpoint(m, 'internet')!, 443, 'TCP');
    expect(verdict.allowed).toBe(true);
    expect(verdict.addresses?.toString()).toBe('52.0.0.0/8');
    expect(verdict.explanation).toMatch(/\(for internet \(52\.0\.0\.0\/8\)\)$/);
  });

  test('an ipBlock covering pod IPs matches those pods where the plugin does, and the internet only by its own addresses', () => {
    const objects = [ns('a'), ns('b'), pod('a/web'), pod('b/client', {}, '10.1.0.5'), ingressFrom('a', 'from-b', [{ ipBlock: { cidr: '10.1.0.0/16' } }])];
    const calico = ReachabilityModel.fromObjects(objects, { internet: true, networkBackend: 'calico' });
    expect(ports(calico, 'b/client', 'a/web')).toBe('TCP 8080');
    expect(ports(calico, 'internet', 'a/web')).toBe('none');
    const undeclared = withInternet(objects);
    expect(ports(undeclared, 'b/client', 'a/web')).toBe('none');
    expect(ports(undeclared.whereIpBlocksMatchPods!, 'b/client', 'a/web')).toBe('TCP 8080');
  });

  test('cluster policies: no subject selects it, namespaces peers never match it, networks peers do, for the part they hold', () => {
    const GROUP = 'policy.networking.k8s.io';
    const m = withInternet([
      ns('a'), pod('a/web'),
      {
        apiVersion: `${GROUP}/v1alpha2`,
        kind: 'ClusterNetworkPolicy',
        metadata: { name: 'guard' },
        spec: {
          tier: 'Admin',
          priority: 10,
          subject: { namespaces: {} },
          ingress: [{ name: 'deny-all-namespaces', action: 'Deny', from: [{ namespaces: {} }] }],
          egress: [{ name: 'no-internet', action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }],
        },
      },
    ]);
    // The Deny of every namespace's pods does not deny the internet, which is in none.
    expect(ports(m, 'internet', 'a/web')).toBe('all');
    // IPv4 is denied; public IPv6 addresses are not.
    expect(ports(m, 'a/web', 'internet')).toBe('all');
    expect(addressesTo(m, 'a/web', 443)).toBe(PUBLIC_ADDRESSES.subtract(AddressSet.family('ipv4')).toString());
    const v4 = m.units.find(u => u.pod.key === 'internet' && u.addresses.first()?.kind() === 'ipv4')!;
    expect(m.judgeUnits(m.pod('a/web').units, [v4], 443, 'TCP').explanation).toMatch(
      /^denied: egress from a\/web is denied by the Admin tier: ClusterNetworkPolicy guard rule no-internet \(priority 10\)/);
  });

  test('an Admin Deny of one range leaves the rest to the NetworkPolicies', () => {
    const m = withInternet([
      ns('a'), pod('a/web'),
      egressTo('a', 'anywhere', [{ ipBlock: { cidr: '0.0.0.0/0' } }]),
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha2',
        kind: 'ClusterNetworkPolicy',
        metadata: { name: 'no-52' },
        spec: { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ name: 'deny-52', action: 'Deny', to: [{ networks: ['52.0.0.0/8'] }] }] },
      },
    ]);
    const open = PUBLIC_ADDRESSES.intersect(AddressSet.family('ipv4')).subtract(AddressSet.ofCidrs(['52.0.0.0/8']));
    expect(addressesTo(m, 'a/web', 443)).toBe(open.toString());
  });

  test('the namespace matrix folds it like any namespace: some public address', () => {
    const m = withInternet([ns('a'), pod('a/web'), pod('a/db', { app: 'db' }), netpol('a', 'db', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] })]);
    const matrix = m.namespaceMatrix();
    expect(matrix.some('internet', 'a').toString()).toBe('all');
    expect(matrix.every('internet', 'a').toString()).toBe('none');
    expect(matrix.some('a', 'internet').toString()).toBe('all');
  });

  test('on a larger cluster, the namespace matrix agrees with the pod pairs for every pair with the internet', () => {
    const FRONTEND = { matchLabels: { app: 'frontend' } };
    // Tenants deny by default; tenant-0001 lets its frontend out to public addresses on 443 and in on 8080.
    const m = withInternet([
      ...syntheticCluster({ tenants: 4, asPods: true }),
      netpol('tenant-0001', 'public-egress', { podSelector: FRONTEND, policyTypes: ['Egress'], egress: [{ to: PUBLIC, ports: [{ port: 443 }] }] }),
      netpol('tenant-0001', 'public-ingress', { podSelector: FRONTEND, policyTypes: ['Ingress'], ingress: [{ from: PUBLIC, ports: [{ port: 8080 }] }] }),
    ]);
    const matrix = m.namespaceMatrix();
    const pods = (name: string) => m.namespaces.find(n => n.name === name)!.pods;
    for (const namespace of m.namespaces.filter(n => n.external !== true)) {
      for (const [from, to] of [[namespace.name, 'internet'], ['internet', namespace.name]]) {
        let some = PortSet.NONE;
        for (const a of pods(from)) for (const b of pods(to)) some = some.union(m.allowedPorts(a.key, b.key));
        expect(`${from} -> ${to}: ${matrix.some(from, to)}`).toBe(`${from} -> ${to}: ${some}`);
      }
    }
    expect(matrix.some('tenant-0001', 'internet').toString()).toBe('TCP 443');
    expect(matrix.some('internet', 'tenant-0001').toString()).toBe('TCP 8080');
    expect(matrix.some('tenant-0002', 'internet').toString()).toBe('none');
    // The ingress controller and kube-system have no policies: open both ways.
    expect(matrix.some('internet', 'ingress-nginx').toString()).toBe('all');
  });

  test('a namespace called internet keeps its name; the node is then (internet)', () => {
    const m = withInternet([ns(INTERNET_NODE), pod('internet/web')]);
    expect(m.namespaces.map(n => n.name)).toEqual([INTERNET_NODE, INTERNET_NODE_FALLBACK]);
    expect(m.internet?.key).toBe(INTERNET_NODE_FALLBACK);
    expect(findEndpoint(m, 'internet')).toMatchObject({ isNamespace: true, pods: [{ key: 'internet/web' }] });
    expect(findEndpoint(m, '(internet)')).toMatchObject({ isNamespace: false, pods: [{ key: '(internet)' }] });
  });

  test('the other addresses: a node for the private, link-local and node addresses outside the pod and Service ranges', () => {
    const cluster = ClusterModel.fromManifests(
      ClusterModel.fromObjects([ns('a'), pod('a/web'), egressTo('a', 'db', [{ ipBlock: { cidr: '10.20.0.0/16' } }])]).objects.map(o => o.manifest),
      ClusterNetwork.of({ podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] }),
    );
    const m = ReachabilityModel.fromCluster(cluster, { internet: true, otherAddresses: true });
    expect(m.namespaces.map(n => n.name)).toEqual(['a', 'internet', '(other addresses)']);
    const other = m.otherAddresses!;
    expect(other.addresses.overlaps(AddressSet.ofCidrs(['10.244.0.0/16', '10.96.0.0/12']))).toBe(false);
    expect(other.addresses.covers(AddressSet.ofCidrs(['169.254.169.254/32', '10.20.0.0/16']))).toBe(true);
    expect(m.addressesOnPort(m.pod('a/web').units, other, 'egress', 5432, 'TCP').toString()).toBe('10.20.0.0/16');
    expect(ports(m, 'a/web', 'internet')).toBe('none');
  });
});

describe('endpoints that hold several pods', () => {
  const m = withInternet([
    ns('a', { team: 'a' }), ns('b'), pod('a/web', { app: 'web' }), pod('a/db', { app: 'db' }), pod('b/client'),
    netpol('a', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'b' } } }] }] }),
    netpol('a', 'db', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
  ]);
  const endpoint = (text: string) => findEndpoint(m, text)!;

  test('a namespace is some pod of it: the first allowed pair, with how many pairs are allowed', () => {
    const v = judgeEndpoints(m, endpoint('b'), endpoint('a'), 8080, 'TCP');
    expect(v).toMatchObject({ allowed: true, allowedPairs: 1, pairs: 2, example: { from: 'b/client', to: 'a/web' } });
    expect(v.summary).toBe('b/client can reach a/web on TCP/8080: 1 of 2 pod pairs from b to a can.');
    expect(v.explanation).toBe('allowed: b/client can reach a/web on TCP/8080 (1 of 2 pod pairs from b to a can): allowed: egress from b/client is not isolated; '
      + 'ingress to a/web is allowed by a/web ingress[0]');
  });

  test('denied: the pair closest to being allowed explains which side is missing', () => {
    const v = judgeEndpoints(m, endpoint('internet'), endpoint('a'), 8080, 'TCP');
    expect(v).toMatchObject({ allowed: false, allowedPairs: 0, pairs: 2 });
    expect(v.summary).toBe('None of the 2 pod pairs from internet to a is allowed on TCP/8080; for example internet to a/db:');
    expect(v.explanation).toMatch(/^denied: none of the 2 pod pairs from internet to a is allowed on TCP\/8080; for example internet to a\/db: denied: ingress to a\/db/);
  });

  test('two single pods give the pair\'s own verdict, without a summary', () => {
    const v = judgeEndpoints(m, endpoint('a/web'), endpoint('internet'), 443, 'TCP');
    expect(v).toMatchObject({ allowed: true, allowedPairs: 1, pairs: 1 });
    expect(v.summary).toBeUndefined();
    expect(v.explanation).toBe(m.evaluate('a/web', 'internet', 443).explanation);
  });

  test('unknown names are undefined; a namespace name never resolves to a pod', () => {
    expect(findEndpoint(m, 'nope')).toBeUndefined();
    expect(findEndpoint(m, 'a/nope')).toBeUndefined();
    expect(endpoint('a')).toMatchObject({ isNamespace: true, text: 'a' });
  });
});

import * as fc from 'fast-check';
import {
  DEFAULT_INGRESS_ANNOTATION_ALLOWANCE, INGRESS_NGINX_ANNOTATIONS, INGRESS_NGINX_PREFIX, IngressAnnotationAllowance,
  NginxAnnotationRisk, refusedIngressAnnotations,
} from '../../src/model/ingress-annotations';

const P = INGRESS_NGINX_PREFIX;
const refused = (annotations: Record<string, string>, allowance: IngressAnnotationAllowance = DEFAULT_INGRESS_ANNOTATION_ALLOWANCE) =>
  refusedIngressAnnotations(annotations, 'customer1', allowance).map(r => r.key);

describe('the catalogue', () => {
  test('is sorted by name, without duplicates, and holds the deputies and risks of ingress-nginx', () => {
    const names = INGRESS_NGINX_ANNOTATIONS.map(a => a.name);
    expect(names).toEqual([...new Set(names)].sort());
    expect(names).toHaveLength(136);
    const of = (name: string) => INGRESS_NGINX_ANNOTATIONS.find(a => a.name === name);
    expect(of('server-alias')).toEqual({ name: 'server-alias', risk: 'High', deputy: 'host' });
    expect(of('configuration-snippet')).toEqual({ name: 'configuration-snippet', risk: 'Critical', deputy: 'configuration' });
    expect(of('auth-url')).toEqual({ name: 'auth-url', risk: 'High', deputy: 'destination' });
    expect(of('auth-secret')).toEqual({ name: 'auth-secret', risk: 'Medium', deputy: 'secret' });
    expect(of('rewrite-target')).toEqual({ name: 'rewrite-target', risk: 'Medium' });
    expect(of('global-rate-limit')).toBeUndefined(); // removed in v1.12
    // Every snippet injects configuration.
    expect(INGRESS_NGINX_ANNOTATIONS.filter(a => a.name.endsWith('-snippet')).every(a => a.deputy === 'configuration')).toBe(true);
  });
});

describe('refusedIngressAnnotations', () => {
  test('refuses what makes the controller act beyond the namespace', () => {
    const found = refusedIngressAnnotations({
      [`${P}server-alias`]: 'shop.customer2.example.com',
      [`${P}configuration-snippet`]: 'proxy_pass http://10.0.0.1;',
      [`${P}auth-url`]: 'http://billing.customer2.svc.cluster.local/internal',
      [`${P}mirror-target`]: 'http://169.254.169.254/latest/meta-data/',
      [`${P}auth-secret`]: 'customer2/x',
    }, 'customer1', DEFAULT_INGRESS_ANNOTATION_ALLOWANCE);
    expect(found.map(f => f.key)).toEqual([
      `${P}server-alias`, `${P}configuration-snippet`, `${P}auth-url`, `${P}mirror-target`, `${P}auth-secret`,
    ]);
    expect(found[0].why).toContain('claim host names');
    expect(found[1].why).toContain('as its own configuration');
    expect(found[2].why).toContain('send requests to "http://billing.customer2.svc.cluster.local/internal"');
    expect(found[3].why).toContain('169.254.169.254');
    expect(found[4].why).toBe('the controller would read Secret "x" of namespace "customer2" for this Ingress, with its own access');
    for (const f of found) expect(f.why).not.toContain('\n');
  });

  test('lets ordinary annotations and Secrets of the namespace through', () => {
    expect(refused({
      [`${P}rewrite-target`]: '/$2',
      [`${P}ssl-redirect`]: 'true',
      [`${P}proxy-body-size`]: '8m',
      [`${P}auth-secret`]: 'basic-auth',
      [`${P}auth-tls-secret`]: 'customer1/client-ca',
      [`${P}custom-headers`]: 'customer1/headers',
    })).toEqual([]);
  });

  test('refuses a risk above the allowance', () => {
    expect(refusedIngressAnnotations({ [`${P}upstream-hash-by`]: '$remote_addr' }, 'customer1', DEFAULT_INGRESS_ANNOTATION_ALLOWANCE))
      .toEqual([{ key: `${P}upstream-hash-by`, why: 'ingress-nginx rates upstream-hash-by High risk, above the allowed Medium' }]);
    expect(refused({ [`${P}proxy-body-size`]: '8m' }, { ...DEFAULT_INGRESS_ANNOTATION_ALLOWANCE, maxRisk: 'Low' })).toEqual([`${P}proxy-body-size`]);
  });

  test('an allowed key passes, except a Secret of another namespace', () => {
    const allowance = { ...DEFAULT_INGRESS_ANNOTATION_ALLOWANCE, allowed: [`${P}auth-url`, `${P}auth-tls-secret`, `${P}my-plugin`] };
    expect(refused({
      [`${P}auth-url`]: 'http://oauth2-proxy.auth.svc/oauth2/auth',
      [`${P}auth-tls-secret`]: 'customer1/ca',
      [`${P}my-plugin`]: 'on',
    }, allowance)).toEqual([]);
    expect(refused({ [`${P}auth-tls-secret`]: 'customer2/ca' }, allowance)).toEqual([`${P}auth-tls-secret`]);
  });

  test('an unknown key is refused; keys of other prefixes are not judged', () => {
    const found = refusedIngressAnnotations({ [`${P}global-rate-limit`]: '100' }, 'customer1', DEFAULT_INGRESS_ANNOTATION_ALLOWANCE);
    expect(found).toHaveLength(1);
    expect(found[0].why).toContain('is not an annotation of ingress-nginx');
    expect(refused({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'kubernetes.io/ingress.class': 'nginx',
      'example.com/server-snippet': 'anything',
    })).toEqual([]);
    // Another controller's prefix is judged by the same catalogue.
    expect(refused({ 'acme.io/server-alias': 'x' }, { ...DEFAULT_INGRESS_ANNOTATION_ALLOWANCE, prefix: 'acme.io/' })).toEqual(['acme.io/server-alias']);
  });

  test('refusal depends only on the stated rules', () => {
    const RISKS: NginxAnnotationRisk[] = ['Low', 'Medium', 'High', 'Critical'];
    const name = fc.oneof(fc.constantFrom(...INGRESS_NGINX_ANNOTATIONS.map(a => a.name)), fc.constantFrom('unknown', 'global-rate-limit'));
    const value = fc.oneof(fc.constantFrom('customer1/x', 'customer2/x', 'x', '/x', 'customer1', ''), fc.string({ maxLength: 8 }));
    const key = fc.oneof(name.map(n => `${P}${n}`), fc.constantFrom('other.io/server-alias', 'nginx.ingress.kubernetes.io', 'app'));
    const allowance = fc.record({
      prefix: fc.constant(P),
      maxRisk: fc.constantFrom(...RISKS),
      allowed: fc.subarray([`${P}server-alias`, `${P}auth-secret`, `${P}unknown`, `${P}upstream-hash-by`, `${P}rewrite-target`]),
    });
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 6 }), allowance, (annotations, a) => {
      const got = new Set(refusedIngressAnnotations(annotations, 'customer1', a).map(r => r.key));
      for (const [k, v] of Object.entries(annotations)) {
        const entry = k.startsWith(P) ? INGRESS_NGINX_ANNOTATIONS.find(e => e.name === k.slice(P.length)) : undefined;
        const allowed = a.allowed.includes(k);
        const expected = !k.startsWith(P) ? false
          : entry === undefined ? !allowed
            : (entry.deputy === 'secret' && v.includes('/') && v.split('/')[0] !== 'customer1')
              || (!allowed && ((entry.deputy !== undefined && entry.deputy !== 'secret') || RISKS.indexOf(entry.risk) > RISKS.indexOf(a.maxRisk)));
        expect(got.has(k)).toBe(expected);
      }
    }));
  });
});

import * as fc from 'fast-check';
import { HostIndex, hostsOverlap } from '../../src/model/hosts';

describe('HostIndex', () => {
  test('a host clashes with the same name and with the wildcard of its parent, from another group only', () => {
    const index = new HostIndex<string>();
    expect(index.claim('shop.example.com', 'a')).toBeUndefined();
    expect(index.claim('*.api.example.com', 'a')).toBeUndefined();
    expect(index.claim('shop.example.com', 'b')).toEqual({ host: 'shop.example.com', owner: 'a', group: 'a' });
    expect(index.claim('v1.api.example.com', 'b')).toMatchObject({ host: '*.api.example.com', owner: 'a' });
    expect(index.claim('*.example.com', 'b')).toMatchObject({ host: 'shop.example.com', owner: 'a' });
    // One more label than the wildcard covers, or the parent itself, is another host.
    expect(index.claim('a.v1.api.example.com', 'b')).toBeUndefined();
    expect(index.claim('api.example.com', 'c')).toBeUndefined();
    // Owners of one group share their hosts.
    expect(index.claim('shop.example.com', 'member', 'a')).toBeUndefined();
  });

  test('agrees with comparing every pair of claims', () => {
    const label = fc.constantFrom('a', 'b', 'c');
    const host = fc.tuple(fc.boolean(), fc.array(label, { minLength: 1, maxLength: 3 }))
      .map(([wildcard, labels]) => `${wildcard ? '*.' : ''}${labels.join('.')}.example.com`);
    fc.assert(fc.property(fc.array(fc.tuple(host, fc.constantFrom('x', 'y', 'z')), { maxLength: 25 }), claims => {
      const index = new HostIndex<string>();
      const accepted: Array<{ host: string; owner: string }> = [];
      for (const [h, owner] of claims) {
        const naive = accepted.find(c => c.owner !== owner && hostsOverlap(c.host, h));
        const clash = index.claim(h, owner);
        expect(clash === undefined).toBe(naive === undefined);
        if (clash) expect(hostsOverlap(clash.host, h) && clash.owner !== owner).toBe(true);
        else accepted.push({ host: h, owner });
      }
    }), { numRuns: 500 });
  });
});

import * as fc from 'fast-check';
import { closestMatch, editDistance } from '../../src/private/suggest';

describe('suggestions for typos', () => {
  test('edit distance counts insertions, deletions, substitutions and swapped neighbours', () => {
    expect(editDistance('metircs', 'metrics')).toBe(1);
    expect(editDistance('metric', 'metrics')).toBe(1);
    expect(editDistance('http', 'grpc')).toBe(4);
    expect(editDistance('', 'dns')).toBe(3);
  });

  test('it is a distance: zero only for equal words, symmetric, and within the longer length', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
      const d = editDistance(a, b);
      expect(d === 0).toBe(a === b);
      expect(editDistance(b, a)).toBe(d);
      expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
    }));
  });

  test('the closest candidate only when it is a plausible typo', () => {
    expect(closestMatch('metircs', ['http', 'metrics', 'grpc'])).toBe('metrics');
    expect(closestMatch('admin', ['http', 'metrics'])).toBeUndefined();
    expect(closestMatch('dsn', ['dns', 'dsn-tcp'])).toBe('dns');
  });
});

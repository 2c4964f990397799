// Kubernetes quantities are read exactly, as integers of nano-units, so totals and comparisons
// need no float tolerance: three containers of 100m fit a quota of 300m, and 0.1 + 0.2 is 0.3.
import * as fc from 'fast-check';
import { parseQuantity, parseQuantityNanos, quantityProblem } from '../../src/private/quantity';

describe('parseQuantityNanos', () => {
  test.each([
    ['500m', 500_000_000n], ['1', 1_000_000_000n], ['1Gi', 2n ** 30n * 10n ** 9n], ['1.5Gi', 3n * 2n ** 29n * 10n ** 9n],
    ['0.1', 100_000_000n], ['.5', 500_000_000n], ['1.', 1_000_000_000n], ['1e3', 10n ** 12n], ['2k', 2n * 10n ** 12n],
    ['-1', -(10n ** 9n)], ['1n', 1n], ['+3u', 3000n],
  ])('%s is %s nano-units', (text, nanos) => {
    expect(parseQuantityNanos(text)).toBe(nanos);
  });

  test('finer than a nano-unit rounds up, as the API server does', () => {
    expect(parseQuantityNanos('1E-10')).toBe(1n);
    expect(parseQuantityNanos('0.0000000001')).toBe(1n);
    expect(parseQuantityNanos('1.0000000001')).toBe(1_000_000_001n);
  });

  test('what is no quantity is undefined', () => {
    for (const text of ['', ' 1', '1 ', 'abc', '1Ki ', '1KB', '--1', '1e', 'Gi']) expect([text, parseQuantityNanos(text)]).toEqual([text, undefined]);
    expect(quantityProblem('1KB')).toMatch(/is not a Kubernetes quantity/);
  });

  test('sums are exact where floats are not', () => {
    expect(parseQuantityNanos('0.1')! + parseQuantityNanos('0.2')!).toBe(parseQuantityNanos('0.3'));
    expect(3n * parseQuantityNanos('100m')!).toBe(parseQuantityNanos('300m'));
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  test('milli-units written in any form agree (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), milli => {
      const exact = BigInt(milli) * 1_000_000n;
      expect(parseQuantityNanos(`${milli}m`)).toBe(exact);
      expect(parseQuantityNanos((milli / 1000).toFixed(3))).toBe(exact);
      expect(parseQuantityNanos(`${milli}e-3`)).toBe(exact);
      expect(parseQuantity(`${milli}m`)).toBeCloseTo(milli / 1000, 9);
    }));
  });
});

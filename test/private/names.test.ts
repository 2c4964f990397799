import { joinName } from '../../src/private/names';

describe('readable names', () => {
  test('joining two parts never says the same words twice', () => {
    expect(joinName('ingress-nginx', 'ingress-nginx')).toBe('ingress-nginx');
    expect(joinName('checkout', 'checkout-api')).toBe('checkout-api');
    expect(joinName('customer1-backend', 'backend')).toBe('customer1-backend');
    expect(joinName('shop', 'web')).toBe('shop-web');
    // Only whole words: "check" is not a word of "checkout-api".
    expect(joinName('check', 'checkout-api')).toBe('check-checkout-api');
  });
});

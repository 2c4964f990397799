import { cidrBounds, minimalCidrs, opensAnyOf, parseCidr, parseIp, unmapped } from '../../src/private/cidr';
import { isPrivateBlock, NON_PUBLIC_RANGES, nonPublicExcepts } from '../../src/private/special-ranges';

const c = (text: string) => parseCidr(text)!;

describe('the strict parser', () => {
  test.each(['012.0.0.1', '0xa.0.0.1', '10.0.0', '10.0.0.1.', ' 10.0.0.1', 'fe80::1%eth0', '::ffff:012.0.0.1', '::ffff:0xa.0.0.1', '00000::1', '1::2::3'])(
    'refuses the address %s', text => expect(parseIp(text)).toBeUndefined());
  test.each(['012.0.0.0/8', '0xa.0.0.0/8', '10.0.0.0/08', '10.0.0.0/+8', '10.0.0.0/33', 'fe80::1%eth0/64', '::/129', '10.0.0.0/8/8'])(
    'refuses the CIDR %s', text => expect(parseCidr(text)).toBeUndefined());
  test('reads IPv4-mapped IPv6 as IPv6, and unmapped() as the IPv4 block it embeds', () => {
    const mapped = c('::ffff:10.0.0.0/104');
    expect(mapped.family).toBe('ipv6');
    const v4 = unmapped(mapped);
    expect([v4.family, v4.address.toString(), v4.prefix]).toEqual(['ipv4', '10.0.0.0', 8]);
    expect(unmapped(c('::/0'))).toEqual(c('::/0'));
  });
});

describe('address arithmetic', () => {
  test('opensAnyOf subtracts every except, also when several together cover the target', () => {
    expect(opensAnyOf(c('0.0.0.0/0'), [], c('169.254.169.254/32'))).toBe(true);
    expect(opensAnyOf(c('0.0.0.0/0'), [c('169.254.0.0/16')], c('169.254.169.254/32'))).toBe(false);
    expect(opensAnyOf(c('169.254.0.0/16'), [c('169.254.0.0/17'), c('169.254.128.0/17')], c('169.254.0.0/16'))).toBe(false);
    expect(opensAnyOf(c('169.254.0.0/16'), [c('169.254.0.0/17'), c('169.254.129.0/24')], c('169.254.0.0/16'))).toBe(true);
    expect(opensAnyOf(c('10.0.0.0/8'), [], c('169.254.0.0/16'))).toBe(false);
    expect(opensAnyOf(c('::/0'), [], c('169.254.0.0/16'))).toBe(false); // never across families
  });

  test('minimalCidrs drops contained blocks, merges siblings and sorts by address', () => {
    expect(minimalCidrs(['240.0.0.0/4', '10.1.0.0/16', '224.0.0.0/4', '10.0.0.0/8', '9.0.0.0/8'])).toEqual(['9.0.0.0/8', '10.0.0.0/8', '224.0.0.0/3']);
    expect(minimalCidrs(['::1/128', '::/96', 'fe80::/10'])).toEqual(['::/96', 'fe80::/10']);
  });

  test('the special-purpose table: every entry parses in canonical form; the except lists cover every entry', () => {
    for (const r of NON_PUBLIC_RANGES) expect(`${c(r.cidr).address.toString()}/${c(r.cidr).prefix}`).toBe(r.cidr);
    for (const r of NON_PUBLIC_RANGES) {
      const family = c(r.cidr).family;
      expect(opensAnyOf(c(family === 'ipv4' ? '0.0.0.0/0' : '::/0'), nonPublicExcepts(family).map(c), c(r.cidr))).toBe(false);
    }
    expect(cidrBounds(c('10.0.0.0/8'))).toEqual([0x0a000000n, 0x0affffffn]);
  });

  test('private means RFC 1918, fc00::/7 (also mapped) and declared ranges, not link-local, loopback or CGNAT', () => {
    expect(['10.1.0.0/16', '172.16.0.0/12', '192.168.1.0/24', 'fd00::/8', '::ffff:10.0.0.0/104'].map(x => isPrivateBlock(x))).toEqual([true, true, true, true, true]);
    expect(['169.254.0.0/16', 'fe80::/10', '100.64.0.0/10', '127.0.0.1/32', '0.0.0.0/0', '10.0.0.0/7'].map(x => isPrivateBlock(x))).toEqual([false, false, false, false, false, false]);
    expect(isPrivateBlock('100.64.1.0/24', ['100.64.0.0/16'])).toBe(true);
  });
});

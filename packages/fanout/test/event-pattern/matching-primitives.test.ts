import { describe, expect, it } from 'vitest';
import { inCidrBlock, parseCidr } from '../../src/matching/cidr.js';
import { parseIpAddress } from '../../src/matching/ip-address.js';
import { decimalPlaces, inNumericRange, parseNumericExpression } from '../../src/matching/numeric-range.js';
import { compileWildcard, parseWildcard } from '../../src/matching/wildcard.js';

function block(text: string) {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.block;
}

function matcher(text: string): (value: string) => boolean {
  const parsed = parseWildcard(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return compileWildcard(parsed.pattern);
}

describe('IP addresses and CIDR blocks', () => {
  it('read IPv4 and every IPv6 compression, and refuse the rest', () => {
    expect(parseIpAddress('10.0.0.255')).toMatchObject({ ok: true, bytes: new Uint8Array([10, 0, 0, 255]) });
    expect(parseIpAddress('10.0.0.256')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseIpAddress('::1')).toMatchObject({ ok: true });
    expect(parseIpAddress('2001:db8::')).toMatchObject({ ok: true });
    expect(parseIpAddress('1::2::3')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseIpAddress('1:2:3:4:5:6:7')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseIpAddress('12345::')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseIpAddress('example.com')).toEqual({ ok: false, reason: 'nonstandard' });
    // An IPv4-mapped IPv6 address is the IPv4 address.
    expect(parseIpAddress('::ffff:a00:1')).toMatchObject({ ok: true, bytes: new Uint8Array([10, 0, 0, 1]) });
  });

  it('parse blocks with AWS reasons and test membership by family', () => {
    expect(parseCidr('10.0.0.0/')).toEqual({ ok: false, reason: "Malformed CIDR, one '/' required" });
    expect(parseCidr('10.0.0.0/8/8')).toEqual({ ok: false, reason: "Malformed CIDR, one '/' required" });
    expect(parseCidr('10.0.0.0/x')).toEqual({ ok: false, reason: 'Malformed CIDR, mask bits must be an integer' });
    expect(parseCidr('10.0.0.0/-1')).toEqual({ ok: false, reason: 'Malformed CIDR, mask bits must not be negative' });
    expect(parseCidr('10.0.0.999/8')).toEqual({ ok: false, reason: 'Invalid IP address: 10.0.0.999' });
    expect(parseCidr('::/128')).toEqual({ ok: false, reason: 'IPv6 mask bits must be < 128' });
    const v4 = block('10.0.0.0/24');
    expect(inCidrBlock(v4, '10.0.0.0')).toBe(true);
    expect(inCidrBlock(v4, '10.0.0.255')).toBe(true);
    expect(inCidrBlock(v4, '10.0.1.0')).toBe(false);
    expect(inCidrBlock(v4, '9.255.255.255')).toBe(false);
    expect(inCidrBlock(v4, '::ffff:a00:1')).toBe(true);
    expect(inCidrBlock(v4, 167772161)).toBe(false);
    const wide = block('0.0.0.0/0');
    expect(inCidrBlock(wide, '255.255.255.255')).toBe(true);
    expect(inCidrBlock(wide, '::1')).toBe(false);
    const v6 = block('2001:db8:1234:1a00::/56');
    expect(inCidrBlock(v6, '2001:db8:1234:1aff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(inCidrBlock(v6, '2001:db8:1234:1b00::')).toBe(false);
    const odd = block('10.0.0.0/13');
    expect(inCidrBlock(odd, '10.7.255.255')).toBe(true);
    expect(inCidrBlock(odd, '10.8.0.0')).toBe(false);
  });
});

describe('numeric expressions', () => {
  it('read every form, with 0 as a bound', () => {
    const range = (expression: unknown) => {
      const parsed = parseNumericExpression(expression, '/n');
      if (!parsed.ok) throw new Error(parsed.problem.message);
      return parsed.range;
    };
    expect(inNumericRange(range(['>', 0]), 0)).toBe(false);
    expect(inNumericRange(range(['>=', 0]), 0)).toBe(true);
    expect(inNumericRange(range(['<', 0]), -0.1)).toBe(true);
    expect(inNumericRange(range(['<=', 0]), 0)).toBe(true);
    expect(inNumericRange(range(['=', 0]), -0)).toBe(true);
    expect(inNumericRange(range(['>', -1, '<', 0]), -0.5)).toBe(true);
    expect(inNumericRange(range(['>', -1, '<', 0]), 0)).toBe(false);
  });

  it('report problems at the offending element', () => {
    expect(parseNumericExpression(['=', 1, 2], '/n')).toEqual({ ok: false, problem: { path: '/n/2', message: 'Too many elements in numeric expression' } });
    expect(parseNumericExpression(['>', 1, '<', 2, 3], '/n')).toEqual({ ok: false, problem: { path: '/n/4', message: 'Too many terms in numeric range expression' } });
    expect(parseNumericExpression(['<', 1, '>', 0], '/n')).toEqual({ ok: false, problem: { path: '/n/2', message: 'Too many elements in numeric expression' } });
    expect(parseNumericExpression([{}, 1], '/n')).toEqual({ ok: false, problem: { path: '/n/0', message: 'Invalid member in numeric match: {' } });
  });

  it('count decimals also in exponent notation', () => {
    expect(decimalPlaces(1)).toBe(0);
    expect(decimalPlaces(1.25)).toBe(2);
    expect(decimalPlaces(1.5e-7)).toBe(8);
    expect(decimalPlaces(1e21)).toBe(0);
  });
});

describe('wildcards', () => {
  it('match runs of any characters, anchored at both ends', () => {
    expect(matcher('*')('')).toBe(true);
    expect(matcher('')('')).toBe(true);
    expect(matcher('')('a')).toBe(false);
    expect(matcher('a*')('abc')).toBe(true);
    expect(matcher('*c')('abc')).toBe(true);
    expect(matcher('a*c')('ac')).toBe(true);
    expect(matcher('a*c')('ab')).toBe(false);
    expect(matcher('ab*ba')('aba')).toBe(false);
    expect(matcher('*a*a*')('aa')).toBe(true);
    expect(matcher('*a*a*')('a')).toBe(false);
    expect(matcher('x*yz*yz')('xyzyz')).toBe(true);
    expect(matcher('x*yz*yz')('xyz')).toBe(false);
  });

  it('read escapes for literal stars and backslashes', () => {
    expect(matcher('a\\*')('a*')).toBe(true);
    expect(matcher('a\\*')('ab')).toBe(false);
    expect(matcher('a\\\\*')('a\\bc')).toBe(true);
    expect(parseWildcard('a\\')).toEqual({ ok: false, reason: 'Invalid escape character at pos 2' });
    expect(parseWildcard('😀**')).toEqual({ ok: false, reason: 'Consecutive wildcard characters at pos 5' });
  });
});

import { describe, expect, it } from 'vitest';
import {
  anyOf,
  anythingBut,
  anythingButPrefix,
  anythingButSuffix,
  cidr,
  compileFilterPolicy,
  either,
  equalsIgnoreCase,
  exists,
  filterPolicy,
  type FilterPolicyMessage,
  type FilterPolicyRule,
  InvalidFilterPolicyError,
  numeric,
  oneOf,
  prefix,
  range,
  suffix,
  validateFilterPolicy,
  wildcard,
} from '@herald/fanout';

const numberAttribute = (value: string): FilterPolicyMessage => ({ attributes: { n: { DataType: 'Number', StringValue: value } } });

describe('filter policy builders', () => {
  it('build the policy of the example and it evaluates as written', () => {
    const policy = filterPolicy({ status: numeric('>=', 500), region: oneOf('eu-west-1') });
    expect(policy).toEqual({ status: [{ numeric: ['>=', 500] }], region: ['eu-west-1'] });
    const matches = compileFilterPolicy(policy);
    const message = (status: string, region: string): FilterPolicyMessage => ({
      attributes: { status: { DataType: 'Number', StringValue: status }, region: { DataType: 'String', StringValue: region } },
    });
    expect(matches(message('503', 'eu-west-1'))).toBe(true);
    expect(matches(message('500', 'eu-west-1'))).toBe(true);
    expect(matches(message('499', 'eu-west-1'))).toBe(false);
    expect(matches(message('503', 'us-east-1'))).toBe(false);
  });

  it('keep 0 as a real bound', () => {
    expect(numeric('>', 0)).toEqual([{ numeric: ['>', 0] }]);
    expect(numeric('>=', 0, '<', 1)).toEqual([{ numeric: ['>=', 0, '<', 1] }]);
    expect(range({ gte: 0, lt: 100 })).toEqual([{ numeric: ['>=', 0, '<', 100] }]);
    expect(range({ gt: -10, lte: 0 })).toEqual([{ numeric: ['>', -10, '<=', 0] }]);
    expect(range({ lte: 0 })).toEqual([{ numeric: ['<=', 0] }]);
    expect(range({ gt: 0 })).toEqual([{ numeric: ['>', 0] }]);
    const inRange = compileFilterPolicy(filterPolicy({ n: range({ gte: 0, lt: 100 }) }));
    expect(inRange(numberAttribute('0'))).toBe(true);
    expect(inRange(numberAttribute('-0.5'))).toBe(false);
    expect(inRange(numberAttribute('99.99'))).toBe(true);
    expect(inRange(numberAttribute('100'))).toBe(false);
    const positive = compileFilterPolicy(filterPolicy({ n: range({ gt: 0 }) }));
    expect(positive(numberAttribute('0'))).toBe(false);
    expect(positive(numberAttribute('0.001'))).toBe(true);
  });

  it('never produce an empty list', () => {
    expect(() => oneOf()).toThrow(RangeError);
    expect(() => oneOf()).toThrow(/at least one value/);
    expect(() => anyOf()).toThrow(RangeError);
    expect(() => anyOf([] as unknown as FilterPolicyRule)).toThrow(RangeError);
    expect(() => anythingBut()).toThrow(RangeError);
    expect(() => filterPolicy({ region: [] as unknown as FilterPolicyRule })).toThrow(RangeError);
    expect(() => filterPolicy({ detail: { state: [] as unknown as FilterPolicyRule } }, { scope: 'MessageBody' })).toThrow(/\/detail\/state has no condition/);
    expect(() => either({ a: oneOf('x') })).toThrow(RangeError);
  });

  it('refuse values that are not JSON, mixed lists, unknown operators and bounds out of order', () => {
    expect(() => oneOf(Number.NaN)).toThrow(RangeError);
    expect(() => oneOf(Infinity)).toThrow(RangeError);
    expect(() => oneOf({} as unknown as string)).toThrow(TypeError);
    expect(() => oneOf(undefined as unknown as string)).toThrow(TypeError);
    expect(() => anythingBut('a', 1 as unknown as string)).toThrow(TypeError);
    expect(() => numeric('!' as '=', 1)).toThrow(TypeError);
    expect(() => numeric('<' as '>', 1, '<', 5)).toThrow(TypeError);
    expect(() => numeric('>', 5, '<', 1)).toThrow(RangeError);
    expect(() => numeric('>', 5, '<', 5)).toThrow(RangeError);
    expect(() => numeric('=', Number.NaN)).toThrow(RangeError);
    expect(() => range({})).toThrow(RangeError);
    expect(() => range({ gt: 1, gte: 2 })).toThrow(RangeError);
    expect(() => range({ lt: 1, lte: 2 })).toThrow(RangeError);
    expect(() => range({ gte: 10, lte: 10 })).toThrow(RangeError);
    expect(() => anythingButPrefix('')).toThrow(RangeError);
    expect(() => anythingButSuffix('')).toThrow(RangeError);
    expect(() => prefix(1 as unknown as string)).toThrow(TypeError);
    expect(() => exists('yes' as unknown as boolean)).toThrow(TypeError);
  });

  it('check the whole policy as SNS would', () => {
    const six = Object.fromEntries('abcdef'.split('').map((key) => [key, oneOf('x')]));
    expect(() => filterPolicy(six)).toThrow(InvalidFilterPolicyError);
    expect(() => filterPolicy({ detail: { state: oneOf('x') } })).toThrow(/does not support nested filter policy/);
    expect(() => filterPolicy({ ip: cidr('10.0.0.0') })).toThrow(/Malformed CIDR/);
    expect(() => filterPolicy({ name: wildcard('a**b') })).toThrow(/Consecutive wildcard characters/);
    const many = Array.from({ length: 151 }, (_, i) => `v${i}`);
    expect(() => filterPolicy({ key: oneOf(...many) })).toThrow(expect.objectContaining({ code: 'InvalidFilterPolicy' }));
    expect(filterPolicy({ detail: { state: oneOf('x') } }, { scope: 'MessageBody' })).toEqual({ detail: { state: ['x'] } });
  });

  it('produce output that validateFilterPolicy accepts, and JSON that round-trips', () => {
    const rules: [string, FilterPolicyRule][] = [
      ['oneOf', oneOf('a', 1, true, null)],
      ['numeric', numeric('=', 301.5)],
      ['range', range({ gt: 0, lte: 5 })],
      ['prefix', prefix('order-')],
      ['suffix', suffix('.png')],
      ['equalsIgnoreCase', equalsIgnoreCase('Tennis')],
      ['wildcard', wildcard('*ball')],
      ['cidr', cidr('2001:db8::/32')],
      ['exists', exists()],
      ['absent', exists(false)],
      ['anythingBut', anythingBut('rugby', 'tennis')],
      ['anythingButNumbers', anythingBut(100, 500)],
      ['anythingButOne', anythingBut(0)],
      ['anythingButPrefix', anythingButPrefix('order-')],
      ['anythingButSuffix', anythingButSuffix('ball')],
      ['anyOf', anyOf(prefix('eu-'), oneOf('us-east-1'), exists(false))],
    ];
    for (const [name, rule] of rules) {
      for (const scope of ['MessageAttributes', 'MessageBody'] as const) {
        const policy = filterPolicy({ key: rule }, { scope });
        expect(validateFilterPolicy(policy, { scope }), name).toMatchObject({ valid: true, problems: [] });
        expect(validateFilterPolicy(JSON.stringify(policy), { scope }).valid, name).toBe(true);
        expect(JSON.parse(JSON.stringify(policy)), name).toEqual(policy);
      }
    }
    expect(anyOf(prefix('eu-'), oneOf('us-east-1'))).toEqual([{ prefix: 'eu-' }, 'us-east-1']);
    expect(anythingBut(0)).toEqual([{ 'anything-but': 0 }]);
  });

  it('build $or alternatives with either', () => {
    const policy = filterPolicy({
      source: oneOf('aws.cloudwatch'),
      ...either({ metricName: oneOf('CPUUtilization') }, { namespace: oneOf('AWS/EC2') }),
    });
    expect(policy).toEqual({ source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] });
    const matches = compileFilterPolicy(policy);
    const attrs = (entries: Record<string, string>): FilterPolicyMessage => ({
      attributes: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
    });
    expect(matches(attrs({ source: 'aws.cloudwatch', namespace: 'AWS/EC2' }))).toBe(true);
    expect(matches(attrs({ source: 'aws.cloudwatch', namespace: 'AWS/ES' }))).toBe(false);
  });

  it('return a frozen policy that later changes to the rules do not reach', () => {
    const rule = [...oneOf('a')] as unknown as FilterPolicyRule;
    const policy = filterPolicy({ key: rule });
    (rule as unknown as string[]).push('b');
    expect(policy).toEqual({ key: ['a'] });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy['key'])).toBe(true);
  });

  it('keep keys named like Object.prototype members (__proto__, constructor) as keys, so the policy still filters', () => {
    // Attribute names come from data: JSON.parse, Object.fromEntries and computed keys make own "__proto__" keys.
    const fields = Object.fromEntries([['__proto__', oneOf('admin')], ['constructor', prefix('web-')]]) as Record<string, FilterPolicyRule>;
    const policy = filterPolicy(fields);
    expect(Object.keys(policy)).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(policy))).toEqual(JSON.parse('{"__proto__":["admin"],"constructor":[{"prefix":"web-"}]}'));
    expect(Object.getPrototypeOf(policy)).toBe(Object.prototype);
    const matches = compileFilterPolicy(policy);
    const attributes = (role: string, origin: string): FilterPolicyMessage => ({
      attributes: JSON.parse(
        JSON.stringify({ ['__proto__']: { DataType: 'String', StringValue: role }, constructor: { DataType: 'String', StringValue: origin } }),
      ) as FilterPolicyMessage['attributes'],
    });
    expect(matches(attributes('admin', 'web-1'))).toBe(true);
    expect(matches(attributes('guest', 'web-1'))).toBe(false);
    expect(matches({ attributes: { other: { DataType: 'String', StringValue: 'x' } } })).toBe(false);
    // Nested (MessageBody) and inside $or too.
    const nested = filterPolicy(
      { order: Object.fromEntries([['__proto__', oneOf('x')]]) as Record<string, FilterPolicyRule>, ...either(fields, { kind: oneOf('k') }) },
      { scope: 'MessageBody' },
    );
    expect(JSON.stringify(nested)).toBe('{"order":{"__proto__":["x"]},"$or":[{"__proto__":["admin"],"constructor":[{"prefix":"web-"}]},{"kind":["k"]}]}');
    expect(compileFilterPolicy(nested, { scope: 'MessageBody' })({ body: '{"order":{"y":1},"kind":"k"}' })).toBe(false);
  });
});

import {
  compileEventPattern,
  compileFilterPolicy,
  InvalidEventPatternError,
  InvalidFilterPolicyError,
  matchesEventPattern,
  matchesFilterPolicy,
  validateEventPattern,
  validateFilterPolicy,
  type EventPattern,
  type FilterPolicy,
} from '@herald/fanout';
import { describe, expect, it } from 'vitest';
import { subscribeQueue } from '../../src/subscriptions/index.js';
import { scriptedSnsSqs } from '../subscriptions/scripted-sns-sqs.js';

class OrderFilter {
  readonly kind = ['placed'];
}

/** Objects that are not plain: `{}` is what most of them have as own enumerable keys. */
const NOT_PLAIN: readonly (readonly [string, object, string])[] = [
  ['a Date', new Date(0), 'a Date object'],
  ['a Map', new Map([['kind', ['placed']]]), 'a Map object'],
  ['a Set', new Set(['placed']), 'a Set object'],
  ['a class instance', new OrderFilter(), 'an OrderFilter object'],
  ['a RegExp', /placed/, 'a RegExp object'],
  ['a boxed string', new String('{"kind":["placed"]}'), 'a String object'],
];

const message = { attributes: { kind: { DataType: 'String', StringValue: 'other' } }, body: '{"kind":"other"}' };
const event = { source: 'shop', kind: 'other' };

describe('policies and patterns that are not plain objects', () => {
  it.each(NOT_PLAIN)('%s is no filter policy: a problem at the root, and compile/matches throw', (_, value, named) => {
    for (const scope of ['MessageAttributes', 'MessageBody'] as const) {
      const validation = validateFilterPolicy(value, { scope });
      expect(validation.valid).toBe(false);
      expect(validation.problems).toEqual([{ path: '', message: expect.stringContaining(`not ${named}`) as unknown }]);
      expect(validation.problems[0]?.message).toMatch(/plain object or JSON text/);
      expect(() => compileFilterPolicy(value as FilterPolicy, { scope })).toThrow(InvalidFilterPolicyError);
      expect(() => matchesFilterPolicy(value as FilterPolicy, message, { scope })).toThrow(InvalidFilterPolicyError);
    }
  });

  it.each(NOT_PLAIN)('%s is no event pattern: a problem at the root, and compile/matches throw', (_, value, named) => {
    const validation = validateEventPattern(value);
    expect(validation.valid).toBe(false);
    expect(validation.problems).toEqual([{ path: '', message: expect.stringContaining(`not ${named}`) as unknown }]);
    expect(() => compileEventPattern(value as EventPattern)).toThrow(InvalidEventPatternError);
    expect(() => matchesEventPattern(value as EventPattern, event)).toThrow(InvalidEventPatternError);
  });

  it('an array at the top level is refused by both validators', () => {
    expect(validateFilterPolicy([{ kind: ['placed'] }])).toMatchObject({ valid: false, problems: [{ path: '' }] });
    expect(validateEventPattern([{ kind: ['placed'] }])).toMatchObject({ valid: false, problems: [{ path: '' }] });
    expect(() => compileFilterPolicy([] as unknown as FilterPolicy)).toThrow(InvalidFilterPolicyError);
    expect(() => compileEventPattern([] as unknown as EventPattern)).toThrow(InvalidEventPatternError);
  });

  it('a Date where a list is expected is reported at its key, by name', () => {
    const policy = { kind: new Date(0), store: ['north'] };
    for (const scope of ['MessageAttributes', 'MessageBody'] as const) {
      expect(validateFilterPolicy(policy, { scope }).problems).toEqual([
        { path: '/kind', message: '"kind" must be a plain object or an array, not a Date object' },
      ]);
    }
    expect(validateEventPattern({ detail: { kind: new Date(0) } }).problems).toEqual([
      { path: '/detail/kind', message: '"kind" must be a plain object or an array, not a Date object' },
    ]);
  });

  it('a class instance nested in a MessageBody policy or a pattern is refused instead of read as its fields', () => {
    const policy = { order: new OrderFilter() };
    expect(validateFilterPolicy(policy, { scope: 'MessageBody' }).problems).toEqual([
      { path: '/order', message: '"order" must be a plain object or an array, not an OrderFilter object' },
    ]);
    expect(() => compileFilterPolicy(policy as unknown as FilterPolicy, { scope: 'MessageBody' })).toThrow(InvalidFilterPolicyError);
    expect(() => compileEventPattern({ detail: new OrderFilter() } as unknown as EventPattern)).toThrow(InvalidEventPatternError);
  });

  it('non-plain objects inside a list, an operator or $or are reported at their path', () => {
    const inList = validateFilterPolicy({ kind: ['placed', new Date(0), new Number(3)] });
    expect(inList.problems.map((p) => p.path)).toEqual(['/kind/1', '/kind/2']);
    expect(inList.problems[0]?.message).toMatch(/not a Date object/);
    expect(inList.problems[1]?.message).toMatch(/not a Number object/);
    expect(validateEventPattern({ detail: { kind: [{ 'anything-but': new Set(['x']) }] } })).toMatchObject({
      valid: false,
      problems: [{ path: '/detail/kind/0/anything-but' }],
    });
    expect(validateEventPattern({ kind: [{ prefix: new Map([['equals-ignore-case', 'a']]) }] })).toMatchObject({
      valid: false,
      problems: [{ path: '/kind/0/prefix' }],
    });
    expect(validateFilterPolicy({ $or: [{ kind: ['a'] }, new OrderFilter()] })).toMatchObject({
      valid: false,
      problems: [{ path: '/$or/1' }],
    });
  });

  it('objects without a prototype are plain: they validate and match like object literals', () => {
    const policy = Object.assign(Object.create(null) as Record<string, unknown>, { kind: ['placed'] });
    expect(validateFilterPolicy(policy).valid).toBe(true);
    expect(matchesFilterPolicy(policy as FilterPolicy, { attributes: { kind: { DataType: 'String', StringValue: 'placed' } } })).toBe(true);
    expect(matchesFilterPolicy(policy as FilterPolicy, message)).toBe(false);
    const pattern = Object.assign(Object.create(null) as Record<string, unknown>, { kind: ['placed'] });
    expect(matchesEventPattern(pattern as EventPattern, { kind: 'placed' })).toBe(true);
    expect(matchesEventPattern(pattern as EventPattern, event)).toBe(false);
  });

  it('subscribeQueue refuses a Date as filterPolicy before any call, instead of subscribing without a filter', async () => {
    const aws = scriptedSnsSqs();
    const topicArn = aws.addTopic('arn:aws:sns:us-east-1:111122223333:orders');
    const queue = aws.addQueue('shipping');
    await expect(
      subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn, queueUrl: queue.url, filterPolicy: new Date(0) as unknown as FilterPolicy }),
    ).rejects.toBeInstanceOf(InvalidFilterPolicyError);
    expect(aws.sent).toEqual([]);
  });
});

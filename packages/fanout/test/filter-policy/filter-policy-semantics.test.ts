import { describe, expect, it } from 'vitest';
import {
  compileFilterPolicy,
  type FilterPolicy,
  type FilterPolicyMessage,
  InvalidFilterPolicyError,
  matchesFilterPolicy,
  validateFilterPolicy,
} from '@herald/fanout';

const attr = (DataType: string, StringValue: string): { DataType: string; StringValue: string } => ({ DataType, StringValue });
const withAttributes = (attributes: FilterPolicyMessage['attributes']): FilterPolicyMessage => ({ attributes });

describe('matchesFilterPolicy, MessageAttributes scope', () => {
  it('reads custom String.* and Number.* types as strings and numbers, and ignores Binary', () => {
    expect(matchesFilterPolicy({ a: ['x'] }, withAttributes({ a: attr('String.custom', 'x') }))).toBe(true);
    expect(matchesFilterPolicy({ a: [{ numeric: ['>', 1] }] }, withAttributes({ a: attr('Number.float', '1.5') }))).toBe(true);
    expect(matchesFilterPolicy({ a: [1.5] }, withAttributes({ a: attr('Number', '15e-1') }))).toBe(true);
    expect(matchesFilterPolicy({ a: ['1.5'] }, withAttributes({ a: attr('Number', '1.5') }))).toBe(false);
    expect(matchesFilterPolicy({ a: [1.5] }, withAttributes({ a: attr('String', '1.5') }))).toBe(false);
    const binary = { a: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) }, b: attr('String', 'y') };
    expect(matchesFilterPolicy({ a: [{ exists: true }] }, withAttributes(binary))).toBe(false);
    expect(matchesFilterPolicy({ a: [{ exists: false }] }, withAttributes(binary))).toBe(true);
  });

  it('matches each String.Array element on its own, whatever its JSON type', () => {
    const array = withAttributes({ a: attr('String.Array', '["x", 5, true, null]') });
    expect(matchesFilterPolicy({ a: ['x'] }, array)).toBe(true);
    expect(matchesFilterPolicy({ a: [5] }, array)).toBe(true);
    expect(matchesFilterPolicy({ a: [{ numeric: ['>=', 5] }] }, array)).toBe(true);
    expect(matchesFilterPolicy({ a: [true] }, array)).toBe(true);
    expect(matchesFilterPolicy({ a: [null] }, array)).toBe(true);
    expect(matchesFilterPolicy({ a: ['5'] }, array)).toBe(false);
    expect(matchesFilterPolicy({ a: [{ prefix: 'y' }] }, array)).toBe(false);
    // Not a JSON array: SNS refuses such a message at Publish; here it matches nothing.
    expect(matchesFilterPolicy({ a: [{ exists: true }] }, withAttributes({ a: attr('String.Array', 'x'), b: attr('String', 'y') }))).toBe(false);
  });

  it('takes attribute names literally, dots and prototype names included', () => {
    expect(matchesFilterPolicy({ 'a.b': ['x'] }, withAttributes({ 'a.b': attr('String', 'x') }))).toBe(true);
    expect(matchesFilterPolicy({ constructor: [{ exists: true }] }, withAttributes({ b: attr('String', 'x') }))).toBe(false);
    expect(matchesFilterPolicy({ constructor: [{ exists: false }] }, withAttributes({ b: attr('String', 'x') }))).toBe(true);
    expect(matchesFilterPolicy({ toString: ['x'] }, withAttributes({ toString: attr('String', 'x') }))).toBe(true);
  });

  it('matches nothing without attributes, and everything with the empty policy', () => {
    expect(matchesFilterPolicy({ a: [{ exists: false }] }, {})).toBe(false);
    expect(matchesFilterPolicy({ a: [{ exists: false }] }, withAttributes({}))).toBe(false);
    expect(matchesFilterPolicy({}, {})).toBe(true);
    expect(matchesFilterPolicy('{}', withAttributes({ a: attr('String', 'x') }))).toBe(true);
  });

  it('evaluates $or within $or', () => {
    const policy: FilterPolicy = { a: ['1'], $or: [{ b: ['2'] }, { c: ['3'], $or: [{ d: ['4'] }, { e: ['5'] }] }] };
    const matches = compileFilterPolicy(policy);
    const of = (entries: Record<string, string>): FilterPolicyMessage =>
      withAttributes(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, attr('String', v)])));
    expect(matches(of({ a: '1', b: '2' }))).toBe(true);
    expect(matches(of({ a: '1', c: '3', e: '5' }))).toBe(true);
    expect(matches(of({ a: '1', c: '3' }))).toBe(false);
    expect(matches(of({ a: '1', d: '4' }))).toBe(false);
    expect(matches(of({ b: '2' }))).toBe(false);
  });

  it('keeps a 0 bound and compares numbers numerically', () => {
    const policy = { n: [{ numeric: ['>=', 0, '<', 1] }] } as const;
    const of = (value: string): FilterPolicyMessage => withAttributes({ n: attr('Number', value) });
    expect(matchesFilterPolicy(policy, of('0'))).toBe(true);
    expect(matchesFilterPolicy(policy, of('-0'))).toBe(true);
    expect(matchesFilterPolicy(policy, of('0.999'))).toBe(true);
    expect(matchesFilterPolicy(policy, of('1'))).toBe(false);
    expect(matchesFilterPolicy(policy, of('-1e-9'))).toBe(false);
    expect(matchesFilterPolicy({ n: [{ 'anything-but': 0 }] }, of('0.0'))).toBe(false);
  });
});

describe('matchesFilterPolicy, MessageBody scope', () => {
  const body = (value: unknown): FilterPolicyMessage => ({ body: value });
  const options = { scope: 'MessageBody' } as const;

  it('takes the body as JSON text or parsed, and needs a JSON object', () => {
    const policy = { a: ['x'] };
    expect(matchesFilterPolicy(policy, body('{"a":"x"}'), options)).toBe(true);
    expect(matchesFilterPolicy(policy, body({ a: 'x' }), options)).toBe(true);
    expect(matchesFilterPolicy({ a: [{ exists: false }] }, body('[1]'), options)).toBe(false);
    expect(matchesFilterPolicy({ a: [{ exists: false }] }, body('not json'), options)).toBe(false);
    expect(matchesFilterPolicy({ a: [{ exists: false }] }, body(undefined), options)).toBe(false);
    expect(matchesFilterPolicy({ a: [{ exists: false }] }, body({}), options)).toBe(true);
  });

  it('treats null and "" as absent for exists, and arrays with no leaf values as absent too', () => {
    for (const value of [null, '', [], [null], {}]) {
      expect(matchesFilterPolicy({ a: [{ exists: true }] }, body({ a: value }), options), JSON.stringify(value)).toBe(false);
      expect(matchesFilterPolicy({ a: [{ exists: false }] }, body({ a: value }), options), JSON.stringify(value)).toBe(true);
    }
    expect(matchesFilterPolicy({ a: [{ exists: true }] }, body({ a: [null, 0] }), options)).toBe(true);
    expect(matchesFilterPolicy({ a: [null] }, body({ a: null }), options)).toBe(true);
    expect(matchesFilterPolicy({ a: [''] }, body({ a: '' }), options)).toBe(true);
  });

  it('follows dotted keys on both sides and nested arrays', () => {
    expect(matchesFilterPolicy({ a: { b: ['x'] } }, body({ 'a.b': 'x' }), options)).toBe(true);
    expect(matchesFilterPolicy({ a: { b: ['x'], c: ['y'] } }, body({ a: { c: 'y' }, 'a.b': 'x' }), options)).toBe(true);
    expect(matchesFilterPolicy({ 'a.b': ['x'] }, body({ a: [{ b: 'y' }, { b: ['z', 'x'] }] }), options)).toBe(true);
    expect(matchesFilterPolicy({ 'a.b': ['x'] }, body({ a: { b: { c: 'x' } } }), options)).toBe(false);
  });

  it('refuses a message that is not an object, and an unknown scope', () => {
    expect(() => matchesFilterPolicy({ a: ['x'] }, null as unknown as FilterPolicyMessage, options)).toThrow(TypeError);
    expect(() => compileFilterPolicy({ a: ['x'] }, { scope: 'Body' as 'MessageBody' })).toThrow(TypeError);
    expect(() => validateFilterPolicy({ a: ['x'] }, { scope: 'Body' as 'MessageBody' })).toThrow(/MessageAttributes/);
  });

  it('answers the same for a policy given as text, repeatedly (compiled once and reused)', () => {
    const text = JSON.stringify({ a: [{ prefix: 'x' }] });
    for (let i = 0; i < 3; i += 1) {
      expect(matchesFilterPolicy(text, body({ a: 'xyz' }), options)).toBe(true);
      expect(matchesFilterPolicy(text, body({ a: 'yz' }), options)).toBe(false);
    }
    // The same text in the other scope is another policy.
    expect(() => matchesFilterPolicy(JSON.stringify({ a: { b: ['x'] } }), body({ a: { b: 'x' } }))).toThrow(InvalidFilterPolicyError);
    expect(matchesFilterPolicy(JSON.stringify({ a: { b: ['x'] } }), body({ a: { b: 'x' } }), options)).toBe(true);
  });
});

describe('validateFilterPolicy', () => {
  it('reports every problem with a JSON Pointer path, in order', () => {
    const result = validateFilterPolicy({
      'a/b': [],
      c: [{ numeric: ['>', 1, '<'] }],
      d: [{ 'anything-but': ['x', 2] }],
      e: 'x',
      f: [{ prefix: 'x', suffix: 'y' }],
    });
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      { path: '/a~1b', message: 'Empty arrays are not allowed' },
      { path: '/c/0/numeric/2', message: 'Value of < must be numeric' },
      { path: '/d/0/anything-but', message: 'Inside anything but list, either all values are number or string, mixed type is not supported' },
      { path: '/e', message: '"e" must be an object or an array' },
      { path: '/f/0/suffix', message: 'Only one key allowed in match expression' },
    ]);
  });

  it('counts keys and combinations as SNS does, for each scope', () => {
    const nested = { a: { b: ['1', '2'] }, c: ['1', '2', '3'], $or: [{ d: ['1'] }, { e: ['1', '2'] }] };
    expect(validateFilterPolicy(nested, { scope: 'MessageBody' })).toMatchObject({ valid: true, combinations: 2 * 2 * 3 * 3, keyCount: 4 });
    expect(validateFilterPolicy({ a: ['1', '2'], $or: [{ b: ['1'] }, { c: ['1'] }] })).toMatchObject({ combinations: 4, keyCount: 3 });
    const deep = { top: { k1: ['x'], k2: ['x'], k3: ['x'], k4: ['x'], k5: ['x'], k6: ['x'] } };
    expect(validateFilterPolicy(deep, { scope: 'MessageBody' })).toMatchObject({ valid: true, keyCount: 1 });
  });

  it('warns about numbers SNS compares with less precision, without refusing them', () => {
    const result = validateFilterPolicy({ a: [{ numeric: ['>', 0.000001] }], b: [2e9] });
    expect(result.valid).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(['/a/0/numeric/1', '/b/0']);
  });

  it('refuses text that is not JSON, and JSON that is not an object', () => {
    expect(validateFilterPolicy('{"a": [}').problems[0]).toMatchObject({ path: '', message: expect.stringMatching(/^failed to parse JSON\. /) });
    for (const value of ['[]', '"x"', 'null', 42, null, ['a']]) {
      expect(validateFilterPolicy(value).problems).toEqual([{ path: '', message: 'Filter is not an object' }]);
    }
  });

  it('refuses values that are not JSON, and cycles, instead of overflowing the stack', () => {
    expect(validateFilterPolicy({ a: [undefined] }).problems[0]?.message).toBe('Match value must be String, number, true, false, or null');
    expect(validateFilterPolicy({ a: [Number.NaN] }).valid).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(validateFilterPolicy(cyclic, { scope: 'MessageBody' }).valid).toBe(false);
  });

  it('gives the thrown error the problems, a stable code and no retry', () => {
    try {
      compileFilterPolicy({ a: [] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidFilterPolicyError);
      const invalid = error as InvalidFilterPolicyError;
      expect(invalid.code).toBe('InvalidFilterPolicy');
      expect(invalid.retryable).toBe(false);
      expect(invalid.scope).toBe('MessageAttributes');
      expect(invalid.problems).toEqual([{ path: '/a', message: 'Empty arrays are not allowed' }]);
      expect(invalid.message).toContain('/a: Empty arrays are not allowed');
    }
  });
});

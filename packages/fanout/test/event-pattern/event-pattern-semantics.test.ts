import { describe, expect, it } from 'vitest';
import {
  compileEventPattern,
  type EventPattern,
  InvalidEventError,
  InvalidEventPatternError,
  matchesEventPattern,
  validateEventPattern,
} from '@herald/fanout';

const event = (detail: unknown): Record<string, unknown> => ({
  version: '0',
  id: '1',
  'detail-type': 'Test',
  source: 'test',
  account: '123456789012',
  time: '2024-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail,
});

describe('matchesEventPattern', () => {
  it('counts null as a value for exists, unlike SNS', () => {
    expect(matchesEventPattern({ detail: { a: [{ exists: true }] } }, event({ a: null }))).toBe(true);
    expect(matchesEventPattern({ detail: { a: [{ exists: false }] } }, event({ a: null }))).toBe(false);
    expect(matchesEventPattern({ detail: { a: [{ exists: true }] } }, event({ a: '' }))).toBe(true);
    expect(matchesEventPattern({ detail: { a: [{ exists: false }] } }, event({ a: [] }))).toBe(true);
  });

  it('matches anything-but against values of other types and null, never a missing field', () => {
    const pattern: EventPattern = { detail: { a: [{ 'anything-but': ['x'] }] } };
    expect(matchesEventPattern(pattern, event({ a: 1 }))).toBe(true);
    expect(matchesEventPattern(pattern, event({ a: false }))).toBe(true);
    expect(matchesEventPattern(pattern, event({ a: null }))).toBe(true);
    expect(matchesEventPattern(pattern, event({ a: 'x' }))).toBe(false);
    expect(matchesEventPattern(pattern, event({ a: ['x', 'y'] }))).toBe(true);
    expect(matchesEventPattern(pattern, event({}))).toBe(false);
  });

  it('matches a nested pattern inside one array element only (array-consistent)', () => {
    const pattern: EventPattern = { detail: { items: { kind: ['book'], price: [{ numeric: ['<', 10] }] } } };
    expect(matchesEventPattern(pattern, event({ items: [{ kind: 'book', price: 20 }, { kind: 'pen', price: 5 }] }))).toBe(false);
    expect(matchesEventPattern(pattern, event({ items: [{ kind: 'pen', price: 5 }, { kind: 'book', price: 8 }] }))).toBe(true);
    // exists:false inside an element, and an empty array where objects were expected.
    expect(matchesEventPattern({ detail: { items: { gift: [{ exists: false }] } } }, event({ items: [] }))).toBe(true);
    expect(matchesEventPattern({ detail: { items: { gift: [{ exists: false }] } } }, event({ items: [{ gift: true }, {}] }))).toBe(true);
    expect(matchesEventPattern({ detail: { items: { gift: [{ exists: false }] } } }, event({ items: [{ gift: true }] }))).toBe(false);
  });

  it('evaluates $or at any level', () => {
    const pattern: EventPattern = { source: ['test'], detail: { $or: [{ a: [1] }, { b: [{ prefix: 'x' }] }] } };
    expect(matchesEventPattern(pattern, event({ b: 'xy' }))).toBe(true);
    expect(matchesEventPattern(pattern, event({ a: 1 }))).toBe(true);
    expect(matchesEventPattern(pattern, event({ a: 2, b: 'y' }))).toBe(false);
  });

  it('never finds keys on the prototype', () => {
    expect(matchesEventPattern({ constructor: [{ exists: true }] }, event({}))).toBe(false);
    expect(matchesEventPattern('{"detail": {"__proto__": [{"exists": false}]}}', event({}))).toBe(true);
    expect(matchesEventPattern('{"detail": {"__proto__": ["x"]}}', JSON.parse('{"detail": {"__proto__": "x"}}'))).toBe(true);
    expect(matchesEventPattern({ detail: { hasOwnProperty: ['x'] } }, event({ hasOwnProperty: 'x' }))).toBe(true);
  });

  it('takes the event as text or object, and refuses what is not an object', () => {
    const matches = compileEventPattern({ source: ['test'] });
    expect(matches(JSON.stringify(event({})))).toBe(true);
    expect(matches(event({}))).toBe(true);
    for (const bad of [null, undefined, 42, 'text', '[1]', '"x"', ['a']]) {
      expect(() => matches(bad), String(bad)).toThrow(InvalidEventError);
    }
    expect(() => matches('text')).toThrow(expect.objectContaining({ code: 'InvalidEvent', retryable: false }));
  });

  it('answers the same for a pattern given as text, repeatedly', () => {
    const text = JSON.stringify({ detail: { n: [{ numeric: ['>', 0] }] } });
    for (let i = 0; i < 3; i += 1) {
      expect(matchesEventPattern(text, event({ n: 1 }))).toBe(true);
      expect(matchesEventPattern(text, event({ n: 0 }))).toBe(false);
    }
  });
});

describe('validateEventPattern', () => {
  it('refuses the empty pattern, unlike SNS', () => {
    expect(validateEventPattern({}).problems).toEqual([{ path: '', message: 'Empty objects are not allowed' }]);
    expect(validateEventPattern({ a: undefined }).problems).toEqual([{ path: '', message: 'Empty objects are not allowed' }]);
  });

  it('ignores keys whose value is undefined, as JSON.stringify does', () => {
    interface TaskPattern extends EventPattern {
      readonly source: readonly string[];
      readonly detail?: EventPattern;
    }
    const pattern: TaskPattern = { source: ['test'], detail: undefined };
    expect(validateEventPattern(pattern).valid).toBe(true);
    expect(matchesEventPattern(pattern, event({}))).toBe(true);
  });

  it('refuses numeric values beyond ±5e9 and accepts them at the limit', () => {
    expect(validateEventPattern({ a: [{ numeric: ['<', -5.000001e9] }] }).problems).toEqual([
      { path: '/a/0/numeric/1', message: 'Value must be between -5.0E9 and 5.0E9, inclusive' },
    ]);
    expect(validateEventPattern({ a: [{ 'anything-but': [1, 6e9] }] }).problems[0]?.path).toBe('/a/0/anything-but/1');
    expect(validateEventPattern({ a: [{ numeric: ['>=', -5e9, '<=', 5e9] }] }).valid).toBe(true);
  });

  it('refuses reserved names inside $or and a $or that is not a list of objects', () => {
    expect(validateEventPattern({ $or: [{ prefix: ['a'] }, { b: ['c'] }] }).problems[0]).toEqual({
      path: '/$or/0/prefix',
      message: 'prefix is Ruler reserved fieldName which cannot be used inside $or.',
    });
    expect(validateEventPattern({ $or: { a: ['b'] } }).problems[0]?.message).toBe('It must be an Array followed with $or.');
    expect(validateEventPattern({ $or: [{ a: ['b'] }, 'c'] }).problems[0]).toEqual({
      path: '/$or/1',
      message: 'Only JSON object is allowed in array of $or relationship.',
    });
  });

  it('refuses wildcard values with too many wildcards, warns before, and reads escapes', () => {
    expect(validateEventPattern({ a: [{ wildcard: 'a*b*c*d*e*f*' }] }).problems[0]?.message).toMatch(/^Rule is too complex/);
    const three = validateEventPattern({ a: [{ wildcard: '*a*b*' }] });
    expect(three.valid).toBe(true);
    expect(three.warnings).toHaveLength(1);
    expect(validateEventPattern({ a: [{ wildcard: 'a\\b' }] }).problems[0]?.message).toBe('Invalid escape character at pos 2');
    expect(validateEventPattern({ a: [{ wildcard: 'é**' }] }).problems[0]?.message).toBe('Consecutive wildcard characters at pos 3');
  });

  it('warns about more decimals than EventBridge compares', () => {
    expect(validateEventPattern({ a: [{ numeric: ['=', 1.0000001] }] }).warnings).toHaveLength(1);
    expect(validateEventPattern({ a: [{ numeric: ['=', 1.000001] }] }).warnings).toHaveLength(0);
  });

  it('throws the problems from compile', () => {
    expect(() => compileEventPattern({ a: [{ cidr: '10.0.0.0/33' }] })).toThrow(InvalidEventPatternError);
    expect(() => compileEventPattern({ a: [{ cidr: '10.0.0.0/33' }] })).toThrow(
      expect.objectContaining({ code: 'InvalidEventPattern', problems: [{ path: '/a/0/cidr', message: 'IPv4 mask bits must be < 32' }] }),
    );
  });
});

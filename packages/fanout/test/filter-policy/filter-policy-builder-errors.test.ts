import { either, filterPolicy, type FilterPolicyFields, type FilterPolicyRule, oneOf } from '@herald/fanout';
import { describe, expect, it } from 'vitest';

/** The message of what `build` throws. */
function thrown(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

const notFields = (value: unknown): FilterPolicyFields => value as FilterPolicyFields;
const empty = [] as unknown as FilterPolicyRule;

describe('builder errors name the offending part with a JSON Pointer, as the validators do', () => {
  it('an either branch that is not a plain object of rules', () => {
    const message = thrown(() => either({ a: oneOf('x') }, notFields('b')));
    expect(message).toBe('either: branch /$or/1 must be a plain object of rules, got "b".');
    expect(thrown(() => either(notFields(null), { a: oneOf('x') }))).toBe('either: branch /$or/0 must be a plain object of rules, got null.');
  });

  it('an empty rule inside an either branch, top level or nested', () => {
    expect(thrown(() => either({ a: oneOf('x') }, { kind: empty }))).toMatch(/^either: \/\$or\/1\/kind has no condition; /);
    expect(thrown(() => either({ order: { kind: empty } }, { a: oneOf('x') }))).toMatch(/^either: \/\$or\/0\/order\/kind has no condition; /);
  });

  it('in filterPolicy: an empty rule, nested, and a value that is neither a rule nor an object of rules', () => {
    expect(thrown(() => filterPolicy({ region: empty }))).toMatch(/^filterPolicy: \/region has no condition; /);
    expect(thrown(() => filterPolicy({ detail: { state: empty } }, { scope: 'MessageBody' }))).toMatch(
      /^filterPolicy: \/detail\/state has no condition; /,
    );
    expect(thrown(() => filterPolicy(notFields({ detail: { state: 'running' } }), { scope: 'MessageBody' }))).toBe(
      'filterPolicy: /detail/state must be a rule (oneOf, prefix, numeric, ...) or a plain object of rules, got "running".',
    );
    expect(thrown(() => filterPolicy(notFields('x')))).toBe('filterPolicy takes a plain object of rules, got "x".');
  });

  it('keys with "/", "~" or dots are escaped as RFC 6901 says, so the path reads back unambiguously', () => {
    expect(thrown(() => filterPolicy({ 'a/b': { 'c~d': empty, 'e.f': oneOf('x') } }, { scope: 'MessageBody' }))).toMatch(
      /^filterPolicy: \/a~1b\/c~0d has no condition; /,
    );
    expect(thrown(() => filterPolicy({ 'e.f': empty }))).toMatch(/^filterPolicy: \/e\.f has no condition; /);
  });

  it('no path in any builder error ends with a separator', () => {
    const messages = [
      thrown(() => either({ a: oneOf('x') }, notFields(1))),
      thrown(() => either({ a: notFields(2) as unknown as FilterPolicyRule }, { b: oneOf('x') })),
      thrown(() => filterPolicy(notFields({ a: { b: true } }), { scope: 'MessageBody' })),
    ];
    for (const message of messages) {
      const path = /^(?:either|filterPolicy): (?:branch )?(\S+) /.exec(message)?.[1];
      expect(path, message).toMatch(/^(?:\/[^/\s]+)+$/);
    }
  });
});

describe('builders refuse objects that are not plain (they would read as {}, a policy matching every message)', () => {
  class Rules {
    readonly kind = oneOf('placed');
  }

  it('filterPolicy, either and nested objects of rules name the class', () => {
    expect(thrown(() => filterPolicy(notFields(new Date(0))))).toBe('filterPolicy takes a plain object of rules, got a Date object.');
    expect(thrown(() => filterPolicy(notFields(new Rules())))).toBe('filterPolicy takes a plain object of rules, got a Rules object.');
    expect(thrown(() => either({ a: oneOf('x') }, notFields(new Map())))).toBe('either: branch /$or/1 must be a plain object of rules, got a Map object.');
    expect(thrown(() => filterPolicy(notFields({ order: new Date(0) }), { scope: 'MessageBody' }))).toBe(
      'filterPolicy: /order must be a rule (oneOf, prefix, numeric, ...) or a plain object of rules, got a Date object.',
    );
  });

  it('objects without a prototype are plain', () => {
    const fields = Object.assign(Object.create(null) as Record<string, FilterPolicyRule>, { kind: oneOf('placed') });
    expect(filterPolicy(fields)).toEqual({ kind: ['placed'] });
  });
});

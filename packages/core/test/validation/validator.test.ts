import { Ajv } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { HeraldError } from '../../src/errors.js';
import { ValidationError, createValidator } from '../../src/validation/validator.js';

interface Order {
  id: string;
  qty: number;
  tags?: string[];
}

const orderSchema = {
  type: 'object',
  required: ['id', 'qty'],
  properties: {
    id: { type: 'string', minLength: 1 },
    qty: { type: 'integer', minimum: 1 },
    tags: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
};

describe('createValidator', () => {
  const isOrder = createValidator<Order>(orderSchema);

  it('works as a type guard', () => {
    const input: unknown = { id: 'o-1', qty: 2 };
    expect(isOrder(input)).toBe(true);
    if (isOrder(input)) expect(input.qty).toBe(2); // typed as Order here
    expect(isOrder({ id: 'o-1' })).toBe(false);
    expect(isOrder('nope')).toBe(false);
  });

  it('validate returns the value, or every problem as data with JSON Pointer paths', () => {
    expect(isOrder.validate({ id: 'o-1', qty: 1, tags: ['a'] })).toEqual({
      valid: true,
      value: { id: 'o-1', qty: 1, tags: ['a'] },
    });
    const result = isOrder.validate({ qty: 0, tags: ['ok', 7], extra: true });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    const byPath = Object.fromEntries(result.errors.map((issue) => [issue.path, issue]));
    expect(Object.keys(byPath).sort()).toEqual(['', '/id', '/qty', '/tags/1']);
    expect(byPath['/id']).toMatchObject({ keyword: 'required', params: { missingProperty: 'id' } });
    expect(byPath['/qty']).toMatchObject({ keyword: 'minimum', message: 'must be >= 1' });
    expect(byPath['/tags/1']).toMatchObject({ keyword: 'type', message: 'must be string' });
    expect(byPath['']).toMatchObject({ keyword: 'additionalProperties', params: { additionalProperty: 'extra' } });
  });

  it('assert returns the typed value or throws a ValidationError listing every problem', () => {
    expect(isOrder.assert({ id: 'x', qty: 3 })).toEqual({ id: 'x', qty: 3 });
    let caught: unknown;
    try {
      isOrder.assert({ id: '', qty: 'two' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toBeInstanceOf(HeraldError);
    const error = caught as ValidationError;
    expect(error.code).toBe('ValidationFailed');
    expect(error.retryable).toBe(false);
    expect(error.name).toBe('ValidationError');
    expect(error.errors.map((issue) => issue.path).sort()).toEqual(['/id', '/qty']);
    expect(error.message).toContain('/id must NOT have fewer than 1 characters');
    expect(error.message).toContain('/qty must be integer');
  });

  it('summarises at most five problems in the message', () => {
    const validator = createValidator<Record<string, number>>({
      type: 'object',
      additionalProperties: { type: 'number' },
    });
    const value = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, 'x']));
    const error = (() => {
      try {
        validator.assert(value);
      } catch (caught) {
        return caught as ValidationError;
      }
      throw new Error('expected a ValidationError');
    })();
    expect(error.errors).toHaveLength(8);
    expect(error.message).toContain('and 3 more');
  });

  it('escapes JSON Pointer characters in missing property names', () => {
    const validator = createValidator({ type: 'object', required: ['a/b', 'c~d'] });
    const result = validator.validate({});
    expect(result.valid ? [] : result.errors.map((issue) => issue.path)).toEqual(['/a~1b', '/c~0d']);
  });

  it('compiles the schema once, with the given ajv instance as is', () => {
    const ajv = new Ajv(); // allErrors off: stops at the first problem
    const compile = vi.spyOn(ajv, 'compile');
    const validator = createValidator<Order>(orderSchema, { ajv });
    expect(compile).toHaveBeenCalledTimes(1);
    validator({ id: 'a', qty: 1 });
    validator.validate({});
    validator.validate({ qty: 'x' });
    expect(compile).toHaveBeenCalledTimes(1);
    const result = validator.validate({ qty: 0 });
    expect(result.valid ? 0 : result.errors.length).toBe(1);
  });

  it('throws at creation for an invalid schema', () => {
    expect(() => createValidator({ type: 'not-a-type' })).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { HeraldError } from '../src/errors.js';

class ExampleError extends HeraldError {
  constructor(cause?: unknown) {
    super('Example', 'Example failed. Do the other thing.', { retryable: true, cause });
  }
}

describe('HeraldError', () => {
  it('carries code, retryable (default false) and cause', () => {
    const cause = new Error('root');
    const error = new HeraldError('Broken', 'It broke. Fix it.', { cause });
    expect(error.code).toBe('Broken');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('It broke. Fix it.');
    expect(error.name).toBe('HeraldError');
    expect(error).toBeInstanceOf(Error);
  });

  it('names subclasses after themselves', () => {
    const error = new ExampleError();
    expect(error.name).toBe('ExampleError');
    expect(error.retryable).toBe(true);
    expect(error).toBeInstanceOf(HeraldError);
    expect('cause' in error).toBe(false);
  });
});

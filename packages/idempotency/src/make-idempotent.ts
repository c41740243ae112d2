import type { Validator } from '@herald/core';
import { ValidationError } from '@herald/core';
import type { IdempotencyOptions } from './idempotency-options.js';
import { createIdempotencyRunner, isLambdaContext } from './idempotency-runner.js';

/** Options for {@link makeIdempotent}. */
export interface MakeIdempotentOptions<TInput> extends IdempotencyOptions {
  /**
   * The idempotency key of an input, e.g. `(refund) => refund.paymentReference`. Must return a
   * non-empty string of at most 2,048 bytes (with the scope). Default: `hashPayload(input)`,
   * where object key order never matters and array order does.
   */
  key?: (input: TInput) => string;
  /**
   * A validator from `createValidator` (`@herald/core`). An input it rejects throws
   * `ValidationError` with the ajv errors as data, before any lock is taken or `fn` runs.
   */
  validator?: Validator<TInput>;
}

/**
 * Wraps `fn` so its effect happens once per idempotency key, however often it is called:
 * SNS, SQS and Lambda deliver at least once, and clients retry.
 *
 * The key and the payload hash come from the first argument, computed when the call starts
 * (a function that later mutates its input still completes its own record). A call then takes
 * the key's lock with one conditional write:
 *
 * - no live record: `fn` runs; its result is stored (status `COMPLETED`) and returned. If `fn`
 *   throws, the record is deleted, so a retry runs `fn` again, and the error is rethrown.
 * - a completed record: its stored result is returned and `fn` does not run.
 * - a record in progress: {@link IdempotencyInProgressError} (retryable), or with
 *   `waitForInProgress`, the other call's result once it is stored.
 *
 * Results are stored as JSON: repeated calls get `JSON.parse(JSON.stringify(result))` (a
 * `Date` comes back as a string); a result that JSON cannot hold, or that is over the store's
 * item limit, throws {@link IdempotencyResultNotStorableError}. If the second argument is a
 * Lambda context, the lock expires when the invocation would end.
 *
 * @param fn - The function whose effect must happen once per key. Its first argument is the input.
 * @param options - See {@link MakeIdempotentOptions}.
 * @returns A function with the same arguments that resolves to `fn`'s result.
 * @example
 * ```ts
 * const refund = makeIdempotent(
 *   async (request: RefundRequest) => payments.refund(request),
 *   { store: createDynamoDbStore({ client, tableName: 'idempotency' }), key: (r) => r.paymentReference, payloadValidation: true },
 * );
 * export const handler = (event: RefundRequest, context: Context) => refund(event, context);
 * ```
 */
export function makeIdempotent<TArgs extends [unknown, ...unknown[]], TResult>(
  fn: (...args: TArgs) => TResult | PromiseLike<TResult>,
  options: MakeIdempotentOptions<TArgs[0]>,
): (...args: TArgs) => Promise<TResult> {
  if (typeof fn !== 'function') throw new TypeError('makeIdempotent: fn must be a function.');
  const runner = createIdempotencyRunner(options);
  const { key, validator } = options;
  if (key !== undefined && typeof key !== 'function') throw new TypeError('makeIdempotent: key must be a function when given.');
  if (validator !== undefined && typeof validator.validate !== 'function') {
    throw new TypeError('makeIdempotent: validator must come from createValidator.');
  }

  return async (...args: TArgs): Promise<TResult> => {
    const input = args[0];
    if (validator !== undefined) {
      const checked = validator.validate(input);
      if (!checked.valid) throw new ValidationError(checked.errors);
    }
    const call = runner.prepare(input, key, isLambdaContext(args[1]) ? args[1] : undefined);
    return runner.run(call, () => fn(...args));
  };
}

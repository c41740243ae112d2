import { HeraldError } from '@herald/core';

/** Options shared by the idempotency errors. */
export interface IdempotencyErrorOptions {
  /** The underlying error, kept as `Error.cause`. */
  cause?: unknown;
}

/**
 * Another call holds the lock for this idempotency key: it is running the function now, or it
 * crashed and its lock has not expired yet. Retryable: try again later (SQS does so by itself
 * when the record is reported as a batch item failure).
 *
 * The message names the key, never the payload.
 */
export class IdempotencyInProgressError extends HeraldError {
  /** The idempotency key (with its scope prefix, as stored). */
  readonly key: string;
  /**
   * When the other call's lock expires, in epoch milliseconds. A retry at that time or later
   * either gets the stored result or takes over the lock; the other call may finish sooner.
   */
  readonly lockExpiresAt: number;
  /** Milliseconds from the moment of the error until {@link lockExpiresAt} (0 or more). */
  readonly retryAfterMs: number;

  /**
   * @param key - The idempotency key.
   * @param lockExpiresAt - When the other call's lock expires, in epoch milliseconds.
   * @param nowMs - The current time, in epoch milliseconds.
   */
  constructor(key: string, lockExpiresAt: number, nowMs: number) {
    const retryAfterMs = Math.max(0, lockExpiresAt - nowMs);
    const at = new Date(lockExpiresAt);
    super(
      'IdempotencyInProgress',
      `Idempotency key "${key}" is being processed by another call; retry after it completes ` +
        `(its lock expires in ${retryAfterMs} ms${Number.isNaN(at.getTime()) ? '' : `, at ${at.toISOString()}`}).`,
      { retryable: true },
    );
    this.key = key;
    this.lockExpiresAt = lockExpiresAt;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * With payload validation on, a call used an idempotency key already stored for a different
 * payload. Usually a key function that leaves out a field that matters, or a client reusing a
 * request id. Not retryable. The message names the key, never the payloads.
 */
export class IdempotencyPayloadMismatchError extends HeraldError {
  /** The idempotency key (with its scope prefix, as stored). */
  readonly key: string;

  /** @param key - The idempotency key. */
  constructor(key: string) {
    super(
      'IdempotencyPayloadMismatch',
      `Idempotency key "${key}" was already used for a different payload; use a new key for a new request, ` +
        'or make the key function include every field that makes requests different.',
    );
    this.key = key;
  }
}

/**
 * No usable idempotency key: the key function threw, or returned something that is not a
 * non-empty string. Not retryable: the same input gives the same result.
 */
export class IdempotencyKeyError extends HeraldError {
  /** @param message - What was wrong. @param options - The cause, if the key function threw. */
  constructor(message: string, options: IdempotencyErrorOptions = {}) {
    super('IdempotencyKeyInvalid', message, options);
  }
}

/** Why a result could not be stored: see {@link IdempotencyResultNotStorableError}. */
export type ResultNotStorableReason = 'too-large' | 'not-json';

/**
 * The function ran, but its result cannot be stored: it is not JSON-serialisable (a `BigInt`, a
 * cycle) or the record would exceed the store's item limit (DynamoDB: 400 KB). The lock is
 * released, so a retry runs the function again: return something small (an id, a reference to
 * where the full result lives) from idempotent functions.
 */
export class IdempotencyResultNotStorableError extends HeraldError {
  /** The idempotency key (with its scope prefix, as stored). */
  readonly key: string;
  /** Why the result could not be stored. */
  readonly reason: ResultNotStorableReason;

  /**
   * @param key - The idempotency key.
   * @param reason - Why the result could not be stored.
   * @param detail - A sentence with the specifics (sizes, the serialisation error).
   * @param options - The cause.
   */
  constructor(key: string, reason: ResultNotStorableReason, detail: string, options: IdempotencyErrorOptions = {}) {
    super('IdempotencyResultNotStorable', `The result for idempotency key "${key}" cannot be stored: ${detail}`, options);
    this.key = key;
    this.reason = reason;
  }
}

/**
 * The store could not be read or written (after retries of throttling and network errors), or
 * it answered something that is not an idempotency record. `retryable` follows the cause.
 */
export class IdempotencyStoreError extends HeraldError {
  /** The idempotency key the operation was for. */
  readonly key: string;

  /**
   * @param key - The idempotency key.
   * @param message - What failed.
   * @param options - The cause and whether a retry may succeed.
   */
  constructor(key: string, message: string, options: IdempotencyErrorOptions & { retryable?: boolean } = {}) {
    super('IdempotencyStoreFailed', message, options);
    this.key = key;
  }
}

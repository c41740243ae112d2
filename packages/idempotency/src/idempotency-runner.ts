import { randomUUID } from 'node:crypto';
import {
  fullJitter,
  guardLogger,
  hashPayload,
  isRetryableAwsError,
  isWellFormedUtf16,
  retry,
  silentLogger,
  sleep,
  systemClock,
  utf8ByteLength,
} from '@herald/core';
import {
  IdempotencyInProgressError,
  IdempotencyKeyError,
  IdempotencyPayloadMismatchError,
  IdempotencyResultNotStorableError,
  IdempotencyStoreError,
} from './errors.js';
import type { IdempotencyOptions, LambdaContextLike } from './idempotency-options.js';
import { LocalRecordCache } from './local-cache.js';
import { type IdempotencyRecord, isRecordLive } from './record.js';

const DEFAULT_EXPIRES_AFTER_SECONDS = 3_600;
const DEFAULT_IN_PROGRESS_TIMEOUT_MS = 60_000;
const DEFAULT_CACHE_ENTRIES = 256;
/**
 * Longest record lifetime accepted: 366 days. Longer is almost always milliseconds given as
 * seconds (86,400,000 "seconds" is 2.7 years).
 */
const MAX_EXPIRES_AFTER_SECONDS = 366 * 24 * 3_600;
/** Longest lock accepted: 24 hours (a Lambda invocation lasts 15 minutes at most). */
const MAX_IN_PROGRESS_MS = 24 * 3_600 * 1_000;
/** DynamoDB's limit on a partition key value. */
const MAX_KEY_BYTES = 2_048;
/** Times in a row the lock may be found free and then taken by another caller before giving up. */
const MAX_ACQUIRE_RACES = 5;

/** One call, with everything computed from its input before the function runs. */
export interface IdempotentCall {
  /** The stored key (scope prefix included). */
  readonly key: string;
  /** Hash of the input, when payload validation is on. */
  readonly payloadHash: string | undefined;
  /** The invocation's Lambda context, if any. */
  readonly lambdaContext: LambdaContextLike | undefined;
}

/** The engine behind `makeIdempotent` and the SQS handler. */
export interface IdempotencyRunner {
  /** Computes the call's key (from `key` when given, else the hash of `input`) and payload hash, now. */
  prepare(input: unknown, key: ((input: never) => unknown) | undefined, lambdaContext: LambdaContextLike | undefined): IdempotentCall;
  /** Runs `fn` at most once per live record of `call.key`, or returns the stored result. */
  run<T>(call: IdempotentCall, fn: () => T | PromiseLike<T>): Promise<T>;
}

function positive(name: string, value: number | undefined, fallback: number, integer: boolean, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max && (!integer || Number.isInteger(value));
  if (!ok) {
    throw new RangeError(
      `makeIdempotent: ${name} must be a positive ${integer ? 'integer' : 'number'} of at most ${max}, got ${String(value)}.`,
    );
  }
  return value;
}

/** `true`, `false`, `undefined` or an options object; anything else (`'false'`, `1`) is a mistake. */
function switchOption<T extends object>(name: string, value: boolean | T | undefined): T | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {} as T;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  throw new TypeError(`makeIdempotent: ${name} must be true, false or an options object, got ${JSON.stringify(value) ?? typeof value}.`);
}

/** Epoch seconds at or after `ms`: a record then lives at least as long as asked. */
const ceilSeconds = (ms: number): number => Math.ceil(ms / 1000);

/** Whether `value` looks like a Lambda context. */
export function isLambdaContext(value: unknown): value is LambdaContextLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { getRemainingTimeInMillis?: unknown }).getRemainingTimeInMillis === 'function'
  );
}

function errorSummary(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.name, reason: error.message } : { error: typeof error };
}

/**
 * Builds the idempotency engine from validated options.
 *
 * @param options - The shared idempotency options.
 */
export function createIdempotencyRunner(options: IdempotencyOptions): IdempotencyRunner {
  const { store } = options;
  if (typeof store !== 'object' || store === null || typeof store.acquire !== 'function') {
    throw new TypeError('makeIdempotent: options.store must be an idempotency store (createDynamoDbStore or createMemoryStore).');
  }
  const expiresAfterSeconds = positive(
    'expiresAfterSeconds',
    options.expiresAfterSeconds,
    DEFAULT_EXPIRES_AFTER_SECONDS,
    true,
    MAX_EXPIRES_AFTER_SECONDS,
  );
  const inProgressTimeoutMs = positive(
    'inProgressTimeoutMs',
    options.inProgressTimeoutMs,
    DEFAULT_IN_PROGRESS_TIMEOUT_MS,
    false,
    MAX_IN_PROGRESS_MS,
  );
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const logger = options.logger === undefined ? silentLogger : guardLogger(options.logger);
  const scope = options.scope;
  if (scope !== undefined && (typeof scope !== 'string' || scope.length === 0 || scope.includes('#') || !isWellFormedUtf16(scope))) {
    throw new TypeError("makeIdempotent: scope must be a non-empty string without '#' (it separates scope and key) when given.");
  }
  if (options.payloadValidation !== undefined && typeof options.payloadValidation !== 'boolean') {
    throw new TypeError(`makeIdempotent: payloadValidation must be true or false, got ${JSON.stringify(options.payloadValidation)}.`);
  }
  const cacheOption = switchOption('localCache', options.localCache);
  const cache =
    cacheOption === undefined ? undefined : new LocalRecordCache(cacheOption.maxEntries ?? DEFAULT_CACHE_ENTRIES);
  const waitOption = switchOption('waitForInProgress', options.waitForInProgress);
  const wait =
    waitOption === undefined
      ? undefined
      : {
          timeoutMs: positive('waitForInProgress.timeoutMs', waitOption.timeoutMs, 10_000, false, MAX_IN_PROGRESS_MS),
          baseMs: positive('waitForInProgress.baseMs', waitOption.baseMs, 50, false, MAX_IN_PROGRESS_MS),
          capMs: positive('waitForInProgress.capMs', waitOption.capMs, 1_000, false, MAX_IN_PROGRESS_MS),
        };

  const lockExpiry = (call: IdempotentCall, nowMs: number): number => {
    const context = call.lambdaContext ?? options.lambdaContext;
    if (context !== undefined) {
      let remaining: unknown;
      try {
        remaining = context.getRemainingTimeInMillis();
      } catch (error) {
        remaining = `threw ${errorSummary(error)['error'] as string}`;
      }
      if (typeof remaining === 'number' && Number.isFinite(remaining) && remaining >= 0 && remaining <= MAX_IN_PROGRESS_MS) {
        return nowMs + remaining;
      }
      logger.warn('Lambda context gave no usable remaining time; using inProgressTimeoutMs', { remaining: String(remaining) });
    }
    return nowMs + inProgressTimeoutMs;
  };

  const resultOf = <T>(record: IdempotencyRecord): T => {
    if (record.result === undefined) return undefined as T;
    try {
      return JSON.parse(record.result) as T;
    } catch (error) {
      throw new IdempotencyStoreError(record.key, `The stored result for idempotency key "${record.key}" is not valid JSON.`, {
        cause: error,
      });
    }
  };

  const checkPayload = (record: IdempotencyRecord, call: IdempotentCall): void => {
    if (call.payloadHash !== undefined && record.payloadHash !== undefined && record.payloadHash !== call.payloadHash) {
      throw new IdempotencyPayloadMismatchError(call.key);
    }
  };

  const release = async (record: IdempotencyRecord): Promise<void> => {
    try {
      await store.release(record.key, record.lockToken);
    } catch (error) {
      logger.warn('could not release the idempotency lock; it expires by itself', {
        key: record.key,
        lockExpiresAt: record.inProgressExpiresAt,
        ...errorSummary(error),
      });
    }
  };

  const execute = async <T>(record: IdempotencyRecord, call: IdempotentCall, fn: () => T | PromiseLike<T>): Promise<T> => {
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      await release(record);
      throw error;
    }
    let text: string | undefined;
    try {
      text = result === undefined ? undefined : (JSON.stringify(result) as string | undefined);
    } catch (error) {
      await release(record);
      throw new IdempotencyResultNotStorableError(call.key, 'not-json', 'it is not JSON-serialisable.', { cause: error });
    }
    if (result !== undefined && text === undefined) {
      await release(record);
      throw new IdempotencyResultNotStorableError(call.key, 'not-json', `JSON has no form for a ${typeof result}.`);
    }
    const completed: IdempotencyRecord = {
      key: record.key,
      status: 'COMPLETED',
      expiresAt: ceilSeconds(clock.now()) + expiresAfterSeconds,
      lockToken: record.lockToken,
      ...(call.payloadHash === undefined ? {} : { payloadHash: call.payloadHash }),
      ...(text === undefined ? {} : { result: text }),
    };
    const size = store.recordSize(completed);
    if (size > store.maxRecordBytes) {
      await release(record);
      throw new IdempotencyResultNotStorableError(
        call.key,
        'too-large',
        `the record would take ${size} bytes, over the store's limit of ${store.maxRecordBytes}; return a smaller result (an id or a reference).`,
      );
    }
    try {
      const kept = await retry(() => store.complete(completed), { maxAttempts: 3, baseMs: 50, capMs: 500, random, clock });
      if (kept) cache?.set(completed);
      else {
        logger.warn('idempotency lock expired and was taken over before completion; the result was not stored', {
          key: call.key,
        });
      }
    } catch (error) {
      // The effect has happened: failing the call now would make the caller retry it after the
      // lock expires, and run the effect again. Return the result; the record stays in progress
      // until its lock expires.
      logger.error('the function ran but its result could not be stored', { key: call.key, ...errorSummary(error) });
    }
    return result;
  };

  const storeError = (key: string, what: string, error: unknown): IdempotencyStoreError => {
    if (error instanceof IdempotencyStoreError) return error;
    const name = error instanceof Error ? error.name : typeof error;
    const hint =
      name === 'ResourceNotFoundException'
        ? ' The table does not exist: check the table name and the client\'s region.'
        : name === 'AccessDeniedException'
          ? ' Access denied: the role needs dynamodb:PutItem, dynamodb:GetItem and dynamodb:DeleteItem on the table.'
          : '';
    return new IdempotencyStoreError(key, `Could not ${what} the idempotency record for key "${key}" (${name}).${hint}`, {
      cause: error,
      retryable: isRetryableAwsError(error),
    });
  };

  return {
    prepare(input, key, lambdaContext) {
      let raw: unknown;
      try {
        raw = key === undefined ? hashPayload(input) : (key as (input: unknown) => unknown)(input);
      } catch (error) {
        throw new IdempotencyKeyError(
          key === undefined
            ? 'The input cannot be hashed into an idempotency key; give a key function.'
            : 'The idempotency key function threw.',
          { cause: error },
        );
      }
      if (typeof raw !== 'string' || raw.length === 0) {
        throw new IdempotencyKeyError(`The idempotency key function must return a non-empty string, got ${raw === '' ? 'an empty string' : typeof raw}.`);
      }
      if (!isWellFormedUtf16(raw)) {
        throw new IdempotencyKeyError(
          'The idempotency key contains an unpaired UTF-16 surrogate (half of a character such as an emoji, often left ' +
            'by cutting a string); DynamoDB would store it as U+FFFD, so different keys could share one record.',
        );
      }
      const full = scope === undefined ? raw : `${scope}#${raw}`;
      if (utf8ByteLength(full) > MAX_KEY_BYTES) {
        throw new IdempotencyKeyError(`The idempotency key is over ${MAX_KEY_BYTES} bytes; return a shorter key (or hashPayload of it).`);
      }
      let payloadHash: string | undefined;
      if (options.payloadValidation === true) {
        try {
          payloadHash = hashPayload(input);
        } catch (error) {
          throw new IdempotencyKeyError('The input cannot be hashed for payload validation.', { cause: error });
        }
      }
      return { key: full, payloadHash, lambdaContext };
    },

    async run<T>(call: IdempotentCall, fn: () => T | PromiseLike<T>): Promise<T> {
      const startedAt = clock.now();
      const cached = cache?.get(call.key, startedAt);
      if (cached !== undefined) {
        checkPayload(cached, call);
        return resultOf<T>(cached);
      }
      const waitUntil = wait === undefined ? undefined : startedAt + wait.timeoutMs;
      let races = 0;
      let polls = 0;
      let previousMs = 0;
      for (;;) {
        const now = clock.now();
        const inProgressExpiresAt = lockExpiry(call, now);
        const record: IdempotencyRecord = {
          key: call.key,
          status: 'IN_PROGRESS',
          // Never before the lock ends: an expired record counts as absent, lock or not.
          expiresAt: Math.max(ceilSeconds(now) + expiresAfterSeconds, ceilSeconds(inProgressExpiresAt)),
          inProgressExpiresAt,
          lockToken: randomUUID(),
          ...(call.payloadHash === undefined ? {} : { payloadHash: call.payloadHash }),
        };
        let outcome;
        try {
          outcome = await store.acquire(record, now);
        } catch (error) {
          throw storeError(call.key, 'write', error);
        }
        // The same token means the store's client retried our own write after losing its answer.
        if (outcome.acquired || outcome.existing?.lockToken === record.lockToken) return execute(record, call, fn);

        let existing = outcome.existing;
        for (;;) {
          const seenAt = clock.now();
          if (existing === undefined || !isRecordLive(existing, seenAt)) {
            cache?.delete(call.key);
            break; // free again: take the lock
          }
          checkPayload(existing, call);
          if (existing.status === 'COMPLETED') {
            cache?.set(existing);
            return resultOf<T>(existing);
          }
          const lockExpiresAt = existing.inProgressExpiresAt ?? existing.expiresAt * 1000;
          if (waitUntil === undefined || seenAt >= waitUntil) {
            throw new IdempotencyInProgressError(call.key, lockExpiresAt, seenAt);
          }
          const delay = fullJitter(++polls, { baseMs: wait!.baseMs, capMs: wait!.capMs, previousMs, random });
          previousMs = delay;
          await sleep(Math.min(delay, waitUntil - seenAt, Math.max(0, lockExpiresAt - seenAt)));
          try {
            existing = await store.get(call.key);
          } catch (error) {
            throw storeError(call.key, 'read', error);
          }
        }
        if (++races > MAX_ACQUIRE_RACES) {
          throw new IdempotencyStoreError(
            call.key,
            `The idempotency lock for key "${call.key}" was free but taken by another call ${MAX_ACQUIRE_RACES} times in a row; retry later.`,
            { retryable: true },
          );
        }
      }
    },
  };
}

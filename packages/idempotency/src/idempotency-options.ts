import type { Clock, Logger } from '@herald/core';
import type { IdempotencyStore } from './store/idempotency-store.js';

/** What Herald reads from a Lambda context: the time the invocation has left. */
export interface LambdaContextLike {
  /** Milliseconds until Lambda ends the invocation. */
  getRemainingTimeInMillis(): number;
}

/** Options of waiting for a call that holds the lock, instead of failing at once. */
export interface WaitForInProgressOptions {
  /** How long to wait in total before giving up with {@link IdempotencyInProgressError}. Default 10,000 ms. */
  timeoutMs?: number;
  /** First delay between reads of the record. Default 50 ms. */
  baseMs?: number;
  /** Longest delay between reads (full jitter, exponential). Default 1,000 ms. */
  capMs?: number;
}

/** Options of the local cache (`localCache`): how many completed records a warm process keeps. */
export interface LocalCacheOptions {
  /** How many completed records to keep (least recently used go first). Default 256. */
  maxEntries?: number;
}

/** Options shared by {@link makeIdempotent} and {@link makeIdempotentSqsHandler}. */
export interface IdempotencyOptions {
  /** Where records live: {@link createDynamoDbStore} or {@link createMemoryStore}. */
  store: IdempotencyStore;
  /**
   * Prefix of every key, as `scope#key`, so two functions sharing a table never share keys
   * (the default key is a hash of the input, and two functions may get the same input).
   * Default: no prefix. Keep it stable across deployments. Must not contain `#`.
   */
  scope?: string;
  /**
   * How long a completed record answers repeated calls, in whole seconds from completion (written
   * as the TTL, rounded up to the next second). Default 3,600; at most 31,622,400 (366 days).
   */
  expiresAfterSeconds?: number;
  /**
   * Store a hash of the input with the record, and raise {@link IdempotencyPayloadMismatchError}
   * when the same key comes with a different input. Default `false`.
   */
  payloadValidation?: boolean;
  /**
   * How long a lock is held before another call may take over (the call is presumed crashed),
   * when no Lambda context gives the remaining time. Default 60,000 ms; at most 86,400,000
   * (24 hours). Set it above the longest the function can run.
   */
  inProgressTimeoutMs?: number;
  /**
   * A Lambda context for every call. The lock then expires when the invocation would end
   * (`now + getRemainingTimeInMillis()`, 0 included). A context passed to the wrapped function as
   * its second argument (a Lambda handler's `context`) is used without this option.
   */
  lambdaContext?: LambdaContextLike;
  /** Keep completed records in memory, so repeated keys cost no store request. `true`: 256 records. Default off. */
  localCache?: boolean | LocalCacheOptions;
  /**
   * When another call holds the lock, wait for its result (reading the record with backoff,
   * bounded) instead of raising {@link IdempotencyInProgressError} at once. `true`: the defaults
   * of {@link WaitForInProgressOptions}. Default off.
   */
  waitForInProgress?: boolean | WaitForInProgressOptions;
  /** Source of time. Default `systemClock`. */
  clock?: Clock;
  /** Source of randomness in `[0, 1)` for the jitter of waits. Default `Math.random`. */
  random?: () => number;
  /** Where to report released locks, lost locks and store failures. Never given payloads or results. */
  logger?: Logger;
}

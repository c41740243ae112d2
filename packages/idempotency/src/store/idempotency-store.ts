import type { IdempotencyRecord } from '../record.js';

/** Outcome of {@link IdempotencyStore.acquire}. */
export type AcquireResult =
  | { readonly acquired: true }
  | {
      readonly acquired: false;
      /**
       * The live record that holds the key, or `undefined` when it vanished between the failed
       * write and the read (deleted by a failing call): try again.
       */
      readonly existing: IdempotencyRecord | undefined;
    };

/**
 * Where idempotency records live. {@link createDynamoDbStore} and {@link createMemoryStore}
 * implement it with the same behaviour; another store must keep the same rules:
 * `acquire` is one atomic conditional write, `complete` and `release` only touch a record that
 * still carries the caller's `lockToken`.
 */
export interface IdempotencyStore {
  /**
   * The largest record the store accepts, in bytes as {@link IdempotencyStore.recordSize}
   * counts them. `makeIdempotent` checks a result against it before writing.
   */
  readonly maxRecordBytes: number;
  /**
   * Size of a record as the store counts it (DynamoDB: attribute names plus values).
   *
   * @param record - The record to measure.
   */
  recordSize(record: IdempotencyRecord): number;
  /**
   * Writes `record` (status `IN_PROGRESS`) if no live record holds its key at `nowMs`
   * (absent, expired, or in progress past its lock expiry), in one atomic step.
   *
   * @param record - The in-progress record to write.
   * @param nowMs - The current time in epoch milliseconds, for the expiry conditions.
   */
  acquire(record: IdempotencyRecord, nowMs: number): Promise<AcquireResult>;
  /**
   * Replaces the caller's in-progress record by `record` (status `COMPLETED`), only if the
   * stored record still carries `record.lockToken`.
   *
   * @param record - The completed record.
   * @returns `false` when the lock was lost (another call took over an expired lock).
   */
  complete(record: IdempotencyRecord): Promise<boolean>;
  /**
   * Deletes the record of `key` only if it carries `lockToken`, so a slow failing call never
   * deletes a newer call's lock. A missing record or another token is not an error.
   *
   * @param key - The idempotency key.
   * @param lockToken - The token of the caller's own record.
   */
  release(key: string, lockToken: string): Promise<void>;
  /**
   * Reads the record of `key` (strongly consistent), expired or not.
   *
   * @param key - The idempotency key.
   */
  get(key: string): Promise<IdempotencyRecord | undefined>;
}

/** The two states a stored idempotency record can be in. A failed call leaves no record. */
export type IdempotencyRecordStatus = 'IN_PROGRESS' | 'COMPLETED';

/**
 * One idempotency record: the whole state of one key, kept in one item.
 *
 * - `IN_PROGRESS`: a call took the lock and is running the function. Other calls get
 *   {@link IdempotencyInProgressError} until it completes, fails (the record is deleted) or
 *   its lock expires at `inProgressExpiresAt` (a crashed call; the next call takes over).
 * - `COMPLETED`: the function returned; `result` holds its JSON. Calls with the same key get
 *   the stored result until `expiresAt`.
 *
 * A record past `expiresAt`, or in progress past `inProgressExpiresAt`, counts as absent even
 * while the store still holds it (DynamoDB deletes expired items only eventually).
 */
export interface IdempotencyRecord {
  /** The idempotency key, with the scope prefix if one is configured. */
  readonly key: string;
  /** See {@link IdempotencyRecordStatus}. */
  readonly status: IdempotencyRecordStatus;
  /** When the record expires, in epoch **seconds** (DynamoDB's TTL unit). */
  readonly expiresAt: number;
  /** For `IN_PROGRESS`: when the lock expires, in epoch milliseconds. */
  readonly inProgressExpiresAt?: number;
  /** `hashPayload` of the input, when payload validation is on. */
  readonly payloadHash?: string;
  /** For `COMPLETED`: the result as JSON text; absent when the function returned `undefined`. */
  readonly result?: string;
  /** Random token of the call that wrote the record; completes and deletes are conditional on it. */
  readonly lockToken: string;
}

/**
 * Whether a record still counts at `nowMs`: not past its expiry, and, when in progress, not
 * past its lock expiry. Both stores and `makeIdempotent` use this one rule.
 *
 * @param record - The stored record.
 * @param nowMs - The current time in epoch milliseconds.
 */
export function isRecordLive(record: IdempotencyRecord, nowMs: number): boolean {
  if (record.expiresAt <= Math.floor(nowMs / 1000)) return false;
  if (record.status === 'IN_PROGRESS' && record.inProgressExpiresAt !== undefined) {
    return record.inProgressExpiresAt > nowMs;
  }
  return true;
}

import { type IdempotencyRecord, isRecordLive } from '../record.js';
import type { AcquireResult, IdempotencyStore } from './idempotency-store.js';
import { DEFAULT_ATTRIBUTE_NAMES, DYNAMODB_MAX_ITEM_BYTES, recordSizeBytes } from './record-attributes.js';

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Largest record accepted, in bytes counted as DynamoDB counts an item. Default 409,600
   * (DynamoDB's 400 KB), so a result that fits here fits in DynamoDB too.
   */
  maxRecordBytes?: number;
}

/** An {@link IdempotencyStore} in process memory, with a peek at its records for tests. */
export interface MemoryStore extends IdempotencyStore {
  /** Every record held, expired ones included (they are swept from time to time, as DynamoDB's TTL does). */
  records(): IdempotencyRecord[];
  /** Removes every record. */
  clear(): void;
}

const SWEEP_EVERY_ACQUIRES = 1_000;

/**
 * Creates an idempotency store in process memory with the same rules as
 * {@link createDynamoDbStore}: the same record states, the same expiry conditions, deletes and
 * completes guarded by the lock token. Records live as long as the process: use it for tests,
 * local runs and single-process services, not for Lambda (each instance has its own memory).
 *
 * @param options - See {@link MemoryStoreOptions}.
 * @example
 * ```ts
 * const refund = makeIdempotent(issueRefund, { store: createMemoryStore(), key: (r) => r.paymentId });
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxRecordBytes = options.maxRecordBytes ?? DYNAMODB_MAX_ITEM_BYTES;
  if (!(Number.isFinite(maxRecordBytes) && maxRecordBytes > 0)) {
    throw new RangeError(`createMemoryStore: maxRecordBytes must be a positive number, got ${String(maxRecordBytes)}.`);
  }
  const items = new Map<string, IdempotencyRecord>();
  let acquiresSinceSweep = 0;

  const sweep = (nowMs: number): void => {
    const nowSeconds = Math.floor(nowMs / 1000);
    for (const [key, record] of items) if (record.expiresAt <= nowSeconds) items.delete(key);
  };

  return {
    maxRecordBytes,
    recordSize: (record) => recordSizeBytes(record, DEFAULT_ATTRIBUTE_NAMES),
    acquire(record: IdempotencyRecord, nowMs: number): Promise<AcquireResult> {
      if (++acquiresSinceSweep >= SWEEP_EVERY_ACQUIRES) {
        acquiresSinceSweep = 0;
        sweep(nowMs);
      }
      const existing = items.get(record.key);
      if (existing !== undefined && isRecordLive(existing, nowMs)) {
        return Promise.resolve({ acquired: false, existing });
      }
      items.set(record.key, Object.freeze({ ...record }));
      return Promise.resolve({ acquired: true });
    },
    complete(record: IdempotencyRecord): Promise<boolean> {
      const existing = items.get(record.key);
      if (existing?.lockToken !== record.lockToken) return Promise.resolve(false);
      items.set(record.key, Object.freeze({ ...record }));
      return Promise.resolve(true);
    },
    release(key: string, lockToken: string): Promise<void> {
      if (items.get(key)?.lockToken === lockToken) items.delete(key);
      return Promise.resolve();
    },
    get(key: string): Promise<IdempotencyRecord | undefined> {
      return Promise.resolve(items.get(key));
    },
    records: () => [...items.values()],
    clear: () => items.clear(),
  };
}

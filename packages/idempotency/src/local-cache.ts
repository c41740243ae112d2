import { type IdempotencyRecord, isRecordLive } from './record.js';

/**
 * A bounded least-recently-used map of completed records, so a key repeated in a warm Lambda
 * costs no store request. Expired records are never returned.
 */
export class LocalRecordCache {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, IdempotencyRecord>();

  /** @param maxEntries - How many records to keep (at least 1). */
  constructor(maxEntries: number) {
    if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) {
      throw new RangeError(`localCache.maxEntries must be an integer >= 1, got ${String(maxEntries)}.`);
    }
    this.#maxEntries = maxEntries;
  }

  /** The live completed record of `key`, refreshed as most recently used; `undefined` otherwise. */
  get(key: string, nowMs: number): IdempotencyRecord | undefined {
    const record = this.#entries.get(key);
    if (record === undefined) return undefined;
    this.#entries.delete(key);
    if (!isRecordLive(record, nowMs)) return undefined;
    this.#entries.set(key, record);
    return record;
  }

  /** Keeps a completed record, evicting the least recently used beyond the bound. */
  set(record: IdempotencyRecord): void {
    if (record.status !== 'COMPLETED') return;
    this.#entries.delete(record.key);
    this.#entries.set(record.key, record);
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** Forgets `key` (its record was found gone or replaced in the store). */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Number of records held. */
  get size(): number {
    return this.#entries.size;
  }
}

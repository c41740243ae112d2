import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/index.js';
import { defineIdempotencySuite, defineSqsHandlerSuite } from './idempotency-suite.js';

async function freshMemoryStore() {
  const store = createMemoryStore();
  return {
    store,
    rawExpiry: async (key: string) => {
      const record = await store.get(key);
      return record === undefined ? { type: 'missing' as const, value: '' } : { type: 'N' as const, value: String(record.expiresAt) };
    },
  };
}

defineIdempotencySuite('the memory store', freshMemoryStore);
defineSqsHandlerSuite('the memory store', freshMemoryStore);

describe('createMemoryStore', () => {
  it('rejects a bad maxRecordBytes', () => {
    expect(() => createMemoryStore({ maxRecordBytes: 0 })).toThrow(RangeError);
  });

  it('keeps expired records until swept, and treats them as absent', async () => {
    const store = createMemoryStore();
    const record = { key: 'k', status: 'COMPLETED' as const, expiresAt: 100, lockToken: 't1' };
    expect(await store.acquire({ ...record, status: 'IN_PROGRESS' }, 0)).toEqual({ acquired: true });
    expect(await store.complete(record)).toBe(true);
    expect(await store.acquire({ ...record, status: 'IN_PROGRESS', lockToken: 't2' }, 99_999)).toMatchObject({ acquired: false });
    expect(await store.acquire({ ...record, status: 'IN_PROGRESS', lockToken: 't2', expiresAt: 200 }, 100_000)).toEqual({ acquired: true });
    expect(await store.complete(record)).toBe(false); // t1 lost the lock
    expect(store.records()).toHaveLength(1);
  });
});

import type { Logger } from '@herald/core';
import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  IdempotencyInProgressError,
  IdempotencyKeyError,
  type IdempotencyStore,
  makeIdempotent,
  makeIdempotentSqsHandler,
} from '../src/index.js';
import { manualClock } from './idempotency-suite.js';

const throwingLogger: Logger = {
  debug: () => {
    throw new Error('log sink down');
  },
  info: () => {
    throw new Error('log sink down');
  },
  warn: () => {
    throw new Error('log sink down');
  },
  error: () => {
    throw new Error('log sink down');
  },
};

describe('makeIdempotent option checks', () => {
  const store = createMemoryStore();
  const fn = async (n: number) => n;

  it.each([
    ['localCache', { localCache: 'false' }],
    ['waitForInProgress', { waitForInProgress: 'false' }],
    ['payloadValidation', { payloadValidation: 'true' }],
    ['scope', { scope: 'orders#v2' }],
    ['scope', { scope: '' }],
  ])('refuses a wrong %s (%j) with a TypeError', (name, extra) => {
    expect(() => makeIdempotent(fn, { store, ...(extra as object) })).toThrow(new RegExp(name));
    expect(() => makeIdempotent(fn, { store, ...(extra as object) })).toThrow(TypeError);
  });

  it.each([
    ['expiresAfterSeconds', { expiresAfterSeconds: 86_400_000 }], // milliseconds given as seconds
    ['expiresAfterSeconds', { expiresAfterSeconds: 1.5 }],
    ['inProgressTimeoutMs', { inProgressTimeoutMs: 25 * 3_600_000 }],
    ['inProgressTimeoutMs', { inProgressTimeoutMs: 0 }],
    ['waitForInProgress.timeoutMs', { waitForInProgress: { timeoutMs: Number.NaN } }],
  ])('refuses an out-of-range %s with a RangeError', (name, extra) => {
    expect(() => makeIdempotent(fn, { store, ...(extra as object) })).toThrow(RangeError);
    expect(() => makeIdempotent(fn, { store, ...(extra as object) })).toThrow(name);
  });

  it('accepts the largest values', () => {
    expect(() => makeIdempotent(fn, { store, expiresAfterSeconds: 366 * 86_400, inProgressTimeoutMs: 86_400_000 })).not.toThrow();
  });
});

describe('makeIdempotent keys', () => {
  it('refuses a key with half a surrogate pair, which DynamoDB would store as U+FFFD', async () => {
    let runs = 0;
    const work = makeIdempotent(async (name: string) => ++runs, { store: createMemoryStore(), key: (name) => `user-${name.slice(0, 1)}` });
    await expect(work('😀')).rejects.toBeInstanceOf(IdempotencyKeyError);
    await expect(work('😀')).rejects.toThrow(/unpaired UTF-16 surrogate/);
    expect(await work('ok')).toBe(1);
  });

  it('refuses Maps and Sets as default-key input: JSON would make every one of them {}', async () => {
    const work = makeIdempotent(async (input: unknown) => input, { store: createMemoryStore() });
    await expect(work(new Map([['a', 1]]))).rejects.toBeInstanceOf(IdempotencyKeyError);
    await expect(work({ tags: new Set([1]) })).rejects.toBeInstanceOf(IdempotencyKeyError);
  });
});

describe('makeIdempotent with a failing logger or context', () => {
  it('returns the result when the record cannot be completed, even if the logger throws', async () => {
    const memory = createMemoryStore();
    const store: IdempotencyStore = {
      ...memory,
      acquire: (record, now) => memory.acquire(record, now),
      complete: () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
    };
    let runs = 0;
    const work = makeIdempotent(async (_n: number) => ++runs, { store, logger: throwingLogger });
    expect(await work(1)).toBe(1);
    expect(runs).toBe(1);
  });

  it('rethrows fn’s own error when releasing the lock fails and the logger throws', async () => {
    const memory = createMemoryStore();
    const store: IdempotencyStore = { ...memory, acquire: (r, n) => memory.acquire(r, n), release: () => Promise.reject(new Error('network')) };
    const work = makeIdempotent(
      async (_n: number) => {
        throw new Error('bank declined');
      },
      { store, logger: throwingLogger },
    );
    await expect(work(1)).rejects.toThrow('bank declined');
  });

  it.each([
    ['throws', () => {
      throw new Error('context gone');
    }],
    ['returns 9e15 ms', () => 9e15],
    ['returns NaN', () => Number.NaN],
  ])('falls back to inProgressTimeoutMs when getRemainingTimeInMillis %s', async (_what, remaining) => {
    const store = createMemoryStore();
    const clock = manualClock();
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (message) => void warnings.push(message), error() {} };
    let release!: () => void;
    const work = makeIdempotent(
      async (_event: { id: string }, _context: { getRemainingTimeInMillis(): number }) => new Promise<void>((r) => (release = r)),
      { store, clock, key: (e) => e.id, inProgressTimeoutMs: 5_000, logger },
    );
    const running = work({ id: 'c' }, { getRemainingTimeInMillis: remaining });
    await new Promise((r) => setTimeout(r, 20));
    expect((await store.get('c'))?.inProgressExpiresAt).toBe(clock.now() + 5_000);
    expect(warnings).toEqual(['Lambda context gave no usable remaining time; using inProgressTimeoutMs']);
    const second = await work({ id: 'c' }, { getRemainingTimeInMillis: () => 1_000 }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(IdempotencyInProgressError);
    release();
    await running;
  });

  it('builds IdempotencyInProgressError for a lock expiry beyond what Date can show', () => {
    const error = new IdempotencyInProgressError('k', 9e15, 0);
    expect(error.retryAfterMs).toBe(9e15);
    expect(error.message).toContain('9000000000000000 ms');
  });
});

describe('makeIdempotentSqsHandler default key', () => {
  it('keys on the message text, so integers beyond 2^53 never make two messages alike', async () => {
    const handled: string[] = [];
    const handler = makeIdempotentSqsHandler(async (_body, record) => void handled.push(record.messageId), { store: createMemoryStore() });
    const response = await handler({
      Records: [
        { messageId: 'm1', body: '{"orderId":12345678901234567890}' },
        { messageId: 'm2', body: '{"orderId":12345678901234567891}' },
        { messageId: 'm3', body: '{"orderId":12345678901234567890}' },
      ],
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual(['m1', 'm2']);
  });
});

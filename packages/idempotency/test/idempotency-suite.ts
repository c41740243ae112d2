import { createValidator, ValidationError } from '@herald/core';
import { describe, expect, it } from 'vitest';
import {
  type IdempotencyRecord,
  type IdempotencyStore,
  IdempotencyInProgressError,
  IdempotencyPayloadMismatchError,
  IdempotencyResultNotStorableError,
  makeIdempotent,
  makeIdempotentSqsHandler,
} from '../src/index.js';
import type { SqsRecord } from '@herald/core';

/** What the shared suite needs from one store under test. */
export interface StoreUnderTest {
  /** A store on fresh storage (a new table for DynamoDB). */
  store: IdempotencyStore;
  /** The TTL attribute as stored: its DynamoDB type and value (memory: the record's field). */
  rawExpiry(key: string): Promise<{ type: 'N' | 'S' | 'missing'; value: string }>;
}

/** A clock tests move by hand. */
export function manualClock(startMs = 1_800_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms) => void (nowMs += ms) };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A store that counts the requests made to it. */
export function countingStore(inner: IdempotencyStore): { store: IdempotencyStore; calls: Record<string, number> } {
  const calls: Record<string, number> = { acquire: 0, complete: 0, release: 0, get: 0 };
  return {
    calls,
    store: {
      maxRecordBytes: inner.maxRecordBytes,
      recordSize: (record) => inner.recordSize(record),
      acquire: (record, now) => (calls['acquire']!++, inner.acquire(record, now)),
      complete: (record) => (calls['complete']!++, inner.complete(record)),
      release: (key, token) => (calls['release']!++, inner.release(key, token)),
      get: (key) => (calls['get']!++, inner.get(key)),
    },
  };
}

/**
 * The behaviour every idempotency store must show through `makeIdempotent`; run against the
 * memory store (unit) and DynamoDB Local (integration).
 */
export function defineIdempotencySuite(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`makeIdempotent with ${name}`, () => {
    it('runs fn exactly once for 50 concurrent calls with one key; the rest get its result or IdempotencyInProgressError', async () => {
      const { store } = await makeStore();
      let runs = 0;
      const gate = deferred();
      const refund = makeIdempotent(
        async (request: { ref: string; amount: number }) => {
          runs += 1;
          await gate.promise;
          return { refunded: request.amount, ref: request.ref };
        },
        { store, key: (request) => request.ref },
      );
      const settled = Promise.allSettled(Array.from({ length: 50 }, () => refund({ ref: 'pay-1', amount: 25 })));
      // Let every call reach the store before the first one finishes.
      await new Promise((r) => setTimeout(r, 200));
      gate.resolve();
      const outcomes = await settled;
      expect(runs).toBe(1);
      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(fulfilled.length).toBeGreaterThanOrEqual(1);
      for (const o of fulfilled) expect(o.value).toEqual({ refunded: 25, ref: 'pay-1' });
      for (const o of rejected) {
        expect(o.reason).toBeInstanceOf(IdempotencyInProgressError);
        expect((o.reason as IdempotencyInProgressError).retryable).toBe(true);
        expect((o.reason as IdempotencyInProgressError).key).toBe('pay-1');
      }
      expect(fulfilled.length + rejected.length).toBe(50);
      const later = await Promise.all(Array.from({ length: 5 }, () => refund({ ref: 'pay-1', amount: 25 })));
      expect(later).toEqual(Array.from({ length: 5 }, () => ({ refunded: 25, ref: 'pay-1' })));
      expect(runs).toBe(1);
    });

    it('with waitForInProgress, concurrent duplicates wait and get the result', async () => {
      const { store } = await makeStore();
      let runs = 0;
      const work = makeIdempotent(
        async (n: number) => {
          runs += 1;
          await new Promise((r) => setTimeout(r, 150));
          return n * 2;
        },
        { store, waitForInProgress: { timeoutMs: 5_000, baseMs: 20, capMs: 100 } },
      );
      const results = await Promise.all(Array.from({ length: 10 }, () => work(21)));
      expect(results).toEqual(Array.from({ length: 10 }, () => 42));
      expect(runs).toBe(1);
    });

    it('takes over a crashed call whose lock has expired, and runs fn once', async () => {
      const { store } = await makeStore();
      const clock = manualClock();
      const crashed: IdempotencyRecord = {
        key: 'order-7',
        status: 'IN_PROGRESS',
        expiresAt: Math.floor(clock.now() / 1000) + 3_600,
        inProgressExpiresAt: clock.now() - 1,
        lockToken: 'crashed-call',
      };
      expect(await store.acquire(crashed, clock.now() - 10_000)).toEqual({ acquired: true });
      let runs = 0;
      const work = makeIdempotent(async (_order: { id: string }) => ++runs, { store, key: (o) => o.id, clock });
      expect(await work({ id: 'order-7' })).toBe(1);
      expect(await work({ id: 'order-7' })).toBe(1);
      expect(runs).toBe(1);
      expect((await store.get('order-7'))?.status).toBe('COMPLETED');
    });

    it('does not take over a lock that has not expired: IdempotencyInProgressError says when it expires', async () => {
      const { store } = await makeStore();
      const clock = manualClock();
      const held: IdempotencyRecord = {
        key: 'order-8',
        status: 'IN_PROGRESS',
        expiresAt: Math.floor(clock.now() / 1000) + 3_600,
        inProgressExpiresAt: clock.now() + 30_000,
        lockToken: 'running-call',
      };
      expect(await store.acquire(held, clock.now())).toEqual({ acquired: true });
      let runs = 0;
      const work = makeIdempotent(async (_order: { id: string }) => ++runs, { store, key: (o) => o.id, clock });
      const error = await work({ id: 'order-8' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyInProgressError);
      expect((error as IdempotencyInProgressError).lockExpiresAt).toBe(clock.now() + 30_000);
      expect((error as IdempotencyInProgressError).retryAfterMs).toBe(30_000);
      expect(runs).toBe(0);
      clock.advance(30_000);
      expect(await work({ id: 'order-8' })).toBe(1);
    });

    it('uses the same key whatever the object key order; array order matters', async () => {
      const { store } = await makeStore();
      const seen: unknown[] = [];
      const work = makeIdempotent(async (input: unknown) => (seen.push(input), seen.length), { store });
      expect(await work({ a: 1, b: { c: 2, d: 3 } })).toBe(1);
      expect(await work({ b: { d: 3, c: 2 }, a: 1 })).toBe(1);
      expect(await work({ list: [1, 2] })).toBe(2);
      expect(await work({ list: [2, 1] })).toBe(3);
      expect(seen).toHaveLength(3);
    });

    it('deletes the record when fn throws, so a retry runs fn again', async () => {
      const { store } = await makeStore();
      let runs = 0;
      const work = makeIdempotent(
        async (_input: { ref: string }) => {
          runs += 1;
          if (runs === 1) throw new Error('bank unavailable');
          return 'done';
        },
        { store, key: (i) => i.ref },
      );
      await expect(work({ ref: 'r-1' })).rejects.toThrow('bank unavailable');
      expect(await store.get('r-1')).toBeUndefined();
      expect(await work({ ref: 'r-1' })).toBe('done');
      expect(runs).toBe(2);
    });

    it('only deletes its own record: a slow failing call leaves a newer call’s lock alone', async () => {
      const { store } = await makeStore();
      const clock = manualClock();
      const slow = deferred();
      let runs = 0;
      const work = makeIdempotent(
        async (_input: string) => {
          runs += 1;
          if (runs === 1) {
            await slow.promise;
            throw new Error('slow failure');
          }
          return 'second';
        },
        { store, clock, inProgressTimeoutMs: 1_000 },
      );
      const first = work('same');
      await new Promise((r) => setTimeout(r, 50));
      clock.advance(2_000); // the first call's lock has expired: the next call takes over
      expect(await work('same')).toBe('second');
      slow.resolve();
      await expect(first).rejects.toThrow('slow failure');
      const records = await work('same');
      expect(records).toBe('second');
      expect(runs).toBe(2);
    });

    it('expires completed records after expiresAfterSeconds (injected clock) and writes the TTL as a Number of seconds', async () => {
      const under = await makeStore();
      const clock = manualClock(1_800_000_000_500);
      let runs = 0;
      const work = makeIdempotent(async (_input: { ref: string }) => ++runs, {
        store: under.store,
        key: (i) => i.ref,
        clock,
        expiresAfterSeconds: 60,
      });
      expect(await work({ ref: 'ttl-1' })).toBe(1);
      // Rounded up to the next second, so the record lives at least 60 s.
      expect(await under.rawExpiry('ttl-1')).toEqual({ type: 'N', value: String(1_800_000_001 + 60) });
      clock.advance(59_000);
      expect(await work({ ref: 'ttl-1' })).toBe(1);
      clock.advance(1_000); // 60 s after the call
      expect(await work({ ref: 'ttl-1' })).toBe(1);
      clock.advance(500); // at the TTL second
      expect(await work({ ref: 'ttl-1' })).toBe(2);
      expect(runs).toBe(2);
    });

    it('keeps a record for expiresAfterSeconds even when the call is made just before a second boundary', async () => {
      const { store } = await makeStore();
      const clock = manualClock(1_800_000_000_999);
      let runs = 0;
      const work = makeIdempotent(async (_k: string) => ++runs, { store, clock, expiresAfterSeconds: 1 });
      expect(await work('edge')).toBe(1);
      clock.advance(1);
      expect(await work('edge')).toBe(1);
      clock.advance(999);
      expect(await work('edge')).toBe(1);
      expect(runs).toBe(1);
    });

    it('holds the lock until its own expiry even when expiresAfterSeconds is shorter', async () => {
      const { store } = await makeStore();
      const clock = manualClock();
      const gate = deferred();
      let runs = 0;
      const work = makeIdempotent(
        async (_k: string) => {
          runs += 1;
          await gate.promise;
          return runs;
        },
        { store, clock, expiresAfterSeconds: 30, inProgressTimeoutMs: 120_000 },
      );
      const first = work('long');
      await new Promise((r) => setTimeout(r, 50));
      clock.advance(31_000); // past expiresAfterSeconds, well inside the lock
      const second = await work('long').catch((e: unknown) => e);
      expect(second).toBeInstanceOf(IdempotencyInProgressError);
      expect((second as IdempotencyInProgressError).retryAfterMs).toBe(89_000);
      expect(runs).toBe(1);
      gate.resolve();
      expect(await first).toBe(1);
      expect(await work('long')).toBe(1);
      expect(runs).toBe(1);
    });

    it('raises IdempotencyPayloadMismatchError naming the key, not the payload', async () => {
      const { store } = await makeStore();
      const work = makeIdempotent(async (r: { ref: string; amount: number }) => r.amount, {
        store,
        key: (r) => r.ref,
        payloadValidation: true,
      });
      expect(await work({ ref: 'p-9', amount: 10 })).toBe(10);
      expect(await work({ amount: 10, ref: 'p-9' })).toBe(10);
      const error = await work({ ref: 'p-9', amount: 9999 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyPayloadMismatchError);
      expect((error as Error).message).toContain('p-9');
      expect((error as Error).message).not.toContain('9999');
    });

    it('computes key and payload hash at the start, so fn may mutate its input', async () => {
      const { store } = await makeStore();
      let runs = 0;
      const work = makeIdempotent(
        async (input: { ref: string; amount: number }) => {
          runs += 1;
          input.ref = 'changed';
          input.amount = 0;
          return 'ok';
        },
        { store, payloadValidation: true },
      );
      expect(await work({ ref: 'm-1', amount: 5 })).toBe('ok');
      expect(await work({ ref: 'm-1', amount: 5 })).toBe('ok');
      expect(runs).toBe(1);
    });

    it('fails a result over the item limit before writing it, and releases the lock', async () => {
      const { store } = await makeStore();
      let runs = 0;
      const work = makeIdempotent(
        async (_input: string) => {
          runs += 1;
          return 'x'.repeat(410 * 1024);
        },
        { store },
      );
      const error = await work('big').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyResultNotStorableError);
      expect((error as IdempotencyResultNotStorableError).reason).toBe('too-large');
      await expect(work('big')).rejects.toBeInstanceOf(IdempotencyResultNotStorableError);
      expect(runs).toBe(2);
    });

    it('rejects invalid input with the ajv errors before taking any lock', async () => {
      const under = await makeStore();
      const { store, calls } = countingStore(under.store);
      const validator = createValidator<{ ref: string; amount: number }>({
        type: 'object',
        required: ['ref', 'amount'],
        properties: { ref: { type: 'string' }, amount: { type: 'number', exclusiveMinimum: 0 } },
      });
      let runs = 0;
      const work = makeIdempotent(async (r: { ref: string; amount: number }) => (runs += r.amount), { store, validator, key: (r) => r.ref });
      const error = await work({ ref: 'v-1', amount: -3 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]).toMatchObject({ path: '/amount', keyword: 'exclusiveMinimum' });
      expect(calls).toEqual({ acquire: 0, complete: 0, release: 0, get: 0 });
      expect(runs).toBe(0);
    });

    it('answers repeated keys from the local cache with no store request, until the record expires', async () => {
      const under = await makeStore();
      const { store, calls } = countingStore(under.store);
      const clock = manualClock();
      let runs = 0;
      const work = makeIdempotent(async (_n: number) => ++runs, { store, clock, localCache: { maxEntries: 2 }, expiresAfterSeconds: 10 });
      expect(await work(1)).toBe(1);
      expect(calls).toMatchObject({ acquire: 1, complete: 1 });
      expect(await work(1)).toBe(1);
      expect(calls).toMatchObject({ acquire: 1, complete: 1, get: 0 });
      clock.advance(10_000);
      expect(await work(1)).toBe(2);
      expect(calls['acquire']).toBe(2);
    });

    it('takes the lock expiry from a Lambda context, 0 ms remaining included', async () => {
      const { store } = await makeStore();
      const clock = manualClock();
      const gate = deferred();
      const work = makeIdempotent(async (_event: { id: string }, _context: { getRemainingTimeInMillis(): number }) => gate.promise, {
        store,
        clock,
        key: (e) => e.id,
      });
      const running = work({ id: 'ctx-1' }, { getRemainingTimeInMillis: () => 0 });
      await new Promise((r) => setTimeout(r, 50));
      const record = await store.get('ctx-1');
      expect(record?.status).toBe('IN_PROGRESS');
      expect(record?.inProgressExpiresAt).toBe(clock.now());
      gate.resolve();
      await running;
    });
  });
}

/** An SQS record as Lambda delivers it. */
function sqsRecord(messageId: string, body: unknown, extra: Partial<SqsRecord> = {}): SqsRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1800000000000', SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: '1800000000001' },
    messageAttributes: {},
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:refunds',
    awsRegion: 'us-east-1',
    ...extra,
  };
}

/** The body SNS puts in the queue when the subscription does not use raw delivery. */
function snsEnvelope(message: unknown): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: randomId(),
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:refunds',
    Message: JSON.stringify(message),
    Timestamp: '2026-12-04T10:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'c2lnbmF0dXJl',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  });
}

let idCounter = 0;
function randomId(): string {
  idCounter += 1;
  return `00000000-0000-4000-8000-${String(idCounter).padStart(12, '0')}`;
}

interface Refund {
  ref: string;
  amount: number;
}

/**
 * The behaviour of `makeIdempotentSqsHandler` on one store; run against the memory store
 * (unit) and DynamoDB Local (integration).
 */
export function defineSqsHandlerSuite(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`makeIdempotentSqsHandler with ${name}`, () => {
    it('a batch of 10 with 2 duplicates and 1 failure: duplicates run once, only the failure is reported', async () => {
      const { store } = await makeStore();
      const runs: string[] = [];
      const handler = makeIdempotentSqsHandler<Refund>(
        async (refund) => {
          if (refund.ref === 'r-5') throw new Error('bank declined');
          runs.push(refund.ref);
          return { refunded: refund.amount };
        },
        { store, key: (refund) => refund.ref },
      );
      const records = [
        ...Array.from({ length: 8 }, (_, i) => sqsRecord(`m-${i}`, { ref: `r-${i}`, amount: i + 1 })),
        sqsRecord('m-8', { ref: 'r-2', amount: 3 }), // the same request delivered again
        sqsRecord('m-9', snsEnvelope({ ref: 'r-3', amount: 4 })), // the same request, through SNS
      ];
      const response = await handler({ Records: records });
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-5' }] });
      expect(runs.sort()).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4', 'r-6', 'r-7']);
      expect((await store.get('r-2'))?.status).toBe('COMPLETED');
      expect(await store.get('r-5')).toBeUndefined(); // failed: no record, so the redelivery runs it

      // The redelivery of the failed message (and a repeat of the whole batch) runs only r-5.
      const again = makeIdempotentSqsHandler<Refund>(async (refund) => (runs.push(refund.ref), { refunded: refund.amount }), {
        store,
        key: (refund) => refund.ref,
      });
      expect(await again({ Records: records })).toEqual({ batchItemFailures: [] });
      expect(runs.filter((ref) => ref === 'r-5')).toHaveLength(1);
      expect(runs).toHaveLength(8);
    });

    it('concurrent duplicates in one batch and in two batches at once run once (waitForInProgress is on)', async () => {
      const { store } = await makeStore();
      let runs = 0;
      const handler = makeIdempotentSqsHandler<Refund>(
        async (refund) => {
          runs += 1;
          await new Promise((r) => setTimeout(r, 100));
          return refund.amount;
        },
        { store, key: (refund) => refund.ref, concurrency: 5 },
      );
      const batch = (prefix: string) => ({
        Records: Array.from({ length: 5 }, (_, i) => sqsRecord(`${prefix}-${i}`, { ref: 'same', amount: 10 })),
      });
      const [one, two] = await Promise.all([handler(batch('a')), handler(batch('b'))]);
      expect(one).toEqual({ batchItemFailures: [] });
      expect(two).toEqual({ batchItemFailures: [] });
      expect(runs).toBe(1);
    });

    it('rejects invalid bodies before any lock; FIFO stops at the first failure and reports the rest', async () => {
      const under = await makeStore();
      const { store, calls } = countingStore(under.store);
      const validator = createValidator<Refund>({
        type: 'object',
        required: ['ref', 'amount'],
        properties: { ref: { type: 'string', minLength: 1 }, amount: { type: 'number', exclusiveMinimum: 0 } },
      });
      const errors: unknown[] = [];
      const seen: string[] = [];
      const handler = makeIdempotentSqsHandler<Refund>(async (refund) => void seen.push(refund.ref), {
        store,
        validator,
        key: (refund) => refund.ref,
        onRecordError: (error) => void errors.push(error),
      });
      const fifo = { eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:refunds.fifo' };
      const group = (id: string) => ({ attributes: { ApproximateReceiveCount: '1', MessageGroupId: id } });
      const records = [
        sqsRecord('f-0', { ref: 'a-1', amount: 1 }, { ...fifo, ...group('A') }),
        sqsRecord('f-1', 'not json at all', { ...fifo, ...group('B') }),
        sqsRecord('f-2', { ref: 'a-2', amount: 2 }, { ...fifo, ...group('A') }),
        sqsRecord('f-3', { ref: 'b-1', amount: 3 }, { ...fifo, ...group('C') }),
      ];
      expect(await handler({ Records: records })).toEqual({
        batchItemFailures: [{ itemIdentifier: 'f-1' }, { itemIdentifier: 'f-2' }, { itemIdentifier: 'f-3' }],
      });
      expect(seen).toEqual(['a-1']);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ValidationError);
      expect(calls['acquire']).toBe(1);

      // 'stop-group': only group B stops; A and C go on.
      const perGroup = makeIdempotentSqsHandler<Refund>(async (refund) => void seen.push(refund.ref), {
        store,
        validator,
        key: (refund) => refund.ref,
        fifoFailureMode: 'stop-group',
      });
      const withLaterB = [...records, sqsRecord('f-4', { ref: 'b-2', amount: 4 }, { ...fifo, ...group('B') })];
      expect(await perGroup({ Records: withLaterB })).toEqual({
        batchItemFailures: [{ itemIdentifier: 'f-1' }, { itemIdentifier: 'f-4' }],
      });
      expect(seen).toEqual(['a-1', 'a-2', 'b-1']); // a-1 answered from the store, not run again
    });
  });
}

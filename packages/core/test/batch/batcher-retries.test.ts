import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher, noJitter, RateLimiter, RetryBudget } from '@herald/core';
import { inputs, recordingLogger, scriptedAdapter, type EntryReply } from './scripted-adapter.js';

const drain = () => vi.advanceTimersByTimeAsync(0);

function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createBatcher: per-entry failures', () => {
  it('retries only the transient entries, merged into later requests; permanent ones fail with their code', async () => {
    const scripted = scriptedAdapter((entries, call) =>
      entries.map((e): EntryReply => {
        if (call === 1 && e.name === 'n2') return { code: 'InternalError', retryable: true, message: 'try again' };
        if (call === 1 && e.name === 'n3') return { code: 'InvalidParameter', retryable: false, senderFault: true, message: 'bad' };
        return 'ok';
      }),
    );
    const batcher = createBatcher(scripted.adapter, { lingerMs: 5, retry: { jitter: noJitter, baseMs: 20 } });
    const first = batcher.addAll(inputs(10));
    await drain();
    // n2 waits for its backoff (20 ms); meanwhile new entries arrive and it joins them.
    await vi.advanceTimersByTimeAsync(18);
    const later = batcher.addAll(inputs(3, 'm'));
    await vi.advanceTimersByTimeAsync(2); // n2 due at 20 → buffer; m1..m3 waited 2 ms
    expect(scripted.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3); // the oldest (m1) reaches its 5 ms linger
    expect(scripted.requests[1]).toEqual(['m1', 'm2', 'm3', 'n2']);

    const results = await first;
    expect(results[1]).toEqual({ status: 'ok', value: 'v:n2', attempts: 2 });
    expect(results[2]).toEqual({ status: 'failed', code: 'InvalidParameter', message: 'bad', senderFault: true, attempts: 1 });
    expect((await later).every((r) => r.status === 'ok')).toBe(true);
    for (const name of ['n1', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'm1']) expect(scripted.sends.get(name)).toBe(1);
    expect(scripted.sends.get('n3')).toBe(1);
  });

  it('fails an entry with its last code after maxAttempts sends', async () => {
    const scripted = scriptedAdapter((entries) => entries.map(() => ({ code: 'InternalError', retryable: true, message: 'boom' })));
    const batcher = createBatcher(scripted.adapter, { retry: { maxAttempts: 3, random: () => 0.5 } });
    const result = batcher.add({ name: 'x' });
    await vi.runAllTimersAsync();
    expect(await result).toEqual({
      status: 'failed',
      code: 'InternalError',
      message: 'boom (gave up after 3 attempts)',
      senderFault: false,
      attempts: 3,
    });
    expect(scripted.sends.get('x')).toBe(3);
  });

  it('backs off per entry with the jitter strategy, from the entry attempt count', async () => {
    const sentAt: number[] = [];
    const scripted = scriptedAdapter((entries, call) => {
      sentAt.push(Date.now());
      return entries.map(() => (call < 3 ? { code: 'Busy', retryable: true } : 'ok'));
    });
    const batcher = createBatcher(scripted.adapter, { lingerMs: 10, retry: { jitter: noJitter, baseMs: 100, capMs: 150 } });
    const result = batcher.add({ name: 'x' });
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 'ok', attempts: 3 });
    const start = sentAt[0] as number;
    // Each retry waits its backoff (attempt 1: 100 ms, attempt 2: min(150, 200)), then lingers 10 ms in the buffer.
    expect(sentAt.map((t) => t - start)).toEqual([0, 110, 270]);
  });

  it('treats an entry the service did not answer as a retryable MissingResult, and ignores unknown or repeated ids', async () => {
    const recorder = recordingLogger();
    const scripted = scriptedAdapter((entries, call) => entries.map((e) => (call === 1 && e.name === 'b' ? 'missing' : 'ok')));
    const original = scripted.adapter.send.bind(scripted.adapter);
    scripted.adapter.send = async (entries, signal) => {
      const outcomes = await original(entries, signal);
      // A buggy service: an unknown id and a second answer for the first entry.
      return [...outcomes, { id: '99', ok: true, value: 'ghost' }, { id: '0', ok: false, code: 'Late', message: 'late', senderFault: false, retryable: true }];
    };
    const batcher = createBatcher(scripted.adapter, { logger: recorder.logger, retry: { random: () => 0 } });
    const results = batcher.addAll([{ name: 'a' }, { name: 'b' }]);
    await vi.runAllTimersAsync();
    expect(await results).toEqual([
      { status: 'ok', value: 'v:a', attempts: 1 },
      { status: 'ok', value: 'v:b', attempts: 2 },
    ]);
    expect(scripted.sends.get('a')).toBe(1);
    expect(recorder.lines.some((l) => l.level === 'warn' && l.message.includes('unknown or already answered'))).toBe(true);
    expect(recorder.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('createBatcher: whole-request failures', () => {
  it('re-sends a retryable failed request as the same request after a backoff', async () => {
    const scripted = scriptedAdapter((entries, call) => {
      if (call === 1) throw connectionReset();
      return entries.map(() => 'ok');
    });
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, retry: { jitter: noJitter, baseMs: 40 } });
    const all = batcher.addAll(inputs(4));
    await drain();
    const later = batcher.add({ name: 'later' });
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests).toEqual([['n1', 'n2', 'n3', 'n4'], ['later']]);
    await vi.advanceTimersByTimeAsync(38);
    expect(scripted.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests[2]).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect((await all).map((r) => r.attempts)).toEqual([2, 2, 2, 2]);
    expect((await later).status).toBe('ok');
    expect(batcher.stats()).toMatchObject({ requests: 3, failedRequests: 1, retries: 4 });
  });

  it('fails every entry of a non-retryable failed request with the error code, fault side and cause', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform SNS:Publish'), {
      name: 'AuthorizationErrorException',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    const scripted = scriptedAdapter(() => {
      throw denied;
    });
    const batcher = createBatcher(scripted.adapter);
    const all = batcher.addAll(inputs(3));
    await vi.runAllTimersAsync();
    for (const result of await all) {
      expect(result).toEqual({
        status: 'failed',
        code: 'AuthorizationErrorException',
        message: 'Test PutThings request failed with AuthorizationErrorException: User is not authorized to perform SNS:Publish',
        senderFault: true,
        attempts: 1,
        cause: denied,
      });
    }
    expect(scripted.requests).toHaveLength(1);
  });

  it('reports retryable errors that ran out of attempts as not the sender fault, with the last error', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    const scripted = scriptedAdapter(() => {
      throw throttled;
    });
    const batcher = createBatcher(scripted.adapter, { retry: { maxAttempts: 2, random: () => 0 } });
    const result = batcher.add({ name: 'x' });
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({
      status: 'failed',
      code: 'Throttling',
      senderFault: false,
      attempts: 2,
      cause: throttled,
    });
    expect((await result).status === 'failed' && (await result as { message: string }).message).toMatch(/Rate exceeded \(gave up after 2 attempts\)$/);
  });

  it('uses the isRetryable option for whole-request errors', async () => {
    const scripted = scriptedAdapter((entries, call) => {
      if (call === 1) throw new Error('custom transient');
      return entries.map(() => 'ok');
    });
    const batcher = createBatcher(scripted.adapter, { retry: { isRetryable: (e) => (e as Error).message === 'custom transient', random: () => 0 } });
    const result = batcher.add({ name: 'x' });
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 'ok', attempts: 2 });
  });

  it('aborts a request after requestTimeoutMs and retries it as RequestTimeout', async () => {
    const scripted = scriptedAdapter((entries, call, signal) => {
      if (call > 1) return entries.map(() => 'ok');
      return new Promise((_, reject) => {
        signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      });
    });
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, requestTimeoutMs: 1_000, retry: { random: () => 0 } });
    const result = batcher.add({ name: 'x' });
    await vi.advanceTimersByTimeAsync(999);
    expect(scripted.signals[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.signals[0]?.aborted).toBe(true);
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 'ok', attempts: 2 });
  });

  it('ignores an answer that arrives after the request timed out: one result per entry', async () => {
    const recorder = recordingLogger();
    const scripted = scriptedAdapter(
      (entries) => new Promise<EntryReply[]>((resolve) => setTimeout(() => resolve(entries.map(() => 'ok')), 2_000)),
    );
    const batcher = createBatcher(scripted.adapter, {
      lingerMs: 0,
      requestTimeoutMs: 1_000,
      retry: { maxAttempts: 1 },
      logger: recorder.logger,
    });
    let resolutions = 0;
    const result = batcher.add({ name: 'x' }).then((r) => {
      resolutions++;
      return r;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await result).toMatchObject({ status: 'failed', code: 'RequestTimeout' });
    expect(resolutions).toBe(1);
    expect(batcher.stats()).toMatchObject({ succeeded: 0, failed: 1, queued: 0, inFlight: 0 });
    expect(recorder.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('reports a timed-out request that ran out of attempts as RequestTimeout', async () => {
    const scripted = scriptedAdapter(() => new Promise<EntryReply[]>(() => {}));
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, requestTimeoutMs: 50, retry: { maxAttempts: 1 } });
    const result = batcher.add({ name: 'x' });
    await vi.advanceTimersByTimeAsync(50);
    expect(await result).toMatchObject({ status: 'failed', code: 'RequestTimeout', senderFault: false, attempts: 1 });
  });
});

describe('createBatcher: retry budget', () => {
  it('takes one token per re-sent request, not per entry, and fails every entry of a request the budget refuses, saying so', async () => {
    const budget = new RetryBudget({ capacity: 1, retryCost: 1, successRefill: 0 });
    const scripted = scriptedAdapter((entries, call) => {
      if (call <= 2) throw connectionReset();
      return entries.map(() => 'ok');
    });
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, retry: { budget, random: () => 0 } });
    const all = batcher.addAll(inputs(3));
    await vi.runAllTimersAsync();
    const results = await all;
    // The first failure re-sends all three entries for one token; the second finds the budget empty.
    expect(scripted.requests).toEqual([
      ['n1', 'n2', 'n3'],
      ['n1', 'n2', 'n3'],
    ]);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'failed', code: 'ECONNRESET', attempts: 2, senderFault: false });
      expect((result as { message: string }).message).toContain('retry budget is exhausted');
    }
    expect(budget.available).toBe(0);
  });

  it('takes one token per answer with entries to retry, however many', async () => {
    const budget = new RetryBudget({ capacity: 10, retryCost: 1, successRefill: 0 });
    const scripted = scriptedAdapter((entries, call) =>
      entries.map((e): EntryReply => (call === 1 && e.name !== 'n1' ? { code: 'InternalError', retryable: true } : 'ok')),
    );
    const batcher = createBatcher(scripted.adapter, { retry: { budget, random: () => 0 } });
    const all = batcher.addAll(inputs(10));
    await vi.runAllTimersAsync();
    expect((await all).every((r) => r.status === 'ok')).toBe(true);
    expect(scripted.requests.map((r) => r.length)).toEqual([10, 9]);
    expect(budget.available).toBe(9);
  });

  it('fails the entries of an answer the budget refuses, with their own last error', async () => {
    const budget = new RetryBudget({ capacity: 0, successRefill: 0 });
    const scripted = scriptedAdapter((entries) =>
      entries.map((e): EntryReply => (e.name === 'n1' ? 'ok' : { code: e.name === 'n2' ? 'Busy' : 'InternalError', retryable: true, message: 'blip' })),
    );
    const batcher = createBatcher(scripted.adapter, { retry: { budget } });
    const all = batcher.addAll(inputs(3));
    await vi.runAllTimersAsync();
    const [n1, n2, n3] = await all;
    expect(n1).toMatchObject({ status: 'ok' });
    expect(n2).toMatchObject({ status: 'failed', code: 'Busy', attempts: 1 });
    expect(n3).toMatchObject({ status: 'failed', code: 'InternalError', attempts: 1 });
    expect((n3 as { message: string }).message).toBe('blip (not retried: the retry budget is exhausted, too many retries recently; the service may be struggling)');
    expect(scripted.requests).toHaveLength(1);
  });

  it('refills the budget once per answered request, not per entry', async () => {
    const budget = new RetryBudget({ capacity: 10, successRefill: 0.5 });
    expect(budget.tryAcquire(10)).toBe(true);
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter);
    void batcher.addAll(inputs(4));
    await vi.runAllTimersAsync();
    // Without the budget option nothing is recorded.
    expect(budget.available).toBe(0);
    // With it: 24 entries in 3 requests refill 3 × 0.5.
    const withBudget = createBatcher(scriptedAdapter().adapter, { retry: { budget } });
    void withBudget.addAll(inputs(24));
    await vi.runAllTimersAsync();
    expect(budget.available).toBe(1.5);
  });
});

describe('createBatcher: rate limit', () => {
  it('takes one token per entry before each request, waiting when there are not enough', async () => {
    const rateLimiter = new RateLimiter({ ratePerSecond: 10, burst: 10 });
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { rateLimiter });
    const all = batcher.addAll(inputs(25));
    expect(scripted.requests).toHaveLength(1);
    expect(batcher.stats().inFlight).toBe(2); // the second request waits for tokens
    await vi.advanceTimersByTimeAsync(999);
    expect(scripted.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(scripted.requests).toHaveLength(3);
    expect(scripted.requests.map((r) => r.length)).toEqual([10, 10, 5]);
    expect((await all).every((r) => r.status === 'ok')).toBe(true);
  });

  it('takes tokens one by one when a request needs more than the burst', async () => {
    const rateLimiter = new RateLimiter({ ratePerSecond: 4, burst: 4 });
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { rateLimiter });
    void batcher.addAll(inputs(10));
    expect(scripted.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(scripted.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests).toEqual([inputs(10).map((i) => i.name)]);
  });
});

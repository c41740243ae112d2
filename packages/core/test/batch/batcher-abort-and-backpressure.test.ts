import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher, RateLimiter } from '@herald/core';
import { deferred, inputs, scriptedAdapter, type EntryReply } from './scripted-adapter.js';

const drain = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createBatcher: abort signals', () => {
  it('ends an entry aborted in the buffer at once, unsent; its batch mates go on', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { lingerMs: 50 });
    const controller = new AbortController();
    const kept = batcher.add({ name: 'kept' });
    const dropped = batcher.add({ name: 'dropped' }, { signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    const result = await dropped; // resolves without moving the clock
    expect(result).toMatchObject({ status: 'failed', code: 'Aborted', attempts: 0, senderFault: false });
    expect((result as { message: string; cause: unknown }).message).toContain('user cancelled');
    expect((result as { cause: unknown }).cause).toBeInstanceOf(Error);
    await vi.advanceTimersByTimeAsync(50);
    expect(await kept).toMatchObject({ status: 'ok' });
    expect(scripted.requests).toEqual([['kept']]);
    expect(batcher.stats()).toMatchObject({ queued: 0, failed: 1, succeeded: 1 });
  });

  it('fails an entry whose signal is already aborted without accepting it', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter);
    const result = await batcher.add({ name: 'x' }, { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ status: 'failed', code: 'Aborted', attempts: 0 });
    expect(batcher.stats()).toMatchObject({ queued: 0, added: 1, rejected: 1 });
  });

  it('ends an entry aborted during its retry backoff at once, with the last error named, and never sends it again', async () => {
    const scripted = scriptedAdapter((entries) => entries.map(() => ({ code: 'InternalError', retryable: true, message: 'blip' })));
    const batcher = createBatcher(scripted.adapter, { retry: { baseMs: 1_000, random: () => 1 } });
    const controller = new AbortController();
    const result = batcher.add({ name: 'x' }, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10); // sent at 5 ms, waiting 1 s to retry
    expect(scripted.sends.get('x')).toBe(1);
    controller.abort();
    const settled = await result;
    expect(settled).toMatchObject({ status: 'failed', code: 'Aborted', attempts: 1 });
    expect((settled as { message: string }).message).toContain('InternalError: blip');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scripted.sends.get('x')).toBe(1);
  });

  it('keeps the outcome of a request in flight when the signal aborts, but does not retry it', async () => {
    const replies = [deferred<EntryReply[]>(), deferred<EntryReply[]>()];
    let call = 0;
    const scripted = scriptedAdapter(() => (replies[call++] as ReturnType<typeof deferred<EntryReply[]>>).promise);
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, retry: { random: () => 0 } });
    const okController = new AbortController();
    const failController = new AbortController();
    const willSucceed = batcher.add({ name: 'a' }, { signal: okController.signal });
    const willFail = batcher.add({ name: 'b' }, { signal: failController.signal });
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests).toEqual([['a', 'b']]);
    okController.abort();
    failController.abort();
    replies[0]?.resolve(['ok', { code: 'InternalError', retryable: true, message: 'blip' }]);
    expect(await willSucceed).toMatchObject({ status: 'ok', attempts: 1 });
    const failed = await willFail;
    expect(failed).toMatchObject({ status: 'failed', code: 'InternalError', attempts: 1 });
    expect((failed as { message: string }).message).toContain('aborted while the request was in flight');
    await vi.runAllTimersAsync();
    expect(scripted.requests).toHaveLength(1);
  });

  it('drops an entry aborted while its request waits for rate-limit tokens', async () => {
    const rateLimiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    rateLimiter.tryTake(1);
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { rateLimiter, lingerMs: 0 });
    const controller = new AbortController();
    const a = batcher.add({ name: 'a' }, { signal: controller.signal });
    const b = batcher.add({ name: 'b' });
    await vi.advanceTimersByTimeAsync(1);
    expect(batcher.stats().inFlight).toBe(1);
    controller.abort();
    expect(await a).toMatchObject({ status: 'failed', code: 'Aborted', attempts: 0 });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await b).toMatchObject({ status: 'ok' });
    expect(scripted.requests).toEqual([['b']]);
  });
});

describe('createBatcher: backpressure (maxQueued)', () => {
  it('holds entries beyond maxQueued and admits them in add order as others settle', async () => {
    const replies: Array<ReturnType<typeof deferred<EntryReply[]>>> = [];
    const scripted = scriptedAdapter(() => {
      const d = deferred<EntryReply[]>();
      replies.push(d);
      return d.promise;
    });
    const batcher = createBatcher(scripted.adapter, { maxQueued: 4, lingerMs: 0 });
    const all = batcher.addAll(inputs(10));
    expect(batcher.stats()).toMatchObject({ queued: 4, waiting: 6 });
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests).toEqual([['n1', 'n2', 'n3', 'n4']]);

    replies[0]?.resolve(['ok', 'ok', 'ok', 'ok']);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests[1]).toEqual(['n5', 'n6', 'n7', 'n8']);
    expect(batcher.stats()).toMatchObject({ queued: 4, waiting: 2 });

    replies[1]?.resolve(['ok', 'ok', 'ok', 'ok']);
    await vi.advanceTimersByTimeAsync(1);
    replies[2]?.resolve(['ok', 'ok']);
    const results = await all;
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('ok'));
    expect(scripted.requests.flat()).toEqual(inputs(10).map((i) => i.name));
  });

  it('lets a waiting entry be aborted; it is never admitted', async () => {
    const hold = deferred<EntryReply[]>();
    const scripted = scriptedAdapter((entries, call) => (call === 1 ? hold.promise : entries.map(() => 'ok')));
    const batcher = createBatcher(scripted.adapter, { maxQueued: 1, lingerMs: 0 });
    const first = batcher.add({ name: 'first' });
    const controller = new AbortController();
    const waiting = batcher.add({ name: 'waiting' }, { signal: controller.signal });
    const third = batcher.add({ name: 'third' });
    expect(batcher.stats().waiting).toBe(2);
    controller.abort();
    expect(await waiting).toMatchObject({ status: 'failed', code: 'Aborted', attempts: 0 });
    expect(batcher.stats().waiting).toBe(1);
    hold.resolve(['ok']);
    await vi.runAllTimersAsync();
    expect(await first).toMatchObject({ status: 'ok' });
    expect(await third).toMatchObject({ status: 'ok' });
    expect(scripted.sends.has('waiting')).toBe(false);
  });

  it('close() also sends the entries that were waiting for admission', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { maxQueued: 3, lingerMs: 10_000 });
    const all = batcher.addAll(inputs(8));
    const closed = batcher.close();
    await vi.runAllTimersAsync();
    await closed;
    expect((await all).every((r) => r.status === 'ok')).toBe(true);
    expect(scripted.requests.flat()).toEqual(inputs(8).map((i) => i.name));
    await drain();
  });
});

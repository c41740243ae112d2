import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatcherClosedError, createBatcher, RateLimiter } from '@herald/core';
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

describe('createBatcher: one abort signal shared by many entries (A6)', () => {
  it('registers one listener per signal, removed once its entries have results', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const scripted = scriptedAdapter();
      const batcher = createBatcher(scripted.adapter, { lingerMs: 5 });
      const controller = new AbortController();
      const all = batcher.addAll(inputs(25), { signal: controller.signal });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      await vi.runAllTimersAsync();
      expect((await all).every((r) => r.status === 'ok')).toBe(true);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await new Promise((resolve) => process.nextTick(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('ends every waiting entry of the signal when it fires, keeps in-flight outcomes, and sends nothing more', async () => {
    const hold = deferred<EntryReply[]>();
    const scripted = scriptedAdapter((entries, call) => (call === 1 ? hold.promise : entries.map(() => 'ok')));
    const batcher = createBatcher(scripted.adapter, { lingerMs: 5 });
    const controller = new AbortController();
    const inFlight = batcher.addAll(inputs(10, 'f'), { signal: controller.signal }); // full: sent at once
    const buffered = batcher.addAll(inputs(5, 'b'), { signal: controller.signal });
    const other = batcher.add({ name: 'other' });
    controller.abort(new Error('shutting down'));
    const aborted = await buffered;
    expect(aborted.every((r) => r.status === 'failed' && r.code === 'Aborted' && r.attempts === 0)).toBe(true);
    hold.resolve(Array(10).fill('ok'));
    await vi.runAllTimersAsync();
    expect((await inFlight).every((r) => r.status === 'ok')).toBe(true);
    expect(await other).toMatchObject({ status: 'ok' });
    expect(scripted.requests).toEqual([inputs(10, 'f').map((i) => i.name), ['other']]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('createBatcher: ready() (A5)', () => {
  it('resolves at once while there is room, else when an entry settles, one caller per free place, in call order', async () => {
    const replies: Array<ReturnType<typeof deferred<EntryReply[]>>> = [];
    const scripted = scriptedAdapter(() => {
      const d = deferred<EntryReply[]>();
      replies.push(d);
      return d.promise;
    });
    const batcher = createBatcher(scripted.adapter, { maxQueued: 2, lingerMs: 0, maxInFlight: 10 });
    await expect(batcher.ready()).resolves.toBeUndefined();
    void batcher.add({ name: 'a' });
    await vi.advanceTimersByTimeAsync(1); // "a" in flight alone
    void batcher.add({ name: 'b' });
    const order: string[] = [];
    // Two producers, each adding as soon as it is let through.
    void batcher.ready().then(() => {
      order.push('first');
      void batcher.add({ name: 'c' });
    });
    void batcher.ready().then(() => {
      order.push('second');
      void batcher.add({ name: 'd' });
    });
    await vi.advanceTimersByTimeAsync(5);
    expect(order).toEqual([]);
    replies[0]?.resolve(['ok']); // "a" settles: one free place, taken by "c"
    await vi.advanceTimersByTimeAsync(5);
    expect(order).toEqual(['first']);
    replies[1]?.resolve(['ok']); // "b" settles: room for "d"
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual(['first', 'second']);
    expect(batcher.stats()).toMatchObject({ waiting: 0, queued: 2 });
  });

  it('keeps a fast producer to maxQueued entries: nothing ever waits for admission', async () => {
    const scripted = scriptedAdapter(
      (entries) => new Promise<EntryReply[]>((resolve) => setTimeout(() => resolve(entries.map(() => 'ok')), 10)),
    );
    const batcher = createBatcher(scripted.adapter, { maxQueued: 25, lingerMs: 1 });
    let most = 0;
    let ok = 0;
    const produce = async (): Promise<void> => {
      for (const input of inputs(1_000)) {
        await batcher.ready();
        void batcher.add(input).then((r) => {
          if (r.status === 'ok') ok++;
        });
        const { queued, waiting } = batcher.stats();
        most = Math.max(most, queued + waiting);
      }
      await batcher.close();
    };
    const done = produce();
    await vi.runAllTimersAsync();
    await done;
    expect(ok).toBe(1_000);
    expect(most).toBe(25);
    expect(scripted.requests.flat()).toEqual(inputs(1_000).map((i) => i.name));
  });

  it('does not leave callers waiting when those let through before them add nothing', async () => {
    const hold = deferred<EntryReply[]>();
    const scripted = scriptedAdapter(() => hold.promise);
    const batcher = createBatcher(scripted.adapter, { maxQueued: 1, lingerMs: 0 });
    void batcher.add({ name: 'a' });
    const released: number[] = [];
    for (const n of [1, 2, 3]) void batcher.ready().then(() => released.push(n));
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toEqual([]);
    hold.resolve(['ok']); // one free place; nobody adds
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toEqual([1, 2, 3]);
  });

  it('resolves waiting callers on close(), and at once after it; the next add() rejects', async () => {
    const hold = deferred<EntryReply[]>();
    const scripted = scriptedAdapter(() => hold.promise);
    const batcher = createBatcher(scripted.adapter, { maxQueued: 1, lingerMs: 0 });
    void batcher.add({ name: 'a' });
    let released = false;
    void batcher.ready().then(() => {
      released = true;
    });
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toBe(false);
    const closed = batcher.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(released).toBe(true);
    await expect(batcher.ready()).resolves.toBeUndefined();
    await expect(batcher.add({ name: 'late' })).rejects.toBeInstanceOf(BatcherClosedError);
    hold.resolve(['ok']);
    await closed;
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

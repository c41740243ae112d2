import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatcherClosedError, createBatcher, noJitter } from '@herald/core';
import { deferred, inputs, scriptedAdapter, type EntryReply } from './scripted-adapter.js';

/** Lets pending promise callbacks run without moving the clock. */
const drain = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createBatcher: when requests are sent', () => {
  it('sends full requests at once and the partial rest after lingerMs', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { lingerMs: 5 });
    const all = batcher.addAll(inputs(23));

    expect(scripted.requests.map((r) => r.length)).toEqual([10, 10]);
    await vi.advanceTimersByTimeAsync(4);
    expect(scripted.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests.map((r) => r.length)).toEqual([10, 10, 3]);

    const results = await all;
    expect(results).toHaveLength(23);
    results.forEach((result, i) => expect(result).toEqual({ status: 'ok', value: `v:n${i + 1}`, attempts: 1 }));
    // In add order across requests.
    expect(scripted.requests.flat()).toEqual(inputs(23).map((i) => i.name));
  });

  it('counts linger from the oldest waiting entry', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { lingerMs: 10 });
    void batcher.add({ name: 'early' });
    await vi.advanceTimersByTimeAsync(7);
    void batcher.add({ name: 'late' });
    await vi.advanceTimersByTimeAsync(2);
    expect(scripted.requests).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests).toEqual([['early', 'late']]);
  });

  it('starts a new linger for entries that arrive after a full request left', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { lingerMs: 10 });
    void batcher.add({ name: 'first' });
    await vi.advanceTimersByTimeAsync(6);
    void batcher.addAll(inputs(9)); // fills the request with "first": sent now
    expect(scripted.requests).toHaveLength(1);
    void batcher.add({ name: 'next' });
    await vi.advanceTimersByTimeAsync(9);
    expect(scripted.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests[1]).toEqual(['next']);
  });

  it('with lingerMs 0, sends a synchronous burst together on the next tick, not one by one', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0 });
    void batcher.addAll(inputs(4));
    void batcher.add({ name: 'n5' });
    expect(scripted.requests).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests).toEqual([['n1', 'n2', 'n3', 'n4', 'n5']]);
  });

  it('closes a request when the next entry would exceed maxRequestBytes; the limit is inclusive', async () => {
    const scripted = scriptedAdapter(undefined, { maxRequestBytes: 100, maxEntryBytes: 100 });
    const batcher = createBatcher(scripted.adapter, { lingerMs: 5 });
    // 40 + 60 = 100 fits exactly; the next 1-byte entry does not.
    void batcher.addAll([
      { name: 'a', bytes: 40 },
      { name: 'b', bytes: 60 },
      { name: 'c', bytes: 1 },
      { name: 'd', bytes: 99 },
      { name: 'e', bytes: 2 },
    ]);
    // The buffer holds more than one request's worth: the first goes at once.
    expect(scripted.requests).toEqual([['a', 'b'], ['c', 'd']]);
    await vi.advanceTimersByTimeAsync(5);
    expect(scripted.requests).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('fails entries over maxEntryBytes, or with an invalid size, locally without affecting others', async () => {
    const scripted = scriptedAdapter(undefined, { maxRequestBytes: 100, maxEntryBytes: 50 });
    const batcher = createBatcher(scripted.adapter);
    const results = await Promise.all([
      batcher.add({ name: 'fits', bytes: 50 }),
      batcher.add({ name: 'big', bytes: 51 }),
      batcher.add({ name: 'nan', bytes: Number.NaN }),
      batcher.add({ name: 'negative', bytes: -1 }),
      batcher.flush().then(() => 'flushed'),
    ]);
    expect(results[0]).toMatchObject({ status: 'ok', attempts: 1 });
    expect(results[1]).toMatchObject({ status: 'failed', code: 'EntryTooLarge', attempts: 0, senderFault: true });
    expect((results[1] as { message: string }).message).toContain('51 bytes');
    expect((results[1] as { message: string }).message).toContain('at most 50 bytes');
    expect(results[2]).toMatchObject({ status: 'failed', code: 'InvalidEntry' });
    expect(results[3]).toMatchObject({ status: 'failed', code: 'InvalidEntry' });
    expect(scripted.requests).toEqual([['fits']]);
    expect(batcher.stats()).toMatchObject({ added: 4, rejected: 3, failed: 3, succeeded: 1 });
  });

  it('fails entries the adapter refuses, or cannot prepare, at once and never sends them', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter);
    const refused = batcher.add({ name: 'bad', reject: 'InvalidParameter' });
    const exploded = batcher.add({ name: 'boom', explode: true });
    const good = batcher.add({ name: 'good' });
    expect(await refused).toEqual({
      status: 'failed',
      code: 'InvalidParameter',
      message: 'refused bad',
      senderFault: true,
      attempts: 0,
    });
    expect(await exploded).toMatchObject({ status: 'failed', code: 'InvalidEntry', attempts: 0 });
    expect((await exploded).status === 'failed' && (await exploded as { message: string }).message).toContain(
      'prepare blew up',
    );
    await vi.advanceTimersByTimeAsync(5);
    expect(await good).toMatchObject({ status: 'ok' });
    expect(scripted.requests).toEqual([['good']]);
  });

  it('gives batch ids "0".."n-1", unique within each request, whatever the inputs are', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter);
    await Promise.all([batcher.addAll(inputs(13)), batcher.flush()]);
    expect(scripted.ids).toEqual([
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['0', '1', '2'],
    ]);
  });

  it('never has more than maxInFlight requests in flight', async () => {
    const pending: Array<ReturnType<typeof deferred<EntryReply[]>>> = [];
    const scripted = scriptedAdapter(() => {
      const d = deferred<EntryReply[]>();
      pending.push(d);
      return d.promise;
    });
    const batcher = createBatcher(scripted.adapter, { maxInFlight: 2 });
    const all = batcher.addAll(inputs(45));
    expect(scripted.requests).toHaveLength(2);
    expect(batcher.stats().inFlight).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(scripted.requests).toHaveLength(2);

    pending[0]?.resolve(Array(10).fill('ok'));
    await drain();
    expect(scripted.requests).toHaveLength(3);
    expect(batcher.stats().inFlight).toBe(2);

    for (let i = 1; i < 5; i++) {
      pending[i]?.resolve(Array(10).fill('ok'));
      await drain();
    }
    expect(scripted.requests.map((r) => r.length)).toEqual([10, 10, 10, 10, 5]);
    const results = await all;
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(batcher.stats().inFlight).toBe(0);
  });
});

describe('createBatcher: flush, close and stats', () => {
  it('flush() sends a partial request at once and resolves when the earlier entries have results', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { lingerMs: 1_000 });
    const results: string[] = [];
    void batcher.add({ name: 'a' }).then((r) => results.push(`a:${r.status}`));
    void batcher.add({ name: 'b' }).then((r) => results.push(`b:${r.status}`));
    const flushed = batcher.flush().then(() => results.push('flushed'));
    expect(scripted.requests).toEqual([['a', 'b']]);
    await flushed;
    expect(results).toEqual(['a:ok', 'b:ok', 'flushed']);
  });

  it('flush() does not wait for entries added after it', async () => {
    const hold = deferred<EntryReply[]>();
    const scripted = scriptedAdapter((entries, call) => (call === 2 ? hold.promise : entries.map(() => 'ok')));
    const batcher = createBatcher(scripted.adapter, { lingerMs: 1_000 });
    void batcher.add({ name: 'before' });
    let flushed = false;
    void batcher.flush().then(() => {
      flushed = true;
    });
    const after = batcher.add({ name: 'after' });
    await drain();
    expect(flushed).toBe(true);
    expect(batcher.stats().queued).toBe(1);
    hold.resolve(['ok']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await after).toMatchObject({ status: 'ok' });
  });

  it('while a flush() waits for an entry in backoff, entries added after it are still batched (A3)', async () => {
    const scripted = scriptedAdapter((entries, call) =>
      entries.map((e): EntryReply => (call === 1 && e.name === 'slow' ? { code: 'InternalError', retryable: true } : 'ok')),
    );
    const batcher = createBatcher(scripted.adapter, { lingerMs: 20, retry: { jitter: noJitter, baseMs: 2_000 } });
    const slow = batcher.add({ name: 'slow' });
    await vi.advanceTimersByTimeAsync(21); // sent at 20, now waiting 2 s for its retry
    let flushed = false;
    void batcher.flush().then(() => {
      flushed = true;
    });
    const later: Array<Promise<unknown>> = [];
    for (const input of inputs(30, 'm')) {
      later.push(batcher.add(input));
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(20);
    expect(scripted.requests.map((r) => r.length)).toEqual([1, 10, 10, 10]);
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(scripted.requests.at(-1)).toEqual(['slow']);
    expect(flushed).toBe(true);
    expect(await slow).toMatchObject({ status: 'ok', attempts: 2 });
    await Promise.all(later);
  });

  it('a pending flush() sends an entry it covers at once, even behind newer buffered entries (A3)', async () => {
    const scripted = scriptedAdapter((entries, call) =>
      entries.map((e): EntryReply => (call === 1 && e.name === 'slow' ? { code: 'InternalError', retryable: true } : 'ok')),
    );
    const batcher = createBatcher(scripted.adapter, { lingerMs: 1_000, retry: { jitter: noJitter, baseMs: 100 } });
    void batcher.add({ name: 'slow' });
    const flushed = batcher.flush(); // sends "slow" at once; it fails and waits 100 ms
    await vi.advanceTimersByTimeAsync(50);
    void batcher.add({ name: 'newer' }); // not covered by the flush: lingers
    await vi.advanceTimersByTimeAsync(1);
    expect(scripted.requests).toEqual([['slow']]);
    await vi.advanceTimersByTimeAsync(50); // "slow" is due again, behind "newer" in the buffer
    expect(scripted.requests).toEqual([['slow'], ['newer', 'slow']]);
    await flushed;
  });

  it('flush() with nothing pending resolves at once', async () => {
    const batcher = createBatcher(scriptedAdapter().adapter);
    await expect(batcher.flush()).resolves.toBeUndefined();
  });

  it('close() sends what is buffered, loses nothing, then refuses new entries', async () => {
    const scripted = scriptedAdapter();
    const batcher = createBatcher(scripted.adapter, { lingerMs: 60_000 });
    const all = batcher.addAll(inputs(15));
    const closed = batcher.close();
    expect(batcher.close()).toBe(closed);
    await closed;
    const results = await all;
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(15);
    expect(scripted.requests.map((r) => r.length)).toEqual([10, 5]);

    await expect(batcher.add({ name: 'late' })).rejects.toBeInstanceOf(BatcherClosedError);
    await expect(batcher.add({ name: 'late' })).rejects.toMatchObject({ code: 'BatcherClosed', retryable: false });
    await expect(batcher.addAll([{ name: 'late2' }])).rejects.toBeInstanceOf(BatcherClosedError);
    expect(scripted.sends.has('late')).toBe(false);
  });

  it('close() waits for retries in backoff', async () => {
    let calls = 0;
    const scripted = scriptedAdapter((entries) => {
      calls++;
      return entries.map(() => (calls === 1 ? { code: 'InternalError', retryable: true } : 'ok'));
    });
    const batcher = createBatcher(scripted.adapter, { retry: { random: () => 1, baseMs: 100 } });
    const result = batcher.add({ name: 'x' });
    let closed = false;
    void batcher.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toBe(true);
    expect(await result).toEqual({ status: 'ok', value: 'v:x', attempts: 2 });
  });

  it('stats() counts requests, entry sends, retries, bytes and outcomes', async () => {
    let call = 0;
    const scripted = scriptedAdapter((entries) => {
      call++;
      if (call === 1) return entries.map((e) => (e.name === 'n2' ? { code: 'Busy', retryable: true } : e.name === 'n3' ? { code: 'Bad', retryable: false } : 'ok'));
      return entries.map(() => 'ok');
    });
    const batcher = createBatcher(scripted.adapter, { retry: { random: () => 0 } });
    const all = batcher.addAll(inputs(4, 'n', { bytes: 7 }).concat([{ name: 'local', reject: 'Nope' }]));
    expect(batcher.stats()).toMatchObject({ added: 5, queued: 4, inFlight: 0, rejected: 1 });
    const closed = batcher.close();
    await vi.runAllTimersAsync();
    await closed;
    await all;
    expect(batcher.stats()).toEqual({
      added: 5,
      requests: 2,
      failedRequests: 0,
      entries: 5,
      retries: 1,
      succeeded: 3,
      failed: 2,
      rejected: 1,
      bytes: 35,
      queued: 0,
      waiting: 0,
      inFlight: 0,
    });
  });

  it('rejects invalid options with a RangeError that names the option', () => {
    const { adapter } = scriptedAdapter();
    expect(() => createBatcher(adapter, { lingerMs: -1 })).toThrow(/lingerMs/);
    expect(() => createBatcher(adapter, { maxInFlight: 0 })).toThrow(/maxInFlight/);
    expect(() => createBatcher(adapter, { maxQueued: 1.5 })).toThrow(/maxQueued/);
    expect(() => createBatcher(adapter, { retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/);
    expect(() => createBatcher({ ...adapter, maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createBatcher(adapter, { maxQueued: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher, noJitter } from '@herald/core';
import { scriptedAdapter, type EntryReply, type Responder, type TestInput } from './scripted-adapter.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const keyOf = (name: string): string => name.replace(/\d+$/, '').toUpperCase();
const entry = (name: string): TestInput => ({ name, key: keyOf(name) });

/** Replies ok except where `plan` says otherwise for the n-th send of a name (1-based). */
function planned(plan: Record<string, EntryReply[]>): Responder {
  const seen = new Map<string, number>();
  return (entries) =>
    entries.map((e) => {
      const n = (seen.get(e.name) ?? 0) + 1;
      seen.set(e.name, n);
      return plan[e.name]?.[n - 1] ?? 'ok';
    });
}

function ordered(respond?: Responder, extra: Parameters<typeof createBatcher>[1] = {}) {
  const scripted = scriptedAdapter(respond);
  const batcher = createBatcher(scripted.adapter, {
    ordered: true,
    lingerMs: 5,
    retry: { jitter: noJitter, baseMs: 100 },
    ...extra,
  });
  return { scripted, batcher };
}

function assertOneEntryPerKeyPerRequest(requests: string[][]): void {
  for (const request of requests) {
    const keys = request.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
  }
}

describe('createBatcher ordered mode (FIFO)', () => {
  it('sends one entry per key per request, each key in add order', async () => {
    const { scripted, batcher } = ordered();
    const all = batcher.addAll(['a1', 'a2', 'a3', 'b1', 'b2', 'c1'].map(entry));
    await vi.runAllTimersAsync();
    expect(scripted.requests).toEqual([['a1', 'b1', 'c1'], ['a2', 'b2'], ['a3']]);
    expect((await all).every((r) => r.status === 'ok')).toBe(true);
  });

  it('a transient failure of a2 delays a3 until a2 succeeds, but not b3', async () => {
    const { scripted, batcher } = ordered(planned({ a2: [{ code: 'InternalError', retryable: true }] }));
    const all = batcher.addAll(['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map(entry));
    await vi.runAllTimersAsync();
    expect(scripted.requests).toEqual([['a1', 'b1'], ['a2', 'b2'], ['b3'], ['a2'], ['a3']]);
    const results = await all;
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('ok'));
    expect(results[1]?.attempts).toBe(2);
    assertOneEntryPerKeyPerRequest(scripted.requests);
  });

  it('a permanent failure of a2 fails the queued a3 and a4 without sending them, naming a2; b goes on', async () => {
    const { scripted, batcher } = ordered(
      planned({ a2: [{ code: 'InvalidParameter', retryable: false, message: 'Invalid attribute' }] }),
    );
    const all = batcher.addAll(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3'].map(entry));
    await vi.runAllTimersAsync();
    const results = await all;
    expect(results[1]).toMatchObject({ status: 'failed', code: 'InvalidParameter', attempts: 1 });
    for (const index of [2, 3]) {
      const result = results[index] as { status: string; code: string; message: string; attempts: number };
      expect(result).toMatchObject({ status: 'failed', code: 'PrecedingMessageFailed', attempts: 0, senderFault: false });
      expect(result.message).toContain('"a2"');
      expect(result.message).toContain('InvalidParameter: Invalid attribute');
      expect(result.message).toContain('"A"');
    }
    expect(scripted.sends.has('a3')).toBe(false);
    expect(scripted.sends.has('a4')).toBe(false);
    expect(results.slice(4).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);

    // Entries of the key added after the failure are sent normally.
    const later = batcher.add(entry('a5'));
    await vi.runAllTimersAsync();
    expect(await later).toMatchObject({ status: 'ok' });
  });

  it('retries exhausted count as a failure of the key too', async () => {
    const busy: EntryReply = { code: 'InternalError', retryable: true };
    const { scripted, batcher } = ordered(planned({ a1: [busy, busy] }), { retry: { maxAttempts: 2, jitter: noJitter, baseMs: 10 } });
    const all = batcher.addAll(['a1', 'a2'].map(entry));
    await vi.runAllTimersAsync();
    const [a1, a2] = await all;
    expect(a1).toMatchObject({ status: 'failed', code: 'InternalError', attempts: 2 });
    expect(a2).toMatchObject({ status: 'failed', code: 'PrecedingMessageFailed' });
    expect(scripted.requests).toEqual([['a1'], ['a1']]);
  });

  it('also fails entries of the key still waiting for admission (maxQueued) when an earlier one fails', async () => {
    const { scripted, batcher } = ordered(planned({ a1: [{ code: 'Denied', retryable: false }] }), { maxQueued: 2 });
    const all = batcher.addAll(['a1', 'a2', 'a3', 'b1'].map(entry));
    expect(batcher.stats()).toMatchObject({ queued: 2, waiting: 2 });
    await vi.runAllTimersAsync();
    const results = await all;
    expect(results.map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual([
      'Denied',
      'PrecedingMessageFailed',
      'PrecedingMessageFailed',
      'ok',
    ]);
    expect(scripted.requests.flat()).toEqual(['a1', 'b1']);
  });

  it('lets the next entry go when an entry is aborted before it is sent (the caller dropped it)', async () => {
    const { scripted, batcher } = ordered();
    const controller = new AbortController();
    const a1 = batcher.add(entry('a1'), { signal: controller.signal });
    const a2 = batcher.add(entry('a2'));
    controller.abort();
    expect(await a1).toMatchObject({ status: 'failed', code: 'Aborted' });
    await vi.runAllTimersAsync();
    expect(await a2).toMatchObject({ status: 'ok' });
    expect(scripted.requests).toEqual([['a2']]);
  });

  it('an entry refused locally keeps its place: the key\'s later entries fail naming it, other keys go on (A4)', async () => {
    const { scripted, batcher } = ordered();
    const all = batcher.addAll([entry('a1'), { ...entry('a2'), reject: 'BadAttribute' }, entry('a3'), entry('b1')]);
    await vi.runAllTimersAsync();
    const [a1, a2, a3, b1] = await all;
    expect(a1).toMatchObject({ status: 'ok' });
    expect(a2).toEqual({ status: 'failed', code: 'BadAttribute', message: 'refused a2', senderFault: true, attempts: 0 });
    expect(a3).toMatchObject({ status: 'failed', code: 'PrecedingMessageFailed', attempts: 0, senderFault: false });
    expect((a3 as { message: string }).message).toContain('the earlier entry "a2" with ordering key "A" failed with BadAttribute: refused a2');
    expect(b1).toMatchObject({ status: 'ok' });
    expect(scripted.requests).toEqual([['a1', 'b1']]);
    expect(batcher.stats()).toMatchObject({ rejected: 1, failed: 2, succeeded: 2, queued: 0 });
  });

  it('an entry refused while its key is idle fails at once, and so do the key\'s entries added in the same burst; later ones are sent (A4)', async () => {
    const { scripted, batcher } = ordered();
    const results: string[] = [];
    const record = (name: string) => (r: { status: string; code?: string }) => results.push(`${name}:${r.code ?? r.status}`);
    void batcher.add({ ...entry('a1'), reject: 'BadAttribute' }).then(record('a1'));
    void batcher.add(entry('a2')).then(record('a2'));
    void batcher.add(entry('b1')).then(record('b1'));
    await Promise.resolve();
    void batcher.add(entry('a3')).then(record('a3')); // still before the next macrotask
    await vi.runAllTimersAsync();
    expect(results).toEqual(['a1:BadAttribute', 'a2:PrecedingMessageFailed', 'a3:PrecedingMessageFailed', 'b1:ok']);
    // After the burst, the caller has seen the failure: new entries of the key are sent.
    const a4 = batcher.add(entry('a4'));
    await vi.runAllTimersAsync();
    expect(await a4).toMatchObject({ status: 'ok' });
    expect(scripted.requests).toEqual([['b1'], ['a4']]);
  });

  it('an entry too large for the service keeps its place in its key\'s order too (A4)', async () => {
    const { scripted, batcher } = ordered();
    const all = batcher.addAll([entry('a1'), { ...entry('a2'), bytes: 5_000 }, entry('a3')]);
    await vi.runAllTimersAsync();
    expect((await all).map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual(['ok', 'EntryTooLarge', 'PrecedingMessageFailed']);
    expect(scripted.requests).toEqual([['a1']]);
  });

  it('a refused entry waiting for admission (maxQueued) also fails the key\'s entries behind it (A4)', async () => {
    const { scripted, batcher } = ordered(undefined, { maxQueued: 1 });
    const all = batcher.addAll([entry('a1'), { ...entry('a2'), reject: 'BadAttribute' }, entry('a3'), entry('b1')]);
    expect(batcher.stats()).toMatchObject({ queued: 1, waiting: 3 });
    await vi.runAllTimersAsync();
    expect((await all).map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual([
      'ok',
      'BadAttribute',
      'PrecedingMessageFailed',
      'ok',
    ]);
    expect(scripted.requests.flat()).toEqual(['a1', 'b1']);
  });

  it('a refused entry without an ordering key fails at once, with its own code', async () => {
    const { scripted, batcher } = ordered();
    const all = batcher.addAll([{ name: 'loose', reject: 'BadAttribute' }, entry('a1')]);
    await vi.runAllTimersAsync();
    expect((await all).map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual(['BadAttribute', 'ok']);
    expect(scripted.requests).toEqual([['a1']]);
  });

  it('re-sends a failed request as is, keeping the keys in order', async () => {
    let call = 0;
    const { scripted, batcher } = ordered((entries) => {
      call++;
      if (call === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return entries.map(() => 'ok');
    });
    const all = batcher.addAll(['a1', 'a2', 'b1'].map(entry));
    await vi.runAllTimersAsync();
    expect(scripted.requests).toEqual([['a1', 'b1'], ['a1', 'b1'], ['a2']]);
    expect((await all).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('refuses entries without an ordering key locally', async () => {
    const { scripted, batcher } = ordered();
    expect(await batcher.add({ name: 'loose' })).toMatchObject({ status: 'failed', code: 'MissingOrderingKey', attempts: 0 });
    expect(scripted.requests).toEqual([]);
  });

  it('schedules many keys efficiently: full requests, distinct keys, order kept per key', async () => {
    const keys = 500;
    const perKey = 4;
    const { scripted, batcher } = ordered(undefined, { maxInFlight: 10 });
    const added: TestInput[] = [];
    for (let round = 1; round <= perKey; round++) {
      for (let k = 0; k < keys; k++) added.push({ name: `k${k}e${round}`, key: `k${k}` });
    }
    const all = batcher.addAll(added);
    await vi.runAllTimersAsync();
    expect((await all).every((r) => r.status === 'ok')).toBe(true);
    const sent = scripted.requests;
    for (const request of sent) {
      const requestKeys = request.map((name) => name.split('e')[0]);
      expect(new Set(requestKeys).size).toBe(request.length);
    }
    const position = new Map(sent.flat().map((name, index) => [name, index]));
    for (let k = 0; k < keys; k++) {
      for (let round = 2; round <= perKey; round++) {
        expect(position.get(`k${k}e${round}`) as number).toBeGreaterThan(position.get(`k${k}e${round - 1}`) as number);
      }
    }
    expect(sent.flat()).toHaveLength(keys * perKey);
    // Nearly every request is full: the keys keep the buffer supplied.
    expect(sent.length).toBeLessThanOrEqual((keys * perKey) / 10 + 10);
  });

  it('serves one hot key one entry at a time without holding back the other keys', async () => {
    const { scripted, batcher } = ordered(undefined, { lingerMs: 1 });
    const hot = Array.from({ length: 300 }, (_, i) => ({ name: `h${i + 1}`, key: 'hot' }));
    const others = Array.from({ length: 20 }, (_, i) => ({ name: `o${i + 1}`, key: `other${i}` }));
    const all = batcher.addAll([...hot, ...others]);
    await vi.runAllTimersAsync();
    expect((await all).every((r) => r.status === 'ok')).toBe(true);
    const sent = scripted.requests;
    const hotOrder = sent.flat().filter((name) => name.startsWith('h'));
    expect(hotOrder).toEqual(hot.map((h) => h.name));
    // Each hot entry went in its own request; the other keys all went out with the first ones.
    expect(sent.filter((request) => request.some((name) => name.startsWith('h')))).toHaveLength(300);
    const firstThree = sent.slice(0, 3).flat();
    for (const other of others) expect(firstThree).toContain(other.name);
  });
});

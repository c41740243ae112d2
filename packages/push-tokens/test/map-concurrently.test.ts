import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mapConcurrently } from '../src/concurrency/map-concurrently.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrently', () => {
  it('keeps at most `limit` calls in flight and returns results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const delays = [30, 10, 20, 5, 25, 15, 1];
    const run = mapConcurrently(delays, 3, async (ms, index) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await wait(ms);
      inFlight -= 1;
      return index * 10;
    });
    await vi.runAllTimersAsync();
    expect(await run).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(most).toBe(3);
  });

  it('starts nothing more once aborted, and rejects with the reason', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapConcurrently(
      [1, 2, 3, 4, 5],
      2,
      async (item) => {
        started.push(item);
        if (item === 2) controller.abort(new Error('stop'));
        await wait(10);
        return item;
      },
      controller.signal,
    );
    const outcome = expect(run).rejects.toThrow('stop');
    await vi.runAllTimersAsync();
    await outcome;
    expect(started).toEqual([1, 2]);
  });

  it('rejects with the first error after the calls in flight settle', async () => {
    let settled = 0;
    const run = mapConcurrently([1, 2, 3], 2, async (item) => {
      await wait(item * 10);
      settled += 1;
      if (item === 1) throw new Error('first');
      return item;
    });
    const outcome = expect(run).rejects.toThrow('first');
    await vi.runAllTimersAsync();
    await outcome;
    expect(settled).toBe(2);
  });

  it('handles no items', async () => {
    expect(await mapConcurrently([], 4, async () => 1)).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep, systemClock } from '../src/clock.js';

describe('sleep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves after the given time and not before', async () => {
    let done = false;
    void sleep(100).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('rejects with the reason when the signal is already aborted, without a timer', async () => {
    const reason = new Error('stop');
    await expect(sleep(1000, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once with the reason when aborted during the wait and clears its timer', async () => {
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats negative and NaN delays as 0', async () => {
    let count = 0;
    void sleep(-5).then(() => count++);
    void sleep(Number.NaN).then(() => count++);
    await vi.advanceTimersByTimeAsync(0);
    expect(count).toBe(2);
  });

  it('systemClock follows Date.now (and so fake timers)', () => {
    vi.setSystemTime(1_700_000_000_000);
    expect(systemClock.now()).toBe(1_700_000_000_000);
    vi.advanceTimersByTime(5);
    expect(systemClock.now()).toBe(1_700_000_000_005);
  });
});

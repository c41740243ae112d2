import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../src/rate-limit/rate-limiter.js';

describe('RateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('allows a burst, then refills at the steady rate', () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 3 });
    expect([limiter.tryTake(), limiter.tryTake(), limiter.tryTake(), limiter.tryTake()]).toEqual([true, true, true, false]);
    vi.advanceTimersByTime(99);
    expect(limiter.tryTake()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(limiter.tryTake()).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(limiter.tryTake(3)).toBe(true);
    expect(limiter.tryTake()).toBe(false); // never more than the burst
  });

  it('defaults burst to the rate', () => {
    const limiter = new RateLimiter({ ratePerSecond: 5 });
    expect(limiter.tryTake(5)).toBe(true);
    expect(limiter.tryTake(1)).toBe(false);
  });

  it('take resolves at once when tokens are there, and waits exactly until they are', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 1 });
    await limiter.take();
    let done = false;
    void limiter.take().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('serves waiters first come, first served', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 5, burst: 5 });
    expect(limiter.tryTake(5)).toBe(true);
    const order: string[] = [];
    void limiter.take(5).then(() => order.push('big'));
    void limiter.take(1).then(() => order.push('small'));
    // One token arrives after 200 ms, but the big waiter is first in line.
    await vi.advanceTimersByTimeAsync(200);
    expect(order).toEqual([]);
    expect(limiter.tryTake()).toBe(false); // no jumping the queue either
    await vi.advanceTimersByTimeAsync(800);
    expect(order).toEqual(['big']);
    await vi.advanceTimersByTimeAsync(200);
    expect(order).toEqual(['big', 'small']);
  });

  it('an aborted waiter rejects with the reason, takes nothing, and lets the next one go', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 2 });
    expect(limiter.tryTake(2)).toBe(true);
    const controller = new AbortController();
    const big = limiter.take(2, controller.signal);
    let smallDone = false;
    void limiter.take(1).then(() => (smallDone = true));
    await vi.advanceTimersByTimeAsync(500);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(big).rejects.toBe(reason);
    expect(smallDone).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(smallDone).toBe(true);
  });

  it('rejects at once with the reason when the signal is already aborted', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1 });
    const reason = new Error('no');
    await expect(limiter.take(1, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(limiter.tryTake()).toBe(true); // nothing was taken
  });

  it('uses an injected clock', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 1, clock: { now: () => now } });
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(false);
    now = 500;
    expect(limiter.tryTake()).toBe(true);
  });

  it('throws RangeError for invalid options and for more tokens than the burst', async () => {
    for (const ratePerSecond of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new RateLimiter({ ratePerSecond })).toThrow(RangeError);
    }
    expect(() => new RateLimiter({ ratePerSecond: 1, burst: 0 })).toThrow(/burst/);
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 10 });
    await expect(limiter.take(11)).rejects.toThrow(/burst is 10/);
    expect(() => limiter.tryTake(11)).toThrow(RangeError);
    expect(() => limiter.tryTake(-1)).toThrow(RangeError);
  });
});

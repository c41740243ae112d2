import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decorrelatedJitter, noJitter } from '../../src/backoff/jitter.js';
import { HeraldError } from '../../src/errors.js';
import { DeadlineExceededError } from '../../src/retry/deadline-exceeded-error.js';
import { RetryBudget } from '../../src/retry/retry-budget.js';
import { type RetryInfo, retry } from '../../src/retry/retry.js';

/** An SDK-shaped throttling error (what `SNSServiceException` subclasses look like). */
function throttled(label = 'Rate exceeded'): Error {
  return Object.assign(new Error(label), {
    name: 'Throttling',
    $fault: 'client',
    $metadata: { httpStatusCode: 400, attempts: 1 },
  });
}

function failing(errors: unknown[], result = 'ok'): ReturnType<typeof vi.fn<(attempt: number) => Promise<string>>> {
  const queue = [...errors];
  return vi.fn(async (_attempt: number) => {
    if (queue.length > 0) throw queue.shift();
    return result;
  });
}

const START = 1_700_000_000_000;

describe('retry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => vi.useRealTimers());

  it('returns the first success without waiting', async () => {
    const fn = failing([]);
    await expect(retry(fn)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('retries retryable errors after the jittered delay, passing the attempt number', async () => {
    const fn = failing([throttled(), throttled()]);
    const result = retry(fn, { maxAttempts: 3, baseMs: 100, jitter: noJitter });
    await vi.advanceTimersByTimeAsync(99);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
    expect(fn.mock.calls.map((call) => call[0])).toEqual([1, 2, 3]);
  });

  it('uses the injected random for the delay', async () => {
    const delays: number[] = [];
    const fn = failing([throttled()]);
    const result = retry(fn, { baseMs: 1000, random: () => 0.25, onRetry: (info) => delays.push(info.delayMs) });
    await vi.advanceTimersByTimeAsync(250);
    await expect(result).resolves.toBe('ok');
    expect(delays).toEqual([250]);
  });

  it('attempts a non-retryable error once and throws the original object', async () => {
    const denied = Object.assign(new Error('User is not authorized'), {
      name: 'AuthorizationError',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    const fn = failing([denied]);
    await expect(retry(fn, { maxAttempts: 5 })).rejects.toBe(denied);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws the last error after maxAttempts', async () => {
    const errors = [throttled('first'), throttled('second'), throttled('third')];
    const fn = failing(errors);
    const result = retry(fn, { maxAttempts: 3, baseMs: 10, jitter: noJitter });
    const settled = expect(result).rejects.toBe(errors[2]);
    await vi.runAllTimersAsync();
    await settled;
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('passes thrown non-Error values and TypeErrors through untouched when isRetryable says so', async () => {
    const typeError = new TypeError('not a network error');
    const fn = failing([typeError, 'a string'], 'done');
    const result = retry(fn, { maxAttempts: 3, baseMs: 1, jitter: noJitter, isRetryable: () => true });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('done');
    expect(fn).toHaveBeenCalledTimes(3);

    const fn2 = failing(['just a string']);
    await expect(retry(fn2, { maxAttempts: 1 })).rejects.toBe('just a string');
  });

  it('ends at once with the abort reason when aborted during a backoff wait, with no further attempt', async () => {
    const controller = new AbortController();
    const onRetry = vi.fn<(info: RetryInfo) => void>();
    const fn = vi.fn(async () => {
      throw throttled();
    });
    const result = retry(fn, { maxAttempts: 5, baseMs: 1000, jitter: noJitter, signal: controller.signal, onRetry });
    await vi.advanceTimersByTimeAsync(10); // well inside the 1000 ms wait
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);

    const reason = new Error('shutting down');
    const abortedAt = Date.now();
    controller.abort(reason);
    // No timer is advanced: the rejection must come from the abort itself.
    await expect(result).rejects.toBe(reason);
    expect(Date.now()).toBe(abortedAt);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects at once with the abort reason while an attempt is still running, and ignores its later outcome', async () => {
    const controller = new AbortController();
    let settleAttempt: ((outcome: 'ok' | 'fail') => void) | undefined;
    const fn = vi.fn(
      (_attempt: number, _signal: AbortSignal | undefined) =>
        new Promise<string>((resolve, reject) => {
          settleAttempt = (outcome) => (outcome === 'ok' ? resolve('late') : reject(throttled('late failure')));
        }),
    );
    const result = retry(fn, { maxAttempts: 5, baseMs: 10, jitter: noJitter, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    expect(fn).toHaveBeenCalledTimes(1);

    const reason = new Error('caller gave up');
    const abortedAt = Date.now();
    controller.abort(reason);
    // No timer is advanced and the attempt has not settled: the abort alone ends the call.
    await expect(result).rejects.toBe(reason);
    expect(Date.now()).toBe(abortedAt);

    // The attempt failing afterwards (retryable!) neither starts another attempt nor surfaces.
    settleAttempt?.('fail');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores a success that arrives after the abort', async () => {
    const controller = new AbortController();
    let finish: ((value: string) => void) | undefined;
    const fn = vi.fn(
      (_attempt: number, _signal: AbortSignal | undefined) =>
        new Promise<string>((resolve) => {
          finish = resolve;
        }),
    );
    const result = retry(fn, { signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    finish?.('too late');
    await expect(result).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('passes the signal to fn so the attempt can cancel its own work', async () => {
    const controller = new AbortController();
    const seen: Array<AbortSignal | undefined> = [];
    const fn = vi.fn(async (_attempt: number, signal: AbortSignal | undefined) => {
      seen.push(signal);
      return 'ok';
    });
    await retry(fn, { signal: controller.signal });
    await retry(fn);
    expect(seen).toEqual([controller.signal, undefined]);

    // The attempt sees the abort through the signal it was given.
    const aborting = new AbortController();
    let sawAbort = false;
    const pending = retry(
      (_attempt, signal) =>
        new Promise<string>(() => {
          signal?.addEventListener('abort', () => {
            sawAbort = true;
          });
        }),
      { signal: aborting.signal },
    );
    aborting.abort(new Error('bye'));
    await expect(pending).rejects.toThrow('bye');
    expect(sawAbort).toBe(true);
  });

  it('clamps what a custom jitter returns: NaN waits capMs, negative waits 0, too large waits capMs', async () => {
    for (const [returned, expected] of [
      [Number.NaN, 500],
      [-20, 0],
      [Number.NEGATIVE_INFINITY, 0],
      [Number.POSITIVE_INFINITY, 500],
      [1e12, 500],
    ] as const) {
      const delays: number[] = [];
      const fn = failing([throttled(), throttled()]);
      const result = retry(fn, {
        maxAttempts: 3,
        capMs: 500,
        jitter: () => returned,
        onRetry: (info) => delays.push(info.delayMs),
      });
      if (expected > 0) {
        await vi.advanceTimersByTimeAsync(expected - 1);
        expect(fn, `jitter returned ${returned}`).toHaveBeenCalledTimes(1);
      }
      await vi.advanceTimersByTimeAsync(2 * expected + 1);
      await expect(result).resolves.toBe('ok');
      expect(delays, `jitter returned ${returned}`).toEqual([expected, expected]);
    }
  });

  it('does not call fn when the signal is already aborted', async () => {
    const reason = new Error('too late');
    const fn = failing([]);
    await expect(retry(fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('rejects with the abort reason when aborted while an attempt runs, and does not retry', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const fn = vi.fn(async () => {
      controller.abort(reason);
      throw throttled();
    });
    await expect(retry(fn, { maxAttempts: 5, signal: controller.signal })).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start a wait that would end past the deadline, and throws the last error', async () => {
    const errors = [throttled('one'), throttled('two'), throttled('three')];
    const fn = failing(errors);
    const onRetry = vi.fn<(info: RetryInfo) => void>();
    // Waits would be 100, 200, 400 ms; the deadline allows the first only.
    const result = retry(fn, { maxAttempts: 10, baseMs: 100, jitter: noJitter, deadline: START + 250, onRetry });
    const settled = expect(result).rejects.toBe(errors[1]);
    await vi.advanceTimersByTimeAsync(100);
    await settled;
    expect(fn).toHaveBeenCalledTimes(2);
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(Date.now()).toBe(START + 100);
  });

  it('reads a deadline function at each decision and allows a wait ending exactly at it', async () => {
    let deadline = START + 100;
    const fn = vi.fn(async (attempt: number) => {
      if (attempt === 2) deadline = START + 1000; // the caller was given more time
      if (attempt < 4) throw throttled(String(attempt));
      return 'late success';
    });
    const result = retry(fn, { maxAttempts: 10, baseMs: 100, jitter: noJitter, deadline: () => deadline });
    await vi.advanceTimersByTimeAsync(100); // the first wait ends exactly at the first deadline
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200 + 400);
    await expect(result).resolves.toBe('late success');
    expect(fn).toHaveBeenCalledTimes(4);
    expect(Date.now()).toBe(START + 700);
  });

  it('makes no attempt when the deadline has already passed', async () => {
    const fn = failing([]);
    const error = await retry(fn, { deadline: START - 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as DeadlineExceededError).code).toBe('DeadlineExceeded');
    expect((error as DeadlineExceededError).retryable).toBe(false);
    expect(fn).not.toHaveBeenCalled();
  });

  it('uses an injected clock for the deadline', async () => {
    const clock = { now: () => 5000 };
    const error = throttled();
    const fn = failing([error]);
    await expect(retry(fn, { clock, deadline: 5050, baseMs: 100, jitter: noJitter })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('stops retrying when the budget is exhausted and throws the last error', async () => {
    const budget = new RetryBudget({ capacity: 2, retryCost: 1, successRefill: 0.5 });
    const errors = [throttled('1'), throttled('2'), throttled('3'), throttled('4')];
    const fn = failing(errors);
    const result = retry(fn, { maxAttempts: 10, baseMs: 10, jitter: noJitter, budget });
    const settled = expect(result).rejects.toBe(errors[2]);
    await vi.runAllTimersAsync();
    await settled;
    expect(fn).toHaveBeenCalledTimes(3);
    expect(budget.available).toBe(0);

    // Successes refill the budget, a little at a time.
    await retry(failing([]), { budget });
    await retry(failing([]), { budget });
    expect(budget.available).toBe(1);
  });

  it('does not spend budget on non-retryable errors or on the first attempt', async () => {
    const budget = new RetryBudget({ capacity: 5 });
    const fn = failing([new Error('plain')]);
    await expect(retry(fn, { budget })).rejects.toThrow('plain');
    expect(budget.available).toBe(5);
  });

  it('feeds the previous delay to decorrelated jitter', async () => {
    const delays: number[] = [];
    const fn = failing([throttled(), throttled(), throttled()]);
    const result = retry(fn, {
      maxAttempts: 4,
      baseMs: 100,
      capMs: 5000,
      jitter: decorrelatedJitter,
      random: () => 1,
      onRetry: (info) => delays.push(info.delayMs),
    });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('ok');
    expect(delays).toEqual([300, 900, 2700]);
  });

  it('tells onRetry the error and the failed attempt number', async () => {
    const error = throttled();
    const onRetry = vi.fn<(info: RetryInfo) => void>();
    const result = retry(failing([error]), { baseMs: 50, jitter: noJitter, onRetry });
    await vi.runAllTimersAsync();
    await result;
    expect(onRetry).toHaveBeenCalledWith({ error, attempt: 1, delayMs: 50 });
  });

  it('rejects invalid maxAttempts', async () => {
    for (const maxAttempts of [0, -1, 1.5, Number.NaN]) {
      await expect(retry(failing([]), { maxAttempts })).rejects.toThrow(RangeError);
    }
  });
});

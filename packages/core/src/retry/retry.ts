import pRetry from 'p-retry';
import { type Clock, sleep, systemClock } from '../clock.js';
import { backoffDelay } from '../backoff/backoff-delay.js';
import { type BackoffStrategy, fullJitter } from '../backoff/jitter.js';
import { DeadlineExceededError } from './deadline-exceeded-error.js';
import { isRetryableAwsError } from './is-retryable-aws-error.js';
import type { RetryBudget } from './retry-budget.js';

/** What {@link RetryOptions.onRetry} is told before each wait. */
export interface RetryInfo {
  /** The error of the attempt that just failed. */
  error: unknown;
  /** Number of the attempt that just failed (1-based). */
  attempt: number;
  /** How long `retry` waits before the next attempt, in milliseconds. */
  delayMs: number;
}

/** Options for {@link retry}. */
export interface RetryOptions {
  /** Attempts in total, counting the first call. Default 3. `Infinity` is allowed. */
  maxAttempts?: number;
  /** Backoff unit in milliseconds. Default 100. */
  baseMs?: number;
  /** Largest wait between attempts in milliseconds. Default 20,000. */
  capMs?: number;
  /**
   * Backoff strategy. Default {@link fullJitter}. Whatever it returns is clamped like
   * {@link backoffDelay} does (NaN waits `capMs`).
   */
  jitter?: BackoffStrategy;
  /** Randomness in `[0, 1)` for the jitter. Default `Math.random`. */
  random?: () => number;
  /**
   * Aborting rejects at once with `signal.reason`, whether an attempt is running (its later
   * outcome is ignored) or `retry` is waiting; no attempt follows. The signal is also passed to
   * `fn` so the running attempt can cancel its own work.
   */
  signal?: AbortSignal;
  /**
   * Epoch ms (or a function returning it, read at each decision) after which no attempt starts.
   * A wait that would end past it is not started: the last error is thrown instead. If it has
   * passed before the first attempt, a {@link DeadlineExceededError} is thrown.
   */
  deadline?: number | (() => number);
  /** Which errors are worth another attempt. Default {@link isRetryableAwsError}. */
  isRetryable?: (error: unknown) => boolean;
  /** Shared retry budget: each retry takes a token; when none is left the last error is thrown. */
  budget?: RetryBudget;
  /** Time source used for the deadline. Default {@link systemClock}. */
  clock?: Clock;
  /** Called before each wait (for logging and metrics). */
  onRetry?: (info: RetryInfo) => void;
}


/**
 * Carries whatever the operation threw through p-retry untouched: p-retry turns non-Error
 * throws into TypeErrors and never retries a TypeError it does not see as a network error.
 */
class AttemptFailure extends Error {
  constructor(readonly original: unknown) {
    super('attempt failed');
  }
}

/**
 * Settles like `work`, unless `signal` aborts first: then rejects at once with its reason and
 * ignores whatever `work` does later (its rejection is handled, never unhandled).
 */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    const settle = (): void => signal.removeEventListener('abort', onAbort);
    work.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function validateMaxAttempts(value: number): void {
  if (!(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1))) {
    throw new RangeError(`retry: maxAttempts must be an integer >= 1 or Infinity, got ${String(value)}.`);
  }
}

/**
 * Calls `fn` until it succeeds, with jittered exponential backoff between attempts.
 *
 * - An error `isRetryable` rejects is thrown after that attempt, as the original object.
 * - After `maxAttempts`, when the `budget` is empty, or when the next wait would end past the
 *   `deadline`, the last error is thrown.
 * - Aborting `signal` rejects at once with `signal.reason`, during an attempt (whose later
 *   outcome is then ignored) or a wait; no further attempt starts. `fn` receives the signal to
 *   cancel its own work.
 * - A success gives tokens back to the `budget`.
 *
 * Built on p-retry, with p-retry's own delays set to 0: the wait is Herald's jittered one.
 *
 * @param fn - The operation; receives the 1-based attempt number and `options.signal` (pass it
 *   on, e.g. as the SDK's `abortSignal`, so an abort also cancels the request in flight).
 * @param options - See {@link RetryOptions}.
 * @returns What `fn` returned on its successful attempt.
 *
 * @example
 * ```ts
 * const out = await retry((_attempt, signal) => sns.send(new PublishCommand(input), { abortSignal: signal }), {
 *   maxAttempts: 5,
 *   signal: AbortSignal.timeout(10_000),
 * });
 * ```
 */
export async function retry<T>(
  fn: (attempt: number, signal: AbortSignal | undefined) => Promise<T> | T,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  validateMaxAttempts(maxAttempts);
  const baseMs = options.baseMs ?? 100;
  const capMs = options.capMs ?? 20_000;
  const jitter = options.jitter ?? fullJitter;
  const isRetryable = options.isRetryable ?? isRetryableAwsError;
  const clock = options.clock ?? systemClock;
  const { signal, budget, random, onRetry } = options;
  const deadline = (): number | undefined =>
    typeof options.deadline === 'function' ? options.deadline() : options.deadline;

  signal?.throwIfAborted();
  const initialDeadline = deadline();
  if (initialDeadline !== undefined && clock.now() > initialDeadline) {
    throw new DeadlineExceededError(initialDeadline);
  }

  let previousMs = baseMs;
  try {
    const result = await pRetry(
      async (attempt: number) => {
        try {
          return await raceAbort(Promise.resolve(fn(attempt, signal)), signal);
        } catch (error) {
          throw new AttemptFailure(error);
        }
      },
      {
        retries: maxAttempts - 1,
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        ...(signal === undefined ? {} : { signal }),
        onFailedAttempt: () => {
          signal?.throwIfAborted();
        },
        // p-retry asks this only when attempts are left; we decide and wait here.
        shouldRetry: async ({ error, attemptNumber }) => {
          const original = (error as AttemptFailure).original;
          if (!isRetryable(original)) return false;
          const delayMs = backoffDelay(attemptNumber, {
            baseMs,
            capMs,
            jitter,
            previousMs,
            ...(random ? { random } : {}),
          });
          const limit = deadline();
          if (limit !== undefined && clock.now() + delayMs > limit) return false;
          if (budget !== undefined && !budget.tryAcquire()) return false;
          previousMs = delayMs;
          onRetry?.({ error: original, attempt: attemptNumber, delayMs });
          await sleep(delayMs, signal);
          const after = deadline();
          return after === undefined || clock.now() <= after;
        },
      },
    );
    budget?.recordSuccess();
    return result;
  } catch (error) {
    throw error instanceof AttemptFailure ? error.original : error;
  }
}

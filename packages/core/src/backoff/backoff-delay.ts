import { clampDelay } from './clamp-delay.js';
import type { BackoffStrategy, decorrelatedJitter } from './jitter.js';

/** Options for {@link backoffDelay}. */
export interface BackoffDelayOptions {
  /** Backoff unit in milliseconds. */
  baseMs: number;
  /** Largest delay in milliseconds; values above 2^31 - 1 (the longest `setTimeout`) count as that. */
  capMs: number;
  /** The strategy to apply. */
  jitter: BackoffStrategy;
  /** Randomness in `[0, 1)`. Default `Math.random`. */
  random?: () => number;
  /** Previous delay, for {@link decorrelatedJitter}. */
  previousMs?: number;
}

/**
 * The delay before retry number `attempt` (1-based) with the given strategy, clamped so it is
 * always a usable wait whatever the strategy returns: finite and in `[0, capMs]` (a `capMs`
 * above 2^31 - 1 ms counts as that), below 0 gives 0, above the cap gives the cap, and NaN
 * gives the cap (a broken strategy must not turn into retries with no wait). `retry` and the
 * batch engine compute every wait with it.
 *
 * @example
 * ```ts
 * backoffDelay(3, { baseMs: 100, capMs: 1000, jitter: noJitter }); // 400
 * backoffDelay(3, { baseMs: 100, capMs: 1000, jitter: () => Number.NaN }); // 1000
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffDelayOptions): number {
  const { jitter, ...rest } = options;
  return clampDelay(jitter(attempt, rest), options.capMs);
}

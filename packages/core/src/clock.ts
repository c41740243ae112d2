import { MAX_DELAY_MS } from './backoff/clamp-delay.js';

/**
 * A source of the current time, injected wherever Herald measures time so tests can be exact.
 *
 * @example
 * ```ts
 * const fixed: Clock = { now: () => 1_700_000_000_000 };
 * ```
 */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

/**
 * The default {@link Clock}: `Date.now()`, so vitest/jest fake timers move it too.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
};


/**
 * Waits `ms` milliseconds with `setTimeout`.
 *
 * Rejects at once with `signal.reason` if the signal is already aborted or is aborted during
 * the wait, and clears its timer in that case. `ms` below 0 or NaN waits 0 ms; values beyond
 * `setTimeout`'s limit (about 24.8 days) are capped to it.
 *
 * @param ms - How long to wait, in milliseconds.
 * @param signal - Optional signal that ends the wait early with its reason.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const delay = Number.isNaN(ms) ? 0 : Math.min(MAX_DELAY_MS, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delay);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

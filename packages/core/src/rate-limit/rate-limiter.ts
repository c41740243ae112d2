import { type Clock, systemClock } from '../clock.js';

/** Options for {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Steady rate: tokens added per second. Finite and > 0. */
  ratePerSecond: number;
  /** Most tokens held at once (and at the start). Finite and > 0. Default `ratePerSecond`. */
  burst?: number;
  /** Time source. Default {@link systemClock}. */
  clock?: Clock;
}

interface Waiter {
  tokens: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`RateLimiter: ${name} must be a finite number > 0, got ${String(value)}.`);
  }
  return value;
}

/**
 * A token bucket: `ratePerSecond` tokens are added continuously up to `burst`.
 *
 * `take()` waits (with `setTimeout`) until enough tokens are there; waiters are served in
 * arrival order, so a large request is not starved by small ones. Use it to stay under a
 * service quota, for example a FIFO topic's messages per second.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ ratePerSecond: 300, burst: 300 });
 * await limiter.take(10); // before sending a batch of 10
 * ```
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #refilledAt: number;
  readonly #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** @param options - Rate, burst and clock; see {@link RateLimiterOptions}. */
  constructor(options: RateLimiterOptions) {
    this.#rate = positive('ratePerSecond', options.ratePerSecond);
    this.#burst = positive('burst', options.burst ?? options.ratePerSecond);
    this.#clock = options.clock ?? systemClock;
    this.#tokens = this.#burst;
    this.#refilledAt = this.#clock.now();
  }

  /**
   * Takes `tokens` (default 1) if they are available now and nobody is waiting.
   *
   * @returns `true` if taken, `false` otherwise (nothing is taken).
   */
  tryTake(tokens = 1): boolean {
    this.#check(tokens);
    this.#refill();
    if (this.#queue.length > 0 || this.#tokens < tokens) return false;
    this.#tokens -= tokens;
    return true;
  }

  /**
   * Waits until `tokens` (default 1) are available, then takes them. Waiters are served first
   * come, first served. Aborting `signal` rejects with `signal.reason` and takes nothing.
   *
   * Rejects with a RangeError if `tokens` is more than `burst` (it could never be served).
   */
  take(tokens = 1, signal?: AbortSignal): Promise<void> {
    try {
      this.#check(tokens);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake(tokens)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        tokens,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(signal?.reason);
          this.#schedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#schedule();
    });
  }

  #check(tokens: number): void {
    if (typeof tokens !== 'number' || !Number.isFinite(tokens) || tokens < 0) {
      throw new RangeError(`RateLimiter: tokens must be a finite number >= 0, got ${String(tokens)}.`);
    }
    if (tokens > this.#burst) {
      throw new RangeError(
        `RateLimiter: cannot take ${tokens} tokens at once; the burst is ${this.#burst}. Take fewer or raise burst.`,
      );
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#refilledAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#rate) / 1000);
    }
    this.#refilledAt = now;
  }

  /** Serves waiters in order while tokens last, then sets one timer for the head waiter. */
  #schedule(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#refill();
    let head = this.#queue[0];
    while (head !== undefined && this.#tokens >= head.tokens) {
      this.#queue.shift();
      this.#tokens -= head.tokens;
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve();
      head = this.#queue[0];
    }
    if (head === undefined) return;
    const waitMs = Math.max(1, Math.ceil(((head.tokens - this.#tokens) * 1000) / this.#rate));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#schedule();
    }, waitMs);
  }
}

/** Options for {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** Tokens the budget holds, and starts with. Default 100. */
  capacity?: number;
  /** Tokens one retry costs. Default 1. */
  retryCost?: number;
  /** Tokens one success gives back, up to `capacity`. Default 0.1. */
  successRefill?: number;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`RetryBudget: ${name} must be a finite number >= 0, got ${String(value)}.`);
  }
  return value;
}

/** Rounds away float noise so ten refills of 0.1 are exactly one retry. */
function tidy(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/**
 * A token bucket shared by many calls so that a failing service does not get a retry storm:
 * each retry takes tokens, each success gives a few back. When the bucket is empty, callers
 * stop retrying and report the failure.
 *
 * With the defaults, retries can be at most about 10% of successful calls once the initial
 * 100 tokens are spent.
 *
 * @example
 * ```ts
 * const budget = new RetryBudget();
 * await retry(() => send(), { budget });
 * ```
 */
export class RetryBudget {
  readonly #capacity: number;
  readonly #retryCost: number;
  readonly #successRefill: number;
  #tokens: number;

  /** @param options - Capacity, cost of a retry and refill per success; see {@link RetryBudgetOptions}. */
  constructor(options: RetryBudgetOptions = {}) {
    this.#capacity = nonNegative('capacity', options.capacity ?? 100);
    this.#retryCost = nonNegative('retryCost', options.retryCost ?? 1);
    this.#successRefill = nonNegative('successRefill', options.successRefill ?? 0.1);
    this.#tokens = this.#capacity;
  }

  /**
   * Takes `cost` tokens (default: `retryCost`) if the budget has them.
   *
   * @returns `true` if the retry may go ahead, `false` if the budget is exhausted.
   */
  tryAcquire(cost: number = this.#retryCost): boolean {
    nonNegative('cost', cost);
    if (this.#tokens < cost) return false;
    this.#tokens = tidy(this.#tokens - cost);
    return true;
  }

  /** Gives back `successRefill` tokens, up to `capacity`. Call after every successful call. */
  recordSuccess(): void {
    this.#tokens = Math.min(this.#capacity, tidy(this.#tokens + this.#successRefill));
  }

  /** Tokens available now. */
  get available(): number {
    return this.#tokens;
  }
}

import { sanitizeCapMs } from './clamp-delay.js';

/**
 * Inputs of a {@link BackoffStrategy}.
 *
 * Every value is sanitised: NaN or negative times count as 0, a `capMs` above the largest
 * `setTimeout` delay (2^31 - 1 ms, `Infinity` included) counts as that delay, and whatever
 * `random` returns is clamped to `[0, 1]` (NaN → 0).
 */
export interface BackoffOptions {
  /** Delay unit: the exponential delay before retry `n` is `baseMs * 2 ** (n - 1)`. */
  baseMs: number;
  /** Upper bound of every delay, applied after jitter. */
  capMs: number;
  /** The previous delay, used by {@link decorrelatedJitter} only. Defaults to `baseMs`. */
  previousMs?: number;
  /** Source of randomness in `[0, 1)`. Defaults to `Math.random`. */
  random?: () => number;
}

/**
 * A backoff strategy: the delay in milliseconds before retry number `attempt` (1-based: the
 * delay before the first retry is `attempt = 1`). The four built-in strategies always return a
 * finite value in `[0, capMs]`; a strategy of your own may not, so callers should go through
 * `backoffDelay`, which clamps whatever a strategy returns.
 */
export type BackoffStrategy = (attempt: number, options: BackoffOptions) => number;

function sanitizeBase(baseMs: number, cap: number): number {
  if (Number.isNaN(baseMs) || baseMs <= 0) return 0;
  return Math.min(baseMs, cap);
}

function draw(random: (() => number) | undefined): number {
  const value = (random ?? Math.random)();
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

function clamp(value: number, cap: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(cap, Math.max(0, value));
}

/** `min(cap, base * 2 ** (attempt - 1))` without overflow or NaN for any attempt. */
function exponential(attempt: number, base: number, cap: number): number {
  if (base === 0) return 0;
  const n = Number.isNaN(attempt) ? 1 : Math.max(1, Math.floor(attempt));
  // 2 ** 1024 is Infinity; base > 0 so base * Infinity is Infinity, never NaN.
  const growth = n - 1 >= 1024 ? Number.POSITIVE_INFINITY : 2 ** (n - 1);
  return Math.min(cap, base * growth);
}

/**
 * Full jitter: a uniformly random delay in `[0, min(cap, base * 2 ** (attempt - 1))]`.
 * Spreads retries of many clients the most; the usual choice.
 */
export const fullJitter: BackoffStrategy = (attempt, options) => {
  const cap = sanitizeCapMs(options.capMs);
  const ceiling = exponential(attempt, sanitizeBase(options.baseMs, cap), cap);
  return clamp(draw(options.random) * ceiling, cap);
};

/**
 * Equal jitter: half of the exponential delay, plus a random part of the other half.
 * Never waits less than half the exponential delay.
 */
export const equalJitter: BackoffStrategy = (attempt, options) => {
  const cap = sanitizeCapMs(options.capMs);
  const half = exponential(attempt, sanitizeBase(options.baseMs, cap), cap) / 2;
  return clamp(half + draw(options.random) * half, cap);
};

/**
 * Decorrelated jitter: `min(cap, random between base and previousMs * 3)`. Ignores `attempt`;
 * pass the previous delay as `previousMs` (the first call uses `baseMs`).
 */
export const decorrelatedJitter: BackoffStrategy = (_attempt, options) => {
  const cap = sanitizeCapMs(options.capMs);
  const base = sanitizeBase(options.baseMs, cap);
  const given = options.previousMs;
  const previous =
    given === undefined || Number.isNaN(given) || given < base ? base : Math.min(given, cap);
  const upper = Math.max(base, previous * 3);
  return clamp(base + draw(options.random) * (upper - base), cap);
};

/** No jitter: exactly `min(cap, base * 2 ** (attempt - 1))`. Deterministic; for tests and tools. */
export const noJitter: BackoffStrategy = (attempt, options) => {
  const cap = sanitizeCapMs(options.capMs);
  return clamp(exponential(attempt, sanitizeBase(options.baseMs, cap), cap), cap);
};

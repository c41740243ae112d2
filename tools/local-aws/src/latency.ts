import { LocalAwsConfigError } from './fault-options.js';
type RandomSource = () => number;

/** Delay added before each request is handled: a fixed number of ms, or a uniform range. */
export type LatencyOption = number | { readonly min: number; readonly max: number };

/**
 * Checks a latency option and throws {@link LocalAwsConfigError} when it is negative,
 * not finite, or `min > max`.
 *
 * @param latency - The option to check.
 */
export function validateLatency(latency: LatencyOption): void {
  const [min, max] = typeof latency === 'number' ? [latency, latency] : [latency.min, latency.max];
  if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max < min) {
    throw new LocalAwsConfigError(
      `latencyMs must be a number of milliseconds >= 0 or { min, max } with 0 <= min <= max, got ${JSON.stringify(latency)}.`,
    );
  }
}

/**
 * Draws the delay for one request.
 *
 * @param latency - Fixed or ranged latency; `undefined` means none.
 * @param random - Source of randomness for ranges.
 * @returns Whole milliseconds.
 */
export function drawLatencyMs(latency: LatencyOption | undefined, random: RandomSource): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return Math.round(latency);
  return Math.round(latency.min + (latency.max - latency.min) * random());
}

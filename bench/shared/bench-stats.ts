// Helpers every benchmark uses: settings from the environment and median/range of rounds.

/**
 * A positive whole number from an environment variable (e.g. `BENCH_ROUNDS=3 pnpm bench fanout`).
 *
 * @param name - The variable.
 * @param fallback - The value when it is unset or empty.
 * @throws RangeError when it is set to anything else.
 */
export function positiveIntegerFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got "${text}".`);
  return value;
}

/**
 * Median and range of per-round figures: on a shared machine one round says little.
 *
 * @param samples - One figure per round (at least one).
 */
export function summary(samples: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

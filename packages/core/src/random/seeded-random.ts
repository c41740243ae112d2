/**
 * Creates a seeded pseudo-random generator for the `random` options of Herald (jitter, fault
 * injection, randomized tests): every call returns a number in `[0, 1)`, and the same seed
 * always yields the same sequence. The mulberry32 algorithm: 32-bit state, fast, good enough
 * for jitter and tests; not for cryptography.
 *
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * await retry(fn, { random }); // the same delays on every run
 * ```
 *
 * @param seed - Any finite number; it is truncated to an unsigned 32-bit integer.
 * @returns A function returning the next number in `[0, 1)` on each call.
 */
export function createSeededRandom(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`createSeededRandom: seed must be a finite number, got ${String(seed)}.`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

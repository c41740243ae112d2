/**
 * A deterministic pseudo-random source: every call returns a number in `[0, 1)`.
 * The same seed always yields the same sequence.
 */
export type RandomSource = () => number;

/**
 * Creates a seeded pseudo-random generator (the mulberry32 algorithm: 32-bit state,
 * fast, good enough for fault injection; not for cryptography).
 *
 * @param seed - Any finite number; it is truncated to an unsigned 32-bit integer.
 * @returns A function returning the next number in `[0, 1)` on each call.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/random/seeded-random.js';

describe('createSeededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const take = (seed: number): number[] => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 20 }, () => random());
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
    expect(take(7.9)).toEqual(take(7));
  });

  it('stays in [0, 1) and spreads over it', () => {
    const random = createSeededRandom(123);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)] = (buckets[Math.floor(x * 10)] ?? 0) + 1;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });

  it('refuses a seed that is not a finite number', () => {
    expect(() => createSeededRandom(Number.NaN)).toThrow(RangeError);
    expect(() => createSeededRandom(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

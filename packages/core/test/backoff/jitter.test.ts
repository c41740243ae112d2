import { describe, expect, it } from 'vitest';
import {
  type BackoffStrategy,
  decorrelatedJitter,
  equalJitter,
  fullJitter,
  noJitter,
} from '../../src/backoff/jitter.js';
import { backoffDelay } from '../../src/backoff/backoff-delay.js';

const strategies: Record<string, BackoffStrategy> = { fullJitter, equalJitter, decorrelatedJitter, noJitter };
const weirdRandoms = [0, 1, 0.999999, Number.NaN, -5, 7, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const weirdAttempts = [1, 2, 30, 1000, 1024, 1025, 1e9, Number.POSITIVE_INFINITY, Number.NaN, 0, -3];

describe('backoff strategies', () => {
  it('give exact values for a fixed random', () => {
    const options = { baseMs: 100, capMs: 10_000, random: () => 0.5 };
    expect(fullJitter(3, options)).toBe(200);
    expect(equalJitter(3, options)).toBe(300);
    expect(noJitter(3, options)).toBe(400);
    expect(noJitter(1, options)).toBe(100);
    expect(decorrelatedJitter(3, { ...options, previousMs: 1000 })).toBe(1550);
    // previousMs defaults to baseMs: between 100 and 300.
    expect(decorrelatedJitter(1, options)).toBe(200);
  });

  it('cap the exponential delay', () => {
    expect(noJitter(20, { baseMs: 100, capMs: 5000 })).toBe(5000);
    expect(fullJitter(20, { baseMs: 100, capMs: 5000, random: () => 1 })).toBe(5000);
    expect(equalJitter(20, { baseMs: 100, capMs: 5000, random: () => 0 })).toBe(2500);
    expect(decorrelatedJitter(1, { baseMs: 100, capMs: 5000, previousMs: 4000, random: () => 1 })).toBe(5000);
  });

  for (const [name, strategy] of Object.entries(strategies)) {
    it(`${name} stays finite and within [0, cap] for any attempt and any random value`, () => {
      for (const attempt of weirdAttempts) {
        for (const value of weirdRandoms) {
          for (const previousMs of [undefined, 0, 50, 1e308, Number.NaN, Number.POSITIVE_INFINITY, -1]) {
            const delay = strategy(attempt, { baseMs: 100, capMs: 20_000, previousMs, random: () => value });
            expect(Number.isFinite(delay), `${name}(${attempt}, random=${value}) = ${delay}`).toBe(true);
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThanOrEqual(20_000);
          }
        }
      }
    });

    it(`${name} reaches the cap at attempt 1000 when random returns its maximum`, () => {
      const delay = strategy(1000, { baseMs: 100, capMs: 20_000, previousMs: 20_000, random: () => 7 });
      expect(delay).toBe(20_000);
    });

    it(`${name} stays finite with nonsensical base and cap`, () => {
      for (const baseMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e308]) {
        for (const capMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e308]) {
          const delay = strategy(1000, { baseMs, capMs, random: () => 0.5 });
          expect(Number.isFinite(delay), `base=${baseMs} cap=${capMs} gave ${delay}`).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          if (Number.isFinite(capMs)) expect(delay).toBeLessThanOrEqual(Math.max(0, capMs));
        }
      }
    });
  }

  it('treat an infinite cap as the largest setTimeout delay', () => {
    expect(noJitter(1000, { baseMs: 100, capMs: Number.POSITIVE_INFINITY })).toBe(2_147_483_647);
  });

  it('use Math.random when no random is given', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) seen.add(fullJitter(5, { baseMs: 100, capMs: 20_000 }));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('backoffDelay clamps a strategy that returns NaN, negative, infinite or too-large values', () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect(backoffDelay(1, { ...options, jitter: () => Number.NaN })).toBe(1000);
    expect(backoffDelay(1, { ...options, jitter: () => -1 })).toBe(0);
    expect(backoffDelay(1, { ...options, jitter: () => Number.NEGATIVE_INFINITY })).toBe(0);
    expect(backoffDelay(1, { ...options, jitter: () => Number.POSITIVE_INFINITY })).toBe(1000);
    expect(backoffDelay(1, { ...options, jitter: () => 5000 })).toBe(1000);
    expect(backoffDelay(1, { ...options, jitter: () => 250 })).toBe(250);
    // The cap itself is sanitised: nothing beyond what setTimeout honours, nothing below 0.
    expect(backoffDelay(1, { baseMs: 1, capMs: 2 ** 40, jitter: () => 2 ** 35 })).toBe(2_147_483_647);
    expect(backoffDelay(1, { baseMs: 1, capMs: Number.NaN, jitter: () => Number.NaN })).toBe(0);
    expect(backoffDelay(1, { baseMs: 1, capMs: -5, jitter: () => 10 })).toBe(0);
  });

  it('backoffDelay applies the given strategy', () => {
    expect(backoffDelay(2, { baseMs: 100, capMs: 1000, jitter: noJitter })).toBe(200);
    expect(backoffDelay(2, { baseMs: 100, capMs: 1000, jitter: fullJitter, random: () => 0.25 })).toBe(50);
    expect(
      backoffDelay(9, { baseMs: 100, capMs: 1000, jitter: decorrelatedJitter, previousMs: 200, random: () => 1 }),
    ).toBe(600);
  });
});

import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../src/retry/retry-budget.js';

describe('RetryBudget', () => {
  it('starts full with the default capacity of 100 and spends 1 per retry', () => {
    const budget = new RetryBudget();
    expect(budget.available).toBe(100);
    for (let i = 0; i < 100; i++) expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire()).toBe(false);
    expect(budget.available).toBe(0);
  });

  it('refills 0.1 per success by default, exactly, and never above capacity', () => {
    const budget = new RetryBudget({ capacity: 3 });
    while (budget.tryAcquire()) {
      // drain
    }
    for (let i = 0; i < 10; i++) budget.recordSuccess();
    expect(budget.available).toBe(1);
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire()).toBe(false);
    for (let i = 0; i < 1000; i++) budget.recordSuccess();
    expect(budget.available).toBe(3);
  });

  it('honours a custom cost and a per-call cost', () => {
    const budget = new RetryBudget({ capacity: 10, retryCost: 4 });
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire()).toBe(false); // 2 left, cost 4: nothing taken
    expect(budget.available).toBe(2);
    expect(budget.tryAcquire(2)).toBe(true);
    expect(budget.available).toBe(0);
  });

  it('rejects invalid options with a RangeError', () => {
    expect(() => new RetryBudget({ capacity: -1 })).toThrow(RangeError);
    expect(() => new RetryBudget({ retryCost: Number.NaN })).toThrow(/retryCost/);
    expect(() => new RetryBudget({ successRefill: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => new RetryBudget().tryAcquire(-1)).toThrow(RangeError);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher, RetryBudget, type BatchAdapter, type BatchResult, type EntryOutcome } from '@herald/core';
import { recordingLogger, seededRandom, type TestInput } from './scripted-adapter.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

interface Trace {
  /** Global event counter at each send of a name. */
  sends: Map<string, number[]>;
  /** Global event counter of the first (authoritative) ok reply for a name. */
  okAt: Map<string, number>;
  /** Ok replies per name (duplicates in one response count once). */
  okCount: Map<string, number>;
  /** Names per request. */
  requests: string[][];
}

/**
 * A chaotic service: random latency, whole-request failures (retryable or not), and per entry
 * ok / transient / permanent / missing answers, plus duplicate and unknown ids.
 */
function chaoticAdapter(random: () => number, trace: Trace): BatchAdapter<TestInput, TestInput, string> {
  let clock = 0;
  return {
    service: 'Chaos PutThings',
    maxEntries: 10,
    maxRequestBytes: 50,
    maxEntryBytes: 20,
    prepare(input) {
      if (input.reject !== undefined) {
        return input.key === undefined
          ? { ok: false, code: input.reject, message: 'refused' }
          : { ok: false, code: input.reject, message: 'refused', orderingKey: input.key, label: input.name };
      }
      const prepared: { ok: true; entry: TestInput; bytes: number; label: string; orderingKey?: string } = {
        ok: true,
        entry: input,
        bytes: input.bytes ?? 1,
        label: input.name,
      };
      if (input.key !== undefined) prepared.orderingKey = input.key;
      return prepared;
    },
    send(entries) {
      trace.requests.push(entries.map((e) => e.entry.name));
      for (const e of entries) {
        const list = trace.sends.get(e.entry.name) ?? [];
        list.push(++clock);
        trace.sends.set(e.entry.name, list);
      }
      const latency = Math.floor(random() * 30);
      const roll = random();
      return new Promise((resolve, reject) => {
        setTimeout(() => {
          if (roll < 0.08) {
            reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
            return;
          }
          if (roll < 0.1) {
            reject(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException', $fault: 'client' }));
            return;
          }
          const outcomes: EntryOutcome<string>[] = [];
          for (const e of entries) {
            const r = random();
            const name = e.entry.name;
            if (r < 0.72) {
              outcomes.push({ id: e.id, ok: true, value: `v:${name}` });
              trace.okAt.set(name, ++clock);
              trace.okCount.set(name, (trace.okCount.get(name) ?? 0) + 1);
              if (random() < 0.05) outcomes.push({ id: e.id, ok: true, value: 'duplicate' });
            } else if (r < 0.86) {
              outcomes.push({ id: e.id, ok: false, code: 'InternalError', message: 'transient', senderFault: false, retryable: true });
            } else if (r < 0.92) {
              outcomes.push({ id: e.id, ok: false, code: 'InvalidParameter', message: 'permanent', senderFault: true, retryable: false });
            }
            // else: no outcome at all (MissingResult)
          }
          if (random() < 0.05) outcomes.push({ id: 'bogus', ok: true, value: 'ghost' });
          resolve(outcomes);
        }, latency);
      });
    },
  };
}

async function runScenario(seed: number, orderedMode: boolean): Promise<void> {
  const random = seededRandom(seed);
  const trace: Trace = { sends: new Map(), okAt: new Map(), okCount: new Map(), requests: [] };
  const recorder = recordingLogger();
  const batcher = createBatcher(chaoticAdapter(random, trace), {
    ordered: orderedMode,
    lingerMs: Math.floor(random() * 6),
    maxInFlight: 1 + Math.floor(random() * 4),
    maxQueued: 20 + Math.floor(random() * 40),
    retry: { maxAttempts: 4, baseMs: 5, capMs: 100, random, budget: new RetryBudget({ capacity: 60 }) },
    logger: recorder.logger,
  });

  const total = 300;
  const results = new Map<string, BatchResult<string>>();
  const resolutions = new Map<string, number>();
  const addedInOrder: TestInput[] = [];
  const promises: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const input: TestInput = {
      name: `e${i}`,
      bytes: 1 + Math.floor(random() * (random() < 0.02 ? 30 : 15)), // a few too large
      key: `k${Math.floor(random() * 12)}`,
    };
    if (random() < 0.03) input.reject = 'LocalProblem';
    const abortAfter = random() < 0.1 ? Math.floor(random() * 200) : undefined;
    const addAt = Math.floor(random() * 400);
    setTimeout(() => {
      const controller = new AbortController();
      if (abortAfter !== undefined) setTimeout(() => controller.abort(), abortAfter);
      addedInOrder.push(input);
      promises.push(
        batcher.add(input, { signal: controller.signal }).then((result) => {
          resolutions.set(input.name, (resolutions.get(input.name) ?? 0) + 1);
          results.set(input.name, result);
        }),
      );
    }, addAt);
  }
  await vi.advanceTimersByTimeAsync(401);
  const closed = batcher.close();
  for (let step = 0; step < 5_000 && resolutions.size < total; step++) await vi.advanceTimersByTimeAsync(25);
  await closed;
  await Promise.all(promises);

  // Exactly one result per entry; nothing pending; no invariant error logged.
  expect(resolutions.size).toBe(total);
  expect([...resolutions.values()].every((count) => count === 1)).toBe(true);
  const stats = batcher.stats();
  expect(stats).toMatchObject({ added: total, queued: 0, waiting: 0, inFlight: 0 });
  expect(stats.succeeded + stats.failed).toBe(total);
  expect(recorder.lines.filter((line) => line.level === 'error')).toEqual([]);

  for (const input of addedInOrder) {
    const result = results.get(input.name) as BatchResult<string>;
    const sends = trace.sends.get(input.name) ?? [];
    expect(result.attempts).toBe(sends.length);
    if (result.status === 'ok') {
      // Succeeded exactly once, with its own value, and never sent after that.
      expect(result.value).toBe(`v:${input.name}`);
      expect(trace.okCount.get(input.name)).toBe(1);
      expect(Math.max(...sends)).toBeLessThan(trace.okAt.get(input.name) as number);
    } else {
      expect(trace.okCount.get(input.name) ?? 0).toBe(0);
      if (input.reject !== undefined || (input.bytes ?? 0) > 20) expect(sends).toEqual([]);
    }
  }

  for (const request of trace.requests) {
    expect(request.length).toBeLessThanOrEqual(10);
    if (orderedMode) {
      const keys = request.map((name) => addedInOrder.find((i) => i.name === name)?.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  }

  if (orderedMode) {
    // Per key: an entry is first sent only after every earlier entry of its key that succeeded
    // had succeeded, so successes are delivered in add order.
    const byKey = new Map<string, TestInput[]>();
    for (const input of addedInOrder) {
      const list = byKey.get(input.key as string) ?? [];
      list.push(input);
      byKey.set(input.key as string, list);
    }
    for (const list of byKey.values()) {
      let lastOk = 0;
      for (const input of list) {
        const firstSend = trace.sends.get(input.name)?.[0];
        if (firstSend !== undefined) expect(firstSend).toBeGreaterThan(lastOk);
        if (results.get(input.name)?.status === 'ok') lastOk = trace.okAt.get(input.name) as number;
      }
    }
  }
}

describe('createBatcher: every entry ends in exactly one result (randomized, seeded)', () => {
  for (const seed of [1, 2, 3, 42, 2024]) {
    it(`unordered, seed ${seed}`, async () => {
      await runScenario(seed, false);
    });
    it(`ordered, seed ${seed}`, async () => {
      await runScenario(seed, true);
    });
  }
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher, RequestTimeoutError, type BatchResult, type Logger } from '@herald/core';
import { recordingLogger, scriptedAdapter, type EntryReply } from './scripted-adapter.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A value `String()` cannot convert: no prototype, so no `toString`. */
const unprintable = (): unknown => Object.create(null) as unknown;

/** Records the result of `promise` when it comes, so a test can check it without hanging. */
function capture<T>(promise: Promise<T>): { value: T | undefined } {
  const box: { value: T | undefined } = { value: undefined };
  void promise.then((value) => {
    box.value = value;
  });
  return box;
}

const throwingLogger: Logger = {
  debug() {
    throw new Error('log sink down');
  },
  info() {
    throw new Error('log sink down');
  },
  warn() {
    throw new Error('log sink down');
  },
  error() {
    throw new Error('log sink down');
  },
};

describe('createBatcher: values that cannot be turned into text (A1)', () => {
  it('fails the entries of a request rejected with an unprintable value instead of leaving them pending', async () => {
    const rejection = unprintable();
    const scripted = scriptedAdapter(() => {
      throw rejection;
    });
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, retry: { maxAttempts: 1 } });
    const result = capture(batcher.add({ name: 'x' }));
    const closed = capture(batcher.close().then(() => 'closed'));
    await vi.runAllTimersAsync();
    expect(result.value).toEqual({
      status: 'failed',
      code: 'UnknownError',
      message: 'Test PutThings request failed with UnknownError: [object Object]',
      senderFault: false,
      attempts: 1,
      cause: rejection,
    });
    expect(closed.value).toBe('closed');
    expect(batcher.stats()).toMatchObject({ queued: 0, inFlight: 0, failed: 1 });
  });

  it('ends an entry aborted with an unprintable reason, unsent, and never throws from add() or the listener', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      const scripted = scriptedAdapter();
      const batcher = createBatcher(scripted.adapter, { lingerMs: 50 });
      const controller = new AbortController();
      const aborted = batcher.add({ name: 'aborted' }, { signal: controller.signal });
      controller.abort(unprintable());
      const already = new AbortController();
      already.abort(unprintable());
      let early: Promise<BatchResult<string>> | undefined;
      expect(() => {
        early = batcher.add({ name: 'early' }, { signal: already.signal });
      }).not.toThrow();
      await vi.runAllTimersAsync();
      for (const result of [await aborted, await (early as Promise<BatchResult<string>>)]) {
        expect(result).toMatchObject({ status: 'failed', code: 'Aborted', attempts: 0 });
        expect((result as { message: string }).message).toBe('Aborted before it was sent ([object Object]).');
      }
      expect(scripted.requests).toEqual([]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('fails with InternalError the entries of a request whose answer cannot be handled (a bug), and goes on', async () => {
    const recorder = recordingLogger();
    const scripted = scriptedAdapter();
    let call = 0;
    const send = scripted.adapter.send.bind(scripted.adapter);
    scripted.adapter.send = async (entries, signal) => {
      call++;
      if (call > 1) return send(entries, signal);
      // A broken adapter: an outcome whose fields throw when read.
      return [
        {
          id: '0',
          get ok(): true {
            throw new Error('outcome exploded');
          },
          value: 'never',
        },
      ];
    };
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, logger: recorder.logger });
    const broken = capture(batcher.addAll([{ name: 'a' }, { name: 'b' }]));
    await vi.runAllTimersAsync();
    expect(broken.value).toHaveLength(2);
    for (const result of broken.value ?? []) {
      expect(result).toMatchObject({ status: 'failed', code: 'InternalError', senderFault: false, attempts: 1 });
      expect((result as { message: string }).message).toContain('outcome exploded');
      expect((result as { message: string }).message).toContain('may or may not have been accepted');
      expect((result as { cause: unknown }).cause).toBeInstanceOf(Error);
    }
    expect(recorder.lines.some((line) => line.level === 'error' && line.message.includes('bug'))).toBe(true);
    // The in-flight place was given back: the batcher keeps working.
    expect(batcher.stats()).toMatchObject({ inFlight: 0, queued: 0 });
    const later = capture(batcher.add({ name: 'later' }));
    await vi.runAllTimersAsync();
    expect(later.value).toMatchObject({ status: 'ok', value: 'v:later' });
  });

  it('treats a jitter strategy that throws as capMs, and still retries', async () => {
    const scripted = scriptedAdapter((entries, n) => entries.map((): EntryReply => (n === 1 ? { code: 'Busy', retryable: true } : 'ok')));
    const sentAt: number[] = [];
    const send = scripted.adapter.send.bind(scripted.adapter);
    scripted.adapter.send = (entries, signal) => {
      sentAt.push(Date.now());
      return send(entries, signal);
    };
    const jitter = (): number => {
      throw new Error('bad jitter');
    };
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, retry: { jitter, capMs: 300 } });
    const result = capture(batcher.add({ name: 'x' }));
    await vi.runAllTimersAsync();
    expect(result.value).toMatchObject({ status: 'ok', attempts: 2 });
    expect((sentAt[1] as number) - (sentAt[0] as number)).toBeGreaterThanOrEqual(300);
  });
});

describe('createBatcher: a logger that throws (A2)', () => {
  it('still retries an entry the service did not answer, and settles it', async () => {
    const scripted = scriptedAdapter((entries, call) => entries.map((): EntryReply => (call === 1 ? 'missing' : 'ok')));
    const send = scripted.adapter.send.bind(scripted.adapter);
    let call = 0;
    scripted.adapter.send = async (entries, signal) => {
      const outcomes = await send(entries, signal);
      // The first answer also carries an unknown id, which is logged with warn().
      return ++call === 1 ? [...outcomes, { id: '99', ok: true, value: 'ghost' }] : outcomes;
    };
    const batcher = createBatcher(scripted.adapter, { logger: throwingLogger, retry: { baseMs: 1, random: () => 0 } });
    const result = capture(batcher.add({ name: 'x' }));
    await vi.runAllTimersAsync();
    expect(result.value).toMatchObject({ status: 'ok', attempts: 2 });
    expect(batcher.stats()).toMatchObject({ queued: 0, inFlight: 0 });
  });

  it('does not crash a timer callback when a request times out and the logger throws', async () => {
    const scripted = scriptedAdapter((entries, call) => (call === 1 ? new Promise<EntryReply[]>(() => {}) : entries.map(() => 'ok')));
    const batcher = createBatcher(scripted.adapter, {
      lingerMs: 0,
      requestTimeoutMs: 100,
      logger: throwingLogger,
      retry: { random: () => 0 },
    });
    const result = capture(batcher.add({ name: 'x' }));
    await vi.advanceTimersByTimeAsync(100); // rejects here if the timeout callback throws
    await vi.runAllTimersAsync();
    expect(result.value).toMatchObject({ status: 'ok', attempts: 2 });
  });

  it('still fails every entry of a request that failed for good', async () => {
    const scripted = scriptedAdapter(() => {
      throw Object.assign(new Error('denied'), { name: 'AccessDenied', $fault: 'client' });
    });
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, logger: throwingLogger });
    const results = capture(batcher.addAll([{ name: 'a' }, { name: 'b' }]));
    await vi.runAllTimersAsync();
    expect(results.value?.map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual(['AccessDenied', 'AccessDenied']);
  });
});

describe('createBatcher: timer options (A8)', () => {
  it('refuses lingerMs, retry.capMs and requestTimeoutMs above 2^31 - 1 ms with a RangeError naming the option', () => {
    const { adapter } = scriptedAdapter();
    const tooLong = 2 ** 31;
    expect(() => createBatcher(adapter, { lingerMs: tooLong })).toThrow(/lingerMs must be at most 2147483647 ms/);
    expect(() => createBatcher(adapter, { retry: { capMs: tooLong } })).toThrow(/retry\.capMs must be at most 2147483647 ms/);
    expect(() => createBatcher(adapter, { requestTimeoutMs: tooLong })).toThrow(RangeError);
    expect(() => createBatcher(adapter, { requestTimeoutMs: tooLong })).toThrow(/requestTimeoutMs must be at most/);
    expect(() => createBatcher(adapter, { lingerMs: 2 ** 31 - 1, retry: { capMs: 2 ** 31 - 1 }, requestTimeoutMs: 2 ** 31 - 1 })).not.toThrow();
  });
});

describe('createBatcher: request timeout (A9)', () => {
  it('records a RequestTimeoutError (code RequestTimeout, retryable) that says the entries may or may not have been accepted', async () => {
    const scripted = scriptedAdapter(() => new Promise<EntryReply[]>(() => {}));
    const batcher = createBatcher(scripted.adapter, { lingerMs: 0, requestTimeoutMs: 250, retry: { maxAttempts: 1 } });
    const result = capture(batcher.add({ name: 'x' }));
    await vi.advanceTimersByTimeAsync(250);
    const failed = result.value as Extract<BatchResult<string>, { status: 'failed' }>;
    expect(failed).toMatchObject({ status: 'failed', code: 'RequestTimeout', senderFault: false, attempts: 1 });
    expect(failed.message).toContain('within requestTimeoutMs (250 ms)');
    expect(failed.message).toContain('may or may not have accepted');
    expect(failed.message).not.toContain('it was aborted');
    expect(failed.cause).toBeInstanceOf(RequestTimeoutError);
    expect(failed.cause).toMatchObject({ code: 'RequestTimeout', retryable: true, timeoutMs: 250, name: 'RequestTimeoutError' });
    // The signal given to the adapter carries the same error as its reason.
    expect(scripted.signals[0]?.reason).toBe(failed.cause);
  });
});

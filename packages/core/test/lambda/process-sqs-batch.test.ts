import { describe, expect, it, vi } from 'vitest';
import {
  HeraldError,
  InvalidSqsEventError,
  processSqsBatch,
  type SqsEvent,
  type SqsRecord,
  type SqsRecordInfo,
} from '@herald/core';
import { capturingLogger, eventOf, ids, sqsRecord, standardRecords, turns } from './fixtures.js';

/** A handler that fails the records whose messageId is in `failing`. */
function failFor(...failing: string[]): (record: SqsRecord) => Promise<void> {
  return async (record) => {
    await Promise.resolve();
    if (failing.includes(record.messageId)) throw new Error(`could not process ${record.messageId}`);
  };
}

describe('processSqsBatch: standard queues', () => {
  it('reports only the failed records, in input order, and handles every record once', async () => {
    const records = standardRecords(6);
    const handler = vi.fn(failFor('m4', 'm1'));
    const response = await processSqsBatch(eventOf(records), handler);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm4' }] });
    expect(handler.mock.calls.map(([record]) => record.messageId)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('gives the handler the record object itself and its index', async () => {
    const records = standardRecords(3);
    const seen: Array<[SqsRecord, number]> = [];
    await processSqsBatch(eventOf(records), (record, info) => {
      seen.push([record, info.index]);
    });
    expect(seen).toHaveLength(3);
    seen.forEach(([record, index], position) => {
      expect(record).toBe(records[position]);
      expect(index).toBe(position);
    });
  });

  it('answers an empty batch list when every record succeeds', async () => {
    await expect(processSqsBatch(eventOf(standardRecords(4)), () => 'done')).resolves.toEqual({ batchItemFailures: [] });
  });

  it('answers an empty list for an event with no records, without calling the handler', async () => {
    const handler = vi.fn();
    await expect(processSqsBatch({ Records: [] }, handler)).resolves.toEqual({ batchItemFailures: [] });
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports every record, and resolves, when every record fails', async () => {
    const records = standardRecords(5);
    const { logger, entries } = capturingLogger();
    const response = await processSqsBatch(
      eventOf(records),
      () => {
        throw new Error('downstream unavailable');
      },
      { logger },
    );
    expect(ids(response)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    const summary = entries.find((entry) => entry.message.includes('no record of the batch was processed'));
    expect(summary?.level).toBe('warn');
    expect(summary?.data).toMatchObject({ records: 5, failed: 5, skipped: 0, fifo: false });
  });

  it('reports a duplicated messageId once, at the position of its first failure', async () => {
    // Standard queues deliver at least once; the same message can come twice in one batch.
    const records = [
      sqsRecord('a', '{"n":1}'),
      sqsRecord('b', '{"n":2}'),
      sqsRecord('a', '{"n":1}'),
      sqsRecord('c', '{"n":3}'),
      sqsRecord('b', '{"n":2}'),
    ];
    const bothFail = await processSqsBatch(eventOf(records), failFor('a', 'b'));
    expect(ids(bothFail)).toEqual(['a', 'b']);

    // Only the second copy of `a` fails: `a` must still go back to the queue.
    let callsForA = 0;
    const secondCopyFails = await processSqsBatch(eventOf(records), (record) => {
      if (record.messageId !== 'a') return;
      callsForA += 1;
      if (callsForA === 2) throw new Error('second copy failed');
    });
    expect(ids(secondCopyFails)).toEqual(['a']);
  });

  it('treats any thrown or rejected value as a failure, Error or not', async () => {
    const thrown: unknown[] = ['a string', undefined, null, 0, false, { code: 'E_PLAIN' }, Object.create(null), Symbol('s')];
    const records = thrown.map((_, i) => sqsRecord(`r${i}`, `{"n":${i}}`));
    const sync = await processSqsBatch(eventOf(records), (_record, info) => {
      throw thrown[info.index];
    });
    expect(ids(sync)).toEqual(records.map((record) => record.messageId));

    const rejected = await processSqsBatch(eventOf(records), (_record, info) => Promise.reject(thrown[info.index]));
    expect(ids(rejected)).toEqual(records.map((record) => record.messageId));
  });

  it('logs the type of a thrown non-Error value as its name', async () => {
    const { logger, entries } = capturingLogger();
    const thrown: unknown[] = ['text', undefined, null, 7, Object.create(null)];
    const records = thrown.map((_, i) => sqsRecord(`r${i}`, `{"n":${i}}`));
    await processSqsBatch(
      eventOf(records),
      (_record, info) => {
        throw thrown[info.index];
      },
      { logger },
    );
    const failures = entries.filter((entry) => entry.message.includes('a record failed'));
    expect(failures.map((entry) => entry.data?.['errorName'])).toEqual(['string', 'undefined', 'null', 'number', 'object']);
    expect(failures.map((entry) => entry.data?.['errorMessage'])).toEqual([
      'text',
      'no reason given',
      'null',
      '7',
      '[object Object]',
    ]);
    expect(failures.map((entry) => entry.data?.['messageId'])).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('handles records one at a time, in order, by default', async () => {
    const order: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    await processSqsBatch(eventOf(standardRecords(5)), async (record) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      order.push(`start ${record.messageId}`);
      await turns(2);
      order.push(`end ${record.messageId}`);
      inFlight -= 1;
    });
    expect(maxInFlight).toBe(1);
    expect(order).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'].flatMap((id) => [`start ${id}`, `end ${id}`]));
  });

  it.each([2, 3, 7])('runs at most `concurrency` (%i) handlers at once, and uses that many', async (concurrency) => {
    let inFlight = 0;
    let maxInFlight = 0;
    const handled: string[] = [];
    const response = await processSqsBatch(
      eventOf(standardRecords(10)),
      async (record, info) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await turns(1 + (info.index % 3));
        inFlight -= 1;
        handled.push(record.messageId);
        if (info.index % 4 === 1) throw new Error('odd one out');
      },
      { concurrency },
    );
    expect(maxInFlight).toBe(concurrency);
    expect(handled.sort()).toEqual(standardRecords(10).map((record) => record.messageId).sort());
    expect(ids(response)).toEqual(['m1', 'm5', 'm9']);
  });

  it('accepts a concurrency larger than the batch', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    await processSqsBatch(
      eventOf(standardRecords(3)),
      async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await turns(1);
        inFlight -= 1;
      },
      { concurrency: 1000 },
    );
    expect(maxInFlight).toBe(3);
  });

  it('never aborts the signal on a standard queue, even after failures', async () => {
    const signals: AbortSignal[] = [];
    await processSqsBatch(
      eventOf(standardRecords(4)),
      (_record, info) => {
        signals.push(info.signal);
        if (info.index === 1) throw new Error('failed');
      },
      { concurrency: 2 },
    );
    expect(signals).toHaveLength(4);
    expect(signals.every((signal) => !signal.aborted)).toBe(true);
  });
});

describe('processSqsBatch: events it cannot answer for', () => {
  const valid = (id: string): SqsRecord => sqsRecord(id, '{"ok":true}');

  const cases: Array<[string, unknown, number | undefined]> = [
    ['undefined', undefined, undefined],
    ['null', null, undefined],
    ['a string', 'Records', undefined],
    ['an object without Records', { records: [valid('m0')] }, undefined],
    ['Records that is not an array', { Records: { 0: valid('m0') } }, undefined],
    ['Records: null', { Records: null }, undefined],
    ['a null record after valid ones', { Records: [valid('m0'), valid('m1'), null] }, 2],
    ['a string record', { Records: [valid('m0'), 'm1'] }, 1],
    ['a hole in Records', { Records: [valid('m0'), , valid('m2')] }, 1],
    ['a record without messageId', { Records: [valid('m0'), { body: '{"ok":true}' }] }, 1],
    ['a record with an empty messageId', { Records: [{ messageId: '', body: 'x' }] }, 0],
    ['a record with a numeric messageId', { Records: [{ messageId: 17, body: 'x' }] }, 0],
    ['a record without body', { Records: [valid('m0'), valid('m1'), { messageId: 'm2' }] }, 2],
    ['a record with a numeric body', { Records: [{ messageId: 'm0', body: 42 }] }, 0],
    ['a record with a null body', { Records: [{ messageId: 'm0', body: null }] }, 0],
    ['a record with an object body', { Records: [{ messageId: 'm0', body: { ok: true } }] }, 0],
  ];

  it.each(cases)('rejects %s with InvalidSqsEventError before any handler runs', async (_label, event, recordIndex) => {
    const handler = vi.fn();
    const error: unknown = await processSqsBatch(event as SqsEvent, handler).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(InvalidSqsEventError);
    expect(error).toBeInstanceOf(HeraldError);
    const invalid = error as InvalidSqsEventError;
    expect(invalid.code).toBe('InvalidSqsEvent');
    expect(invalid.name).toBe('InvalidSqsEventError');
    expect(invalid.retryable).toBe(false);
    expect(invalid.recordIndex).toBe(recordIndex);
    expect(invalid.message).toMatch(/^processSqsBatch: /);
    expect(handler).not.toHaveBeenCalled();
  });

  it('does not put a body into the error message', async () => {
    const body = 'card=4111111111111111;cvv=123';
    const error: unknown = await processSqsBatch({ Records: [{ body } as SqsRecord] }, vi.fn()).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(InvalidSqsEventError);
    expect((error as Error).message).not.toContain('4111');
  });
});

describe('processSqsBatch: invalid options', () => {
  const event = eventOf(standardRecords(2));

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'handler'],
    ['an object', { handle: () => undefined }],
  ])('rejects a handler that is %s with a TypeError', async (_label, handler) => {
    await expect(processSqsBatch(event, handler as never)).rejects.toThrow(TypeError);
  });

  const typeErrors: Array<[string, unknown]> = [
    ['options: null', null],
    ['options: a string', 'fifo'],
    ["fifo: 'yes'", { fifo: 'yes' }],
    ['fifo: 1', { fifo: 1 }],
    ['logger without warn', { logger: { debug() {}, info() {}, error() {} } }],
    ['logger: null', { logger: null }],
    ['logger: a function', { logger: () => undefined }],
    ['onRecordError: a string', { onRecordError: 'log' }],
    ['onRecordError: null', { onRecordError: null }],
  ];
  it.each(typeErrors)('rejects %s with a TypeError before any handler runs', async (_label, options) => {
    const handler = vi.fn();
    await expect(processSqsBatch(event, handler, options as never)).rejects.toThrow(TypeError);
    expect(handler).not.toHaveBeenCalled();
  });

  const rangeErrors: Array<[string, unknown]> = [
    ["fifoFailureMode: 'stop-all'", { fifoFailureMode: 'stop-all' }],
    ['fifoFailureMode: null', { fifoFailureMode: null }],
    ['concurrency: 0', { concurrency: 0 }],
    ['concurrency: -1', { concurrency: -1 }],
    ['concurrency: 1.5', { concurrency: 1.5 }],
    ['concurrency: NaN', { concurrency: Number.NaN }],
    ['concurrency: Infinity', { concurrency: Number.POSITIVE_INFINITY }],
    ["concurrency: '4'", { concurrency: '4' }],
    ['concurrency: null', { concurrency: null }],
  ];
  it.each(rangeErrors)('rejects %s with a RangeError before any handler runs', async (_label, options) => {
    const handler = vi.fn();
    await expect(processSqsBatch(event, handler, options as never)).rejects.toThrow(RangeError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('names the option in the message', async () => {
    await expect(processSqsBatch(event, vi.fn(), { concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(processSqsBatch(event, vi.fn(), { fifoFailureMode: 'x' as never })).rejects.toThrow(/fifoFailureMode/);
    await expect(processSqsBatch(event, vi.fn(), { logger: {} as never })).rejects.toThrow(/debug, info, warn, error/);
  });

  it('checks the options before the event', async () => {
    await expect(processSqsBatch(null as never, vi.fn(), { concurrency: 0 })).rejects.toThrow(RangeError);
  });

  it('accepts console as a logger and undefined for every option', async () => {
    const options = { fifo: undefined, fifoFailureMode: undefined, concurrency: undefined, logger: undefined, onRecordError: undefined };
    await expect(processSqsBatch(event, () => undefined, options)).resolves.toEqual({ batchItemFailures: [] });
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    try {
      await expect(processSqsBatch(event, () => undefined, { logger: console })).resolves.toEqual({ batchItemFailures: [] });
    } finally {
      debug.mockRestore();
    }
  });
});

describe('processSqsBatch: a failing logger', () => {
  it('still answers correctly when every logger method throws', async () => {
    const boom = (): never => {
      throw new Error('log sink down');
    };
    const logger = { debug: boom, info: boom, warn: boom, error: boom };
    const infos: SqsRecordInfo[] = [];
    const response = await processSqsBatch(
      eventOf(standardRecords(3)),
      (_record, info) => {
        infos.push(info);
        if (info.index === 1) throw new Error('failed');
      },
      { logger },
    );
    expect(ids(response)).toEqual(['m1']);
    expect(infos).toHaveLength(3);
  });
});

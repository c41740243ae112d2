import { describe, expect, it, vi } from 'vitest';
import { processSqsBatch, type SqsRecord, type SqsRecordInfo } from '@herald/core';
import { capturingLogger, eventOf, fifoRecord, FIFO_ARN, ids, sqsRecord, STANDARD_ARN, turns } from './fixtures.js';

/** Calls of a handler mock, as messageIds. */
function calledIds(handler: { mock: { calls: Array<[SqsRecord, SqsRecordInfo]> } }): string[] {
  return handler.mock.calls.map(([record]) => record.messageId);
}

/** A handler that fails the records whose messageId is listed. */
function failing(...failIds: string[]) {
  return vi.fn(async (record: SqsRecord, _info: SqsRecordInfo): Promise<void> => {
    await Promise.resolve();
    if (failIds.includes(record.messageId)) throw new Error(`failed ${record.messageId}`);
  });
}

describe('processSqsBatch: FIFO detection', () => {
  it("treats a queue whose ARN ends in '.fifo' as FIFO, even without MessageGroupId", async () => {
    const records = ['f0', 'f1', 'f2', 'f3'].map((id) => sqsRecord(id, '{}', { eventSourceARN: FIFO_ARN }));
    const handler = failing('f1');
    const response = await processSqsBatch(eventOf(records), handler);
    expect(ids(response)).toEqual(['f1', 'f2', 'f3']);
    expect(calledIds(handler)).toEqual(['f0', 'f1']);
  });

  it('treats records with a MessageGroupId and no eventSourceARN as FIFO', async () => {
    const records = ['g0', 'g1', 'g2'].map((id) => ({ messageId: id, body: '{}', attributes: { MessageGroupId: 'orders' } }));
    const handler = failing('g0');
    const response = await processSqsBatch(eventOf(records), handler);
    expect(ids(response)).toEqual(['g0', 'g1', 'g2']);
    expect(calledIds(handler)).toEqual(['g0']);
  });

  it('treats one FIFO-looking record as enough', async () => {
    const records = [
      { messageId: 'a', body: '{}' },
      { messageId: 'b', body: '{}' },
      { messageId: 'c', body: '{}', attributes: { MessageGroupId: 'x' } },
    ];
    const handler = failing('a');
    expect(ids(await processSqsBatch(eventOf(records), handler))).toEqual(['a', 'b', 'c']);
    expect(calledIds(handler)).toEqual(['a']);
  });

  it('treats a standard queue as standard even when its messages carry a MessageGroupId (fair queues)', async () => {
    // SQS fair queues are standard queues whose producers set MessageGroupId to name a tenant.
    // There is no FIFO order to keep, so a failure must not hold back the rest of the batch.
    const records = ['t0', 't1', 't2', 't3'].map((id, i) =>
      sqsRecord(id, '{}', {
        eventSourceARN: STANDARD_ARN,
        attributes: { ApproximateReceiveCount: '1', MessageGroupId: `tenant-${i % 2}` },
      }),
    );
    const handler = failing('t1');
    const response = await processSqsBatch(eventOf(records), handler);
    expect(ids(response)).toEqual(['t1']);
    expect(calledIds(handler)).toEqual(['t0', 't1', 't2', 't3']);
  });

  it('treats records without ARN or MessageGroupId as standard', async () => {
    const records = ['a', 'b', 'c'].map((id) => ({ messageId: id, body: '{}', attributes: { MessageGroupId: '' } }));
    const handler = failing('a');
    expect(ids(await processSqsBatch(eventOf(records), handler))).toEqual(['a']);
    expect(calledIds(handler)).toEqual(['a', 'b', 'c']);
  });

  it('fifo: false processes every record of a FIFO queue', async () => {
    const records = ['f0', 'f1', 'f2'].map((id) => fifoRecord(id, 'G'));
    const handler = failing('f0');
    const response = await processSqsBatch(eventOf(records), handler, { fifo: false });
    expect(ids(response)).toEqual(['f0']);
    expect(calledIds(handler)).toEqual(['f0', 'f1', 'f2']);
  });

  it('fifo: true stops at the first failure on records that look standard', async () => {
    const records = ['s0', 's1', 's2'].map((id) => sqsRecord(id, '{}'));
    const handler = failing('s1');
    const response = await processSqsBatch(eventOf(records), handler, { fifo: true });
    expect(ids(response)).toEqual(['s1', 's2']);
    expect(calledIds(handler)).toEqual(['s0', 's1']);
  });
});

describe("processSqsBatch: FIFO 'stop-batch' (default)", () => {
  const batch = (): SqsRecord[] => [
    fifoRecord('a1', 'A'),
    fifoRecord('b1', 'B'),
    fifoRecord('a2', 'A'),
    fifoRecord('c1', 'C'),
    fifoRecord('b2', 'B'),
    fifoRecord('a3', 'A'),
  ];

  it('reports the failed record and every record after it, of every group, and handles none of them', async () => {
    const handler = failing('a2');
    const response = await processSqsBatch(eventOf(batch()), handler);
    expect(ids(response)).toEqual(['a2', 'c1', 'b2', 'a3']);
    expect(calledIds(handler)).toEqual(['a1', 'b1', 'a2']);
  });

  it('reports the whole batch when the first record fails', async () => {
    const handler = failing('a1');
    const response = await processSqsBatch(eventOf(batch()), handler);
    expect(ids(response)).toEqual(['a1', 'b1', 'a2', 'c1', 'b2', 'a3']);
    expect(calledIds(handler)).toEqual(['a1']);
  });

  it('reports only the last record when it alone fails', async () => {
    const handler = failing('a3');
    expect(ids(await processSqsBatch(eventOf(batch()), handler))).toEqual(['a3']);
    expect(calledIds(handler)).toHaveLength(6);
  });

  it("is the mode used when fifoFailureMode is 'stop-batch' explicitly", async () => {
    const handler = failing('b1');
    const response = await processSqsBatch(eventOf(batch()), handler, { fifoFailureMode: 'stop-batch' });
    expect(ids(response)).toEqual(['b1', 'a2', 'c1', 'b2', 'a3']);
  });

  it('runs one record at a time, in input order, whatever the concurrency', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const order: string[] = [];
    await processSqsBatch(
      eventOf(batch()),
      async (record) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await turns(2);
        order.push(record.messageId);
        inFlight -= 1;
      },
      { concurrency: 10 },
    );
    expect(maxInFlight).toBe(1);
    expect(order).toEqual(['a1', 'b1', 'a2', 'c1', 'b2', 'a3']);
  });

  it('aborts the signal once a record fails, not before', async () => {
    const seen: Array<{ id: string; abortedDuringCall: boolean; signal: AbortSignal }> = [];
    await processSqsBatch(eventOf(batch()), (record, info) => {
      seen.push({ id: record.messageId, abortedDuringCall: info.signal.aborted, signal: info.signal });
      if (record.messageId === 'b1') throw new Error('failed');
    });
    expect(seen.map((entry) => [entry.id, entry.abortedDuringCall])).toEqual([
      ['a1', false],
      ['b1', false],
    ]);
    expect(seen.every((entry) => entry.signal.aborted)).toBe(true);
  });

  it('leaves the signal alone when nothing fails', async () => {
    const signals: AbortSignal[] = [];
    await processSqsBatch(eventOf(batch()), (_record, info) => void signals.push(info.signal));
    expect(signals.some((signal) => signal.aborted)).toBe(false);
  });

  it('counts skipped records in the summary and logs each skip without bodies', async () => {
    const { logger, entries, text } = capturingLogger();
    const records = batch();
    await processSqsBatch(eventOf(records), failing('a2'), { logger });
    const stop = entries.filter((entry) => entry.level === 'warn' && entry.message.includes('skipped to keep FIFO order'));
    expect(stop).toHaveLength(1);
    expect(stop[0]?.data).toMatchObject({
      failedMessageId: 'a2',
      failedIndex: 2,
      mode: 'stop-batch',
      messageGroupId: 'A',
      skippedMessageIds: ['c1', 'b2', 'a3'],
    });
    const skips = entries.filter((entry) => entry.level === 'debug' && entry.message.includes('record skipped'));
    expect(skips.map((entry) => entry.data?.['messageId'])).toEqual(['c1', 'b2', 'a3']);
    const summary = entries.find((entry) => entry.message.includes('batch done'));
    expect(summary?.data).toMatchObject({ records: 6, failed: 1, skipped: 3, fifo: true, mode: 'stop-batch' });
    for (const record of records) expect(text()).not.toContain(record.body);
  });
});

describe("processSqsBatch: FIFO 'stop-group'", () => {
  it('stops only the failed group; other groups go on', async () => {
    const records = [
      fifoRecord('a1', 'A'),
      fifoRecord('b1', 'B'),
      fifoRecord('a2', 'A'),
      fifoRecord('b2', 'B'),
      fifoRecord('c1', 'C'),
      fifoRecord('a3', 'A'),
      fifoRecord('b3', 'B'),
      fifoRecord('a4', 'A'),
    ];
    const handler = failing('a2');
    const response = await processSqsBatch(eventOf(records), handler, { fifoFailureMode: 'stop-group' });
    expect(ids(response)).toEqual(['a2', 'a3', 'a4']);
    expect(calledIds(handler).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'b3', 'c1']);
  });

  it('reports the failures of several groups in input order', async () => {
    const records = [
      fifoRecord('a1', 'A'),
      fifoRecord('b1', 'B'),
      fifoRecord('a2', 'A'),
      fifoRecord('b2', 'B'),
      fifoRecord('c1', 'C'),
      fifoRecord('a3', 'A'),
      fifoRecord('b3', 'B'),
    ];
    const handler = failing('b1', 'a2');
    const response = await processSqsBatch(eventOf(records), handler, { fifoFailureMode: 'stop-group', concurrency: 3 });
    expect(ids(response)).toEqual(['b1', 'a2', 'b2', 'a3', 'b3']);
    expect(calledIds(handler).sort()).toEqual(['a1', 'a2', 'b1', 'c1']);
  });

  it('keeps the order within each group and runs each group one record at a time', async () => {
    const groups = ['A', 'B', 'C', 'D'];
    const records = [0, 1, 2].flatMap((n) => groups.map((group) => fifoRecord(`${group}${n}`, group)));
    const perGroupInFlight = new Map<string, number>();
    const perGroupOrder = new Map<string, string[]>();
    let groupsInFlight = 0;
    let maxGroupsInFlight = 0;
    let maxInOneGroup = 0;
    await processSqsBatch(
      eventOf(records),
      async (record) => {
        const group = record.attributes!.MessageGroupId!;
        const now = (perGroupInFlight.get(group) ?? 0) + 1;
        perGroupInFlight.set(group, now);
        maxInOneGroup = Math.max(maxInOneGroup, now);
        groupsInFlight += 1;
        maxGroupsInFlight = Math.max(maxGroupsInFlight, groupsInFlight);
        await turns(1 + (record.messageId.charCodeAt(0) % 3));
        groupsInFlight -= 1;
        perGroupInFlight.set(group, now - 1);
        perGroupOrder.set(group, [...(perGroupOrder.get(group) ?? []), record.messageId]);
      },
      { fifoFailureMode: 'stop-group', concurrency: 2 },
    );
    expect(maxInOneGroup).toBe(1);
    expect(maxGroupsInFlight).toBe(2);
    for (const group of groups) expect(perGroupOrder.get(group)).toEqual([`${group}0`, `${group}1`, `${group}2`]);
  });

  it('processes groups one at a time with the default concurrency of 1', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const order: string[] = [];
    const records = [fifoRecord('a1', 'A'), fifoRecord('b1', 'B'), fifoRecord('a2', 'A'), fifoRecord('b2', 'B')];
    await processSqsBatch(
      eventOf(records),
      async (record) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await turns(1);
        order.push(record.messageId);
        inFlight -= 1;
      },
      { fifoFailureMode: 'stop-group' },
    );
    expect(maxInFlight).toBe(1);
    // Groups in order of their first record; each group's records in order.
    expect(order).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

  it('puts records without a MessageGroupId in one group of their own', async () => {
    const records = [
      fifoRecord('n1', undefined),
      fifoRecord('a1', 'A'),
      fifoRecord('n2', undefined),
      fifoRecord('a2', 'A'),
      fifoRecord('n3', undefined),
    ];
    const noGroupFails = failing('n2');
    const response = await processSqsBatch(eventOf(records), noGroupFails, { fifoFailureMode: 'stop-group' });
    expect(ids(response)).toEqual(['n2', 'n3']);
    expect(calledIds(noGroupFails).sort()).toEqual(['a1', 'a2', 'n1', 'n2']);

    const groupFails = failing('a1');
    const other = await processSqsBatch(eventOf(records), groupFails, { fifoFailureMode: 'stop-group' });
    expect(ids(other)).toEqual(['a1', 'a2']);
    expect(calledIds(groupFails).sort()).toEqual(['a1', 'n1', 'n2', 'n3']);
  });

  it('aborts the signal of the failed group only', async () => {
    const records = [fifoRecord('a1', 'A'), fifoRecord('b1', 'B'), fifoRecord('a2', 'A'), fifoRecord('b2', 'B')];
    const signals = new Map<string, { signal: AbortSignal; abortedDuringCall: boolean }>();
    await processSqsBatch(
      eventOf(records),
      async (record, info) => {
        signals.set(record.messageId, { signal: info.signal, abortedDuringCall: info.signal.aborted });
        await turns(1);
        if (record.messageId === 'a2') throw new Error('failed');
      },
      { fifoFailureMode: 'stop-group', concurrency: 2 },
    );
    expect([...signals.values()].every((entry) => !entry.abortedDuringCall)).toBe(true);
    expect(signals.get('a1')?.signal.aborted).toBe(true);
    expect(signals.get('a2')?.signal.aborted).toBe(true);
    expect(signals.get('b1')?.signal.aborted).toBe(false);
    expect(signals.get('b2')?.signal.aborted).toBe(false);
  });

  it('aborts for work a handler left running: a background task sees the failure of a later record', async () => {
    const records = [fifoRecord('a1', 'A'), fifoRecord('a2', 'A')];
    let backgroundSawAbort: boolean | undefined;
    let background: Promise<void> | undefined;
    await processSqsBatch(
      eventOf(records),
      (record, info) => {
        if (record.messageId === 'a1') {
          background = new Promise<void>((resolve) => {
            info.signal.addEventListener('abort', () => {
              backgroundSawAbort = true;
              resolve();
            });
          });
          return;
        }
        throw new Error('a2 failed');
      },
      { fifoFailureMode: 'stop-group' },
    );
    await background;
    expect(backgroundSawAbort).toBe(true);
  });

  it('logs the stop with the mode and the group', async () => {
    const { logger, entries } = capturingLogger();
    const records = [fifoRecord('a1', 'A'), fifoRecord('b1', 'B'), fifoRecord('a2', 'A')];
    await processSqsBatch(eventOf(records), failing('a1'), { fifoFailureMode: 'stop-group', logger });
    const stop = entries.find((entry) => entry.message.includes('skipped to keep FIFO order'));
    expect(stop?.data).toMatchObject({ mode: 'stop-group', messageGroupId: 'A', skippedMessageIds: ['a2'] });
    const summary = entries.find((entry) => entry.message.includes('batch done'));
    expect(summary?.data).toMatchObject({ records: 3, failed: 1, skipped: 1, mode: 'stop-group' });
  });

  it('reports every record, without throwing, when every group fails at its first record', async () => {
    const records = [fifoRecord('a1', 'A'), fifoRecord('b1', 'B'), fifoRecord('a2', 'A'), fifoRecord('b2', 'B')];
    const handler = failing('a1', 'b1');
    const response = await processSqsBatch(eventOf(records), handler, { fifoFailureMode: 'stop-group' });
    expect(ids(response)).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(calledIds(handler).sort()).toEqual(['a1', 'b1']);
  });

  it('has no effect on standard queues', async () => {
    const records = ['m0', 'm1', 'm2'].map((id) => sqsRecord(id, '{}'));
    const handler = failing('m0');
    expect(ids(await processSqsBatch(eventOf(records), handler, { fifoFailureMode: 'stop-group' }))).toEqual(['m0']);
    expect(calledIds(handler)).toEqual(['m0', 'm1', 'm2']);
  });
});

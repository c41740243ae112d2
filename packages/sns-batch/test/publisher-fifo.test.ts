import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { noJitter } from '@herald/core';
import { createSnsPublisher, type SnsMessage } from '@herald/sns-batch';
import { FIFO_TOPIC_ARN, scriptedSnsClient, type SnsEntryReply, type SnsScript } from './scripted-sns-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function fifoMessage(name: string): SnsMessage {
  return { id: name, Message: `body of ${name}`, MessageGroupId: name[0]?.toUpperCase(), MessageDeduplicationId: `dedup-${name}` };
}

/** Replies per message id from a plan (n-th send), ok otherwise. */
function planned(plan: Record<string, SnsEntryReply[]>): SnsScript {
  const seen = new Map<string, number>();
  return (entries) =>
    entries.map((entry) => {
      const name = (entry.MessageDeduplicationId ?? '').replace('dedup-', '');
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      return plan[name]?.[n - 1] ?? 'ok';
    });
}

const names = (sns: ReturnType<typeof scriptedSnsClient>) =>
  sns.requests.map((request) => request.map((entry) => (entry.MessageDeduplicationId ?? '').replace('dedup-', '')));

describe('createSnsPublisher on a FIFO topic (issue case 4)', () => {
  it('treats a .fifo ARN as FIFO', () => {
    const sns = scriptedSnsClient();
    expect(createSnsPublisher({ client: sns.client, topicArn: FIFO_TOPIC_ARN }).fifo).toBe(true);
  });

  it('a transient failure of a2 delays a3 until a2 succeeds, but not b2/b3; dedup ids stay the same', async () => {
    const sns = scriptedSnsClient(planned({ a2: [{ Code: 'InternalError', SenderFault: false }] }));
    const publisher = createSnsPublisher({ client: sns.client, topicArn: FIFO_TOPIC_ARN, retry: { jitter: noJitter, baseMs: 100 } });
    const all = publisher.publishAll(['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map(fifoMessage));
    await vi.runAllTimersAsync();
    const results = await all;

    expect(names(sns)).toEqual([['a1', 'b1'], ['a2', 'b2'], ['b3'], ['a2'], ['a3']]);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('published'));
    expect(results[1]).toMatchObject({ id: 'a2', attempts: 2, sequenceNumber: expect.stringMatching(/^seq-/) });
    const a2Sends = sns.requests.flat().filter((entry) => entry.Message === 'body of a2');
    expect(a2Sends.map((entry) => entry.MessageDeduplicationId)).toEqual(['dedup-a2', 'dedup-a2']);
    expect(a2Sends.map((entry) => entry.MessageGroupId)).toEqual(['A', 'A']);
  });

  it('a permanent failure of a2 fails a3 without sending it, naming a2; group B is not affected', async () => {
    const sns = scriptedSnsClient(planned({ a2: [{ Code: 'InvalidParameter', SenderFault: true, Message: 'Invalid parameter: MessageAttributes' }] }));
    const publisher = createSnsPublisher({ client: sns.client, topicArn: FIFO_TOPIC_ARN });
    const all = publisher.publishAll(['a1', 'a2', 'a3', 'b1', 'b2'].map(fifoMessage));
    await vi.runAllTimersAsync();
    const [a1, a2, a3, b1, b2] = await all;

    expect(a1).toMatchObject({ status: 'published' });
    expect(a2).toMatchObject({ status: 'failed', id: 'a2', code: 'InvalidParameter', senderFault: true });
    expect(a3).toMatchObject({ status: 'failed', id: 'a3', code: 'PrecedingMessageFailed', attempts: 0 });
    const message = (a3 as { message: string }).message;
    expect(message).toContain('"a2"');
    expect(message).toContain('InvalidParameter');
    expect(message).toContain('Invalid parameter: MessageAttributes');
    expect(b1).toMatchObject({ status: 'published' });
    expect(b2).toMatchObject({ status: 'published' });
    expect(names(sns).flat()).not.toContain('a3');
  });

  it('refuses FIFO messages without a MessageGroupId locally, and requires dedup ids when content-based dedup is off', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: FIFO_TOPIC_ARN, contentBasedDeduplication: false });
    const results = publisher.publishAll([
      { id: 'no-group', Message: 'x', MessageDeduplicationId: 'd1' },
      { id: 'no-dedup', Message: 'x', MessageGroupId: 'g' },
      // Another group: a refused message fails the later messages of its own group.
      { id: 'good', Message: 'x', MessageGroupId: 'h', MessageDeduplicationId: 'd2' },
    ]);
    await vi.runAllTimersAsync();
    expect((await results).map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual([
      'InvalidParameter',
      'InvalidParameter',
      'published',
    ]);
    expect(sns.requests.flat().map((entry) => entry.MessageDeduplicationId)).toEqual(['d2']);
  });
});

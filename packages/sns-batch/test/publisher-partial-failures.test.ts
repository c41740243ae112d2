import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSnsPublisher } from '@herald/sns-batch';
import { scriptedSnsClient, TOPIC_ARN } from './scripted-sns-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createSnsPublisher: partial failures (issue case 1)', () => {
  it('23 messages: a transient and a permanent entry failure, then a connection reset → 5 requests, 22 published, 1 failed', async () => {
    const sns = scriptedSnsClient((entries, call) => {
      if (call === 1) {
        return entries.map((entry) => {
          if (entry.Message === 'm4') return { Code: 'InternalError', SenderFault: false, Message: 'Internal error' };
          if (entry.Message === 'm6') return { Code: 'InvalidParameter', SenderFault: true, Message: 'Invalid parameter: Message' };
          return 'ok';
        });
      }
      if (call === 2) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
      return entries.map(() => 'ok');
    });
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, retry: { random: () => 0.5 } });
    const messages = Array.from({ length: 23 }, (_, i) => ({ Message: `m${i + 1}` }));
    const all = publisher.publishAll(messages);
    await vi.runAllTimersAsync();
    const results = await all;

    const bodies = sns.bodies();
    const first = messages.slice(0, 10).map((m) => m.Message);
    const second = messages.slice(10, 20).map((m) => m.Message);
    expect(bodies).toEqual([first, second, ['m21', 'm22', 'm23'], second, ['m4']]);
    expect(sns.topics.every((topic) => topic === TOPIC_ARN)).toBe(true);

    expect(results.filter((r) => r.status === 'published')).toHaveLength(22);
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed).toEqual([
      {
        status: 'failed',
        id: results[5]?.id,
        code: 'InvalidParameter',
        message: 'Invalid parameter: Message',
        senderFault: true,
        attempts: 1,
      },
    ]);
    expect(results[3]).toMatchObject({ status: 'published', messageId: 'mid-m4', attempts: 2 });
    for (const index of [10, 15, 19]) expect(results[index]).toMatchObject({ status: 'published', attempts: 2 });

    // Every entry that succeeded was accepted exactly once and never sent after that.
    const sendCount = new Map<string, number>();
    for (const body of bodies.flat()) sendCount.set(body, (sendCount.get(body) ?? 0) + 1);
    for (const body of [...first, 'm21', 'm22', 'm23']) {
      expect(sendCount.get(body)).toBe(body === 'm4' ? 2 : 1);
    }
    for (const body of second) expect(sendCount.get(body)).toBe(2); // the reset request, then its retry

    expect(publisher.stats()).toMatchObject({
      requests: 5,
      failedRequests: 1,
      entries: 34,
      retries: 11,
      succeeded: 22,
      failed: 1,
      queued: 0,
      inFlight: 0,
    });
  });
});

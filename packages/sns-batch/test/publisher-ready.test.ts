import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatcherClosedError } from '@herald/core';
import { createSnsPublisher } from '@herald/sns-batch';
import { scriptedSnsClient, TOPIC_ARN } from './scripted-sns-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SnsPublisher.ready(): a producer loop with bounded memory (A5)', () => {
  it('keeps at most maxQueued messages pending however fast the producer is, and loses none', async () => {
    const sns = scriptedSnsClient(
      (entries) => new Promise((resolve) => setTimeout(() => resolve(entries.map(() => 'ok' as const)), 20)),
    );
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, maxQueued: 50 });
    let most = 0;
    let published = 0;
    const produce = async (): Promise<void> => {
      for (let i = 0; i < 2_000; i++) {
        await publisher.ready();
        void publisher.publish({ id: `m${i}`, Message: `line ${i}` }).then((result) => {
          if (result.status === 'published') published++;
        });
        const { queued, waiting } = publisher.stats();
        most = Math.max(most, queued + waiting);
      }
      await publisher.close();
    };
    const done = produce();
    await vi.runAllTimersAsync();
    await done;
    // close() resolved after every result handler ran.
    expect(published).toBe(2_000);
    expect(most).toBe(50);
    expect(publisher.stats()).toMatchObject({ waiting: 0, queued: 0, succeeded: 2_000 });
    expect(sns.requests.every((request) => request.length === 10)).toBe(true);
  });

  it('resolves after close(); the next publish() rejects', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, maxQueued: 1, lingerMs: 1_000 });
    void publisher.publish({ Message: 'a' });
    let released = false;
    void publisher.ready().then(() => {
      released = true;
    });
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toBe(false);
    const closed = publisher.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(released).toBe(true);
    await expect(publisher.publish({ Message: 'late' })).rejects.toBeInstanceOf(BatcherClosedError);
    await closed;
    expect(sns.bodies()).toEqual([['a']]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSnsPublisher } from '@herald/sns-batch';
import { scriptedSnsClient, TOPIC_ARN } from './scripted-sns-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createSnsPublisher: caller ids (issue case 3)', () => {
  it('ten messages with ids a, a, "b c", "é", 81 chars and five ordinary ones go in one request, each with its own result', async () => {
    const long = 'x'.repeat(81);
    const ids = ['a', 'a', 'b c', 'é', long, 'o1', 'o2', 'o3', 'o4', 'o5'];
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN });
    const all = publisher.publishAll(ids.map((id, i) => ({ id, Message: `body-${i}` })));
    await vi.runAllTimersAsync();
    const results = await all;

    expect(sns.requests).toHaveLength(1);
    const batchIds = sns.requests[0]?.map((entry) => entry.Id) ?? [];
    expect(new Set(batchIds).size).toBe(10);
    for (const batchId of batchIds) expect(batchId).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    // The caller's id never reaches SNS.
    expect(sns.requests[0]?.some((entry) => 'id' in entry)).toBe(false);

    results.forEach((result, i) => {
      expect(result).toEqual({ status: 'published', id: ids[i], messageId: `mid-body-${i}`, attempts: 1 });
    });
  });

  it('assigns a unique id when the caller gives none', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN });
    const all = publisher.publishAll([{ Message: 'one' }, { Message: 'two' }]);
    await vi.runAllTimersAsync();
    const [one, two] = await all;
    expect(one?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(two?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(one?.id).not.toBe(two?.id);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryBudget } from '@herald/core';
import { createSnsPublisher, type PublishResult } from '@herald/sns-batch';
import { scriptedSnsClient, TOPIC_ARN } from './scripted-sns-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const throttled = (): Error =>
  Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });

const messages = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `m${i}`, Message: `body ${i}` }));

describe('createSnsPublisher retry budget (A7)', () => {
  it('has a budget of its own by default: under constant throttling, re-sends stop after 100 tokens, one per request', async () => {
    const sns = scriptedSnsClient(() => {
      throw throttled();
    });
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, retry: { random: () => 0 } });
    const all = publisher.publishAll(messages(1_000));
    await vi.runAllTimersAsync();
    const results = await all;
    // 100 requests, then 100 re-sends (the default RetryBudget's 100 tokens), then nothing more;
    // without a budget it would be 500 (5 attempts each).
    expect(sns.requests).toHaveLength(200);
    expect(results.every((r) => r.status === 'failed' && r.code === 'Throttling')).toBe(true);
    const exhausted = results.filter((r) => (r as { message: string }).message.includes('retry budget is exhausted'));
    expect(exhausted.length).toBeGreaterThan(0);
  });

  it('shares one RetryBudget among publishers given the same one', async () => {
    const budget = new RetryBudget({ capacity: 3, successRefill: 0 });
    const sns = scriptedSnsClient(() => {
      throw throttled();
    });
    const first = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, retry: { budget, random: () => 0 } });
    const second = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, retry: { budget, random: () => 0 } });
    const all: Array<Promise<PublishResult[]>> = [first.publishAll(messages(20)), second.publishAll(messages(20))];
    await vi.runAllTimersAsync();
    await Promise.all(all);
    // 4 requests plus the 3 re-sends the shared budget allowed, between both publishers.
    expect(sns.requests).toHaveLength(7);
    expect(budget.available).toBe(0);
  });
});

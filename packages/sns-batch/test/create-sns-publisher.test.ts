import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatcherClosedError, RateLimiter } from '@herald/core';
import { createSnsPublisher, type SnsPublishBatchClient } from '@herald/sns-batch';
import { scriptedSnsClient, TOPIC_ARN } from './scripted-sns-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createSnsPublisher', () => {
  it('accepts a real SNSClient as its client', () => {
    const client: SnsPublishBatchClient = new SNSClient({ region: 'us-east-1' });
    const publisher = createSnsPublisher({ client, topicArn: TOPIC_ARN });
    expect(publisher).toMatchObject({ topicArn: TOPIC_ARN, fifo: false });
  });

  it('refuses a missing topic ARN or client', () => {
    const { client } = scriptedSnsClient();
    expect(() => createSnsPublisher({ client, topicArn: '' })).toThrow(/topicArn/);
    expect(() => createSnsPublisher({ client: {} as SnsPublishBatchClient, topicArn: TOPIC_ARN })).toThrow(/client/);
  });

  it('fails an invalid message alone and at once; its batch mates are sent', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN });
    const good = publisher.publish({ id: 'good', Message: 'ok' });
    const bad = await publisher.publish({ id: 'bad', Message: '' });
    expect(bad).toMatchObject({ status: 'failed', id: 'bad', code: 'InvalidParameter', senderFault: true, attempts: 0 });
    await vi.runAllTimersAsync();
    expect(await good).toMatchObject({ status: 'published', id: 'good' });
    expect(sns.bodies()).toEqual([['ok']]);
  });

  it('retries entries SNS fails with SenderFault false and fails those with SenderFault true', async () => {
    const sns = scriptedSnsClient((entries, call) =>
      entries.map((entry) => {
        if (call > 1) return 'ok';
        if (entry.Message === 'transient') return { Code: 'InternalError', SenderFault: false };
        return { Code: 'KMSAccessDenied', SenderFault: true, Message: 'no key access' };
      }),
    );
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, retry: { random: () => 0 } });
    const all = publisher.publishAll([{ Message: 'transient' }, { Message: 'fatal' }]);
    await vi.runAllTimersAsync();
    const [transient, fatal] = await all;
    expect(transient).toMatchObject({ status: 'published', attempts: 2 });
    expect(fatal).toMatchObject({ status: 'failed', code: 'KMSAccessDenied', message: 'no key access', senderFault: true, attempts: 1 });
  });

  it('resends a throttled request with backoff and keeps the error as cause when it gives up', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    const sns = scriptedSnsClient(() => {
      throw throttled;
    });
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, retry: { maxAttempts: 3, random: () => 0.5 } });
    const result = publisher.publish({ id: 'x', Message: 'hi' });
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 'failed', code: 'Throttling', senderFault: false, attempts: 3, cause: throttled });
    expect(sns.requests).toHaveLength(3);
  });

  it('flush() and close() deliver everything; publishing after close() rejects', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, lingerMs: 60_000 });
    const first = publisher.publish({ Message: 'a' });
    await publisher.flush();
    expect(await first).toMatchObject({ status: 'published' });
    const second = publisher.publishAll([{ Message: 'b' }, { Message: 'c' }]);
    await publisher.close();
    expect((await second).map((r) => r.status)).toEqual(['published', 'published']);
    await expect(publisher.publish({ Message: 'late' })).rejects.toBeInstanceOf(BatcherClosedError);
    expect(publisher.stats()).toMatchObject({ requests: 2, succeeded: 3, queued: 0 });
  });

  it('honours an abort signal per publish', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN });
    const controller = new AbortController();
    const aborted = publisher.publish({ id: 'gone', Message: 'x' }, { signal: controller.signal });
    const kept = publisher.publish({ id: 'kept', Message: 'y' });
    controller.abort();
    expect(await aborted).toMatchObject({ status: 'failed', id: 'gone', code: 'Aborted', attempts: 0 });
    await vi.runAllTimersAsync();
    expect(await kept).toMatchObject({ status: 'published' });
    expect(sns.bodies()).toEqual([['y']]);
  });

  it('applies a rate limit given as options or as a shared RateLimiter', async () => {
    for (const rateLimit of [{ ratePerSecond: 10 }, new RateLimiter({ ratePerSecond: 10 })]) {
      const sns = scriptedSnsClient();
      const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, rateLimit });
      void publisher.publishAll(Array.from({ length: 20 }, (_, i) => ({ Message: `m${i}` })));
      await vi.advanceTimersByTimeAsync(10);
      expect(sns.requests).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(sns.requests).toHaveLength(2);
    }
  });

  it('passes an abort signal to the client when requestTimeoutMs is set', async () => {
    const signals: Array<AbortSignal | undefined> = [];
    const client: SnsPublishBatchClient = {
      send(command, options) {
        signals.push(options?.abortSignal);
        const entries = command.input.PublishBatchRequestEntries ?? [];
        return Promise.resolve({ $metadata: {}, Successful: entries.map((e) => ({ Id: e.Id, MessageId: 'm' })) });
      },
    };
    const publisher = createSnsPublisher({ client, topicArn: TOPIC_ARN, requestTimeoutMs: 5_000 });
    const result = publisher.publish({ Message: 'x' });
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 'published', messageId: 'm' });
    expect(signals[0]).toBeInstanceOf(AbortSignal);
  });

  it('never logs message bodies or attribute values', async () => {
    const lines: string[] = [];
    const log = (message: string, data?: Record<string, unknown>) => lines.push(message + JSON.stringify(data ?? {}));
    const logger = { debug: log, info: log, warn: log, error: log };
    const sns = scriptedSnsClient((entries, call) => {
      if (call === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return entries.map((_, i) => (call === 2 && i === 0 ? { Code: 'InternalError', SenderFault: false } : 'ok'));
    });
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, logger, retry: { random: () => 0 } });
    const all = publisher.publishAll([
      { Message: 'TOP-SECRET-BODY', MessageAttributes: { token: { DataType: 'String', StringValue: 'SECRET-ATTR' } } },
      { Message: 'another secret body' },
    ]);
    await vi.runAllTimersAsync();
    await all;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/SECRET|secret/);
  });
});

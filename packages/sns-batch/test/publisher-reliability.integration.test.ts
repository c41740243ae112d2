import { RetryBudget } from '@herald/core';
import { startLocalAws, type FaultOptions, type LocalAws } from '@herald/local-aws';
import { createSnsPublisher, type PublishResult, type SnsMessage } from '@herald/sns-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from './drain-queue.js';
import { createTopicWithQueue, makeLocalClients, type LocalClients } from './local-topic-with-queue.js';

// Issue case 6: the reliability run, against local-aws with the real SDK clients.

const MESSAGES = 20_000;
/** Most sends per message: low enough that a few messages run out of attempts, so "failed" is exercised too. */
const MAX_ATTEMPTS = 3;
/**
 * A few percent of each fault, on SNS PublishBatch only (set-up and the SQS draining are not
 * disturbed). Request faults happen before the emulator sees the request, and failed entries
 * are removed before forwarding: a failure always means "not delivered", so every message
 * published must arrive exactly once.
 */
const FAULTS: FaultOptions = {
  seed: 20_260_602,
  throttle: 0.03,
  serverError: 0.03,
  reset: 0.02,
  failedEntries: 0.03,
  services: ['sns'],
  actions: ['PublishBatch'],
};
/** Codes a message may end with here: only the injected faults, after its attempts ran out. */
const INJECTED_CODES = ['Throttling', 'InternalFailure', 'ECONNRESET', 'InternalError'];

let local: LocalAws;
let clients: LocalClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false, faults: FAULTS });
  // One SDK attempt per call: every injected fault reaches the publisher, whose retries are under test.
  clients = makeLocalClients(local.endpoint, 1);
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

function messageFor(index: number): SnsMessage & { id: string; Message: string } {
  const id = `msg-${String(index).padStart(5, '0')}`;
  return {
    id,
    // Non-ASCII and a varying tail, so a mixed-up or mangled body is seen.
    Message: JSON.stringify({ id, index, text: `héllo €${index} 😀 ${'x'.repeat(index % 97)}` }),
    MessageAttributes: {
      heraldId: { DataType: 'String', StringValue: id },
      index: { DataType: 'Number', StringValue: String(index) },
    },
  };
}

describe('reliability run: 20,000 messages through faults (issue case 6)', () => {
  it('gives every message one result; every published message arrives once with its content, no failed one arrives', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'reliability');
    const messages = Array.from({ length: MESSAGES }, (_, index) => messageFor(index));
    const bodyById = new Map(messages.map((message) => [message.id, message.Message]));
    const snsRequestsBefore = local.stats().requests.sns;
    const faultsBefore = local.faultCounts();

    // This run is about retries, so it gets a budget that never runs dry: at these fault rates
    // about a third of the requests need a retry, more than the default RetryBudget allows
    // (about one retried request per ten answered), which would fail messages early.
    const budget = new RetryBudget({ capacity: 100_000 });
    const publisher = createSnsPublisher({ client: clients.sns, topicArn, retry: { maxAttempts: MAX_ATTEMPTS, budget } });
    const settledCount = new Map<string, number>();
    const results = await Promise.all(
      messages.map((message) =>
        publisher.publish(message).then((result) => {
          settledCount.set(message.id, (settledCount.get(message.id) ?? 0) + 1);
          return result;
        }),
      ),
    );
    await publisher.close();

    // Exactly one result per message, carrying the message's id.
    expect(results).toHaveLength(MESSAGES);
    expect(settledCount.size).toBe(MESSAGES);
    expect([...settledCount.values()].every((count) => count === 1)).toBe(true);
    expect(results.every((result, index) => result.id === messages[index]?.id)).toBe(true);

    const published = results.filter((result): result is Extract<PublishResult, { status: 'published' }> => result.status === 'published');
    const failed = results.filter((result): result is Extract<PublishResult, { status: 'failed' }> => result.status === 'failed');
    expect(published.length + failed.length).toBe(MESSAGES);
    // Failures are only injected faults that outlasted every attempt: retryable, not the sender's fault.
    for (const result of failed) {
      expect(INJECTED_CODES).toContain(result.code);
      expect(result).toMatchObject({ senderFault: false, attempts: MAX_ATTEMPTS });
    }
    expect(new Set(published.map((result) => result.messageId)).size).toBe(published.length);

    // Faults really were injected, of every kind, and the publisher saw every request fault.
    const faults = local.faultCounts();
    const injected = {
      throttle: faults.throttle - faultsBefore.throttle,
      serverError: faults.serverError - faultsBefore.serverError,
      reset: faults.reset - faultsBefore.reset,
      failedEntries: faults.failedEntries - faultsBefore.failedEntries,
    };
    expect(injected.throttle).toBeGreaterThan(0);
    expect(injected.serverError).toBeGreaterThan(0);
    expect(injected.reset).toBeGreaterThan(0);
    expect(injected.failedEntries).toBeGreaterThan(0);
    const stats = publisher.stats();
    expect(stats.failedRequests).toBe(injected.throttle + injected.serverError + injected.reset);
    // Every publisher request reached the endpoint once (the SDK does not retry here).
    expect(local.stats().requests.sns - snsRequestsBefore).toBe(stats.requests);

    // Some messages needed retries; counters agree with the results.
    expect(stats.retries).toBeGreaterThan(0);
    expect(published.some((result) => result.attempts > 1)).toBe(true);
    expect(stats).toMatchObject({ added: MESSAGES, succeeded: published.length, failed: failed.length, rejected: 0, queued: 0, inFlight: 0 });
    const sends = results.reduce((sum, result) => sum + result.attempts, 0);
    expect(stats.entries).toBe(sends);
    expect(stats.retries).toBe(sends - MESSAGES);
    // With 3 attempts and ~11% failures per send, a few dozen messages are expected to run out.
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(MESSAGES / 100);

    // The queue holds exactly the published messages, once each, with their bodies and attributes.
    const received = await drainQueue(clients.sqs, queueUrl, 8);
    const receivedCount = new Map<string, number>();
    const mismatched: string[] = [];
    for (const message of received) {
      const id = message.attributes['heraldId'] ?? '(no heraldId attribute)';
      receivedCount.set(id, (receivedCount.get(id) ?? 0) + 1);
      const index = Number(id.slice('msg-'.length));
      if (message.body !== bodyById.get(id) || message.attributes['index'] !== String(index)) mismatched.push(id);
    }
    expect(mismatched).toEqual([]);
    const duplicated = [...receivedCount].filter(([, count]) => count > 1).map(([id]) => id);
    expect(duplicated).toEqual([]);
    const missing = published.filter((result) => !receivedCount.has(result.id)).map((result) => result.id);
    expect(missing).toEqual([]);
    const failedButReceived = failed.filter((result) => receivedCount.has(result.id)).map((result) => result.id);
    expect(failedButReceived).toEqual([]);
    expect(received).toHaveLength(published.length);
  });
});

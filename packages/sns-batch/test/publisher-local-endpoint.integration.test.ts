import { randomUUID } from 'node:crypto';
import { PublishBatchCommand, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { createSnsPublisher, snsMessageSize, type PublishResult, type SnsMessage } from '@herald/sns-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from './drain-queue.js';
import { createTopicWithQueue, makeLocalClients, type LocalClients } from './local-topic-with-queue.js';

// Limits, caller ids, whole-request errors and close(), against local-aws with the real SDK
// clients (default SDK retries: no faults are injected in this file).

const LIMIT = 262_144;

let local: LocalAws;
let clients: LocalClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  clients = makeLocalClients(local.endpoint);
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

/** SNS requests the endpoint has received so far. */
const snsRequests = (): number => local.stats().requests.sns;

/** The SDK error of a call, or `undefined` if it succeeded. */
async function errorOf(call: Promise<unknown>): Promise<{ name?: string; $metadata?: { httpStatusCode?: number } } | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return error as { name?: string };
  }
}

/** A String attribute whose name, data type and value together take `bytes` bytes. */
function padAttribute(bytes: number): NonNullable<SnsMessage['MessageAttributes']> {
  const name = 'pad';
  return { [name]: { DataType: 'String', StringValue: 'p'.repeat(bytes - name.length - 'String'.length) } };
}

async function receivedBodies(queueUrl: string): Promise<string[]> {
  return (await drainQueue(clients.sqs, queueUrl, 2)).map((message) => message.body).sort();
}

describe('sizes against the endpoint (issue case 2 / brief case 3)', () => {
  it('publishes a message of exactly 262,144 bytes (body + attributes), UTF-8 counted', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'size-exact');
    const attributes = { kind: { DataType: 'String', StringValue: 'exact' } }; // 4 + 6 + 5 = 15 bytes
    const body = '€'.repeat(1_000) + 'x'.repeat(LIMIT - 15 - 3_000);
    const message: SnsMessage = { id: 'exact', Message: body, MessageAttributes: attributes };
    expect(snsMessageSize(message)).toBe(LIMIT);

    const publisher = createSnsPublisher({ client: clients.sns, topicArn });
    const result = await publisher.publish(message);
    await publisher.close();
    expect(result).toMatchObject({ status: 'published', id: 'exact', attempts: 1 });

    const received = await drainQueue(clients.sqs, queueUrl);
    expect(received).toHaveLength(1);
    expect(received[0]?.body === body).toBe(true);
    expect(received[0]?.attributes).toEqual({ kind: 'exact' });
  });

  it('fails one byte more locally as MessageTooLarge, never sent; its batch mate is published', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'size-over');
    const attributes = { kind: { DataType: 'String', StringValue: 'exact' } };
    const tooLarge: SnsMessage = {
      id: 'too-large',
      Message: '€'.repeat(1_000) + 'x'.repeat(LIMIT - 15 - 3_000 + 1),
      MessageAttributes: attributes,
    };
    expect(snsMessageSize(tooLarge)).toBe(LIMIT + 1);
    const before = snsRequests();

    const alone = createSnsPublisher({ client: clients.sns, topicArn });
    const result = await alone.publish(tooLarge);
    await alone.close();
    expect(result).toMatchObject({ status: 'failed', id: 'too-large', code: 'MessageTooLarge', senderFault: true, attempts: 0 });
    expect(result.status === 'failed' ? result.message : '').toContain('262145 bytes');
    expect(alone.stats()).toMatchObject({ requests: 0, entries: 0, bytes: 0, rejected: 1, failed: 1 });
    expect(snsRequests()).toBe(before);

    const withMate = createSnsPublisher({ client: clients.sns, topicArn });
    const [big, mate] = await withMate.publishAll([tooLarge, { id: 'mate', Message: 'small mate' }]);
    await withMate.close();
    expect(big).toMatchObject({ status: 'failed', code: 'MessageTooLarge', attempts: 0 });
    expect(mate).toMatchObject({ status: 'published', id: 'mate', attempts: 1 });
    expect(withMate.stats()).toMatchObject({ requests: 1, entries: 1 });
    expect(snsRequests()).toBe(before + 1);
    expect(await receivedBodies(queueUrl)).toEqual(['small mate']);
  });

  it('splits a batch whose total would exceed 262,144 bytes; the endpoint would refuse it whole', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'size-split');
    // Two 131,000-byte bodies with a 73-byte attribute each: 262,146 bytes together.
    const over = ['over-1', 'over-2'].map((id): SnsMessage => ({ id, Message: `${id}:`.padEnd(131_000, 'o'), MessageAttributes: padAttribute(73) }));
    // The same with a 72-byte attribute: exactly 262,144 together, one request.
    const exact = ['exact-1', 'exact-2'].map((id): SnsMessage => ({ id, Message: `${id}:`.padEnd(131_000, 'e'), MessageAttributes: padAttribute(72) }));
    // Four bodies of 30,000 × "€" (90,000 bytes each): two fit in a request, three do not.
    const euros = [1, 2, 3, 4].map((n): SnsMessage => ({ id: `euro-${n}`, Message: `${n}${'€'.repeat(30_000)}`.slice(0, 30_000) }));
    expect(over.reduce((sum, message) => sum + snsMessageSize(message), 0)).toBe(LIMIT + 2);
    expect(exact.reduce((sum, message) => sum + snsMessageSize(message), 0)).toBe(LIMIT);
    expect(euros.map(snsMessageSize)).toEqual([89_998, 89_998, 89_998, 89_998]);

    // Control: the endpoint refuses the two "over" messages as one request, as AWS would.
    const asOneRequest: PublishBatchRequestEntry[] = over.map(({ id: _id, ...entry }, index) => ({ ...entry, Id: `e${index}` }));
    const refused = await errorOf(clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: asOneRequest })));
    expect(refused?.name).toBe('BatchRequestTooLongException');

    for (const [messages, requests] of [
      [over, 2],
      [exact, 1],
      [euros, 2],
    ] as const) {
      const before = snsRequests();
      const publisher = createSnsPublisher({ client: clients.sns, topicArn });
      const results = await publisher.publishAll(messages);
      await publisher.close();
      expect(results.map((result) => `${result.id}:${result.status}:${result.attempts}`)).toEqual(
        messages.map((message) => `${message.id ?? ''}:published:1`),
      );
      expect(publisher.stats()).toMatchObject({ requests, failedRequests: 0, retries: 0 });
      expect(snsRequests() - before).toBe(requests);
    }
    const sent = [...over, ...exact, ...euros].map((message) => message.Message ?? '').sort();
    const received = await receivedBodies(queueUrl);
    expect(received.length).toBe(sent.length);
    expect(received.every((body, index) => body === sent[index])).toBe(true);
  });
});

describe('caller ids AWS would refuse as batch Ids (issue case 3 / brief case 4)', () => {
  it('publishes ids that are duplicates, have spaces, non-ASCII or 81+ chars, each with its own result', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'caller-ids');
    const ids = ['a', 'a', 'b c', 'é', 'x'.repeat(81), 'ok-1', 'ok-2', 'ok-3', 'ok-4', 'ok-5'];
    const messages = ids.map((id, index): SnsMessage => ({ id, Message: `message #${index} with caller id ${JSON.stringify(id)}` }));

    // Control: the endpoint refuses such Ids when they are sent as batch Ids.
    const raw = (id: string, index: number): PublishBatchRequestEntry => ({ Id: id, Message: `raw ${index}` });
    const duplicate = await errorOf(clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: ['a', 'a'].map(raw) })));
    expect(duplicate?.name).toBe('BatchEntryIdsNotDistinctException');
    for (const bad of ['b c', 'é', 'x'.repeat(81)]) {
      const invalid = await errorOf(clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [raw(bad, 0)] })));
      expect(invalid?.name).toBe('InvalidBatchEntryIdException');
    }

    const before = snsRequests();
    const publisher = createSnsPublisher({ client: clients.sns, topicArn });
    const results = await publisher.publishAll(messages);
    await publisher.close();

    expect(results.map((result) => result.id)).toEqual(ids);
    expect(results.every((result) => result.status === 'published' && result.attempts === 1)).toBe(true);
    const messageIds = results.map((result) => (result.status === 'published' ? result.messageId : ''));
    expect(new Set(messageIds).size).toBe(ids.length);
    expect(publisher.stats()).toMatchObject({ requests: 1, entries: 10 });
    expect(snsRequests() - before).toBe(1);
    expect(await receivedBodies(queueUrl)).toEqual(messages.map((message) => message.Message).sort());
  });
});

describe('non-retryable whole-request errors (brief case 5)', () => {
  it('fails every message with NotFound when the topic does not exist, each attempted once', async () => {
    const topicArn = `arn:aws:sns:us-east-1:000000000000:does-not-exist-${randomUUID().slice(0, 8)}`;
    const before = snsRequests();
    const publisher = createSnsPublisher({ client: clients.sns, topicArn });
    const messages = Array.from({ length: 15 }, (_, index): SnsMessage => ({ id: `m${index}`, Message: `message ${index}` }));
    const results = await publisher.publishAll(messages);
    await publisher.close();

    expect(results).toHaveLength(15);
    for (const [index, result] of results.entries()) {
      expect(result).toMatchObject({ status: 'failed', id: `m${index}`, code: 'NotFoundException', senderFault: true, attempts: 1 });
      const cause = (result as Extract<PublishResult, { status: 'failed' }>).cause as { $metadata?: { httpStatusCode?: number } };
      expect(cause.$metadata?.httpStatusCode).toBe(404);
    }
    // Two requests (10 + 5), each sent once: neither the SDK (default retries) nor the publisher retried.
    expect(publisher.stats()).toMatchObject({ requests: 2, failedRequests: 2, retries: 0, entries: 15, failed: 15 });
    expect(snsRequests() - before).toBe(2);
  });
});

describe('close() (brief case 6)', () => {
  it(
    'sends every buffered message and resolves once each has its result',
    async () => {
      const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'close');
      // An hour of linger: only close() can send these (if it did not, the test would time out).
      const publisher = createSnsPublisher({ client: clients.sns, topicArn, lingerMs: 3_600_000 });
      const messages = Array.from({ length: 7 }, (_, index): SnsMessage => ({ id: `c${index}`, Message: `buffered ${index}` }));
      const settled: string[] = [];
      const pending = messages.map((message) =>
        publisher.publish(message).then((result) => {
          settled.push(result.id);
          return result;
        }),
      );
      const before = snsRequests();
      await new Promise((resolve) => setImmediate(resolve));
      expect(publisher.stats()).toMatchObject({ requests: 0, queued: 7 });
      expect(snsRequests()).toBe(before);

      await publisher.close();
      expect(settled.sort()).toEqual(messages.map((message) => message.id ?? '').sort());
      const results = await Promise.all(pending);
      expect(results.map((result) => result.status)).toEqual(messages.map(() => 'published'));
      expect(publisher.stats()).toMatchObject({ requests: 1, queued: 0, inFlight: 0 });
      await expect(publisher.publish({ Message: 'too late' })).rejects.toThrow();
      expect(await receivedBodies(queueUrl)).toEqual(messages.map((message) => message.Message).sort());
    },
    15_000,
  );
});

import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { makeClients, type SdkClients } from './sdk-clients.js';

// fauxqs 1.9.2 answers Publish and PublishBatch without SequenceNumber; SNS gives every message
// published to a FIFO topic one (128 bits at most, increasing). local-aws adds it.

let local: LocalAws;
let clients: SdkClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  clients = makeClients(local.endpoint, 1);
});

afterEach(() => {
  local.setFaults(undefined);
});

afterAll(async () => {
  clients.destroy();
  await local.stop();
});

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
const TWENTY_DIGITS = /^\d{20}$/;

async function createTopic(fifo: boolean): Promise<string> {
  const created = await clients.sns.send(
    new CreateTopicCommand({
      Name: fifo ? `${unique('seq')}.fifo` : unique('seq'),
      Attributes: fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'true' } : {},
    }),
  );
  return created.TopicArn ?? '';
}

/** A FIFO topic with a FIFO queue subscribed with raw delivery. */
async function fifoTopicWithQueue(): Promise<{ topicArn: string; queueUrl: string }> {
  const topicArn = await createTopic(true);
  const queueUrl =
    (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${unique('seq')}.fifo`, Attributes: { FifoQueue: 'true' } })))
      .QueueUrl ?? '';
  const attributes = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: attributes.Attributes?.['QueueArn'] ?? '',
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return { topicArn, queueUrl };
}

/** Bodies of a FIFO queue in the order the queue gives them. */
async function drainInOrder(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((message) => message.Body ?? ''));
    await clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
      }),
    );
  }
}

function expectStrictlyIncreasing(sequenceNumbers: readonly (string | undefined)[]): void {
  for (const value of sequenceNumbers) expect(value).toMatch(TWENTY_DIGITS);
  const values = sequenceNumbers.map((value) => BigInt(value ?? '0'));
  for (let index = 1; index < values.length; index += 1) {
    expect((values[index] ?? 0n) > (values[index - 1] ?? 0n)).toBe(true);
  }
}

function entries(prefix: string, count: number, groups: readonly string[]): { Id: string; Message: string; MessageGroupId: string }[] {
  return Array.from({ length: count }, (_, index) => ({
    Id: `${prefix}${index}`,
    Message: `${prefix}${index}`,
    MessageGroupId: groups[index % groups.length] ?? 'g',
  }));
}

describe('SequenceNumber on FIFO topics', () => {
  it('gives every successful PublishBatch entry and every Publish a 20-digit number, increasing per topic', async () => {
    const topicArn = await createTopic(true);
    const first = await clients.sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries('a', 10, ['x', 'y']) }),
    );
    const single = await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'single', MessageGroupId: 'x' }));
    const second = await clients.sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries('b', 3, ['y']) }),
    );

    expect((first.Successful ?? []).map((entry) => entry.Id)).toEqual(entries('a', 10, ['x']).map((entry) => entry.Id));
    expect(first.Failed ?? []).toEqual([]);
    expect(single.MessageId).toEqual(expect.any(String));
    expect((second.Successful ?? []).map((entry) => entry.Id)).toEqual(['b0', 'b1', 'b2']);
    expectStrictlyIncreasing([
      ...(first.Successful ?? []).map((entry) => entry.SequenceNumber),
      single.SequenceNumber,
      ...(second.Successful ?? []).map((entry) => entry.SequenceNumber),
    ]);
  });

  it('leaves Failed entries without a number and numbers the successful ones', async () => {
    const topicArn = await createTopic(true);
    local.setFaults({ seed: 5, failedEntries: 0.4, services: ['sns'], actions: ['PublishBatch'] });
    const out = await clients.sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries('f', 10, ['g']) }),
    );
    const failed = out.Failed ?? [];
    const successful = out.Successful ?? [];
    expect(failed.length).toBeGreaterThan(0);
    expect(successful.length).toBeGreaterThan(0);
    expect(failed.length + successful.length).toBe(10);
    expectStrictlyIncreasing(successful.map((entry) => entry.SequenceNumber));
  });

  it('numbers overlapping requests in the order their messages reach the subscribed queue', async () => {
    const { topicArn, queueUrl } = await fifoTopicWithQueue();
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, batch) =>
        clients.sns.send(
          new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries(`c${batch}_`, 10, ['one-group']) }),
        ),
      ),
    );
    const numbered = answers.flatMap((answer) =>
      (answer.Successful ?? []).map((entry) => ({ id: entry.Id ?? '', sequence: BigInt(entry.SequenceNumber ?? '') })),
    );
    expect(numbered).toHaveLength(60);
    expect(new Set(numbered.map((entry) => entry.sequence)).size).toBe(60);
    const bySequence = [...numbered].sort((a, b) => (a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0));
    // The bodies are the entry ids; one group, so the queue gives them in publish order.
    expect(await drainInOrder(queueUrl)).toEqual(bySequence.map((entry) => entry.id));
  });
});

describe('SequenceNumber on standard topics', () => {
  it('is absent from PublishBatch and Publish answers, as on AWS', async () => {
    const topicArn = await createTopic(false);
    const batch = await clients.sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'a' }, { Id: 'b', Message: 'b' }] }),
    );
    const single = await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'single' }));
    expect((batch.Successful ?? []).map((entry) => entry.Id)).toEqual(['a', 'b']);
    expect((batch.Successful ?? []).map((entry) => entry.SequenceNumber)).toEqual([undefined, undefined]);
    expect(single.MessageId).toEqual(expect.any(String));
    expect(single.SequenceNumber).toBeUndefined();
  });
});

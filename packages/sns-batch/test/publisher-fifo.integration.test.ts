import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { createSnsPublisher, type PublishResult, type SnsMessage } from '@herald/sns-batch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue, type DrainedMessage } from './drain-queue.js';
import { createTopicWithQueue, makeLocalClients, type LocalClients } from './local-topic-with-queue.js';

// FIFO topic → FIFO queue against local-aws (fauxqs 1.9.2), with the real SDK clients.
// What fauxqs 1.9.2 does for FIFO: FIFO topics (name ending in .fifo, FifoTopic) requiring
// MessageGroupId, content-based or explicit deduplication ids passed on to the queue, FIFO
// queues that deliver a group in order (one group locked while a message of it is in flight),
// deduplicate within 5 minutes and give each message a SequenceNumber. Its PublishBatch answer
// has no SequenceNumber; local-aws adds the one SNS gives each FIFO entry.

const GROUPS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
const PER_GROUP = 40;

let local: LocalAws;
let clients: LocalClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  // One SDK attempt per call: injected faults reach the publisher, whose retries are under test.
  clients = makeLocalClients(local.endpoint, 1);
});

afterEach(() => {
  local.setFaults(undefined);
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

interface GroupMessage extends SnsMessage {
  id: string;
  Message: string;
  MessageGroupId: string;
}

/** Messages of every group, interleaved in publish order: alpha-0, bravo-0, …, alpha-1, … */
function interleaved(withDeduplicationIds = false): GroupMessage[] {
  const messages: GroupMessage[] = [];
  for (let position = 0; position < PER_GROUP; position++) {
    for (const group of GROUPS) {
      const id = `${group}-${position}`;
      const message: GroupMessage = { id, Message: JSON.stringify({ id, group, position }), MessageGroupId: group };
      if (withDeduplicationIds) message.MessageDeduplicationId = `dedup-${id}`;
      messages.push(message);
    }
  }
  return messages;
}

function idsByGroup(items: ReadonlyArray<{ id: string; group: string }>): Map<string, string[]> {
  const byGroup = new Map<string, string[]>(GROUPS.map((group) => [group, []]));
  for (const item of items) byGroup.get(item.group)?.push(item.id);
  return byGroup;
}

function receivedByGroup(received: readonly DrainedMessage[]): Map<string, string[]> {
  return idsByGroup(
    received.map((message) => {
      const parsed = JSON.parse(message.body) as { id: string; group: string };
      expect(message.messageGroupId).toBe(parsed.group);
      return parsed;
    }),
  );
}

/** Queue sequence numbers must grow in the order a group's messages were received. */
function expectSequenceNumbersIncreasePerGroup(received: readonly DrainedMessage[]): void {
  const last = new Map<string, bigint>();
  for (const message of received) {
    expect(message.sequenceNumber).toMatch(/^\d+$/);
    const sequence = BigInt(message.sequenceNumber ?? '0');
    const group = message.messageGroupId ?? '';
    const previous = last.get(group);
    if (previous !== undefined) expect(sequence > previous).toBe(true);
    last.set(group, sequence);
  }
}

/**
 * Per group: the published messages are a prefix of the group's publish order (after a
 * message fails for good the group's later ones fail too, never published out of order), and
 * the queue holds exactly those, in that order.
 */
function expectOrderPerGroup(messages: readonly GroupMessage[], results: readonly PublishResult[], received: readonly DrainedMessage[]): void {
  const publishedIds = new Set(results.filter((result) => result.status === 'published').map((result) => result.id));
  const sent = idsByGroup(messages.map((message) => ({ id: message.id, group: message.MessageGroupId })));
  const arrived = receivedByGroup(received);
  for (const group of GROUPS) {
    const inOrder = sent.get(group) ?? [];
    const published = inOrder.filter((id) => publishedIds.has(id));
    expect(published).toEqual(inOrder.slice(0, published.length));
    expect(arrived.get(group)).toEqual(published);
  }
  expect(received).toHaveLength(publishedIds.size);
}

describe('FIFO topic with a FIFO SQS subscriber', () => {
  it('delivers every group in publish order; the queue numbers them in that order', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'fifo-order', { fifo: true });
    const publisher = createSnsPublisher({ client: clients.sns, topicArn });
    expect(publisher.fifo).toBe(true);
    const messages = interleaved();
    const results = await publisher.publishAll(messages);
    await publisher.close();

    expect(results.map((result) => result.status)).toEqual(messages.map(() => 'published'));
    expect(results.map((result) => result.id)).toEqual(messages.map((message) => message.id));
    // A request carries at most one message per group, so each group takes PER_GROUP requests.
    expect(publisher.stats().requests).toBeGreaterThanOrEqual(PER_GROUP);

    const received = await drainQueue(clients.sqs, queueUrl);
    expectOrderPerGroup(messages, results, received);
    expectSequenceNumbersIncreasePerGroup(received);
  });

  it('keeps each group in order at the queue while entries fail and connections reset', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'fifo-faults', { fifo: true });
    const before = local.faultCounts();
    local.setFaults({ seed: 7, failedEntries: 0.2, reset: 0.05, services: ['sns'], actions: ['PublishBatch'] });
    const publisher = createSnsPublisher({ client: clients.sns, topicArn, retry: { maxAttempts: 12, capMs: 200 } });
    const messages = interleaved();
    const results = await publisher.publishAll(messages);
    await publisher.close();
    local.setFaults(undefined);

    const after = local.faultCounts();
    expect(after.failedEntries - before.failedEntries).toBeGreaterThan(0);
    expect(after.reset - before.reset).toBeGreaterThan(0);
    expect(publisher.stats().retries).toBeGreaterThan(0);
    expect(results.some((result) => result.attempts > 1)).toBe(true);
    // 12 attempts at a ~24% failure rate per send: a message runs out with probability ~4e-8.
    expect(results.filter((result) => result.status === 'failed')).toEqual([]);

    const received = await drainQueue(clients.sqs, queueUrl);
    expectOrderPerGroup(messages, results, received);
    expectSequenceNumbersIncreasePerGroup(received);
  });

  it('re-sends a request whose answer was lost with the same deduplication ids, so the queue keeps one copy', async () => {
    // No content-based deduplication: the queue drops a copy only if its explicit id is unchanged.
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'fifo-dedup', {
      fifo: true,
      contentBasedDeduplication: false,
    });
    const before = local.faultCounts();
    // The emulator acts on the request, then the connection is destroyed: the publisher sees ECONNRESET and re-sends.
    local.setFaults({ seed: 11, resetAfterForward: 0.2, services: ['sns'], actions: ['PublishBatch'] });
    const publisher = createSnsPublisher({
      client: clients.sns,
      topicArn,
      contentBasedDeduplication: false,
      retry: { maxAttempts: 12, capMs: 100 },
    });
    const messages = interleaved(true);
    const results = await publisher.publishAll(messages);
    await publisher.close();
    local.setFaults(undefined);

    expect(local.faultCounts().resetAfterForward - before.resetAfterForward).toBeGreaterThan(0);
    expect(results.filter((result) => result.status === 'failed')).toEqual([]);
    expect(results.some((result) => result.attempts > 1)).toBe(true);

    const received = await drainQueue(clients.sqs, queueUrl);
    expectOrderPerGroup(messages, results, received);
  });

  it('when a message runs out of attempts, the rest of its group fails unsent and never arrives; other groups go on', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'fifo-giveup', { fifo: true });
    local.setFaults({ seed: 3, failedEntries: 0.3, services: ['sns'], actions: ['PublishBatch'] });
    // Two attempts at a 30% failure rate: roughly one message in eleven fails for good.
    const publisher = createSnsPublisher({ client: clients.sns, topicArn, retry: { maxAttempts: 2, capMs: 50 } });
    const messages = interleaved();
    const results = await publisher.publishAll(messages);
    await publisher.close();
    local.setFaults(undefined);

    const failed = results.filter((result): result is Extract<PublishResult, { status: 'failed' }> => result.status === 'failed');
    const givenUp = failed.filter((result) => result.code === 'InternalError');
    const skipped = failed.filter((result) => result.code === 'PrecedingMessageFailed');
    expect(givenUp.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(0);
    expect(givenUp.length + skipped.length).toBe(failed.length);
    for (const result of givenUp) expect(result).toMatchObject({ attempts: 2, senderFault: false });
    for (const result of skipped) {
      expect(result.attempts).toBe(0);
      // It names the group's message that failed for good.
      const group = result.id.slice(0, result.id.indexOf('-'));
      const culprit = givenUp.find((candidate) => candidate.id.startsWith(`${group}-`));
      expect(result.message).toContain(`"${culprit?.id ?? '?'}"`);
    }

    const received = await drainQueue(clients.sqs, queueUrl);
    expectOrderPerGroup(messages, results, received);
    const arrived = new Set(received.map((message) => (JSON.parse(message.body) as { id: string }).id));
    expect(failed.filter((result) => arrived.has(result.id))).toEqual([]);
  });

  it('fails a message without MessageGroupId locally, never sending it; the others go', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients, 'fifo-nogroup', { fifo: true });
    const publisher = createSnsPublisher({ client: clients.sns, topicArn });
    const [bad, good] = await publisher.publishAll([
      { id: 'no-group', Message: 'lost group' },
      { id: 'grouped', Message: 'has a group', MessageGroupId: 'g' },
    ]);
    await publisher.close();
    expect(bad).toMatchObject({ status: 'failed', code: 'InvalidParameter', senderFault: true, attempts: 0 });
    expect(good).toMatchObject({ status: 'published', attempts: 1 });
    expect(publisher.stats().entries).toBe(1);
    expect((await drainQueue(clients.sqs, queueUrl)).map((message) => message.body)).toEqual(['has a group']);
  });

  // fauxqs 1.9.2 answers PublishBatch without SequenceNumber; local-aws adds it as SNS does
  // (20 decimal digits, increasing per topic). The publisher side is also covered below
  // against a canned SNS answer.
  it('results carry the SequenceNumber SNS assigns, increasing within each group', async () => {
    const { topicArn } = await createTopicWithQueue(clients, 'fifo-seq', { fifo: true });
    const publisher = createSnsPublisher({ client: clients.sns, topicArn });
    const messages = interleaved().slice(0, GROUPS.length * 3);
    const results = await publisher.publishAll(messages);
    await publisher.close();
    expect(results.map((result) => result.status)).toEqual(messages.map(() => 'published'));
    const lastPerGroup = new Map<string, bigint>();
    results.forEach((result, index) => {
      const sequenceNumber = result.status === 'published' ? result.sequenceNumber : undefined;
      expect(sequenceNumber).toMatch(/^\d+$/);
      const sequence = BigInt(sequenceNumber ?? '0');
      const group = messages[index]?.MessageGroupId ?? '';
      const previous = lastPerGroup.get(group);
      if (previous !== undefined) expect(sequence > previous).toBe(true);
      lastPerGroup.set(group, sequence);
    });
    expect([...lastPerGroup.keys()].sort()).toEqual([...GROUPS].sort());
  });
});

describe('sequence numbers through the real SDK', () => {
  let server: Server | undefined;

  afterEach(async () => {
    const running = server;
    server = undefined;
    if (running !== undefined) await new Promise<void>((resolve) => running.close(() => resolve()));
  });

  it('puts the SequenceNumber of a real PublishBatch answer in each result', async () => {
    // A canned SNS answer, in the awsQuery XML shape SNS uses for FIFO topics.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const members: string[] = [];
        for (let n = 1; form.has(`PublishBatchRequestEntries.member.${n}.Id`); n++) {
          const id = form.get(`PublishBatchRequestEntries.member.${n}.Id`) ?? '';
          members.push(
            `<member><Id>${id}</Id><MessageId>mid-${n}</MessageId><SequenceNumber>1000000000000000000${n}</SequenceNumber></member>`,
          );
        }
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult>' +
            `<Successful>${members.join('')}</Successful><Failed></Failed></PublishBatchResult>` +
            '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishBatchResponse>',
        );
      });
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', () => resolve()));
    const endpoint = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    const sns = new SNSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const publisher = createSnsPublisher({ client: sns, topicArn: 'arn:aws:sns:us-east-1:000000000000:canned.fifo' });
      const results = await publisher.publishAll([
        { id: 'x', Message: 'one', MessageGroupId: 'a' },
        { id: 'y', Message: 'two', MessageGroupId: 'b' },
      ]);
      await publisher.close();
      expect(results).toEqual([
        { status: 'published', id: 'x', messageId: 'mid-1', sequenceNumber: '10000000000000000001', attempts: 1 },
        { status: 'published', id: 'y', messageId: 'mid-2', sequenceNumber: '10000000000000000002', attempts: 1 },
      ]);
    } finally {
      sns.destroy();
    }
  });
});

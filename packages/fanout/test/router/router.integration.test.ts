import { createFanout, sqsMessageSize, type DispatchResult, type FanoutMessage } from '@herald/fanout';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBus, createQueue, createTopicWithQueue, drainQueue, freshName, makeLocalClients, type LocalClients } from './local-targets.js';

// The router against local-aws (fauxqs for SNS and SQS, local-aws's own EventBridge) with the
// real SDK v3 clients. The router's clients have maxAttempts 1: the batch engine retries.

let local: LocalAws;
let clients: LocalClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  clients = makeLocalClients(local);
});
afterEach(() => {
  local.setFaults(undefined);
});
afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

/**
 * Messages with a JSON body (some with non-ASCII text), an attribute and a caller id each. No
 * characters beyond U+FFFF: fauxqs 1.9.2 refuses them in SendMessageBatch, which AWS accepts
 * (see the last test of 'SQS target against local SQS').
 */
function orders(count: number, prefix = 'order'): FanoutMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    body: JSON.stringify({ orderId: `${prefix}-${i}`, total: i * 3, note: i % 5 === 0 ? 'Grüße € ✓' : 'plain' }),
    attributes: { kind: { DataType: 'String', StringValue: i % 2 === 0 ? 'even' : 'odd' } },
  }));
}

const sortedBodies = (messages: readonly { body: string }[]): string[] => messages.map((message) => message.body).sort();

/** Every result delivered on the first routes and failed on the last, with that code. */
function expectLastRouteFailed(results: DispatchResult[], code: string): void {
  for (const result of results) {
    expect(result.status).toBe('partial');
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['delivered', 'delivered', 'failed']);
    expect(result.outcomes[2]).toMatchObject({ status: 'failed', code });
  }
}

describe('three targets, one failing every request (issue 4)', () => {
  it('SNS topic (queue subscribed) and SQS queue get every message; a queue that does not exist reports every message failed', async () => {
    const topic = await createTopicWithQueue(clients, 'router-topic');
    const direct = await createQueue(clients.admin.sqs, freshName('router-direct'));
    const missingQueueUrl = direct.queueUrl.replace(/[^/]+$/, freshName('router-missing'));
    const fanout = createFanout({
      routes: [
        { name: 'topic', target: { type: 'sns', client: clients.sns, topicArn: topic.topicArn } },
        { name: 'queue', target: { type: 'sqs', client: clients.sqs, queueUrl: direct.queueUrl } },
        { name: 'missing', target: { type: 'sqs', client: clients.sqs, queueUrl: missingQueueUrl } },
      ],
    });
    const messages = orders(45);
    const results = await fanout.dispatch(messages);
    await fanout.close();

    expect(results.map((result) => result.id)).toEqual(messages.map((message) => message.id));
    const failure = results[0]?.outcomes[2];
    expect(failure?.status).toBe('failed');
    const code = failure?.status === 'failed' ? failure.code : '';
    expect(code).toMatch(/NonExistentQueue|QueueDoesNotExist/);
    expectLastRouteFailed(results, code);
    // A client error that is not retryable: sent once, the caller's fault.
    for (const result of results) expect(result.outcomes[2]).toMatchObject({ attempts: 1, senderFault: true });
    for (const result of results) {
      for (const outcome of result.outcomes.slice(0, 2)) {
        expect(outcome.status === 'delivered' && outcome.messageId).toMatch(/\S/);
      }
    }

    const viaTopic = await drainQueue(clients.admin.sqs, topic.queueUrl);
    const viaQueue = await drainQueue(clients.admin.sqs, direct.queueUrl);
    expect(sortedBodies(viaTopic)).toEqual(sortedBodies(messages));
    expect(sortedBodies(viaQueue)).toEqual(sortedBodies(messages));
    for (const received of [...viaTopic, ...viaQueue]) {
      const sent = messages.find((message) => message.body === received.body);
      expect(received.attributes).toEqual({ kind: sent?.attributes?.['kind']?.StringValue });
    }
  });

  it('the same with an EventBridge bus that does not exist as the failing target: every entry ResourceNotFoundException, never retried', async () => {
    const topic = await createTopicWithQueue(clients, 'router-topic-eb');
    const direct = await createQueue(clients.admin.sqs, freshName('router-direct-eb'));
    const fanout = createFanout({
      routes: [
        { name: 'topic', target: { type: 'sns', client: clients.sns, topicArn: topic.topicArn } },
        { name: 'queue', target: { type: 'sqs', client: clients.sqs, queueUrl: direct.queueUrl } },
        {
          name: 'no-bus',
          target: { type: 'eventbridge', client: clients.eventBridge, eventBusName: freshName('no-such-bus'), source: 'com.example.shop', detailType: 'OrderPlaced' },
        },
      ],
    });
    const messages = orders(23, 'eb');
    const results = await fanout.dispatch(messages);
    await fanout.close();

    expectLastRouteFailed(results, 'ResourceNotFoundException');
    for (const result of results) expect(result.outcomes[2]).toMatchObject({ attempts: 1, senderFault: true });
    expect(sortedBodies(await drainQueue(clients.admin.sqs, topic.queueUrl))).toEqual(sortedBodies(messages));
    expect(sortedBodies(await drainQueue(clients.admin.sqs, direct.queueUrl))).toEqual(sortedBodies(messages));
  });
});

describe('SQS target against local SQS', () => {
  it('retries entries SQS fails transiently: every message arrives exactly once', async () => {
    const queue = await createQueue(clients.admin.sqs, freshName('router-flaky'));
    local.setFaults({ seed: 11, failedEntries: 0.3, services: ['sqs'], actions: ['SendMessageBatch'] });
    const fanout = createFanout({
      routes: [{ name: 'queue', target: { type: 'sqs', client: clients.sqs, queueUrl: queue.queueUrl, batching: { retry: { maxAttempts: 10, baseMs: 1, capMs: 5 } } } }],
    });
    const messages = orders(60, 'flaky');
    const results = await fanout.dispatch(messages);
    await fanout.close();
    local.setFaults(undefined);

    expect(local.faultCounts().failedEntries).toBeGreaterThan(0);
    expect(results.every((result) => result.status === 'delivered')).toBe(true);
    expect(results.some((result) => (result.outcomes[0]?.attempts ?? 0) > 1)).toBe(true);
    const received = await drainQueue(clients.admin.sqs, queue.queueUrl);
    expect(received).toHaveLength(messages.length);
    expect(sortedBodies(received)).toEqual(sortedBodies(messages));
  });

  it('sends a message of exactly 262,144 bytes intact, and refuses one byte more without sending it', async () => {
    const queue = await createQueue(clients.admin.sqs, freshName('router-size'));
    const attributes = { kind: { DataType: 'String', StringValue: 'exact' } }; // 4 + 6 + 5 bytes
    const exact: FanoutMessage = { id: 'exact', body: '€'.repeat(1_000) + 'x'.repeat(262_144 - 15 - 3_000), attributes };
    const over: FanoutMessage = { id: 'over', body: exact.body + 'x', attributes };
    expect(sqsMessageSize({ MessageBody: exact.body, MessageAttributes: attributes })).toBe(262_144);
    const fanout = createFanout({ routes: [{ name: 'queue', target: { type: 'sqs', client: clients.sqs, queueUrl: queue.queueUrl } }] });

    const before = local.stats().requests.sqs;
    const refused = await fanout.dispatch(over);
    expect(local.stats().requests.sqs).toBe(before);
    expect(refused.outcomes[0]).toMatchObject({ status: 'failed', code: 'MessageTooLarge', attempts: 0, senderFault: true });

    const sent = await fanout.dispatch(exact);
    await fanout.close();
    expect(sent.status).toBe('delivered');
    const received = await drainQueue(clients.admin.sqs, queue.queueUrl);
    expect(received).toHaveLength(1);
    expect(received[0]?.body === exact.body).toBe(true);
    expect(received[0]?.attributes).toEqual({ kind: 'exact' });
  });

  it('emulator divergence: fauxqs refuses characters beyond U+FFFF (AWS accepts them); the router reports that message failed, the others go through', async () => {
    const queue = await createQueue(clients.admin.sqs, freshName('router-emoji'));
    const fanout = createFanout({ routes: [{ name: 'queue', target: { type: 'sqs', client: clients.sqs, queueUrl: queue.queueUrl } }] });
    const [emoji, plain] = await fanout.dispatch([{ body: 'party 😀' }, { body: 'party' }]);
    await fanout.close();
    // Herald's check lets the emoji through, as AWS documents #x10000-#x10FFFF as allowed.
    expect(emoji?.outcomes[0]).toMatchObject({ status: 'failed', code: 'InvalidMessageContents', senderFault: true, attempts: 1 });
    expect(plain?.status).toBe('delivered');
    expect((await drainQueue(clients.admin.sqs, queue.queueUrl)).map((message) => message.body)).toEqual(['party']);
  });

  it('keeps each group in order on a FIFO queue', async () => {
    const queue = await createQueue(clients.admin.sqs, freshName('router-fifo', true));
    const fanout = createFanout({ routes: [{ name: 'fifo', target: { type: 'sqs', client: clients.sqs, queueUrl: queue.queueUrl } }] });
    const messages: FanoutMessage[] = [];
    for (let i = 0; i < 8; i++) {
      for (const group of ['a', 'b', 'c']) messages.push({ body: `${group}${i}`, groupId: group, deduplicationId: `${group}-${i}` });
    }
    const results = await fanout.dispatch(messages);
    await fanout.close();
    expect(results.every((result) => result.status === 'delivered')).toBe(true);

    const received = await drainQueue(clients.admin.sqs, queue.queueUrl);
    expect(received).toHaveLength(24);
    for (const group of ['a', 'b', 'c']) {
      const inGroup = received.filter((message) => message.groupId === group).map((message) => message.body);
      expect(inGroup).toEqual(Array.from({ length: 8 }, (_, i) => `${group}${i}`));
    }
  });
});

describe('EventBridge target against local EventBridge', () => {
  it('puts every message on the bus; transient entry failures are retried, event ids match what was accepted', async () => {
    const bus = await createBus(clients.admin.eventBridge);
    local.setFaults({ seed: 5, failedEntries: 0.25, services: ['eventbridge'], actions: ['PutEvents'] });
    const fanout = createFanout({
      routes: [
        {
          name: 'bus',
          target: {
            type: 'eventbridge',
            client: clients.eventBridge,
            eventBusName: bus,
            source: 'com.example.shop',
            detailType: (message) => `Order.${message.attributes?.['kind']?.StringValue ?? 'unknown'}`,
            batching: { retry: { maxAttempts: 10, baseMs: 1, capMs: 5 } },
          },
        },
      ],
    });
    const messages = orders(35, 'bus');
    const results = await fanout.dispatch(messages);
    await fanout.close();
    local.setFaults(undefined);

    expect(local.faultCounts().failedEntries).toBeGreaterThan(0);
    expect(results.every((result) => result.status === 'delivered')).toBe(true);
    expect(results.some((result) => (result.outcomes[0]?.attempts ?? 0) > 1)).toBe(true);
    const events = local.eventBridgeEvents(bus);
    expect(events).toHaveLength(messages.length);
    expect(events.map((event) => event.detail).sort()).toEqual(sortedBodies(messages));
    for (const [index, result] of results.entries()) {
      const outcome = result.outcomes[0];
      const event = events.find((candidate) => candidate.eventId === (outcome?.status === 'delivered' ? outcome.messageId : ''));
      expect(event?.detail).toBe(messages[index]?.body);
      expect(event?.source).toBe('com.example.shop');
      expect(event?.detailType).toBe(index % 2 === 0 ? 'Order.even' : 'Order.odd');
    }
  });

  it('puts an entry of exactly 262,144 bytes and refuses one byte more locally', async () => {
    const bus = await createBus(clients.admin.eventBridge);
    const source = 'com.example.shop';
    const detailType = 'Big';
    const frame = '{"p":""}'.length;
    const exactBody = `{"p":"${'x'.repeat(262_144 - source.length - detailType.length - frame)}"}`;
    const fanout = createFanout({ routes: [{ name: 'bus', target: { type: 'eventbridge', client: clients.eventBridge, eventBusName: bus, source, detailType } }] });
    const [exact, over] = await fanout.dispatch([{ body: exactBody }, { body: exactBody.replace('"p":"', '"p":"x') }]);
    await fanout.close();
    expect(exact?.status).toBe('delivered');
    expect(over?.outcomes[0]).toMatchObject({ status: 'failed', code: 'EntryTooLarge', attempts: 0 });
    const events = local.eventBridgeEvents(bus);
    expect(events).toHaveLength(1);
    expect(events[0]?.detail === exactBody).toBe(true);
  });
});

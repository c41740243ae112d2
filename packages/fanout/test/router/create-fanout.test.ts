import {
  createFanout,
  FanoutClosedError,
  InvalidRouteError,
  type FanoutMessage,
  type FanoutRoute,
  type FunctionTargetContext,
} from '@herald/fanout';
import { createSnsPublisher } from '@herald/sns-batch';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scriptedEventBridgeClient } from './scripted-eventbridge-client.js';
import { scriptedSnsClient, TOPIC_ARN } from './scripted-sns-client.js';
import { FIFO_QUEUE_URL, QUEUE_URL, scriptedSqsClient } from './scripted-sqs-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Parses a JSON body (test messages are JSON). */
const parsed = (message: FanoutMessage): { type?: string; total?: number } => JSON.parse(message.body) as { type?: string; total?: number };

const order = (n: number, type: string, extra: Partial<FanoutMessage> = {}): FanoutMessage => ({
  id: `m${n}`,
  body: JSON.stringify({ n, type, total: n * 10 }),
  attributes: { type: { DataType: 'String', StringValue: type } },
  ...extra,
});

async function settled<T>(promise: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return promise;
}

describe('createFanout: routing to every kind of target', () => {
  it('hands each message to every matched route, and reports per message which matched and what each target did', async () => {
    const sns = scriptedSnsClient();
    const sqs = scriptedSqsClient();
    const eventBridge = scriptedEventBridgeClient();
    const seen: Array<[string, string]> = [];
    const fanout = createFanout({
      routes: [
        { name: 'all-to-sns', target: { type: 'sns', client: sns.client, topicArn: TOPIC_ARN } },
        { name: 'placed-to-sqs', filter: (m) => parsed(m).type === 'placed', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } },
        {
          name: 'big-to-bus',
          filter: (m) => (parsed(m).total ?? 0) >= 30,
          target: { type: 'eventbridge', client: eventBridge.client, eventBusName: 'orders', source: 'com.example.shop', detailType: (m) => `Order.${parsed(m).type ?? ''}` },
        },
        {
          name: 'audit',
          filter: (m) => parsed(m).type === 'cancelled',
          target: { type: 'function', handler: (m, context) => void seen.push([context.id, m.body]) },
        },
      ],
    });
    const messages = [order(1, 'placed'), order(2, 'cancelled'), order(3, 'placed'), order(4, 'cancelled')];
    const results = await settled(fanout.dispatch(messages));

    expect(results.map((result) => [result.id, result.status, result.matched])).toEqual([
      ['m1', 'delivered', ['all-to-sns', 'placed-to-sqs']],
      ['m2', 'delivered', ['all-to-sns', 'audit']],
      ['m3', 'delivered', ['all-to-sns', 'placed-to-sqs', 'big-to-bus']],
      ['m4', 'delivered', ['all-to-sns', 'big-to-bus', 'audit']],
    ]);
    expect(results[2]?.outcomes).toEqual([
      { route: 'all-to-sns', target: 'sns', status: 'delivered', messageId: 'sns-3', attempts: 1 },
      { route: 'placed-to-sqs', target: 'sqs', status: 'delivered', messageId: `mid-${order(3, 'placed').body}`.slice(0, 40), attempts: 1 },
      { route: 'big-to-bus', target: 'eventbridge', status: 'delivered', messageId: 'event-1', attempts: 1 },
    ]);
    expect(results[3]?.outcomes[2]).toEqual({ route: 'audit', target: 'function', status: 'delivered', attempts: 1 });

    // Each target got its messages in dispatch order, mapped by default.
    expect(sns.requests.flat().map((entry) => entry.Message)).toEqual(messages.map((m) => m.body));
    expect(sns.requests[0]?.[0]?.MessageAttributes).toEqual({ type: { DataType: 'String', StringValue: 'placed' } });
    expect(sqs.requests.flat()).toEqual([
      { Id: '0', MessageBody: messages[0]?.body, MessageAttributes: { type: { DataType: 'String', StringValue: 'placed' } } },
      { Id: '1', MessageBody: messages[2]?.body, MessageAttributes: { type: { DataType: 'String', StringValue: 'placed' } } },
    ]);
    expect(eventBridge.requests.flat()).toEqual([
      { Source: 'com.example.shop', DetailType: 'Order.placed', Detail: messages[2]?.body, EventBusName: 'orders' },
      { Source: 'com.example.shop', DetailType: 'Order.cancelled', Detail: messages[3]?.body, EventBusName: 'orders' },
    ]);
    expect(seen).toEqual([
      ['m2', messages[1]?.body],
      ['m4', messages[3]?.body],
    ]);
    await fanout.close();
  });

  it('says so when no route takes a message, and sends nothing for it', async () => {
    const sqs = scriptedSqsClient();
    const fanout = createFanout({
      routes: [{ name: 'placed', filter: (m) => parsed(m).type === 'placed', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } }],
      generateId: () => 'generated-1',
    });
    const result = await settled(fanout.dispatch({ body: '{"type":"refunded"}' }));
    expect(result).toEqual({ id: 'generated-1', status: 'unmatched', matched: [], outcomes: [] });
    expect(sqs.requests).toHaveLength(0);
  });

  it('maps group and deduplication ids: both to FIFO queues, only the group to standard ones; toEntry replaces the mapping', async () => {
    const fifo = scriptedSqsClient();
    const standard = scriptedSqsClient();
    const custom = scriptedSqsClient();
    const fanout = createFanout({
      routes: [
        { name: 'fifo', target: { type: 'sqs', client: fifo.client, queueUrl: FIFO_QUEUE_URL } },
        { name: 'standard', target: { type: 'sqs', client: standard.client, queueUrl: QUEUE_URL } },
        {
          name: 'delayed',
          target: { type: 'sqs', client: custom.client, queueUrl: QUEUE_URL, toEntry: (m) => ({ MessageBody: m.body.toUpperCase(), DelaySeconds: 30 }) },
        },
      ],
    });
    const result = await settled(fanout.dispatch({ id: 'x', body: 'hello', groupId: 'customer-7', deduplicationId: 'order-7' }));
    expect(result.status).toBe('delivered');
    expect(result.outcomes[0]).toMatchObject({ route: 'fifo', status: 'delivered', sequenceNumber: '00000000000000000001' });
    expect(fifo.requests[0]).toEqual([{ Id: '0', MessageBody: 'hello', MessageGroupId: 'customer-7', MessageDeduplicationId: 'order-7' }]);
    expect(standard.requests[0]).toEqual([{ Id: '0', MessageBody: 'hello', MessageGroupId: 'customer-7' }]);
    expect(custom.requests[0]).toEqual([{ Id: '0', MessageBody: 'HELLO', DelaySeconds: 30 }]);
  });

  it('keeps a FIFO group in dispatch order across messages', async () => {
    const fifo = scriptedSqsClient();
    const fanout = createFanout({ routes: [{ name: 'fifo', target: { type: 'sqs', client: fifo.client, queueUrl: FIFO_QUEUE_URL } }] });
    const messages = Array.from({ length: 5 }, (_, i): FanoutMessage => ({ body: `g${i}`, groupId: 'g', deduplicationId: `d${i}` }));
    const results = await settled(fanout.dispatch(messages));
    expect(fifo.requests.map((request) => request.map((entry) => entry.MessageBody))).toEqual([['g0'], ['g1'], ['g2'], ['g3'], ['g4']]);
    const sequence = results.map((result) => (result.outcomes[0]?.status === 'delivered' ? result.outcomes[0].sequenceNumber : undefined));
    expect(sequence).toEqual(['1', '2', '3', '4', '5'].map((n) => n.padStart(20, '0')));
  });
});

describe('createFanout: failures stay with their target', () => {
  it('a target failing every request fails every message there, while the others deliver every message', async () => {
    const sns = scriptedSnsClient();
    const sqs = scriptedSqsClient();
    const denied = Object.assign(new Error('User is not authorized to perform: events:PutEvents'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const eventBridge = scriptedEventBridgeClient(() => {
      throw denied;
    });
    const fanout = createFanout({
      routes: [
        { name: 'topic', target: { type: 'sns', client: sns.client, topicArn: TOPIC_ARN } },
        { name: 'queue', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } },
        { name: 'bus', target: { type: 'eventbridge', client: eventBridge.client, source: 'com.example.shop', detailType: 'Order' } },
      ],
    });
    const messages = Array.from({ length: 25 }, (_, i) => order(i, 'placed'));
    const results = await settled(fanout.dispatch(messages));
    for (const result of results) {
      expect(result.status).toBe('partial');
      expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['delivered', 'delivered', 'failed']);
      expect(result.outcomes[2]).toMatchObject({ route: 'bus', target: 'eventbridge', code: 'AccessDeniedException', attempts: 1 });
    }
    expect(sns.requests.flat()).toHaveLength(25);
    expect(sqs.requests.flat()).toHaveLength(25);
    expect(eventBridge.requests.map((request) => request.length)).toEqual([10, 10, 5]);
  });

  it('a slow function does not hold back the other targets; with timeoutMs it fails with Timeout and its signal is aborted', async () => {
    const sqs = scriptedSqsClient();
    const signals: AbortSignal[] = [];
    const fanout = createFanout({
      routes: [
        { name: 'queue', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } },
        {
          name: 'slow',
          target: {
            type: 'function',
            timeoutMs: 1_000,
            handler: (_m, context: FunctionTargetContext) => {
              signals.push(context.signal);
              return new Promise(() => {}); // never settles
            },
          },
        },
      ],
    });
    const pending = fanout.dispatch([order(1, 'placed'), order(2, 'placed')]);
    await vi.advanceTimersByTimeAsync(10);
    expect(sqs.requests.flat()).toHaveLength(2); // sent at linger, not after the slow function
    expect(signals.map((signal) => signal.aborted)).toEqual([false, false]);
    await vi.advanceTimersByTimeAsync(1_000);
    const results = await pending;
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
    for (const result of results) {
      expect(result.status).toBe('partial');
      expect(result.outcomes[1]).toMatchObject({ route: 'slow', status: 'failed', code: 'Timeout', attempts: 1 });
    }
  });

  it('a throwing or rejecting function fails that message there with the error\'s code', async () => {
    const fanout = createFanout({
      routes: [
        {
          name: 'fn',
          target: {
            type: 'function',
            handler: async (m) => {
              if (m.body === 'reject') throw Object.assign(new Error('database is down'), { code: 'DB_DOWN' });
              if (m.body === 'throw') throw new Error('plain');
            },
          },
        },
        {
          name: 'sync-throw',
          target: {
            type: 'function',
            handler: () => {
              throw new TypeError('synchronous');
            },
          },
        },
      ],
    });
    const [rejected, thrown] = await settled(fanout.dispatch([{ body: 'reject' }, { body: 'throw' }]));
    expect(rejected?.outcomes[0]).toMatchObject({ status: 'failed', code: 'DB_DOWN', message: 'database is down', attempts: 1 });
    expect(thrown?.outcomes[0]).toMatchObject({ status: 'failed', code: 'FunctionFailed', message: 'plain', attempts: 1 });
    expect(thrown?.outcomes[1]).toMatchObject({ route: 'sync-throw', status: 'failed', code: 'FunctionFailed', message: 'synchronous' });
    expect(thrown?.status).toBe('failed');
  });

  it('runs at most maxConcurrency calls of a function at once, starting them in dispatch order', async () => {
    let running = 0;
    let most = 0;
    const started: string[] = [];
    const fanout = createFanout({
      routes: [
        {
          name: 'fn',
          target: {
            type: 'function',
            maxConcurrency: 2,
            handler: async (m) => {
              started.push(m.body);
              running++;
              most = Math.max(most, running);
              await new Promise((resolve) => setTimeout(resolve, 100));
              running--;
            },
          },
        },
      ],
    });
    const results = await settled(fanout.dispatch(['a', 'b', 'c', 'd', 'e'].map((body) => ({ body }))));
    expect(results.every((result) => result.status === 'delivered')).toBe(true);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(most).toBe(2);
  });

  it('a filter that throws or answers with a promise fails that route only; a mapping that throws fails with MappingFailed', async () => {
    const sqs = scriptedSqsClient();
    const fanout = createFanout({
      routes: [
        {
          name: 'broken',
          filter: () => {
            throw new Error('boom');
          },
          target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL },
        },
        { name: 'async', filter: (() => Promise.resolve(true)) as unknown as () => boolean, target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } },
        {
          name: 'bad-mapping',
          target: {
            type: 'eventbridge',
            client: scriptedEventBridgeClient().client,
            toEntry: () => {
              throw new Error('no detail type for this message');
            },
          },
        },
        { name: 'fine', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } },
      ],
    });
    const result = await settled(fanout.dispatch({ id: 'm', body: 'x' }));
    expect(result.matched).toEqual(['bad-mapping', 'fine']);
    expect(result.status).toBe('partial');
    expect(result.outcomes.map((outcome) => [outcome.route, outcome.status === 'failed' ? outcome.code : 'delivered'])).toEqual([
      ['broken', 'FilterFailed'],
      ['async', 'FilterFailed'],
      ['bad-mapping', 'MappingFailed'],
      ['fine', 'delivered'],
    ]);
    const async = result.outcomes[1];
    expect(async?.status === 'failed' && async.message).toContain('synchronously');
    expect(sqs.requests.flat()).toHaveLength(1);
  });

  it('reports a message it cannot route at all as failed with InvalidMessage, and routes the others', async () => {
    const sqs = scriptedSqsClient();
    const fanout = createFanout({ routes: [{ name: 'q', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } }] });
    const results = await settled(
      fanout.dispatch([{ id: 'bad', body: 42 } as unknown as FanoutMessage, { id: 'good', body: 'ok' }, null as unknown as FanoutMessage]),
    );
    expect(results[0]).toMatchObject({ id: 'bad', status: 'failed', matched: [], outcomes: [], error: { code: 'InvalidMessage' } });
    expect(results[1]).toMatchObject({ id: 'good', status: 'delivered' });
    expect(results[2]).toMatchObject({ status: 'failed', error: { code: 'InvalidMessage' } });
    expect(sqs.bodies()).toEqual([['ok']]);
  });

  it('a generateId that throws or returns no string rejects the whole dispatch before any message reaches a target', async () => {
    const sqs = scriptedSqsClient();
    const called: string[] = [];
    let calls = 0;
    const ids = [(): string => 'g1', (): string => { throw new Error('id service down'); }, (): string => 42 as unknown as string, (): string => ''];
    const fanout = createFanout({
      generateId: () => (ids[calls++] as () => string)(),
      routes: [
        { name: 'q', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } },
        { name: 'f', target: { type: 'function', handler: (_m, context) => void called.push(context.id) } },
      ],
    });
    // The second message's id fails: the first, already given an id, must not have been sent either.
    const thrown = fanout.dispatch([{ body: 'one' }, { body: 'two' }, { id: 'mine', body: 'three' }]);
    expect(thrown).toBeInstanceOf(Promise);
    await expect(thrown).rejects.toMatchObject({ name: 'TypeError', message: expect.stringMatching(/generateId threw: id service down/) as unknown });
    await expect(fanout.dispatch({ body: 'four' })).rejects.toThrow(/generateId must return a non-empty string, got 42/);
    await expect(fanout.dispatch({ body: 'five' })).rejects.toThrow(/generateId must return a non-empty string, got ""/);
    // Messages with their own id need none.
    await expect(settled(fanout.dispatch({ id: 'mine', body: 'six' }))).resolves.toMatchObject({ id: 'mine', status: 'delivered' });
    await settled(fanout.close());
    expect(sqs.bodies().flat()).toEqual(['six']);
    expect(called).toEqual(['mine']);
  });

  it('a message a target refuses locally fails there alone (e.g. an empty body to SQS), and is delivered elsewhere', async () => {
    const sqs = scriptedSqsClient();
    const fanout = createFanout({
      routes: [
        { name: 'q', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL } },
        { name: 'fn', target: { type: 'function', handler: () => undefined } },
      ],
    });
    const result = await settled(fanout.dispatch({ body: '' }));
    expect(result.status).toBe('partial');
    expect(result.outcomes[0]).toMatchObject({ route: 'q', status: 'failed', code: 'MissingParameter', senderFault: true, attempts: 0 });
    expect(sqs.requests).toHaveLength(0);
  });
});

describe('createFanout: construction', () => {
  const sqs = scriptedSqsClient().client;
  const queue = { type: 'sqs', client: sqs, queueUrl: QUEUE_URL } as const;
  const cases: Array<[string, FanoutRoute[], string]> = [
    ['no name', [{ name: '', target: queue }], 'non-empty name'],
    ['a duplicate name', [{ name: 'a', target: queue }, { name: 'a', target: queue }], 'unique'],
    ['no target', [{ name: 'a' } as unknown as FanoutRoute], 'needs a target'],
    ['an unknown target type', [{ name: 'a', target: { type: 'kafka' } } as unknown as FanoutRoute], 'target.type'],
    ['an SQS target without a queue URL', [{ name: 'a', target: { type: 'sqs', client: sqs, queueUrl: '' } }], 'queueUrl'],
    ['an SNS target with neither publisher nor client', [{ name: 'a', target: { type: 'sns' } } as unknown as FanoutRoute], 'SNS target'],
    ['an EventBridge target without source', [{ name: 'a', target: { type: 'eventbridge', client: sqs as never, detailType: 'X' } }], 'source'],
    ['a function target with timeoutMs 0', [{ name: 'a', target: { type: 'function', handler: () => 1, timeoutMs: 0 } }], 'timeoutMs'],
    ['an SQS target with maxMessageBytes over 1 MiB', [{ name: 'a', target: { ...queue, maxMessageBytes: 2_000_000 } }], 'maxMessageBytes'],
    ['a filter with both a policy and a pattern', [{ name: 'a', filter: { filterPolicy: {}, eventPattern: {} } as never, target: queue }], 'exactly one'],
  ];
  it.each(cases)('refuses a route with %s, naming it', (_name, routes, text) => {
    let caught: unknown;
    try {
      createFanout({ routes });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidRouteError);
    const error = caught as InvalidRouteError;
    expect(error.code).toBe('InvalidRoute');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(text);
    expect(error.route).toBe(routes.at(-1)?.name || `#${routes.length - 1}`);
  });

  it('lists its routes', () => {
    expect(createFanout({ routes: [{ name: 'x', target: queue }, { name: 'y', target: queue }] }).routes).toEqual(['x', 'y']);
  });
});

describe('createFanout: flush and close', () => {
  it('close() sends what waits for its linger, resolves every dispatch, then refuses new messages', async () => {
    const sqs = scriptedSqsClient();
    const fanout = createFanout({
      routes: [{ name: 'q', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL, batching: { lingerMs: 60_000 } } }],
    });
    const pending = fanout.dispatch([{ body: 'a' }, { body: 'b' }]);
    await vi.advanceTimersByTimeAsync(10);
    expect(sqs.requests).toHaveLength(0);
    const closing = fanout.close();
    expect(fanout.close()).toBe(closing);
    await closing;
    expect(sqs.bodies()).toEqual([['a', 'b']]);
    expect((await pending).map((result) => result.status)).toEqual(['delivered', 'delivered']);
    await expect(fanout.dispatch({ body: 'late' })).rejects.toBeInstanceOf(FanoutClosedError);
  });

  it('flush() sends at once and waits for every result, including slow functions', async () => {
    const sqs = scriptedSqsClient();
    let finished = false;
    const fanout = createFanout({
      routes: [
        { name: 'q', target: { type: 'sqs', client: sqs.client, queueUrl: QUEUE_URL, batching: { lingerMs: 60_000 } } },
        { name: 'fn', target: { type: 'function', handler: () => new Promise((resolve) => setTimeout(() => resolve((finished = true)), 500)) } },
      ],
    });
    const results = fanout.dispatch({ body: 'a' });
    const flushed = fanout.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(sqs.requests).toHaveLength(1);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    await flushed;
    expect(finished).toBe(true);
    expect((await results).status).toBe('delivered');
  });

  it('closes the SNS publisher it made, but only flushes one it was given; a publisher closed too early fails with TargetClosed', async () => {
    const made = scriptedSnsClient();
    const given = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: given.client, topicArn: TOPIC_ARN, lingerMs: 60_000 });
    const fanout = createFanout({
      routes: [
        { name: 'made', target: { type: 'sns', client: made.client, topicArn: TOPIC_ARN, publisherOptions: { lingerMs: 60_000 } } },
        { name: 'given', target: { type: 'sns', publisher } },
      ],
    });
    const first = fanout.dispatch({ body: 'one' });
    await settled(fanout.close());
    expect((await first).status).toBe('delivered');
    expect(given.requests.flat().map((entry) => entry.Message)).toEqual(['one']);
    // The given publisher is still open: it is the caller's.
    const after = publisher.publish({ Message: 'two' });
    await publisher.close();
    expect(await after).toMatchObject({ status: 'published' });

    const early = createSnsPublisher({ client: given.client, topicArn: TOPIC_ARN });
    await early.close();
    const router = createFanout({ routes: [{ name: 'early', target: { type: 'sns', publisher: early } }] });
    const result = await settled(router.dispatch({ body: 'x' }));
    expect(result.outcomes[0]).toMatchObject({ route: 'early', status: 'failed', code: 'TargetClosed' });
  });
});

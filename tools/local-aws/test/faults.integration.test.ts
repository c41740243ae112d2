import { CreateTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalAwsConfigError, startLocalAws, type FaultOptions, type LocalAws } from '@herald/local-aws';
import { makeClients, type SdkClients } from './sdk-clients.js';

let local: LocalAws;
let clients: SdkClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  // One attempt per call, so every injected fault reaches the test instead of being retried by the SDK.
  clients = makeClients(local.endpoint, 1);
});

afterEach(() => {
  local.setFaults(undefined);
  local.setLatency(undefined);
});

afterAll(async () => {
  clients.destroy();
  await local.stop();
});

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

async function createQueue(): Promise<{ url: string; arn: string }> {
  const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: unique('q') }))).QueueUrl ?? '';
  const attributes = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attributes.Attributes?.['QueueArn'] ?? '' };
}

async function receiveAll(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((message) => message.Body ?? ''));
  }
}

async function topicWithRawQueue(): Promise<{ topicArn: string; queueUrl: string }> {
  const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: unique('t') }))).TopicArn ?? '';
  const queue = await createQueue();
  await clients.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' } }),
  );
  return { topicArn, queueUrl: queue.url };
}

async function createTable(): Promise<string> {
  const name = unique('tbl');
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  return name;
}

async function storedKeys(table: string, keys: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const key of keys) {
    const out = await clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: key } } }));
    if (out.Item !== undefined) found.push(key);
  }
  return found;
}

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 2_000; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the awaited condition never became true');
}

/**
 * Makes one faulted call per service (SNS Publish to a topic with a raw-delivery queue, SQS
 * SendMessage to that queue, DynamoDB PutItem), then the same calls without faults as a control,
 * and shows that only the control calls had any effect.
 */
async function faultedCallsHaveNoEffect(faults: FaultOptions, expected: { sns: string; sqs: string; dynamodb: string }): Promise<void> {
  const { topicArn, queueUrl } = await topicWithRawQueue();
  const table = await createTable();
  const calls = (tag: string): [string, () => Promise<unknown>][] => [
    ['sns', () => clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: `${tag}-sns` }))],
    ['sqs', () => clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `${tag}-sqs` }))],
    ['dynamodb', () => clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: tag } } }))],
  ];
  local.setFaults(faults);
  const faulted: Record<string, string> = {};
  for (const [service, call] of calls('faulted')) faulted[service] = await outcome(call());
  expect(faulted).toEqual(expected);
  local.setFaults(undefined);
  for (const [, call] of calls('control')) expect(await outcome(call())).toBe('ok');
  // The control calls arrived, so these checks do see deliveries: only the faulted ones are missing.
  expect((await receiveAll(queueUrl)).sort()).toEqual(['control-sns', 'control-sqs']);
  expect(await storedKeys(table, ['faulted', 'control'])).toEqual(['control']);
}

async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    return e.code === 'ECONNRESET' ? 'ECONNRESET' : `${e.name ?? 'unknown'}/${e.$metadata?.httpStatusCode ?? '-'}`;
  }
}

describe('request faults, seen through the real SDK', () => {
  it('throttle answers each service with its real throttling error, and nothing is delivered or stored', async () => {
    await faultedCallsHaveNoEffect(
      { seed: 1, throttle: 1 },
      { sns: 'Throttling/400', sqs: 'RequestThrottled/400', dynamodb: 'ThrottlingException/400' },
    );
  });

  it('the SDK classifies each injected throttle as throttling and retries it', async () => {
    const queue = await createQueue();
    const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: unique('t') }))).TopicArn ?? '';
    const retrying = makeClients(local.endpoint, 2);
    try {
      local.setFaults({ seed: 1, throttle: 1, actions: ['SendMessage', 'Publish', 'ListTables'] });
      const calls: [string, () => Promise<unknown>][] = [
        ['RequestThrottled', () => retrying.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm' }))],
        ['Throttling', () => retrying.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm' }))],
        ['ThrottlingException', () => retrying.dynamodb.send(new ListTablesCommand({}))],
      ];
      for (const [name, call] of calls) {
        await expect(call()).rejects.toMatchObject({ name, $metadata: { attempts: 2 } });
      }
      expect(local.faultCounts().throttle).toBeGreaterThanOrEqual(6);
    } finally {
      retrying.destroy();
    }
  });

  it('serverError answers HTTP 500 with an internal error in each service, and nothing is delivered or stored', async () => {
    await faultedCallsHaveNoEffect(
      { seed: 1, serverError: 1 },
      { sns: 'InternalFailure/500', sqs: 'InternalFailure/500', dynamodb: 'InternalServerError/500' },
    );
  });

  it('reset destroys the connection before forwarding: a network error, nothing delivered', async () => {
    const queue = await createQueue();
    local.setFaults({ seed: 1, reset: 1, services: ['sqs'], actions: ['SendMessage'] });
    expect(await outcome(clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'lost' })))).toBe(
      'ECONNRESET',
    );
    expect(await receiveAll(queue.url)).toEqual([]);
  });

  it('resetAfterForward loses the answer after the emulator acted: a network error, but delivered', async () => {
    const queue = await createQueue();
    local.setFaults({ seed: 1, resetAfterForward: 1, actions: ['SendMessage'] });
    expect(await outcome(clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'acted' })))).toBe(
      'ECONNRESET',
    );
    expect(await receiveAll(queue.url)).toEqual(['acted']);
  });

  it('services and actions filters limit where faults apply', async () => {
    local.setFaults({ seed: 1, throttle: 1, services: ['dynamodb'] });
    const queue = await createQueue();
    expect(await outcome(clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm' })))).toBe('ok');
    expect(await outcome(clients.dynamodb.send(new ListTablesCommand({})))).toBe('ThrottlingException/400');
    local.setFaults({ seed: 1, throttle: 1, actions: ['SendMessageBatch'] });
    expect(await outcome(clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'm' })))).toBe('ok');
  });

  it('the same seed gives the same fault sequence; counters match what the SDK saw', async () => {
    const queue = await createQueue();
    const faults: FaultOptions = { seed: 42, throttle: 0.2, serverError: 0.2, reset: 0.2, actions: ['SendMessage'] };
    const run = async (): Promise<string[]> => {
      local.setFaults(faults);
      const outcomes: string[] = [];
      for (let index = 0; index < 40; index += 1) {
        outcomes.push(await outcome(clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `m${index}` }))));
      }
      return outcomes;
    };
    const before = local.faultCounts();
    const first = await run();
    const after = local.faultCounts();
    const second = await run();
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', 'RequestThrottled/400', 'InternalFailure/500', 'ECONNRESET']));
    expect(after.throttle - before.throttle).toBe(first.filter((o) => o === 'RequestThrottled/400').length);
    expect(after.serverError - before.serverError).toBe(first.filter((o) => o === 'InternalFailure/500').length);
    expect(after.reset - before.reset).toBe(first.filter((o) => o === 'ECONNRESET').length);

    local.setFaults({ ...faults, seed: 43 });
    const other: string[] = [];
    for (let index = 0; index < 40; index += 1) {
      other.push(await outcome(clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }))));
    }
    expect(other).not.toEqual(first);
    local.setFaults(undefined);
    // Exactly the calls that succeeded were delivered.
    const delivered = await receiveAll(queue.url);
    expect(delivered.length).toBe([...first, ...second, ...other].filter((o) => o === 'ok').length);
  });
});

describe('fault sequence and arrival order', () => {
  it('draws batch-entry faults on arrival: a delayed batch overtaken by a later one gets the same failures as in sequence', async () => {
    const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: unique('order') }))).TopicArn ?? '';
    const faults: FaultOptions = { seed: 11, failedEntries: 0.5, actions: ['PublishBatch'] };
    const publishBatch = (): Promise<string[]> =>
      clients.sns
        .send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: Array.from({ length: 10 }, (_, index) => ({ Id: `e${index}`, Message: `m${index}` })),
          }),
        )
        .then((out) => (out.Failed ?? []).map((entry) => entry.Id ?? '').sort());

    // Reference: A then B, one after the other.
    local.setFaults(faults);
    const sequentialA = await publishBatch();
    const sequentialB = await publishBatch();
    expect(sequentialA).not.toEqual(sequentialB);

    // Same arrival order, but A waits out a latency while B (no latency) is answered first.
    local.setFaults(faults);
    local.setLatency(500);
    const arrivedBefore = local.stats().requests.sns;
    let aDone = false;
    const overtakenA = publishBatch().finally(() => (aDone = true));
    await until(() => local.stats().requests.sns > arrivedBefore);
    local.setLatency(undefined);
    const overtakingB = await publishBatch();
    const bFinishedFirst = !aDone;
    expect(await overtakenA).toEqual(sequentialA);
    expect(overtakingB).toEqual(sequentialB);
    // Only meaningful if B really overtook A (it has 500 ms to do so).
    expect(bFinishedFirst).toBe(true);
  });
});

describe('failedEntries', () => {
  it('turns PublishBatch entries into Failed entries that are never delivered', async () => {
    const { topicArn, queueUrl } = await topicWithRawQueue();
    local.setFaults({ seed: 7, failedEntries: 0.4, actions: ['PublishBatch'] });
    const before = local.faultCounts().failedEntries;
    const successful: string[] = [];
    const failed: string[] = [];
    for (let batch = 0; batch < 5; batch += 1) {
      const out = await clients.sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: Array.from({ length: 10 }, (_, index) => ({ Id: `b${batch}_${index}`, Message: `b${batch}_${index}` })),
        }),
      );
      successful.push(...(out.Successful ?? []).map((entry) => entry.Id ?? ''));
      for (const entry of out.Failed ?? []) {
        expect(entry).toMatchObject({ Code: 'InternalError', SenderFault: false });
        expect(entry.Message).toContain('injected by local-aws');
        failed.push(entry.Id ?? '');
      }
      expect((out.Successful ?? []).every((entry) => typeof entry.MessageId === 'string')).toBe(true);
    }
    expect(failed.length).toBeGreaterThan(0);
    expect(successful.length).toBeGreaterThan(0);
    expect([...successful, ...failed].sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `b${Math.floor(i / 10)}_${i % 10}`).sort(),
    );
    expect(local.faultCounts().failedEntries - before).toBe(failed.length);
    local.setFaults(undefined);
    expect((await receiveAll(queueUrl)).sort()).toEqual([...successful].sort());
  });

  it('answers without forwarding when every PublishBatch entry is chosen', async () => {
    const { topicArn, queueUrl } = await topicWithRawQueue();
    local.setFaults({ seed: 1, failedEntries: 1 });
    const out = await clients.sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'a' }, { Id: 'b', Message: 'b' }] }),
    );
    expect(out.Successful ?? []).toEqual([]);
    expect((out.Failed ?? []).map((entry) => entry.Id)).toEqual(['a', 'b']);
    local.setFaults(undefined);
    expect(await receiveAll(queueUrl)).toEqual([]);
  });

  it('turns SendMessageBatch entries into Failed entries that are never delivered', async () => {
    const queue = await createQueue();
    local.setFaults({ seed: 3, failedEntries: 0.5, services: ['sqs'] });
    const out = await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: Array.from({ length: 10 }, (_, index) => ({ Id: `e${index}`, MessageBody: `e${index}` })),
      }),
    );
    const failed = (out.Failed ?? []).map((entry) => entry.Id ?? '');
    const successful = (out.Successful ?? []).map((entry) => entry.Id ?? '');
    expect(failed.length).toBeGreaterThan(0);
    expect(successful.length).toBeGreaterThan(0);
    expect((out.Failed ?? []).every((entry) => entry.Code === 'InternalError' && entry.SenderFault === false)).toBe(true);
    expect([...successful, ...failed].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`).sort());
    local.setFaults(undefined);
    expect((await receiveAll(queue.url)).sort()).toEqual(successful.sort());
  });

  it('leaves invalid batches to the emulator, which rejects them as AWS does', async () => {
    const queue = await createQueue();
    local.setFaults({ seed: 3, failedEntries: 1, services: ['sqs'] });
    const entries = Array.from({ length: 11 }, (_, index) => ({ Id: `e${index}`, MessageBody: 'x' }));
    await expect(clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }))).rejects.toMatchObject({
      name: 'TooManyEntriesInBatchRequest',
    });
  });
});

describe('latency and configuration', () => {
  it('delays every request by a drawn latency within the range, as the client sees it', async () => {
    const slow = await startLocalAws({ dynamodb: false, latencyMs: { min: 200, max: 260 }, latencySeed: 9 });
    const slowClients = makeClients(slow.endpoint, 1);
    const timed = async (call: () => Promise<unknown>): Promise<number> => {
      const start = performance.now();
      await call();
      return performance.now() - start;
    };
    try {
      let url = '';
      const elapsed = [
        await timed(async () => {
          url = (await slowClients.sqs.send(new CreateQueueCommand({ QueueName: 'slow' }))).QueueUrl ?? '';
        }),
      ];
      for (let index = 0; index < 3; index += 1) {
        elapsed.push(await timed(() => slowClients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' }))));
      }
      // Lower bounds only: each call took at least the range's minimum (a few ms of timer rounding allowed)...
      for (const ms of elapsed) expect(ms).toBeGreaterThanOrEqual(195);
      const stats = slow.stats();
      expect(stats.requests.sqs).toBe(4);
      expect(stats.delayedRequests).toBe(4);
      expect(stats.totalDelayMs).toBeGreaterThanOrEqual(4 * 200);
      expect(stats.totalDelayMs).toBeLessThanOrEqual(4 * 260);
      // ...and together at least the delays drawn for them.
      expect(elapsed.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(stats.totalDelayMs - 4 * 5);
      slow.setLatency(undefined);
      await slowClients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' }));
      expect(slow.stats().delayedRequests).toBe(4);
    } finally {
      slowClients.destroy();
      await slow.stop();
    }
  });

  it('stop() ends requests still waiting out their latency: no timer keeps the process alive', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/latency-stop-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const report = JSON.parse(line) as { stopped: boolean; outcome: string; timers: number };
    // The child's request waits 60 s; after stop() it fails at once and no timer is left.
    expect(report).toEqual({ stopped: true, outcome: expect.stringMatching(/^failed: /) as unknown, timers: 0 });
    // A bound on the child, far below the 60 s latency it would otherwise wait out.
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      exited.then(([code]) => `exit ${String(code)}`),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), 10_000))),
    ]);
    clearTimeout(timer);
    if (outcome === 'still running') child.kill('SIGKILL');
    expect(outcome).toBe('exit 0');
  });

  it('rejects out-of-range fault and latency options with LocalAwsConfigError', async () => {
    expect(() => local.setFaults({ seed: 1, throttle: 1.5 })).toThrow(LocalAwsConfigError);
    expect(() => local.setFaults({ seed: 1, throttle: 0.6, reset: 0.6 })).toThrow(/at most 1/);
    expect(() => local.setLatency({ min: 10, max: 5 })).toThrow(LocalAwsConfigError);
    await expect(startLocalAws({ dynamodb: false, latencyMs: -1 })).rejects.toBeInstanceOf(LocalAwsConfigError);
  });

  it('answers DynamoDB requests clearly when DynamoDB is off', async () => {
    const noDynamo = await startLocalAws({ dynamodb: false });
    const noDynamoClients = makeClients(noDynamo.endpoint, 1);
    try {
      expect(noDynamo.dynamodbEndpoint).toBeUndefined();
      await expect(noDynamoClients.dynamodb.send(new ListTablesCommand({}))).rejects.toMatchObject({
        name: 'LocalAwsDynamoDbDisabled',
        message: expect.stringContaining('dynamodb: false') as unknown,
      });
    } finally {
      noDynamoClients.destroy();
      await noDynamo.stop();
    }
  });
});

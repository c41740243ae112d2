import { randomBytes, randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createDynamicSubscriptions,
  DynamicSubscriptionError,
  type DynamicSubscriptionsOptions,
  type EcsTaskStateChangeEvent,
} from '../../src/dynamic/index.js';
import { localClients, receiveAll } from '../subscriptions/local-aws-clients.js';
import { taskEvent } from './ecs-sample-events.js';

let local: LocalAws;
let clients: ReturnType<typeof localClients>;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  clients = localClients(local);
});

afterAll(async () => {
  await Promise.allSettled(cleanup.map((c) => c()));
  clients?.destroy();
  await local?.stop();
});

const newTaskId = (): string => randomBytes(16).toString('hex');
const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:111122223333:cluster/herald-demo';

/** A topic, a mapping table (TTL on expiresAt) and a queue prefix, fresh for one test. */
async function setup(extra: Partial<DynamicSubscriptionsOptions> = {}) {
  const { sns, sqs, dynamodb } = clients;
  const id = randomUUID().slice(0, 8);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: `herald-dyn-${id}` }))).TopicArn ?? '';
  const tableName = `herald-dyn-${id}`;
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'taskId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'taskId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  const prefix = `dyn-${id}-`;
  cleanup.push(async () => {
    const queues = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? [];
    await Promise.allSettled(queues.map((url) => sqs.send(new DeleteQueueCommand({ QueueUrl: url }))));
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
  });
  const options: DynamicSubscriptionsOptions = { sns, sqs, dynamodb, topicArn, tableName, queueNamePrefix: prefix, raw: true, ...extra };
  const dynamic = createDynamicSubscriptions(options);
  const event = (taskId: string, lastStatus: string, version: number, more: Partial<Parameters<typeof taskEvent>[0]> = {}): EcsTaskStateChangeEvent =>
    taskEvent({ taskId, lastStatus, version, at: Date.now(), ...more });
  return { topicArn, tableName, prefix, dynamic, options, event };
}

/** The topic's subscriptions, as queue name → subscription count. */
async function subscribedQueues(topicArn: string): Promise<Record<string, number>> {
  const out = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  const counts: Record<string, number> = {};
  for (const s of out.Subscriptions ?? []) {
    const name = (s.Endpoint ?? '').split(':').pop() ?? '';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

async function queueExists(name: string): Promise<boolean> {
  try {
    await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'QueueDoesNotExist') return false;
    throw error;
  }
}

async function item(tableName: string, taskId: string) {
  const out = await clients.dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true }));
  return out.Item;
}

async function broadcast(topicArn: string, text: string): Promise<void> {
  await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: text }));
}

/** An SDK client whose send runs `hook` after commands of the given name (to put another delivery in the middle). */
function withHook<C extends SNSClient | SQSClient>(client: C, after: string, hook: () => Promise<void>): C {
  let armed = true;
  return {
    send: async (command: { constructor: { name: string } }) => {
      const out = await (client.send as (c: unknown) => Promise<unknown>)(command);
      if (armed && command.constructor.name === after) {
        armed = false;
        await hook();
      }
      return out;
    },
    config: client.config,
  } as unknown as C;
}

describe('createDynamicSubscriptions against local AWS', () => {
  it('RUNNING t1 and t2: a broadcast reaches both; STOPPED t1 removes its subscription, queue and mapping; t2 is untouched', async () => {
    const { topicArn, tableName, dynamic, event } = await setup();
    const [t1, t2] = [newTaskId(), newTaskId()];
    const r1 = await dynamic.handleTaskStateChange(event(t1, 'RUNNING', 3));
    const r2 = await dynamic.handleTaskStateChange(event(t2, 'RUNNING', 3));
    expect(r1).toMatchObject({ outcome: 'subscribed', taskId: t1, version: 3 });
    expect(r2).toMatchObject({ outcome: 'subscribed', taskId: t2 });
    const q1 = await dynamic.queueForTask(t1);
    const q2 = await dynamic.queueForTask(`arn:aws:ecs:us-east-1:111122223333:task/herald-demo/${t2}`);
    expect(q1).toEqual({ taskId: t1, queueUrl: r1.queueUrl, queueArn: expect.stringMatching(/^arn:aws:sqs:/), subscriptionArn: r1.subscriptionArn });
    expect(q2?.queueUrl).toBe(r2.queueUrl);
    expect(await subscribedQueues(topicArn)).toEqual({ [dynamic.queueNameFor(t1)]: 1, [dynamic.queueNameFor(t2)]: 1 });

    await broadcast(topicArn, 'price list v1');
    expect(await receiveAll(clients.sqs, q1?.queueUrl ?? '')).toEqual(['price list v1']);
    expect(await receiveAll(clients.sqs, q2?.queueUrl ?? '')).toEqual(['price list v1']);

    const stopped = await dynamic.handleTaskStateChange(event(t1, 'STOPPED', 6));
    expect(stopped).toMatchObject({ outcome: 'unsubscribed', removed: { subscriptionsRemoved: [r1.subscriptionArn], queueDeleted: true } });
    expect(await subscribedQueues(topicArn)).toEqual({ [dynamic.queueNameFor(t2)]: 1 });
    expect(await queueExists(dynamic.queueNameFor(t1))).toBe(false);
    expect(await dynamic.queueForTask(t1)).toBeUndefined();
    const tombstone = await item(tableName, t1);
    expect(tombstone?.['status']?.S).toBe('STOPPED');
    expect(tombstone?.['cleanup']?.S).toBe('DONE');
    expect(tombstone?.['queueUrl']).toBeUndefined();
    expect(tombstone?.['subscriptionArn']).toBeUndefined();
    const expiresAt = Number(tombstone?.['expiresAt']?.N);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 7 * 24 * 3600 - 60);
    expect(expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 7 * 24 * 3600);

    await broadcast(topicArn, 'price list v2');
    expect(await receiveAll(clients.sqs, q2?.queueUrl ?? '')).toEqual(['price list v2']);
    expect(await dynamic.queueForTask(t2)).toEqual(q2);
  });

  it('a duplicate RUNNING or STOPPED changes nothing, also when two copies are handled at once', async () => {
    const { topicArn, tableName, dynamic, event } = await setup();
    const [t1, t2] = [newTaskId(), newTaskId()];
    const first = await dynamic.handleTaskStateChange(event(t1, 'RUNNING', 3));
    const again = await dynamic.handleTaskStateChange(event(t1, 'RUNNING', 3));
    expect(again).toMatchObject({ outcome: 'duplicate', queueUrl: first.queueUrl, subscriptionArn: first.subscriptionArn });

    const together = await Promise.all([
      dynamic.handleTaskStateChange(event(t2, 'RUNNING', 3)),
      dynamic.handleTaskStateChange(event(t2, 'RUNNING', 3)),
      dynamic.handleTaskStateChange(event(t2, 'RUNNING', 3)),
    ]);
    for (const r of together) expect(['subscribed', 'duplicate']).toContain(r.outcome);
    expect(new Set(together.map((r) => r.subscriptionArn))).toEqual(new Set([(await dynamic.queueForTask(t2))?.subscriptionArn]));
    expect(await subscribedQueues(topicArn)).toEqual({ [dynamic.queueNameFor(t1)]: 1, [dynamic.queueNameFor(t2)]: 1 });

    expect((await dynamic.handleTaskStateChange(event(t1, 'STOPPED', 6))).outcome).toBe('unsubscribed');
    const before = await item(tableName, t1);
    expect(await dynamic.handleTaskStateChange(event(t1, 'STOPPED', 6))).toMatchObject({ outcome: 'duplicate' });
    expect(await item(tableName, t1)).toEqual(before);
  });

  it('out of order: STOPPED before RUNNING, RUNNING after STOPPED, and an older version after a newer one bring nothing back', async () => {
    const { topicArn, tableName, dynamic, event } = await setup();
    const [early, late, versions] = [newTaskId(), newTaskId(), newTaskId()];

    // The task failed to start: its STOPPED is delivered before its RUNNING.
    expect(await dynamic.handleTaskStateChange(event(early, 'STOPPED', 6))).toMatchObject({
      outcome: 'unsubscribed',
      removed: { subscriptionsRemoved: [], queueDeleted: false },
    });
    expect(await dynamic.handleTaskStateChange(event(early, 'RUNNING', 3))).toMatchObject({ outcome: 'suppressed' });
    expect(await queueExists(dynamic.queueNameFor(early))).toBe(false);

    // RUNNING, STOPPED, then a redelivery of the RUNNING.
    await dynamic.handleTaskStateChange(event(late, 'RUNNING', 3));
    await dynamic.handleTaskStateChange(event(late, 'STOPPED', 6));
    expect(await dynamic.handleTaskStateChange(event(late, 'RUNNING', 3))).toMatchObject({ outcome: 'suppressed' });
    expect(await dynamic.handleTaskStateChange(event(late, 'RUNNING', 7))).toMatchObject({ outcome: 'suppressed' });
    expect(await queueExists(dynamic.queueNameFor(late))).toBe(false);

    // A newer RUNNING (a container changed state) raises the version; the older one after it is a duplicate.
    await dynamic.handleTaskStateChange(event(versions, 'RUNNING', 3));
    expect(await dynamic.handleTaskStateChange(event(versions, 'RUNNING', 5))).toMatchObject({ outcome: 'duplicate' });
    expect(await dynamic.handleTaskStateChange(event(versions, 'RUNNING', 4))).toMatchObject({ outcome: 'duplicate' });
    expect((await item(tableName, versions))?.['version']?.N).toBe('5');

    expect(await subscribedQueues(topicArn)).toEqual({ [dynamic.queueNameFor(versions)]: 1 });
    expect(Number((await item(tableName, early))?.['version']?.N)).toBe(6);
  });

  it('ignores what it does not act on: other statuses, a task being stopped, other clusters and services', async () => {
    const { topicArn, dynamic, event } = await setup({ clusterArn: CLUSTER_ARN, serviceName: 'prices' });
    const task = newTaskId();
    for (const [e, reason] of [
      [event(task, 'PENDING', 2), /PENDING is not acted on/],
      [event(task, 'RUNNING', 4, { desiredStatus: 'STOPPED' }), /being stopped/],
      [event(task, 'RUNNING', 3, { cluster: 'other' }), /cluster/],
      [event(task, 'RUNNING', 3, { serviceName: 'quotes' }), /service:quotes/],
    ] as const) {
      expect(await dynamic.handleTaskStateChange(e)).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(reason) });
    }
    expect(await subscribedQueues(topicArn)).toEqual({});
    expect(await queueExists(dynamic.queueNameFor(task))).toBe(false);
  });

  it('suppresses a RUNNING older than the tombstone lifetime', async () => {
    const now = Date.UTC(2030, 0, 1);
    const { dynamic, event } = await setup({ clock: { now: () => now }, tombstoneTtlSeconds: 3600 });
    const task = newTaskId();
    expect(await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3, { at: now - 3601_000 }))).toMatchObject({
      outcome: 'suppressed',
      reason: expect.stringMatching(/older than the tombstone lifetime/),
    });
    expect(await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3, { at: now - 3599_000 }))).toMatchObject({ outcome: 'subscribed' });
  });

  it('a STOPPED handled while the RUNNING is creating the queue: nothing is left', async () => {
    const base = await setup();
    for (const after of ['CreateQueueCommand', 'SubscribeCommand']) {
      const task = newTaskId();
      const stopper = createDynamicSubscriptions(base.options);
      const stop = async (): Promise<void> => {
        expect(await stopper.handleTaskStateChange(base.event(task, 'STOPPED', 6))).toMatchObject({ outcome: 'unsubscribed' });
      };
      const racing = createDynamicSubscriptions({
        ...base.options,
        sqs: after === 'CreateQueueCommand' ? withHook(clients.sqs, after, stop) : clients.sqs,
        sns: after === 'SubscribeCommand' ? withHook(clients.sns, after, stop) : clients.sns,
      });
      const result = await racing.handleTaskStateChange(base.event(task, 'RUNNING', 3));
      expect(result, after).toMatchObject({ outcome: 'suppressed' });
      expect(await queueExists(racing.queueNameFor(task)), after).toBe(false);
      expect(await racing.queueForTask(task)).toBeUndefined();
    }
    expect(await subscribedQueues(base.topicArn)).toEqual({});
  });

  it('a delivery that failed half-way is finished by the next one (Lambda retries the event)', async () => {
    const { topicArn, options, event } = await setup();
    const task = newTaskId();
    let failSubscribe = true;
    const flakySns = {
      send: async (command: { constructor: { name: string } }) => {
        if (failSubscribe && command.constructor.name === 'SubscribeCommand') {
          failSubscribe = false;
          throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });
        }
        return (clients.sns.send as (c: unknown) => Promise<unknown>)(command);
      },
      config: clients.sns.config,
    } as unknown as SNSClient;
    const dynamic = createDynamicSubscriptions({ ...options, sns: flakySns });
    const failed = await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DynamicSubscriptionError);
    expect(failed).toMatchObject({ taskId: task, step: 'sns:Subscribe', retryable: true });
    expect(await queueExists(dynamic.queueNameFor(task))).toBe(true);
    expect(await dynamic.queueForTask(task)).toBeUndefined();

    expect(await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3))).toMatchObject({ outcome: 'subscribed' });
    expect(await subscribedQueues(topicArn)).toEqual({ [dynamic.queueNameFor(task)]: 1 });
  });

  it('sweepOrphans removes queues of tasks not running, subscriptions whose queue is gone, and unfinished cleanups; keeps the rest', async () => {
    const { topicArn, tableName, prefix, dynamic, options, event } = await setup();
    const [running, lost, unfinished, queueDeleted] = [newTaskId(), newTaskId(), newTaskId(), newTaskId()];
    for (const task of [running, lost, unfinished, queueDeleted]) await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3));

    // `unfinished`: its STOPPED handler failed after the tombstone, before removing anything.
    const brokenSns = { send: async () => Promise.reject(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' })), config: clients.sns.config };
    const broken = createDynamicSubscriptions({ ...options, sns: brokenSns as unknown as SNSClient });
    await expect(broken.handleTaskStateChange(event(unfinished, 'STOPPED', 6))).rejects.toBeInstanceOf(DynamicSubscriptionError);
    expect(await queueExists(dynamic.queueNameFor(unfinished))).toBe(true);

    // `queueDeleted`: someone deleted its queue by hand; the subscription stays behind.
    const deletedQueue = await dynamic.queueForTask(queueDeleted);
    await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: deletedQueue?.queueUrl ?? '' }));
    // A subscription left behind by a queue deleted without unsubscribing (no mapping at all).
    const danglingName = `${prefix}${newTaskId()}`;
    const danglingUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: danglingName }))).QueueUrl ?? '';
    const danglingArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: danglingUrl, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'];
    await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: danglingArn }));
    await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: danglingUrl }));
    // A queue with the prefix that Herald did not create, subscribed by someone else.
    const foreignName = `${prefix}${newTaskId()}`;
    const foreignUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: foreignName }))).QueueUrl ?? '';
    const foreignArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: foreignUrl, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'];
    await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: foreignArn }));

    // Everything is younger than the default minimum age: nothing is swept yet, except the stopped
    // task's leftovers and the subscription whose queue is gone (neither can belong to a live task).
    const early = await dynamic.sweepOrphans({ runningTaskIds: [running] });
    expect(early.queuesDeleted.map((q) => q.taskId)).toEqual([unfinished]);
    expect(early.subscriptionsRemoved.map((r) => r.queueArn).sort()).toEqual([danglingArn, deletedQueue?.queueArn].sort());
    expect(early.subscriptionsRemoved.map((r) => r.subscriptionArn)).toContain(deletedQueue?.subscriptionArn);
    expect(early.kept.filter((k) => k.reason === 'recent').map((k) => k.taskId).sort()).toEqual([lost].sort());

    // `lost` stopped but its STOPPED event never arrived; ECS lists only `running` (as an ARN here).
    const report = await dynamic.sweepOrphans({
      runningTaskIds: async () => [`arn:aws:ecs:us-east-1:111122223333:task/herald-demo/${running}`],
      minAgeSeconds: 0,
    });
    expect(report.failures).toEqual([]);
    expect(report.queuesDeleted.map((q) => [q.taskId, q.reason])).toEqual([[lost, 'task-not-running']]);
    // `queueDeleted`'s mapping is now swept too (its subscription went in the first sweep).
    expect([...report.mappingsStopped].sort()).toEqual([lost, queueDeleted].sort());
    expect(report.subscriptionsRemoved).toEqual([]);
    expect(report.kept.map((k) => [k.taskId, k.reason]).sort()).toEqual(
      [
        [running, 'running'],
        [foreignName.slice(prefix.length), 'not-ours'],
      ].sort(),
    );

    expect(await subscribedQueues(topicArn)).toEqual({ [dynamic.queueNameFor(running)]: 1, [foreignName]: 1 });
    expect(await queueExists(dynamic.queueNameFor(lost))).toBe(false);
    expect(await queueExists(dynamic.queueNameFor(unfinished))).toBe(false);
    expect(await queueExists(foreignName)).toBe(true);
    for (const task of [lost, unfinished, queueDeleted]) {
      expect((await item(tableName, task))?.['status']?.S, task).toBe('STOPPED');
      expect(await dynamic.queueForTask(task)).toBeUndefined();
      // The tombstone also stops a late RUNNING.
      expect((await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3))).outcome).toBe('suppressed');
    }
    expect(await dynamic.queueForTask(running)).toBeDefined();

    // A second sweep finds nothing more to do.
    const again = await dynamic.sweepOrphans({ runningTaskIds: [running], minAgeSeconds: 0 });
    expect([again.queuesDeleted, again.mappingsStopped, again.subscriptionsRemoved, again.failures]).toEqual([[], [], [], []]);
  });

  it('sweepOrphans skips a malformed mapping item and reports it with its key; the rest of the sweep goes on', async () => {
    const { tableName, dynamic, event } = await setup();
    const [lost, unreadable] = [newTaskId(), newTaskId()];
    for (const task of [lost, unreadable]) await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3));
    // Another writer's item in the same table, and a mapping whose version was lost.
    await clients.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { taskId: { S: 'not-a-task' }, note: { S: 'other data' } } }));
    await clients.dynamodb.send(
      new PutItemCommand({ TableName: tableName, Item: { taskId: { S: unreadable }, status: { S: 'RUNNING' }, updatedAt: { N: '0' } } }),
    );

    const report = await dynamic.sweepOrphans({ runningTaskIds: [], minAgeSeconds: 0 });
    expect(report.failures.map((f) => f.target).sort()).toEqual(['not-a-task', unreadable].sort());
    for (const failure of report.failures) {
      expect(failure.error).toBeInstanceOf(DynamicSubscriptionError);
      expect(failure.error).toMatchObject({ taskId: failure.target, step: 'dynamodb:Scan', retryable: false });
    }
    expect(report.queuesDeleted.map((q) => [q.taskId, q.reason])).toEqual([[lost, 'task-not-running']]);
    expect(report.mappingsStopped).toEqual([lost]);
    // A queue whose mapping cannot be read is not judged: it may belong to a running task.
    expect(report.kept.map((k) => [k.taskId, k.reason])).toEqual([[unreadable, 'mapping-unreadable']]);
    expect(await queueExists(dynamic.queueNameFor(lost))).toBe(false);
    expect(await queueExists(dynamic.queueNameFor(unreadable))).toBe(true);
    expect((await item(tableName, 'not-a-task'))?.['note']?.S).toBe('other data');
  });

  it('costs 6 requests for a new task, 4 for a stopped one, 1 for a duplicate', async () => {
    const { options, event } = await setup();
    const sent: string[] = [];
    const counted = <C extends object>(client: C): C =>
      ({
        send: (command: { constructor: { name: string } }) => {
          sent.push(command.constructor.name.replace(/Command$/, ''));
          return (client as unknown as { send: (c: unknown) => Promise<unknown> }).send(command);
        },
        config: (client as unknown as { config: unknown }).config,
      }) as unknown as C;
    const dynamic = createDynamicSubscriptions({ ...options, sns: counted(clients.sns), sqs: counted(clients.sqs), dynamodb: counted(clients.dynamodb) });
    const task = newTaskId();
    const take = (): string[] => sent.splice(0);
    await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3));
    expect(take()).toEqual(['PutItem', 'CreateQueue', 'GetQueueAttributes', 'SetQueueAttributes', 'Subscribe', 'UpdateItem']);
    await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3));
    expect(take()).toEqual(['PutItem']);
    await dynamic.handleTaskStateChange(event(task, 'STOPPED', 7));
    expect(take()).toEqual(['UpdateItem', 'Unsubscribe', 'DeleteQueue', 'UpdateItem']);
    await dynamic.handleTaskStateChange(event(task, 'STOPPED', 7));
    expect(take()).toEqual(['UpdateItem']);
  });

  it('queueForTask waits for the mapping to appear', async () => {
    const { dynamic, event } = await setup();
    const task = newTaskId();
    const waiting = dynamic.queueForTask(task, { waitMs: 10_000, pollIntervalMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    await dynamic.handleTaskStateChange(event(task, 'RUNNING', 3));
    expect((await waiting)?.taskId).toBe(task);
    expect(await dynamic.queueForTask(newTaskId(), { waitMs: 100, pollIntervalMs: 20 })).toBeUndefined();
  });
});

import { UnsubscribeCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ListQueueTagsCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseArn } from '../subscriptions/arn.js';
import { isAwsError, SNS_NOT_FOUND, SQS_QUEUE_MISSING } from '../subscriptions/aws-error-name.js';
import { isConfirmedArn, listTopicSubscriptions } from '../subscriptions/topic-subscriptions.js';
import { type DynamicSubscriptionsContext, OWNER_TAG } from './dynamic-subscriptions-context.js';
import { taskIdFromArn } from './ecs-task-state-change.js';
import { queueNameFromUrl, taskIdFromQueueName, taskQueueName } from './task-queue-name.js';
import type { TaskQueueRecord } from './task-queue-table.js';
import { removeTaskQueue } from './task-queue-teardown.js';
import { sqsClientRegion } from '../subscriptions/queue-url-arn.js';

/** The running tasks, as ids or ARNs: a collection, or a function that lists them (e.g. with ECS `ListTasks`). */
export type RunningTaskIds = Iterable<string> | (() => Iterable<string> | Promise<Iterable<string>>);

/** Options of `sweepOrphans`. */
export interface SweepOrphansOptions {
  /**
   * The tasks that are running now (task ids or ARNs). With it, queues and mappings of any other
   * task are swept; without it, only those of tasks known to have stopped (a tombstone) or with
   * no mapping at all. A function is called after the queues are listed, so a queue can only be
   * judged against a listing at least as new as itself.
   */
  readonly runningTaskIds?: RunningTaskIds | undefined;
  /**
   * Queues created and mappings written less than this many seconds ago are never swept: the
   * task may have started after the running tasks were listed (and `ListTasks` is eventually
   * consistent). Default 300.
   */
  readonly minAgeSeconds?: number | undefined;
}

/** Why a queue or mapping was swept. */
export type SweepReason = 'task-stopped' | 'task-not-running' | 'mapping-missing';

/**
 * Why a queue was left alone: its task is running, it or its mapping is too recent, Herald did
 * not create it, or its mapping item cannot be read (reported in `failures` with its key).
 */
export type KeepReason = 'running' | 'recent' | 'not-ours' | 'mapping-unreadable';

/** A task queue the sweep deleted. */
export interface SweptQueue {
  /** The task. */
  readonly taskId: string;
  /** The queue. */
  readonly queueUrl: string;
  /** Why. */
  readonly reason: SweepReason;
}

/** A subscription the sweep removed because its queue no longer exists. */
export interface SweptSubscription {
  /** The subscription. */
  readonly subscriptionArn: string;
  /** The queue it delivered to. */
  readonly queueArn: string;
}

/** A queue the sweep left alone. */
export interface KeptQueue {
  /** The queue. */
  readonly queueUrl: string;
  /** The task id in its name. */
  readonly taskId: string;
  /** Why. */
  readonly reason: KeepReason;
}

/** Something the sweep could not do; the rest went on. */
export interface SweepFailure {
  /**
   * The queue URL, subscription ARN or task id concerned; for an item of the mapping table that
   * is not a mapping (status or version missing), its key.
   */
  readonly target: string;
  /** The error. */
  readonly error: unknown;
}

/** What `sweepOrphans` did. */
export interface SweepReport {
  /** Queues deleted (with their subscriptions). */
  readonly queuesDeleted: readonly SweptQueue[];
  /** Mappings of tasks that are not running, now tombstones (their queue, if any, is in `queuesDeleted`). */
  readonly mappingsStopped: readonly string[];
  /** Subscriptions of the topic whose queue no longer exists, removed. */
  readonly subscriptionsRemoved: readonly SweptSubscription[];
  /** Queues left alone, and why. */
  readonly kept: readonly KeptQueue[];
  /** What failed (each entry is independent). */
  readonly failures: readonly SweepFailure[];
}

async function listPrefixedQueues(sqs: SQSClient, prefix: string): Promise<string[]> {
  const urls: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken: nextToken }));
    urls.push(...(page.QueueUrls ?? []));
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
  } while (nextToken !== undefined);
  return urls;
}

async function resolveRunning(running: RunningTaskIds | undefined): Promise<Set<string> | undefined> {
  if (running === undefined) return undefined;
  const ids = typeof running === 'function' ? await running() : running;
  return new Set([...ids].map((id) => taskIdFromArn(id)));
}

async function queueExists(sqs: SQSClient, name: string, account: string): Promise<boolean> {
  try {
    await sqs.send(new GetQueueUrlCommand({ QueueName: name, ...(account === '' ? {} : { QueueOwnerAWSAccountId: account }) }));
    return true;
  } catch (error) {
    if (isAwsError(error, ...SQS_QUEUE_MISSING)) return false;
    throw error;
  }
}

async function createdAtMs(sqs: SQSClient, queueUrl: string): Promise<number | undefined> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['CreatedTimestamp'] }));
  const seconds = Number(out.Attributes?.['CreatedTimestamp']);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

async function ownedBy(sqs: SQSClient, queueUrl: string, tableName: string): Promise<boolean> {
  const out = await sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }));
  return out.Tags?.[OWNER_TAG] === tableName;
}

/**
 * Sweeps what the events left behind (see `DynamicSubscriptions.sweepOrphans`).
 *
 * @param context - What the handler uses.
 * @param options - The running tasks and the minimum age.
 * @returns What was swept.
 * @internal
 */
export async function sweepOrphans(context: DynamicSubscriptionsContext, options: SweepOrphansOptions): Promise<SweepReport> {
  const { sns, sqs, topicArn, tableName, prefix, table, clock, logger } = context;
  const minAgeSeconds = options.minAgeSeconds ?? 300;
  if (!Number.isFinite(minAgeSeconds) || minAgeSeconds < 0) {
    throw new RangeError(`sweepOrphans: minAgeSeconds must be 0 or more, got ${minAgeSeconds}.`);
  }
  const queuesDeleted: SweptQueue[] = [];
  const mappingsStopped: string[] = [];
  const subscriptionsRemoved: SweptSubscription[] = [];
  const kept: KeptQueue[] = [];
  const failures: SweepFailure[] = [];
  const services = { sns, sqs, topicArn };

  const queueUrls = await listPrefixedQueues(sqs, prefix);
  const running = await resolveRunning(options.runningTaskIds);
  const records = new Map<string, TaskQueueRecord>();
  // Items that are not mappings are reported and skipped; their task's queue is not judged.
  const unreadable = new Set<string>();
  for await (const item of table.scan()) {
    if (item.ok) {
      records.set(item.record.taskId, item.record);
    } else {
      unreadable.add(item.key);
      failures.push({ target: item.key, error: item.error });
    }
  }
  const now = clock.now();
  const isRecent = (ms: number | undefined): boolean => ms !== undefined && now - ms < minAgeSeconds * 1000;

  const tombstone = async (taskId: string, record: TaskQueueRecord | undefined): Promise<void> => {
    if (record?.status !== 'STOPPED') {
      const written = await table.tombstone(taskId, { version: record?.version ?? 0, taskArn: record?.taskArn }, clock.now(), Math.ceil(clock.now() / 1000) + context.tombstoneTtlSeconds);
      if (written.written && record !== undefined) mappingsStopped.push(taskId);
    }
    await table.markCleaned(taskId, clock.now());
  };

  const handled = new Set<string>();
  for (const queueUrl of queueUrls) {
    const taskId = taskIdFromQueueName(prefix, queueNameFromUrl(queueUrl));
    if (taskId === undefined) continue;
    handled.add(taskId);
    if (unreadable.has(taskId)) {
      kept.push({ queueUrl, taskId, reason: 'mapping-unreadable' });
      continue;
    }
    try {
      const record = records.get(taskId);
      if (record === undefined && !(await ownedBy(sqs, queueUrl, tableName))) {
        kept.push({ queueUrl, taskId, reason: 'not-ours' });
        continue;
      }
      let reason: SweepReason | undefined;
      if (record?.status === 'STOPPED') reason = 'task-stopped';
      else if (running !== undefined) reason = running.has(taskId) ? undefined : 'task-not-running';
      else if (record === undefined) reason = 'mapping-missing';
      if (reason === undefined) {
        kept.push({ queueUrl, taskId, reason: 'running' });
        continue;
      }
      if (reason !== 'task-stopped' && (isRecent(record?.updatedAt) || isRecent(await createdAtMs(sqs, queueUrl)))) {
        kept.push({ queueUrl, taskId, reason: 'recent' });
        continue;
      }
      const removed = await removeTaskQueue(services, taskId, {
        queueName: taskQueueName(prefix, taskId),
        queueUrl,
        queueArn: record?.queueArn,
        subscriptionArn: record?.subscriptionArn,
      });
      if (removed.queueDeleted) queuesDeleted.push({ queueUrl, taskId, reason });
      await tombstone(taskId, record);
    } catch (error) {
      failures.push({ target: queueUrl, error });
    }
  }

  // Mappings whose queue was not listed (gone, or the listing lagging): not-running tasks, and
  // tombstones whose cleanup never finished.
  for (const record of records.values()) {
    if (handled.has(record.taskId)) continue;
    const stale = !isRecent(record.updatedAt);
    const notRunning = record.status !== 'STOPPED' && running !== undefined && !running.has(record.taskId);
    const unfinished = record.status === 'STOPPED' && record.cleanup !== 'DONE';
    if (!stale || (!notRunning && !unfinished)) continue;
    try {
      const removed = await removeTaskQueue(services, record.taskId, {
        queueName: taskQueueName(prefix, record.taskId),
        queueUrl: record.queueUrl,
        queueArn: record.queueArn,
        subscriptionArn: record.subscriptionArn,
      });
      if (removed.queueDeleted && record.queueUrl !== undefined) {
        queuesDeleted.push({ queueUrl: record.queueUrl, taskId: record.taskId, reason: notRunning ? 'task-not-running' : 'task-stopped' });
      }
      await tombstone(record.taskId, record);
    } catch (error) {
      failures.push({ target: record.taskId, error });
    }
  }

  // Subscriptions of the topic to a prefixed queue that no longer exists.
  const region = await sqsClientRegion(sqs);
  try {
    for await (const subscription of listTopicSubscriptions(sns, topicArn)) {
      if (subscription.protocol !== 'sqs' || !isConfirmedArn(subscription.subscriptionArn)) continue;
      const endpoint = parseArn(subscription.endpoint);
      if (endpoint?.service !== 'sqs' || taskIdFromQueueName(prefix, endpoint.resource) === undefined) continue;
      // Only queues in the client's region can be checked; leave others alone.
      if (region === undefined || endpoint.region !== region) continue;
      try {
        if (await queueExists(sqs, endpoint.resource, endpoint.account)) continue;
        await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription.subscriptionArn })).catch((error: unknown) => {
          if (!isAwsError(error, ...SNS_NOT_FOUND)) throw error;
        });
        subscriptionsRemoved.push({ subscriptionArn: subscription.subscriptionArn, queueArn: subscription.endpoint });
      } catch (error) {
        failures.push({ target: subscription.subscriptionArn, error });
      }
    }
  } catch (error) {
    failures.push({ target: topicArn, error });
  }

  const report = { queuesDeleted, mappingsStopped, subscriptionsRemoved, kept, failures };
  logger.info('sweepOrphans finished', {
    queuesDeleted: queuesDeleted.length,
    mappingsStopped: mappingsStopped.length,
    subscriptionsRemoved: subscriptionsRemoved.length,
    kept: kept.length,
    failures: failures.length,
  });
  return report;
}

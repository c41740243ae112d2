import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type Clock, guardLogger, type Logger, silentLogger, sleep, systemClock } from '@herald/core';
import { requireTopicArn } from '../subscriptions/arn.js';
import { subscribeQueue, type SubscriptionLookup } from '../subscriptions/subscribe-queue.js';
import type { FilterPolicy, FilterPolicyScope } from '../filter-policy/index.js';
import { checkedFilterPolicy } from '../subscriptions/subscription-filter-policy.js';
import { type DynamicSubscriptionsContext, OWNER_TAG } from './dynamic-subscriptions-context.js';
import { DynamicSubscriptionError } from './dynamic-subscription-errors.js';
import { type EcsTaskEventPattern, ecsTaskRunningPattern, ecsTaskStoppedPattern } from './ecs-event-patterns.js';
import { type EcsTaskStateChangeEvent, readTaskStateChange, type TaskStateChange, taskIdFromArn } from './ecs-task-state-change.js';
import { sweepOrphans, type SweepOrphansOptions, type SweepReport } from './sweep-orphans.js';
import { checkedQueueNamePrefix, DEFAULT_QUEUE_NAME_PREFIX, taskQueueName } from './task-queue-name.js';
import { createTaskQueueTable, type TaskQueueRecord } from './task-queue-table.js';
import { removeTaskQueue, type TaskQueueRemoval } from './task-queue-teardown.js';

/** Default lifetime of a stopped task's tombstone: 7 days. */
export const DEFAULT_TOMBSTONE_TTL_SECONDS = 7 * 24 * 3600;

/** Options of {@link createDynamicSubscriptions}. */
export interface DynamicSubscriptionsOptions {
  /** A configured SNS client, in the topic's region. */
  readonly sns: SNSClient;
  /** A configured SQS client, in the region the task queues are made in (give it `endpoint` when you use a local endpoint). */
  readonly sqs: SQSClient;
  /** A configured DynamoDB client. */
  readonly dynamodb: DynamoDBClient;
  /** The topic every task's queue is subscribed to. */
  readonly topicArn: string;
  /**
   * The mapping table: partition key `taskId` (String, or {@link DynamicSubscriptionsOptions.keyAttribute}),
   * no sort key, TTL on `expiresAt` (or {@link DynamicSubscriptionsOptions.ttlAttribute}).
   * One table per topic and service: its name also tags the queues made for it.
   */
  readonly tableName: string;
  /**
   * Start of every task queue's name; the task id follows (`task-c13b4cb40f1f4fe4a2971f76ae5a47ad`).
   * 1–44 of `[A-Za-z0-9_-]`. Default `'task-'`. Give each service its own: `sweepOrphans` only
   * looks at queues with this prefix, and IAM can be scoped to `arn:aws:sqs:*:*:<prefix>*`.
   */
  readonly queueNamePrefix?: string | undefined;
  /** Act only on tasks of this cluster; other events are ignored. Also narrows {@link DynamicSubscriptions.eventPatterns}. */
  readonly clusterArn?: string | undefined;
  /** Act only on tasks of this service (`detail.group` `service:<name>`). Also narrows {@link DynamicSubscriptions.eventPatterns}. */
  readonly serviceName?: string | undefined;
  /** Filter policy of every task's subscription (see `subscribeQueue`). Default: none. */
  readonly filterPolicy?: FilterPolicy | undefined;
  /** Its scope. Default `'MessageAttributes'`. */
  readonly filterPolicyScope?: FilterPolicyScope | undefined;
  /** Raw message delivery for every task's subscription. Default `false`. */
  readonly raw?: boolean | undefined;
  /**
   * Attributes of every task queue, as `CreateQueue` takes them (for example
   * `{ MessageRetentionPeriod: '3600' }`). Keep them the same for the life of the table:
   * `CreateQueue` is idempotent only for identical attributes. A KMS key here needs a key
   * policy that lets `sns.amazonaws.com` use it.
   */
  readonly queueAttributes?: Readonly<Record<string, string>> | undefined;
  /** Name of the table's partition key. Default `'taskId'`. */
  readonly keyAttribute?: string | undefined;
  /** Name of the table's TTL attribute (epoch seconds; turn TTL on for it). Default `'expiresAt'`. */
  readonly ttlAttribute?: string | undefined;
  /**
   * How long a stopped task's tombstone is kept, in seconds (then DynamoDB's TTL removes it).
   * A RUNNING event older than this is ignored, so no delivery can outlive the tombstone that
   * stops it from bringing a queue back. Default 604,800 (7 days): EventBridge retries an event
   * for at most 24 hours. At least 60.
   */
  readonly tombstoneTtlSeconds?: number | undefined;
  /** Time source. Default `systemClock`. */
  readonly clock?: Clock | undefined;
  /** Where to log each task's outcome. Default: nothing. */
  readonly logger?: Logger | undefined;
}

/** What {@link DynamicSubscriptions.handleTaskStateChange} did with an event. */
export type TaskStateChangeOutcome = 'subscribed' | 'unsubscribed' | 'duplicate' | 'suppressed' | 'ignored';

/** Result of {@link DynamicSubscriptions.handleTaskStateChange}. */
export interface TaskStateChangeResult {
  /**
   * - `'subscribed'`: RUNNING; the task's queue and subscription exist and the mapping is RUNNING.
   * - `'unsubscribed'`: STOPPED; subscription and queue removed (as far as they existed), tombstone written.
   * - `'duplicate'`: already applied (the same or an older state); nothing changed.
   * - `'suppressed'`: RUNNING for a task that has stopped (a late or out-of-order delivery):
   *   no queue is created, and one created in a race is removed again.
   * - `'ignored'`: a status Herald does not act on (`PENDING`, a task being stopped, …), or
   *   another cluster or service.
   */
  readonly outcome: TaskStateChangeOutcome;
  /** The task id. */
  readonly taskId: string;
  /** The event's `detail.version`. */
  readonly version: number;
  /** Why, in a sentence. */
  readonly reason: string;
  /** The task's queue, for `'subscribed'` and a RUNNING `'duplicate'`. */
  readonly queueUrl?: string | undefined;
  /** The task's subscription, for `'subscribed'` and a RUNNING `'duplicate'`. */
  readonly subscriptionArn?: string | undefined;
  /** What was removed, for `'unsubscribed'` and `'suppressed'`. */
  readonly removed?: TaskQueueRemoval | undefined;
}

/** A task's queue, as the mapping records it. */
export interface TaskQueue {
  /** The task id. */
  readonly taskId: string;
  /** The queue to receive from. */
  readonly queueUrl: string;
  /** Its ARN. */
  readonly queueArn: string;
  /** The queue's subscription to the topic. */
  readonly subscriptionArn: string;
}

/** Options of {@link DynamicSubscriptions.queueForTask}. */
export interface QueueForTaskOptions {
  /**
   * How long to wait for the mapping, in ms: a container usually starts before its RUNNING event
   * has been handled. Default 0 (look once).
   */
  readonly waitMs?: number | undefined;
  /** Time between looks while waiting, in ms. Default 1,000. */
  readonly pollIntervalMs?: number | undefined;
  /** Stops waiting (the promise rejects with the signal's reason). */
  readonly signal?: AbortSignal | undefined;
}

/** Per-task queues subscribed to a topic, driven by ECS task state change events. */
export interface DynamicSubscriptions {
  /**
   * Handles one ECS task state change event; usable as a Lambda handler body
   * (`export const handler = (event) => subscriptions.handleTaskStateChange(event)`).
   *
   * RUNNING: creates the queue (prefix + task id), subscribes it with `subscribeQueue` (policy
   * first), and records task id → queue URL, subscription ARN. STOPPED: writes a tombstone, then
   * removes the subscription, then the queue, then the mapping's queue fields; the tombstone
   * stays for `tombstoneTtlSeconds`. Duplicates change nothing; a RUNNING after the STOPPED (or
   * older than a tombstone's lifetime) creates nothing. Conditional writes on the mapping make
   * this hold for concurrent deliveries too.
   *
   * @param event - The EventBridge event, whole.
   * @returns What was done.
   * @throws {@link InvalidTaskStateChangeError} for something that is not an ECS task state change event.
   * @throws {@link DynamicSubscriptionError} when an AWS call fails (`retryable` per cause; handling the event again finishes the job).
   */
  handleTaskStateChange(event: EcsTaskStateChangeEvent): Promise<TaskStateChangeResult>;
  /**
   * The queue of a running task, from the mapping; `undefined` when the task has no queue (yet,
   * or any more). For the container side: read the task id with `readEcsTaskIdentity()`.
   *
   * @param taskIdOrArn - The task id or task ARN.
   * @param options - How long to wait for the mapping to appear.
   * @returns The queue, or `undefined`.
   */
  queueForTask(taskIdOrArn: string, options?: QueueForTaskOptions): Promise<TaskQueue | undefined>;
  /**
   * Removes what the events left behind: queues (with the prefix, made for this table) of
   * stopped tasks or of tasks not running, mappings of tasks not running, and subscriptions of
   * the topic whose queue is gone. Run it on a schedule with the running task ids (from ECS
   * `ListTasks`; Herald makes no ECS call). Each step that fails is reported in `failures` and
   * the sweep goes on; an item of the table that is not a mapping (status or version missing) is
   * reported there with its key, and its task's queue is kept (`'mapping-unreadable'`).
   *
   * @param options - The running tasks, and how old something must be to be swept.
   * @returns What was removed, kept, and what failed.
   */
  sweepOrphans(options?: SweepOrphansOptions): Promise<SweepReport>;
  /** The EventBridge patterns for the two rules, narrowed to `clusterArn`/`serviceName` when given. */
  readonly eventPatterns: { readonly running: EcsTaskEventPattern; readonly stopped: EcsTaskEventPattern };
  /**
   * The queue name of a task (prefix + task id).
   *
   * @param taskIdOrArn - The task id or task ARN.
   * @returns The queue name.
   */
  queueNameFor(taskIdOrArn: string): string;
}

function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`createDynamicSubscriptions: ${name} must be a non-empty string, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * Dynamic SNS subscriptions for auto-scaling container workloads, after AWS's pattern: an
 * EventBridge rule sends ECS task state change events to a function that gives each running
 * task its own SQS queue subscribed to a topic, and removes it when the task stops. Every
 * container then gets every broadcast, whichever way the service scales.
 *
 * **Table** (`tableName`): partition key `taskId` (String), no sort key, TTL on `expiresAt`.
 *
 * **IAM** (the handler): `sqs:CreateQueue`, `sqs:TagQueue`, `sqs:GetQueueUrl`,
 * `sqs:GetQueueAttributes`, `sqs:SetQueueAttributes`, `sqs:DeleteQueue` on
 * `arn:aws:sqs:<region>:<account>:<prefix>*`; `sns:Subscribe`, `sns:ListSubscriptionsByTopic`
 * on the topic; `sns:Unsubscribe`, `sns:GetSubscriptionAttributes`,
 * `sns:SetSubscriptionAttributes` on `*`; `dynamodb:PutItem`, `dynamodb:UpdateItem`,
 * `dynamodb:GetItem` on the table. `sweepOrphans` also needs `sqs:ListQueues`,
 * `sqs:ListQueueTags` and `dynamodb:Scan`; the containers need `dynamodb:GetItem` (for
 * `queueForTask`) and `sqs:ReceiveMessage`, `sqs:DeleteMessage` on their queue.
 *
 * @param options - Clients, topic, table, and the queues' settings.
 * @returns The handler, `queueForTask`, `sweepOrphans` and the rule patterns.
 * @throws `TypeError`/`RangeError` for malformed options.
 *
 * @example
 * ```ts
 * const subscriptions = createDynamicSubscriptions({
 *   sns, sqs, dynamodb,
 *   topicArn: process.env.BROADCAST_TOPIC_ARN!,
 *   tableName: process.env.TASK_QUEUES_TABLE!,
 *   clusterArn: process.env.CLUSTER_ARN,
 *   queueNamePrefix: 'prices-',
 * });
 * export const handler = (event: EcsTaskStateChangeEvent) => subscriptions.handleTaskStateChange(event);
 * ```
 */
export function createDynamicSubscriptions(options: DynamicSubscriptionsOptions): DynamicSubscriptions {
  const where = 'createDynamicSubscriptions';
  const { sns, sqs, dynamodb } = options;
  requireTopicArn(options.topicArn, where);
  const topicArn = options.topicArn;
  const tableName = nonEmpty(options.tableName, 'tableName');
  const prefix = checkedQueueNamePrefix(options.queueNamePrefix ?? DEFAULT_QUEUE_NAME_PREFIX);
  const keyAttribute = nonEmpty(options.keyAttribute ?? 'taskId', 'keyAttribute');
  const ttlAttribute = nonEmpty(options.ttlAttribute ?? 'expiresAt', 'ttlAttribute');
  const tombstoneTtlSeconds = options.tombstoneTtlSeconds ?? DEFAULT_TOMBSTONE_TTL_SECONDS;
  if (!Number.isSafeInteger(tombstoneTtlSeconds) || tombstoneTtlSeconds < 60) {
    throw new RangeError(`${where}: tombstoneTtlSeconds must be a whole number of seconds, at least 60, got ${tombstoneTtlSeconds}.`);
  }
  const scope = options.filterPolicyScope ?? 'MessageAttributes';
  checkedFilterPolicy(options.filterPolicy, scope, where);
  const eventPatterns = {
    running: ecsTaskRunningPattern({ clusterArn: options.clusterArn, serviceName: options.serviceName }),
    stopped: ecsTaskStoppedPattern({ clusterArn: options.clusterArn, serviceName: options.serviceName }),
  };
  const group = options.serviceName === undefined ? undefined : `service:${options.serviceName}`;
  const queueAttributes = { ...(options.queueAttributes ?? {}) };
  const clock = options.clock ?? systemClock;
  const logger = guardLogger(options.logger ?? silentLogger);
  const table = createTaskQueueTable(dynamodb, tableName, { key: keyAttribute, ttl: ttlAttribute });
  const context: DynamicSubscriptionsContext = { sns, sqs, dynamodb, topicArn, tableName, prefix, table, clock, logger, tombstoneTtlSeconds };
  const services = { sns, sqs, topicArn };
  const nameOf = (taskId: string): string => taskQueueName(prefix, taskId);

  const result = (change: TaskStateChange, outcome: TaskStateChangeOutcome, reason: string, extra: Partial<TaskStateChangeResult> = {}): TaskStateChangeResult => {
    const done: TaskStateChangeResult = { outcome, taskId: change.taskId, version: change.version, reason, ...extra };
    const level = outcome === 'ignored' || outcome === 'duplicate' ? 'debug' : 'info';
    logger[level](`ECS task ${change.taskId} ${change.lastStatus} v${change.version}: ${outcome}`, { reason });
    return done;
  };

  const teardown = (taskId: string, known: Partial<TaskQueueRecord>): Promise<TaskQueueRemoval> =>
    removeTaskQueue(services, taskId, {
      queueName: nameOf(taskId),
      queueUrl: known.queueUrl,
      queueArn: known.queueArn,
      subscriptionArn: known.subscriptionArn,
    });

  async function createTaskQueue(taskId: string): Promise<string> {
    try {
      const out = await sqs.send(
        new CreateQueueCommand({ QueueName: nameOf(taskId), Attributes: queueAttributes, tags: { [OWNER_TAG]: tableName } }),
      );
      if (out.QueueUrl === undefined) throw new Error('the answer has no QueueUrl');
      return out.QueueUrl;
    } catch (error) {
      throw new DynamicSubscriptionError(taskId, 'sqs:CreateQueue', error);
    }
  }

  async function provision(change: TaskStateChange, lookup: SubscriptionLookup): Promise<TaskStateChangeResult> {
    const { taskId } = change;
    let queueUrl: string;
    let subscribed;
    try {
      queueUrl = await createTaskQueue(taskId);
      subscribed = await subscribeQueue({
        sns,
        sqs,
        topicArn,
        queueUrl,
        filterPolicy: options.filterPolicy,
        filterPolicyScope: scope,
        raw: options.raw,
        lookup,
      });
    } catch (error) {
      // A STOPPED handled meanwhile explains the failure (its handler deleted the queue, or SQS
      // refuses a name deleted less than 60 seconds ago): clean up after ourselves instead. When
      // the mapping cannot be read, the failure itself is what to report (and retry).
      const now = await table.get(taskId).catch(() => undefined);
      if (now?.status === 'STOPPED') {
        const removed = await teardown(taskId, now);
        return result(change, 'suppressed', 'the task stopped while its queue was being created; what was made is removed', { removed });
      }
      throw error instanceof DynamicSubscriptionError ? error : new DynamicSubscriptionError(taskId, stepOf(error), error);
    }
    const queue = { queueUrl, queueArn: subscribed.queueArn, subscriptionArn: subscribed.subscriptionArn };
    if (!(await table.markRunning(taskId, queue, clock.now()))) {
      const removed = await teardown(taskId, queue);
      return result(change, 'suppressed', 'the task stopped while its queue was being created; the queue and subscription are removed again', {
        removed,
      });
    }
    return result(change, 'subscribed', `queue ${nameOf(taskId)} subscribed (${subscribed.status})`, {
      queueUrl,
      subscriptionArn: subscribed.subscriptionArn,
    });
  }

  async function onRunning(change: TaskStateChange): Promise<TaskStateChangeResult> {
    if (change.desiredStatus !== undefined && change.desiredStatus !== 'RUNNING') {
      return result(change, 'ignored', `the task is being stopped (desiredStatus ${change.desiredStatus}); its STOPPED event removes the queue`);
    }
    if (change.time !== undefined && clock.now() - change.time > tombstoneTtlSeconds * 1000) {
      return result(change, 'suppressed', `the event is older than the tombstone lifetime (${tombstoneTtlSeconds} s), so it may belong to a task long stopped`);
    }
    const claim = await table.claim(change, clock.now());
    if (claim.claimed) return provision(change, 'subscribe-first');
    const existing = claim.existing;
    if (existing.status === 'STOPPED') {
      return result(change, 'suppressed', `the task stopped (version ${existing.version}); a late RUNNING does not bring its queue back`);
    }
    if (existing.status === 'RUNNING') {
      if (existing.version < change.version) await table.raiseVersion(change.taskId, change.version, clock.now());
      return result(change, 'duplicate', `the task already has its queue (mapping version ${existing.version})`, {
        queueUrl: existing.queueUrl,
        subscriptionArn: existing.subscriptionArn,
      });
    }
    // PROVISIONING: an earlier delivery is creating the queue or failed half-way. Every step is
    // idempotent, so finishing the job here is safe either way.
    return provision(change, 'list');
  }

  async function onStopped(change: TaskStateChange): Promise<TaskStateChangeResult> {
    const now = clock.now();
    const expiresAt = Math.ceil(now / 1000) + tombstoneTtlSeconds;
    const written = await table.tombstone(change.taskId, { version: change.version, taskArn: change.taskArn }, now, expiresAt);
    let known: TaskQueueRecord | undefined;
    if (written.written) known = written.previous;
    else if (written.existing.cleanup === 'DONE') {
      return result(change, 'duplicate', `the task's STOPPED was already handled (version ${written.existing.version})`);
    } else known = written.existing; // an earlier delivery stopped half-way: finish its cleanup
    const removed = await teardown(change.taskId, known ?? {});
    await table.markCleaned(change.taskId, clock.now());
    const what = [removed.subscriptionsRemoved.length > 0 ? 'subscription' : '', removed.queueDeleted ? 'queue' : ''].filter(Boolean);
    return result(change, 'unsubscribed', what.length > 0 ? `removed its ${what.join(' and ')}` : 'it had no queue; tombstone written', {
      removed,
    });
  }

  return {
    eventPatterns,
    queueNameFor: (taskIdOrArn) => nameOf(taskIdFromArn(taskIdOrArn)),

    async handleTaskStateChange(event) {
      const change = readTaskStateChange(event);
      if (options.clusterArn !== undefined && change.clusterArn !== options.clusterArn) {
        return result(change, 'ignored', `the task is in cluster ${change.clusterArn}, not ${options.clusterArn}`);
      }
      if (group !== undefined && change.group !== group) {
        return result(change, 'ignored', `the task's group is ${change.group ?? '(none)'}, not ${group}`);
      }
      if (change.lastStatus === 'RUNNING') return onRunning(change);
      if (change.lastStatus === 'STOPPED') return onStopped(change);
      return result(change, 'ignored', `lastStatus ${change.lastStatus} is not acted on (only RUNNING and STOPPED)`);
    },

    async queueForTask(taskIdOrArn, lookOptions = {}) {
      const taskId = taskIdFromArn(taskIdOrArn);
      const waitMs = lookOptions.waitMs ?? 0;
      const pollIntervalMs = lookOptions.pollIntervalMs ?? 1_000;
      if (!Number.isFinite(waitMs) || waitMs < 0 || !Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) {
        throw new RangeError(`queueForTask: waitMs must be 0 or more and pollIntervalMs more than 0, got ${waitMs} and ${pollIntervalMs}.`);
      }
      const deadline = clock.now() + waitMs;
      for (;;) {
        const record = await table.get(taskId);
        if (record?.status === 'RUNNING' && record.queueUrl !== undefined && record.queueArn !== undefined && record.subscriptionArn !== undefined) {
          return { taskId, queueUrl: record.queueUrl, queueArn: record.queueArn, subscriptionArn: record.subscriptionArn };
        }
        const left = deadline - clock.now();
        if (record?.status === 'STOPPED' || left <= 0) return undefined;
        await sleep(Math.min(pollIntervalMs, left), lookOptions.signal);
      }
    },

    sweepOrphans: (sweepOptions) => sweepOrphans(context, sweepOptions ?? {}),
  };
}

/** The AWS action behind an error from subscribeQueue, for DynamicSubscriptionError.step. */
function stepOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'operation' in error && typeof error.operation === 'string') return error.operation;
  if (typeof error === 'object' && error !== null && 'target' in error) return error.target === 'topic' ? 'sns:Subscribe' : 'sqs:GetQueueAttributes';
  return 'subscribeQueue';
}

import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamicSubscriptionError } from './dynamic-subscription-errors.js';
import type { TaskStateChange } from './ecs-task-state-change.js';

/** Where a task's mapping is in its life. */
export type TaskQueueStatus = 'PROVISIONING' | 'RUNNING' | 'STOPPED';

/** One item of the mapping table. @internal */
export interface TaskQueueRecord {
  readonly taskId: string;
  readonly status: TaskQueueStatus;
  /** The highest `detail.version` applied. */
  readonly version: number;
  readonly taskArn: string | undefined;
  readonly queueUrl: string | undefined;
  readonly queueArn: string | undefined;
  readonly subscriptionArn: string | undefined;
  /** When the item was last written, epoch ms. */
  readonly updatedAt: number;
  /** Tombstones: whether the task's queue and subscription have been removed. */
  readonly cleanup: 'PENDING' | 'DONE' | undefined;
}

/** Names of the table's attributes. @internal */
export interface TaskQueueTableNames {
  readonly key: string;
  readonly ttl: string;
}

/** Result of {@link TaskQueueTable.claim}. @internal */
export type ClaimResult = { readonly claimed: true } | { readonly claimed: false; readonly existing: TaskQueueRecord };

/** Result of {@link TaskQueueTable.tombstone}. @internal */
export type TombstoneResult =
  | { readonly written: true; readonly previous: TaskQueueRecord | undefined }
  | { readonly written: false; readonly existing: TaskQueueRecord };

/**
 * One item of a {@link TaskQueueTable.scan}: a mapping, or an item that is not one (another
 * writer's data in a shared table, or a mapping missing its status or version), with its key.
 * @internal
 */
export type ScannedTaskQueueItem =
  | { readonly ok: true; readonly record: TaskQueueRecord }
  | { readonly ok: false; readonly key: string; readonly error: DynamicSubscriptionError };

/** The mapping table: task id → queue and subscription, with tombstones for stopped tasks. @internal */
export interface TaskQueueTable {
  /** Writes a PROVISIONING record unless the task has one. */
  claim(change: TaskStateChange, nowMs: number): Promise<ClaimResult>;
  /** Raises a RUNNING record's version (a newer event for a running task); false when it was not lower. */
  raiseVersion(taskId: string, version: number, nowMs: number): Promise<boolean>;
  /** Marks the mapping RUNNING with its queue and subscription, unless the task stopped meanwhile; false then. */
  markRunning(taskId: string, queue: { queueUrl: string; queueArn: string; subscriptionArn: string }, nowMs: number): Promise<boolean>;
  /** Writes the tombstone unless there is one; returns what was there. */
  tombstone(taskId: string, fields: { version: number; taskArn?: string | undefined }, nowMs: number, expiresAtSeconds: number): Promise<TombstoneResult>;
  /** Records that a tombstone's queue and subscription are gone, and forgets them. */
  markCleaned(taskId: string, nowMs: number): Promise<void>;
  /** The record of a task (consistent read). */
  get(taskId: string): Promise<TaskQueueRecord | undefined>;
  /** Every item (paged Scan); one that is not a mapping is yielded as such, so the caller can go on. */
  scan(): AsyncGenerator<ScannedTaskQueueItem>;
}

const STATUSES: readonly TaskQueueStatus[] = ['PROVISIONING', 'RUNNING', 'STOPPED'];

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

function isConditionalCheckFailed(error: unknown): error is Error & { Item?: Record<string, AttributeValue> } {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * The mapping table on DynamoDB. Items: the key (the task id), `status`, `version` (the highest
 * `detail.version` applied), `taskArn`, `queueUrl`, `queueArn`, `subscriptionArn`, `updatedAt`
 * (epoch ms), and on tombstones `cleanup` and the TTL attribute (epoch seconds).
 *
 * @internal
 */
export function createTaskQueueTable(client: DynamoDBClient, tableName: string, names: TaskQueueTableNames): TaskQueueTable {
  const key = (taskId: string): Record<string, AttributeValue> => ({ [names.key]: s(taskId) });

  /** The item as a record, or the error saying it is none (`step`: the request that read it). */
  const readItem = (item: Record<string, AttributeValue>, step: string): TaskQueueRecord | DynamicSubscriptionError => {
    const taskId = item[names.key]?.S;
    const status = item['status']?.S as TaskQueueStatus | undefined;
    const version = Number(item['version']?.N);
    if (taskId === undefined || status === undefined || !STATUSES.includes(status) || !Number.isFinite(version)) {
      return new DynamicSubscriptionError(
        taskId ?? '?',
        step,
        new Error(`an item of ${tableName} is not a task queue mapping (status or version missing); is the table shared with other data?`),
      );
    }
    const text = (name: string): string | undefined => item[name]?.S;
    const cleanup = text('cleanup');
    return {
      taskId,
      status,
      version,
      taskArn: text('taskArn'),
      queueUrl: text('queueUrl'),
      queueArn: text('queueArn'),
      subscriptionArn: text('subscriptionArn'),
      updatedAt: Number(item['updatedAt']?.N ?? 0),
      cleanup: cleanup === 'PENDING' || cleanup === 'DONE' ? cleanup : undefined,
    };
  };

  const fromItem = (item: Record<string, AttributeValue>): TaskQueueRecord => {
    const read = readItem(item, 'dynamodb:GetItem');
    if (read instanceof DynamicSubscriptionError) throw read;
    return read;
  };

  const send = async <T>(taskId: string, step: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (isConditionalCheckFailed(error) || error instanceof DynamicSubscriptionError) throw error;
      throw new DynamicSubscriptionError(taskId, step, error);
    }
  };

  /** A conditional `UpdateItem` on the task's item: `false` when its condition did not hold. */
  const updateIf = async (taskId: string, input: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>): Promise<boolean> => {
    try {
      await send(taskId, 'dynamodb:UpdateItem', () => client.send(new UpdateItemCommand({ TableName: tableName, Key: key(taskId), ...input })));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  const get = async (taskId: string): Promise<TaskQueueRecord | undefined> => {
    const out = await send(taskId, 'dynamodb:GetItem', () =>
      client.send(new GetItemCommand({ TableName: tableName, Key: key(taskId), ConsistentRead: true })),
    );
    return out.Item === undefined ? undefined : fromItem(out.Item);
  };

  /** The item a failed condition returned, or a consistent read when the store returned none. */
  const existingAfterFailure = async (taskId: string, error: Error & { Item?: Record<string, AttributeValue> }) => {
    const existing = error.Item !== undefined && Object.keys(error.Item).length > 0 ? fromItem(error.Item) : await get(taskId);
    if (existing === undefined) throw new DynamicSubscriptionError(taskId, 'dynamodb:GetItem', new Error('the item vanished; handle the event again'));
    return existing;
  };

  return {
    async claim(change, nowMs) {
      try {
        await send(change.taskId, 'dynamodb:PutItem', () =>
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: {
                ...key(change.taskId),
                status: s('PROVISIONING'),
                version: n(change.version),
                taskArn: s(change.taskArn),
                updatedAt: n(nowMs),
              },
              ConditionExpression: 'attribute_not_exists(#key)',
              ExpressionAttributeNames: { '#key': names.key },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return { claimed: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        return { claimed: false, existing: await existingAfterFailure(change.taskId, error) };
      }
    },

    raiseVersion(taskId, version, nowMs) {
      return updateIf(taskId, {
        UpdateExpression: 'SET #version = :version, #updatedAt = :now',
        ConditionExpression: '#status = :running AND #version < :version',
        ExpressionAttributeNames: { '#version': 'version', '#updatedAt': 'updatedAt', '#status': 'status' },
        ExpressionAttributeValues: { ':version': n(version), ':now': n(nowMs), ':running': s('RUNNING') },
      });
    },

    markRunning(taskId, queue, nowMs) {
      return updateIf(taskId, {
        UpdateExpression:
          'SET #status = :running, queueUrl = :queueUrl, queueArn = :queueArn, subscriptionArn = :subscriptionArn, #updatedAt = :now',
        ConditionExpression: 'attribute_exists(#key) AND #status <> :stopped',
        ExpressionAttributeNames: { '#key': names.key, '#status': 'status', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: {
          ':running': s('RUNNING'),
          ':stopped': s('STOPPED'),
          ':queueUrl': s(queue.queueUrl),
          ':queueArn': s(queue.queueArn),
          ':subscriptionArn': s(queue.subscriptionArn),
          ':now': n(nowMs),
        },
      });
    },

    async tombstone(taskId, fields, nowMs, expiresAtSeconds) {
      try {
        const out = await send(taskId, 'dynamodb:UpdateItem', () =>
          client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(taskId),
              UpdateExpression:
                'SET #status = :stopped, #version = :version, #cleanup = :pending, #ttl = :expires, #updatedAt = :now' +
                (fields.taskArn === undefined ? '' : ', taskArn = if_not_exists(taskArn, :taskArn)'),
              ConditionExpression: 'attribute_not_exists(#key) OR #status <> :stopped',
              ExpressionAttributeNames: {
                '#key': names.key,
                '#status': 'status',
                '#version': 'version',
                '#cleanup': 'cleanup',
                '#ttl': names.ttl,
                '#updatedAt': 'updatedAt',
              },
              ExpressionAttributeValues: {
                ':stopped': s('STOPPED'),
                ':pending': s('PENDING'),
                ':version': n(fields.version),
                ':expires': n(expiresAtSeconds),
                ':now': n(nowMs),
                ...(fields.taskArn === undefined ? {} : { ':taskArn': s(fields.taskArn) }),
              },
              ReturnValues: 'ALL_OLD',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        const previous = out.Attributes !== undefined && Object.keys(out.Attributes).length > 0 ? fromItem(out.Attributes) : undefined;
        return { written: true, previous };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        return { written: false, existing: await existingAfterFailure(taskId, error) };
      }
    },

    async markCleaned(taskId, nowMs) {
      // Only a tombstone is marked; its TTL may already have removed it, which is as good.
      await updateIf(taskId, {
        UpdateExpression: 'SET #cleanup = :done, #updatedAt = :now REMOVE queueUrl, queueArn, subscriptionArn',
        ConditionExpression: '#status = :stopped',
        ExpressionAttributeNames: { '#cleanup': 'cleanup', '#updatedAt': 'updatedAt', '#status': 'status' },
        ExpressionAttributeValues: { ':done': s('DONE'), ':now': n(nowMs), ':stopped': s('STOPPED') },
      });
    },

    get,

    async *scan() {
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await send('*', 'dynamodb:Scan', () =>
          client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey })),
        );
        for (const item of page.Items ?? []) {
          const read = readItem(item, 'dynamodb:Scan');
          if (read instanceof DynamicSubscriptionError) {
            const key = item[names.key];
            yield { ok: false, key: key?.S ?? key?.N ?? '?', error: read };
          } else {
            yield { ok: true, record: read };
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
    },
  };
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, Logger } from '@herald/core';
import type { TaskQueueTable } from './task-queue-table.js';

/** The tag Herald puts on every queue it creates for a task; its value is the mapping table's name. */
export const OWNER_TAG = 'herald:dynamic-subscriptions';

/** What the handler, `queueForTask` and the sweep share. @internal */
export interface DynamicSubscriptionsContext {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly topicArn: string;
  readonly tableName: string;
  readonly prefix: string;
  readonly table: TaskQueueTable;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a tombstone stays, in seconds. */
  readonly tombstoneTtlSeconds: number;
}

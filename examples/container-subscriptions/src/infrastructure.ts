import {
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, DeleteTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** What the example runs on. */
export interface Infrastructure {
  /** The broadcast topic every task's queue is subscribed to. */
  readonly topicArn: string;
  /** The mapping table: partition key `taskId` (String), TTL on `expiresAt`. */
  readonly tableName: string;
  /** Start of every task queue's name. */
  readonly queueNamePrefix: string;
}

/** The AWS clients. */
export interface Clients {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
}

/**
 * Creates the topic and the mapping table (TTL on `expiresAt`, as createDynamicSubscriptions
 * needs). Task queues are created by the handler. If a step fails, what was created is deleted.
 *
 * @param prefix - Start of every name; unique per run.
 */
export async function createInfrastructure(clients: Clients, prefix: string): Promise<Infrastructure> {
  const { sns, dynamodb } = clients;
  const tableName = `${prefix}-task-queues`;
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: `${prefix}-broadcast` }))).TopicArn;
  if (topicArn === undefined) throw new Error('CreateTopic returned no TopicArn');
  const infra = { topicArn, tableName, queueNamePrefix: `${prefix}-` };
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'taskId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'taskId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 120, minDelay: 1, maxDelay: 5 }, { TableName: tableName });
    await dynamodb.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }),
    );
    return infra;
  } catch (error) {
    await deleteInfrastructure(clients, infra);
    throw error;
  }
}

/**
 * Deletes the topic, the table and every queue with the prefix, each attempted even when others
 * fail.
 *
 * @returns One line per resource that could not be deleted.
 */
export async function deleteInfrastructure(clients: Clients, infra: Infrastructure): Promise<string[]> {
  const { sns, sqs, dynamodb } = clients;
  const failures: string[] = [];
  const attempt = async (name: string, remove: () => Promise<unknown>): Promise<void> => {
    try {
      await remove();
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') failures.push(`${name}: ${String(error)}`);
    }
  };
  let queues: string[] = [];
  await attempt(`queues ${infra.queueNamePrefix}*`, async () => {
    queues = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: infra.queueNamePrefix }))).QueueUrls ?? [];
  });
  await Promise.all([
    ...queues.map((url) => attempt(url, () => sqs.send(new DeleteQueueCommand({ QueueUrl: url })))),
    attempt(infra.topicArn, () => sns.send(new DeleteTopicCommand({ TopicArn: infra.topicArn }))),
    attempt(infra.tableName, () => dynamodb.send(new DeleteTableCommand({ TableName: infra.tableName }))),
  ]);
  return failures;
}

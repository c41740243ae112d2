import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Account } from './requests.js';

/** A queue the example created. */
export interface Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

/** Queue settings: short for the demo; see the README for production values. */
export interface QueueSettings {
  /**
   * Seconds a received message stays invisible. Lambda requires at least the function timeout
   * (AWS recommends six times it); a failed record comes back after this long.
   */
  readonly visibilityTimeoutSeconds: number;
  /** Deliveries before SQS moves a message to the dead-letter queue (AWS recommends at least 5 for Lambda). */
  readonly maxReceiveCount: number;
}

/** Everything the example runs on. */
export interface PaymentsInfrastructure {
  /** Account balances: partition key `accountId` (String), `balanceCents` (Number). */
  readonly accountsTable: string;
  /** Idempotency records: partition key `id` (String), TTL on `expiration` (epoch seconds). */
  readonly idempotencyTable: string;
  /** Refund requests; its redrive policy moves a message to {@link deadLetterQueue} after `maxReceiveCount` deliveries. */
  readonly refundQueue: Queue;
  /** Where refund requests that keep failing end. */
  readonly deadLetterQueue: Queue;
}

/** Something the example created, and how to delete it. */
interface Created {
  readonly name: string;
  readonly remove: () => Promise<unknown>;
}

/** Deletes every resource, each attempted even when some fail; one line per failure. */
async function removeAll(created: readonly Created[]): Promise<string[]> {
  const outcomes = await Promise.allSettled(created.map((c) => c.remove()));
  return outcomes.flatMap((outcome, i) =>
    outcome.status === 'rejected' ? [`${created[i]?.name ?? '?'}: ${String(outcome.reason)}`] : [],
  );
}

const tableDeletion = (dynamodb: DynamoDBClient, name: string): Created => ({
  name,
  remove: () => dynamodb.send(new DeleteTableCommand({ TableName: name })),
});

const queueDeletion = (sqs: SQSClient, name: string, url: string): Created => ({
  name,
  remove: () => sqs.send(new DeleteQueueCommand({ QueueUrl: url })),
});

async function createTable(
  dynamodb: DynamoDBClient,
  name: string,
  keyAttribute: string,
  onCreated: (created: Created) => void,
): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: keyAttribute, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: keyAttribute, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // Recorded at once, so the table is deleted if a later step fails.
  onCreated(tableDeletion(dynamodb, name));
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 120, minDelay: 1, maxDelay: 5 }, { TableName: name });
}

async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
  onCreated: (created: Created) => void,
): Promise<Queue> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl;
  if (!url) throw new Error(`CreateQueue for ${name} returned no QueueUrl`);
  onCreated(queueDeletion(sqs, name, url));
  const read = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = read.Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes for ${name} returned no QueueArn`);
  return { name, url, arn };
}

/** Writes the accounts with their opening balances (BatchWriteItem, 25 items a request, unprocessed items retried). */
async function seedAccounts(dynamodb: DynamoDBClient, tableName: string, accounts: readonly Account[]): Promise<void> {
  for (let start = 0; start < accounts.length; start += 25) {
    let requests = accounts.slice(start, start + 25).map((account) => ({
      PutRequest: {
        Item: {
          accountId: { S: account.accountId },
          balanceCents: { N: String(account.openingBalanceCents) },
          appliedRefunds: { L: [] },
        },
      },
    }));
    for (let attempt = 1; requests.length > 0; attempt += 1) {
      if (attempt > 5) throw new Error(`Could not write the opening balances to ${tableName}: items left unprocessed`);
      const out = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/**
 * Creates the two tables (TTL on the idempotency table's `expiration`), the dead-letter queue
 * and the refund queue with its redrive policy, and writes the opening balances. If any step
 * fails, what was already created is deleted before the error is thrown.
 *
 * @param prefix - Start of every resource name; unique per run.
 */
export async function createInfrastructure(
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  prefix: string,
  accounts: readonly Account[],
  settings: QueueSettings,
): Promise<PaymentsInfrastructure> {
  const created: Created[] = [];
  const record = (c: Created): void => void created.push(c);
  try {
    const accountsTable = `${prefix}-accounts`;
    const idempotencyTable = `${prefix}-idempotency`;
    // allSettled: when one step fails, the others still finish (and are recorded) before cleanup.
    const steps = await Promise.allSettled([
      createTable(dynamodb, accountsTable, 'accountId', record).then(() => seedAccounts(dynamodb, accountsTable, accounts)),
      createTable(dynamodb, idempotencyTable, 'id', record).then(() =>
        dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: idempotencyTable,
            TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiration' },
          }),
        ),
      ),
      createQueue(sqs, `${prefix}-refunds-dlq`, { MessageRetentionPeriod: String(14 * 24 * 3600) }, record).then(
        async (deadLetterQueue) => {
          const refundQueue = await createQueue(
            sqs,
            `${prefix}-refunds`,
            {
              VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: deadLetterQueue.arn,
                maxReceiveCount: String(settings.maxReceiveCount),
              }),
            },
            record,
          );
          return { deadLetterQueue, refundQueue };
        },
      ),
    ]);
    const failure = steps.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    const queues = (steps[2] as PromiseFulfilledResult<{ deadLetterQueue: Queue; refundQueue: Queue }>).value;
    return { accountsTable, idempotencyTable, ...queues };
  } catch (error) {
    const leftovers = await removeAll(created);
    if (leftovers.length > 0) {
      throw new Error(`Setting up failed (${String(error)}), and these could not be deleted: ${leftovers.join('; ')}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Deletes what {@link createInfrastructure} made, every deletion attempted. Returns one line per
 * resource that could not be deleted.
 */
export async function deleteInfrastructure(
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  infra: PaymentsInfrastructure,
): Promise<string[]> {
  return removeAll([
    tableDeletion(dynamodb, infra.accountsTable),
    tableDeletion(dynamodb, infra.idempotencyTable),
    queueDeletion(sqs, infra.refundQueue.name, infra.refundQueue.url),
    queueDeletion(sqs, infra.deadLetterQueue.name, infra.deadLetterQueue.url),
  ]);
}

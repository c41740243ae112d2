import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { IdempotencyStoreError } from '../errors.js';
import type { IdempotencyRecord, IdempotencyRecordStatus } from '../record.js';
import type { AcquireResult, IdempotencyStore } from './idempotency-store.js';
import {
  DEFAULT_ATTRIBUTE_NAMES,
  DYNAMODB_MAX_ITEM_BYTES,
  type RecordAttributeNames,
  recordSizeBytes,
  recordToAttributes,
} from './record-attributes.js';

/** Options for {@link createDynamoDbStore}. */
export interface DynamoDbStoreOptions {
  /**
   * A configured DynamoDB client (`@aws-sdk/client-dynamodb`). Its own retries (the SDK's
   * default 3 attempts) handle throttling and network errors. The store adds none on top, except
   * for the write that completes a record: `makeIdempotent` tries it up to 3 times (with
   * jittered backoff), since failing it after the function ran would leave the lock until it
   * expires.
   */
  client: DynamoDBClient;
  /** Name of the table. Its partition key is a String attribute named {@link keyAttr}; no sort key. */
  tableName: string;
  /** Name of the partition key attribute (type String). Default `'id'`. */
  keyAttr?: string;
  /** Name of the TTL attribute (a Number of epoch **seconds**); turn TTL on for it. Default `'expiration'`. */
  ttlAttr?: string;
}

function isConditionalCheckFailed(error: unknown): error is Error & { Item?: Record<string, AttributeValue> } {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function toItem(record: IdempotencyRecord, names: RecordAttributeNames): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(recordToAttributes(record, names))) {
    item[name] = typeof value === 'number' ? { N: String(value) } : { S: value };
  }
  return item;
}

function readNumber(item: Record<string, AttributeValue>, name: string): number | undefined {
  const value = item[name]?.N;
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function fromItem(item: Record<string, AttributeValue>, names: RecordAttributeNames, key: string): IdempotencyRecord {
  const status = item[names.status]?.S;
  const expiresAt = readNumber(item, names.expiresAt);
  const lockToken = item[names.lockToken]?.S;
  if ((status !== 'IN_PROGRESS' && status !== 'COMPLETED') || expiresAt === undefined || lockToken === undefined) {
    throw new IdempotencyStoreError(
      key,
      `The item for idempotency key "${key}" is not an idempotency record (status, ${names.expiresAt} or ` +
        `lockToken missing or of the wrong type); is the table shared with other data?`,
    );
  }
  const inProgressExpiresAt = readNumber(item, names.inProgressExpiresAt);
  const payloadHash = item[names.payloadHash]?.S;
  const result = item[names.result]?.S;
  return {
    key,
    status: status satisfies IdempotencyRecordStatus,
    expiresAt,
    lockToken,
    ...(inProgressExpiresAt === undefined ? {} : { inProgressExpiresAt }),
    ...(payloadHash === undefined ? {} : { payloadHash }),
    ...(result === undefined ? {} : { result }),
  };
}

/**
 * Creates an idempotency store on a DynamoDB table.
 *
 * **Table**: partition key `id` (String, or `keyAttr`), no sort key; TTL turned on for the
 * attribute `expiration` (or `ttlAttr`), which holds epoch seconds. Any billing mode. Other
 * attributes written: `status`, `inProgressExpiration` (epoch ms), `payloadHash`, `result`
 * (JSON text), `lockToken`.
 *
 * **IAM**: `dynamodb:PutItem`, `dynamodb:GetItem`, `dynamodb:DeleteItem` on the table.
 *
 * **Requests**: a first call costs 2 (a conditional `PutItem` to take the lock, a conditional
 * `PutItem` to complete); a repeated call costs 1 (the failed conditional `PutItem` returns the
 * stored record with `ReturnValuesOnConditionCheckFailure: ALL_OLD`; a consistent `GetItem`
 * follows only when a DynamoDB-compatible store does not return it); a failed call costs 2
 * (lock, conditional `DeleteItem`).
 *
 * @param options - See {@link DynamoDbStoreOptions}.
 * @example
 * ```ts
 * const store = createDynamoDbStore({ client: new DynamoDBClient({}), tableName: process.env.IDEMPOTENCY_TABLE! });
 * ```
 */
export function createDynamoDbStore(options: DynamoDbStoreOptions): IdempotencyStore {
  const { client, tableName } = options;
  if (typeof tableName !== 'string' || tableName.length === 0) {
    throw new TypeError('createDynamoDbStore: tableName must be a non-empty string.');
  }
  const names: RecordAttributeNames = {
    ...DEFAULT_ATTRIBUTE_NAMES,
    key: options.keyAttr ?? DEFAULT_ATTRIBUTE_NAMES.key,
    expiresAt: options.ttlAttr ?? DEFAULT_ATTRIBUTE_NAMES.expiresAt,
  };
  const distinct = new Set(Object.values(names));
  if (distinct.size !== Object.values(names).length || [...distinct].some((name) => name.length === 0)) {
    throw new TypeError(
      `createDynamoDbStore: keyAttr and ttlAttr must be non-empty and differ from each other and from ` +
        `the record's other attributes (${Object.values(DEFAULT_ATTRIBUTE_NAMES).slice(2).join(', ')}).`,
    );
  }

  const keyOf = (key: string): Record<string, AttributeValue> => ({ [names.key]: { S: key } });

  const get = async (key: string): Promise<IdempotencyRecord | undefined> => {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(key), ConsistentRead: true }));
    return out.Item === undefined ? undefined : fromItem(out.Item, names, key);
  };

  return {
    maxRecordBytes: DYNAMODB_MAX_ITEM_BYTES,
    recordSize: (record) => recordSizeBytes(record, names),
    async acquire(record: IdempotencyRecord, nowMs: number): Promise<AcquireResult> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem(record, names),
            ConditionExpression:
              'attribute_not_exists(#key) OR #expiresAt <= :nowSeconds OR ' +
              '(#status = :inProgress AND #inProgressExpiresAt <= :nowMs)',
            ExpressionAttributeNames: {
              '#key': names.key,
              '#expiresAt': names.expiresAt,
              '#status': names.status,
              '#inProgressExpiresAt': names.inProgressExpiresAt,
            },
            ExpressionAttributeValues: {
              ':nowSeconds': { N: String(Math.floor(nowMs / 1000)) },
              ':nowMs': { N: String(nowMs) },
              ':inProgress': { S: 'IN_PROGRESS' },
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { acquired: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const existing = error.Item !== undefined ? fromItem(error.Item, names, record.key) : await get(record.key);
        return { acquired: false, existing };
      }
    },
    async complete(record: IdempotencyRecord): Promise<boolean> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem(record, names),
            ConditionExpression: '#lockToken = :lockToken',
            ExpressionAttributeNames: { '#lockToken': names.lockToken },
            ExpressionAttributeValues: { ':lockToken': { S: record.lockToken } },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },
    async release(key: string, lockToken: string): Promise<void> {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: keyOf(key),
            ConditionExpression: '#lockToken = :lockToken',
            ExpressionAttributeNames: { '#lockToken': names.lockToken },
            ExpressionAttributeValues: { ':lockToken': { S: lockToken } },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    },
    get,
  };
}

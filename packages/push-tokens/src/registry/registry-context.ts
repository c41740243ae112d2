import {
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteItemsCommand,
  type TransactWriteItem,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Clock, Logger } from '@herald/core';
import { PushAwsCallError } from '../aws-call-error.js';
import type { PlatformApplication } from '../platform/platform-application.js';
import { type DeviceItem, deviceFromItem, type TokenItem, tokenFromItem } from './registry-items.js';
import { deviceKeyOf, tokenKeyOf } from './registry-table.js';

/** Publish retry settings of a registry (see `PushRegistryOptions.retry`). */
export interface PublishRetrySettings {
  /** Attempts per publish, counting the first. */
  readonly maxAttempts: number;
  /** Backoff unit in ms. */
  readonly baseMs: number;
  /** Largest wait in ms. */
  readonly capMs: number;
}

/** Everything the registry operations share. */
export interface RegistryContext {
  /** The SNS client. */
  readonly sns: SNSClient;
  /** The DynamoDB client. */
  readonly dynamodb: DynamoDBClient;
  /** The table. */
  readonly tableName: string;
  /** Platform applications by the platform names callers use. */
  readonly applications: ReadonlyMap<string, PlatformApplication>;
  /** `CustomUserData` for an endpoint, or `undefined` to leave it unset. */
  readonly customUserData: ((device: { userId: string; deviceId: string | undefined; platform: string }) => string) | undefined;
  /** Time source. */
  readonly clock: Clock;
  /** Randomness for backoff jitter. */
  readonly random: () => number;
  /** Logger (never throws). */
  readonly logger: Logger;
  /** Parallel publishes / sweeps. */
  readonly maxConcurrency: number;
  /** Publish retries. */
  readonly publishRetry: PublishRetrySettings;
  /** Attempts of a register/unregister that loses races. */
  readonly maxWriteAttempts: number;
}

/**
 * Calls DynamoDB, turning a failure into a {@link PushAwsCallError} (no tokens are ever sent to
 * DynamoDB, only hashes, so nothing secret can come back).
 *
 * @param operation - The operation name, for the error.
 * @param call - The call.
 * @returns Its output.
 */
export async function callDynamoDb<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new PushAwsCallError('DynamoDB', operation, error);
  }
}

/**
 * A strongly consistent read of a device item.
 *
 * @param context - The registry.
 * @param userId - The user.
 * @param deviceKey - The device key.
 * @returns The device, or `undefined`.
 */
export async function readDevice(context: RegistryContext, userId: string, deviceKey: string): Promise<DeviceItem | undefined> {
  const out = await callDynamoDb('GetItem', () =>
    context.dynamodb.send(
      new GetItemCommand({ TableName: context.tableName, Key: toKey(deviceKeyOf(userId, deviceKey)), ConsistentRead: true }),
    ),
  );
  return out.Item === undefined ? undefined : deviceFromItem(out.Item);
}

/**
 * A strongly consistent read of a token item.
 *
 * @param context - The registry.
 * @param applicationArn - The application.
 * @param tokenHash - SHA-256 of the token.
 * @returns The owner, or `undefined`.
 */
export async function readToken(context: RegistryContext, applicationArn: string, tokenHash: string): Promise<TokenItem | undefined> {
  const out = await callDynamoDb('GetItem', () =>
    context.dynamodb.send(
      new GetItemCommand({ TableName: context.tableName, Key: toKey(tokenKeyOf(applicationArn, tokenHash)), ConsistentRead: true }),
    ),
  );
  return out.Item === undefined ? undefined : tokenFromItem(out.Item);
}

/**
 * Every item of a query, following `LastEvaluatedKey`.
 *
 * @param context - The registry.
 * @param input - The query (without `ExclusiveStartKey`).
 * @returns The items.
 */
export async function queryAll(context: RegistryContext, input: QueryCommandInput): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await callDynamoDb('Query', () =>
      context.dynamodb.send(new QueryCommand({ ...input, ...(start === undefined ? {} : { ExclusiveStartKey: start }) })),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/**
 * Runs a transaction; `false` when a condition failed (another writer got there first), so the
 * caller can read again and retry.
 *
 * @param context - The registry.
 * @param items - The transaction's items.
 * @returns `true` when written, `false` on a lost race.
 */
export async function writeTransaction(context: RegistryContext, items: TransactWriteItem[]): Promise<boolean> {
  try {
    await context.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (isConditionConflict(error)) return false;
    throw new PushAwsCallError('DynamoDB', 'TransactWriteItems', error);
  }
}

/**
 * Whether a DynamoDB error means a condition did not hold (or another transaction held an item):
 * `ConditionalCheckFailedException`, or `TransactionCanceledException` whose reasons are only
 * `ConditionalCheckFailed`, `TransactionConflict` or `None`.
 *
 * @param error - What the SDK threw.
 * @returns `true` for a lost race.
 */
export function isConditionConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (reasons === undefined) return /ConditionalCheckFailed|TransactionConflict/.test(error.message);
  return reasons.every((reason) => reason.Code === undefined || ['None', 'ConditionalCheckFailed', 'TransactionConflict'].includes(reason.Code));
}

/**
 * A key as DynamoDB attribute values.
 *
 * @param key - `pk` and `sk`.
 * @returns The key.
 */
export function toKey(key: { pk: string; sk: string }): Record<string, AttributeValue> {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

/**
 * The transaction items that remove a device: its record and, when the device owns its token,
 * the token's owner record, each guarded by the version read, so a record changed since is not
 * removed (the transaction then fails as a conflict).
 *
 * @param context - The registry.
 * @param device - The device record as read.
 * @param ownedToken - The token's owner record when it belongs to this device, else `undefined`.
 * @returns The `Delete` items for `TransactWriteItems`.
 */
export function deviceRemovalItems(context: RegistryContext, device: DeviceItem, ownedToken: TokenItem | undefined): TransactWriteItem[] {
  const remove = (key: { pk: string; sk: string }, version: number): TransactWriteItem => ({
    Delete: {
      TableName: context.tableName,
      Key: toKey(key),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': { N: String(version) } },
    },
  });
  const items = [remove(deviceKeyOf(device.userId, device.deviceKey), device.version)];
  if (ownedToken !== undefined) items.push(remove(tokenKeyOf(ownedToken.applicationArn, ownedToken.tokenHash), ownedToken.version));
  return items;
}

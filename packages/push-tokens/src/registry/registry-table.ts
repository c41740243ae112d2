import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Name of the table's partition key attribute (String). */
export const PARTITION_KEY = 'pk';
/** Name of the table's sort key attribute (String). */
export const SORT_KEY = 'sk';
/** Name of the sparse global secondary index of disabled devices, used by `sweepDisabled`. */
export const DISABLED_DEVICES_INDEX = 'disabled-devices';
/** Partition key attribute of {@link DISABLED_DEVICES_INDEX} (String, only on inactive devices). */
export const DISABLED_PARTITION_ATTRIBUTE = 'disabledPartition';
/** Sort key attribute of {@link DISABLED_DEVICES_INDEX} (Number, epoch ms). */
export const DISABLED_AT_ATTRIBUTE = 'disabledAt';
/** The one value of {@link DISABLED_PARTITION_ATTRIBUTE}. */
export const DISABLED_PARTITION_VALUE = 'DISABLED';

/**
 * Key of a user's device item.
 *
 * @param userId - The user.
 * @param deviceKey - The device key (empty for the prefix of all the user's devices).
 * @returns `pk` and `sk`.
 */
export function deviceKeyOf(userId: string, deviceKey: string): { pk: string; sk: string } {
  return { pk: `USER#${userId}`, sk: `DEVICE#${deviceKey}` };
}

/**
 * Key of the item that says which device owns a token of an application.
 *
 * @param applicationArn - The platform application.
 * @param tokenHash - SHA-256 (hex) of the token.
 * @returns `pk` and `sk`.
 */
export function tokenKeyOf(applicationArn: string, tokenHash: string): { pk: string; sk: string } {
  return { pk: `TOKEN#${applicationArn}#${tokenHash}`, sk: 'OWNER' };
}

/**
 * The `CreateTable` input for a push registry table: partition key `pk` (String), sort key `sk`
 * (String), on-demand billing, and the sparse global secondary index `disabled-devices`
 * (partition `disabledPartition` String, sort `disabledAt` Number, all attributes projected)
 * that only disabled devices appear in.
 *
 * Items: one per device (`pk = USER#<userId>`, `sk = DEVICE#<deviceKey>`) and one per token
 * (`pk = TOKEN#<applicationArn>#<sha256 of token>`, `sk = OWNER`) naming the device that owns it.
 * No device token is stored, only its SHA-256 and its last 6 characters.
 *
 * @param tableName - The table name.
 * @returns The input for `new CreateTableCommand(...)` (or to copy into infrastructure code).
 *
 * @example
 * ```ts
 * await dynamodb.send(new CreateTableCommand(pushRegistryTableDefinition('push-registry')));
 * ```
 */
export function pushRegistryTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
      { AttributeName: DISABLED_PARTITION_ATTRIBUTE, AttributeType: 'S' },
      { AttributeName: DISABLED_AT_ATTRIBUTE, AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: DISABLED_DEVICES_INDEX,
        KeySchema: [
          { AttributeName: DISABLED_PARTITION_ATTRIBUTE, KeyType: 'HASH' },
          { AttributeName: DISABLED_AT_ATTRIBUTE, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

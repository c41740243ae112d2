import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { HeraldError } from '@herald/core';
import { PushAwsCallError } from '../aws-call-error.js';
import { mapConcurrently } from '../concurrency/map-concurrently.js';
import { deletePlatformEndpoint, readPlatformEndpoint } from './platform-endpoint-calls.js';
import { type RegistryContext, deviceRemovalItems, isConditionConflict, queryAll, readDevice, readToken, toKey, writeTransaction } from './registry-context.js';
import { type DeviceItem, deviceFromItem, publicDevice, type RegisteredDevice } from './registry-items.js';
import {
  DISABLED_AT_ATTRIBUTE,
  DISABLED_DEVICES_INDEX,
  DISABLED_PARTITION_ATTRIBUTE,
  DISABLED_PARTITION_VALUE,
  deviceKeyOf,
} from './registry-table.js';

/** Options of `sweepDisabled`. */
export interface SweepOptions {
  /**
   * Remove devices marked inactive at least this many days ago (a number ≥ 0; fractions
   * allowed). A short grace lets an app that is merely offline register again first.
   */
  readonly olderThanDays: number;
  /** Aborting stops starting further removals; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The endpoint was still disabled (or already gone): it was deleted, and the device record with it. */
export interface SweepDeleted {
  /** `deleted`. */
  readonly status: 'deleted';
  /** The device removed. */
  readonly device: RegisteredDevice;
  /** Whether SNS had already deleted the endpoint. */
  readonly endpointAlreadyGone: boolean;
}

/**
 * Left in place: the endpoint is enabled again in SNS (the record is marked active again), or
 * the record changed since the index was read (a registration came in between).
 */
export interface SweepKept {
  /** `kept`. */
  readonly status: 'kept';
  /** The device. */
  readonly device: RegisteredDevice;
  /** Why it was kept. */
  readonly reason: 're-enabled' | 'changed';
}

/** An AWS call failed; the device stays for the next sweep. */
export interface SweepFailed {
  /** `failed`. */
  readonly status: 'failed';
  /** The device. */
  readonly device: RegisteredDevice;
  /** The SDK's error name. */
  readonly code: string;
  /** What failed; never contains a token. */
  readonly message: string;
  /** Whether the next sweep may succeed. */
  readonly retryable: boolean;
}

/** What `sweepDisabled` did with one inactive device. */
export type SweepOutcome = SweepDeleted | SweepKept | SweepFailed;

/** The result of `sweepDisabled`. */
export interface SweepReport {
  /** The cutoff used: devices disabled at or before this time (epoch ms) were examined. */
  readonly cutoff: number;
  /** One outcome per device examined. */
  readonly outcomes: readonly SweepOutcome[];
  /** How many were deleted. */
  readonly deleted: number;
}

const DAY_MS = 86_400_000;

async function reactivate(context: RegistryContext, device: DeviceItem): Promise<void> {
  try {
    await context.dynamodb.send(
      new UpdateItemCommand({
        TableName: context.tableName,
        Key: toKey(deviceKeyOf(device.userId, device.deviceKey)),
        UpdateExpression: 'SET #status = :active, updatedAt = :now, version = version + :one REMOVE #disabledAt, #partition, disabledReason',
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: { '#status': 'status', '#disabledAt': DISABLED_AT_ATTRIBUTE, '#partition': DISABLED_PARTITION_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':active': { S: 'active' },
          ':now': { N: String(context.clock.now()) },
          ':one': { N: '1' },
          ':version': { N: String(device.version) },
        },
      }),
    );
  } catch (error) {
    if (!isConditionConflict(error)) throw new PushAwsCallError('DynamoDB', 'UpdateItem', error);
  }
}

async function sweepOne(context: RegistryContext, indexed: DeviceItem): Promise<SweepOutcome> {
  // The index is eventually consistent: decide on a strongly consistent read of the record.
  const device = await readDevice(context, indexed.userId, indexed.deviceKey);
  if (device === undefined || device.status !== 'inactive' || device.endpointArn !== indexed.endpointArn || device.version !== indexed.version) {
    return { status: 'kept', device: publicDevice(device ?? indexed), reason: 'changed' };
  }
  const state = await readPlatformEndpoint(context, device.endpointArn);
  if (state !== 'gone' && state.enabled) {
    await reactivate(context, device);
    return { status: 'kept', device: publicDevice(device), reason: 're-enabled' };
  }
  const owner = await readToken(context, device.applicationArn, device.tokenHash);
  const ownsToken = owner !== undefined && owner.userId === device.userId && owner.deviceKey === device.deviceKey;
  // Never delete an endpoint another device record still uses (it would be a stale record of ours).
  const sharedEndpoint = owner !== undefined && !ownsToken && owner.endpointArn === device.endpointArn;
  if (state !== 'gone' && !sharedEndpoint) await deletePlatformEndpoint(context, device.endpointArn);
  const items = deviceRemovalItems(context, device, ownsToken ? owner : undefined);
  if (!(await writeTransaction(context, items))) return { status: 'kept', device: publicDevice(device), reason: 'changed' };
  context.logger.info('push-tokens: disabled device swept', {
    userId: device.userId,
    deviceKey: device.deviceKey,
    endpointArn: device.endpointArn,
    token: device.token,
  });
  return { status: 'deleted', device: publicDevice(device), endpointAlreadyGone: state === 'gone' };
}

/**
 * Deletes the endpoints of devices that have stayed inactive at least `olderThanDays`, and
 * their records (see `PushRegistry.sweepDisabled`).
 *
 * @param context - The registry.
 * @param options - See {@link SweepOptions}.
 * @returns One outcome per device examined.
 */
export async function sweepDisabled(context: RegistryContext, options: SweepOptions): Promise<SweepReport> {
  const days = options?.olderThanDays;
  if (typeof days !== 'number' || !Number.isFinite(days) || days < 0) {
    throw new RangeError(`sweepDisabled: olderThanDays must be a finite number of days ≥ 0, got ${String(days)}.`);
  }
  options.signal?.throwIfAborted();
  const cutoff = context.clock.now() - days * DAY_MS;
  const items = await queryAll(context, {
    TableName: context.tableName,
    IndexName: DISABLED_DEVICES_INDEX,
    KeyConditionExpression: '#partition = :partition AND #disabledAt <= :cutoff',
    ExpressionAttributeNames: { '#partition': DISABLED_PARTITION_ATTRIBUTE, '#disabledAt': DISABLED_AT_ATTRIBUTE },
    ExpressionAttributeValues: { ':partition': { S: DISABLED_PARTITION_VALUE }, ':cutoff': { N: String(cutoff) } },
  });
  const devices = items.map(deviceFromItem);
  const outcomes = await mapConcurrently(
    devices,
    context.maxConcurrency,
    async (device): Promise<SweepOutcome> => {
      try {
        return await sweepOne(context, device);
      } catch (error) {
        // AWS failures arrive as PushAwsCallError, a foreign item as RegistryItemError.
        const herald = error instanceof HeraldError ? error : undefined;
        const code = error instanceof PushAwsCallError ? error.awsErrorName : (herald?.code ?? 'Error');
        const message = herald?.message ?? String(error);
        context.logger.warn('push-tokens: sweeping a device failed', { endpointArn: device.endpointArn, code });
        return { status: 'failed', device: publicDevice(device), code, message, retryable: herald?.retryable ?? false };
      }
    },
    options.signal,
  );
  return { cutoff, outcomes, deleted: outcomes.filter((o) => o.status === 'deleted').length };
}

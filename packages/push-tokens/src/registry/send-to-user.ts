import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type PublishCommandOutput } from '@aws-sdk/client-sns';
import { isRetryableAwsError, retry } from '@herald/core';
import { PushAwsCallError } from '../aws-call-error.js';
import { mapConcurrently } from '../concurrency/map-concurrently.js';
import { buildPlatformMessage, type PlatformMessage } from '../payload/build-push-message.js';
import type { PushNotification } from '../payload/push-notification.js';
import type { PushPlatform } from '../platform/platform-application.js';
import { type RegistryContext, isConditionConflict, queryAll, toKey } from './registry-context.js';
import { type DeviceItem, deviceFromItem, type DisabledReason, publicDevice, type RegisteredDevice } from './registry-items.js';
import { DISABLED_AT_ATTRIBUTE, DISABLED_PARTITION_ATTRIBUTE, DISABLED_PARTITION_VALUE, deviceKeyOf } from './registry-table.js';
import { validateUserId } from './registration-input.js';

/** SNS accepted the message for the endpoint (delivery to the device is then up to APNs/FCM). */
export interface DeliverySent {
  /** `sent`. */
  readonly status: 'sent';
  /** The device. */
  readonly device: RegisteredDevice;
  /** SNS's `MessageId`. */
  readonly messageId: string;
  /** Publish requests made, counting the first. */
  readonly attempts: number;
}

/**
 * SNS refused: the endpoint is disabled (`EndpointDisabled`: the push service reported the token
 * invalid) or was deleted. Not retried; the device is now marked inactive and later sends skip it
 * until the app registers again. `sweepDisabled` removes it if it stays so. (If marking it fails,
 * that is logged and the device stays active until a later send marks it.)
 */
export interface DeliveryDisabled {
  /** `disabled`. */
  readonly status: 'disabled';
  /** The device (as it was before being marked inactive). */
  readonly device: RegisteredDevice;
  /** Disabled or deleted. */
  readonly reason: DisabledReason;
  /** Publish requests made (1: never retried). */
  readonly attempts: number;
}

/** The device was already inactive: nothing was published. */
export interface DeliverySkipped {
  /** `skipped`. */
  readonly status: 'skipped';
  /** The device. */
  readonly device: RegisteredDevice;
  /** Always `inactive`. */
  readonly reason: 'inactive';
}

/**
 * Publishing failed for another reason, after retries when it was transient (throttling, 5xx,
 * network).
 */
export interface DeliveryFailed {
  /** `failed`. */
  readonly status: 'failed';
  /** The device. */
  readonly device: RegisteredDevice;
  /** The SDK's error name, e.g. `Throttling`, `InternalErrorException`. */
  readonly code: string;
  /** What failed; never contains a token. */
  readonly message: string;
  /** Whether sending again later may succeed. */
  readonly retryable: boolean;
  /** Publish requests made, counting the first. */
  readonly attempts: number;
}

/** The outcome of sending to one device. Every device of the user gets exactly one. */
export type DeliveryResult = DeliverySent | DeliveryDisabled | DeliverySkipped | DeliveryFailed;

/** Options of `sendToUser`. */
export interface SendOptions {
  /** Aborting stops retries and further publishes; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Every device record of a user (strongly consistent), in key order.
 *
 * @param context - The registry.
 * @param userId - The user.
 * @returns The stored devices.
 */
export async function readDevicesOf(context: RegistryContext, userId: string): Promise<DeviceItem[]> {
  validateUserId(userId);
  const key = deviceKeyOf(userId, '');
  const items = await queryAll(context, {
    TableName: context.tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': { S: key.pk }, ':prefix': { S: key.sk } },
    ConsistentRead: true,
  });
  return items.map(deviceFromItem);
}

function classify(error: unknown): DisabledReason | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'EndpointDisabledException' || error.name === 'EndpointDisabled') return 'endpoint-disabled';
  if (error.name === 'InvalidParameterException' && /No endpoint found for the target arn/i.test(error.message)) return 'endpoint-deleted';
  return undefined;
}

/**
 * Marks a device inactive, unless its record changed since it was read (a registration in
 * between wins: its endpoint may work again).
 */
async function markInactive(context: RegistryContext, device: DeviceItem, reason: DisabledReason): Promise<void> {
  const now = context.clock.now();
  try {
    await context.dynamodb.send(
      new UpdateItemCommand({
        TableName: context.tableName,
        Key: toKey(deviceKeyOf(device.userId, device.deviceKey)),
        UpdateExpression:
          'SET #status = :inactive, #disabledAt = :now, #partition = :partition, disabledReason = :reason, updatedAt = :now, version = version + :one',
        ConditionExpression: 'version = :version AND endpointArn = :endpointArn',
        ExpressionAttributeNames: { '#status': 'status', '#disabledAt': DISABLED_AT_ATTRIBUTE, '#partition': DISABLED_PARTITION_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':inactive': { S: 'inactive' },
          ':now': { N: String(now) },
          ':partition': { S: DISABLED_PARTITION_VALUE },
          ':reason': { S: reason },
          ':one': { N: '1' },
          ':version': { N: String(device.version) },
          ':endpointArn': { S: device.endpointArn },
        },
      }),
    );
  } catch (error) {
    if (isConditionConflict(error)) return;
    throw new PushAwsCallError('DynamoDB', 'UpdateItem', error);
  }
}

async function sendToDevice(
  context: RegistryContext,
  device: DeviceItem,
  message: PlatformMessage,
  signal: AbortSignal | undefined,
): Promise<DeliveryResult> {
  const visible = publicDevice(device);
  if (device.status !== 'active') return { status: 'skipped', device: visible, reason: 'inactive' };
  let attempts = 0;
  let output: PublishCommandOutput;
  try {
    output = await retry(
      (_attempt, attemptSignal) => {
        attempts += 1;
        return context.sns.send(
          new PublishCommand({
            TargetArn: device.endpointArn,
            Message: message.message,
            MessageStructure: message.messageStructure,
            ...(Object.keys(message.messageAttributes).length === 0 ? {} : { MessageAttributes: { ...message.messageAttributes } }),
          }),
          attemptSignal === undefined ? {} : { abortSignal: attemptSignal },
        );
      },
      {
        maxAttempts: context.publishRetry.maxAttempts,
        baseMs: context.publishRetry.baseMs,
        capMs: context.publishRetry.capMs,
        random: context.random,
        clock: context.clock,
        isRetryable: (error) => classify(error) === undefined && isRetryableAwsError(error),
        onRetry: ({ error, attempt, delayMs }) =>
          context.logger.warn('push-tokens: publish failed, retrying', {
            endpointArn: device.endpointArn,
            attempt,
            delayMs,
            error: error instanceof Error ? error.name : String(error),
          }),
        ...(signal === undefined ? {} : { signal }),
      },
    );
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    const reason = classify(error);
    if (reason !== undefined) {
      try {
        await markInactive(context, device, reason);
      } catch (markError) {
        // The publish outcome stands; the device stays active, so the next send meets the same
        // answer from SNS and marks it then. Failing the whole call here would hide what the
        // other devices got (a retry by the caller would notify them twice).
        context.logger.warn('push-tokens: endpoint refused, but marking the device inactive failed', {
          userId: device.userId,
          deviceKey: device.deviceKey,
          endpointArn: device.endpointArn,
          reason,
          code: markError instanceof PushAwsCallError ? markError.awsErrorName : markError instanceof Error ? markError.name : 'Error',
        });
        return { status: 'disabled', device: visible, reason, attempts };
      }
      context.logger.info('push-tokens: endpoint refused, device marked inactive', {
        userId: device.userId,
        deviceKey: device.deviceKey,
        endpointArn: device.endpointArn,
        reason,
        token: device.token,
      });
      return { status: 'disabled', device: visible, reason, attempts };
    }
    const wrapped = new PushAwsCallError('SNS', 'Publish', error);
    context.logger.error('push-tokens: publish failed', { endpointArn: device.endpointArn, code: wrapped.awsErrorName, attempts });
    return {
      status: 'failed',
      device: visible,
      code: wrapped.awsErrorName,
      message: wrapped.message,
      retryable: wrapped.retryable,
      attempts,
    };
  }
  return { status: 'sent', device: visible, messageId: output.MessageId ?? '', attempts };
}

/**
 * Sends a notification to every device of a user (see `PushRegistry.sendToUser`).
 *
 * @param context - The registry.
 * @param userId - The user.
 * @param notification - The notification.
 * @param options - See {@link SendOptions}.
 * @returns One result per device record, in the order of their keys.
 */
export async function sendToUser(
  context: RegistryContext,
  userId: string,
  notification: PushNotification,
  options: SendOptions = {},
): Promise<DeliveryResult[]> {
  validateUserId(userId);
  // Built (and validated) for every platform the registry knows before anything is read or sent.
  const messages = new Map<PushPlatform, PlatformMessage>();
  for (const application of context.applications.values()) {
    if (!messages.has(application.platform)) messages.set(application.platform, buildPlatformMessage(application.platform, notification));
  }
  options.signal?.throwIfAborted();
  const devices = await readDevicesOf(context, userId);
  // A device may belong to an application this registry was not given (another service's
  // registry on the same table): its platform's payload is built and checked now too, so that a
  // refusal still comes before the first publish, never halfway through.
  const forDevice = (device: DeviceItem): PlatformMessage => {
    let message = messages.get(device.platformType);
    if (message === undefined) {
      message = buildPlatformMessage(device.platformType, notification);
      messages.set(device.platformType, message);
    }
    return message;
  };
  for (const device of devices) forDevice(device);
  return mapConcurrently(
    devices,
    context.maxConcurrency,
    (device) => sendToDevice(context, device, forDevice(device), options.signal),
    options.signal,
  );
}

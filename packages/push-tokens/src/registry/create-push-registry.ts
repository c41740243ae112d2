import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { type Clock, guardLogger, type Logger, silentLogger, systemClock } from '@herald/core';
import type { PushNotification } from '../payload/push-notification.js';
import { type PlatformApplication, platformApplicationFromArn } from '../platform/platform-application.js';
import { type DeviceRegistration, registerDevice, type RegistrationResult } from './register-device.js';
import type { RegistryContext } from './registry-context.js';
import { publicDevice, type RegisteredDevice } from './registry-items.js';
import { type DeliveryResult, readDevicesOf, type SendOptions, sendToUser } from './send-to-user.js';
import { type SweepOptions, type SweepReport, sweepDisabled } from './sweep-disabled.js';
import { type DeviceReference, unregisterDevice, type UnregisterOptions, type UnregisterResult } from './unregister-device.js';

/** What the registry's `customUserData` function is told about a device. */
export interface CustomUserDataInput {
  /** The user registering. */
  readonly userId: string;
  /** The device id, if given. */
  readonly deviceId: string | undefined;
  /** The platform name given (a key of `platformApplications`). */
  readonly platform: string;
}

/** Retries of each publish in `sendToUser`. */
export interface PublishRetryOptions {
  /** Attempts per device, counting the first. Default 3. */
  readonly maxAttempts?: number;
  /** Backoff unit in ms (full jitter, exponential). Default 100. */
  readonly baseMs?: number;
  /** Largest wait between attempts in ms. Default 5,000. */
  readonly capMs?: number;
}

/** Options of {@link createPushRegistry}. */
export interface PushRegistryOptions {
  /**
   * A configured SNS client. Its own retries (SDK default 3 attempts) apply to every call;
   * `sendToUser` retries throttled and failed publishes on top with core's backoff, so give it
   * `maxAttempts: 1` if you want only those (then `attempts` in the results counts every request).
   */
  readonly sns: SNSClient;
  /** A configured DynamoDB client. */
  readonly dynamodb: DynamoDBClient;
  /** The registry table (see {@link pushRegistryTableDefinition}). */
  readonly tableName: string;
  /**
   * The platform applications by the names apps register with, e.g.
   * `{ ios: apnsApp, android: fcmApp }`: each a {@link PlatformApplication} (as the create
   * functions return) or its ARN.
   */
  readonly platformApplications: Readonly<Record<string, PlatformApplication | string>>;
  /**
   * What to store in each endpoint's `CustomUserData` (SNS keeps it, never uses it; it helps
   * when reading endpoints in the console). Default: the user id. `false`: leave it unset.
   * When a device changes hands, the registry updates it.
   */
  readonly customUserData?: false | ((device: CustomUserDataInput) => string);
  /** Most publishes (and sweep removals) in flight at once. Default 8. */
  readonly maxConcurrency?: number;
  /** Retries of each publish. See {@link PublishRetryOptions}. */
  readonly retry?: PublishRetryOptions;
  /** How many times `register`/`unregister` re-read and retry after losing a race with another writer. Default 5. */
  readonly maxWriteAttempts?: number;
  /** Time source (record timestamps, sweep cutoff, retry deadlines). Default: core's `systemClock` (`Date.now()`). */
  readonly clock?: Clock;
  /** Randomness in [0, 1) for backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Where to log (registrations, refused endpoints, retries). Tokens appear only redacted. Default: silent. */
  readonly logger?: Logger;
}

/** A device-token registry on SNS platform endpoints and a DynamoDB table. */
export interface PushRegistry {
  /**
   * Registers the token an app reports, following AWS's token-management algorithm: reuse the
   * endpoint stored for this device or token; otherwise `CreatePlatformEndpoint` (when SNS answers
   * that an endpoint with this token exists with other attributes, its ARN is taken from the
   * answer); read the endpoint's attributes; if it is gone, create it again; if its token differs
   * or it is disabled, set the token and `Enabled=true` (and `CustomUserData` when it differs);
   * then store user ↔ device ↔ endpoint ↔ platform with conditional writes.
   *
   * A token has one owner: when another user registers it (a device that changed hands), the
   * old user's record is removed in the same transaction. A new token for a known `deviceId`
   * updates the same endpoint. A repeat with the same input changes nothing and makes one SNS
   * call (`GetEndpointAttributes`) and two DynamoDB reads.
   *
   * @param registration - See {@link DeviceRegistration}.
   * @returns What was done.
   * @throws {@link InvalidRegistrationError}, {@link UnknownPlatformError} before any call;
   *   {@link PushAwsCallError}; {@link RegistrationConflictError} (retryable) after losing every race.
   */
  register(registration: DeviceRegistration): Promise<RegistrationResult>;
  /**
   * Removes a device of a user (the app signed out): its record, its token's ownership, and by
   * default its SNS endpoint.
   *
   * @param device - `{ userId, deviceId }` or `{ userId, platform, token }`.
   * @param options - See {@link UnregisterOptions}.
   * @returns What was removed.
   */
  unregister(device: DeviceReference, options?: UnregisterOptions): Promise<UnregisterResult>;
  /**
   * The devices of a user (strongly consistent read), active and inactive.
   *
   * @param userId - The user.
   * @returns The devices, tokens redacted.
   */
  devicesOf(userId: string): Promise<RegisteredDevice[]>;
  /**
   * Sends a notification to every device of a user: builds each platform's payload
   * (`MessageStructure: 'json'` with `APNS`/`APNS_SANDBOX`/`GCM`, alert/badge/sound/data, and the
   * platform's TTL attribute), publishes to each active device with at most `maxConcurrency` in
   * flight, and returns one result per device. A throttled, 5xx or network failure is retried
   * with jittered backoff; an endpoint SNS reports disabled (or deleted) is not retried and the
   * device is marked inactive; inactive devices are skipped.
   *
   * @param userId - The user.
   * @param notification - See {@link PushNotification}.
   * @param options - See {@link SendOptions}.
   * @returns One {@link DeliveryResult} per device (none when the user has no device).
   * @throws {@link InvalidNotificationError} before anything is sent.
   */
  sendToUser(userId: string, notification: PushNotification, options?: SendOptions): Promise<DeliveryResult[]>;
  /**
   * Deletes the endpoints of devices inactive for at least `olderThanDays`, with their records.
   * Each candidate is re-read and its endpoint checked first: one enabled again in SNS is marked
   * active instead, one re-registered meanwhile is left alone.
   *
   * @param options - See {@link SweepOptions}.
   * @returns One outcome per device examined.
   */
  sweepDisabled(options: SweepOptions): Promise<SweepReport>;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`createPushRegistry: ${name} must be a whole number ≥ 1, got ${String(value)}.`);
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`createPushRegistry: ${name} must be a finite number ≥ 0, got ${String(value)}.`);
  return value;
}

/**
 * Creates a device-token registry: apps call `register` with their token after each launch and
 * token refresh, your services call `sendToUser`, a schedule calls `sweepDisabled`.
 *
 * IAM: `sns:CreatePlatformEndpoint`, `sns:GetEndpointAttributes`, `sns:SetEndpointAttributes`,
 * `sns:DeleteEndpoint` and `sns:Publish` on the platform applications and their endpoints;
 * `dynamodb:GetItem`, `dynamodb:Query`, `dynamodb:PutItem`, `dynamodb:DeleteItem`,
 * `dynamodb:UpdateItem` on the table and `dynamodb:Query` on its `disabled-devices` index
 * (`TransactWriteItems` is authorised per item by `PutItem`/`DeleteItem`).
 *
 * @param options - See {@link PushRegistryOptions}.
 * @returns The registry.
 *
 * @example
 * ```ts
 * const registry = createPushRegistry({
 *   sns, dynamodb, tableName: 'push-registry',
 *   platformApplications: { ios: process.env.APNS_APP_ARN!, android: process.env.FCM_APP_ARN! },
 * });
 * await registry.register({ userId: 'u-42', platform: 'ios', token, deviceId: installationId });
 * const results = await registry.sendToUser('u-42', { title: 'Order shipped', body: 'Arrives Friday', badge: 1 });
 * ```
 */
export function createPushRegistry(options: PushRegistryOptions): PushRegistry {
  if (typeof options !== 'object' || options === null) throw new TypeError('createPushRegistry: pass { sns, dynamodb, tableName, platformApplications }.');
  if (typeof options.sns?.send !== 'function') throw new TypeError('createPushRegistry: sns must be an SNSClient.');
  if (typeof options.dynamodb?.send !== 'function') throw new TypeError('createPushRegistry: dynamodb must be a DynamoDBClient.');
  if (typeof options.tableName !== 'string' || options.tableName === '') throw new TypeError('createPushRegistry: tableName must be a non-empty string.');
  const applications = new Map<string, PlatformApplication>();
  for (const [name, application] of Object.entries(options.platformApplications ?? {})) {
    applications.set(name, platformApplicationFromArn(typeof application === 'string' ? application : application?.arn));
  }
  if (applications.size === 0) {
    throw new TypeError('createPushRegistry: platformApplications must name at least one application, e.g. { ios: apnsAppArn, android: fcmAppArn }.');
  }
  if (options.customUserData !== undefined && options.customUserData !== false && typeof options.customUserData !== 'function') {
    throw new TypeError('createPushRegistry: customUserData must be false or a function of the device.');
  }
  const retry = options.retry ?? {};
  const context: RegistryContext = {
    sns: options.sns,
    dynamodb: options.dynamodb,
    tableName: options.tableName,
    applications,
    customUserData:
      options.customUserData === false ? undefined : (options.customUserData ?? ((device: CustomUserDataInput) => device.userId)),
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    logger: guardLogger(options.logger ?? silentLogger),
    maxConcurrency: positiveInteger('maxConcurrency', options.maxConcurrency, 8),
    publishRetry: {
      maxAttempts: positiveInteger('retry.maxAttempts', retry.maxAttempts, 3),
      baseMs: nonNegative('retry.baseMs', retry.baseMs, 100),
      capMs: nonNegative('retry.capMs', retry.capMs, 5_000),
    },
    maxWriteAttempts: positiveInteger('maxWriteAttempts', options.maxWriteAttempts, 5),
  };
  return {
    register: (registration) => registerDevice(context, registration),
    unregister: (device, unregisterOptions) => unregisterDevice(context, device, unregisterOptions),
    devicesOf: async (userId) => (await readDevicesOf(context, userId)).map(publicDevice),
    sendToUser: (userId, notification, sendOptions) => sendToUser(context, userId, notification, sendOptions),
    sweepDisabled: (sweepOptions) => sweepDisabled(context, sweepOptions),
  };
}

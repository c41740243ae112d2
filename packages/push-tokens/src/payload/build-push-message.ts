import type { PushPlatform } from '../platform/platform-application.js';
import { InvalidNotificationError } from './invalid-notification-error.js';
import type { PushNotification } from './push-notification.js';

/**
 * Largest platform payload, in UTF-8 bytes: APNs refuses regular notifications over 4 KB and FCM
 * messages over 4,096 bytes. Checked here so the error comes before the publish, not as a
 * silent delivery failure.
 */
export const MAX_PLATFORM_PAYLOAD_BYTES = 4096;

/** SNS's TTL message attribute for each platform. */
export const TTL_ATTRIBUTE: Readonly<Record<PushPlatform, string>> = {
  APNS: 'AWS.SNS.MOBILE.APNS.TTL',
  APNS_SANDBOX: 'AWS.SNS.MOBILE.APNS_SANDBOX.TTL',
  GCM: 'AWS.SNS.MOBILE.FCM.TTL',
};

/** A `String` message attribute, as `PublishCommand` takes it. */
export interface StringMessageAttribute {
  /** `String`. */
  readonly DataType: 'String';
  /** The value. */
  readonly StringValue: string;
}

/** What to publish to one endpoint: the `Publish` parameters that depend on the platform. */
export interface PlatformMessage {
  /** The `Message`: a JSON object with `default` and the platform's key, its value a JSON string. */
  readonly message: string;
  /** Always `json`. */
  readonly messageStructure: 'json';
  /** The TTL attribute when `ttlSeconds` is set (`DataType: 'String'`). */
  readonly messageAttributes: Readonly<Record<string, StringMessageAttribute>>;
}

const FCM_RESERVED_KEYS = new Set(['from', 'notification', 'message_type']);

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Checks a notification against what APNs, FCM and SNS accept. Throws
 * {@link InvalidNotificationError} saying what is wrong.
 *
 * @param notification - The notification.
 */
export function validateNotification(notification: PushNotification): void {
  if (typeof notification !== 'object' || notification === null) {
    throw new InvalidNotificationError('The notification must be an object with at least a body.');
  }
  if (typeof notification.body !== 'string' || notification.body.trim() === '') {
    throw new InvalidNotificationError('The notification needs a non-empty body: it is the text shown, and SNS\'s default message.');
  }
  if (notification.title !== undefined && typeof notification.title !== 'string') {
    throw new InvalidNotificationError('The notification title must be a string when given.');
  }
  if (notification.sound !== undefined && (typeof notification.sound !== 'string' || notification.sound === '')) {
    throw new InvalidNotificationError('The notification sound must be a non-empty string (e.g. "default") when given.');
  }
  if (notification.badge !== undefined && !isWholeNumber(notification.badge)) {
    throw new InvalidNotificationError(`The badge must be a whole number ≥ 0, got ${String(notification.badge)}.`);
  }
  if (notification.ttlSeconds !== undefined && !isWholeNumber(notification.ttlSeconds)) {
    throw new InvalidNotificationError(`ttlSeconds must be a whole number of seconds ≥ 0, got ${String(notification.ttlSeconds)}.`);
  }
  const data: unknown = notification.data;
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    throw new InvalidNotificationError(
      `The notification data must be an object of string values when given (or left out), got ${data === null ? 'null' : Array.isArray(data) ? 'an array' : `a ${typeof data}`}.`,
    );
  }
  for (const [key, value] of Object.entries(notification.data ?? {})) {
    if (typeof value !== 'string') {
      throw new InvalidNotificationError(`Data values must be strings (FCM requires it); "${key}" is a ${typeof value}. Use JSON.stringify for structured values.`);
    }
    const lower = key.toLowerCase();
    if (key === '' || key === 'aps' || FCM_RESERVED_KEYS.has(lower) || lower.startsWith('google') || lower.startsWith('gcm')) {
      throw new InvalidNotificationError(
        `The data key "${key}" is reserved (APNs uses "aps"; FCM reserves "from", "notification", "message_type" and keys starting with "google" or "gcm"). Rename it.`,
      );
    }
  }
}

/**
 * The APNs payload: `{ aps: { alert: { title?, body }, badge?, sound? }, ...data }`.
 *
 * @param notification - A valid notification.
 * @returns The payload object.
 */
export function buildApnsPayload(notification: PushNotification): Record<string, unknown> {
  const alert: Record<string, string> = {};
  if (notification.title !== undefined) alert['title'] = notification.title;
  alert['body'] = notification.body;
  const aps: Record<string, unknown> = { alert };
  if (notification.badge !== undefined) aps['badge'] = notification.badge;
  if (notification.sound !== undefined) aps['sound'] = notification.sound;
  return { aps, ...notification.data };
}

/**
 * The FCM HTTP v1 payload as SNS takes it under the `GCM` key:
 * `{ fcmV1Message: { message: { notification: { title?, body }, data?, android?: { notification: { sound?, notification_count? } } } } }`.
 *
 * @param notification - A valid notification.
 * @returns The payload object.
 */
export function buildFcmPayload(notification: PushNotification): Record<string, unknown> {
  const shown: Record<string, string> = {};
  if (notification.title !== undefined) shown['title'] = notification.title;
  shown['body'] = notification.body;
  const message: Record<string, unknown> = { notification: shown };
  if (notification.data !== undefined && Object.keys(notification.data).length > 0) message['data'] = { ...notification.data };
  const android: Record<string, unknown> = {};
  if (notification.sound !== undefined) android['sound'] = notification.sound;
  if (notification.badge !== undefined) android['notification_count'] = notification.badge;
  if (Object.keys(android).length > 0) message['android'] = { notification: android };
  return { fcmV1Message: { message } };
}

/**
 * Builds what to publish to an endpoint of a platform: `MessageStructure: 'json'` with a
 * `default` (the body) and the platform's key (`APNS`, `APNS_SANDBOX` or `GCM`) holding the
 * payload as a JSON string, plus the platform's TTL attribute when `ttlSeconds` is set.
 * Validates the notification and the payload size first.
 *
 * @param platform - The endpoint's platform.
 * @param notification - The notification.
 * @returns The platform message.
 *
 * @example
 * ```ts
 * buildPlatformMessage('APNS', { body: 'Your order shipped', badge: 1 }).message;
 * // '{"default":"Your order shipped","APNS":"{\"aps\":{\"alert\":{\"body\":\"Your order shipped\"},\"badge\":1}}"}'
 * ```
 */
export function buildPlatformMessage(platform: PushPlatform, notification: PushNotification): PlatformMessage {
  validateNotification(notification);
  const payload = JSON.stringify(platform === 'GCM' ? buildFcmPayload(notification) : buildApnsPayload(notification));
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > MAX_PLATFORM_PAYLOAD_BYTES) {
    throw new InvalidNotificationError(
      `The ${platform} payload is ${bytes} bytes; APNs and FCM accept at most ${MAX_PLATFORM_PAYLOAD_BYTES}. Shorten the text or send less data (e.g. an id the app fetches the rest with).`,
    );
  }
  return {
    message: JSON.stringify({ default: notification.body, [platform]: payload }),
    messageStructure: 'json',
    messageAttributes:
      notification.ttlSeconds === undefined
        ? {}
        : { [TTL_ATTRIBUTE[platform]]: { DataType: 'String', StringValue: String(notification.ttlSeconds) } },
  };
}

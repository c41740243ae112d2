import { createHash } from 'node:crypto';
import type { PlatformApplication } from '../platform/platform-application.js';
import { redactToken } from '../redact-token.js';
import type { RegistryContext } from './registry-context.js';
import { InvalidRegistrationError, UnknownPlatformError } from './registry-errors.js';

/** Longest user id, in UTF-8 bytes (it is part of a DynamoDB partition key, which allows 2,048). */
export const MAX_USER_ID_BYTES = 1024;
/** Longest device id, in UTF-8 bytes. */
export const MAX_DEVICE_ID_BYTES = 512;
/** Longest device token, in characters (FCM tokens are about 160; APNs tokens 64 hex digits today). */
export const MAX_TOKEN_LENGTH = 4096;

/** A registration, checked and resolved against the registry's applications. */
export interface ResolvedRegistration {
  /** The user. */
  readonly userId: string;
  /** The device id, if given. */
  readonly deviceId: string | undefined;
  /** The platform name given. */
  readonly platform: string;
  /** Its application. */
  readonly application: PlatformApplication;
  /** The token, in its canonical spelling (APNs: lower-case hex). */
  readonly token: string;
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string;
  /** `id:<deviceId>`, or `token:<first 32 hex of SHA-256(application ARN, token)>`. */
  readonly deviceKey: string;
}

/** Whitespace and control characters: never part of a token or device id. */
const UNPRINTABLE = /[\s\u0000-\u001f\u007f]/;

/**
 * Checks a user id: a non-empty string without control characters, at most 1,024 bytes.
 *
 * @param userId - The user id.
 */
export function validateUserId(userId: string): void {
  if (typeof userId !== 'string' || userId === '' || /[\u0000-\u001f\u007f]/.test(userId) || Buffer.byteLength(userId, 'utf8') > MAX_USER_ID_BYTES) {
    throw new InvalidRegistrationError(`userId must be a non-empty string without control characters, at most ${MAX_USER_ID_BYTES} bytes.`);
  }
}

/**
 * Checks a device id (when given): non-empty, no whitespace or control characters, at most 512 bytes.
 *
 * @param deviceId - The device id, or `undefined`.
 */
export function validateDeviceId(deviceId: string | undefined): void {
  if (deviceId === undefined) return;
  if (typeof deviceId !== 'string' || deviceId === '' || UNPRINTABLE.test(deviceId) || Buffer.byteLength(deviceId, 'utf8') > MAX_DEVICE_ID_BYTES) {
    throw new InvalidRegistrationError(
      `deviceId must be a non-empty string without whitespace or control characters, at most ${MAX_DEVICE_ID_BYTES} bytes (e.g. the app's installation id), or left out.`,
    );
  }
}

function validateToken(token: string, application: PlatformApplication): void {
  if (typeof token !== 'string' || token === '') throw new InvalidRegistrationError('token must be the non-empty device token the push service gave the app.');
  if (token.length > MAX_TOKEN_LENGTH || UNPRINTABLE.test(token)) {
    throw new InvalidRegistrationError(
      `The token ${redactToken(token)} is not a device token: it has whitespace or control characters, or more than ${MAX_TOKEN_LENGTH} characters.`,
    );
  }
  if (application.platform !== 'GCM' && !/^[0-9a-fA-F]+$/.test(token)) {
    throw new InvalidRegistrationError(
      `The APNs token ${redactToken(token)} is not hexadecimal. Send the device token as hex digits (on iOS, ` +
        'map each byte of deviceToken to two hex digits), not its description with spaces or angle brackets.',
    );
  }
}

/**
 * The one spelling of a token the registry keys on and sends to SNS. An APNs token is bytes
 * written as hex, so `AB12…` and `ab12…` are the same device: it is lower-cased (apps format it
 * with `%02x` or `%02X`, and may change between versions). An FCM token is case-sensitive and
 * kept as given.
 *
 * @param token - A valid token.
 * @param application - Its application.
 * @returns The token to use.
 */
export function canonicalToken(token: string, application: PlatformApplication): string {
  return application.platform === 'GCM' ? token : token.toLowerCase();
}

/**
 * SHA-256 (hex) of a token: what the registry stores and keys on instead of the token.
 *
 * @param token - The device token.
 * @returns 64 hex digits.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Checks a registration and resolves its platform.
 *
 * @param context - The registry.
 * @param input - The registration.
 * @returns The resolved registration.
 */
export function resolveRegistration(
  context: RegistryContext,
  input: { userId: string; platform: string; token: string; deviceId?: string | undefined },
): ResolvedRegistration {
  if (typeof input !== 'object' || input === null) throw new InvalidRegistrationError('Pass { userId, platform, token, deviceId? }.');
  validateUserId(input.userId);
  validateDeviceId(input.deviceId);
  const application = context.applications.get(input.platform);
  if (application === undefined) throw new UnknownPlatformError(String(input.platform), [...context.applications.keys()]);
  validateToken(input.token, application);
  const token = canonicalToken(input.token, application);
  if (input.deviceId !== undefined && canonicalToken(input.deviceId, application) === token) {
    // The device id is stored, returned and logged as given: it must not be the token.
    throw new InvalidRegistrationError(
      `The deviceId is the token ${redactToken(token)} itself; device ids are stored and logged in full, tokens never. ` +
        'Pass a stable id of the app installation (e.g. the Firebase installation id, or a UUID the app keeps), or leave it out.',
    );
  }
  const tokenHash = hashToken(token);
  const deviceKey =
    input.deviceId === undefined
      ? `token:${createHash('sha256').update(`${application.arn}\n${token}`, 'utf8').digest('hex').slice(0, 32)}`
      : deviceIdKey(input.deviceId);
  return {
    userId: input.userId,
    deviceId: input.deviceId,
    platform: input.platform,
    application,
    token,
    tokenHash,
    deviceKey,
  };
}

/**
 * The device key of a device registered with a device id.
 *
 * @param deviceId - A valid device id.
 * @returns `id:<deviceId>`.
 */
export function deviceIdKey(deviceId: string): string {
  return `id:${deviceId}`;
}

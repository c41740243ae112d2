/**
 * @herald/push-tokens: SNS mobile push with APNs token-based auth (.p8) and FCM platform
 * applications, a device-token registry that stays valid, and sending to users.
 *
 * @packageDocumentation
 * @module @herald/push-tokens
 */

// Platform applications.
export { type PushPlatform, type PlatformApplication, platformApplicationFromArn } from './platform/platform-application.js';
export {
  createApnsTokenPlatformApplication,
  type ApnsTokenPlatformApplicationOptions,
} from './platform/create-apns-token-platform-application.js';
export { createFcmPlatformApplication, type FcmPlatformApplicationOptions } from './platform/create-fcm-platform-application.js';
export {
  updatePlatformApplicationCredentials,
  type PlatformCredentialsUpdate,
  type ApnsCredentialsUpdate,
  type FcmCredentialsUpdate,
} from './platform/update-platform-application-credentials.js';
export {
  validateApnsSigningKey,
  validateApnsKeyId,
  validateApnsTeamId,
  validateApnsBundleId,
  type ApnsTokenCredentials,
} from './platform/apns-credentials.js';
export { validateFcmServiceAccount } from './platform/fcm-credentials.js';

// The registry.
export {
  createPushRegistry,
  type PushRegistry,
  type PushRegistryOptions,
  type PublishRetryOptions,
  type CustomUserDataInput,
} from './registry/create-push-registry.js';
export {
  type DeviceRegistration,
  type RegistrationResult,
  type EndpointSource,
  type EndpointAttributeName,
  type DeviceRecordKey,
} from './registry/register-device.js';
export {
  type DeviceReference,
  type DeviceIdReference,
  type DeviceTokenReference,
  type UnregisterOptions,
  type UnregisterResult,
} from './registry/unregister-device.js';
export {
  type DeliveryResult,
  type DeliverySent,
  type DeliveryDisabled,
  type DeliverySkipped,
  type DeliveryFailed,
  type SendOptions,
} from './registry/send-to-user.js';
export {
  type SweepOptions,
  type SweepOutcome,
  type SweepDeleted,
  type SweepKept,
  type SweepFailed,
  type SweepReport,
} from './registry/sweep-disabled.js';
export { type RegisteredDevice, type DisabledReason } from './registry/registry-items.js';
export { pushRegistryTableDefinition, DISABLED_DEVICES_INDEX } from './registry/registry-table.js';

// Payloads.
export { type PushNotification } from './payload/push-notification.js';
export {
  buildPlatformMessage,
  buildApnsPayload,
  buildFcmPayload,
  validateNotification,
  type PlatformMessage,
  type StringMessageAttribute,
  TTL_ATTRIBUTE,
  MAX_PLATFORM_PAYLOAD_BYTES,
} from './payload/build-push-message.js';

// Tokens and errors.
export { redactToken } from './redact-token.js';
export {
  InvalidApnsSigningKeyError,
  InvalidApnsKeyIdError,
  InvalidApnsTeamIdError,
  InvalidApnsBundleIdError,
  InvalidFcmServiceAccountError,
  InvalidPlatformApplicationNameError,
  InvalidPlatformApplicationArnError,
  type SigningKeyProblem,
  type ServiceAccountProblem,
} from './credential-errors.js';
export { PushAwsCallError, type Secret } from './aws-call-error.js';
export { InvalidNotificationError } from './payload/invalid-notification-error.js';
export {
  UnknownPlatformError,
  InvalidRegistrationError,
  RegistrationConflictError,
  RegistryItemError,
} from './registry/registry-errors.js';

/**
 * @herald/push-tokens: SNS mobile push with APNs token-based auth (.p8) and FCM platform
 * applications, a device-token registry that stays valid, and sending to users.
 *
 * @packageDocumentation
 * @module @herald/push-tokens
 */
export {};

/** A notification to show on a user's devices, built into each platform's payload by the registry. */
export interface PushNotification {
  /** The title line. Optional. */
  readonly title?: string;
  /** The text shown. Required, non-empty. Also SNS's `default` message. */
  readonly body: string;
  /** The number on the app icon (APNs `aps.badge`; FCM Android `notification_count`). A whole number ≥ 0. */
  readonly badge?: number;
  /** The sound to play, e.g. `default` (APNs `aps.sound`; FCM Android `notification.sound`). */
  readonly sound?: string;
  /**
   * Custom key/value pairs for the app: top-level keys next to `aps` in the APNs payload, the
   * `data` object in the FCM message. Strings only (FCM requires it). Keys FCM reserves
   * (`from`, `notification`, `message_type`, `google…`, `gcm…`) and `aps` are refused.
   */
  readonly data?: Readonly<Record<string, string>>;
  /**
   * How long the push service keeps trying to deliver, in seconds, as SNS's TTL message attribute
   * (`AWS.SNS.MOBILE.APNS.TTL`, `AWS.SNS.MOBILE.APNS_SANDBOX.TTL`, `AWS.SNS.MOBILE.FCM.TTL`). SNS
   * counts it from the publish and passes on what remains. `0` means "now or never" for APNs and
   * FCM. Default: the push service's own (APNs and FCM keep trying for up to four weeks).
   */
  readonly ttlSeconds?: number;
}

/** What the local push service did with one message SNS accepted for a platform endpoint. */
export type LocalPushOutcome =
  /** Handed to the device. */
  | 'delivered'
  /** The push service refused the token (marked with `rejectToken`); SNS disabled the endpoint. */
  | 'rejected';

/** One `Publish` to a platform endpoint that SNS accepted, as the push service saw it. */
export interface LocalPushDelivery {
  /** The `MessageId` SNS returned. */
  readonly messageId: string;
  /** The endpoint published to. */
  readonly endpointArn: string;
  /** The endpoint's platform application. */
  readonly applicationArn: string;
  /** `APNS`, `APNS_SANDBOX`, `GCM`, ... */
  readonly platform: string;
  /** The device token the message went to (a local test token). */
  readonly token: string;
  /** The endpoint's `CustomUserData` at the time, if any. */
  readonly customUserData: string | undefined;
  /**
   * What SNS hands the push service: with `MessageStructure: 'json'`, the value of the
   * platform's key (`APNS`, `APNS_SANDBOX`, `GCM`, ...) or else of `default`; otherwise the message.
   */
  readonly payload: string;
  /** The request's string message attributes (e.g. `AWS.SNS.MOBILE.APNS.TTL`), by name. */
  readonly messageAttributes: Readonly<Record<string, string>>;
  /** What the push service did with it. */
  readonly outcome: LocalPushOutcome;
  /** When SNS accepted it, in epoch ms. */
  readonly at: number;
}

/**
 * Test hooks of the local push service behind the SNS platform handlers, reachable as
 * `local.push` on a running local-aws (and over HTTP, see the README).
 */
export interface LocalPushService {
  /**
   * Makes the push service reject a device token from now on (as APNs answers `410 Unregistered`
   * and FCM `UNREGISTERED` for an app that was uninstalled). Like SNS, local-aws learns this only
   * when it delivers: the next `Publish` to an endpoint with this token is still accepted (HTTP 200,
   * a `MessageId`), is not delivered (its delivery's `outcome` is `'rejected'`), and the endpoint is
   * disabled (`Enabled=false`); publishes after that fail with `EndpointDisabled`. Nothing changes
   * before that publish.
   *
   * @param token - The device token.
   */
  rejectToken(token: string): void;
  /**
   * Makes the push service accept a token again (an app reinstalled on the same device can get
   * its old token back). Endpoints already disabled stay disabled until re-enabled.
   *
   * @param token - The device token.
   */
  acceptToken(token: string): void;
  /** @returns Every message SNS accepted for a platform endpoint since start, in order. */
  deliveries(): readonly LocalPushDelivery[];
  /** Forgets the recorded deliveries. */
  clearDeliveries(): void;
  /**
   * A fingerprint of a platform application's credentials, so tests can check a key rotation
   * without ever reading the key.
   *
   * @param platformApplicationArn - The application's ARN.
   * @returns `PlatformPrincipal` and the SHA-256 (hex) of `PlatformCredential`.
   */
  credentialFingerprint(platformApplicationArn: string): {
    readonly principal: string | undefined;
    readonly credentialSha256: string | undefined;
  };
}

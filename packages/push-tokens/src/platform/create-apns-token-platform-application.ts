import { CreatePlatformApplicationCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PushAwsCallError } from '../aws-call-error.js';
import { apnsTokenAttributes, validateApnsTokenCredentials } from './apns-credentials.js';
import {
  extraApplicationAttributes,
  platformApplicationFromArn,
  type PlatformApplication,
  validatePlatformApplicationName,
} from './platform-application.js';

/** Options of {@link createApnsTokenPlatformApplication}. */
export interface ApnsTokenPlatformApplicationOptions {
  /** A configured SNS client. */
  readonly sns: SNSClient;
  /** Application name: 1 to 256 ASCII letters, digits, `_`, `-` and `.`. */
  readonly name: string;
  /** The text of the `.p8` signing key file (PKCS#8, EC P-256). Never logged or put in an error. */
  readonly signingKey: string;
  /** The signing key's 10-character Key ID. */
  readonly keyId: string;
  /** The 10-character Apple Developer Team ID. */
  readonly teamId: string;
  /** The app's bundle identifier, e.g. `com.example.app`. */
  readonly bundleId: string;
  /** `true` for the APNs sandbox (`APNS_SANDBOX`: development builds), `false` for production (`APNS`). */
  readonly sandbox: boolean;
  /**
   * Other SNS application attributes, e.g. `EventEndpointCreated`, `EventDeliveryFailure`,
   * `SuccessFeedbackRoleArn`. The credential attributes are set from the options above and may not be given here.
   */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * Creates an SNS platform application for APNs with token-based authentication (a `.p8`
 * signing key, which unlike a certificate does not expire yearly and serves every app of the team).
 *
 * Before calling AWS it checks that the key is an unencrypted PKCS#8 EC P-256 private key, that
 * the key id and team id are 10 uppercase letters and digits, and that the bundle id is a
 * reverse-DNS identifier; each problem has its own error. The key never appears in an error or a
 * thrown object's `cause`.
 *
 * SNS sets `PlatformCredential` = the key, `PlatformPrincipal` = the key id,
 * `ApplePlatformTeamID` and `ApplePlatformBundleID`. Calling it again with the same name and
 * sandbox flag returns the same ARN. IAM: `sns:CreatePlatformApplication`.
 *
 * @param options - See {@link ApnsTokenPlatformApplicationOptions}.
 * @returns The application (ARN, platform, name).
 * @throws {@link InvalidApnsSigningKeyError}, {@link InvalidApnsKeyIdError}, {@link InvalidApnsTeamIdError},
 *   {@link InvalidApnsBundleIdError}, {@link InvalidPlatformApplicationNameError}, `TypeError` (a
 *   `sandbox` that is not a boolean) before any call;
 *   {@link PushAwsCallError} when SNS refuses.
 *
 * @example
 * ```ts
 * const ios = await createApnsTokenPlatformApplication({
 *   sns, name: 'shop-ios', signingKey: await readFile('AuthKey_ABCDE12345.p8', 'utf8'),
 *   keyId: 'ABCDE12345', teamId: 'TEAM123456', bundleId: 'com.example.shop', sandbox: false,
 * });
 * ```
 */
export async function createApnsTokenPlatformApplication(options: ApnsTokenPlatformApplicationOptions): Promise<PlatformApplication> {
  validatePlatformApplicationName(options.name);
  validateApnsTokenCredentials(options);
  // Checked, not coerced: a string "false" from a config file would otherwise make a sandbox
  // application, whose production tokens APNs refuses (and SNS then disables every endpoint).
  if (typeof options.sandbox !== 'boolean') {
    throw new TypeError('createApnsTokenPlatformApplication: sandbox must be true (APNS_SANDBOX, development builds) or false (APNS, App Store and TestFlight builds).');
  }
  const extra = extraApplicationAttributes(options.attributes);
  const platform = options.sandbox ? 'APNS_SANDBOX' : 'APNS';
  let arn: string | undefined;
  try {
    const out = await options.sns.send(
      new CreatePlatformApplicationCommand({
        Name: options.name,
        Platform: platform,
        Attributes: { ...extra, ...apnsTokenAttributes(options) },
      }),
    );
    arn = out.PlatformApplicationArn;
  } catch (error) {
    throw new PushAwsCallError('SNS', 'CreatePlatformApplication', error, [{ kind: 'credential', value: options.signingKey }]);
  }
  return platformApplicationFromArn(arn ?? '');
}

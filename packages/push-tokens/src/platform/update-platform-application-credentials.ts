import { SetPlatformApplicationAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PushAwsCallError, type Secret } from '../aws-call-error.js';
import { InvalidPlatformApplicationArnError } from '../credential-errors.js';
import { apnsTokenAttributes, validateApnsTokenCredentials } from './apns-credentials.js';
import { validateFcmServiceAccount } from './fcm-credentials.js';
import { platformApplicationFromArn } from './platform-application.js';

/** New APNs token-auth credentials for an `APNS` or `APNS_SANDBOX` application. */
export interface ApnsCredentialsUpdate {
  /** A configured SNS client. */
  readonly sns: SNSClient;
  /** The application's ARN. */
  readonly platformApplicationArn: string;
  /** The new `.p8` key's text (PKCS#8, EC P-256). */
  readonly signingKey: string;
  /** The new key's 10-character Key ID. */
  readonly keyId: string;
  /** The 10-character Team ID. */
  readonly teamId: string;
  /** The app's bundle identifier. */
  readonly bundleId: string;
}

/** A new service-account key for an FCM (`GCM`) application. */
export interface FcmCredentialsUpdate {
  /** A configured SNS client. */
  readonly sns: SNSClient;
  /** The application's ARN. */
  readonly platformApplicationArn: string;
  /** The new service-account key file's text (JSON). */
  readonly serviceAccountJson: string;
}

/** Options of {@link updatePlatformApplicationCredentials}. */
export type PlatformCredentialsUpdate = ApnsCredentialsUpdate | FcmCredentialsUpdate;

/**
 * Rotates the credentials of an existing platform application in place (its ARN and its
 * endpoints stay): for APNs a new `.p8` key (with its key id, team id and bundle id), for FCM a
 * new service-account key. Validated as on creation before calling AWS; the key never appears
 * in an error. The application's platform must match the credentials given.
 * IAM: `sns:SetPlatformApplicationAttributes`.
 *
 * Apple allows two active keys per team: create the new key, rotate to it, check that pushes
 * still arrive, then revoke the old one.
 *
 * @param update - See {@link ApnsCredentialsUpdate} and {@link FcmCredentialsUpdate}.
 * @throws The same validation errors as the create functions, {@link InvalidPlatformApplicationArnError}
 *   for a non-matching ARN, {@link PushAwsCallError} when SNS refuses.
 */
export async function updatePlatformApplicationCredentials(update: PlatformCredentialsUpdate): Promise<void> {
  const application = platformApplicationFromArn(update.platformApplicationArn);
  let attributes: Record<string, string>;
  let secrets: Secret[];
  if ('serviceAccountJson' in update) {
    if (application.platform !== 'GCM') {
      throw new InvalidPlatformApplicationArnError(
        `A service-account key is for an FCM (GCM) application, but this ARN names an ${application.platform} application.`,
      );
    }
    const credential = validateFcmServiceAccount(update.serviceAccountJson);
    attributes = { PlatformCredential: credential };
    secrets = [
      { kind: 'credential', value: update.serviceAccountJson },
      { kind: 'credential', value: credential },
    ];
  } else {
    if (application.platform === 'GCM') {
      throw new InvalidPlatformApplicationArnError('APNs credentials are for an APNS or APNS_SANDBOX application, but this ARN names a GCM (FCM) application.');
    }
    validateApnsTokenCredentials(update);
    attributes = apnsTokenAttributes(update);
    secrets = [{ kind: 'credential', value: update.signingKey }];
  }
  try {
    await update.sns.send(new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: application.arn, Attributes: attributes }));
  } catch (error) {
    throw new PushAwsCallError('SNS', 'SetPlatformApplicationAttributes', error, secrets);
  }
}

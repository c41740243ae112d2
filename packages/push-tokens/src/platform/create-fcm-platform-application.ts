import { CreatePlatformApplicationCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PushAwsCallError } from '../aws-call-error.js';
import { validateFcmServiceAccount } from './fcm-credentials.js';
import {
  extraApplicationAttributes,
  platformApplicationFromArn,
  type PlatformApplication,
  validatePlatformApplicationName,
} from './platform-application.js';

/** Options of {@link createFcmPlatformApplication}. */
export interface FcmPlatformApplicationOptions {
  /** A configured SNS client. */
  readonly sns: SNSClient;
  /** Application name: 1 to 256 ASCII letters, digits, `_`, `-` and `.`. */
  readonly name: string;
  /**
   * The text of the Firebase project's service-account key file (JSON), for the FCM HTTP v1
   * API. Never logged or put in an error.
   */
  readonly serviceAccountJson: string;
  /** Other SNS application attributes (event topics, feedback roles...). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * Creates an SNS platform application for Firebase Cloud Messaging (SNS platform `GCM`) with a
 * service-account key, which SNS uses for the FCM HTTP v1 API (the legacy server-key API is
 * shut down). The key is checked before calling AWS and never appears in an error.
 * IAM: `sns:CreatePlatformApplication`.
 *
 * @param options - See {@link FcmPlatformApplicationOptions}.
 * @returns The application (ARN, platform `GCM`, name).
 * @throws {@link InvalidFcmServiceAccountError} or {@link InvalidPlatformApplicationNameError}
 *   before any call; {@link PushAwsCallError} when SNS refuses.
 */
export async function createFcmPlatformApplication(options: FcmPlatformApplicationOptions): Promise<PlatformApplication> {
  validatePlatformApplicationName(options.name);
  const credential = validateFcmServiceAccount(options.serviceAccountJson);
  const extra = extraApplicationAttributes(options.attributes);
  let arn: string | undefined;
  try {
    const out = await options.sns.send(
      new CreatePlatformApplicationCommand({
        Name: options.name,
        Platform: 'GCM',
        Attributes: { ...extra, PlatformCredential: credential },
      }),
    );
    arn = out.PlatformApplicationArn;
  } catch (error) {
    throw new PushAwsCallError('SNS', 'CreatePlatformApplication', error, [
      { kind: 'credential', value: options.serviceAccountJson },
      { kind: 'credential', value: credential },
    ]);
  }
  return platformApplicationFromArn(arn ?? '');
}

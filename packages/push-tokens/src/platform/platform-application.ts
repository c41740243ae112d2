import { InvalidPlatformApplicationArnError, InvalidPlatformApplicationNameError } from '../credential-errors.js';

/** The SNS platforms this package works with: APNs production, APNs sandbox, and FCM (`GCM` in SNS). */
export type PushPlatform = 'APNS' | 'APNS_SANDBOX' | 'GCM';

/** An SNS platform application. */
export interface PlatformApplication {
  /** Its ARN, `arn:aws:sns:<region>:<account>:app/<platform>/<name>`. */
  readonly arn: string;
  /** `APNS`, `APNS_SANDBOX` or `GCM`. */
  readonly platform: PushPlatform;
  /** Its name. */
  readonly name: string;
}

const APPLICATION_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:app\/(APNS|APNS_SANDBOX|GCM)\/([A-Za-z0-9_.-]{1,256})$/;
const APPLICATION_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

/**
 * Reads a platform application from its ARN.
 *
 * @param arn - `arn:aws:sns:<region>:<account>:app/<APNS|APNS_SANDBOX|GCM>/<name>`.
 * @returns The application. Throws {@link InvalidPlatformApplicationArnError} for anything else.
 */
export function platformApplicationFromArn(arn: string): PlatformApplication {
  const match = typeof arn === 'string' ? APPLICATION_ARN.exec(arn) : null;
  if (match === null) {
    throw new InvalidPlatformApplicationArnError(
      'Expected the ARN of an SNS platform application for APNs, the APNs sandbox or FCM, ' +
        '"arn:aws:sns:<region>:<account>:app/<APNS|APNS_SANDBOX|GCM>/<name>", as CreatePlatformApplication returns it.',
    );
  }
  return { arn, platform: match[1] as PushPlatform, name: match[2] ?? '' };
}

/**
 * Checks a platform application name: 1 to 256 ASCII letters, digits, underscores, hyphens and
 * periods. Throws {@link InvalidPlatformApplicationNameError}.
 *
 * @param name - The name.
 */
export function validatePlatformApplicationName(name: string): void {
  if (typeof name !== 'string' || !APPLICATION_NAME.test(name)) throw new InvalidPlatformApplicationNameError(String(name));
}

/** SNS attributes the credential functions set themselves; `attributes` may not override them. */
const CREDENTIAL_ATTRIBUTES = new Set(['PlatformCredential', 'PlatformPrincipal', 'ApplePlatformTeamID', 'ApplePlatformBundleID']);

/**
 * Checks the extra attributes given for an application (event topics, feedback roles...).
 *
 * @param attributes - Extra attributes.
 * @returns A copy. Throws `TypeError` when they try to set a credential attribute.
 */
export function extraApplicationAttributes(attributes: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (CREDENTIAL_ATTRIBUTES.has(key)) {
      throw new TypeError(`attributes may not set ${key}: pass the credentials as their own options, so they are validated.`);
    }
    extra[key] = value;
  }
  return extra;
}

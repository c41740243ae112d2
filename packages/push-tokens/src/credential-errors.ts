import { HeraldError } from '@herald/core';

/** Why a signing key was refused: see {@link InvalidApnsSigningKeyError}. */
export type SigningKeyProblem =
  /** Missing, or not a string (e.g. a `Buffer` from `readFile` without an encoding). */
  | 'not-string'
  /** Empty, or only whitespace. */
  | 'empty'
  /** Not PEM text (`-----BEGIN ...-----`). */
  | 'not-pem'
  /** PEM, but not an unencrypted PKCS#8 private key (`BEGIN PRIVATE KEY`). */
  | 'not-pkcs8'
  /** Says PKCS#8 (`BEGIN PRIVATE KEY`) but does not parse: truncated, or its line breaks lost, escaped or indented. */
  | 'unreadable'
  /** A private key, but not an elliptic-curve key. */
  | 'not-ec'
  /** An EC key on another curve than P-256. */
  | 'wrong-curve';

const SIGNING_KEY_ADVICE: Record<SigningKeyProblem, string> = {
  'not-string': "it is missing or not a string (read the .p8 file as text, e.g. readFile(path, 'utf8'))",
  empty: 'it is empty',
  'not-pem': 'it is not PEM text (expected the -----BEGIN PRIVATE KEY----- block of the .p8 file)',
  'not-pkcs8':
    'it is PEM, but not an unencrypted PKCS#8 private key (expected -----BEGIN PRIVATE KEY-----, as in the .p8 file Apple gives)',
  unreadable:
    'it looks like a PKCS#8 key but does not parse (is the text truncated, or were its line breaks lost, written as the two characters \\n, or its lines indented?)',
  'not-ec': 'it is a private key, but not an elliptic-curve key',
  'wrong-curve': 'it is an elliptic-curve key, but not on the P-256 curve',
};

/**
 * The APNs signing key (the text of the `.p8` file) is not a PKCS#8 EC private key on the
 * P-256 curve. Raised before any AWS call. The message never contains the key, and there is
 * no `cause` (the parser's error is not kept).
 */
export class InvalidApnsSigningKeyError extends HeraldError {
  /** What is wrong with the key. */
  readonly problem: SigningKeyProblem;

  /** @param problem - What is wrong with the key. */
  constructor(problem: SigningKeyProblem) {
    super(
      'InvalidApnsSigningKey',
      `The APNs signing key was refused: ${SIGNING_KEY_ADVICE[problem]}. Pass the whole text of the AuthKey_<KeyID>.p8 file ` +
        'downloaded from your Apple Developer account (Certificates, Identifiers & Profiles → Keys).',
    );
    this.problem = problem;
  }
}

/** Describes a value given where a string was expected, if it is not one: `is missing`, `is not a string (a number)`. */
function describeNonString(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is missing';
  if (typeof value !== 'string') return `is not a string (${Buffer.isBuffer(value) ? 'a Buffer' : `a ${typeof value}`})`;
  return undefined;
}

/** Describes a value that should be 10 uppercase letters and digits, without showing it. */
function describeTenCharacterId(value: unknown): string {
  if (typeof value !== 'string') return describeNonString(value) ?? '';
  const parts: string[] = [`has ${value.length} characters`];
  if (/[a-z]/.test(value)) parts.push('lower-case letters');
  if (/[^A-Za-z0-9]/.test(value)) parts.push('characters other than letters and digits');
  return parts.join(', ');
}

/**
 * The APNs key id is not 10 uppercase letters and digits (the Key ID shown next to the key in
 * the Apple Developer account, also in the `.p8` file name). Raised before any AWS call.
 */
export class InvalidApnsKeyIdError extends HeraldError {
  /** @param keyId - The refused value (only described in the message, never shown). */
  constructor(keyId: unknown) {
    super(
      'InvalidApnsKeyId',
      `The APNs key id must be the 10-character Key ID of the signing key (uppercase letters and digits, as in ` +
        `AuthKey_<KeyID>.p8); the value given ${describeTenCharacterId(keyId)}.`,
    );
  }
}

/**
 * The Apple team id is not 10 uppercase letters and digits (the Team ID in the Apple Developer
 * account's Membership details). Raised before any AWS call.
 */
export class InvalidApnsTeamIdError extends HeraldError {
  /** @param teamId - The refused value (only described in the message, never shown). */
  constructor(teamId: unknown) {
    super(
      'InvalidApnsTeamId',
      `The Apple team id must be the 10-character Team ID of your Apple Developer account (uppercase letters and ` +
        `digits); the value given ${describeTenCharacterId(teamId)}.`,
    );
  }
}

/**
 * The bundle id is not a reverse-DNS identifier (`com.example.app`: two or more dot-separated
 * parts of letters, digits and hyphens, at most 155 characters). Raised before any AWS call.
 */
export class InvalidApnsBundleIdError extends HeraldError {
  /** @param bundleId - The refused value (only described in the message, never shown). */
  constructor(bundleId: unknown) {
    super(
      'InvalidApnsBundleId',
      `The bundle id must be the app's reverse-DNS bundle identifier, like com.example.app: two or more parts ` +
        `separated by dots, each of letters, digits and hyphens, at most 155 characters; the value given ` +
        `${describeNonString(bundleId) ?? `has ${String(bundleId).length} characters`}.`,
    );
  }
}

/** Why an FCM service-account key was refused: see {@link InvalidFcmServiceAccountError}. */
export type ServiceAccountProblem =
  /** Not a JSON object. */
  | 'not-json'
  /** `type` is not `service_account`. */
  | 'not-service-account'
  /** `project_id`, `client_email` or `private_key` missing or not a non-empty string. */
  | 'missing-field'
  /** `private_key` is not a PKCS#8 private key. */
  | 'unreadable-private-key';

const SERVICE_ACCOUNT_ADVICE: Record<ServiceAccountProblem, string> = {
  'not-json': 'it is not a JSON object',
  'not-service-account': 'its "type" is not "service_account"',
  'missing-field': 'it lacks one of "project_id", "client_email" and "private_key"',
  'unreadable-private-key': 'its "private_key" is not a PKCS#8 private key in PEM',
};

/**
 * The FCM credential is not a Google service-account key file (the JSON from Firebase console →
 * Project settings → Service accounts → Generate new private key), which SNS needs for the FCM
 * HTTP v1 API. Raised before any AWS call; the message never contains the key.
 */
export class InvalidFcmServiceAccountError extends HeraldError {
  /** What is wrong with it. */
  readonly problem: ServiceAccountProblem;

  /** @param problem - What is wrong with it. */
  constructor(problem: ServiceAccountProblem) {
    super(
      'InvalidFcmServiceAccount',
      `The FCM service-account key was refused: ${SERVICE_ACCOUNT_ADVICE[problem]}. Pass the text of the JSON key file ` +
        'generated for the Firebase project (Project settings → Service accounts → Generate new private key).',
    );
    this.problem = problem;
  }
}

/**
 * A platform application name SNS would refuse: 1 to 256 characters of ASCII letters, digits,
 * underscores, hyphens and periods. Raised before any AWS call.
 */
export class InvalidPlatformApplicationNameError extends HeraldError {
  /** @param name - The refused name. */
  constructor(name: string) {
    super(
      'InvalidPlatformApplicationName',
      `The platform application name "${name.slice(0, 64)}${name.length > 64 ? '…' : ''}" is not valid: use 1 to 256 ` +
        'characters of ASCII letters, digits, underscores, hyphens and periods.',
    );
  }
}

/**
 * Not the ARN of an APNs, APNs sandbox or FCM (`GCM`) platform application
 * (`arn:aws:sns:<region>:<account>:app/<APNS|APNS_SANDBOX|GCM>/<name>`), or the ARN of another
 * platform than the credentials given for it.
 */
export class InvalidPlatformApplicationArnError extends HeraldError {
  /** @param message - What is wrong and what to pass instead. */
  constructor(message: string) {
    super('InvalidPlatformApplicationArn', message);
  }
}

import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  InvalidApnsBundleIdError,
  InvalidApnsKeyIdError,
  InvalidApnsSigningKeyError,
  InvalidApnsTeamIdError,
} from '../credential-errors.js';

/** APNs token-auth credentials, as Apple issues them. */
export interface ApnsTokenCredentials {
  /** The text of the `.p8` file: a PKCS#8 EC private key on P-256, PEM. */
  readonly signingKey: string;
  /** The 10-character Key ID of the signing key. */
  readonly keyId: string;
  /** The 10-character Team ID of the Apple Developer account. */
  readonly teamId: string;
  /** The app's bundle identifier, e.g. `com.example.app`. */
  readonly bundleId: string;
}

const TEN_CHARACTER_ID = /^[A-Z0-9]{10}$/;
/** Labelled as PKCS#8 (whatever lies between the labels). */
const PKCS8_LABELS = /^-----BEGIN PRIVATE KEY-----[\s\S]*-----END PRIVATE KEY-----/;
/** PKCS#8 PEM as written: base64 lines between the labels. */
const PKCS8_PEM = /^-----BEGIN PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PRIVATE KEY-----\s*$/;
const ANY_PEM = /-----BEGIN [A-Z0-9 ]+-----/;
/** Apple: letters, digits, hyphens and periods; reverse-DNS, so two or more parts. */
const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const MAX_BUNDLE_ID_LENGTH = 155;

/**
 * Checks that text is an APNs signing key: an unencrypted PKCS#8 private key in PEM, elliptic
 * curve, on P-256 (`prime256v1`), which is what Apple's `.p8` files hold. Surrounding
 * whitespace is allowed. Throws {@link InvalidApnsSigningKeyError} (never carrying the key or
 * the parser's error).
 *
 * @param signingKey - The `.p8` file's text.
 */
export function validateApnsSigningKey(signingKey: string): void {
  if (typeof signingKey !== 'string') throw new InvalidApnsSigningKeyError('not-string');
  const text = signingKey.trim();
  if (text === '') throw new InvalidApnsSigningKeyError('empty');
  if (!ANY_PEM.test(text)) throw new InvalidApnsSigningKeyError('not-pem');
  if (!PKCS8_LABELS.test(text)) throw new InvalidApnsSigningKeyError('not-pkcs8');
  // The right labels around a body that is not base64 lines: line breaks lost, escaped as `\n`
  // (an environment variable) or indented (YAML). Node would refuse it too; say why.
  if (!PKCS8_PEM.test(text)) throw new InvalidApnsSigningKeyError('unreadable');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    // The parser's error is dropped on purpose: nothing of the key may travel in a cause.
    throw new InvalidApnsSigningKeyError('unreadable');
  }
  if (key.asymmetricKeyType !== 'ec') throw new InvalidApnsSigningKeyError('not-ec');
  if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new InvalidApnsSigningKeyError('wrong-curve');
}

/**
 * Checks an APNs Key ID: 10 uppercase letters and digits. Throws {@link InvalidApnsKeyIdError}.
 *
 * @param keyId - The Key ID.
 */
export function validateApnsKeyId(keyId: string): void {
  if (typeof keyId !== 'string' || !TEN_CHARACTER_ID.test(keyId)) throw new InvalidApnsKeyIdError(keyId);
}

/**
 * Checks an Apple Team ID: 10 uppercase letters and digits. Throws {@link InvalidApnsTeamIdError}.
 *
 * @param teamId - The Team ID.
 */
export function validateApnsTeamId(teamId: string): void {
  if (typeof teamId !== 'string' || !TEN_CHARACTER_ID.test(teamId)) throw new InvalidApnsTeamIdError(teamId);
}

/**
 * Checks a bundle identifier: reverse-DNS (two or more dot-separated parts of letters, digits
 * and hyphens), at most 155 characters. Throws {@link InvalidApnsBundleIdError}.
 *
 * @param bundleId - The bundle identifier.
 */
export function validateApnsBundleId(bundleId: string): void {
  if (typeof bundleId !== 'string' || bundleId.length > MAX_BUNDLE_ID_LENGTH || !BUNDLE_ID.test(bundleId)) {
    throw new InvalidApnsBundleIdError(bundleId);
  }
}

/**
 * Checks all four APNs token-auth credentials, the key first.
 *
 * @param credentials - The credentials.
 */
export function validateApnsTokenCredentials(credentials: ApnsTokenCredentials): void {
  validateApnsSigningKey(credentials.signingKey);
  validateApnsKeyId(credentials.keyId);
  validateApnsTeamId(credentials.teamId);
  validateApnsBundleId(credentials.bundleId);
}

/**
 * The SNS attributes of an APNs token-auth platform application.
 *
 * @param credentials - Validated credentials.
 * @returns `PlatformCredential` (the key), `PlatformPrincipal` (the key id),
 *   `ApplePlatformTeamID` and `ApplePlatformBundleID`.
 */
export function apnsTokenAttributes(credentials: ApnsTokenCredentials): Record<string, string> {
  return {
    PlatformCredential: credentials.signingKey.trim(),
    PlatformPrincipal: credentials.keyId,
    ApplePlatformTeamID: credentials.teamId,
    ApplePlatformBundleID: credentials.bundleId,
  };
}

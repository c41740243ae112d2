import { HeraldError } from '@herald/core';
import { redactToken } from '../redact-token.js';

/** Longest platform name an error shows as given; a longer value may be a token passed in its place. */
const MAX_SHOWN_PLATFORM_LENGTH = 32;

/**
 * `register` or `unregister` named a platform that is not a key of the registry's
 * `platformApplications` (e.g. `'ios'`, `'android'`). Not retryable.
 */
export class UnknownPlatformError extends HeraldError {
  /**
   * The platform name given; redacted like a token (`…` and its last 6 characters) when longer
   * than 32 characters, which no platform name is but a token passed in its place would be.
   */
  readonly platform: string;

  /**
   * @param platform - The platform name given.
   * @param known - The names the registry knows.
   */
  constructor(platform: string, known: readonly string[]) {
    const looksLikeName = platform.length <= MAX_SHOWN_PLATFORM_LENGTH;
    const shown = looksLikeName ? platform : redactToken(platform);
    super(
      'UnknownPushPlatform',
      `No platform application is configured for platform "${shown}"` +
        (looksLikeName ? '' : ` (a value of ${platform.length} characters, shown redacted: is a token passed as the platform?)`) +
        `; this registry knows ${known.map((k) => `"${k}"`).join(', ')}. Add it to platformApplications, or pass one of those names.`,
    );
    this.platform = shown;
  }
}

/**
 * A registration (or device reference) the registry cannot store: an empty or over-long user
 * id, device id or token, or a token of the wrong form for its platform. Not retryable. Tokens
 * appear in the message only redacted.
 */
export class InvalidRegistrationError extends HeraldError {
  /** @param message - What is wrong and what to pass instead. */
  constructor(message: string) {
    super('InvalidPushRegistration', message);
  }
}

/**
 * Other registrations of the same device or token kept changing the registry while `register`
 * or `unregister` tried to write (every attempt's conditional write lost a race). Retryable:
 * the next call reads the new state.
 */
export class RegistrationConflictError extends HeraldError {
  /** @param attempts - How many times the write was tried. */
  constructor(attempts: number) {
    super(
      'PushRegistrationConflict',
      `Concurrent registrations of the same device or token changed the registry during each of ${attempts} attempts; retry the call.`,
      { retryable: true },
    );
  }
}

/**
 * The registry table holds an item the registry did not write (an attribute missing or of the
 * wrong type). Is the table shared with other data? Not retryable.
 */
export class RegistryItemError extends HeraldError {
  /** @param message - Which item and what is wrong with it. */
  constructor(message: string) {
    super('PushRegistryItemInvalid', message);
  }
}

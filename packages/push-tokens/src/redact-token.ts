/** How many trailing characters of a token a redacted form keeps. */
export const REDACTED_TOKEN_SUFFIX_LENGTH = 6;

/**
 * A device token as it may appear in logs, errors and stored records: `…` and its last 6
 * characters (`…3f9a2c`). Tokens of 12 characters or fewer (never a real APNs or FCM token)
 * are hidden completely, so that no short test token is shown whole.
 *
 * @param token - The device token.
 * @returns The redacted form.
 *
 * @example
 * ```ts
 * redactToken('740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad'); // '…bb78ad'
 * ```
 */
export function redactToken(token: string): string {
  if (token.length <= 2 * REDACTED_TOKEN_SUFFIX_LENGTH) return '…';
  return `…${token.slice(-REDACTED_TOKEN_SUFFIX_LENGTH)}`;
}

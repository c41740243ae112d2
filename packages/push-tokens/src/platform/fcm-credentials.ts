import { createPrivateKey } from 'node:crypto';
import { InvalidFcmServiceAccountError } from '../credential-errors.js';

/**
 * Checks an FCM credential for SNS's FCM HTTP v1 support: the JSON text of a Google
 * service-account key file (`type: "service_account"`, `project_id`, `client_email`, and a
 * PKCS#8 `private_key`). Throws {@link InvalidFcmServiceAccountError}, never carrying the key.
 *
 * @param serviceAccountJson - The key file's text.
 * @returns The text, normalized to compact JSON (what SNS expects as `PlatformCredential`).
 */
export function validateFcmServiceAccount(serviceAccountJson: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(serviceAccountJson);
  } catch {
    throw new InvalidFcmServiceAccountError('not-json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidFcmServiceAccountError('not-json');
  const fields = parsed as Record<string, unknown>;
  if (fields['type'] !== 'service_account') throw new InvalidFcmServiceAccountError('not-service-account');
  for (const name of ['project_id', 'client_email', 'private_key']) {
    const value = fields[name];
    if (typeof value !== 'string' || value.trim() === '') throw new InvalidFcmServiceAccountError('missing-field');
  }
  try {
    createPrivateKey({ key: String(fields['private_key']), format: 'pem' });
  } catch {
    throw new InvalidFcmServiceAccountError('unreadable-private-key');
  }
  return JSON.stringify(parsed);
}

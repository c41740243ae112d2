import { createHash } from 'node:crypto';
import { stableStringify } from './stable-stringify.js';

/**
 * Hex SHA-256 of {@link stableStringify}`(value)`: the same for values that are equal as JSON,
 * whatever their key order. Used to detect a changed payload under the same idempotency key.
 *
 * @throws TypeError for the values `stableStringify` rejects (cycles, BigInt, Maps and Sets,
 *   top-level undefined).
 *
 * @example
 * ```ts
 * hashPayload({ a: 1, b: 2 }) === hashPayload({ b: 2, a: 1 }); // true
 * ```
 */
export function hashPayload(value: unknown): string {
  return createHash('sha256').update(stableStringify(value), 'utf8').digest('hex');
}

import type { FilterPolicyOptions, FilterPolicyValidation } from './filter-policy-types.js';
import { readFilterPolicy, scopeOf } from './read-filter-policy.js';

/**
 * Checks a filter policy for everything SNS would refuse at `Subscribe` or
 * `SetSubscriptionAttributes`, without throwing: JSON that does not parse, values that are not
 * lists, empty lists, unknown operators, malformed `numeric`, `cidr`, `wildcard` and
 * `anything-but` values, nesting in MessageAttributes scope, more than 5 keys, more than 150
 * value combinations, more than 256 KiB. Each problem has a JSON Pointer `path` and SNS's wording.
 *
 * Warnings name what SNS accepts but compares differently from how it reads: numbers beyond
 * ±1e9 or with more than 5 decimals, and wildcard values AWS may find too complex.
 *
 * @param policy - The policy, as an object or JSON text.
 * @param options - `scope` (default `'MessageAttributes'`).
 * @returns `valid`, `problems`, `warnings`, and the policy's `combinations` and `keyCount`.
 * @throws TypeError for an unknown scope.
 *
 * @example
 * ```ts
 * validateFilterPolicy({ store: [] }).problems; // [{ path: '/store', message: 'Empty arrays are not allowed' }]
 * ```
 */
export function validateFilterPolicy(policy: unknown, options?: FilterPolicyOptions): FilterPolicyValidation {
  return readFilterPolicy(policy, scopeOf(options)).validation;
}

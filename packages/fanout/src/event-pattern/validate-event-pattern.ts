import type { PatternValidation } from '../matching/pattern-problem.js';
import { readEventPattern } from './read-event-pattern.js';

/**
 * Checks an event pattern for everything EventBridge would refuse at `PutRule` or
 * `TestEventPattern`, without throwing: JSON that does not parse, a pattern that is not an
 * object, empty objects and lists, values that are not lists, unknown operators, malformed
 * `numeric` (also bounds beyond ±5e9), `cidr`, `wildcard` and `anything-but` values, malformed
 * `$or`. Each problem has a JSON Pointer `path` and EventBridge's wording.
 *
 * Warnings name what EventBridge accepts but compares differently from how it reads: numbers
 * with more than 6 decimals, and wildcard values it may find too complex.
 *
 * @param pattern - The pattern, as an object or JSON text.
 * @returns `valid`, `problems` and `warnings`.
 *
 * @example
 * ```ts
 * validateEventPattern({ detail: { 'c-count': [{ numeric: ['>', 0, '>', 5] }] } }).problems;
 * // [{ path: '/detail/c-count/0/numeric/2', message: 'Bad numeric range operator: >' }]
 * ```
 */
export function validateEventPattern(pattern: unknown): PatternValidation {
  return readEventPattern(pattern).validation;
}

import type { NumericExpression } from '../filter-policy/filter-policy-types.js';

/** A value an event pattern matches exactly: a string, a number (compared numerically), `true`, `false` or `null`. */
export type EventPatternMatchValue = string | number | boolean | null;

/**
 * What `anything-but` excludes in an event pattern: one string or number, a list of strings or
 * of numbers (not mixed), or `prefix`, `suffix`, `wildcard` or `equals-ignore-case` with one
 * string or a list of them.
 */
export type EventPatternAnythingBut =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: string | readonly string[] }
  | { readonly suffix: string | readonly string[] }
  | { readonly wildcard: string | readonly string[] }
  | { readonly 'equals-ignore-case': string | readonly string[] };

/** One value of an event pattern field's list; the field matches when any of its values does. */
export type EventPatternCondition =
  | EventPatternMatchValue
  | { readonly prefix: string | { readonly 'equals-ignore-case': string } }
  | { readonly suffix: string | { readonly 'equals-ignore-case': string } }
  | { readonly 'equals-ignore-case': string }
  | { readonly wildcard: string }
  | { readonly 'anything-but': EventPatternAnythingBut }
  | { readonly numeric: NumericExpression }
  | { readonly exists: boolean }
  | { readonly cidr: string };

/**
 * An EventBridge event pattern, as an object: it has the shape of the events it matches, with a
 * list of accepted values at each leaf. `$or` takes a list of alternative patterns.
 *
 * @example
 * ```ts
 * const pattern: EventPattern = {
 *   source: ['aws.ec2'],
 *   'detail-type': ['EC2 Instance State-change Notification'],
 *   detail: { state: [{ 'anything-but': 'pending' }] },
 * };
 * ```
 */
export interface EventPattern {
  /**
   * A field's accepted values, a nested pattern, or (for `$or`) the alternatives. A key whose
   * value is `undefined` is ignored, as `JSON.stringify` leaves it out (so interfaces extending
   * this one may have optional fields).
   */
  readonly [key: string]: readonly EventPatternCondition[] | EventPattern | readonly EventPattern[] | undefined;
}

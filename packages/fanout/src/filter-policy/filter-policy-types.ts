import type { PatternValidation } from '../matching/pattern-problem.js';

/**
 * What a subscription's filter policy is evaluated against: the message attributes (SNS's
 * default) or the message body, which must then be a JSON object.
 */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/**
 * The value of a `numeric` operator: one comparison (`["=", 301.5]`, `["<", 10]`, `[">=", 0]`)
 * or a range with a lower and an upper bound (`[">", 0, "<=", 5]`).
 */
export type NumericExpression =
  | readonly ['=', number]
  | readonly ['<' | '<=' | '>' | '>=', number]
  | readonly ['>' | '>=', number, '<' | '<=', number];

/** A value matched exactly: a string, a number (compared numerically), `true`, `false` or `null`. */
export type FilterPolicyMatchValue = string | number | boolean | null;

/**
 * What `anything-but` excludes in an SNS filter policy: one string or number, a list of strings or
 * of numbers (not mixed), or one `prefix`, `suffix` or `wildcard`.
 */
export type FilterPolicyAnythingBut =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly wildcard: string };

/** One value of a filter policy key's list; the key matches when any of its values does. */
export type FilterPolicyCondition =
  | FilterPolicyMatchValue
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string }
  | { readonly wildcard: string }
  | { readonly 'anything-but': FilterPolicyAnythingBut }
  | { readonly numeric: NumericExpression }
  | { readonly exists: boolean }
  | { readonly cidr: string };

/** The list of a filter policy key: one or more conditions, any of which may match (never empty). */
export type FilterPolicyValues = readonly FilterPolicyCondition[];

/**
 * An SNS subscription filter policy, as an object. Each key names a message attribute
 * (MessageAttributes scope) or a body property (MessageBody scope, where objects nest); its list
 * holds the values it accepts. `$or` takes a list of alternative policies.
 *
 * @example
 * ```ts
 * const policy: FilterPolicy = {
 *   store: ['example_corp'],
 *   price_usd: [{ numeric: ['>=', 100] }],
 *   $or: [{ event: ['order_placed'] }, { priority: [{ exists: true }] }],
 * };
 * ```
 */
export interface FilterPolicy {
  /**
   * A key's accepted values, a nested policy (MessageBody scope), or (for `$or`) the
   * alternatives. A key whose value is `undefined` is ignored, as `JSON.stringify` leaves it out.
   */
  readonly [key: string]: FilterPolicyValues | FilterPolicy | readonly FilterPolicy[] | undefined;
}

/** A message attribute as given to SNS `Publish` (the AWS SDK's `MessageAttributeValue`). */
export interface FilterPolicyMessageAttribute {
  /** `String`, `Number`, `String.Array` or `Binary`, optionally with a custom label (`Number.float`). */
  readonly DataType: string;
  /** The value of String, Number and String.Array attributes (a String.Array's is JSON array text). */
  readonly StringValue?: string;
  /** The value of Binary attributes (SNS's filtering ignores them). */
  readonly BinaryValue?: Uint8Array;
}

/** What a filter policy is evaluated against. */
export interface FilterPolicyMessage {
  /**
   * Message attributes as given to SNS `Publish`:
   * `{ [name]: { DataType: 'String' | 'Number' | 'String.Array' | 'Binary' | 'String.xyz' | ..., StringValue?, BinaryValue? } }`.
   */
  readonly attributes?: Readonly<Record<string, FilterPolicyMessageAttribute>>;
  /** The message body: JSON text, or an already-parsed value (MessageBody scope). */
  readonly body?: unknown;
}

/** Options of the filter policy functions. */
export interface FilterPolicyOptions {
  /** What the policy is evaluated against. Default `'MessageAttributes'`, as for SNS subscriptions. */
  readonly scope?: FilterPolicyScope;
}

/**
 * The result of {@link validateFilterPolicy}: the problems SNS would refuse the policy for, plus
 * the two sizes SNS limits.
 */
export interface FilterPolicyValidation extends PatternValidation {
  /**
   * The policy's value combinations as SNS counts them (at most 150): the product, over its
   * keys, of the number of values times the key's nesting depth; `$or` adds its branches.
   */
  readonly combinations: number;
  /**
   * The keys SNS counts against its limit of 5: every attribute name (MessageAttributes scope) or
   * the top-level keys only (MessageBody scope), including those in top-level `$or` branches.
   */
  readonly keyCount: number;
}

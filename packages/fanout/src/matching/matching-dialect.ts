/**
 * Where SNS filter policies and EventBridge event patterns differ, as data, so one reader and one
 * evaluator serve both. Everything not named here is the same for both services.
 */
export interface MatchingDialect {
  /** `'sns'` or `'eventbridge'`, for wording. */
  readonly service: 'sns' | 'eventbridge';
  /** Largest magnitude of a number in a `numeric` or numeric `anything-but` that the service accepts (EventBridge: 5e9), or none. */
  readonly numericLimit: number | undefined;
  /** Range and decimals the service compares numbers with; beyond them a warning is given. */
  readonly numericPrecision: { readonly limit: number; readonly decimals: number };
  /** Operators allowed inside `anything-but: { ... }`. */
  readonly anythingButOperators: ReadonlySet<string>;
  /** Whether those operators take a list of values as well as one value (EventBridge). */
  readonly anythingButOperatorLists: boolean;
  /** Whether `prefix` and `suffix` take `{ "equals-ignore-case": "..." }` (EventBridge). */
  readonly caseInsensitivePrefixSuffix: boolean;
  /**
   * Whether `exists: true` needs a value that is neither `null` nor `""` (SNS, as its guide says:
   * "The key must have a non-null and non-empty value"). EventBridge counts any leaf value.
   */
  readonly existsNeedsNonEmptyValue: boolean;
  /** A wildcard value with more `*` than this is refused as too complex (an approximation; see the README). */
  readonly maxWildcards: number;
}

/** SNS filter policies. */
export const SNS_DIALECT: MatchingDialect = {
  service: 'sns',
  numericLimit: undefined,
  numericPrecision: { limit: 1e9, decimals: 5 },
  anythingButOperators: new Set(['prefix', 'suffix', 'wildcard']),
  anythingButOperatorLists: false,
  caseInsensitivePrefixSuffix: false,
  existsNeedsNonEmptyValue: true,
  maxWildcards: 5,
};

/** EventBridge event patterns. */
export const EVENTBRIDGE_DIALECT: MatchingDialect = {
  service: 'eventbridge',
  numericLimit: 5e9,
  numericPrecision: { limit: 5e9, decimals: 6 },
  anythingButOperators: new Set(['prefix', 'suffix', 'wildcard', 'equals-ignore-case']),
  anythingButOperatorLists: true,
  caseInsensitivePrefixSuffix: true,
  existsNeedsNonEmptyValue: false,
  maxWildcards: 5,
};

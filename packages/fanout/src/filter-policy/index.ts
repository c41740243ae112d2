export type {
  FilterPolicy,
  FilterPolicyAnythingBut,
  FilterPolicyCondition,
  FilterPolicyMatchValue,
  FilterPolicyMessage,
  FilterPolicyMessageAttribute,
  FilterPolicyOptions,
  FilterPolicyScope,
  FilterPolicyValidation,
  FilterPolicyValues,
  NumericExpression,
} from './filter-policy-types.js';
export type { PatternProblem, PatternValidation } from '../matching/pattern-problem.js';
export { compileFilterPolicy, matchesFilterPolicy } from './compile-filter-policy.js';
export { validateFilterPolicy } from './validate-filter-policy.js';
export { InvalidFilterPolicyError } from './invalid-filter-policy-error.js';
export {
  SNS_MAX_FILTER_POLICY_BYTES,
  SNS_MAX_FILTER_POLICY_COMBINATIONS,
  SNS_MAX_FILTER_POLICY_KEYS,
} from './filter-policy-limits.js';
export {
  anyOf,
  anythingBut,
  anythingButPrefix,
  anythingButSuffix,
  cidr,
  either,
  equalsIgnoreCase,
  exists,
  filterPolicy,
  numeric,
  oneOf,
  prefix,
  range,
  suffix,
  wildcard,
  type FilterPolicyFields,
  type FilterPolicyRule,
  type NumericRangeBounds,
} from './filter-policy-builders.js';

import type { FilterPolicy, FilterPolicyCondition, FilterPolicyMatchValue, FilterPolicyOptions, NumericExpression } from './filter-policy-types.js';
import { describeNonPlainObject, isPlainObject } from '../matching/json-text.js';
import { pointer } from '../matching/pattern-problem.js';
import { InvalidFilterPolicyError } from './invalid-filter-policy-error.js';
import { scopeOf } from './read-filter-policy.js';
import { validateFilterPolicy } from './validate-filter-policy.js';

/** A key's list of conditions as the builders make it: never empty. */
export type FilterPolicyRule = readonly [FilterPolicyCondition, ...FilterPolicyCondition[]];

/**
 * What {@link filterPolicy} takes: for each key a rule (from {@link oneOf}, {@link numeric}, ...),
 * a nested object of rules (MessageBody scope), or, under `$or`, the alternatives made by
 * {@link either}.
 */
export interface FilterPolicyFields {
  /** A key's rule, a nested object of rules, or the `$or` alternatives. */
  readonly [key: string]: FilterPolicyRule | FilterPolicyFields | readonly FilterPolicy[];
}

/** The bounds of {@link range}; give at least one, and at most one lower and one upper. */
export interface NumericRangeBounds {
  /** Greater than (exclusive lower bound). */
  readonly gt?: number;
  /** Greater than or equal to (inclusive lower bound). */
  readonly gte?: number;
  /** Less than (exclusive upper bound). */
  readonly lt?: number;
  /** Less than or equal to (inclusive upper bound). */
  readonly lte?: number;
}

type ComparisonOperator = '=' | '<' | '<=' | '>' | '>=';

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null && !isPlainObject(value)) return describeNonPlainObject(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

function finite(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}.`);
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number (JSON has no ${value}), got ${value}.`);
  return value;
}

function text(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}.`);
  return value;
}

function nonEmptyList<T>(name: string, values: readonly T[], why: string): readonly [T, ...T[]] {
  if (values.length === 0) throw new RangeError(`${name} needs at least one value: ${why}`);
  return values as readonly [T, ...T[]];
}

const EMPTY_LIST = 'an empty list would match nothing, and SNS refuses empty arrays ("Empty arrays are not allowed").';

/**
 * Values matched exactly (any of them): strings, numbers (compared numerically), `true`, `false`, `null`.
 *
 * @param values - At least one value.
 * @returns The rule `[...values]`.
 * @throws RangeError with no value, or a number that is not finite; TypeError for other types.
 *
 * @example
 * ```ts
 * filterPolicy({ region: oneOf('eu-west-1', 'eu-central-1') }); // { region: ['eu-west-1', 'eu-central-1'] }
 * ```
 */
export function oneOf(...values: FilterPolicyMatchValue[]): FilterPolicyRule {
  const list = nonEmptyList('oneOf', values, EMPTY_LIST);
  list.forEach((value, index) => {
    if (typeof value === 'number') finite(`oneOf value ${index}`, value);
    else if (typeof value !== 'string' && typeof value !== 'boolean' && value !== null) {
      throw new TypeError(`oneOf value ${index} must be a string, number, boolean or null, got ${describe(value)}.`);
    }
  });
  return [...list];
}

/**
 * A numeric comparison, or a range with a lower (`>`, `>=`) and an upper (`<`, `<=`) bound.
 * `0` is a bound like any other.
 *
 * @param operator - `=`, `<`, `<=`, `>` or `>=` (the lower one, for a range).
 * @param value - The number compared with (the lower bound, for a range).
 * @returns The rule `[{ numeric: [...] }]`.
 * @throws TypeError for an unknown operator; RangeError for a number that is not finite.
 *
 * @example
 * ```ts
 * numeric('>=', 500); // [{ numeric: ['>=', 500] }]
 * ```
 */
export function numeric(operator: ComparisonOperator, value: number): FilterPolicyRule;
/**
 * A numeric range.
 *
 * @param lowerOperator - `>` or `>=`.
 * @param lower - The lower bound (may be 0).
 * @param upperOperator - `<` or `<=`.
 * @param upper - The upper bound, greater than `lower`.
 * @returns The rule `[{ numeric: [lowerOperator, lower, upperOperator, upper] }]`.
 * @throws TypeError for a wrong operator; RangeError for bounds that are not finite or not in order.
 *
 * @example
 * ```ts
 * numeric('>', 0, '<=', 5); // [{ numeric: ['>', 0, '<=', 5] }]
 * ```
 */
export function numeric(lowerOperator: '>' | '>=', lower: number, upperOperator: '<' | '<=', upper: number): FilterPolicyRule;
export function numeric(operator: ComparisonOperator, value: number, upperOperator?: '<' | '<=', upper?: number): FilterPolicyRule {
  if (!['=', '<', '<=', '>', '>='].includes(operator)) {
    throw new TypeError(`numeric operator must be one of =, <, <=, >, >=, got ${describe(operator)}.`);
  }
  finite('numeric value', value);
  if (upperOperator === undefined && upper === undefined) return [{ numeric: [operator, value] as NumericExpression }];
  if (operator !== '>' && operator !== '>=') {
    throw new TypeError(`a numeric range starts with > or >= (its lower bound), got ${describe(operator)}.`);
  }
  if (upperOperator !== '<' && upperOperator !== '<=') {
    throw new TypeError(`a numeric range ends with < or <= (its upper bound), got ${describe(upperOperator)}.`);
  }
  const top = finite('numeric upper bound', upper);
  if (!(value < top)) throw new RangeError(`numeric range bounds must be in order: ${value} is not below ${top}.`);
  return [{ numeric: [operator, value, upperOperator, top] }];
}

/**
 * A numeric range from named bounds, for code that has optional bounds at hand; a bound of `0`
 * is kept (only `undefined` means "no bound").
 *
 * @param bounds - At least one of `gt`/`gte` and `lt`/`lte`.
 * @returns The rule `[{ numeric: [...] }]`.
 * @throws RangeError with no bound, both `gt` and `gte` (or `lt` and `lte`), bounds out of order or not finite.
 *
 * @example
 * ```ts
 * range({ gte: 0, lt: 100 }); // [{ numeric: ['>=', 0, '<', 100] }]
 * ```
 */
export function range(bounds: NumericRangeBounds): FilterPolicyRule {
  if (typeof bounds !== 'object' || bounds === null) throw new TypeError(`range takes an object of bounds, got ${describe(bounds)}.`);
  const { gt, gte, lt, lte } = bounds;
  if (gt !== undefined && gte !== undefined) throw new RangeError('range takes gt or gte, not both.');
  if (lt !== undefined && lte !== undefined) throw new RangeError('range takes lt or lte, not both.');
  const lower = gt !== undefined ? (['>', finite('range gt', gt)] as const) : gte !== undefined ? (['>=', finite('range gte', gte)] as const) : undefined;
  const upper = lt !== undefined ? (['<', finite('range lt', lt)] as const) : lte !== undefined ? (['<=', finite('range lte', lte)] as const) : undefined;
  if (lower === undefined && upper === undefined) throw new RangeError('range needs at least one bound (gt, gte, lt or lte).');
  if (lower === undefined) return numeric((upper as readonly ['<' | '<=', number])[0], (upper as readonly ['<' | '<=', number])[1]);
  if (upper === undefined) return numeric(lower[0], lower[1]);
  return numeric(lower[0], lower[1], upper[0], upper[1]);
}

/**
 * Strings starting with `prefix` (case-sensitive).
 *
 * @param start - The prefix.
 * @returns The rule `[{ prefix }]`.
 * @throws TypeError for a non-string.
 */
export function prefix(start: string): FilterPolicyRule {
  return [{ prefix: text('prefix', start) }];
}

/**
 * Strings ending with `suffix` (case-sensitive).
 *
 * @param end - The suffix.
 * @returns The rule `[{ suffix }]`.
 * @throws TypeError for a non-string.
 */
export function suffix(end: string): FilterPolicyRule {
  return [{ suffix: text('suffix', end) }];
}

/**
 * Strings equal to `value` ignoring case.
 *
 * @param value - The string.
 * @returns The rule `[{ 'equals-ignore-case': value }]`.
 * @throws TypeError for a non-string.
 */
export function equalsIgnoreCase(value: string): FilterPolicyRule {
  return [{ 'equals-ignore-case': text('equalsIgnoreCase', value) }];
}

/**
 * Strings matching a wildcard value (`*` any run of characters; `\*` and `\\` literal).
 *
 * @param value - The wildcard value.
 * @returns The rule `[{ wildcard: value }]`.
 * @throws TypeError for a non-string (other mistakes are reported by {@link filterPolicy}).
 */
export function wildcard(value: string): FilterPolicyRule {
  return [{ wildcard: text('wildcard', value) }];
}

/**
 * IP addresses (strings) inside a CIDR block, IPv4 or IPv6.
 *
 * @param block - For example `10.0.0.0/24`.
 * @returns The rule `[{ cidr: block }]`.
 * @throws TypeError for a non-string (a malformed block is reported by {@link filterPolicy}).
 */
export function cidr(block: string): FilterPolicyRule {
  return [{ cidr: text('cidr', block) }];
}

/**
 * Whether the key must be present (with a value that is neither `null` nor `""`) or absent.
 *
 * @param present - `true` (default) for present, `false` for absent.
 * @returns The rule `[{ exists: present }]`.
 * @throws TypeError for a non-boolean.
 */
export function exists(present = true): FilterPolicyRule {
  if (typeof present !== 'boolean') throw new TypeError(`exists takes true or false, got ${describe(present)}.`);
  return [{ exists: present }];
}

/**
 * Any value present that is none of `values` (all strings, or all numbers).
 *
 * @param values - At least one value to exclude.
 * @returns The rule `[{ 'anything-but': value | [...values] }]`.
 * @throws RangeError with no value; TypeError for mixed or other types.
 *
 * @example
 * ```ts
 * anythingBut('order_cancelled'); // [{ 'anything-but': 'order_cancelled' }]
 * ```
 */
export function anythingBut(...values: string[] | number[]): FilterPolicyRule {
  const list: readonly (string | number)[] = nonEmptyList('anythingBut', values as readonly (string | number)[], 'excluding nothing is not a filter.');
  const strings = list.every((value) => typeof value === 'string');
  if (!strings) {
    if (!list.every((value) => typeof value === 'number')) {
      throw new TypeError('anythingBut takes only strings or only numbers (SNS refuses mixed lists).');
    }
    list.forEach((value, index) => finite(`anythingBut value ${index}`, value));
  }
  if (list.length === 1) return [{ 'anything-but': list[0] as string | number }];
  return [{ 'anything-but': strings ? ([...list] as string[]) : ([...list] as number[]) }];
}

function nonEmptyText(name: string, value: unknown): string {
  const checked = text(name, value);
  if (checked === '') throw new RangeError(`${name} needs a non-empty string (SNS: "Null prefix/suffix not allowed").`);
  return checked;
}

/**
 * Any string present that does not start with `start` (and any non-string value present).
 *
 * @param start - A non-empty prefix.
 * @returns The rule `[{ 'anything-but': { prefix } }]`.
 * @throws TypeError for a non-string; RangeError for `''`.
 */
export function anythingButPrefix(start: string): FilterPolicyRule {
  return [{ 'anything-but': { prefix: nonEmptyText('anythingButPrefix', start) } }];
}

/**
 * Any string present that does not end with `end` (and any non-string value present).
 *
 * @param end - A non-empty suffix.
 * @returns The rule `[{ 'anything-but': { suffix } }]`.
 * @throws TypeError for a non-string; RangeError for `''`.
 */
export function anythingButSuffix(end: string): FilterPolicyRule {
  return [{ 'anything-but': { suffix: nonEmptyText('anythingButSuffix', end) } }];
}

/**
 * Several rules for one key, any of which may match (OR).
 *
 * @param rules - At least one rule.
 * @returns Their conditions in one list.
 * @throws RangeError with no rule.
 *
 * @example
 * ```ts
 * anyOf(prefix('eu-'), oneOf('us-east-1')); // [{ prefix: 'eu-' }, 'us-east-1']
 * ```
 */
export function anyOf(...rules: FilterPolicyRule[]): FilterPolicyRule {
  nonEmptyList('anyOf', rules, EMPTY_LIST);
  const conditions = rules.flatMap((rule, index) => {
    if (!Array.isArray(rule) || rule.length === 0) throw new RangeError(`anyOf rule ${index} is empty or not a rule; ${EMPTY_LIST}`);
    return rule as readonly FilterPolicyCondition[];
  });
  return conditions as unknown as FilterPolicyRule;
}

/**
 * Copies an object of rules into a frozen policy, checking that no rule is empty.
 *
 * @param where - The builder called (`filterPolicy` or `either`), to start messages with.
 * @param fields - The object of rules.
 * @param path - JSON Pointer of `fields` in what the builder returns (`''` for its root), as in
 *   the validators' problems.
 */
function toPolicy(where: string, fields: FilterPolicyFields, path: string): FilterPolicy {
  const policy: Record<string, FilterPolicy[string]> = {};
  for (const [key, value] of Object.entries(fields)) {
    const at = pointer(path, key);
    let rule: FilterPolicy[string];
    if (Array.isArray(value)) {
      if (value.length === 0) throw new RangeError(`${where}: ${at} has no condition; ${EMPTY_LIST}`);
      rule = Object.freeze([...value]) as FilterPolicy[string];
    } else if (isPlainObject(value)) {
      rule = toPolicy(where, value as FilterPolicyFields, at);
    } else {
      throw new TypeError(`${where}: ${at} must be a rule (oneOf, prefix, numeric, ...) or a plain object of rules, got ${describe(value)}.`);
    }
    // Defined, not assigned: `policy['__proto__'] = rule` would replace the prototype and drop the key.
    Object.defineProperty(policy, key, { value: rule, enumerable: true, writable: true, configurable: true });
  }
  return Object.freeze(policy);
}

/**
 * Alternatives (`$or`): the policy matches when one of the branches does. Spread it into the
 * object given to {@link filterPolicy}.
 *
 * @param branches - At least two objects of rules.
 * @returns `{ $or: [...branches] }`.
 * @throws RangeError with fewer than two branches (SNS needs at least two).
 *
 * @example
 * ```ts
 * filterPolicy({ source: oneOf('aws.cloudwatch'), ...either({ metricName: oneOf('CPUUtilization') }, { namespace: oneOf('AWS/EC2') }) });
 * ```
 */
export function either(...branches: FilterPolicyFields[]): { readonly $or: readonly FilterPolicy[] } {
  if (branches.length < 2) throw new RangeError(`either needs at least two branches, got ${branches.length} (SNS: "There must have at least 2 Objects in $or relationship").`);
  return {
    $or: Object.freeze(
      branches.map((branch, index) => {
        const at = pointer('/$or', index);
        if (!isPlainObject(branch)) {
          throw new TypeError(`either: branch ${at} must be a plain object of rules, got ${describe(branch)}.`);
        }
        return toPolicy('either', branch, at);
      }),
    ),
  };
}

/**
 * Builds a filter policy from rules and checks it as SNS would: the result is a frozen plain
 * object, ready for `JSON.stringify` (as the subscription's `FilterPolicy` attribute) and for
 * `compileFilterPolicy`.
 *
 * @param fields - For each key a rule, a nested object (MessageBody scope) or `$or` alternatives.
 * @param options - `scope` (default `'MessageAttributes'`) to check the policy for.
 * @returns The policy.
 * @throws InvalidFilterPolicyError when SNS would refuse it (more than 5 keys, more than 150
 *   combinations, nesting in MessageAttributes scope, a malformed wildcard or CIDR, ...);
 *   RangeError for an empty rule; TypeError for a value that is not a rule.
 *
 * @example
 * ```ts
 * const policy = filterPolicy({ status: numeric('>=', 500), region: oneOf('eu-west-1') });
 * // { status: [{ numeric: ['>=', 500] }], region: ['eu-west-1'] }
 * ```
 */
export function filterPolicy(fields: FilterPolicyFields, options?: FilterPolicyOptions): FilterPolicy {
  const scope = scopeOf(options);
  if (!isPlainObject(fields)) {
    throw new TypeError(`filterPolicy takes a plain object of rules, got ${describe(fields)}.`);
  }
  const policy = toPolicy('filterPolicy', fields, '');
  const validation = validateFilterPolicy(policy, { scope });
  if (!validation.valid) throw new InvalidFilterPolicyError(validation.problems, scope);
  return policy;
}

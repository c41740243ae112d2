import { type PatternProblem, pointer } from './pattern-problem.js';
import { tokenText } from './json-text.js';

/** A numeric interval, compiled from a `numeric` expression (`=` is a closed one-point interval). */
export interface NumericRange {
  /** Lower bound (`-Infinity` when there is none). */
  readonly lower: number;
  /** Whether the lower bound itself matches (`>=`, `=`). */
  readonly lowerInclusive: boolean;
  /** Upper bound (`Infinity` when there is none). */
  readonly upper: number;
  /** Whether the upper bound itself matches (`<=`, `=`). */
  readonly upperInclusive: boolean;
}

/** The outcome of reading a `numeric` expression. */
export type NumericParseOutcome =
  | { readonly ok: true; readonly range: NumericRange; readonly numbers: readonly number[] }
  | { readonly ok: false; readonly problem: PatternProblem };

/** Largest magnitude EventBridge compares numerically (its numeric matching range is ±5.0e9, inclusive). */
export const EVENTBRIDGE_NUMERIC_LIMIT = 5e9;

/** EventBridge's reason for a numeric value outside ±5.0e9 (Java prints 5e9 as `5.0E9`). */
export const OUT_OF_NUMERIC_RANGE = 'Value must be between -5.0E9 and 5.0E9, inclusive';

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Reads a `numeric` expression such as `[">", 0, "<=", 5]` the way AWS's rule compiler does, and
 * reports the first thing wrong with AWS's wording.
 *
 * Accepted forms: `["=", n]`, `["<" | "<=", n]`, `[">" | ">=", n]` and `[">" | ">=", low, "<" | "<=", high]`
 * with `low < high`. `0` is a bound like any other.
 *
 * @param expression - The value of the `numeric` key.
 * @param path - JSON Pointer of the `numeric` key, for problems.
 * @param limit - Largest magnitude allowed for a bound (EventBridge: 5e9), or `undefined` for none.
 * @returns The interval and the numbers it names, or the problem.
 */
export function parseNumericExpression(expression: unknown, path: string, limit?: number): NumericParseOutcome {
  const fail = (message: string, at: string = path): NumericParseOutcome => ({ ok: false, problem: { path: at, message } });
  if (!Array.isArray(expression)) return fail('Value of numeric must be an array.');
  const items: readonly unknown[] = expression;
  const first = items[0];
  if (typeof first !== 'string') return fail(`Invalid member in numeric match: ${tokenText(first)}`, items.length === 0 ? path : pointer(path, 0));
  const operator = first;
  if (operator !== '=' && operator !== '<' && operator !== '<=' && operator !== '>' && operator !== '>=') {
    return fail(`Unrecognized numeric range operator: ${operator}`, pointer(path, 0));
  }
  const value = items[1];
  if (!isNumber(value)) {
    return fail(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`, pointer(path, items.length > 1 ? 1 : 0));
  }
  const numbers = [value];
  const outOfLimit = (n: number): boolean => limit !== undefined && Math.abs(n) > limit;
  if (outOfLimit(value)) return fail(OUT_OF_NUMERIC_RANGE, pointer(path, 1));
  if (operator === '=' || operator === '<' || operator === '<=') {
    if (items.length > 2) return fail('Too many elements in numeric expression', pointer(path, 2));
    if (operator === '=') return { ok: true, range: { lower: value, lowerInclusive: true, upper: value, upperInclusive: true }, numbers };
    return { ok: true, range: { lower: -Infinity, lowerInclusive: false, upper: value, upperInclusive: operator === '<=' }, numbers };
  }
  const lowerInclusive = operator === '>=';
  if (items.length === 2) return { ok: true, range: { lower: value, lowerInclusive, upper: Infinity, upperInclusive: false }, numbers };
  const second = items[2];
  if (typeof second !== 'string') return fail(`Bad value in numeric range: ${tokenText(second)}`, pointer(path, 2));
  if (second !== '<' && second !== '<=') return fail(`Bad numeric range operator: ${second}`, pointer(path, 2));
  const top = items[3];
  if (!isNumber(top)) return fail(`Value of ${second} must be numeric`, pointer(path, items.length > 3 ? 3 : 2));
  if (outOfLimit(top)) return fail(OUT_OF_NUMERIC_RANGE, pointer(path, 3));
  if (items.length > 4) return fail('Too many terms in numeric range expression', pointer(path, 4));
  if (!(value < top)) return fail('Bottom must be less than top', pointer(path, 3));
  numbers.push(top);
  return { ok: true, range: { lower: value, lowerInclusive, upper: top, upperInclusive: second === '<=' }, numbers };
}

/**
 * Whether a number lies in a compiled interval.
 *
 * @param range - The interval.
 * @param value - The number from the message or event.
 * @returns `true` when `value` is inside.
 */
export function inNumericRange(range: NumericRange, value: number): boolean {
  const aboveLower = range.lowerInclusive ? value >= range.lower : value > range.lower;
  if (!aboveLower) return false;
  return range.upperInclusive ? value <= range.upper : value < range.upper;
}

/**
 * Counts the digits after the decimal point of a number as JavaScript prints it (`1.5e-7` has 8).
 *
 * @param value - A finite number.
 * @returns The number of decimal places.
 */
export function decimalPlaces(value: number): number {
  const text = String(Math.abs(value));
  const exponentAt = text.indexOf('e');
  const mantissa = exponentAt === -1 ? text : text.slice(0, exponentAt);
  const exponent = exponentAt === -1 ? 0 : Number(text.slice(exponentAt + 1));
  const dot = mantissa.indexOf('.');
  const fraction = dot === -1 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, fraction - exponent);
}

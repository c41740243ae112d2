import { parseCidr } from './cidr.js';
import type { AnythingButAst, ConditionAst } from './condition-ast.js';
import { describeNonPlainObject, isPlainObject } from './json-text.js';
import type { MatchingDialect } from './matching-dialect.js';
import { OUT_OF_NUMERIC_RANGE, decimalPlaces, parseNumericExpression } from './numeric-range.js';
import { type PatternProblem, pointer } from './pattern-problem.js';
import { type WildcardPattern, parseWildcard, wildcardCount } from './wildcard.js';

/** Where a reader puts what it finds: problems (AWS refuses) and warnings (AWS accepts). */
export interface ProblemSink {
  /** What AWS would refuse. */
  readonly problems: PatternProblem[];
  /** What AWS accepts but that may not do what it looks like. */
  readonly warnings: PatternProblem[];
}

const MATCH_VALUE_TYPES = 'Match value must be String, number, true, false, or null';

function warnAboutNumber(value: number, path: string, dialect: MatchingDialect, sink: ProblemSink): void {
  const { limit, decimals } = dialect.numericPrecision;
  const service = dialect.service === 'sns' ? 'SNS' : 'EventBridge';
  if (Math.abs(value) > limit) {
    sink.warnings.push({
      path,
      message: `${value} is outside the range ${service} compares numbers in (-${limit.toExponential()} to ${limit.toExponential()}); matching on it may not behave as expected`,
    });
  } else if (decimalPlaces(value) > decimals) {
    sink.warnings.push({
      path,
      message: `${value} has more than ${decimals} decimal places; ${service} compares numbers to ${decimals} decimal places only`,
    });
  }
}

function readWildcard(
  text: string,
  path: string,
  dialect: MatchingDialect,
  sink: ProblemSink,
): WildcardPattern | undefined {
  const parsed = parseWildcard(text);
  if (!parsed.ok) {
    sink.problems.push({ path, message: parsed.reason });
    return undefined;
  }
  const count = wildcardCount(parsed.pattern);
  if (count > dialect.maxWildcards) {
    sink.problems.push({
      path,
      message:
        'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
    });
    return undefined;
  }
  if (count > 2) {
    sink.warnings.push({ path, message: `${count} wildcard characters in one value; AWS may refuse the rule as too complex` });
  }
  return parsed.pattern;
}

/** `prefix`/`suffix`: a string, or (EventBridge) `{ "equals-ignore-case": "..." }`. */
function readPrefixOrSuffix(
  operator: 'prefix' | 'suffix',
  value: unknown,
  path: string,
  dialect: MatchingDialect,
  sink: ProblemSink,
): ConditionAst | undefined {
  if (typeof value === 'string') return { kind: operator, value, ignoreCase: false };
  if (dialect.caseInsensitivePrefixSuffix && isPlainObject(value)) {
    const keys = Object.keys(value);
    const inner = keys[0];
    if (inner === undefined) {
      sink.problems.push({ path, message: `${operator === 'prefix' ? 'Prefix' : 'Suffix'} expression name not found` });
      return undefined;
    }
    if (inner !== 'equals-ignore-case') {
      sink.problems.push({ path: pointer(path, inner), message: `Unsupported ${operator} pattern: ${inner}` });
      return undefined;
    }
    const text = value[inner];
    if (typeof text !== 'string') {
      sink.problems.push({ path: pointer(path, inner), message: 'equals-ignore-case match pattern must be a string' });
      return undefined;
    }
    if (keys.length > 1) {
      sink.problems.push({ path: pointer(path, keys[1] as string), message: 'Only one key allowed in match expression' });
      return undefined;
    }
    return { kind: operator, value: text, ignoreCase: true };
  }
  sink.problems.push({ path, message: `${operator} match pattern must be a string` });
  return undefined;
}

function readAnythingButList(values: readonly unknown[], path: string, dialect: MatchingDialect, sink: ProblemSink): AnythingButAst | undefined {
  const strings: string[] = [];
  const numbers: number[] = [];
  for (const [index, item] of values.entries()) {
    const at = pointer(path, index);
    if (typeof item === 'string') strings.push(item);
    else if (typeof item === 'number' && Number.isFinite(item)) {
      if (dialect.numericLimit !== undefined && Math.abs(item) > dialect.numericLimit) {
        sink.problems.push({ path: at, message: OUT_OF_NUMERIC_RANGE });
        return undefined;
      }
      warnAboutNumber(item, at, dialect, sink);
      numbers.push(item);
    } else {
      sink.problems.push({ path: at, message: 'Inside anything but list, start|null|boolean is not supported.' });
      return undefined;
    }
  }
  if ((strings.length > 0) === (numbers.length > 0)) {
    sink.problems.push({
      path,
      message: 'Inside anything but list, either all values are number or string, mixed type is not supported',
    });
    return undefined;
  }
  return { kind: 'values', strings, numbers };
}

/** `anything-but: { prefix | suffix | wildcard | equals-ignore-case: ... }`. */
function readAnythingButOperator(
  operand: Readonly<Record<string, unknown>>,
  path: string,
  dialect: MatchingDialect,
  sink: ProblemSink,
): AnythingButAst | undefined {
  const keys = Object.keys(operand);
  const operator = keys[0];
  if (operator === undefined) {
    sink.problems.push({ path, message: 'Anything-But expression name not found' });
    return undefined;
  }
  const at = pointer(path, operator);
  if (!dialect.anythingButOperators.has(operator)) {
    sink.problems.push({ path: at, message: `Unsupported anything-but pattern: ${operator}` });
    return undefined;
  }
  const kind = operator as 'prefix' | 'suffix' | 'wildcard' | 'equals-ignore-case';
  const typeProblem =
    kind === 'equals-ignore-case'
      ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
      : kind === 'wildcard'
        ? 'wildcard match pattern must be a string'
        : dialect.service === 'eventbridge'
          ? 'prefix/suffix match pattern must be a string'
          : `${kind} match pattern must be a string`;
  const value = operand[operator];
  let items: { value: unknown; path: string }[];
  if (Array.isArray(value) && dialect.anythingButOperatorLists) {
    items = value.map((item: unknown, index) => ({ value: item, path: pointer(at, index) }));
    if (items.length === 0) {
      sink.problems.push({ path: at, message: 'Empty arrays are not allowed' });
      return undefined;
    }
  } else if (typeof value === 'string' || (dialect.service === 'eventbridge' && typeof value === 'number')) {
    items = [{ value, path: at }];
  } else if (dialect.service === 'eventbridge') {
    sink.problems.push({ path: at, message: 'Value of anything-but must be an array or single string/number value.' });
    return undefined;
  } else {
    sink.problems.push({ path: at, message: typeProblem });
    return undefined;
  }
  const texts: string[] = [];
  for (const item of items) {
    if (typeof item.value !== 'string') {
      sink.problems.push({ path: item.path, message: typeProblem });
      return undefined;
    }
    if ((kind === 'prefix' || kind === 'suffix') && item.value === '') {
      sink.problems.push({ path: item.path, message: 'Null prefix/suffix not allowed' });
      return undefined;
    }
    texts.push(item.value);
  }
  if (keys.length > 1) {
    sink.problems.push({ path: pointer(path, keys[1] as string), message: 'Only one key allowed in match expression' });
    return undefined;
  }
  if (kind === 'wildcard') {
    const patterns: WildcardPattern[] = [];
    for (const [index, text] of texts.entries()) {
      const pattern = readWildcard(text, (items[index] as { path: string }).path, dialect, sink);
      if (pattern === undefined) return undefined;
      patterns.push(pattern);
    }
    return { kind, patterns };
  }
  return { kind, values: texts };
}

function readAnythingBut(value: unknown, path: string, dialect: MatchingDialect, sink: ProblemSink): ConditionAst | undefined {
  let exclusion: AnythingButAst | undefined;
  if (isPlainObject(value)) exclusion = readAnythingButOperator(value, path, dialect, sink);
  else if (Array.isArray(value)) exclusion = readAnythingButList(value, path, dialect, sink);
  else if (typeof value === 'string') exclusion = { kind: 'values', strings: [value], numbers: [] };
  else if (typeof value === 'number' && Number.isFinite(value)) {
    if (dialect.numericLimit !== undefined && Math.abs(value) > dialect.numericLimit) {
      sink.problems.push({ path, message: OUT_OF_NUMERIC_RANGE });
      return undefined;
    }
    warnAboutNumber(value, path, dialect, sink);
    exclusion = { kind: 'values', strings: [], numbers: [value] };
  } else {
    sink.problems.push({ path, message: 'Value of anything-but must be an array or single string/number value.' });
    return undefined;
  }
  return exclusion === undefined ? undefined : { kind: 'anything-but', exclusion };
}

/** An operator object such as `{ "prefix": "order-" }`. */
function readOperator(
  expression: Readonly<Record<string, unknown>>,
  path: string,
  dialect: MatchingDialect,
  sink: ProblemSink,
): ConditionAst | undefined {
  const keys = Object.keys(expression);
  const operator = keys[0];
  if (operator === undefined) {
    sink.problems.push({ path, message: 'Match expression name not found' });
    return undefined;
  }
  const at = pointer(path, operator);
  const value = expression[operator];
  const problemsBefore = sink.problems.length;
  let condition: ConditionAst | undefined;
  switch (operator) {
    case 'prefix':
    case 'suffix':
      condition = readPrefixOrSuffix(operator, value, at, dialect, sink);
      break;
    case 'equals-ignore-case':
      if (typeof value === 'string') condition = { kind: 'equals-ignore-case', value };
      else sink.problems.push({ path: at, message: 'equals-ignore-case match pattern must be a string' });
      break;
    case 'wildcard':
      if (typeof value === 'string') {
        const pattern = readWildcard(value, at, dialect, sink);
        if (pattern !== undefined) condition = { kind: 'wildcard', pattern };
      } else sink.problems.push({ path: at, message: 'wildcard match pattern must be a string' });
      break;
    case 'exists':
      if (typeof value === 'boolean') condition = { kind: 'exists', value };
      else sink.problems.push({ path: at, message: 'exists match pattern must be either true or false.' });
      break;
    case 'cidr':
      if (typeof value === 'string') {
        const parsed = parseCidr(value);
        if (parsed.ok) condition = { kind: 'cidr', block: parsed.block };
        else sink.problems.push({ path: at, message: parsed.reason });
        // AWS's compiler words a non-string CIDR like a prefix.
      } else sink.problems.push({ path: at, message: 'prefix match pattern must be a string' });
      break;
    case 'numeric': {
      const parsed = parseNumericExpression(value, at, dialect.numericLimit);
      if (parsed.ok) {
        condition = { kind: 'numeric', range: parsed.range };
        parsed.numbers.forEach((n, index) => warnAboutNumber(n, pointer(at, index === 0 ? 1 : 3), dialect, sink));
      } else sink.problems.push(parsed.problem);
      break;
    }
    case 'anything-but':
      condition = readAnythingBut(value, at, dialect, sink);
      break;
    default:
      sink.problems.push({ path: at, message: `Unrecognized match type ${operator}` });
  }
  if (sink.problems.length > problemsBefore) return undefined;
  if (keys.length > 1) {
    sink.problems.push({ path: pointer(path, keys[1] as string), message: 'Only one key allowed in match expression' });
    return undefined;
  }
  return condition;
}

/**
 * Reads the list of a leaf field (`"state": [ ... ]`): every value must be a string, number,
 * `true`, `false`, `null` or one operator object, and the list must not be empty.
 *
 * @param list - The field's array.
 * @param path - JSON Pointer of the field.
 * @param dialect - The service's rules.
 * @param sink - Receives problems and warnings.
 * @returns The conditions read (those with problems are left out).
 */
export function readConditionList(list: readonly unknown[], path: string, dialect: MatchingDialect, sink: ProblemSink): ConditionAst[] {
  if (list.length === 0) {
    sink.problems.push({ path, message: 'Empty arrays are not allowed' });
    return [];
  }
  const conditions: ConditionAst[] = [];
  for (const [index, item] of list.entries()) {
    const at = pointer(path, index);
    if (typeof item === 'string' || typeof item === 'boolean' || item === null) {
      conditions.push({ kind: 'exact', value: item });
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) {
        sink.problems.push({ path: at, message: MATCH_VALUE_TYPES });
        continue;
      }
      // EventBridge also compares a plain number as text, so one beyond its numeric range (an
      // account number, say) still matches itself exactly: only SNS gets a range warning here.
      if (dialect.service === 'sns' || Math.abs(item) <= dialect.numericPrecision.limit) warnAboutNumber(item, at, dialect, sink);
      conditions.push({ kind: 'exact', value: item });
    } else if (isPlainObject(item)) {
      const condition = readOperator(item, at, dialect, sink);
      if (condition !== undefined) conditions.push(condition);
    } else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      sink.problems.push({ path: at, message: `${MATCH_VALUE_TYPES}, or a plain operator object; not ${describeNonPlainObject(item)}` });
    } else {
      sink.problems.push({ path: at, message: MATCH_VALUE_TYPES });
    }
  }
  return conditions;
}

import { inCidrBlock } from './cidr.js';
import type { AnythingButAst, ConditionAst, ScalarValue } from './condition-ast.js';
import type { MatchingDialect } from './matching-dialect.js';
import { someNestedElement } from './nested-arrays.js';
import { inNumericRange } from './numeric-range.js';
import { compileWildcard } from './wildcard.js';

/**
 * The test of one leaf field: given whatever the message or event holds at the field's path
 * (`undefined` when nothing), whether the field's list matches.
 */
export type LeafTest = (value: unknown) => boolean;

type ScalarTest = (value: ScalarValue) => boolean;

/** A case-insensitive form for comparing strings with `equals-ignore-case` and its relatives. */
function fold(text: string): string {
  return text.toLowerCase();
}

function compileAnythingBut(exclusion: AnythingButAst): ScalarTest {
  switch (exclusion.kind) {
    case 'values': {
      const strings = new Set(exclusion.strings);
      const numbers = new Set(exclusion.numbers);
      return (value) => (typeof value === 'string' ? !strings.has(value) : typeof value === 'number' ? !numbers.has(value) : true);
    }
    case 'prefix': {
      const prefixes = exclusion.values;
      return (value) => typeof value !== 'string' || !prefixes.some((prefix) => value.startsWith(prefix));
    }
    case 'suffix': {
      const suffixes = exclusion.values;
      return (value) => typeof value !== 'string' || !suffixes.some((suffix) => value.endsWith(suffix));
    }
    case 'equals-ignore-case': {
      const folded = new Set(exclusion.values.map(fold));
      return (value) => typeof value !== 'string' || !folded.has(fold(value));
    }
    case 'wildcard': {
      const tests = exclusion.patterns.map(compileWildcard);
      return (value) => typeof value !== 'string' || !tests.some((test) => test(value));
    }
  }
}

function compileStringTest(condition: ConditionAst): ((value: string) => boolean) | undefined {
  switch (condition.kind) {
    case 'prefix': {
      const { value: prefix, ignoreCase } = condition;
      const folded = fold(prefix);
      return ignoreCase ? (value) => fold(value).startsWith(folded) : (value) => value.startsWith(prefix);
    }
    case 'suffix': {
      const { value: suffix, ignoreCase } = condition;
      const folded = fold(suffix);
      return ignoreCase ? (value) => fold(value).endsWith(folded) : (value) => value.endsWith(suffix);
    }
    case 'equals-ignore-case': {
      const folded = fold(condition.value);
      return (value) => fold(value) === folded;
    }
    case 'wildcard':
      return compileWildcard(condition.pattern);
    case 'cidr': {
      const { block } = condition;
      return (value) => inCidrBlock(block, value);
    }
    default:
      return undefined;
  }
}

/**
 * Compiles the value conditions of a field (everything but `exists`) into one test over a single
 * leaf value, grouped by the value's type so that a string never runs the numeric checks.
 *
 * @param conditions - The field's conditions.
 * @returns The test, or `undefined` when the field has only `exists` conditions.
 */
function compileScalarTest(conditions: readonly ConditionAst[]): ScalarTest | undefined {
  const exactStrings: string[] = [];
  const exactNumbers: number[] = [];
  const exactOthers = new Set<ScalarValue>();
  const stringTests: ((value: string) => boolean)[] = [];
  const numberTests: ((value: number) => boolean)[] = [];
  const anyTests: ScalarTest[] = [];
  for (const condition of conditions) {
    if (condition.kind === 'exact') {
      const { value } = condition;
      if (typeof value === 'string') exactStrings.push(value);
      else if (typeof value === 'number') exactNumbers.push(value);
      else exactOthers.add(value);
    } else if (condition.kind === 'numeric') {
      const { range } = condition;
      numberTests.push((value) => inNumericRange(range, value));
    } else if (condition.kind === 'anything-but') {
      anyTests.push(compileAnythingBut(condition.exclusion));
    } else if (condition.kind !== 'exists') {
      const test = compileStringTest(condition);
      if (test !== undefined) stringTests.push(test);
    }
  }
  const total = exactStrings.length + exactNumbers.length + exactOthers.size + stringTests.length + numberTests.length + anyTests.length;
  if (total === 0) return undefined;
  // The common shapes, without loops.
  if (total === exactStrings.length) {
    if (exactStrings.length === 1) {
      const only = exactStrings[0] as string;
      return (value) => value === only;
    }
    const set = new Set(exactStrings);
    return (value) => typeof value === 'string' && set.has(value);
  }
  const strings = exactStrings.length > 0 ? new Set(exactStrings) : undefined;
  const numbers = exactNumbers.length > 0 ? new Set(exactNumbers) : undefined;
  const others = exactOthers.size > 0 ? exactOthers : undefined;
  return (value) => {
    if (typeof value === 'string') {
      if (strings?.has(value)) return true;
      for (const test of stringTests) if (test(value)) return true;
    } else if (typeof value === 'number') {
      if (numbers?.has(value)) return true;
      for (const test of numberTests) if (test(value)) return true;
    } else if (others?.has(value)) {
      return true;
    }
    for (const test of anyTests) if (test(value)) return true;
    return false;
  };
}

/**
 * Compiles a leaf field's list. The field matches when one of its values matches one leaf value
 * found at its path (arrays in the message or event are searched, nested arrays too; objects
 * there are not leaf values), or when `exists` says so: `exists: true` needs a leaf value there
 * (for SNS, one that is neither `null` nor `""`), `exists: false` needs none.
 *
 * @param conditions - The field's conditions (OR).
 * @param dialect - The service's rules.
 * @returns The field's test.
 */
export function compileLeafTest(conditions: readonly ConditionAst[], dialect: MatchingDialect): LeafTest {
  const matches = compileScalarTest(conditions);
  const existsTrue = conditions.some((c) => c.kind === 'exists' && c.value);
  const existsFalse = conditions.some((c) => c.kind === 'exists' && !c.value);
  const strictPresence = dialect.existsNeedsNonEmptyValue;
  const counts = (value: ScalarValue): boolean => !strictPresence || (value !== null && value !== '');

  /** Searches an array (nested ones too) or object: `true` on a match, else whether a leaf value was seen. */
  const search = (container: object): { matched: boolean; present: boolean } => {
    if (!Array.isArray(container)) return { matched: false, present: false };
    let present = false;
    const matched = someNestedElement(
      container,
      (item) => {
        if (item !== null && typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') return false;
        if (matches?.(item)) return true;
        if (!present && counts(item)) present = true;
        return false;
      },
      false,
    );
    return { matched, present };
  };

  return (value) => {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      if (matches !== undefined && matches(value)) return true;
      return counts(value) ? existsTrue : existsFalse;
    }
    if (typeof value !== 'object') return existsFalse; // undefined, or not a JSON value at all
    const { matched, present } = search(value);
    if (matched) return true;
    return present ? existsTrue : existsFalse;
  };
}

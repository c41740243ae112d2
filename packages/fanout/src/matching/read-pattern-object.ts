import type { ConditionAst, PatternFieldAst, PatternObjectAst } from './condition-ast.js';
import { describeNonPlainObject, isPlainObject } from './json-text.js';
import type { MatchingDialect } from './matching-dialect.js';
import { type ProblemSink, readConditionList } from './parse-condition.js';
import { pointer } from './pattern-problem.js';

/** Field names AWS's rule compiler reserves inside `$or` branches. */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

/** Deeper than this, a policy or pattern is refused (it would only be a mistake, or a cycle). */
const MAX_DEPTH = 64;

/** How to read a pattern object. */
export interface ReadPatternOptions {
  /** The service's rules. */
  readonly dialect: MatchingDialect;
  /**
   * Set for SNS's MessageAttributes scope, where a nested object is refused with this reason
   * (after its content is read, as SNS does: a problem inside it is reported first).
   */
  readonly nestingRefusedReason?: string;
}

interface ReadContext {
  readonly options: ReadPatternOptions;
  readonly sink: ProblemSink;
}

function readObject(
  value: Readonly<Record<string, unknown>>,
  path: string,
  depth: number,
  insideOr: boolean,
  nested: boolean,
  context: ReadContext,
): PatternObjectAst {
  const { sink, options } = context;
  const fields: PatternFieldAst[] = [];
  const orGroups: PatternObjectAst[][] = [];
  if (depth > MAX_DEPTH) {
    sink.problems.push({ path, message: `Nested more than ${MAX_DEPTH} levels deep` });
    return { fields, orGroups };
  }
  // A key whose value is undefined is not there: JSON.stringify leaves it out, and so does AWS.
  const keys = Object.keys(value).filter((key) => value[key] !== undefined);
  if (keys.length === 0) {
    sink.problems.push({ path, message: 'Empty objects are not allowed' });
    return { fields, orGroups };
  }
  for (const key of keys) {
    const item = value[key];
    const at = pointer(path, key);
    if (key === '$or') {
      if (!Array.isArray(item)) {
        sink.problems.push({ path: at, message: 'It must be an Array followed with $or.' });
        continue;
      }
      const branches: PatternObjectAst[] = [];
      for (const [index, branch] of item.entries()) {
        if (!isPlainObject(branch)) {
          sink.problems.push({ path: pointer(at, index), message: 'Only JSON object is allowed in array of $or relationship.' });
          continue;
        }
        branches.push(readObject(branch, pointer(at, index), depth + 1, true, nested, context));
      }
      if (item.length < 2) sink.problems.push({ path: at, message: 'There must have at least 2 Objects in $or relationship.' });
      orGroups.push(branches);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      sink.problems.push({ path: at, message: `${key} is Ruler reserved fieldName which cannot be used inside $or.` });
      continue;
    }
    if (Array.isArray(item)) {
      const conditions: ConditionAst[] = readConditionList(item, at, options.dialect, sink);
      fields.push({ key, value: conditions });
    } else if (isPlainObject(item)) {
      const inner = readObject(item, at, depth + 1, false, true, context);
      if (options.nestingRefusedReason !== undefined && !nested) sink.problems.push({ path: at, message: options.nestingRefusedReason });
      fields.push({ key, value: inner });
    } else if (typeof item === 'object' && item !== null) {
      sink.problems.push({ path: at, message: `"${key}" must be a plain object or an array, not ${describeNonPlainObject(item)}` });
    } else {
      sink.problems.push({ path: at, message: `"${key}" must be an object or an array` });
    }
  }
  return { fields, orGroups };
}

/**
 * Reads a filter policy or event pattern object into its syntax tree, collecting every problem
 * with its path (AWS stops at the first; the order here is AWS's order).
 *
 * @param value - The policy or pattern object.
 * @param options - The service's rules and scope.
 * @param sink - Receives problems and warnings.
 * @returns The tree (complete only when no problem was found).
 */
export function readPatternObject(
  value: Readonly<Record<string, unknown>>,
  options: ReadPatternOptions,
  sink: ProblemSink,
): PatternObjectAst {
  return readObject(value, '', 0, false, false, { options, sink });
}

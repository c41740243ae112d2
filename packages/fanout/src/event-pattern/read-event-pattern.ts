import type { PatternObjectAst } from '../matching/condition-ast.js';
import { describeNonPlainObject, isJsonObject, isPlainObject, parseJsonText } from '../matching/json-text.js';
import { EVENTBRIDGE_DIALECT } from '../matching/matching-dialect.js';
import type { ProblemSink } from '../matching/parse-condition.js';
import type { PatternValidation } from '../matching/pattern-problem.js';
import { readPatternObject } from '../matching/read-pattern-object.js';

/** An event pattern once read: its validation, and its tree when valid. */
export interface ReadEventPattern {
  /** What `validateEventPattern` returns. */
  readonly validation: PatternValidation;
  /** The pattern's tree; use it only when `validation.valid`. */
  readonly tree: PatternObjectAst;
}

/**
 * Reads and checks an event pattern (object or JSON text).
 *
 * @param pattern - The pattern.
 * @returns Its validation and tree.
 */
export function readEventPattern(pattern: unknown): ReadEventPattern {
  const sink: ProblemSink = { problems: [], warnings: [] };
  const done = (tree: PatternObjectAst): ReadEventPattern => ({
    validation: { valid: sink.problems.length === 0, problems: sink.problems, warnings: sink.warnings },
    tree,
  });
  let value = pattern;
  if (typeof pattern === 'string') {
    const parsed = parseJsonText(pattern);
    if (!parsed.ok) {
      sink.problems.push({ path: '', message: `Not valid JSON: ${parsed.reason}` });
      return done({ fields: [], orGroups: [] });
    }
    value = parsed.value;
  }
  if (!isPlainObject(value)) {
    const message = isJsonObject(value)
      ? `Event pattern must be a plain object or JSON text, not ${describeNonPlainObject(value)}`
      : 'Filter is not an object';
    sink.problems.push({ path: '', message });
    return done({ fields: [], orGroups: [] });
  }
  return done(readPatternObject(value, { dialect: EVENTBRIDGE_DIALECT }, sink));
}

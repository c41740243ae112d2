import { HeraldError } from '@herald/core';
import { type PatternProblem, summarizeProblems } from '../matching/pattern-problem.js';

/**
 * Thrown by `compileEventPattern` and `matchesEventPattern` for a pattern EventBridge would refuse
 * (`PutRule` and `TestEventPattern` answer `InvalidEventPatternException`). Code
 * `'InvalidEventPattern'`, not retryable: the pattern must be fixed.
 *
 * `problems` lists everything found, each with a JSON Pointer `path` into the pattern and a
 * message worded like EventBridge's reason. `validateEventPattern` returns the same list without
 * throwing.
 */
export class InvalidEventPatternError extends HeraldError {
  /** Every problem found, in the order EventBridge checks (EventBridge reports the first). */
  readonly problems: readonly PatternProblem[];

  /** @param problems - The problems found (at least one). */
  constructor(problems: readonly PatternProblem[]) {
    super(
      'InvalidEventPattern',
      `EventBridge would refuse this event pattern: ${summarizeProblems(problems)}. Fix the pattern; validateEventPattern lists every problem with its path.`,
    );
    this.problems = problems;
  }
}

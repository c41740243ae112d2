import { HeraldError } from '@herald/core';
import { type PatternProblem, summarizeProblems } from '../matching/pattern-problem.js';
import type { FilterPolicyScope } from './filter-policy-types.js';

/**
 * Thrown by `compileFilterPolicy`, `matchesFilterPolicy` and `filterPolicy` for a policy SNS would
 * refuse (`Subscribe` and `SetSubscriptionAttributes` answer `InvalidParameter`). Code
 * `'InvalidFilterPolicy'`, not retryable: the policy must be fixed.
 *
 * `problems` lists everything found, each with a JSON Pointer `path` into the policy and a
 * message worded like SNS's reason. `validateFilterPolicy` returns the same list without throwing.
 */
export class InvalidFilterPolicyError extends HeraldError {
  /** Every problem found, in the order SNS checks (SNS reports the first). */
  readonly problems: readonly PatternProblem[];
  /** The scope the policy was checked for. */
  readonly scope: FilterPolicyScope;

  /**
   * @param problems - The problems found (at least one).
   * @param scope - The scope the policy was checked for.
   */
  constructor(problems: readonly PatternProblem[], scope: FilterPolicyScope) {
    super(
      'InvalidFilterPolicy',
      `SNS would refuse this filter policy (scope ${scope}): ${summarizeProblems(problems)}. Fix the policy; validateFilterPolicy lists every problem with its path.`,
    );
    this.problems = problems;
    this.scope = scope;
  }
}

/**
 * One thing wrong with a filter policy or an event pattern, as data.
 *
 * `path` is a JSON Pointer (RFC 6901) to the offending part of the policy or pattern: `''` is the
 * whole policy, `/detail/state/0/numeric` the `numeric` operator in the first value of
 * `detail.state`. `message` is worded like the reason AWS gives when it refuses the same thing
 * (for example `Empty arrays are not allowed`), without AWS's `Invalid parameter: ...` prefix.
 */
export interface PatternProblem {
  /** JSON Pointer to the offending part (`''` for the whole policy or pattern). */
  readonly path: string;
  /** What is wrong, worded like AWS's reason where AWS has one. */
  readonly message: string;
}

/**
 * The result of `validateFilterPolicy` or `validateEventPattern`.
 *
 * `valid` is `true` when `problems` is empty: AWS would accept the policy or pattern (as far as
 * Herald knows). `warnings` are accepted by AWS but likely not what the author meant, for
 * example numbers beyond the precision AWS compares with.
 */
export interface PatternValidation {
  /** `true` when nothing AWS would refuse was found. */
  readonly valid: boolean;
  /** Everything AWS would refuse, in the order AWS checks (AWS names only the first). */
  readonly problems: readonly PatternProblem[];
  /** Things AWS accepts but that behave differently from what they look like. */
  readonly warnings: readonly PatternProblem[];
}

/**
 * Appends a key or index to a JSON Pointer, escaping `~` and `/` as RFC 6901 requires.
 *
 * @param path - The pointer so far.
 * @param key - The object key or array index to append.
 * @returns The extended pointer.
 */
export function pointer(path: string, key: string | number): string {
  const text = typeof key === 'number' ? String(key) : key.replaceAll('~', '~0').replaceAll('/', '~1');
  return `${path}/${text}`;
}

/**
 * Summarises problems for an error message: the first few, each with its path.
 *
 * @param problems - The problems found (at least one).
 * @param limit - How many to show.
 * @returns Text such as `/key: Empty arrays are not allowed; and 2 more`.
 */
export function summarizeProblems(problems: readonly PatternProblem[], limit = 3): string {
  const shown = problems
    .slice(0, limit)
    .map((problem) => `${problem.path === '' ? '(whole)' : problem.path}: ${problem.message}`)
    .join('; ');
  return problems.length > limit ? `${shown}; and ${problems.length - limit} more` : shown;
}

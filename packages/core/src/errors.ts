/** Options for {@link HeraldError}. */
export interface HeraldErrorOptions {
  /** Whether trying the same operation again may succeed. Defaults to `false`. */
  retryable?: boolean;
  /** The underlying error, kept as the standard `Error.cause`. */
  cause?: unknown;
}

/**
 * Base class of the errors Herald raises at run time (invalid options throw the standard
 * `RangeError`/`TypeError` instead).
 *
 * `code` is stable and safe to branch on; `retryable` says whether the same call may succeed
 * later; `cause` keeps the underlying error. `name` is the subclass name.
 *
 * @example
 * ```ts
 * try { await work(); } catch (error) {
 *   if (error instanceof HeraldError && error.retryable) scheduleRetry();
 * }
 * ```
 */
export class HeraldError extends Error {
  /** Stable, machine-readable error code, for example `'ValidationFailed'`. */
  readonly code: string;
  /** Whether retrying the same operation may succeed. */
  readonly retryable: boolean;

  /**
   * @param code - Stable machine-readable code.
   * @param message - What was wrong and what to do about it.
   * @param options - `retryable` (default `false`) and `cause`.
   */
  constructor(code: string, message: string, options: HeraldErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

import { HeraldError } from '@herald/core';

/**
 * Thrown by `createFanout` when a route cannot be used: no or a duplicate name, a filter policy
 * or event pattern the evaluators refuse (the evaluator's error is the `cause`), or a target
 * missing what it needs. Fix the route's configuration; retrying cannot help.
 *
 * @example
 * ```ts
 * try { createFanout({ routes }); } catch (error) {
 *   if (error instanceof InvalidRouteError) console.error(error.route, error.message);
 * }
 * ```
 */
export class InvalidRouteError extends HeraldError {
  /** The route's name (or its position, `#2`, when it has no usable name). */
  readonly route: string;

  /**
   * @param route - The route's name or position.
   * @param message - What is wrong and what to do.
   * @param cause - The evaluator's error, for an invalid filter.
   */
  constructor(route: string, message: string, cause?: unknown) {
    super('InvalidRoute', message, cause === undefined ? {} : { cause });
    this.route = route;
  }
}

import { compileEventPattern } from '../event-pattern/index.js';
import { compileFilterPolicy, type FilterPolicyMessage } from '../filter-policy/index.js';
import type { FanoutMessage, RouteFilter } from './fanout-types.js';
import { InvalidRouteError } from './invalid-route-error.js';

/** Not JSON: the body could not be parsed. */
const NOT_JSON: unique symbol = Symbol('not JSON');

/** A message being dispatched, with its body parsed at most once, whatever the number of routes. */
export class MessageView {
  private parsed: unknown = undefined;
  private done = false;

  /** @param message - The message being dispatched. */
  constructor(readonly message: FanoutMessage) {}

  /** The body parsed as JSON, or {@link NOT_JSON}. */
  json(): unknown {
    if (!this.done) {
      this.done = true;
      try {
        this.parsed = JSON.parse(this.message.body);
      } catch {
        this.parsed = NOT_JSON;
      }
    }
    return this.parsed;
  }

  /** The message as a filter policy sees it: its attributes, and the parsed body when it is JSON. */
  policyInput(): FilterPolicyMessage {
    const json = this.json();
    // A parsed string would be read as JSON text again, so pass the original text for those.
    const body = json !== NOT_JSON && typeof json === 'object' && json !== null ? json : this.message.body;
    return this.message.attributes === undefined ? { body } : { attributes: this.message.attributes, body };
  }
}

/** A route's compiled filter: `true` to take the message. May throw (the router reports it). */
export type CompiledFilter = (view: MessageView) => boolean;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Compiles a route's filter once, so a policy or pattern AWS would refuse fails at
 * construction, naming the route.
 *
 * @param route - The route's name, for errors.
 * @param filter - The route's filter; undefined takes every message.
 * @throws InvalidRouteError for a filter that is neither a policy, a pattern nor a function, or
 *   that the evaluator refuses.
 */
export function compileRouteFilter(route: string, filter: RouteFilter | undefined): CompiledFilter {
  if (filter === undefined) return () => true;
  if (typeof filter === 'function') {
    return (view) => {
      const verdict: unknown = filter(view.message);
      if (verdict === true || verdict === false) return verdict;
      const thenable = typeof (verdict as { then?: unknown } | null)?.then === 'function';
      throw new TypeError(
        thenable
          ? 'the predicate returned a promise; route predicates must answer synchronously with true or false'
          : `the predicate returned ${typeof verdict}, not true or false`,
      );
    };
  }
  if (typeof filter !== 'object' || filter === null) {
    throw new InvalidRouteError(route, `Route "${route}": filter must be { filterPolicy }, { eventPattern } or a function.`);
  }
  const hasPolicy = 'filterPolicy' in filter;
  const hasPattern = 'eventPattern' in filter;
  if (hasPolicy === hasPattern) {
    throw new InvalidRouteError(
      route,
      `Route "${route}": filter must have exactly one of filterPolicy (SNS semantics) or eventPattern (EventBridge semantics).`,
    );
  }
  if (hasPolicy) {
    const scope = filter.scope ?? 'MessageAttributes';
    if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
      throw new InvalidRouteError(route, `Route "${route}": filter scope must be "MessageAttributes" or "MessageBody", got "${String(scope)}".`);
    }
    let matches: (message: FilterPolicyMessage) => boolean;
    try {
      matches = compileFilterPolicy(filter.filterPolicy, { scope });
    } catch (error) {
      throw new InvalidRouteError(route, `Route "${route}": its filter policy is invalid: ${describe(error)}`, error);
    }
    return (view) => matches(view.policyInput());
  }
  let matches: (event: unknown) => boolean;
  try {
    matches = compileEventPattern(filter.eventPattern);
  } catch (error) {
    throw new InvalidRouteError(route, `Route "${route}": its event pattern is invalid: ${describe(error)}`, error);
  }
  return (view) => {
    const event = view.json();
    // A body that is not a JSON object is no event: no pattern matches it.
    return typeof event === 'object' && event !== null && !Array.isArray(event) && matches(event);
  };
}

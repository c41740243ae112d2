import { isJsonObject, parseJsonText } from '../matching/json-text.js';
import { EVENTBRIDGE_DIALECT } from '../matching/matching-dialect.js';
import { compilePatternObject } from '../matching/object-matcher.js';
import type { EventPattern } from './event-pattern-types.js';
import { InvalidEventError } from './invalid-event-error.js';
import { InvalidEventPatternError } from './invalid-event-pattern-error.js';
import { readEventPattern } from './read-event-pattern.js';

/** The last event text parsed and its value: a router evaluates one event against many rules. */
let lastEventText: string | undefined;
let lastEventValue: Readonly<Record<string, unknown>> | undefined;

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function eventObject(event: unknown): Readonly<Record<string, unknown>> {
  if (typeof event === 'string') {
    if (event === lastEventText && lastEventValue !== undefined) return lastEventValue;
    const parsed = parseJsonText(event);
    if (!parsed.ok) throw new InvalidEventError('text that is not JSON');
    if (!isJsonObject(parsed.value)) throw new InvalidEventError(`JSON text of ${describeValue(parsed.value)}`);
    lastEventText = event;
    lastEventValue = parsed.value;
    return parsed.value;
  }
  if (isJsonObject(event)) return event;
  throw new InvalidEventError(describeValue(event));
}

/**
 * Checks an EventBridge event pattern once and compiles it into a fast test, with EventBridge's
 * semantics.
 *
 * - Fields are ANDed; the values in a field's list are ORed; `$or` takes one of its branches.
 * - Arrays in the event are searched: a leaf matches if one element matches one value (the
 *   intersection is not empty); a nested pattern object matches if one element matches all of
 *   its fields (EventBridge's array-consistent matching). Nested arrays are searched too.
 * - A string matches only a string, character for character; a number only a number, compared
 *   numerically (`300` matches `300.0`); `null` matches `null` (not `""`, and not a missing field).
 * - `prefix`, `suffix` (both also with `equals-ignore-case`), `equals-ignore-case`, `wildcard`
 *   and `cidr` match strings only; `numeric` matches JSON numbers only (`"101"` is no number).
 * - `anything-but` matches any value present that is not excluded, including `null` and values
 *   of another type; never a missing field.
 * - `exists` looks at leaf values only: `exists: true` needs one (an object or an empty array is
 *   none), `exists: false` matches when there is none.
 * - Dotted keys: `"a.b"` in a pattern or in an event names the nested path a → b.
 *
 * @param pattern - The pattern, as an object or JSON text.
 * @returns A test that answers whether EventBridge would match an event (object or JSON text).
 *   It throws {@link InvalidEventError} for an event that is not a JSON object.
 * @throws InvalidEventPatternError when EventBridge would refuse the pattern.
 *
 * @example
 * ```ts
 * const terminated = compileEventPattern({ source: ['aws.ec2'], detail: { state: ['terminated'] } });
 * terminated({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: { state: 'terminated' } }); // true
 * ```
 */
export function compileEventPattern(pattern: EventPattern | string): (event: unknown) => boolean {
  const { validation, tree } = readEventPattern(pattern);
  if (!validation.valid) throw new InvalidEventPatternError(validation.problems);
  const root = compilePatternObject(tree, EVENTBRIDGE_DIALECT, true);
  return (event) => root.test(eventObject(event));
}

/** Compiled patterns given as text (immutable, so safe to reuse), most recent last. */
const compiledTexts = new Map<string, (event: unknown) => boolean>();
const MAX_CACHED_TEXTS = 64;

/**
 * Whether EventBridge would match `event` with `pattern` (see {@link compileEventPattern} for the
 * semantics). Checks the pattern first, on every call for an object pattern: compile once with
 * {@link compileEventPattern} to evaluate many events.
 *
 * @param pattern - The pattern, as an object or JSON text.
 * @param event - The event, as an object or JSON text.
 * @returns `true` when the pattern matches.
 * @throws InvalidEventPatternError when EventBridge would refuse the pattern.
 * @throws InvalidEventError when the event is not a JSON object.
 *
 * @example
 * ```ts
 * matchesEventPattern({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, { detail: { 'c-count': 5 } }); // true
 * ```
 */
export function matchesEventPattern(pattern: EventPattern | string, event: unknown): boolean {
  if (typeof pattern !== 'string') return compileEventPattern(pattern)(event);
  let compiled = compiledTexts.get(pattern);
  if (compiled === undefined) {
    compiled = compileEventPattern(pattern);
    if (compiledTexts.size >= MAX_CACHED_TEXTS) compiledTexts.delete(compiledTexts.keys().next().value as string);
  } else {
    compiledTexts.delete(pattern);
  }
  compiledTexts.set(pattern, compiled);
  return compiled(event);
}

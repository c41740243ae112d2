/** The outcome of parsing JSON text: the value, or why it is not JSON. */
export type JsonParseOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/**
 * Parses JSON text without throwing. Duplicate keys keep the last value, as AWS's parsers do.
 *
 * @param text - The text to parse.
 * @returns The parsed value, or the parser's reason.
 */
export function parseJsonText(text: string): JsonParseOutcome {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * How AWS's JSON parser names a value in its messages (for example `Invalid member in numeric
 * match: 1`): the text of a string, the literal of a number or keyword, `[` or `{` for a
 * container, `]` for the end of an array.
 *
 * @param value - The value, or `undefined` for "the array ended here".
 * @returns The token text.
 */
export function tokenText(value: unknown): string {
  if (value === undefined) return ']';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return '[';
  if (value !== null && typeof value === 'object') return '{';
  return String(value);
}

/**
 * Whether a value is a plain JSON object (not an array, not `null`).
 *
 * @param value - Any value.
 * @returns `true` for objects that are not arrays.
 */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a value is a plain object: an object literal, parsed JSON, or an object made with
 * `Object.create(null)`. Only these are filter policies, event patterns and operator objects;
 * a `Date`, `Map`, `Set`, `RegExp`, boxed primitive, array or class instance is not (most have no
 * own keys, so they would read as `{}`).
 *
 * @param value - Any value.
 * @returns `true` when the prototype is `Object.prototype` or `null`.
 */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Names an object that is not plain for a message, by its constructor: `a Date object`,
 * `an OrderFilter object`, `an array`.
 *
 * @param value - An object for which {@link isPlainObject} is `false`.
 * @returns The words naming it.
 */
export function describeNonPlainObject(value: object): string {
  if (Array.isArray(value)) return 'an array';
  let name: unknown;
  try {
    name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } }).constructor?.name;
  } catch {
    // A proxy or odd prototype: name it generically.
  }
  if (typeof name !== 'string' || name === '') return 'an object of an unnamed class';
  const text = name.slice(0, 64);
  return `${/^[AEIOUaeiou]/.test(text) ? 'an' : 'a'} ${text} object`;
}

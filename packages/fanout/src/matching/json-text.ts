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

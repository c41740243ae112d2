/**
 * Text for any value, for result messages and logs. Never throws: `String(value)` throws for an
 * object without a prototype (`Object.create(null)`) or with a throwing `toString`, and then
 * `Object.prototype.toString` of it (`"[object Object]"`) is used instead.
 *
 * @param value - Anything: an error, an abort reason, a value a callback rejected with.
 */
export function safeText(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[a value that cannot be shown as text]';
    }
  }
}

/**
 * Text for an abort reason or a caught error: an `Error`'s message (or its name when the message
 * is empty), else {@link safeText} of the value. Never throws.
 *
 * @param reason - An abort reason or a caught error; `undefined` gives `'no reason given'`.
 */
export function reasonText(reason: unknown): string {
  if (reason === undefined) return 'no reason given';
  try {
    if (reason instanceof Error) {
      const message: unknown = reason.message;
      if (typeof message === 'string' && message !== '') return message;
      const name: unknown = reason.name;
      if (typeof name === 'string' && name !== '') return name;
    }
  } catch {
    // A proxy or a throwing getter: fall back to the value's own text.
  }
  return safeText(reason);
}

import { EventBridgeRequestError, validationError } from './eventbridge-responses.js';

/** An EventBridge request body, parsed: a JSON object. */
export type EventBridgeInput = Readonly<Record<string, unknown>>;

/**
 * Whether a value is a plain JSON object (not `null`, not an array).
 *
 * @param value - Any value.
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses an EventBridge request body. The front endpoint has already answered bodies that
 * are not a JSON object; this is the same check for callers that skipped it.
 *
 * @param body - The raw body.
 * @returns The parsed object.
 * @throws An {@link EventBridgeRequestError} (`SerializationException`) when it is not a JSON object.
 */
export function parseEventBridgeInput(body: Buffer): EventBridgeInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!isJsonObject(parsed)) {
    throw new EventBridgeRequestError('SerializationException', 'The EventBridge request body must be a JSON object.');
  }
  return parsed;
}

/**
 * Reads an optional string member.
 *
 * @param input - The request.
 * @param key - The member name.
 * @returns The string, or `undefined` when absent.
 * @throws `ValidationException` when present but not a string.
 */
export function optionalString(input: EventBridgeInput, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`Parameter ${key} must be a string.`);
  return value;
}

/**
 * Reads a required, non-empty string member, with AWS's wording when it is missing.
 *
 * @param input - The request.
 * @param key - The member name (as AWS spells it in messages, e.g. `Name`).
 * @returns The string.
 * @throws `ValidationException` when it is missing or empty.
 */
export function requiredString(input: EventBridgeInput, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined) {
    throw validationError(`1 validation error detected: Value null at '${lowerFirst(key)}' failed to satisfy constraint: Member must not be null`);
  }
  if (value === '') {
    throw validationError(
      `1 validation error detected: Value '' at '${lowerFirst(key)}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  }
  return value;
}

/**
 * Reads an optional positive whole number (`Limit`).
 *
 * @param input - The request.
 * @param key - The member name.
 * @param max - Largest allowed value.
 * @returns The number, or `undefined` when absent.
 * @throws `ValidationException` when out of range.
 */
export function optionalLimit(input: EventBridgeInput, key: string, max: number): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw validationError(
      `1 validation error detected: Value '${String(value)}' at '${lowerFirst(key)}' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  }
  return value;
}

/**
 * Checks a name against a pattern and length, as AWS's model does.
 *
 * @param value - The name.
 * @param member - The member name for the message, e.g. `name`.
 * @param pattern - The allowed characters.
 * @param maxLength - Largest length.
 * @throws `ValidationException` when it does not fit.
 */
export function checkName(value: string, member: string, pattern: RegExp, maxLength: number): void {
  if (value.length > maxLength) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`,
    );
  }
  if (!pattern.test(value)) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source.replace(/^\^/, '').replace(/\$$/, '')}`,
    );
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * A page of a listed collection, with an opaque `NextToken` (the offset, encoded).
 *
 * @param items - Every item, in listing order.
 * @param limit - Page size; `undefined` for everything.
 * @param nextToken - The token from the previous page, if any.
 * @returns The page and the token for the next one.
 * @throws `ValidationException` for a token this endpoint did not issue.
 */
export function pageOf<T>(items: readonly T[], limit: number | undefined, nextToken: string | undefined): { page: T[]; nextToken: string | undefined } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isSafeInteger(decoded) || decoded < 0) throw validationError('The NextToken is not valid: pass the NextToken of the previous page unchanged.');
    start = decoded;
  }
  const end = limit === undefined ? items.length : Math.min(items.length, start + limit);
  const page = items.slice(start, end);
  return { page, nextToken: end < items.length ? Buffer.from(`offset:${end}`, 'utf8').toString('base64url') : undefined };
}

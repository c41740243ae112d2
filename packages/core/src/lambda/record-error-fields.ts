import { reasonText } from '../batch/safe-text.js';

/** What Herald logs about an error a record handler threw: its name and a body-free message. */
export interface RecordErrorFields {
  /** The error's `name`, or the type of a thrown non-Error value (`'string'`, `'undefined'`, `'null'`). */
  errorName: string;
  /** The error's message (`'no reason given'` for `undefined`) with the record's body removed. */
  errorMessage: string;
}

const REDACTED = '[body redacted]';

/**
 * V8's JSON.parse errors quote the start of the text they failed on, for example
 * `Unexpected token 'h', "hello" is not valid JSON` or `…, "{"a": sec"... is not valid JSON`.
 * The quoted part is a piece of the body, so it is cut out.
 */
const JSON_SNIPPET = /(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON/;

/** Bodies shorter than this are not searched for in messages: too many false matches. */
const MIN_BODY_LENGTH_TO_REDACT = 4;

/**
 * The name and message of an error a record handler threw, safe to log: every occurrence of
 * the record's body, and the body snippet that `JSON.parse` errors quote, are replaced by
 * `[body redacted]`. Never throws.
 *
 * @param error - What the handler threw or rejected with (any value).
 * @param body - The record's body, which must not reach the logs.
 */
export function recordErrorFields(error: unknown, body: string): RecordErrorFields {
  let errorName: string = error === null ? 'null' : typeof error;
  try {
    if (error instanceof Error && typeof error.name === 'string' && error.name !== '') errorName = error.name;
  } catch {
    // A throwing getter: keep the type name.
  }
  let errorMessage = reasonText(error);
  if (body.length >= MIN_BODY_LENGTH_TO_REDACT) errorMessage = errorMessage.split(body).join(REDACTED);
  errorMessage = errorMessage.replace(JSON_SNIPPET, `"${REDACTED}" is not valid JSON`);
  return { errorName, errorMessage };
}

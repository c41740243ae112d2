import { reasonText } from '../batch/safe-text.js';
import { unwrapSqsRecord } from './unwrap-sqs-record.js';

/** What Herald logs about an error a record handler threw: its name and a body-free message. */
export interface RecordErrorFields {
  /** The error's `name`, or the type of a thrown non-Error value (`'string'`, `'undefined'`, `'null'`). */
  errorName: string;
  /** The error's message (`'no reason given'` for `undefined`) with the record's payload removed. */
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
 * The texts that must not reach a log for a record with `body`: the body itself, the published
 * message when the body is an SNS envelope (what a handler works with after `unwrapSqsRecord`),
 * and each of them as it reads inside a JSON string (`"` as `\"`, newlines as `\n`). Longest
 * first, so that a text containing another is replaced whole.
 */
function payloadTexts(body: string): string[] {
  const texts = [body];
  try {
    const unwrapped = unwrapSqsRecord({ body });
    const envelope = unwrapped.kind === 'sns' || unwrapped.kind === 's3' ? unwrapped.envelope : undefined;
    if (envelope !== undefined) texts.push(envelope.Message);
  } catch {
    // unwrapSqsRecord does not throw for a string body; nothing more to redact if it ever did.
  }
  for (const text of [...texts]) texts.push(JSON.stringify(text).slice(1, -1));
  return [...new Set(texts)].filter((text) => text.length >= MIN_BODY_LENGTH_TO_REDACT).sort((a, b) => b.length - a.length);
}

/**
 * The name and message of an error a record handler threw, safe to log: every occurrence of
 * the record's body, of the message published in it when it is an SNS envelope, of either as
 * escaped inside a JSON string, and the body snippet that `JSON.parse` errors quote, are
 * replaced by `[body redacted]`. Never throws.
 *
 * Only whole payloads are found this way: a handler that puts a field of the payload into an
 * error message (`new Error('bad card ' + order.card)`) must redact it itself.
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
  for (const text of payloadTexts(body)) errorMessage = errorMessage.split(text).join(REDACTED);
  errorMessage = errorMessage.replace(JSON_SNIPPET, `"${REDACTED}" is not valid JSON`);
  return { errorName, errorMessage };
}

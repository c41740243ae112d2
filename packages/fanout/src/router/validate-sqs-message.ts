import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SqsBatchEntry } from './sqs-types.js';

/** Why an SQS message cannot be sent, found before sending it. */
export interface SqsMessageProblem {
  /**
   * The code SQS itself gives for the problem: `'MissingParameter'` (no body, no
   * `MessageGroupId` or `MessageDeduplicationId` where one is required),
   * `'InvalidMessageContents'` (a character SQS does not accept, in the body or in a String
   * attribute value) or `'InvalidParameterValue'` (everything else).
   */
  code: 'MissingParameter' | 'InvalidMessageContents' | 'InvalidParameterValue';
  /** What is wrong and how to fix it. Names attributes and fields, never quotes the body. */
  message: string;
}

/** What {@link validateSqsMessage} checks a message against: the queue's kind and settings. */
export interface SqsMessageRules {
  /** The queue is FIFO. */
  fifo: boolean;
  /** FIFO: `false` makes `MessageDeduplicationId` required. Unset leaves it optional. */
  contentBasedDeduplication?: boolean | undefined;
}

/** Most message attributes SQS accepts on one message. */
export const SQS_MAX_MESSAGE_ATTRIBUTES = 10;
/** Longest `DelaySeconds` SQS accepts (15 minutes). */
export const SQS_MAX_DELAY_SECONDS = 900;

/**
 * A character SQS refuses: everything outside `#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
 * #x10000-#x10FFFF` (the XML 1.0 character set). With the `u` flag an unpaired surrogate is a
 * code point of its own in `D800-DFFF`, so it matches too.
 */
const FORBIDDEN_CHARACTER = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
/** Group and deduplication ids: 1–128 of A-Z, a-z, 0-9 and ASCII punctuation (no space). */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;
const NUMBER = /^[+-]?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
/** SQS numbers: at most 38 significant digits, magnitude from 10^-128 to 10^126 (or 0). */
const NUMBER_MAX_DIGITS = 38;

function problem(code: SqsMessageProblem['code'], message: string): SqsMessageProblem {
  return { code, message };
}

function isUint8Array(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function checkAttributeName(name: string): string | undefined {
  if (!ATTRIBUTE_NAME.test(name)) return 'must be 1-256 characters of A-Z, a-z, 0-9, underscore, hyphen and period';
  if (name.startsWith('.') || name.endsWith('.')) return 'must not start or end with a period';
  if (name.includes('..')) return 'must not contain two periods in a row';
  const lower = name.toLowerCase();
  if (lower.startsWith('aws.') || lower.startsWith('amazon.')) return 'must not start with "AWS." or "Amazon." (reserved by AWS)';
  return undefined;
}

/** Significant digits of a decimal number's mantissa (leading and trailing zeros do not count). */
function significantDigits(integer: string, fraction: string): number {
  const digits = `${integer}${fraction}`.replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

function checkNumber(text: string): string | undefined {
  const match = NUMBER.exec(text);
  if (match === null) return 'needs a numeric StringValue (for example "42" or "-1.5e3")';
  const integer = match[1] ?? '';
  const fraction = match[2] ?? match[3] ?? '';
  if (significantDigits(integer, fraction) > NUMBER_MAX_DIGITS) {
    return `has more than ${NUMBER_MAX_DIGITS} significant digits, more than SQS keeps; send it as a String`;
  }
  const value = Math.abs(Number(text));
  if (value !== 0 && (!(value <= 1e126) || value < 1e-128)) {
    return 'is outside the range SQS accepts for numbers (10^-128 to 10^126); send it as a String';
  }
  return undefined;
}

/** The base type of a DataType (`String`, `Number`, `Binary`, each optionally `.label`ed), or undefined. */
function baseType(dataType: string): 'String' | 'Number' | 'Binary' | undefined {
  const dot = dataType.indexOf('.');
  if (dot === dataType.length - 1) return undefined;
  const base = dot === -1 ? dataType : dataType.slice(0, dot);
  return base === 'String' || base === 'Number' || base === 'Binary' ? base : undefined;
}

function checkAttributeValue(value: MessageAttributeValue): string | undefined {
  if (typeof value !== 'object' || value === null) return 'must be an object with DataType and a value';
  const dataType: unknown = value.DataType;
  if (typeof dataType !== 'string' || dataType === '') return 'needs a DataType';
  if (dataType.length > 256) return 'has a DataType longer than 256 characters';
  const base = baseType(dataType);
  if (base === undefined) {
    return `has DataType "${FORBIDDEN_CHARACTER.test(dataType) ? '(not printable)' : dataType}"; use String, Number or Binary, optionally with a custom label after a period (e.g. Number.float)`;
  }
  const binary: unknown = value.BinaryValue;
  const text: unknown = value.StringValue;
  if (value.StringListValues !== undefined || value.BinaryListValues !== undefined) {
    return 'uses StringListValues or BinaryListValues, which SQS does not implement; give a StringValue or BinaryValue';
  }
  if (base === 'Binary') {
    if (!isUint8Array(binary) || binary.byteLength === 0) return `of type ${dataType} needs a non-empty BinaryValue (a Uint8Array or Buffer)`;
    if (!isAbsent(text)) return `of type ${dataType} must not also have a StringValue; give only its BinaryValue`;
    return undefined;
  }
  if (typeof text !== 'string' || text === '') return `of type ${dataType} needs a non-empty StringValue`;
  if (!isAbsent(binary)) return `of type ${dataType} must not also have a BinaryValue; give only its StringValue`;
  if (base === 'Number') return checkNumber(text);
  if (FORBIDDEN_CHARACTER.test(text)) {
    return `of type ${dataType} has a StringValue with a character SQS refuses (control characters other than tab, line feed and carriage return, U+FFFE, U+FFFF, or half of a surrogate pair)`;
  }
  return undefined;
}

function checkFifoId(field: 'MessageGroupId' | 'MessageDeduplicationId', value: unknown): SqsMessageProblem | undefined {
  if (typeof value === 'string' && FIFO_ID.test(value)) return undefined;
  return problem(
    'InvalidParameterValue',
    `${field} must be 1-128 characters of A-Z, a-z, 0-9 and ASCII punctuation (no spaces, no other characters).`,
  );
}

function checkAttributes(attributes: unknown): SqsMessageProblem | undefined {
  if (typeof attributes !== 'object' || attributes === null) {
    return problem('InvalidParameterValue', 'MessageAttributes must be an object of name → { DataType, StringValue | BinaryValue }.');
  }
  let count = 0;
  for (const name in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, name)) continue;
    count++;
    const badName = checkAttributeName(name);
    if (badName !== undefined) {
      const shown = FORBIDDEN_CHARACTER.test(name) ? '(not printable)' : Array.from(name).slice(0, 300).join('');
      return problem('InvalidParameterValue', `The message attribute name "${shown}" ${badName}.`);
    }
    const badValue = checkAttributeValue((attributes as Record<string, MessageAttributeValue>)[name] as MessageAttributeValue);
    if (badValue !== undefined) {
      const code = badValue.includes('character SQS refuses') ? 'InvalidMessageContents' : 'InvalidParameterValue';
      return problem(code, `The message attribute "${name}" ${badValue}.`);
    }
  }
  if (count > SQS_MAX_MESSAGE_ATTRIBUTES) {
    return problem(
      'InvalidParameterValue',
      `The message has ${count} message attributes; SQS accepts at most ${SQS_MAX_MESSAGE_ATTRIBUTES}. Move some into the body.`,
    );
  }
  return undefined;
}

function checkSystemAttributes(attributes: unknown): SqsMessageProblem | undefined {
  if (typeof attributes !== 'object' || attributes === null) {
    return problem('InvalidParameterValue', 'MessageSystemAttributes must be an object; the only one SQS accepts is AWSTraceHeader.');
  }
  for (const name in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, name)) continue;
    if (name !== 'AWSTraceHeader') {
      return problem('InvalidParameterValue', `The message system attribute "${name}" is not one SQS accepts; the only one is AWSTraceHeader.`);
    }
    const value = (attributes as Record<string, { DataType?: unknown; StringValue?: unknown } | undefined>)[name];
    if (value?.DataType !== 'String' || typeof value.StringValue !== 'string' || value.StringValue === '') {
      return problem('InvalidParameterValue', 'The message system attribute AWSTraceHeader needs DataType "String" and a non-empty StringValue (an X-Ray trace header).');
    }
  }
  return undefined;
}

/**
 * Checks one SQS message against what `SendMessageBatch` would refuse for that entry, so it
 * fails alone and at once instead of being sent. Size is checked separately (see
 * {@link sqsMessageSize}).
 *
 * Checks:
 * - `MessageBody` is a non-empty string of characters SQS accepts: tab, line feed, carriage
 *   return, U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF. Other control characters,
 *   U+FFFE/U+FFFF and unpaired surrogates are refused (`'InvalidMessageContents'`).
 * - At most 10 `MessageAttributes`. Names: 1–256 of `[A-Za-z0-9_.-]`, no leading, trailing or
 *   double period, no `AWS.`/`Amazon.` prefix in any case. DataType `String`, `Number` or
 *   `Binary`, optionally `.label`ed, at most 256 characters. `Binary` has a non-empty
 *   `BinaryValue` only; the others a non-empty `StringValue` only. `String` values obey the
 *   body's character rules. `Number` values are decimal numbers with at most 38 significant
 *   digits between 10^-128 and 10^126 in magnitude.
 * - `MessageSystemAttributes`: only `AWSTraceHeader`, a non-empty String.
 * - `DelaySeconds`: an integer from 0 to 900 on standard queues; refused on FIFO queues (SQS
 *   only takes a queue-level delay there).
 * - `MessageGroupId` (if set, on any queue: standard queues use it for fair queues) and
 *   `MessageDeduplicationId` are 1–128 characters of A-Z, a-z, 0-9 and ASCII punctuation.
 *   FIFO: `MessageGroupId` is required, and `MessageDeduplicationId` too when
 *   `contentBasedDeduplication` is `false`. Standard queues: `MessageDeduplicationId` is refused.
 *
 * @param message - The entry, without its batch `Id`.
 * @param rules - The queue's kind and deduplication setting.
 * @returns `undefined` when the message is valid, else the first problem found.
 *
 * @example
 * ```ts
 * validateSqsMessage({ MessageBody: 'hi' }, { fifo: true });
 * // { code: 'MissingParameter', message: 'This is a FIFO queue: every message needs a MessageGroupId.' }
 * ```
 */
export function validateSqsMessage(message: SqsBatchEntry, rules: SqsMessageRules): SqsMessageProblem | undefined {
  if (typeof message !== 'object' || message === null) {
    return problem('InvalidParameterValue', 'The message must be an object with a MessageBody string.');
  }
  const body: unknown = message.MessageBody;
  if (typeof body !== 'string' || body === '') {
    return problem('MissingParameter', 'MessageBody must be a non-empty string; SQS refuses empty messages.');
  }
  if (FORBIDDEN_CHARACTER.test(body)) {
    return problem(
      'InvalidMessageContents',
      'MessageBody contains a character SQS refuses (a control character other than tab, line feed and carriage return, U+FFFE, U+FFFF, or half of a surrogate pair). Remove it, or encode the body (for example as Base64).',
    );
  }
  if (message.MessageAttributes !== undefined) {
    const wrong = checkAttributes(message.MessageAttributes);
    if (wrong !== undefined) return wrong;
  }
  if (message.MessageSystemAttributes !== undefined) {
    const wrong = checkSystemAttributes(message.MessageSystemAttributes);
    if (wrong !== undefined) return wrong;
  }
  const delay: unknown = message.DelaySeconds;
  if (delay !== undefined) {
    if (rules.fifo) {
      return problem(
        'InvalidParameterValue',
        'DelaySeconds cannot be set per message on a FIFO queue; set the queue\'s DelaySeconds attribute instead.',
      );
    }
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > SQS_MAX_DELAY_SECONDS) {
      return problem('InvalidParameterValue', `DelaySeconds must be an integer from 0 to ${SQS_MAX_DELAY_SECONDS}.`);
    }
  }
  const groupId: unknown = message.MessageGroupId;
  const dedupId: unknown = message.MessageDeduplicationId;
  if (groupId !== undefined) {
    const wrong = checkFifoId('MessageGroupId', groupId);
    if (wrong !== undefined) return wrong;
  }
  if (rules.fifo) {
    if (groupId === undefined) return problem('MissingParameter', 'This is a FIFO queue: every message needs a MessageGroupId.');
    if (dedupId !== undefined) {
      const wrong = checkFifoId('MessageDeduplicationId', dedupId);
      if (wrong !== undefined) return wrong;
    } else if (rules.contentBasedDeduplication === false) {
      return problem(
        'MissingParameter',
        'This FIFO queue has no content-based deduplication: every message needs a MessageDeduplicationId.',
      );
    }
  } else if (dedupId !== undefined) {
    return problem('InvalidParameterValue', 'MessageDeduplicationId applies only to FIFO queues; remove it for a standard queue.');
  }
  return undefined;
}

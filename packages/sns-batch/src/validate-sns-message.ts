import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { isWellFormedUtf16 } from '@herald/core';
import type { SnsMessage } from './types.js';

/** Why a message cannot be sent, found before sending it. */
export interface SnsMessageProblem {
  /**
   * `'InvalidParameter'` for the body, subject, structure, group and deduplication ids and the
   * number of attributes; `'ParameterValueInvalid'` for an attribute's name, type or value
   * (the codes SNS itself uses for these).
   */
  code: 'InvalidParameter' | 'ParameterValueInvalid';
  /** What is wrong and how to fix it. Names attributes, never quotes values or the body. */
  message: string;
}

/** Options of {@link validateSnsMessage}. */
export interface SnsMessageRules {
  /** The topic is FIFO. */
  fifo: boolean;
  /** FIFO: `false` makes `MessageDeduplicationId` required. */
  contentBasedDeduplication?: boolean | undefined;
  /** Most attributes per message. Default 10. */
  maxMessageAttributes?: number | undefined;
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
/**
 * Group and deduplication ids: 1–128 characters of A-Z, a-z, 0-9 and the ASCII punctuation
 * ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``, that is every printable ASCII character but space.
 */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;
/** Subject: control characters (C0, DEL, C1) and line or paragraph separators are refused. */
const SUBJECT_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** SNS's limit is "less than 100 characters". */
const SUBJECT_MAX_CHARACTERS = 99;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Any UTF-16 surrogate code unit, paired or not. */
const SURROGATE = /[\ud800-\udfff]/;
/** Attribute name prefixes reserved by AWS that callers may still set (SMS and mobile push settings). */
const CALLER_SETTABLE_AWS_PREFIXES = ['aws.sns.mobile.', 'aws.sns.sms.', 'aws.mm.sms.'];

const UNPAIRED_SURROGATE =
  'contains an unpaired UTF-16 surrogate (half of a character such as an emoji, often left by cutting a string in the middle), which cannot be encoded as UTF-8';

function problem(code: SnsMessageProblem['code'], message: string): SnsMessageProblem {
  return { code, message };
}

/** Unicode characters (code points) in `text`, counting a surrogate pair once. */
function characterCount(text: string): number {
  let count = 0;
  for (const _character of text) count++;
  return count;
}

function checkSubject(subject: unknown): string | undefined {
  if (typeof subject !== 'string' || subject === '') return 'Subject must be a non-empty string when set';
  if (!isWellFormedUtf16(subject)) return `Subject ${UNPAIRED_SURROGATE}`;
  if (SUBJECT_FORBIDDEN.test(subject)) return 'Subject must not contain line breaks or control characters';
  if (subject.length > SUBJECT_MAX_CHARACTERS && characterCount(subject) > SUBJECT_MAX_CHARACTERS) {
    return `Subject must be less than 100 characters long (at most ${SUBJECT_MAX_CHARACTERS})`;
  }
  return undefined;
}

function checkAttributeName(name: string): string | undefined {
  if (!ATTRIBUTE_NAME.test(name)) {
    return 'must be 1-256 characters of A-Z, a-z, 0-9, underscore, hyphen and period';
  }
  if (name.startsWith('.') || name.endsWith('.')) return 'must not start or end with a period';
  if (name.includes('..')) return 'must not contain two periods in a row';
  const lower = name.toLowerCase();
  if (
    (lower.startsWith('aws.') || lower.startsWith('amazon.')) &&
    !CALLER_SETTABLE_AWS_PREFIXES.some((prefix) => lower.startsWith(prefix))
  ) {
    return 'must not start with "AWS." or "Amazon." (reserved by AWS)';
  }
  return undefined;
}

/** The base type of a DataType (`String`, `Number`, `Binary`, `String.Array`), or undefined if invalid. */
function baseType(dataType: string): 'String' | 'Number' | 'Binary' | 'String.Array' | undefined {
  if (dataType === 'String.Array') return 'String.Array';
  const dot = dataType.indexOf('.');
  const base = dot === -1 ? dataType : dataType.slice(0, dot);
  if (dot !== -1 && dot === dataType.length - 1) return undefined; // "String." has an empty label
  return base === 'String' || base === 'Number' || base === 'Binary' ? base : undefined;
}

/** A `Uint8Array` (a Node `Buffer` is one), also from another realm. */
function isUint8Array(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';
}

/** `undefined` and `null` both mean "not given" (the SDK sends neither). */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function isStringArrayElement(element: unknown): boolean {
  return element === null || typeof element === 'string' || typeof element === 'number' || typeof element === 'boolean';
}

function checkAttributeValue(value: MessageAttributeValue): string | undefined {
  if (typeof value !== 'object' || value === null) return 'must be an object with DataType and a value';
  const dataType: unknown = value.DataType;
  if (typeof dataType !== 'string' || dataType === '') return 'needs a DataType';
  if (dataType.length > 256) return 'has a DataType longer than 256 characters';
  if (!isWellFormedUtf16(dataType)) return `has a DataType that ${UNPAIRED_SURROGATE}`;
  const base = baseType(dataType);
  if (base === undefined) {
    return `has DataType "${dataType}"; use String, Number, Binary or String.Array (String, Number and Binary may have a custom label after a period, e.g. Number.float)`;
  }
  const binary: unknown = value.BinaryValue;
  const text: unknown = value.StringValue;
  if (base === 'Binary') {
    if (!isUint8Array(binary) || binary.byteLength === 0) {
      return `of type ${dataType} needs a non-empty BinaryValue (a Uint8Array or Buffer)`;
    }
    if (!isAbsent(text)) return `of type ${dataType} must not also have a StringValue; give only its BinaryValue`;
    return undefined;
  }
  if (typeof text !== 'string' || text === '') return `of type ${dataType} needs a non-empty StringValue`;
  if (!isAbsent(binary)) {
    return `of type ${dataType} must not also have a BinaryValue; give only its StringValue (or use DataType Binary)`;
  }
  if (base === 'Number') {
    if (!NUMBER.test(text) || !Number.isFinite(Number(text))) {
      return `of type ${dataType} needs a numeric StringValue (for example "42" or "-1.5e3")`;
    }
    return undefined;
  }
  // String and String.Array values: SNS refuses surrogates (characters beyond U+FFFF, such as
  // emoji) in attribute values, and unpaired ones cannot be encoded at all.
  if (SURROGATE.test(text)) {
    return isWellFormedUtf16(text)
      ? `of type ${dataType} has a StringValue with a character beyond U+FFFF (such as an emoji), which SNS refuses in attribute values; put it in the body, or encode the value (for example with encodeURIComponent)`
      : `of type ${dataType} has a StringValue that ${UNPAIRED_SURROGATE}`;
  }
  if (base === 'String.Array') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
      return 'of type String.Array needs a StringValue that is a JSON array (for example ["a", 1, true, null])';
    }
    if (!parsed.every(isStringArrayElement)) {
      return 'of type String.Array may hold only strings, numbers, true, false and null (no nested arrays or objects)';
    }
  }
  return undefined;
}

function checkStructure(message: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return 'MessageStructure is "json" but Message is not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'MessageStructure is "json" but Message is not a JSON object';
  }
  if (typeof (parsed as Record<string, unknown>)['default'] !== 'string') {
    return 'MessageStructure is "json" but Message has no string "default" key';
  }
  return undefined;
}

function checkFifoId(field: 'MessageGroupId' | 'MessageDeduplicationId', value: unknown): SnsMessageProblem | undefined {
  if (typeof value === 'string' && FIFO_ID.test(value)) return undefined;
  return problem(
    'InvalidParameter',
    `${field} must be 1-128 characters of A-Z, a-z, 0-9 and ASCII punctuation (no spaces, no other characters).`,
  );
}

/**
 * Checks one message against what SNS `PublishBatch` would refuse for that entry, so it can
 * fail alone and at once instead of being sent (and, for text that cannot be encoded, instead
 * of making the SDK fail the whole request). Size is checked separately (see
 * {@link snsMessageSize}).
 *
 * Checks:
 * - `Message` is a non-empty string. Every string sent (body, subject, data types, values)
 *   must be well-formed UTF-16: an unpaired surrogate cannot be encoded as UTF-8.
 * - `Subject` (if set) is non-empty UTF-8 text with no line breaks or control characters and
 *   less than 100 characters long (characters are Unicode code points).
 * - `MessageStructure` (if set) is `json` with a JSON object body that has a string `default`.
 * - At most `maxMessageAttributes` attributes. Each name is 1-256 of `[A-Za-z0-9_.-]`, with no
 *   leading, trailing or double period and no `AWS.`/`Amazon.` prefix except the SMS and mobile
 *   settings `AWS.SNS.SMS.*`, `AWS.MM.SMS.*`, `AWS.SNS.MOBILE.*`. Each DataType is `String`,
 *   `Number`, `Binary` (optionally with a `.label`) or `String.Array`.
 * - Values: `Binary` has a non-empty `BinaryValue` (`Uint8Array`/`Buffer`) and no
 *   `StringValue`; the others have a non-empty `StringValue` and no `BinaryValue`. `Number` is
 *   a finite decimal number. `String`/`String.Array` values contain no character beyond U+FFFF
 *   (SNS refuses surrogates in attribute values). `String.Array` is a JSON array of strings,
 *   numbers, `true`, `false` and `null`.
 * - `MessageGroupId` (if set, on any topic) and `MessageDeduplicationId` are 1-128 characters
 *   of A-Z, a-z, 0-9 and ASCII punctuation. FIFO: `MessageGroupId` is required, and
 *   `MessageDeduplicationId` too when `contentBasedDeduplication` is `false`. Standard topics:
 *   `MessageDeduplicationId` is refused (`MessageGroupId` is allowed: SNS passes it to SQS fair
 *   queues).
 *
 * @returns `undefined` when the message is valid, else the first problem found.
 */
export function validateSnsMessage(message: SnsMessage, rules: SnsMessageRules): SnsMessageProblem | undefined {
  if (typeof message !== 'object' || message === null) {
    return problem('InvalidParameter', 'The message must be an object with a Message string.');
  }
  const body: unknown = message.Message;
  if (typeof body !== 'string' || body === '') {
    return problem('InvalidParameter', 'Message must be a non-empty string; SNS refuses empty messages.');
  }
  if (!isWellFormedUtf16(body)) return problem('InvalidParameter', `Message ${UNPAIRED_SURROGATE}. Fix the text before publishing.`);
  const subject: unknown = message.Subject;
  if (subject !== undefined) {
    const wrong = checkSubject(subject);
    if (wrong !== undefined) return problem('InvalidParameter', `${wrong}.`);
  }
  const structure: unknown = message.MessageStructure;
  if (structure !== undefined) {
    const wrong = structure === 'json' ? checkStructure(body) : 'MessageStructure must be "json" when set';
    if (wrong !== undefined) return problem('InvalidParameter', `${wrong}.`);
  }

  const attributes: unknown = message.MessageAttributes;
  if (attributes !== undefined) {
    if (typeof attributes !== 'object' || attributes === null) {
      return problem('InvalidParameter', 'MessageAttributes must be an object of name → { DataType, StringValue | BinaryValue }.');
    }
    const limit = rules.maxMessageAttributes ?? 10;
    let count = 0;
    for (const name in attributes) {
      if (!Object.prototype.hasOwnProperty.call(attributes, name)) continue;
      count++;
      const badName = checkAttributeName(name);
      if (badName !== undefined) {
        const shown = isWellFormedUtf16(name) ? Array.from(name).slice(0, 300).join('') : '(not well-formed text)';
        return problem('ParameterValueInvalid', `The message attribute name "${shown}" ${badName}.`);
      }
      const badValue = checkAttributeValue((attributes as Record<string, MessageAttributeValue>)[name] as MessageAttributeValue);
      if (badValue !== undefined) {
        return problem('ParameterValueInvalid', `The message attribute "${name}" ${badValue}.`);
      }
    }
    if (count > limit) {
      return problem(
        'InvalidParameter',
        `The message has ${count} message attributes; at most ${limit} are allowed. Move some into the body.`,
      );
    }
  }

  const groupId: unknown = message.MessageGroupId;
  const dedupId: unknown = message.MessageDeduplicationId;
  if (groupId !== undefined) {
    const wrong = checkFifoId('MessageGroupId', groupId);
    if (wrong !== undefined) return wrong;
  }
  if (rules.fifo) {
    if (groupId === undefined) {
      return problem('InvalidParameter', 'This is a FIFO topic: every message needs a MessageGroupId.');
    }
    if (dedupId !== undefined) {
      const wrong = checkFifoId('MessageDeduplicationId', dedupId);
      if (wrong !== undefined) return wrong;
    }
    if (dedupId === undefined && rules.contentBasedDeduplication === false) {
      return problem(
        'InvalidParameter',
        'This FIFO topic has no content-based deduplication: every message needs a MessageDeduplicationId.',
      );
    }
  } else if (dedupId !== undefined) {
    return problem('InvalidParameter', 'MessageDeduplicationId applies only to FIFO topics; remove it for a standard topic.');
  }
  return undefined;
}

import type { MessageAttributeValue } from '@aws-sdk/client-sns';
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
/** Group and deduplication ids: 1–128 printable ASCII characters other than space. */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;
/** Subject: printable ASCII (no line breaks or control characters), not starting with a space. */
const SUBJECT = /^[\x21-\x7e][\x20-\x7e]*$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Attribute name prefixes reserved by AWS that callers may still set (SMS and mobile push settings). */
const CALLER_SETTABLE_AWS_PREFIXES = ['aws.sns.mobile.', 'aws.sns.sms.', 'aws.mm.sms.'];

function problem(code: SnsMessageProblem['code'], message: string): SnsMessageProblem {
  return { code, message };
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

function checkAttributeValue(value: MessageAttributeValue): string | undefined {
  if (typeof value !== 'object' || value === null) return 'must be an object with DataType and a value';
  const dataType = value.DataType;
  if (typeof dataType !== 'string' || dataType === '') return 'needs a DataType';
  if (dataType.length > 256) return 'has a DataType longer than 256 characters';
  const base = baseType(dataType);
  if (base === undefined) {
    return `has DataType "${dataType}"; use String, Number, Binary or String.Array (String, Number and Binary may have a custom label after a period, e.g. Number.float)`;
  }
  if (base === 'Binary') {
    const binary: unknown = value.BinaryValue;
    if (!ArrayBuffer.isView(binary) || binary.byteLength === 0) {
      return `of type ${dataType} needs a non-empty BinaryValue (a Uint8Array)`;
    }
    return undefined;
  }
  const text: unknown = value.StringValue;
  if (typeof text !== 'string' || text === '') return `of type ${dataType} needs a non-empty StringValue`;
  if (base === 'Number' && (!NUMBER.test(text) || !Number.isFinite(Number(text)))) {
    return `of type ${dataType} needs a numeric StringValue (for example "42" or "-1.5e3")`;
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

/**
 * Checks one message against what SNS `PublishBatch` would refuse for that entry, so it can
 * fail alone and at once instead of being sent. Size is checked separately (see
 * {@link snsMessageSize}).
 *
 * Checks: `Message` is a non-empty string; `Subject` (if set) is 1-100 printable ASCII
 * characters; `MessageStructure` (if set) is `json` with a JSON object body that has a string
 * `default`; at most `maxMessageAttributes` attributes; each attribute name (1-256 of
 * `[A-Za-z0-9_.-]`, no leading/trailing or double period, no `AWS.`/`Amazon.` prefix except
 * the SMS and mobile settings `AWS.SNS.SMS.*`, `AWS.MM.SMS.*`, `AWS.SNS.MOBILE.*`); each
 * DataType (`String`, `Number`, `Binary`, optionally with `.label`, or `String.Array`) and its
 * value (non-empty; numeric for Number; a JSON array for String.Array; bytes for Binary).
 * FIFO: `MessageGroupId` required; group and deduplication ids are 1-128 printable ASCII
 * characters; `MessageDeduplicationId` required when `contentBasedDeduplication` is `false`.
 * Standard topics: `MessageDeduplicationId` is refused (`MessageGroupId` is allowed: SNS
 * passes it to SQS fair queues).
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
  const subject: unknown = message.Subject;
  if (subject !== undefined && (typeof subject !== 'string' || subject.length > 100 || !SUBJECT.test(subject))) {
    return problem(
      'InvalidParameter',
      'Subject must be 1-100 printable ASCII characters, without line breaks or control characters, not starting with a space.',
    );
  }
  const structure: unknown = message.MessageStructure;
  if (structure !== undefined) {
    const wrong = structure === 'json' ? checkStructure(body) : 'MessageStructure must be "json" when set';
    if (wrong !== undefined) return problem('InvalidParameter', `${wrong}.`);
  }

  const attributes = message.MessageAttributes;
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
        return problem('ParameterValueInvalid', `The message attribute name "${name.slice(0, 300)}" ${badName}.`);
      }
      const badValue = checkAttributeValue(attributes[name] as MessageAttributeValue);
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
  if (groupId !== undefined && (typeof groupId !== 'string' || !FIFO_ID.test(groupId))) {
    return problem('InvalidParameter', 'MessageGroupId must be 1-128 printable ASCII characters (letters, digits, punctuation; no spaces).');
  }
  if (rules.fifo) {
    if (groupId === undefined) {
      return problem('InvalidParameter', 'This is a FIFO topic: every message needs a MessageGroupId.');
    }
    if (dedupId !== undefined && (typeof dedupId !== 'string' || !FIFO_ID.test(dedupId))) {
      return problem(
        'InvalidParameter',
        'MessageDeduplicationId must be 1-128 printable ASCII characters (letters, digits, punctuation; no spaces).',
      );
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

import { messageAttributesByteLength, utf8ByteLength } from '@herald/core';
import type { SnsMessage } from './types.js';

/**
 * Size of a message as SNS counts it against the topic's maximum message size (262,144 bytes
 * by default): UTF-8 bytes of the body, plus, for every attribute, the UTF-8 bytes of its name
 * and DataType and of its StringValue (or the byte length of its BinaryValue). Subject and ids
 * are not counted.
 *
 * Meant for a message that passed {@link validateSnsMessage}; for anything else it still
 * returns a finite number (values that are not strings or byte arrays count as 0), never NaN.
 *
 * @example
 * ```ts
 * snsMessageSize({ Message: '€' }); // 3
 * snsMessageSize({ Message: 'a', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } }); // 1 + 1 + 6 + 1
 * ```
 */
export function snsMessageSize(message: SnsMessage): number {
  const body: unknown = message.Message;
  return (typeof body === 'string' ? utf8ByteLength(body) : 0) + messageAttributesByteLength(message.MessageAttributes);
}

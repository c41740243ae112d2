import { utf8ByteLength } from '@herald/core';
import type { SnsMessage } from './types.js';

/**
 * Size of a message as SNS counts it against its 262,144-byte limit: UTF-8 bytes of the body,
 * plus, for every attribute, the UTF-8 bytes of its name and DataType and of its StringValue
 * (or the byte length of its BinaryValue). Subject and ids are not counted.
 *
 * Expects a message that passed {@link validateSnsMessage}.
 *
 * @example
 * ```ts
 * snsMessageSize({ Message: '€' }); // 3
 * snsMessageSize({ Message: 'a', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } }); // 1 + 1 + 6 + 1
 * ```
 */
export function snsMessageSize(message: SnsMessage): number {
  let bytes = utf8ByteLength(message.Message ?? '');
  const attributes = message.MessageAttributes;
  if (attributes !== undefined) {
    for (const name in attributes) {
      if (!Object.prototype.hasOwnProperty.call(attributes, name)) continue;
      const value = attributes[name];
      if (value === undefined) continue;
      bytes += utf8ByteLength(name) + utf8ByteLength(value.DataType ?? '');
      // Both values count if both are given (SNS receives both): never under-count.
      if (value.StringValue !== undefined) bytes += utf8ByteLength(value.StringValue);
      if (value.BinaryValue !== undefined) bytes += value.BinaryValue.byteLength;
    }
  }
  return bytes;
}

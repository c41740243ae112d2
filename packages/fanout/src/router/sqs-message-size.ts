import { messageAttributesByteLength, utf8ByteLength } from '@herald/core';
import type { SqsBatchEntry } from './sqs-types.js';

/**
 * Size of a message as SQS counts it against the queue's maximum message size and the
 * `SendMessageBatch` payload limit: UTF-8 bytes of the body, plus, for every message attribute,
 * the UTF-8 bytes of its name and DataType and of its StringValue (or the byte length of its
 * BinaryValue). Message system attributes (`AWSTraceHeader`), group and deduplication ids and
 * `DelaySeconds` do not count.
 *
 * Meant for a message that passed {@link validateSqsMessage}; for anything else it still returns
 * a finite number (values that are not strings or byte arrays count as 0).
 *
 * @param message - The entry, without its batch `Id`.
 * @returns Its size in bytes.
 *
 * @example
 * ```ts
 * sqsMessageSize({ MessageBody: '€' }); // 3
 * sqsMessageSize({ MessageBody: 'a', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } }); // 1 + 1 + 6 + 1
 * ```
 */
export function sqsMessageSize(message: SqsBatchEntry): number {
  const body: unknown = message.MessageBody;
  return (typeof body === 'string' ? utf8ByteLength(body) : 0) + messageAttributesByteLength(message.MessageAttributes);
}

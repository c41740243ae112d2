import { utf8ByteLength } from './utf8.js';

/**
 * One message attribute as SNS and SQS take it (the SDK's `MessageAttributeValue` of either
 * service fits).
 */
export interface MessageAttributeForSize {
  /** `String`, `Number`, `Binary` (SQS, SNS) or `String.Array` (SNS), with an optional custom suffix. */
  readonly DataType?: unknown;
  /** The value of a string-typed attribute. */
  readonly StringValue?: unknown;
  /** The value of a `Binary` attribute. */
  readonly BinaryValue?: unknown;
}

/**
 * Bytes the message attributes add to a message's size as SNS and SQS count it against the
 * maximum message size and the batch payload limit: for every attribute, the UTF-8 bytes of its
 * name and `DataType`, plus those of its `StringValue` or the byte length of its `BinaryValue`
 * (both, if both are given: the SDK sends both, and it never under-counts).
 *
 * Values that are not strings or byte arrays count 0, so a message that fails validation still
 * gets a finite size, never `NaN`.
 *
 * @example
 * ```ts
 * messageAttributesByteLength({ n: { DataType: 'Number', StringValue: '1' } }); // 1 + 6 + 1
 * ```
 *
 * @param attributes - The message's attributes by name, or `undefined`/`null` for none.
 * @returns Their size in bytes.
 */
export function messageAttributesByteLength(
  attributes: Readonly<Record<string, MessageAttributeForSize | undefined | null>> | undefined | null,
): number {
  let bytes = 0;
  if (attributes === undefined || attributes === null) return bytes;
  for (const name in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, name)) continue;
    const value = attributes[name];
    if (value === undefined || value === null) continue;
    const dataType: unknown = value.DataType;
    const text: unknown = value.StringValue;
    const binary: unknown = value.BinaryValue;
    bytes += utf8ByteLength(name);
    if (typeof dataType === 'string') bytes += utf8ByteLength(dataType);
    if (typeof text === 'string') bytes += utf8ByteLength(text);
    if (ArrayBuffer.isView(binary)) bytes += binary.byteLength;
  }
  return bytes;
}

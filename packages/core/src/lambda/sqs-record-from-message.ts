import type { SqsMessageAttribute, SqsRecord, SqsRecordAttributes } from './sqs-event.js';

/**
 * A message as SQS `ReceiveMessage` returns it (the `Message` type of `@aws-sdk/client-sqs`
 * fits; core depends on no AWS client).
 */
export interface ReceivedSqsMessage {
  /** The message id. */
  readonly MessageId?: string | undefined;
  /** The receipt handle of this receive. */
  readonly ReceiptHandle?: string | undefined;
  /** The body. */
  readonly Body?: string | undefined;
  /** MD5 digest of the body. */
  readonly MD5OfBody?: string | undefined;
  /** System attributes asked for with `MessageSystemAttributeNames`. */
  readonly Attributes?: Readonly<Partial<Record<string, string>>> | undefined;
  /** Message attributes asked for with `MessageAttributeNames`. */
  readonly MessageAttributes?:
    | Readonly<
        Record<
          string,
          {
            readonly DataType?: string | undefined;
            readonly StringValue?: string | undefined;
            readonly BinaryValue?: Uint8Array | undefined;
          }
        >
      >
    | undefined;
}

/**
 * Turns a message from SQS `ReceiveMessage` into the record Lambda's event source mapping would
 * hand a function for it, so code written for Lambda ({@link processSqsBatch},
 * {@link unwrapSqsRecord}) also runs in a long-running consumer that polls the queue itself.
 * Receive with `MessageSystemAttributeNames: ['All']` and `MessageAttributeNames: ['All']` to
 * fill `attributes` and `messageAttributes` as Lambda does.
 *
 * @example
 * ```ts
 * const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }));
 * const { batchItemFailures } = await processSqsBatch({ Records: Messages.map((m) => sqsRecordFromMessage(m, queueArn)) }, handler);
 * ```
 *
 * @param message - One message of a `ReceiveMessage` answer.
 * @param queueArn - The queue's ARN (Lambda's `eventSourceARN`; its region becomes `awsRegion`).
 * @returns The Lambda-shaped record: binary attribute values base64-encoded, as Lambda sends them.
 * @throws TypeError when the message has no `MessageId` or no `Body` (SQS always gives both).
 */
export function sqsRecordFromMessage(message: ReceivedSqsMessage, queueArn: string): SqsRecord {
  if (typeof message.MessageId !== 'string' || typeof message.Body !== 'string') {
    throw new TypeError('sqsRecordFromMessage: a received SQS message has a MessageId and a Body; this one lacks one of them.');
  }
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.Attributes ?? {})) {
    if (typeof value === 'string') attributes[name] = value;
  }
  const messageAttributes: Record<string, SqsMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return {
    messageId: message.MessageId,
    ...(message.ReceiptHandle === undefined ? {} : { receiptHandle: message.ReceiptHandle }),
    body: message.Body,
    attributes: attributes as SqsRecordAttributes,
    messageAttributes,
    ...(message.MD5OfBody === undefined ? {} : { md5OfBody: message.MD5OfBody }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? '',
  };
}

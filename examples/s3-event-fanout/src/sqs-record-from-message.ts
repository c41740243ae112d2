import type { Message } from '@aws-sdk/client-sqs';
import type { SqsMessageAttribute, SqsRecord, SqsRecordAttributes } from '@herald/core';

/**
 * Turns a message from `ReceiveMessage` into the record Lambda would hand a function for it,
 * so that code written for Lambda (`processSqsBatch`, `unwrapSqsRecord`) runs on messages
 * received by a long-running consumer. Receive with `MessageSystemAttributeNames: ['All']`
 * and `MessageAttributeNames: ['All']` to fill `attributes` and `messageAttributes`.
 *
 * @param message - One message of a `ReceiveMessage` answer.
 * @param queueArn - The queue's ARN (Lambda's `eventSourceARN`).
 * @returns The Lambda-shaped record.
 */
export function sqsRecordFromMessage(message: Message, queueArn: string): SqsRecord {
  if (message.MessageId === undefined || message.Body === undefined) {
    throw new TypeError('sqsRecordFromMessage: a received message has a MessageId and a Body; this one has not.');
  }
  const attributes: SqsRecordAttributes = {};
  for (const [name, value] of Object.entries(message.Attributes ?? {})) {
    (attributes as Record<string, string>)[name] = value;
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
    attributes,
    messageAttributes,
    ...(message.MD5OfBody === undefined ? {} : { md5OfBody: message.MD5OfBody }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? '',
  };
}

import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One message taken off a queue. */
export interface DrainedMessage {
  readonly body: string;
  /** String (and Number) attribute values by name; raw delivery keeps the SNS attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  /** FIFO queues: the message's group. */
  readonly messageGroupId: string | undefined;
  /** FIFO queues: the sequence number the queue gave it. */
  readonly sequenceNumber: string | undefined;
}

/**
 * Receives and deletes (DeleteMessageBatch) everything on a queue, with `receivers` receive
 * loops at once; each loop stops at its first empty receive.
 *
 * Only for queues that nothing writes to any more (the local emulator enqueues a published
 * message before PublishBatch answers, so once every publish has its result the queue is
 * complete). An empty receive is then conclusive: a message that is not visible was taken by
 * another loop, which records it. On a FIFO queue use one receiver: the order of the result is
 * then the order the queue gave the messages in.
 *
 * @param sqs - SQS client pointed at the local endpoint.
 * @param queueUrl - The queue.
 * @param receivers - Receive loops at once. Default 1.
 * @returns The messages in the order they were received (interleaved across loops).
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string, receivers = 1): Promise<DrainedMessage[]> {
  const drained: DrainedMessage[] = [];

  async function receiveUntilEmpty(): Promise<void> {
    for (;;) {
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 300,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['MessageGroupId', 'SequenceNumber'],
        }),
      );
      const messages = response.Messages ?? [];
      if (messages.length === 0) return;
      for (const message of messages) {
        const attributes: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
          if (value.StringValue !== undefined) attributes[name] = value.StringValue;
        }
        drained.push({
          body: message.Body ?? '',
          attributes,
          messageGroupId: message.Attributes?.MessageGroupId,
          sequenceNumber: message.Attributes?.SequenceNumber,
        });
      }
      const deleted = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
        }),
      );
      if ((deleted.Failed ?? []).length > 0) {
        throw new Error(`DeleteMessageBatch failed for ${String(deleted.Failed?.length)} message(s) on ${queueUrl}`);
      }
    }
  }

  await Promise.all(Array.from({ length: receivers }, receiveUntilEmpty));
  return drained;
}

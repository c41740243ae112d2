import type {
  SendMessageBatchCommand,
  SendMessageBatchCommandOutput,
  SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';

/**
 * One message for SQS `SendMessageBatch`: the SDK's `SendMessageBatchRequestEntry` without `Id`
 * (the batch engine gives each entry its batch id).
 */
export type SqsBatchEntry = Omit<SendMessageBatchRequestEntry, 'Id'>;

/** What SQS answered for one message it accepted. */
export interface SqsSendValue {
  /** The message id SQS assigned. */
  messageId: string;
  /** FIFO queues only: the sequence number SQS assigned within the message group. */
  sequenceNumber?: string;
}

/**
 * The part of an `SQSClient` the SQS adapter uses. An `SQSClient` from `@aws-sdk/client-sqs`
 * fits (create it with `endpoint` set when you point it at a local endpoint); so does a test
 * double with a `send` method.
 */
export interface SqsSendMessageBatchClient {
  /**
   * Sends a `SendMessageBatchCommand`.
   *
   * @param command - The request.
   * @param options - `abortSignal` when the batcher has a request timeout.
   */
  send(command: SendMessageBatchCommand, options?: { abortSignal?: AbortSignal }): Promise<SendMessageBatchCommandOutput>;
}

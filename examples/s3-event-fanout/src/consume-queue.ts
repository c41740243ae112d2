import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { processSqsBatch, sqsRecordFromMessage, type SqsRecord, unwrapSqsRecord } from '@herald/core';
import { decodeS3Key, type S3EventName } from './s3-events.js';

/** One S3 record a consumer processed. */
export interface ProcessedS3Record {
  readonly sequencer: string;
  readonly eventName: S3EventName;
  /** The object key, decoded. */
  readonly key: string;
  readonly size: number | undefined;
  /** How the record arrived: straight in the SQS body (raw delivery) or inside SNS's envelope. */
  readonly envelope: 'raw' | 'sns';
}

/** What a consumer did with its queue. */
export interface ConsumeResult {
  /** SQS messages received. */
  readonly messages: number;
  /** s3:TestEvent messages received (acknowledged, nothing to process). */
  readonly testEvents: number;
  /** Messages whose processing failed (left on the queue, reported by `processSqsBatch`). */
  readonly failed: number;
  /** Processed messages that `DeleteMessageBatch` could not delete (they will be received again). */
  readonly undeleted: number;
}

/** Options of {@link consumeQueue}. */
export interface ConsumeOptions {
  readonly queueUrl: string;
  readonly queueArn: string;
  /** Stop once this many S3 records were processed and a further receive comes back empty. */
  readonly expectedRecords: number;
  /** Called for every S3 record processed. */
  readonly onRecord: (record: ProcessedS3Record) => void;
  /** Give up after this long without a new message (ms). */
  readonly idleMs: number;
}

/**
 * A long-running consumer written like a Lambda handler: each received batch is turned into
 * Lambda's SQS records and handed to `processSqsBatch`; the handler unwraps each record with
 * `unwrapSqsRecord` (raw S3 document or SNS envelope alike). Processed messages are deleted;
 * failed ones stay on the queue for a retry, as Lambda's partial batch response would leave them.
 *
 * @param sqs - A configured SQS client.
 * @param options - The queue, when to stop and what to do with each record.
 * @returns Counts of what was received.
 */
export async function consumeQueue(sqs: SQSClient, options: ConsumeOptions): Promise<ConsumeResult> {
  let messages = 0;
  let testEvents = 0;
  let failed = 0;
  let undeleted = 0;
  let records = 0;
  let lastArrival = Date.now();

  const handle = (record: SqsRecord): void => {
    const unwrapped = unwrapSqsRecord(record);
    if (unwrapped.kind !== 's3') throw new Error(`expected an S3 event notification, got a message of kind ${unwrapped.kind}`);
    if (unwrapped.test) {
      testEvents += 1;
      return;
    }
    for (const s3 of unwrapped.records) {
      const object = s3.s3.object;
      options.onRecord({
        sequencer: object.sequencer ?? '',
        eventName: s3.eventName as S3EventName,
        key: decodeS3Key(object.key),
        size: object.size,
        envelope: unwrapped.envelope === undefined ? 'raw' : 'sns',
      });
      records += 1;
    }
  };

  for (;;) {
    const reached = records >= options.expectedRecords;
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: reached ? 0 : 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const received = response.Messages ?? [];
    if (received.length === 0) {
      if (reached || Date.now() - lastArrival >= options.idleMs) return { messages, testEvents, failed, undeleted };
      continue;
    }
    lastArrival = Date.now();
    messages += received.length;
    const event = { Records: received.map((message) => sqsRecordFromMessage(message, options.queueArn)) };
    const { batchItemFailures } = await processSqsBatch(event, handle);
    failed += batchItemFailures.length;
    const failedIds = new Set(batchItemFailures.map((f) => f.itemIdentifier));
    const done = received.filter((m) => !failedIds.has(m.MessageId ?? ''));
    if (done.length > 0) {
      const deleted = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      undeleted += deleted.Failed?.length ?? 0;
    }
  }
}

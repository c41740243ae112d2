import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { isRetryableAwsError, type BatchAdapter, type EntryOutcome, type RejectedEntry } from '@herald/core';
import { sqsMessageSize } from './sqs-message-size.js';
import type { SqsBatchEntry, SqsSendMessageBatchClient, SqsSendValue } from './sqs-types.js';
import { validateSqsMessage } from './validate-sqs-message.js';

/**
 * 262,144 bytes (256 KiB): the default of `maxMessageBytes`, and the `MaximumMessageSize` of
 * every queue created before SQS raised its limit. A queue's `MaximumMessageSize` can be up to
 * 1,048,576 bytes; set `maxMessageBytes` to it if yours is larger.
 */
export const SQS_MAX_MESSAGE_BYTES = 262_144;
/** The largest `MaximumMessageSize` an SQS queue can have (1 MiB). */
export const SQS_LARGEST_MESSAGE_BYTES = 1_048_576;
/** Most entries in one `SendMessageBatch` request. */
export const SQS_MAX_BATCH_ENTRIES = 10;

/** What {@link createSqsAdapter} sends: a message and the id its result carries. */
export interface SqsAdapterInput {
  /** The caller's id for the message; never sent to SQS, used in messages about the entry. */
  id: string;
  /** The message. */
  message: SqsBatchEntry;
}

/** Options of {@link createSqsAdapter}. */
export interface SqsAdapterOptions {
  /** A configured SQS client (with `endpoint` set explicitly when not talking to AWS). */
  client: SqsSendMessageBatchClient;
  /** URL of the queue. */
  queueUrl: string;
  /** Whether the queue is FIFO (`MessageGroupId` becomes the ordering key). */
  fifo: boolean;
  /** FIFO: `false` makes `MessageDeduplicationId` required locally. */
  contentBasedDeduplication?: boolean | undefined;
  /**
   * Largest message, in bytes (body plus every attribute's name, data type and value),
   * inclusive; also the limit of a whole request. Default 262,144; set it to the queue's
   * `MaximumMessageSize` if that is larger (at most 1,048,576).
   */
  maxMessageBytes?: number | undefined;
}

/** Whether SQS's answer for a failed entry makes it worth sending again. */
function entryRetryable(code: string, senderFault: boolean | undefined): boolean {
  // SenderFault true: the entry itself is wrong, resending it cannot help. False: SQS's side.
  if (senderFault === true) return false;
  if (senderFault === false) return true;
  return isRetryableAwsError({ name: code });
}

/**
 * The `@herald/core` batch adapter for SQS `SendMessageBatch`: validates and sizes each message
 * (see {@link validateSqsMessage} and {@link sqsMessageSize}), sends up to 10 entries and
 * `maxMessageBytes` bytes per request, and reads `Successful`/`Failed` per entry.
 *
 * A per-entry failure with `SenderFault: true` is final, whatever its code; one with
 * `SenderFault: false` is retried alone; one without `SenderFault` is retried only if its code is
 * a throttling or transient one. On a FIFO queue a message refused locally still reports its
 * `MessageGroupId` (as `orderingKey`) so the engine keeps the group's order.
 *
 * The request limit is the message limit: SQS has documented the total payload of a batch both
 * as equal to the message limit and, since raising it, as 1 MiB; the smaller is always accepted.
 *
 * @param options - Client, queue and limits.
 * @returns The adapter, for `createBatcher`.
 *
 * @example
 * ```ts
 * const batcher = createBatcher(createSqsAdapter({ client: sqs, queueUrl, fifo: false }));
 * const result = await batcher.add({ id: 'order-1', message: { MessageBody: '{"orderId":1}' } });
 * await batcher.close();
 * ```
 */
export function createSqsAdapter(options: SqsAdapterOptions): BatchAdapter<SqsAdapterInput, SqsBatchEntry, SqsSendValue> {
  const { client, queueUrl, fifo } = options;
  if (typeof queueUrl !== 'string' || queueUrl === '') {
    throw new TypeError('createSqsAdapter: queueUrl must be the URL of the queue to send to.');
  }
  if (typeof client?.send !== 'function') {
    throw new TypeError('createSqsAdapter: client must be an SQSClient (or an object with its send method).');
  }
  const maxMessageBytes = options.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES;
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1 || maxMessageBytes > SQS_LARGEST_MESSAGE_BYTES) {
    throw new RangeError(
      `maxMessageBytes must be an integer from 1 to ${SQS_LARGEST_MESSAGE_BYTES} (the largest MaximumMessageSize an SQS queue can have), got ${String(maxMessageBytes)}.`,
    );
  }
  const rules = { fifo, contentBasedDeduplication: options.contentBasedDeduplication };

  function rejected(id: string, message: SqsBatchEntry, code: string, text: string): RejectedEntry {
    const refusal: RejectedEntry = { ok: false, code, message: text, label: id };
    const groupId: unknown = fifo && typeof message === 'object' && message !== null ? message.MessageGroupId : undefined;
    if (typeof groupId === 'string' && groupId !== '') refusal.orderingKey = groupId;
    return refusal;
  }

  return {
    service: 'SQS SendMessageBatch',
    maxEntries: SQS_MAX_BATCH_ENTRIES,
    maxRequestBytes: maxMessageBytes,
    maxEntryBytes: maxMessageBytes,

    prepare({ id, message }) {
      const problem = validateSqsMessage(message, rules);
      if (problem !== undefined) return rejected(id, message, problem.code, problem.message);
      const bytes = sqsMessageSize(message);
      if (bytes > maxMessageBytes) {
        return rejected(
          id,
          message,
          'MessageTooLarge',
          `The message is ${bytes} bytes (body plus attribute names, types and values); the limit is ${maxMessageBytes} bytes. Make it smaller, or store the payload elsewhere (e.g. S3) and send a reference.`,
        );
      }
      const prepared: { ok: true; entry: SqsBatchEntry; bytes: number; label: string; orderingKey?: string } = {
        ok: true,
        entry: message,
        bytes,
        label: id,
      };
      if (fifo && message.MessageGroupId !== undefined) prepared.orderingKey = message.MessageGroupId;
      return prepared;
    },

    async send(entries, signal) {
      const requestEntries = new Array<SendMessageBatchRequestEntry>(entries.length);
      for (let i = 0; i < entries.length; i++) {
        const item = entries[i] as (typeof entries)[number];
        requestEntries[i] = { ...item.entry, Id: item.id };
      }
      const command = new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: requestEntries });
      const output = await client.send(command, signal === undefined ? undefined : { abortSignal: signal });
      const outcomes: EntryOutcome<SqsSendValue>[] = [];
      for (const success of output.Successful ?? []) {
        if (success.Id === undefined) continue;
        const value: SqsSendValue = { messageId: success.MessageId ?? '' };
        if (success.SequenceNumber !== undefined) value.sequenceNumber = success.SequenceNumber;
        outcomes.push({ id: success.Id, ok: true, value });
      }
      for (const failure of output.Failed ?? []) {
        if (failure.Id === undefined) continue;
        const code = failure.Code ?? 'UnknownError';
        outcomes.push({
          id: failure.Id,
          ok: false,
          code,
          message: failure.Message ?? `SQS refused the entry with ${code}.`,
          senderFault: failure.SenderFault === true,
          retryable: entryRetryable(code, failure.SenderFault),
        });
      }
      return outcomes;
    },
  };
}

import { PublishBatchCommand, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { isRetryableAwsError, type BatchAdapter, type EntryOutcome } from '@herald/core';
import { snsMessageSize } from './sns-message-size.js';
import type { SnsBatchEntry, SnsMessage, SnsPublishBatchClient, SnsPublishValue } from './types.js';
import { validateSnsMessage } from './validate-sns-message.js';

/** SNS's default (and largest) message size, which is also the limit of a whole PublishBatch request. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** Most entries in one `PublishBatch` request. */
export const SNS_MAX_BATCH_ENTRIES = 10;

/** What {@link createSnsAdapter} publishes: a message and the id its result carries. */
export interface SnsAdapterInput {
  /** The id echoed in the result (the caller's, or one the publisher assigned). */
  id: string;
  /** The message. */
  message: SnsMessage;
}

/** Options of {@link createSnsAdapter}. */
export interface SnsAdapterOptions {
  /** A configured SNS client. */
  client: SnsPublishBatchClient;
  /** ARN of the topic. */
  topicArn: string;
  /** Whether the topic is FIFO (`MessageGroupId` becomes the ordering key). */
  fifo: boolean;
  /** FIFO: `false` makes `MessageDeduplicationId` required. */
  contentBasedDeduplication?: boolean | undefined;
  /** Largest message and request, in bytes, inclusive. Default 262,144. */
  maxMessageBytes?: number | undefined;
  /** Most attributes per message. Default 10. */
  maxMessageAttributes?: number | undefined;
}

/**
 * The `@herald/core` batch adapter for SNS `PublishBatch`: validates and sizes each message,
 * sends up to 10 entries per request, and reads `Successful`/`Failed` per entry. Per-entry
 * failures are retryable when `SenderFault` is false (or the code is a throttling/transient
 * one); `SenderFault: true` failures are final.
 *
 * `createSnsPublisher` wires it to the engine; use it directly only to build your own batcher.
 */
export function createSnsAdapter(
  options: SnsAdapterOptions,
): BatchAdapter<SnsAdapterInput, SnsBatchEntry, SnsPublishValue> {
  const { client, topicArn, fifo } = options;
  const maxMessageBytes = options.maxMessageBytes ?? SNS_MAX_MESSAGE_BYTES;
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1) {
    throw new RangeError(`maxMessageBytes must be an integer >= 1, got ${String(maxMessageBytes)}.`);
  }
  const rules = {
    fifo,
    contentBasedDeduplication: options.contentBasedDeduplication,
    maxMessageAttributes: options.maxMessageAttributes,
  };

  return {
    service: 'SNS PublishBatch',
    maxEntries: SNS_MAX_BATCH_ENTRIES,
    maxRequestBytes: maxMessageBytes,
    maxEntryBytes: maxMessageBytes,

    prepare({ id, message }) {
      const problem = validateSnsMessage(message, rules);
      if (problem !== undefined) return { ok: false, code: problem.code, message: problem.message };
      const bytes = snsMessageSize(message);
      if (bytes > maxMessageBytes) {
        return {
          ok: false,
          code: 'MessageTooLarge',
          message: `The message is ${bytes} bytes (body plus attribute names, types and values); the limit is ${maxMessageBytes} bytes. Make it smaller, or store the payload elsewhere (e.g. S3) and publish a reference.`,
        };
      }
      // The caller's `id` is ours, not SNS's; every other field is passed through unchanged
      // (so a MessageDeduplicationId is the same on every retry).
      const { id: _callerId, ...entry } = message;
      const prepared: { ok: true; entry: SnsBatchEntry; bytes: number; label: string; orderingKey?: string } = {
        ok: true,
        entry,
        bytes,
        label: id,
      };
      if (fifo && message.MessageGroupId !== undefined) prepared.orderingKey = message.MessageGroupId;
      return prepared;
    },

    async send(entries, signal) {
      const requestEntries: PublishBatchRequestEntry[] = new Array<PublishBatchRequestEntry>(entries.length);
      for (let i = 0; i < entries.length; i++) {
        const item = entries[i] as (typeof entries)[number];
        requestEntries[i] = { ...item.entry, Id: item.id };
      }
      const command = new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: requestEntries });
      const output = await client.send(command, signal === undefined ? undefined : { abortSignal: signal });
      const outcomes: EntryOutcome<SnsPublishValue>[] = [];
      for (const success of output.Successful ?? []) {
        if (success.Id === undefined) continue;
        const value: SnsPublishValue = { messageId: success.MessageId ?? '' };
        if (success.SequenceNumber !== undefined) value.sequenceNumber = success.SequenceNumber;
        outcomes.push({ id: success.Id, ok: true, value });
      }
      for (const failure of output.Failed ?? []) {
        if (failure.Id === undefined) continue;
        const code = failure.Code ?? 'UnknownError';
        const senderFault = failure.SenderFault === true;
        outcomes.push({
          id: failure.Id,
          ok: false,
          code,
          message: failure.Message ?? `SNS refused the entry with ${code}.`,
          senderFault,
          retryable: failure.SenderFault === false || isRetryableAwsError({ name: code }),
        });
      }
      return outcomes;
    },
  };
}

import { PublishBatchCommand, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { isRetryableAwsError, type BatchAdapter, type EntryOutcome, type RejectedEntry } from '@herald/core';
import { snsMessageSize } from './sns-message-size.js';
import type { SnsBatchEntry, SnsMessage, SnsPublishBatchClient, SnsPublishValue } from './types.js';
import { validateSnsMessage } from './validate-sns-message.js';

/**
 * SNS's default maximum message size, 262,144 bytes (256 KiB): the default of
 * `maxMessageBytes`. A topic's `MaximumMessageSize` attribute can raise it (up to 1,048,576
 * bytes); a whole `PublishBatch` request is limited to the same number of bytes.
 */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** The largest `MaximumMessageSize` a topic can have (1 MiB). */
const SNS_LARGEST_MESSAGE_BYTES = 1_048_576;
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
  /**
   * Largest message and request, in bytes, inclusive: the topic's maximum message size.
   * Default 262,144 (SNS's default); set it to your topic's `MaximumMessageSize` if you raised
   * it (at most 1,048,576).
   */
  maxMessageBytes?: number | undefined;
  /** Most attributes per message. Default 10. */
  maxMessageAttributes?: number | undefined;
}

/**
 * The `@herald/core` batch adapter for SNS `PublishBatch`: validates and sizes each message,
 * sends up to 10 entries per request, and reads `Successful`/`Failed` per entry.
 *
 * A per-entry failure with `SenderFault: true` is final, whatever its code. One with
 * `SenderFault: false` is retried. One without `SenderFault` is retried only if its code is a
 * throttling or transient one (see `isRetryableAwsError`).
 *
 * On a FIFO topic, a message refused locally still reports its `MessageGroupId` (as
 * `orderingKey`) so the engine can keep the group's order.
 *
 * `createSnsPublisher` wires it to the engine; use it directly only to build your own batcher.
 */
export function createSnsAdapter(
  options: SnsAdapterOptions,
): BatchAdapter<SnsAdapterInput, SnsBatchEntry, SnsPublishValue> {
  const { client, topicArn, fifo } = options;
  const maxMessageBytes = options.maxMessageBytes ?? SNS_MAX_MESSAGE_BYTES;
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1 || maxMessageBytes > SNS_LARGEST_MESSAGE_BYTES) {
    throw new RangeError(
      `maxMessageBytes must be an integer from 1 to ${SNS_LARGEST_MESSAGE_BYTES} (the largest MaximumMessageSize an SNS topic can have), got ${String(maxMessageBytes)}.`,
    );
  }
  const rules = {
    fifo,
    contentBasedDeduplication: options.contentBasedDeduplication,
    maxMessageAttributes: options.maxMessageAttributes,
  };

  /** A local refusal; on a FIFO topic it carries the message's group so the group's order holds. */
  function rejected(id: string, message: SnsMessage, code: string, text: string): RejectedEntry {
    const refusal: RejectedEntry = { ok: false, code, message: text, label: id };
    const groupId: unknown = fifo && typeof message === 'object' && message !== null ? message.MessageGroupId : undefined;
    if (typeof groupId === 'string' && groupId !== '') refusal.orderingKey = groupId;
    return refusal;
  }

  return {
    service: 'SNS PublishBatch',
    maxEntries: SNS_MAX_BATCH_ENTRIES,
    maxRequestBytes: maxMessageBytes,
    maxEntryBytes: maxMessageBytes,

    prepare({ id, message }) {
      const problem = validateSnsMessage(message, rules);
      if (problem !== undefined) return rejected(id, message, problem.code, problem.message);
      const bytes = snsMessageSize(message);
      if (bytes > maxMessageBytes) {
        return rejected(
          id,
          message,
          'MessageTooLarge',
          `The message is ${bytes} bytes (body plus attribute names, types and values); the limit is ${maxMessageBytes} bytes. Make it smaller, or store the payload elsewhere (e.g. S3) and publish a reference.`,
        );
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
          // SenderFault true: the entry itself is wrong, so resending it cannot help.
          retryable:
            failure.SenderFault !== true && (failure.SenderFault === false || isRetryableAwsError({ name: code })),
        });
      }
      return outcomes;
    },
  };
}

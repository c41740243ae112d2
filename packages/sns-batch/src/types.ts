import type { PublishBatchCommand, PublishBatchCommandOutput, PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import type { BatcherRetryOptions, BatcherStats, Clock, Logger, RateLimiter, RateLimiterOptions } from '@herald/core';

/**
 * One message to publish: the SDK's `PublishBatchRequestEntry` without `Id` (the publisher
 * generates batch ids), plus an optional `id` of your own that is echoed in the result.
 *
 * @example
 * ```ts
 * const message: SnsMessage = {
 *   id: 'order-42',
 *   Message: JSON.stringify({ orderId: 42 }),
 *   MessageAttributes: { type: { DataType: 'String', StringValue: 'OrderPlaced' } },
 * };
 * ```
 */
export interface SnsMessage extends Omit<PublishBatchRequestEntry, 'Id'> {
  /**
   * Your id for the message, any string (duplicates, spaces and non-ASCII are fine); it is
   * never sent to SNS, only echoed in the {@link PublishResult}. When absent, the publisher
   * assigns a random UUID.
   */
  id?: string;
}

/** The service-shaped entry the publisher sends: a {@link SnsMessage} without `id` (and without `Id`). */
export type SnsBatchEntry = Omit<PublishBatchRequestEntry, 'Id'>;

/** What SNS answered for one published message. */
export interface SnsPublishValue {
  /** The message id SNS assigned. */
  messageId: string;
  /** FIFO topics only: the sequence number SNS assigned within the message group. */
  sequenceNumber?: string;
}

/**
 * The one result of one message. Every message given to the publisher ends in exactly one.
 */
export type PublishResult =
  | {
      /** SNS accepted the message. */
      status: 'published';
      /** Your `id`, or the one the publisher assigned. */
      id: string;
      /** The message id SNS assigned. */
      messageId: string;
      /** FIFO topics only: the sequence number SNS assigned. */
      sequenceNumber?: string;
      /** How many times the message was sent, the successful send included. */
      attempts: number;
    }
  | {
      /** The message was not published and will not be sent again. */
      status: 'failed';
      /** Your `id`, or the one the publisher assigned. */
      id: string;
      /**
       * Stable code: SNS's own (for example `'InvalidParameter'`, `'InternalError'`,
       * `'Throttling'`, `'ECONNRESET'`), a local validation code (`'InvalidParameter'`,
       * `'ParameterValueInvalid'`, `'MessageTooLarge'`), or `'Aborted'`,
       * `'PrecedingMessageFailed'` (FIFO), `'MissingResult'`, `'RequestTimeout'`.
       */
      code: string;
      /** What went wrong and, for give-ups, why it was not retried. Never contains the body. */
      message: string;
      /** Whether the message itself was at fault (sending it unchanged will fail again). */
      senderFault: boolean;
      /** How many times the message was sent (0 if it never was). */
      attempts: number;
      /** The underlying error for whole-request failures, or the abort reason. */
      cause?: unknown;
    };

/**
 * The part of an `SNSClient` the publisher uses. An `SNSClient` from `@aws-sdk/client-sns`
 * fits; so does a test double with a `send` method.
 */
export interface SnsPublishBatchClient {
  /** Sends a `PublishBatchCommand`. */
  send(command: PublishBatchCommand, options?: { abortSignal?: AbortSignal }): Promise<PublishBatchCommandOutput>;
}

/** Options of {@link createSnsPublisher}. */
export interface SnsPublisherOptions {
  /** A configured SNS client (the publisher never creates one). */
  client: SnsPublishBatchClient;
  /** ARN of the topic to publish to. */
  topicArn: string;
  /**
   * Whether the topic is FIFO: `MessageGroupId` is then required, order within a group is kept,
   * and a failure fails the group's later queued messages. Default: the ARN ends with `.fifo`.
   */
  fifo?: boolean;
  /**
   * FIFO only: whether the topic has content-based deduplication. `false` makes
   * `MessageDeduplicationId` required locally; `true` or unset leaves it optional.
   */
  contentBasedDeduplication?: boolean;
  /** How long a partial batch waits for more messages, in ms. Default 5. */
  lingerMs?: number;
  /** Most `PublishBatch` requests in flight. Default 10. */
  maxInFlight?: number;
  /** Most messages accepted and not yet settled; beyond it `publish()` waits. Default 10,000. */
  maxQueued?: number;
  /** Retry settings (attempts, backoff, jitter, budget). See `BatcherRetryOptions` in `@herald/core`. */
  retry?: BatcherRetryOptions;
  /**
   * Rate limit in messages per second: a `RateLimiter` (shareable between publishers) or its
   * options. Tokens are taken per message before each request.
   */
  rateLimit?: RateLimiter | RateLimiterOptions;
  /**
   * Largest message, in bytes (body plus every attribute's name, data type and value); also
   * the limit of a whole request. Inclusive. Default 262,144 (SNS's limit).
   */
  maxMessageBytes?: number;
  /**
   * Most message attributes per message. Default 10: SNS drops messages with more than 10
   * attributes on the way to SQS subscriptions with raw message delivery, so the publisher
   * refuses them up front. Raise it if your topic has no such subscription.
   */
  maxMessageAttributes?: number;
  /** Longest time one request may take before it is aborted and retried, in ms. Default: no limit. */
  requestTimeoutMs?: number;
  /** Receives retries and failed requests (codes and counts, never bodies). Default silent. */
  logger?: Logger;
  /** Time source for linger, backoff and rate limits. Default `systemClock`. */
  clock?: Clock;
}

/** Per-call options of {@link SnsPublisher.publish}. */
export interface PublishOptions {
  /**
   * Aborting it while the message waits ends it at once with `'Aborted'`, never sent again;
   * while its request is in flight, that request's outcome is kept but nothing is retried.
   */
  signal?: AbortSignal;
}

/** A batching SNS publisher; see {@link createSnsPublisher}. */
export interface SnsPublisher {
  /** The topic this publisher publishes to. */
  readonly topicArn: string;
  /** Whether the publisher treats the topic as FIFO. */
  readonly fifo: boolean;
  /**
   * Queues one message. Resolves with its result once it is published or has failed for good;
   * never rejects for a problem with the message. Rejects only after `close()`.
   */
  publish(message: SnsMessage, options?: PublishOptions): Promise<PublishResult>;
  /** Queues several messages; resolves with their results in input order. */
  publishAll(messages: readonly SnsMessage[], options?: PublishOptions): Promise<PublishResult[]>;
  /** Sends what is buffered now and resolves when every message published before the call has its result. */
  flush(): Promise<void>;
  /** Refuses new messages, sends everything buffered, and resolves when every message has its result. */
  close(): Promise<void>;
  /** Counters: requests, entries (sends incl. re-sends), retries, succeeded, failed, bytes, queued, in flight. */
  stats(): BatcherStats;
}

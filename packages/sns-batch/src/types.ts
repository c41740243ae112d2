import type { PublishBatchCommand, PublishBatchCommandOutput, PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import type { BatcherRetryOptions, BatcherStats, Clock, Logger, RateLimiter, RateLimiterOptions } from '@herald/core';

/**
 * One message to publish: the SDK's `PublishBatchRequestEntry` without `Id` (the publisher
 * generates batch ids) and with a required `Message`, plus an optional `id` of your own that is
 * echoed in the result. What SNS would refuse is refused locally, per message: see
 * `validateSnsMessage`.
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
export interface SnsMessage extends Omit<PublishBatchRequestEntry, 'Id' | 'Message'> {
  /**
   * The body: a non-empty, well-formed string (no unpaired UTF-16 surrogates); with the
   * attributes, at most `maxMessageBytes` UTF-8 bytes.
   */
  Message: string;
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
       * Stable code saying why, from one of four sources:
       *
       * - **SNS refused this entry** inside a `PublishBatch` response: SNS's own code as it
       *   sent it, for example `'InvalidParameter'`, `'InternalError'`, `'KMSThrottling'`.
       * - **The whole request failed** (retries ran out, or the error is not retryable): the
       *   AWS SDK error's `name`, which is the exception class you would catch, for example
       *   `'NotFoundException'`, `'AuthorizationErrorException'` or
       *   `'KMSAccessDeniedException'` (SNS's own code, e.g. `'NotFound'`, is on the error in
       *   `cause`); errors the SDK does not model keep SNS's code as their name, e.g.
       *   `'Throttling'`. Network failures give Node's error code: `'ECONNRESET'`,
       *   `'ETIMEDOUT'`, ….
       * - **Refused locally, never sent** (`attempts: 0`): `'InvalidParameter'` or
       *   `'ParameterValueInvalid'` (what SNS would refuse; see `validateSnsMessage`),
       *   `'MessageTooLarge'` (over `maxMessageBytes`), `'InvalidEntry'` (the message could not
       *   be read at all; the message text says why).
       * - **The publisher's own**: `'Aborted'` (your signal fired), `'PrecedingMessageFailed'`
       *   (FIFO: an earlier message of the group failed for good), `'MissingResult'` (SNS
       *   answered without a result for the entry), `'RequestTimeout'` (`requestTimeoutMs`),
       *   and `'InternalError'` with a message saying it is a Herald bug if the publisher itself
       *   failed unexpectedly.
       *
       * When the retry budget stops a retry, the code is the last error's and the message says
       * the budget is exhausted.
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
  /**
   * A configured SNS client (the publisher never creates one). Make it with `maxAttempts: 1`:
   * the publisher retries by itself, and the SDK's own retries would multiply its attempts
   * unseen (its results' `attempts`, `stats()` and the retry budget would undercount).
   */
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
  /** How long a partial batch waits for more messages, in ms (at most 2,147,483,647). Default 5. */
  lingerMs?: number;
  /** Most `PublishBatch` requests in flight. Default 10. */
  maxInFlight?: number;
  /**
   * Most messages accepted and not yet settled; beyond it a published message waits for
   * admission (its `publish()` promise stays pending). To bound memory, await
   * {@link SnsPublisher.ready} before each `publish()`. Default 10,000.
   */
  maxQueued?: number;
  /**
   * Retry settings (attempts, backoff, jitter, budget). See `BatcherRetryOptions` in
   * `@herald/core`.
   *
   * `retry.budget`: a `RetryBudget` that limits retries when SNS is struggling. Costs are per
   * request: re-sending a failed request takes one token, and so does each response with
   * messages to retry; each answered request gives a little back. When it is empty, messages
   * that would have been retried fail with their last error (the message says the retry
   * budget is exhausted). Default: a new `RetryBudget()` per publisher; pass one `RetryBudget`
   * to several publishers to share it among them (for example all publishers of a process).
   */
  retry?: BatcherRetryOptions;
  /**
   * Rate limit in messages per second: a `RateLimiter` (shareable between publishers) or its
   * options. Tokens are taken per message before each request.
   */
  rateLimit?: RateLimiter | RateLimiterOptions;
  /**
   * Largest message, in bytes (body plus every attribute's name, data type and value); also
   * the limit of a whole request. Inclusive. Default 262,144, SNS's default
   * `MaximumMessageSize`; set it to your topic's `MaximumMessageSize` if you raised it (at
   * most 1,048,576; a larger value throws).
   */
  maxMessageBytes?: number;
  /**
   * Most message attributes per message. Default 10: SNS drops messages with more than 10
   * attributes on the way to SQS subscriptions with raw message delivery, so the publisher
   * refuses them up front. Raise it if your topic has no such subscription.
   */
  maxMessageAttributes?: number;
  /**
   * Longest time one request may take before it is aborted and retried, in ms (at most
   * 2,147,483,647). SNS may or may not have accepted a request that timed out, so its retry can
   * deliver a message twice (a FIFO topic drops the copy by its deduplication id). A message
   * whose retries run out this way fails with `'RequestTimeout'`. Default: no limit.
   */
  requestTimeoutMs?: number;
  /**
   * Receives retries and failed requests (codes and counts, never bodies). A logger that throws
   * is ignored. Default silent.
   */
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
  /**
   * Resolves when a new message would be accepted at once: at once while fewer than
   * `maxQueued` messages are pending, else as soon as one settles (waiting callers are let
   * through in call order, one per free place). After `close()` it resolves at once, and the
   * following `publish()` rejects.
   *
   * `publish()` resolves only with the final result, so a producer that awaits it one by one
   * sends one message at a time, and one that does not await at all keeps every message in
   * memory. Await `ready()` instead, and handle each result when it comes:
   *
   * @example
   * ```ts
   * for await (const line of lines) {
   *   await publisher.ready(); // at most about maxQueued messages in memory
   *   publisher.publish({ Message: line }).then((result) => {
   *     if (result.status === 'failed') console.error(result.id, result.code, result.message);
   *   });
   * }
   * await publisher.close(); // every result has been handled when this resolves
   * ```
   */
  ready(): Promise<void>;
  /** Sends what is buffered now and resolves when every message published before the call has its result. */
  flush(): Promise<void>;
  /** Refuses new messages, sends everything buffered, and resolves when every message has its result. */
  close(): Promise<void>;
  /** Counters: requests, entries (sends incl. re-sends), retries, succeeded, failed, bytes, queued, in flight. */
  stats(): BatcherStats;
}

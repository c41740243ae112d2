import { randomUUID } from 'node:crypto';
import { createBatcher, RateLimiter, RetryBudget, type BatchResult, type Logger } from '@herald/core';
import { createSnsAdapter } from './sns-adapter.js';
import type {
  PublishResult,
  SnsMessage,
  SnsPublishBatchClient,
  SnsPublisher,
  SnsPublisherOptions,
  SnsPublishValue,
} from './types.js';

function toPublishResult(id: string, result: BatchResult<SnsPublishValue>): PublishResult {
  if (result.status === 'ok') {
    const published: PublishResult = {
      status: 'published',
      id,
      messageId: result.value.messageId,
      attempts: result.attempts,
    };
    if (result.value.sequenceNumber !== undefined) published.sequenceNumber = result.value.sequenceNumber;
    return published;
  }
  const failed: PublishResult = {
    status: 'failed',
    id,
    code: result.code,
    message: result.message,
    senderFault: result.senderFault,
    attempts: result.attempts,
  };
  if (result.cause !== undefined) failed.cause = result.cause;
  return failed;
}

/**
 * Warns once, through the publisher's logger, when the client retries by itself: an
 * `SNSClient` exposes its `maxAttempts` as an async provider in `config`.
 */
function warnIfClientRetries(client: SnsPublishBatchClient, logger: Logger): void {
  const provider = (client as { config?: { maxAttempts?: unknown } }).config?.maxAttempts;
  if (typeof provider !== 'function') return;
  Promise.resolve()
    .then(() => (provider as () => unknown)())
    .then(
      (maxAttempts) => {
        if (typeof maxAttempts === 'number' && maxAttempts > 1) {
          logger.warn(
            `The SNS client retries by itself (maxAttempts ${maxAttempts}); its retries multiply the publisher's. Create the client with maxAttempts: 1.`,
            { maxAttempts },
          );
        }
      },
      () => undefined,
    )
    .catch(() => undefined);
}

function isRateLimiter(value: unknown): value is RateLimiter {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { take?: unknown }).take === 'function' &&
    typeof (value as { tryTake?: unknown }).tryTake === 'function'
  );
}

/**
 * Creates a batching publisher for one SNS topic, on `PublishBatch`.
 *
 * Messages are validated locally (a message SNS would refuse fails alone, at once), buffered,
 * and sent in requests of up to 10 messages and `maxMessageBytes` bytes; a request goes when
 * it is full, when the oldest message has waited `lingerMs`, or on `flush()`/`close()`.
 * Throttling, 5xx, resets and timeouts resend the whole request after a jittered backoff;
 * entries SNS fails with `SenderFault: false` are retried alone; `SenderFault: true` fails at
 * once. On FIFO topics order within a `MessageGroupId` is kept: a group's next message is sent
 * only after the previous one succeeded, and a group's queued messages fail with
 * `'PrecedingMessageFailed'` when an earlier one fails for good (a message refused locally
 * counts as failing at its place in its group, and the group's messages published right after
 * it, in the same synchronous burst, fail too). Every message ends in exactly one
 * {@link PublishResult}; `publish` never rejects because of the message.
 *
 * Retries are limited by `retry.maxAttempts` per message and by a `RetryBudget` (a new one per
 * publisher unless `retry.budget` gives one to share). To publish a stream of messages with
 * bounded memory, await `ready()` before each `publish()`.
 *
 * @example
 * ```ts
 * import { SNSClient } from '@aws-sdk/client-sns';
 * import { createSnsPublisher } from '@herald/sns-batch';
 *
 * const publisher = createSnsPublisher({ client: new SNSClient({}), topicArn });
 * const result = await publisher.publish({ Message: 'hello' });
 * if (result.status === 'failed') console.error(result.code, result.message);
 * await publisher.close();
 * ```
 *
 * @example Publishing a stream with bounded memory
 * ```ts
 * const publisher = createSnsPublisher({ client, topicArn, maxQueued: 2_000 });
 * for await (const line of lines) {
 *   await publisher.ready();
 *   publisher.publish({ Message: line }).then(record);
 * }
 * await publisher.close();
 * ```
 */
export function createSnsPublisher(options: SnsPublisherOptions): SnsPublisher {
  const { client, topicArn } = options;
  if (typeof topicArn !== 'string' || topicArn === '') {
    throw new TypeError('createSnsPublisher: topicArn must be the ARN of the topic to publish to.');
  }
  if (typeof client?.send !== 'function') {
    throw new TypeError('createSnsPublisher: client must be an SNSClient (or an object with its send method).');
  }
  const fifo = options.fifo ?? topicArn.endsWith('.fifo');
  const adapter = createSnsAdapter({
    client,
    topicArn,
    fifo,
    contentBasedDeduplication: options.contentBasedDeduplication,
    maxMessageBytes: options.maxMessageBytes,
    maxMessageAttributes: options.maxMessageAttributes,
  });
  if (options.logger !== undefined) warnIfClientRetries(client, options.logger);
  const rateLimit = options.rateLimit;
  const rateLimiter =
    rateLimit === undefined
      ? undefined
      : isRateLimiter(rateLimit)
        ? rateLimit
        : new RateLimiter({ ...rateLimit, clock: rateLimit.clock ?? options.clock });
  const batcher = createBatcher(adapter, {
    lingerMs: options.lingerMs,
    maxInFlight: options.maxInFlight,
    maxQueued: options.maxQueued,
    ordered: fifo,
    // A budget of its own unless one is given to share (see SnsPublisherOptions.retry).
    retry: { ...options.retry, budget: options.retry?.budget ?? new RetryBudget() },
    rateLimiter,
    requestTimeoutMs: options.requestTimeoutMs,
    logger: options.logger,
    clock: options.clock,
  });

  // The publish() promises handed out and not yet settled. Mapping the engine's result to a
  // PublishResult adds a promise step, so the engine's own flush()/close() resolve before these
  // do; flush()/close() also wait for them, so a caller's `.then` on publish() or publishAll()
  // has run by the time `await flush()` / `await close()` continues.
  const unsettled = new Set<Promise<unknown>>();

  async function settle(engineDone: Promise<void>): Promise<void> {
    const waitFor = unsettled.size === 0 ? undefined : [...unsettled];
    await engineDone;
    if (waitFor !== undefined) await Promise.allSettled(waitFor);
  }

  function publish(message: SnsMessage, publishOptions?: { signal?: AbortSignal }): Promise<PublishResult> {
    const given: unknown = typeof message === 'object' && message !== null ? message.id : undefined;
    const id = given === undefined ? randomUUID() : String(given);
    const pending: Promise<PublishResult> = batcher.add({ id, message }, publishOptions).then(
      (result) => {
        unsettled.delete(pending);
        return toPublishResult(id, result);
      },
      (error: unknown) => {
        unsettled.delete(pending);
        throw error;
      },
    );
    unsettled.add(pending);
    return pending;
  }

  let closed: Promise<void> | undefined;
  return {
    topicArn,
    fifo,
    publish,
    publishAll(messages, publishOptions) {
      const all = Promise.all(messages.map((message) => publish(message, publishOptions)));
      unsettled.add(all);
      const forget = (): void => {
        unsettled.delete(all);
      };
      all.then(forget, forget);
      return all;
    },
    ready: () => batcher.ready(),
    flush: () => settle(batcher.flush()),
    close: () => (closed ??= settle(batcher.close())),
    stats: () => batcher.stats(),
  };
}

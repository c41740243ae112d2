import type { Clock, Logger } from '@herald/core';
import { createBatchedTarget } from './batched-target.js';
import type { FanoutMessage, SqsTarget } from './fanout-types.js';
import { createSqsAdapter, type SqsAdapterInput } from './sqs-adapter.js';
import type { SqsBatchEntry } from './sqs-types.js';
import type { TargetRunner } from './target-runner.js';

/**
 * The default SQS entry of a message: body, attributes, group id, and on FIFO queues the
 * deduplication id.
 *
 * @param message - The message.
 * @param fifo - Whether the queue is FIFO.
 */
export function defaultSqsEntry(message: FanoutMessage, fifo: boolean): SqsBatchEntry {
  const entry: SqsBatchEntry = { MessageBody: message.body };
  if (message.attributes !== undefined) entry.MessageAttributes = { ...message.attributes };
  if (message.groupId !== undefined) entry.MessageGroupId = message.groupId;
  if (fifo && message.deduplicationId !== undefined) entry.MessageDeduplicationId = message.deduplicationId;
  return entry;
}

/**
 * The runner of an SQS target: a batcher on {@link createSqsAdapter}, ordered on FIFO queues.
 *
 * @param route - The route's name.
 * @param target - The target's configuration.
 * @param logger - The router's logger.
 * @param clock - The router's clock.
 */
export function createSqsTarget(route: string, target: SqsTarget, logger: Logger | undefined, clock: Clock | undefined): TargetRunner {
  const fifo = target.fifo ?? target.queueUrl.endsWith('.fifo');
  const toEntry = target.toEntry;
  return createBatchedTarget({
    route,
    type: 'sqs',
    adapter: createSqsAdapter({
      client: target.client,
      queueUrl: target.queueUrl,
      fifo,
      contentBasedDeduplication: target.contentBasedDeduplication,
      maxMessageBytes: target.maxMessageBytes,
    }),
    batching: target.batching,
    ordered: fifo,
    logger,
    clock,
    toInput: (message, id): SqsAdapterInput => ({
      id,
      message: toEntry === undefined ? defaultSqsEntry(message, fifo) : toEntry(message),
    }),
    read: (value) => value,
  });
}

/**
 * @herald/sns-batch: a batching SNS publisher on `PublishBatch`. Every message ends published
 * or failed with a reason; none is lost.
 *
 * @packageDocumentation
 * @module @herald/sns-batch
 */
export { createSnsPublisher } from './create-sns-publisher.js';
// Errors a publisher can reject with, re-exported so `instanceof` checks need no second import.
export { BatcherClosedError, RequestTimeoutError } from '@herald/core';
export {
  createSnsAdapter,
  SNS_MAX_BATCH_ENTRIES,
  SNS_MAX_MESSAGE_BYTES,
  type SnsAdapterInput,
  type SnsAdapterOptions,
} from './sns-adapter.js';
export { validateSnsMessage, type SnsMessageProblem, type SnsMessageRules } from './validate-sns-message.js';
export { snsMessageSize } from './sns-message-size.js';
export type {
  PublishOptions,
  PublishResult,
  SnsBatchEntry,
  SnsMessage,
  SnsPublishBatchClient,
  SnsPublisher,
  SnsPublisherOptions,
  SnsPublishValue,
} from './types.js';

/**
 * @herald/core: retries with jittered backoff, retry budgets, rate limits, the batch
 * engine behind every batching publisher, UTF-8 size accounting, stable hashing and
 * schema validation, and Lambda helpers for SQS batches, shared by every Herald package.
 *
 * @packageDocumentation
 * @module @herald/core
 */
export { type Clock, systemClock, sleep } from './clock.js';
export { type Logger, silentLogger } from './logger.js';
export { guardLogger } from './batch/guarded-logger.js';
export { HeraldError, type HeraldErrorOptions } from './errors.js';
export {
  type BackoffOptions,
  type BackoffStrategy,
  fullJitter,
  equalJitter,
  decorrelatedJitter,
  noJitter,
} from './backoff/jitter.js';
export { isRetryableAwsError } from './retry/is-retryable-aws-error.js';
export { RetryBudget, type RetryBudgetOptions } from './retry/retry-budget.js';
export { DeadlineExceededError } from './retry/deadline-exceeded-error.js';
export { backoffDelay, type BackoffDelayOptions } from './backoff/backoff-delay.js';
export { retry, type RetryOptions, type RetryInfo } from './retry/retry.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limit/rate-limiter.js';
export { createSeededRandom } from './random/seeded-random.js';
export { utf8ByteLength, isWellFormedUtf16 } from './size/utf8.js';
export { messageAttributesByteLength, type MessageAttributeForSize } from './size/message-attributes.js';
export { stableStringify } from './hash/stable-stringify.js';
export { hashPayload } from './hash/hash-payload.js';
export { ValidationError, type ValidationIssue } from './validation/validation-error.js';
export {
  createValidator,
  type Validator,
  type ValidationResult,
  type CreateValidatorOptions,
} from './validation/validator.js';

// The batch engine: createBatcher, its adapter contract and result types.
export * from './batch/index.js';

// Lambda helpers: SQS partial batch responses and envelope unwrapping.
export type {
  SqsEvent,
  SqsRecord,
  SqsRecordAttributes,
  SqsMessageAttribute,
  SqsBatchResponse,
  SqsBatchItemFailure,
} from './lambda/sqs-event.js';
export {
  processSqsBatch,
  type ProcessSqsBatchOptions,
  type SqsRecordHandler,
  type SqsRecordInfo,
} from './lambda/process-sqs-batch.js';
export { InvalidSqsEventError } from './lambda/invalid-sqs-event-error.js';
export { sqsRecordFromMessage, type ReceivedSqsMessage } from './lambda/sqs-record-from-message.js';
export {
  unwrapSqsRecord,
  type UnwrappedSqsRecord,
  type SnsEnvelope,
  type SnsEnvelopeAttribute,
  type S3EventRecord,
  type EventBridgeEvent,
} from './lambda/unwrap-sqs-record.js';

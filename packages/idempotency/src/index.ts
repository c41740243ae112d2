/**
 * @herald/idempotency: exactly-once effects over at-least-once delivery. Wrap a function with
 * {@link makeIdempotent}, or an SQS batch handler with {@link makeIdempotentSqsHandler}; records
 * live in DynamoDB ({@link createDynamoDbStore}) or in memory ({@link createMemoryStore}).
 *
 * @packageDocumentation
 * @module @herald/idempotency
 */
export { makeIdempotent, type MakeIdempotentOptions } from './make-idempotent.js';
export {
  makeIdempotentSqsHandler,
  type IdempotentSqsHandlerOptions,
  type IdempotentSqsRecordHandler,
} from './sqs/make-idempotent-sqs-handler.js';
export type {
  IdempotencyOptions,
  LambdaContextLike,
  LocalCacheOptions,
  WaitForInProgressOptions,
} from './idempotency-options.js';
export { type IdempotencyRecord, type IdempotencyRecordStatus, isRecordLive } from './record.js';
export type { AcquireResult, IdempotencyStore } from './store/idempotency-store.js';
export { createDynamoDbStore, type DynamoDbStoreOptions } from './store/dynamodb-store.js';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export {
  IdempotencyInProgressError,
  IdempotencyPayloadMismatchError,
  IdempotencyKeyError,
  IdempotencyResultNotStorableError,
  IdempotencyStoreError,
  type IdempotencyErrorOptions,
  type ResultNotStorableReason,
} from './errors.js';

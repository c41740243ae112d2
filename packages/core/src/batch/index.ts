export { createBatcher } from './batcher.js';
export { BatcherClosedError } from './batcher-closed-error.js';
export { RequestTimeoutError } from './request-timeout-error.js';
export type {
  AddOptions,
  BatchAdapter,
  BatchRequestEntry,
  BatchResult,
  Batcher,
  BatcherOptions,
  BatcherRetryOptions,
  BatcherStats,
  EntryOutcome,
  PreparedEntry,
  RejectedEntry,
} from './types.js';

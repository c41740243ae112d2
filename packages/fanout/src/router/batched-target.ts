import { createBatcher, RetryBudget, type BatchAdapter, type Clock, type Logger } from '@herald/core';
import type { FanoutBatchingOptions, FanoutMessage, FanoutTargetType } from './fanout-types.js';
import { errorText, failedOutcome, outcomeOfBatchResult, rejectedOutcome, type TargetRunner } from './target-runner.js';

/** How {@link createBatchedTarget} builds a runner over one adapter. */
export interface BatchedTargetSpec<TInput, TEntry, TValue> {
  /** The route's name. */
  readonly route: string;
  /** `'sqs'` or `'eventbridge'`. */
  readonly type: FanoutTargetType;
  /** The service adapter. */
  readonly adapter: BatchAdapter<TInput, TEntry, TValue>;
  /** The target's batching settings. */
  readonly batching: FanoutBatchingOptions | undefined;
  /** FIFO: keep order per ordering key. */
  readonly ordered: boolean;
  /** The router's logger. */
  readonly logger: Logger | undefined;
  /** The router's clock. */
  readonly clock: Clock | undefined;
  /** Maps a message to the adapter's input; may throw (the message then fails with `'MappingFailed'`). */
  readonly toInput: (message: FanoutMessage, id: string) => TInput;
  /** Reads the service's id (and sequence number) from a success. */
  readonly read: (value: TValue) => { messageId: string; sequenceNumber?: string | undefined };
}

/**
 * A target over a `@herald/core` batcher (SQS `SendMessageBatch`, EventBridge `PutEvents`): the
 * router owns the batcher and closes it in `close()`.
 *
 * @param spec - Route, adapter, settings and mapping.
 */
export function createBatchedTarget<TInput, TEntry, TValue>(spec: BatchedTargetSpec<TInput, TEntry, TValue>): TargetRunner {
  const { route, type, batching, toInput, read } = spec;
  const batcher = createBatcher(spec.adapter, {
    lingerMs: batching?.lingerMs,
    maxInFlight: batching?.maxInFlight,
    maxQueued: batching?.maxQueued,
    ordered: spec.ordered,
    // A budget of its own unless one is given to share, as the SNS publisher does.
    retry: { ...batching?.retry, budget: batching?.retry?.budget ?? new RetryBudget() },
    rateLimiter: batching?.rateLimiter,
    requestTimeoutMs: batching?.requestTimeoutMs,
    logger: spec.logger,
    clock: spec.clock,
  });

  return {
    type,
    deliver(message, id) {
      let input: TInput;
      try {
        input = toInput(message, id);
      } catch (error) {
        return Promise.resolve(
          failedOutcome(route, type, 'MappingFailed', `Mapping the message to a ${type} entry threw: ${errorText(error)}`, error),
        );
      }
      return batcher.add(input).then(
        (result) => outcomeOfBatchResult(route, type, result, read),
        (error: unknown) => rejectedOutcome(route, type, error),
      );
    },
    flush: () => batcher.flush(),
    close: () => batcher.close(),
  };
}

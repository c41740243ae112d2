import { BatcherClosedError, HeraldError, type BatchResult } from '@herald/core';
import type { FailedOutcome, FanoutMessage, FanoutTargetType, RouteOutcome } from './fanout-types.js';

/** One route's target, ready to take messages. Internal to the router. */
export interface TargetRunner {
  /** The kind of target. */
  readonly type: FanoutTargetType;
  /**
   * Hands over one message. Must start synchronously (so targets see messages in dispatch
   * order) and never reject: every failure becomes a failed outcome.
   */
  deliver(message: FanoutMessage, id: string): Promise<RouteOutcome>;
  /** Sends what is buffered; resolves when everything delivered before has its outcome. */
  flush(): Promise<void>;
  /** Sends what is buffered, waits for every outcome, and releases what the router made. */
  close(): Promise<void>;
}

/** The outcome of a failure that is not the service's: a throw in the router's or the caller's code. */
export function failedOutcome(
  route: string,
  target: FanoutTargetType,
  code: string,
  message: string,
  cause?: unknown,
): FailedOutcome {
  const outcome: { -readonly [K in keyof FailedOutcome]: FailedOutcome[K] } = {
    route,
    target,
    status: 'failed',
    code,
    message,
    senderFault: false,
    attempts: 0,
  };
  if (cause !== undefined) outcome.cause = cause;
  return outcome;
}

/** The message of an error, for outcomes (never a body: callers' errors are theirs). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'a non-Error value was thrown';
}

/** A stable code for a thrown error: a HeraldError's code, else a string `code`, else `fallback`. */
export function errorCode(error: unknown, fallback: string): string {
  if (error instanceof HeraldError) return error.code;
  const code: unknown = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : fallback;
}

/** Maps a batch engine result to a route outcome. */
export function outcomeOfBatchResult<TValue>(
  route: string,
  target: FanoutTargetType,
  result: BatchResult<TValue>,
  read: (value: TValue) => { messageId: string; sequenceNumber?: string | undefined },
): RouteOutcome {
  if (result.status === 'ok') {
    const { messageId, sequenceNumber } = read(result.value);
    return sequenceNumber === undefined
      ? { route, target, status: 'delivered', messageId, attempts: result.attempts }
      : { route, target, status: 'delivered', messageId, sequenceNumber, attempts: result.attempts };
  }
  const outcome: { -readonly [K in keyof FailedOutcome]: FailedOutcome[K] } = {
    route,
    target,
    status: 'failed',
    code: result.code,
    message: result.message,
    senderFault: result.senderFault,
    attempts: result.attempts,
  };
  if (result.cause !== undefined) outcome.cause = result.cause;
  return outcome;
}

/**
 * The outcome of a rejected hand-over: a closed publisher (`'TargetClosed'`: you closed a
 * publisher before the router), or an unexpected error.
 */
export function rejectedOutcome(route: string, target: FanoutTargetType, error: unknown): FailedOutcome {
  if (error instanceof BatcherClosedError) {
    return failedOutcome(
      route,
      target,
      'TargetClosed',
      `The ${target} target of route "${route}" was closed before the message reached it; close a publisher you pass to the router only after closing the router.`,
      error,
    );
  }
  return failedOutcome(route, target, errorCode(error, 'InternalError'), errorText(error), error);
}

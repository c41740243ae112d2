import { HeraldError } from '@herald/core';

/** Services that faults can be limited to. */
export type FaultService = 'sns' | 'sqs' | 'dynamodb' | 'eventbridge';

/**
 * Which faults to inject, drawn from a seeded pseudo-random sequence.
 *
 * `throttle`, `serverError`, `reset` and `resetAfterForward` are fractions of the eligible
 * requests (each in `[0, 1]`, together at most 1). One draw per eligible request decides
 * which of them (if any) hits it. `failedEntries` is a fraction of the entries of each
 * `PublishBatch` / `SendMessageBatch` / `PutEvents` request that is handled (one draw per entry).
 *
 * What "same seed, same faults" means: every draw for a request (its request fault, then its
 * entries' faults) is made when the request arrives, before any latency wait, in arrival
 * order. So the same seed and the same sequence of arriving eligible requests always give
 * the same faults to the same requests, however long each one is delayed. That sequence is
 * fixed for a client that sends one request at a time. With concurrent clients (or several
 * requests in flight) or jittered retries, the order in which requests arrive changes from
 * run to run, so which request gets which fault changes too; the fractions still hold over
 * many requests.
 */
export interface FaultOptions {
  /** Seed of the pseudo-random sequence. */
  readonly seed: number;
  /** Fraction answered HTTP 400 with the service's throttling error; never forwarded. */
  readonly throttle?: number;
  /** Fraction answered HTTP 500 with an internal error; never forwarded. */
  readonly serverError?: number;
  /** Fraction whose connection is destroyed without an answer; never forwarded. */
  readonly reset?: number;
  /**
   * Fraction forwarded to the emulator (which acts on it) whose connection is then destroyed
   * before the answer is written: "the response was lost". Off by default.
   */
  readonly resetAfterForward?: number;
  /**
   * Fraction of batch entries removed before they are handled and reported as failed: SNS
   * `PublishBatch` and SQS `SendMessageBatch` entries as `Failed` (`InternalError`,
   * `SenderFault: false`), EventBridge `PutEvents` entries as `ErrorCode: InternalFailure` at
   * their position (counted in `FailedEntryCount`). Those entries are really not delivered
   * (nor recorded as accepted events).
   */
  readonly failedEntries?: number;
  /** Services the faults apply to. Default: all. */
  readonly services?: readonly FaultService[];
  /** Action names the faults apply to (e.g. `['PublishBatch']`). Default: all actions. */
  readonly actions?: readonly string[];
}

/** How many faults have been injected since the endpoint started. */
export interface FaultCounts {
  /** Requests answered with a throttling error. */
  readonly throttle: number;
  /** Requests answered with HTTP 500. */
  readonly serverError: number;
  /** Connections reset before forwarding. */
  readonly reset: number;
  /** Connections reset after the emulator acted. */
  readonly resetAfterForward: number;
  /** Batch entries turned into `Failed` entries. */
  readonly failedEntries: number;
}

/** Thrown when fault or latency options are out of range. */
export class LocalAwsConfigError extends HeraldError {
  /**
   * @param message - What went wrong and what to do.
   * @param options - Optional underlying cause.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    // Configuration errors never go away by retrying.
    super('LOCAL_AWS_INVALID_CONFIG', message, { retryable: false, ...(options?.cause === undefined ? {} : { cause: options.cause }) });
  }
}

const FRACTION_KEYS = ['throttle', 'serverError', 'reset', 'resetAfterForward', 'failedEntries'] as const;

/**
 * Checks fault options and throws {@link LocalAwsConfigError} when a fraction is outside
 * `[0, 1]`, the request-level fractions add up to more than 1, or the seed is not finite.
 *
 * @param faults - The options to check.
 */
export function validateFaultOptions(faults: FaultOptions): void {
  if (!Number.isFinite(faults.seed)) {
    throw new LocalAwsConfigError(`faults.seed must be a finite number, got ${String(faults.seed)}.`);
  }
  for (const key of FRACTION_KEYS) {
    const value = faults[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new LocalAwsConfigError(
        `faults.${key} must be a fraction between 0 and 1, got ${String(value)}.`,
      );
    }
  }
  const requestLevel =
    (faults.throttle ?? 0) + (faults.serverError ?? 0) + (faults.reset ?? 0) + (faults.resetAfterForward ?? 0);
  if (requestLevel > 1 + 1e-9) {
    throw new LocalAwsConfigError(
      `faults.throttle + serverError + reset + resetAfterForward must be at most 1, got ${requestLevel}. Lower one of them.`,
    );
  }
}

import { HeraldError } from '../errors.js';

/**
 * The error a batcher records for a request that did not answer within its `requestTimeoutMs`.
 * Code `'RequestTimeout'`, retryable: the engine sends the request again (within the retry
 * limits). The service may or may not have accepted the request's entries before it was
 * abandoned, so a retry can deliver an entry twice.
 */
export class RequestTimeoutError extends HeraldError {
  /** The timeout that passed, in ms. */
  readonly timeoutMs: number;

  /**
   * @param service - The adapter's service name, for the message.
   * @param timeoutMs - The `requestTimeoutMs` that passed.
   */
  constructor(service: string, timeoutMs: number) {
    super(
      'RequestTimeout',
      `${service} request did not answer within requestTimeoutMs (${timeoutMs} ms) and was abandoned; the service may or may not have accepted its entries, so a retry can deliver one twice. Raise requestTimeoutMs if requests are slow but healthy.`,
      { retryable: true },
    );
    this.timeoutMs = timeoutMs;
  }
}

import { HeraldError } from '../errors.js';

/**
 * The rejection of `add()`/`addAll()` (and so of a publisher's `publish()`/`publishAll()`) for
 * an entry given after `close()` was called. Code `'BatcherClosed'`, not retryable: create a new
 * batcher or publisher, or add before closing.
 */
export class BatcherClosedError extends HeraldError {
  /** @param service - The adapter's service name, for the message. */
  constructor(service: string) {
    super(
      'BatcherClosed',
      `This ${service} publisher/batcher was closed and accepts no new messages; publish before calling close(), or create a new one.`,
    );
  }
}

import { HeraldError } from '../errors.js';

/**
 * Thrown (as a rejection of `add()`/`addAll()`) when an entry is added after `close()` was
 * called. Code `'BatcherClosed'`, not retryable: create a new batcher, or add before closing.
 */
export class BatcherClosedError extends HeraldError {
  /** @param service - The adapter's service name, for the message. */
  constructor(service: string) {
    super(
      'BatcherClosed',
      `This ${service} batcher is closed and accepts no new entries; add entries before calling close(), or create a new batcher.`,
    );
  }
}

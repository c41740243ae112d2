import { HeraldError } from '../errors.js';

/**
 * Thrown by `processSqsBatch` when the event is not an SQS event it can answer for: no
 * `Records` array, or a record without a `messageId` (which a batch response could not name)
 * or without a string `body`. Code `'InvalidSqsEvent'`, not retryable.
 *
 * It is thrown before any record is handled, so no handler has run. From a Lambda function,
 * the invocation then fails and Lambda retries the whole batch; check that the function is
 * wired to an SQS event source and that the handler passes the event on unchanged.
 */
export class InvalidSqsEventError extends HeraldError {
  /** The position of the offending record in `Records`, or `undefined` when the event itself is wrong. */
  readonly recordIndex: number | undefined;

  /**
   * @param message - What is wrong and what to do about it. Never contains a message body.
   * @param recordIndex - The position of the offending record, if a record is at fault.
   */
  constructor(message: string, recordIndex?: number) {
    super('InvalidSqsEvent', message);
    this.recordIndex = recordIndex;
  }
}

import { HeraldError } from '../errors.js';

/**
 * Thrown by `retry` when its `deadline` has already passed before the first attempt, so no
 * attempt was made. Code `'DeadlineExceeded'`, not retryable.
 */
export class DeadlineExceededError extends HeraldError {
  /** The deadline that had passed, in epoch milliseconds. */
  readonly deadline: number;

  /** @param deadline - The deadline (epoch ms) that had already passed. */
  constructor(deadline: number) {
    super(
      'DeadlineExceeded',
      `The deadline (${new Date(deadline).toISOString()}) had already passed, so the operation was not attempted. ` +
        'Give the call more time (for a Lambda function: a longer timeout or a smaller safety margin).',
    );
    this.deadline = deadline;
  }
}

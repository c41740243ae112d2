import { HeraldError, isRetryableAwsError } from '@herald/core';
import { HERALD_QUEUE_POLICY_SID } from './herald-statement-sid.js';

/**
 * The queue's policy cannot be edited safely: it holds a statement with Herald's Sid
 * ({@link HERALD_QUEUE_POLICY_SID}) that Herald did not write (other principal, action,
 * resource or condition), more than one statement with that Sid, or text that is not a JSON
 * policy. Herald changes nothing in that case. Not retryable: rename or remove the conflicting
 * statement (or fix the policy), then call again.
 */
export class QueuePolicyConflictError extends HeraldError {
  /** The queue whose policy is in the way (its ARN). */
  readonly queue: string;

  /**
   * @param queue - The queue's ARN.
   * @param problem - What is wrong with the policy, as a sentence fragment.
   * @param remedy - What to do about it, as a sentence fragment. Default: rename or remove the
   *   statement that has Herald's Sid.
   */
  constructor(queue: string, problem: string, remedy?: string) {
    super(
      'QueuePolicyConflict',
      `The policy of queue ${queue} cannot be edited safely: ${problem}. Herald changed nothing; ` +
        `${remedy ?? `rename or remove that statement (Herald owns the Sid "${HERALD_QUEUE_POLICY_SID}")`}, then call again.`,
    );
    this.queue = queue;
  }
}

/**
 * Adding the topic would take the queue's policy past an SQS limit (8,192 bytes, 20
 * statements), so SQS would refuse it. Not retryable: unsubscribe topics the queue no longer
 * needs, or trim the policy's other statements.
 */
export class QueuePolicyTooLargeError extends HeraldError {
  /** The queue (its ARN). */
  readonly queue: string;

  /**
   * @param queue - The queue's ARN.
   * @param detail - Which limit and by how much.
   */
  constructor(queue: string, detail: string) {
    super(
      'QueuePolicyTooLarge',
      `The policy of queue ${queue} would exceed an SQS limit (${detail}); SQS would refuse it. ` +
        'Unsubscribe topics the queue no longer needs or remove unused statements, then call again.',
    );
    this.queue = queue;
  }
}

/** Which resource {@link SubscriptionTargetNotFoundError} is about. */
export type SubscriptionTarget = 'topic' | 'queue';

/**
 * The topic or the queue does not exist (in the client's account and region). Not retryable:
 * create it first, or check the ARN/URL and the client's region.
 */
export class SubscriptionTargetNotFoundError extends HeraldError {
  /** Which one is missing. */
  readonly target: SubscriptionTarget;
  /** The topic ARN or queue URL that was not found. */
  readonly id: string;

  /**
   * @param target - `'topic'` or `'queue'`.
   * @param id - The topic ARN or queue URL.
   * @param cause - The SDK error.
   */
  constructor(target: SubscriptionTarget, id: string, cause: unknown) {
    super(
      'SubscriptionTargetNotFound',
      `The ${target} ${id} does not exist (or is in another region than the ${target === 'topic' ? 'SNS' : 'SQS'} client's); ` +
        `create it first, or check the ${target === 'topic' ? 'ARN' : 'URL'} and the client's region.`,
      { cause },
    );
    this.target = target;
    this.id = id;
  }
}

/**
 * An SNS or SQS request made while subscribing or unsubscribing failed (after the SDK's own
 * retries). `operation` names it (`sns:Subscribe`, `sqs:SetQueueAttributes`, …), `cause` is the
 * SDK error, and `retryable` follows it (throttling, 5xx and network errors are retryable;
 * access and validation errors are not). Every step is idempotent, so calling again after a
 * retryable failure finishes the job.
 */
export class SubscriptionRequestError extends HeraldError {
  /** The AWS action that failed, as `service:Action`. */
  readonly operation: string;

  /**
   * @param operation - The AWS action, as `service:Action`.
   * @param subject - What it was for (a topic ARN, queue URL or subscription ARN).
   * @param cause - The SDK error.
   */
  constructor(operation: string, subject: string, cause: unknown) {
    const retryable = isRetryableAwsError(cause);
    const name = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : 'error';
    const said = cause instanceof Error && cause.message !== '' ? `: ${cause.message.slice(0, 300)}` : '';
    super(
      'SubscriptionRequestFailed',
      `${operation} for ${subject} failed (${name}${said}). ` +
        (retryable
          ? 'It may succeed later: call again (every step is idempotent).'
          : `Check the caller's IAM permissions (${operation}) and the arguments.`),
      { cause, retryable },
    );
    this.operation = operation;
  }
}

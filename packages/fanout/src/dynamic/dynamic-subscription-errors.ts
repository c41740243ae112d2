import { HeraldError, isRetryableAwsError } from '@herald/core';

/**
 * `handleTaskStateChange` was given something that is not an ECS "Task State Change" event from
 * EventBridge (`source` `aws.ecs`, `detail-type` `ECS Task State Change`, a `detail` with
 * `taskArn`, `lastStatus` and a numeric `version`). Not retryable: the same event fails the same
 * way. Check the EventBridge rule's pattern (use the patterns Herald exports) and the target's
 * input (the whole event, not an input transformer's output).
 */
export class InvalidTaskStateChangeError extends HeraldError {
  /** @param problem - What is wrong with the event, as a sentence fragment. */
  constructor(problem: string) {
    super(
      'InvalidTaskStateChange',
      `Not an ECS Task State Change event: ${problem}. Send the whole EventBridge event (no input transformer) ` +
        'from a rule with ECS_TASK_RUNNING_PATTERN or ECS_TASK_STOPPED_PATTERN.',
    );
  }
}

/**
 * Creating or removing a task's queue, subscription or mapping failed (after the SDK's own
 * retries). `step` names the AWS action; `retryable` follows the cause. Every step is
 * idempotent and the mapping records how far it got, so handling the same event again (Lambda
 * retries a failed asynchronous invocation by itself) finishes the job.
 */
export class DynamicSubscriptionError extends HeraldError {
  /** The ECS task id the event was about. */
  readonly taskId: string;
  /** The AWS action that failed, as `service:Action`. */
  readonly step: string;

  /**
   * @param taskId - The task.
   * @param step - The AWS action, as `service:Action`.
   * @param cause - The underlying error.
   */
  constructor(taskId: string, step: string, cause: unknown) {
    const retryable = cause instanceof HeraldError ? cause.retryable : isRetryableAwsError(cause);
    const name = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : 'error';
    super(
      'DynamicSubscriptionFailed',
      `${step} failed for ECS task ${taskId} (${name}). ` +
        (retryable
          ? 'Handling the same event again finishes the job (Lambda retries a failed asynchronous invocation).'
          : `Check the function's IAM permissions (${step}) and the options; the event can then be handled again.`),
      { cause, retryable },
    );
    this.taskId = taskId;
    this.step = step;
  }
}

/**
 * The ECS task metadata endpoint is not available: `ECS_CONTAINER_METADATA_URI_V4` is not set.
 * It is set in containers of ECS tasks (Fargate platform version 1.4.0 and later, container
 * agent 1.39.0 and later on EC2). Not retryable: outside ECS, pass the task id yourself.
 */
export class EcsMetadataUnavailableError extends HeraldError {
  constructor() {
    super(
      'EcsMetadataUnavailable',
      'ECS_CONTAINER_METADATA_URI_V4 is not set, so this process is not in an ECS task container (or its platform ' +
        'is older than Fargate 1.4.0 / container agent 1.39.0). Outside ECS, pass the task id to queueForTask yourself.',
    );
  }
}

/**
 * The ECS task metadata endpoint did not answer with task metadata: the request failed or timed
 * out (retryable), it answered with an HTTP error (retryable for 5xx), or its answer has no
 * usable `TaskARN` (not retryable).
 */
export class EcsMetadataRequestError extends HeraldError {
  /** The URL that was requested. */
  readonly url: string;

  /**
   * @param url - The metadata URL.
   * @param problem - What went wrong.
   * @param options - Whether a retry may succeed, and the cause.
   */
  constructor(url: string, problem: string, options: { retryable: boolean; cause?: unknown }) {
    super(
      'EcsMetadataRequestFailed',
      `The ECS task metadata endpoint ${url} ${problem}. ` +
        (options.retryable ? 'Try again shortly.' : 'Check that this runs in an ECS task container.'),
      options,
    );
    this.url = url;
  }
}

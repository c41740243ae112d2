/**
 * Whether an AWS SDK v3 error is one of the given service errors: by its `name` (the SDK's
 * exception name, for example `NotFoundException`) or its `Code` (the wire code, for example
 * `NotFound`, which awsQuery services such as SNS also carry).
 *
 * @param error - What was thrown.
 * @param names - Exception names or wire codes that count.
 * @returns `true` when the error carries one of `names`.
 * @internal
 */
export function isAwsError(error: unknown, ...names: readonly string[]): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as { name?: unknown; Code?: unknown; code?: unknown };
  return [fields.name, fields.Code, fields.code].some((value) => typeof value === 'string' && names.includes(value));
}

/** SNS: the topic or subscription does not exist. @internal */
export const SNS_NOT_FOUND = ['NotFoundException', 'NotFound'] as const;
/** SQS: the queue does not exist (JSON protocol name, and the legacy query code). @internal */
export const SQS_QUEUE_MISSING = ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'] as const;

/** Longest SQS queue name. */
const SQS_QUEUE_NAME_MAX = 80;
/** Longest ECS task id (a UUID, in the older task ARN format; newer ids have 32 characters). */
const TASK_ID_MAX = 36;
/** Characters SQS allows in a standard queue's name. */
const QUEUE_NAME_CHARACTERS = /^[A-Za-z0-9_-]*$/;

/** The default `queueNamePrefix`. */
export const DEFAULT_QUEUE_NAME_PREFIX = 'task-';

/**
 * Checks a queue name prefix: SQS characters only, and short enough that prefix + task id fits
 * in SQS's 80 characters.
 *
 * @param prefix - The prefix.
 * @returns It, checked.
 * @internal
 */
export function checkedQueueNamePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || prefix === '' || !QUEUE_NAME_CHARACTERS.test(prefix) || prefix.length > SQS_QUEUE_NAME_MAX - TASK_ID_MAX) {
    throw new TypeError(
      `queueNamePrefix must be 1–${SQS_QUEUE_NAME_MAX - TASK_ID_MAX} characters of A–Z, a–z, 0–9, - and _ ` +
        `(an ECS task id of up to ${TASK_ID_MAX} characters follows it in an 80-character queue name), got ${JSON.stringify(prefix)}.`,
    );
  }
  return prefix;
}

/**
 * The queue name for a task: the prefix, then the task id.
 *
 * @param prefix - The checked prefix.
 * @param taskId - The task id.
 * @returns The queue name.
 * @internal
 */
export function taskQueueName(prefix: string, taskId: string): string {
  return `${prefix}${taskId}`;
}

/**
 * The task id in a queue name made by {@link taskQueueName}, or `undefined` when the name does
 * not have the prefix or what follows cannot be a task id.
 *
 * @param prefix - The prefix.
 * @param queueName - A queue name.
 * @returns The task id, or `undefined`.
 * @internal
 */
export function taskIdFromQueueName(prefix: string, queueName: string): string | undefined {
  if (!queueName.startsWith(prefix)) return undefined;
  const rest = queueName.slice(prefix.length);
  return rest.length > 0 && rest.length <= TASK_ID_MAX && /^[A-Za-z0-9-]+$/.test(rest) ? rest : undefined;
}

/**
 * The queue name at the end of a queue URL (`https://sqs.region.amazonaws.com/account/name`).
 *
 * @param queueUrl - The URL.
 * @returns The name.
 * @internal
 */
export function queueNameFromUrl(queueUrl: string): string {
  return queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
}

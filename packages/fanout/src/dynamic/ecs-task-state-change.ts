import { InvalidTaskStateChangeError } from './dynamic-subscription-errors.js';

/** EventBridge `source` of Amazon ECS events. */
export const ECS_EVENT_SOURCE = 'aws.ecs';
/** EventBridge `detail-type` of ECS task state change events. */
export const ECS_TASK_STATE_CHANGE = 'ECS Task State Change';

/**
 * The `detail` of an ECS task state change event: the task, as `DescribeTasks` describes it
 * (timestamps as ISO strings). Only the fields Herald reads are typed; ECS adds others.
 */
export interface EcsTaskStateChangeDetail {
  /** The task's ARN: `arn:aws:ecs:region:account:task/cluster/id` (or `task/id`, the older format). */
  readonly taskArn: string;
  /** The cluster's ARN. */
  readonly clusterArn: string;
  /** The task's last known status: `PROVISIONING`, `PENDING`, `ACTIVATING`, `RUNNING`, …, `STOPPED`. */
  readonly lastStatus: string;
  /** The status ECS is driving the task to (`RUNNING` or `STOPPED`). */
  readonly desiredStatus?: string | undefined;
  /**
   * The task resource's version: it grows with every state change, and a duplicate delivery of
   * the same change carries the same version.
   */
  readonly version: number;
  /** `service:<name>` for tasks of a service, `family:<name>` for standalone tasks. */
  readonly group?: string | undefined;
  /** Any other field ECS sends. */
  readonly [field: string]: unknown;
}

/** An ECS task state change event, as EventBridge delivers it to a Lambda function. */
export interface EcsTaskStateChangeEvent {
  /** EventBridge's envelope version (`"0"`). */
  readonly version?: string | undefined;
  /** The event id (a redelivered event keeps it). */
  readonly id?: string | undefined;
  /** `ECS Task State Change`. */
  readonly 'detail-type': string;
  /** `aws.ecs`. */
  readonly source: string;
  /** The account. */
  readonly account?: string | undefined;
  /** When the state changed, ISO 8601 (whole seconds). */
  readonly time?: string | undefined;
  /** The region. */
  readonly region?: string | undefined;
  /** The task's ARN. */
  readonly resources?: readonly string[] | undefined;
  /** The task. */
  readonly detail: EcsTaskStateChangeDetail;
}

/** What Herald reads from a task state change event. @internal */
export interface TaskStateChange {
  readonly taskId: string;
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: string | undefined;
  readonly version: number;
  readonly group: string | undefined;
  /** The event's `time`, epoch ms, when present and readable. */
  readonly time: number | undefined;
}

/**
 * ECS task ids: 32 hex characters, or a UUID for tasks with the older ARN format. At most 36
 * characters, none but letters, digits and `-`: the queue name (a prefix of up to 44 characters,
 * then the id) must fit SQS's 80, and the sweep must read the id back from it.
 */
const TASK_ID = /^[A-Za-z0-9-]{1,36}$/;

/**
 * The task id of an ECS task ARN: its last path segment
 * (`arn:aws:ecs:us-east-1:111122223333:task/my-cluster/c13b4cb40f1f4fe4a2971f76ae5a47ad` →
 * `c13b4cb40f1f4fe4a2971f76ae5a47ad`). A bare task id is returned as it is.
 *
 * @param taskArnOrId - A task ARN or task id.
 * @returns The task id.
 * @throws `TypeError` when it is neither.
 */
export function taskIdFromArn(taskArnOrId: string): string {
  const text = typeof taskArnOrId === 'string' ? taskArnOrId : '';
  const id = text.startsWith('arn:') && /^arn:[^:]+:ecs:[^:]*:[^:]*:task\//.test(text) ? text.slice(text.lastIndexOf('/') + 1) : text;
  if (!TASK_ID.test(id)) {
    throw new TypeError(`Not an ECS task ARN or task id: ${JSON.stringify(taskArnOrId)} (expected arn:aws:ecs:region:account:task/cluster/id).`);
  }
  return id;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads and checks an ECS task state change event.
 *
 * @param event - What the handler was given.
 * @returns The fields Herald acts on.
 * @throws {@link InvalidTaskStateChangeError} when it is not such an event.
 * @internal
 */
export function readTaskStateChange(event: unknown): TaskStateChange {
  if (!isObject(event)) throw new InvalidTaskStateChangeError('it is not an object');
  if (event['source'] !== ECS_EVENT_SOURCE || event['detail-type'] !== ECS_TASK_STATE_CHANGE) {
    throw new InvalidTaskStateChangeError(
      `source is ${JSON.stringify(event['source'])} and detail-type ${JSON.stringify(event['detail-type'])}, ` +
        `expected "${ECS_EVENT_SOURCE}" and "${ECS_TASK_STATE_CHANGE}"`,
    );
  }
  const detail = event['detail'];
  if (!isObject(detail)) throw new InvalidTaskStateChangeError('it has no detail object');
  const { taskArn, clusterArn, lastStatus, desiredStatus, version, group } = detail;
  if (typeof taskArn !== 'string') throw new InvalidTaskStateChangeError('detail.taskArn is missing');
  let taskId: string;
  try {
    taskId = taskIdFromArn(taskArn);
  } catch {
    throw new InvalidTaskStateChangeError(`detail.taskArn ${JSON.stringify(taskArn)} is not a task ARN`);
  }
  if (typeof lastStatus !== 'string' || lastStatus === '') throw new InvalidTaskStateChangeError('detail.lastStatus is missing');
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new InvalidTaskStateChangeError(`detail.version must be a whole number, got ${JSON.stringify(version)}`);
  }
  const time = typeof event['time'] === 'string' ? Date.parse(event['time']) : Number.NaN;
  return {
    taskId,
    taskArn,
    clusterArn: typeof clusterArn === 'string' ? clusterArn : '',
    lastStatus,
    desiredStatus: typeof desiredStatus === 'string' ? desiredStatus : undefined,
    version,
    group: typeof group === 'string' ? group : undefined,
    time: Number.isFinite(time) ? time : undefined,
  };
}

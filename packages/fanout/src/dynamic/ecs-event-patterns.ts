import type { EventPattern } from '../event-pattern/index.js';
import { ECS_EVENT_SOURCE, ECS_TASK_STATE_CHANGE } from './ecs-task-state-change.js';

/**
 * The `detail` of an {@link EcsTaskEventPattern}: `lastStatus` (the statuses matched),
 * `desiredStatus` (`["RUNNING"]` for RUNNING, so a task already being stopped gets no queue),
 * and, when narrowed, `clusterArn` and `group` (`service:<name>`).
 */
export interface EcsTaskEventPatternDetail {
  /** Each field's accepted values. */
  readonly [field: string]: readonly string[];
}

/**
 * An EventBridge event pattern for ECS task state change events. It is an `EventPattern`, so
 * `matchesEventPattern` takes it as it is; `JSON.stringify` it for `PutRule`'s `EventPattern`.
 */
export interface EcsTaskEventPattern extends EventPattern {
  /** `["aws.ecs"]`. */
  readonly source: readonly string[];
  /** `["ECS Task State Change"]`. */
  readonly 'detail-type': readonly string[];
  /** Conditions on the task. */
  readonly detail: EcsTaskEventPatternDetail;
}

/** Which tasks a pattern matches: one cluster, and within it one service. */
export interface EcsTaskPatternScope {
  /** The cluster's ARN (`detail.clusterArn`). */
  readonly clusterArn?: string | undefined;
  /** The service's name; matched as `detail.group` `service:<name>`. */
  readonly serviceName?: string | undefined;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function pattern(lastStatus: string, desiredStatus: string | undefined, scope: EcsTaskPatternScope): EcsTaskEventPattern {
  const { clusterArn, serviceName } = scope;
  if (clusterArn !== undefined && !/^arn:[^:]+:ecs:[^:]+:\d{12}:cluster\/.+$/.test(clusterArn)) {
    throw new TypeError(`clusterArn must be an ECS cluster ARN (arn:aws:ecs:region:account:cluster/name), got ${JSON.stringify(clusterArn)}.`);
  }
  if (serviceName !== undefined && (typeof serviceName !== 'string' || serviceName === '')) {
    throw new TypeError(`serviceName must be a non-empty string, got ${JSON.stringify(serviceName)}.`);
  }
  return deepFreeze({
    source: [ECS_EVENT_SOURCE],
    'detail-type': [ECS_TASK_STATE_CHANGE],
    detail: {
      ...(clusterArn === undefined ? {} : { clusterArn: [clusterArn] }),
      ...(serviceName === undefined ? {} : { group: [`service:${serviceName}`] }),
      lastStatus: [lastStatus],
      ...(desiredStatus === undefined ? {} : { desiredStatus: [desiredStatus] }),
    },
  });
}

/**
 * The EventBridge pattern for tasks that are running and meant to stay so (`lastStatus` and
 * `desiredStatus` both `RUNNING`), optionally narrowed to a cluster and a service. Use it for the
 * rule whose target calls `handleTaskStateChange`.
 *
 * @param scope - The cluster ARN and service name, both optional.
 * @returns A frozen pattern; `JSON.stringify` it for `PutRule`'s `EventPattern`.
 * @throws `TypeError` for a malformed cluster ARN or an empty service name.
 */
export function ecsTaskRunningPattern(scope: EcsTaskPatternScope = {}): EcsTaskEventPattern {
  return pattern('RUNNING', 'RUNNING', scope);
}

/**
 * The EventBridge pattern for stopped tasks (`lastStatus` `STOPPED`), optionally narrowed to a
 * cluster and a service.
 *
 * @param scope - The cluster ARN and service name, both optional.
 * @returns A frozen pattern; `JSON.stringify` it for `PutRule`'s `EventPattern`.
 * @throws `TypeError` for a malformed cluster ARN or an empty service name.
 */
export function ecsTaskStoppedPattern(scope: EcsTaskPatternScope = {}): EcsTaskEventPattern {
  return pattern('STOPPED', undefined, scope);
}

/** {@link ecsTaskRunningPattern} for every cluster: `{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["RUNNING"],"desiredStatus":["RUNNING"]}}`. */
export const ECS_TASK_RUNNING_PATTERN: EcsTaskEventPattern = ecsTaskRunningPattern();

/** {@link ecsTaskStoppedPattern} for every cluster: `{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["STOPPED"]}}`. */
export const ECS_TASK_STOPPED_PATTERN: EcsTaskEventPattern = ecsTaskStoppedPattern();

// Per-container dynamic subscriptions driven by ECS task state change events.
export {
  createDynamicSubscriptions,
  DEFAULT_TOMBSTONE_TTL_SECONDS,
  type DynamicSubscriptions,
  type DynamicSubscriptionsOptions,
  type TaskStateChangeOutcome,
  type TaskStateChangeResult,
  type TaskQueue,
  type QueueForTaskOptions,
} from './create-dynamic-subscriptions.js';
export {
  ECS_TASK_RUNNING_PATTERN,
  ECS_TASK_STOPPED_PATTERN,
  ecsTaskRunningPattern,
  ecsTaskStoppedPattern,
  type EcsTaskEventPattern,
  type EcsTaskEventPatternDetail,
  type EcsTaskPatternScope,
} from './ecs-event-patterns.js';
export {
  ECS_EVENT_SOURCE,
  ECS_TASK_STATE_CHANGE,
  taskIdFromArn,
  type EcsTaskStateChangeDetail,
  type EcsTaskStateChangeEvent,
} from './ecs-task-state-change.js';
export { readEcsTaskIdentity, ECS_METADATA_ENV, type EcsTaskIdentity, type ReadEcsTaskIdentityOptions } from './ecs-task-metadata.js';
export type {
  SweepOrphansOptions,
  SweepReport,
  SweptQueue,
  SweptSubscription,
  KeptQueue,
  SweepFailure,
  SweepReason,
  KeepReason,
  RunningTaskIds,
} from './sweep-orphans.js';
export type { TaskQueueRemoval } from './task-queue-teardown.js';
export { OWNER_TAG as DYNAMIC_QUEUE_OWNER_TAG } from './dynamic-subscriptions-context.js';
export { DEFAULT_QUEUE_NAME_PREFIX } from './task-queue-name.js';
export {
  InvalidTaskStateChangeError,
  DynamicSubscriptionError,
  EcsMetadataUnavailableError,
  EcsMetadataRequestError,
} from './dynamic-subscription-errors.js';

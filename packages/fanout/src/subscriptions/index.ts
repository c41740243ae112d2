// SNS→SQS subscriptions with correct queue policies.
export { subscribeQueue, type SubscribeQueueOptions, type SubscribeQueueResult, type SubscribeQueueStatus, type SubscriptionLookup } from './subscribe-queue.js';
export { unsubscribeQueue, type UnsubscribeQueueOptions, type UnsubscribeQueueResult, type QueuePolicyRemoval } from './unsubscribe-queue.js';
export {
  addTopicToQueuePolicy,
  removeTopicFromQueuePolicy,
  queuePolicyTopics,
  SQS_POLICY_MAX_BYTES,
  SQS_POLICY_MAX_STATEMENTS,
  type QueuePolicyEdit,
  type QueuePolicyEditInput,
} from './queue-policy.js';
export { HERALD_QUEUE_POLICY_SID } from './herald-statement-sid.js';
export type { ManagedSubscriptionAttribute } from './subscription-attributes.js';
export {
  QueuePolicyConflictError,
  QueuePolicyTooLargeError,
  SubscriptionTargetNotFoundError,
  SubscriptionRequestError,
  type SubscriptionTarget,
} from './subscription-errors.js';

// The fan-out router: createFanout, its SQS and EventBridge batch adapters, and their checks.
export { createFanout } from './create-fanout.js';
export { InvalidRouteError } from './invalid-route-error.js';
export { FanoutClosedError } from './fanout-closed-error.js';
export type {
  DeliveredOutcome,
  DispatchError,
  DispatchResult,
  EventBridgeTarget,
  EventPatternRouteFilter,
  FailedOutcome,
  Fanout,
  FanoutBatchingOptions,
  FanoutMessage,
  FanoutMessageAttribute,
  FanoutOptions,
  FanoutRoute,
  FanoutTarget,
  FanoutTargetType,
  FilterPolicyRouteFilter,
  FunctionTarget,
  FunctionTargetContext,
  RouteFilter,
  RouteOutcome,
  RoutePredicate,
  SnsPublisherTarget,
  SnsTarget,
  SnsTopicTarget,
  SqsTarget,
} from './fanout-types.js';
export {
  createSqsAdapter,
  SQS_LARGEST_MESSAGE_BYTES,
  SQS_MAX_BATCH_ENTRIES,
  SQS_MAX_MESSAGE_BYTES,
  type SqsAdapterInput,
  type SqsAdapterOptions,
} from './sqs-adapter.js';
export type { SqsBatchEntry, SqsSendMessageBatchClient, SqsSendValue } from './sqs-types.js';
export { sqsMessageSize } from './sqs-message-size.js';
export {
  validateSqsMessage,
  SQS_MAX_DELAY_SECONDS,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  type SqsMessageProblem,
  type SqsMessageRules,
} from './validate-sqs-message.js';
export {
  createEventBridgeAdapter,
  EVENTBRIDGE_LARGEST_ENTRY_BYTES,
  EVENTBRIDGE_MAX_BATCH_ENTRIES,
  EVENTBRIDGE_MAX_ENTRY_BYTES,
  type EventBridgeAdapterInput,
  type EventBridgeAdapterOptions,
} from './eventbridge-adapter.js';
export type { EventBridgeEntry, EventBridgePutEventsClient, EventBridgePutValue } from './eventbridge-types.js';
export { eventBridgeEntrySize } from './eventbridge-entry-size.js';
export { validateEventBridgeEntry, type EventBridgeEntryProblem } from './validate-eventbridge-entry.js';

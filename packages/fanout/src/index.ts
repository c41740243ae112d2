/**
 * @herald/fanout: SNS filter policies and EventBridge event patterns evaluated and validated
 * locally, a fan-out router to SNS topics, SQS queues, EventBridge buses and functions,
 * SNS→SQS subscriptions with correct queue policies, and per-container dynamic subscriptions
 * driven by ECS task state changes.
 *
 * @packageDocumentation
 * @module @herald/fanout
 */
export * from './filter-policy/index.js';
export * from './event-pattern/index.js';
export * from './router/index.js';
export * from './subscriptions/index.js';
export * from './dynamic/index.js';

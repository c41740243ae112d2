import type { BatcherRetryOptions, Clock, Logger, RateLimiter } from '@herald/core';
import type { SnsMessage, SnsPublishBatchClient, SnsPublisher, SnsPublisherOptions } from '@herald/sns-batch';
import type { EventPattern } from '../event-pattern/index.js';
import type { FilterPolicy, FilterPolicyScope } from '../filter-policy/index.js';
import type { EventBridgeEntry, EventBridgePutEventsClient } from './eventbridge-types.js';
import type { SqsBatchEntry, SqsSendMessageBatchClient } from './sqs-types.js';

/** A message attribute, in the shape SNS and SQS both use. */
export interface FanoutMessageAttribute {
  /** `String`, `Number` or `Binary`, optionally `.label`ed; SNS also knows `String.Array`. */
  readonly DataType: string;
  /** The value of a String, Number or String.Array attribute. */
  readonly StringValue?: string;
  /** The value of a Binary attribute. */
  readonly BinaryValue?: Uint8Array;
}

/**
 * What the router routes: a body with optional attributes and FIFO ids, the common ground of
 * SNS, SQS and EventBridge. Each target maps it to its own entry (see the targets' `toMessage`
 * / `toEntry` options for the defaults and how to change them).
 *
 * Filters see it as follows: SNS filter policies with scope `MessageAttributes` see
 * `attributes`; with scope `MessageBody` they see the body parsed as JSON; EventBridge event
 * patterns see the body parsed as JSON as the event (a body that is not a JSON object matches
 * no event pattern); predicates see the message itself.
 *
 * @example
 * ```ts
 * const message: FanoutMessage = {
 *   id: 'order-42',
 *   body: JSON.stringify({ source: 'shop', 'detail-type': 'OrderPlaced', detail: { total: 30 } }),
 *   attributes: { type: { DataType: 'String', StringValue: 'OrderPlaced' } },
 * };
 * ```
 */
export interface FanoutMessage {
  /** Your id for the message, echoed in its {@link DispatchResult}. Default: a random UUID. */
  readonly id?: string;
  /** The body, usually JSON text. */
  readonly body: string;
  /** Message attributes (SNS and SQS targets send them; SNS filter policies read them). */
  readonly attributes?: Readonly<Record<string, FanoutMessageAttribute>>;
  /**
   * Message group: `MessageGroupId` for SNS and SQS targets (required by FIFO ones, and used by
   * standard queues as the fair-queue tenant).
   */
  readonly groupId?: string;
  /** `MessageDeduplicationId`, sent to FIFO SNS topics and FIFO SQS queues only. */
  readonly deduplicationId?: string;
}

/** An SNS filter policy as a route's filter, evaluated locally with SNS's semantics. */
export interface FilterPolicyRouteFilter {
  /** The policy, as an object or as JSON text. */
  readonly filterPolicy: FilterPolicy | string;
  /** What the policy reads: `'MessageAttributes'` (default, as SNS) or `'MessageBody'`. */
  readonly scope?: FilterPolicyScope;
}

/** An EventBridge event pattern as a route's filter, matched against the body parsed as JSON. */
export interface EventPatternRouteFilter {
  /** The pattern, as an object or as JSON text. */
  readonly eventPattern: EventPattern | string;
}

/**
 * A predicate as a route's filter. It must return `true` (match) or `false` synchronously;
 * anything else, or a throw, fails the route for that message with `'FilterFailed'`.
 *
 * @param message - The message being dispatched.
 * @returns Whether the route takes the message.
 */
export type RoutePredicate = (message: FanoutMessage) => boolean;

/** Which messages a route takes. */
export type RouteFilter = FilterPolicyRouteFilter | EventPatternRouteFilter | RoutePredicate;

/**
 * Batching settings of an SQS or EventBridge target, passed to its `@herald/core` batcher (see
 * `BatcherOptions` there for the details).
 */
export interface FanoutBatchingOptions {
  /** How long a partial batch waits for more entries, in ms. Default 5. */
  readonly lingerMs?: number;
  /** Most requests in flight. Default 10. */
  readonly maxInFlight?: number;
  /** Most entries accepted and not yet settled before further ones wait. Default 10,000. */
  readonly maxQueued?: number;
  /** Attempts, backoff, jitter and retry budget. Default: 5 attempts, a budget of its own. */
  readonly retry?: BatcherRetryOptions;
  /** Rate limit, shareable between targets and publishers. Default none. */
  readonly rateLimiter?: RateLimiter;
  /** Longest time one request may take before it is aborted and retried, in ms. Default none. */
  readonly requestTimeoutMs?: number;
}

/**
 * An SNS topic through a publisher you made with `createSnsPublisher`. The router publishes
 * through it and flushes it, but never closes it: you own it, close it after the router.
 */
export interface SnsPublisherTarget {
  /** Discriminant. */
  readonly type: 'sns';
  /** The publisher to publish through. */
  readonly publisher: SnsPublisher;
  /**
   * Maps a message to what is published. Default: `Message` = body, `MessageAttributes` =
   * attributes, `MessageGroupId` = groupId, and on FIFO topics `MessageDeduplicationId` =
   * deduplicationId.
   */
  readonly toMessage?: (message: FanoutMessage) => SnsMessage;
}

/**
 * An SNS topic by client and ARN: the router makes a publisher (`createSnsPublisher`) for it and
 * closes it in `close()`.
 */
export interface SnsTopicTarget {
  /** Discriminant. */
  readonly type: 'sns';
  /** A configured SNS client (preferably with `maxAttempts: 1`: the publisher retries). */
  readonly client: SnsPublishBatchClient;
  /** ARN of the topic. */
  readonly topicArn: string;
  /** Publisher options (FIFO, linger, retries, sizes, ...); logger and clock default to the router's. */
  readonly publisherOptions?: Omit<SnsPublisherOptions, 'client' | 'topicArn'>;
  /** Maps a message to what is published; see {@link SnsPublisherTarget.toMessage}. */
  readonly toMessage?: (message: FanoutMessage) => SnsMessage;
}

/** An SNS topic target: an existing publisher, or a client and topic ARN. */
export type SnsTarget = SnsPublisherTarget | SnsTopicTarget;

/** An SQS queue, sent to with `SendMessageBatch` through the core batch engine. */
export interface SqsTarget {
  /** Discriminant. */
  readonly type: 'sqs';
  /** A configured SQS client, with `endpoint` set explicitly when not talking to AWS. */
  readonly client: SqsSendMessageBatchClient;
  /** URL of the queue. */
  readonly queueUrl: string;
  /** Whether the queue is FIFO. Default: the URL ends with `.fifo`. */
  readonly fifo?: boolean;
  /** FIFO only: `false` makes a deduplication id required locally. Default: not checked. */
  readonly contentBasedDeduplication?: boolean;
  /** The queue's `MaximumMessageSize`. Default 262,144; at most 1,048,576. */
  readonly maxMessageBytes?: number;
  /**
   * Maps a message to the entry sent. Default: `MessageBody` = body, `MessageAttributes` =
   * attributes, `MessageGroupId` = groupId, and on FIFO queues `MessageDeduplicationId` =
   * deduplicationId. Use it for `DelaySeconds`, or ids derived from the body.
   */
  readonly toEntry?: (message: FanoutMessage) => SqsBatchEntry;
  /** Batching settings. */
  readonly batching?: FanoutBatchingOptions;
}

/** An EventBridge event bus, put to with `PutEvents` through the core batch engine. */
export interface EventBridgeTarget {
  /** Discriminant. */
  readonly type: 'eventbridge';
  /** A configured EventBridge client. */
  readonly client: EventBridgePutEventsClient;
  /** Name or ARN of the bus. Default: the account's default bus. */
  readonly eventBusName?: string;
  /** `Source` of every event (required unless `toEntry` sets it), e.g. `'com.example.orders'`. */
  readonly source?: string;
  /** `DetailType` of every event, or a function of the message (required unless `toEntry` sets it). */
  readonly detailType?: string | ((message: FanoutMessage) => string);
  /**
   * Maps a message to the entry put. Default: `Source` = source, `DetailType` = detailType,
   * `Detail` = body (which must then be a JSON object), `EventBusName` = eventBusName. An entry
   * without `EventBusName` gets `eventBusName`.
   */
  readonly toEntry?: (message: FanoutMessage) => EventBridgeEntry;
  /** A global endpoint's id, when you put through one. */
  readonly endpointId?: string;
  /** Largest entry as EventBridge sizes it. Default 262,144; at most 1,048,576. */
  readonly maxEntryBytes?: number;
  /** Batching settings. */
  readonly batching?: FanoutBatchingOptions;
}

/** What a function target is given besides the message. */
export interface FunctionTargetContext {
  /** The route's name. */
  readonly route: string;
  /** The message's id (yours, or the one the router assigned). */
  readonly id: string;
  /** Aborted when the target's `timeoutMs` passes; stop work then, the result is no longer awaited. */
  readonly signal: AbortSignal;
}

/**
 * A function of yours, called once per message. Returning (or resolving) delivers the message;
 * throwing (or rejecting) fails it for this route with the error's `code` (or `'FunctionFailed'`).
 */
export interface FunctionTarget {
  /** Discriminant. */
  readonly type: 'function';
  /**
   * Called with each message the route takes.
   *
   * @param message - The message.
   * @param context - Route name, message id and an abort signal.
   * @returns Anything; its value is ignored.
   */
  readonly handler: (message: FanoutMessage, context: FunctionTargetContext) => unknown;
  /**
   * Longest time one call may take, in ms; after it the message fails with `'Timeout'` (the
   * call's signal is aborted and its later result ignored). Default: no limit.
   */
  readonly timeoutMs?: number;
  /** Most calls in progress at once; further messages wait their turn. Default 16. */
  readonly maxConcurrency?: number;
}

/** Where a route sends the messages it takes. */
export type FanoutTarget = SnsTarget | SqsTarget | EventBridgeTarget | FunctionTarget;

/** The kinds of target. */
export type FanoutTargetType = FanoutTarget['type'];

/** A named route: which messages (its filter) go where (its target). */
export interface FanoutRoute {
  /** Unique, non-empty name; results and errors refer to the route by it. */
  readonly name: string;
  /** Which messages the route takes. Default: every message. */
  readonly filter?: RouteFilter;
  /** Where they go. */
  readonly target: FanoutTarget;
}

/** Options of {@link createFanout}. */
export interface FanoutOptions {
  /** The routes, evaluated for every message (a message can take several). */
  readonly routes: readonly FanoutRoute[];
  /** Retries, failed requests and inconsistent answers of the batching targets. Default silent. */
  readonly logger?: Logger;
  /** Time source of the batching targets (linger, backoff). Default `systemClock`. */
  readonly clock?: Clock;
  /**
   * Makes ids for messages without one; must return a non-empty string. Default
   * `crypto.randomUUID`. If it throws (or returns anything else), `dispatch` rejects with a
   * `TypeError` and none of that call's messages is handed to any target.
   */
  readonly generateId?: () => string;
}

/** A route's target took the message. */
export interface DeliveredOutcome {
  /** The route's name. */
  readonly route: string;
  /** The kind of target. */
  readonly target: FanoutTargetType;
  /** Discriminant. */
  readonly status: 'delivered';
  /**
   * The service's id for the message: the SNS or SQS `MessageId`, or the EventBridge `EventId`.
   * Absent for function targets.
   */
  readonly messageId?: string;
  /** FIFO SNS topics and SQS queues: the sequence number assigned. */
  readonly sequenceNumber?: string;
  /** How many times it was sent, the successful send included (1 for functions). */
  readonly attempts: number;
}

/** A route's target did not take the message, for good. */
export interface FailedOutcome {
  /** The route's name. */
  readonly route: string;
  /** The kind of target. */
  readonly target: FanoutTargetType;
  /** Discriminant. */
  readonly status: 'failed';
  /**
   * Stable code: the service's (per entry or for the whole request, e.g. `'InvalidParameter'`,
   * `'ThrottlingException'`), a local refusal (`'MessageTooLarge'`, `'EntryTooLarge'`,
   * `'MissingParameter'`, `'InvalidMessageContents'`, `'InvalidParameterValue'`,
   * `'InvalidArgument'`, `'MalformedDetail'`), the engine's (`'PrecedingMessageFailed'`,
   * `'MissingResult'`, `'RequestTimeout'`, ...), or the router's: `'FilterFailed'` (the filter
   * threw), `'MappingFailed'` (`toMessage`/`toEntry` threw), `'FunctionFailed'` / `'Timeout'`
   * (function targets), `'TargetClosed'` (a publisher you closed), `'UnconfirmedResult'`
   * (EventBridge answered inconsistently until retries ran out).
   */
  readonly code: string;
  /** What went wrong. Never contains the body. */
  readonly message: string;
  /** Whether the message itself was at fault (sending it unchanged will fail again). */
  readonly senderFault: boolean;
  /** How many times it was sent (functions: called; 0 if never). */
  readonly attempts: number;
  /** The underlying error, when there is one. */
  readonly cause?: unknown;
}

/** What became of one message on one matched route. */
export type RouteOutcome = DeliveredOutcome | FailedOutcome;

/** What became of one dispatched message. */
export interface DispatchResult {
  /** Your id, or the one the router assigned. */
  readonly id: string;
  /**
   * `'delivered'`: every matched route delivered it. `'partial'`: some did, some failed.
   * `'failed'`: every matched route failed (or the message itself was invalid, see `error`).
   * `'unmatched'`: no route took it; nothing was sent.
   */
  readonly status: 'delivered' | 'partial' | 'failed' | 'unmatched';
  /** Names of the routes whose filter took the message, in route order. */
  readonly matched: readonly string[];
  /**
   * One outcome per matched route, in route order, plus a `'FilterFailed'` outcome for each
   * route whose filter threw (those routes are not in `matched`).
   */
  readonly outcomes: readonly RouteOutcome[];
  /** Set when the message could not be routed at all: it went nowhere. */
  readonly error?: DispatchError;
}

/** Why a message could not be routed at all (see {@link DispatchResult.error}). */
export interface DispatchError {
  /** Stable code: the message is not an object with a string body (or a field has the wrong type). */
  readonly code: 'InvalidMessage';
  /** What is wrong with the message. Never quotes it. */
  readonly message: string;
}

/** A fan-out router; see {@link createFanout}. */
export interface Fanout {
  /** The route names, in order. */
  readonly routes: readonly string[];
  /**
   * Routes one message: evaluates every route's filter and hands the message to each matched
   * target. Resolves once every matched target has its outcome; never rejects because of the
   * message or a target. Rejects with `FanoutClosedError` after `close()`, and with a `TypeError`
   * when `generateId` fails (nothing is sent then).
   *
   * @param message - The message.
   */
  dispatch(message: FanoutMessage): Promise<DispatchResult>;
  /**
   * Routes several messages; resolves with their results in input order. Each target receives
   * them in input order (so FIFO groups keep it). Every message gets its id before the first is
   * handed over, so a failing `generateId` rejects the call with none of them sent.
   *
   * @param messages - The messages.
   */
  dispatch(messages: readonly FanoutMessage[]): Promise<DispatchResult[]>;
  /** Sends what the batching targets hold now; resolves when every message dispatched before has its result. */
  flush(): Promise<void>;
  /**
   * Refuses new messages, sends everything pending, waits for every dispatched message's
   * result, and closes the publishers and batchers the router made (not publishers you passed
   * in). Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

import type { PutEventsCommand, PutEventsCommandOutput, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/**
 * One event for EventBridge `PutEvents`: the SDK's `PutEventsRequestEntry`. `Source`,
 * `DetailType` and `Detail` (a JSON object, as text) are required; see
 * {@link validateEventBridgeEntry}.
 */
export type EventBridgeEntry = PutEventsRequestEntry;

/** What EventBridge answered for one event it accepted. */
export interface EventBridgePutValue {
  /** The event id EventBridge assigned. */
  eventId: string;
}

/**
 * The part of an `EventBridgeClient` the EventBridge adapter uses. An `EventBridgeClient` from
 * `@aws-sdk/client-eventbridge` fits; so does a test double with a `send` method.
 */
export interface EventBridgePutEventsClient {
  /**
   * Sends a `PutEventsCommand`.
   *
   * @param command - The request.
   * @param options - `abortSignal` when the batcher has a request timeout.
   */
  send(command: PutEventsCommand, options?: { abortSignal?: AbortSignal }): Promise<PutEventsCommandOutput>;
}

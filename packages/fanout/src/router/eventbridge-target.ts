import type { Clock, Logger } from '@herald/core';
import { createBatchedTarget } from './batched-target.js';
import { createEventBridgeAdapter, type EventBridgeAdapterInput } from './eventbridge-adapter.js';
import type { EventBridgeEntry } from './eventbridge-types.js';
import type { EventBridgeTarget, FanoutMessage } from './fanout-types.js';
import type { TargetRunner } from './target-runner.js';

/**
 * The entry of a message for an EventBridge target: `toEntry`'s (with the target's bus when it
 * sets none), or `Source`/`DetailType` from the target and the body as `Detail`.
 *
 * @param target - The target's configuration.
 * @param message - The message.
 */
export function eventBridgeEntryOf(target: EventBridgeTarget, message: FanoutMessage): EventBridgeEntry {
  const { eventBusName, toEntry, detailType } = target;
  if (toEntry !== undefined) {
    const entry = toEntry(message);
    return entry.EventBusName === undefined && eventBusName !== undefined ? { ...entry, EventBusName: eventBusName } : entry;
  }
  const entry: EventBridgeEntry = {
    Source: target.source,
    DetailType: typeof detailType === 'function' ? detailType(message) : detailType,
    Detail: message.body,
  };
  if (eventBusName !== undefined) entry.EventBusName = eventBusName;
  return entry;
}

/**
 * The runner of an EventBridge target: a batcher on {@link createEventBridgeAdapter}.
 *
 * @param route - The route's name.
 * @param target - The target's configuration.
 * @param logger - The router's logger.
 * @param clock - The router's clock.
 */
export function createEventBridgeTarget(
  route: string,
  target: EventBridgeTarget,
  logger: Logger | undefined,
  clock: Clock | undefined,
): TargetRunner {
  return createBatchedTarget({
    route,
    type: 'eventbridge',
    adapter: createEventBridgeAdapter({
      client: target.client,
      endpointId: target.endpointId,
      maxEntryBytes: target.maxEntryBytes,
      logger,
    }),
    batching: target.batching,
    ordered: false,
    logger,
    clock,
    toInput: (message, id): EventBridgeAdapterInput => ({ id, entry: eventBridgeEntryOf(target, message) }),
    read: (value) => ({ messageId: value.eventId }),
  });
}

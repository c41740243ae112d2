import type { Clock, Logger } from '@herald/core';
import { createSnsPublisher, type PublishResult, type SnsMessage, type SnsPublisher } from '@herald/sns-batch';
import type { FanoutMessage, RouteOutcome, SnsTarget } from './fanout-types.js';
import { errorText, failedOutcome, rejectedOutcome, type TargetRunner } from './target-runner.js';

/**
 * The default SNS message of a message: body, attributes, group id, and on FIFO topics the
 * deduplication id.
 *
 * @param message - The message.
 * @param fifo - Whether the topic is FIFO.
 */
export function defaultSnsMessage(message: FanoutMessage, fifo: boolean): SnsMessage {
  const published: SnsMessage = { Message: message.body };
  if (message.attributes !== undefined) published.MessageAttributes = { ...message.attributes };
  if (message.groupId !== undefined) published.MessageGroupId = message.groupId;
  if (fifo && message.deduplicationId !== undefined) published.MessageDeduplicationId = message.deduplicationId;
  return published;
}

function outcomeOf(route: string, result: PublishResult): RouteOutcome {
  if (result.status === 'published') {
    return result.sequenceNumber === undefined
      ? { route, target: 'sns', status: 'delivered', messageId: result.messageId, attempts: result.attempts }
      : {
          route,
          target: 'sns',
          status: 'delivered',
          messageId: result.messageId,
          sequenceNumber: result.sequenceNumber,
          attempts: result.attempts,
        };
  }
  return result.cause === undefined
    ? { route, target: 'sns', status: 'failed', code: result.code, message: result.message, senderFault: result.senderFault, attempts: result.attempts }
    : {
        route,
        target: 'sns',
        status: 'failed',
        code: result.code,
        message: result.message,
        senderFault: result.senderFault,
        attempts: result.attempts,
        cause: result.cause,
      };
}

/**
 * The runner of an SNS target: publishes through the given publisher (flushed, never closed,
 * by the router) or through one it makes from a client and topic ARN (closed by the router).
 *
 * @param route - The route's name.
 * @param target - The target's configuration.
 * @param logger - The router's logger, the default of a publisher the router makes.
 * @param clock - The router's clock, likewise.
 */
export function createSnsTarget(route: string, target: SnsTarget, logger: Logger | undefined, clock: Clock | undefined): TargetRunner {
  let publisher: SnsPublisher;
  let owned: boolean;
  if ('publisher' in target) {
    publisher = target.publisher;
    owned = false;
  } else {
    const options = target.publisherOptions ?? {};
    publisher = createSnsPublisher({
      ...options,
      ...(options.logger === undefined && logger !== undefined ? { logger } : {}),
      ...(options.clock === undefined && clock !== undefined ? { clock } : {}),
      client: target.client,
      topicArn: target.topicArn,
    });
    owned = true;
  }
  const toMessage = target.toMessage;
  return {
    type: 'sns',
    deliver(message, id) {
      let published: SnsMessage;
      try {
        published = { ...(toMessage === undefined ? defaultSnsMessage(message, publisher.fifo) : toMessage(message)), id };
      } catch (error) {
        return Promise.resolve(
          failedOutcome(route, 'sns', 'MappingFailed', `Mapping the message to an SNS message threw: ${errorText(error)}`, error),
        );
      }
      let pending: Promise<PublishResult>;
      try {
        pending = publisher.publish(published);
      } catch (error) {
        return Promise.resolve(rejectedOutcome(route, 'sns', error));
      }
      return pending.then(
        (result) => outcomeOf(route, result),
        (error: unknown) => rejectedOutcome(route, 'sns', error),
      );
    },
    flush: () => publisher.flush(),
    close: () => (owned ? publisher.close() : publisher.flush()),
  };
}

import { type SNSClient, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { isAwsError, SNS_NOT_FOUND, SQS_QUEUE_MISSING } from '../subscriptions/aws-error-name.js';
import { SubscriptionTargetNotFoundError } from '../subscriptions/subscription-errors.js';
import { findQueueSubscriptions } from '../subscriptions/topic-subscriptions.js';
import { DynamicSubscriptionError } from './dynamic-subscription-errors.js';

/** What is known about a task's queue before removing it. @internal */
export interface KnownTaskQueue {
  /** The queue's name (prefix + task id): found by name when its URL is not known. */
  readonly queueName: string;
  readonly queueUrl?: string | undefined;
  readonly queueArn?: string | undefined;
  readonly subscriptionArn?: string | undefined;
}

/** What was removed for a stopped task: its subscription, then its queue. */
export interface TaskQueueRemoval {
  /** The subscriptions unsubscribed (a subscription already gone counts as removed). */
  readonly subscriptionsRemoved: readonly string[];
  /** Whether the queue existed and was deleted. */
  readonly queueDeleted: boolean;
}

/** Clients and topic for {@link removeTaskQueue}. @internal */
export interface TaskQueueServices {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly topicArn: string;
}

async function queueUrlByName(sqs: SQSClient, taskId: string, queueName: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
  } catch (error) {
    if (isAwsError(error, ...SQS_QUEUE_MISSING)) return undefined;
    throw new DynamicSubscriptionError(taskId, 'sqs:GetQueueUrl', error);
  }
}

async function queueArnOf(sqs: SQSClient, taskId: string, queueUrl: string): Promise<string | undefined> {
  try {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    return out.Attributes?.['QueueArn'];
  } catch (error) {
    if (isAwsError(error, ...SQS_QUEUE_MISSING)) return undefined;
    throw new DynamicSubscriptionError(taskId, 'sqs:GetQueueAttributes', error);
  }
}

/**
 * Removes a task's subscription, then its queue. Uses what the mapping recorded, and finds the
 * rest by name (the queue) and by listing the topic's subscriptions (the subscription) when the
 * mapping did not get that far. Every step accepts "already gone", so it can run again, and
 * concurrently with itself.
 *
 * @param services - Clients and topic.
 * @param taskId - The task, for errors.
 * @param known - What the mapping recorded.
 * @returns What was removed.
 * @internal
 */
export async function removeTaskQueue(services: TaskQueueServices, taskId: string, known: KnownTaskQueue): Promise<TaskQueueRemoval> {
  const { sns, sqs, topicArn } = services;
  const queueUrl = known.queueUrl ?? (await queueUrlByName(sqs, taskId, known.queueName));
  const subscriptions = new Set<string>();
  if (known.subscriptionArn !== undefined) subscriptions.add(known.subscriptionArn);
  else if (queueUrl !== undefined) {
    const queueArn = known.queueArn ?? (await queueArnOf(sqs, taskId, queueUrl));
    if (queueArn !== undefined) {
      try {
        for (const arn of await findQueueSubscriptions(sns, topicArn, queueArn)) subscriptions.add(arn);
      } catch (error) {
        // A deleted topic took its subscriptions with it.
        if (!(error instanceof SubscriptionTargetNotFoundError)) throw new DynamicSubscriptionError(taskId, 'sns:ListSubscriptionsByTopic', error);
      }
    }
  }
  for (const subscriptionArn of subscriptions) {
    try {
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    } catch (error) {
      if (!isAwsError(error, ...SNS_NOT_FOUND)) throw new DynamicSubscriptionError(taskId, 'sns:Unsubscribe', error);
    }
  }
  let queueDeleted = false;
  if (queueUrl !== undefined) {
    try {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      queueDeleted = true;
    } catch (error) {
      if (!isAwsError(error, ...SQS_QUEUE_MISSING)) throw new DynamicSubscriptionError(taskId, 'sqs:DeleteQueue', error);
    }
  }
  return { subscriptionsRemoved: [...subscriptions], queueDeleted };
}

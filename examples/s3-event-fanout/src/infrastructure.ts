import { CreateTopicCommand, DeleteTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { subscribeQueue } from '@herald/fanout';
import { CONSUMER_QUEUES, type ConsumerName, type ConsumerQueue } from './consumer-queues.js';

/** A consumer queue the example created and subscribed. */
export interface SubscribedQueue {
  readonly consumer: ConsumerQueue;
  readonly url: string;
  readonly arn: string;
  readonly subscriptionArn: string;
}

/** The topic S3 would publish to, and the subscribed consumer queues. */
export interface FanoutInfrastructure {
  readonly topicArn: string;
  readonly queues: Readonly<Record<ConsumerName, SubscribedQueue>>;
}

/** Something the example created, and how to delete it. */
interface Created {
  readonly name: string;
  readonly remove: () => Promise<unknown>;
}

/** Deletes everything, each deletion attempted; one line per failure. */
async function removeAll(created: readonly Created[]): Promise<string[]> {
  const outcomes = await Promise.allSettled(created.map((c) => c.remove()));
  return outcomes.flatMap((outcome, i) =>
    outcome.status === 'rejected' ? [`${created[i]?.name ?? '?'}: ${String(outcome.reason)}`] : [],
  );
}

function topicDeletion(sns: SNSClient, topicArn: string): Created {
  // Deleting a topic deletes its subscriptions.
  return { name: topicArn, remove: () => sns.send(new DeleteTopicCommand({ TopicArn: topicArn })) };
}

function queueDeletion(sqs: SQSClient, url: string): Created {
  return { name: url, remove: () => sqs.send(new DeleteQueueCommand({ QueueUrl: url })) };
}

/**
 * Creates the topic and one queue per consumer, and subscribes each queue with `subscribeQueue`
 * (filter policy on the message body; the queue policy statement that lets this topic send).
 * If any step fails, what was already created is deleted before the error is thrown.
 *
 * @param sns - A configured SNS client.
 * @param sqs - A configured SQS client (with `endpoint` when a local endpoint is used).
 * @param prefix - Prefix of every name.
 * @returns What was created.
 */
export async function createInfrastructure(sns: SNSClient, sqs: SQSClient, prefix: string): Promise<FanoutInfrastructure> {
  const created: Created[] = [];
  try {
    const topic = await sns.send(new CreateTopicCommand({ Name: `${prefix}-object-events` }));
    const topicArn = topic.TopicArn;
    if (topicArn === undefined) throw new Error('CreateTopic returned no TopicArn');
    created.push(topicDeletion(sns, topicArn));
    const subscribed = await Promise.allSettled(
      CONSUMER_QUEUES.map(async (consumer): Promise<SubscribedQueue> => {
        const made = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${consumer.name}` }));
        const url = made.QueueUrl;
        if (url === undefined) throw new Error(`CreateQueue for ${consumer.name} returned no QueueUrl`);
        created.push(queueDeletion(sqs, url));
        const subscription = await subscribeQueue({
          sns,
          sqs,
          topicArn,
          queueUrl: url,
          filterPolicy: consumer.filterPolicy,
          filterPolicyScope: 'MessageBody',
          raw: consumer.raw,
        });
        return { consumer, url, arn: subscription.queueArn, subscriptionArn: subscription.subscriptionArn };
      }),
    );
    const failure = subscribed.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    const queues = Object.fromEntries(
      subscribed.map((s) => {
        const queue = (s as PromiseFulfilledResult<SubscribedQueue>).value;
        return [queue.consumer.name, queue];
      }),
    ) as Record<ConsumerName, SubscribedQueue>;
    return { topicArn, queues };
  } catch (error) {
    const leftovers = await removeAll(created);
    if (leftovers.length > 0) {
      throw new Error(`Setting up failed (${String(error)}), and these could not be deleted: ${leftovers.join('; ')}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Deletes the topic (and with it the subscriptions) and the queues, every deletion attempted.
 *
 * @param sns - The SNS client.
 * @param sqs - The SQS client.
 * @param infra - What {@link createInfrastructure} made.
 * @returns One line per resource that could not be deleted (empty when all are gone).
 */
export async function deleteInfrastructure(sns: SNSClient, sqs: SQSClient, infra: FanoutInfrastructure): Promise<string[]> {
  return removeAll([topicDeletion(sns, infra.topicArn), ...Object.values(infra.queues).map((q) => queueDeletion(sqs, q.url))]);
}

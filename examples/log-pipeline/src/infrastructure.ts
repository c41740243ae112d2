import { CreateTopicCommand, DeleteTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** A queue the example created. */
export interface Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

/** The topic and the three subscribed queues of the log pipeline. */
export interface PipelineInfrastructure {
  readonly topicArn: string;
  /** Receives only lines whose numeric `status` attribute is ≥ 500. */
  readonly anomalies: Queue;
  /** Receives every line, for search indexing. */
  readonly search: Queue;
  /** Receives every line, for archiving. */
  readonly archive: Queue;
}

/** The filter policy of the anomaly queue: server errors only. */
export const ANOMALY_FILTER_POLICY = { status: [{ numeric: ['>=', 500] }] } as const;

/**
 * The queue policy SNS needs to deliver to a queue: `sqs:SendMessage` for the SNS service
 * principal, only on behalf of the given topic (`aws:SourceArn`), so no other topic or
 * account can write to the queue.
 */
export function snsDeliveryPolicy(queueArn: string, topicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowSnsTopicToSendMessages',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  });
}

async function createSubscribedQueue(
  sns: SNSClient,
  sqs: SQSClient,
  topicArn: string,
  name: string,
  filterPolicy: object | undefined,
  onCreated: (queue: Pick<Queue, 'name' | 'url'>) => void,
): Promise<Queue> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const url = created.QueueUrl;
  if (!url) throw new Error(`CreateQueue for ${name} returned no QueueUrl`);
  // Recorded at once, so the queue is deleted if a later step fails.
  onCreated({ name, url });
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = attributes.Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes for ${name} returned no QueueArn`);
  // The policy names the queue's own ARN, so it is set once the queue exists.
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: snsDeliveryPolicy(arn, topicArn) } }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: arn,
      ReturnSubscriptionArn: true,
      Attributes: {
        RawMessageDelivery: 'true',
        ...(filterPolicy
          ? { FilterPolicy: JSON.stringify(filterPolicy), FilterPolicyScope: 'MessageAttributes' }
          : {}),
      },
    }),
  );
  return { name, url, arn };
}

/** Something the example created, and how to delete it. */
interface Created {
  readonly name: string;
  readonly remove: () => Promise<unknown>;
}

/**
 * Deletes what was created, every deletion attempted even when some fail. Returns one line
 * per deletion that failed (empty when everything is gone).
 */
async function removeAll(created: readonly Created[]): Promise<string[]> {
  const outcomes = await Promise.allSettled(created.map((c) => c.remove()));
  return outcomes.flatMap((outcome, i) =>
    outcome.status === 'rejected' ? [`${created[i]?.name ?? '?'}: ${String(outcome.reason)}`] : [],
  );
}

function queueDeletion(sqs: SQSClient, queue: Pick<Queue, 'name' | 'url'>): Created {
  return { name: queue.name, remove: () => sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url })) };
}

/**
 * Creates the topic and the three queues, with queue policies and subscriptions. If any step
 * fails, what was already created is deleted before the error is thrown.
 */
export async function createInfrastructure(sns: SNSClient, sqs: SQSClient, prefix: string): Promise<PipelineInfrastructure> {
  const created: Created[] = [];
  try {
    const topic = await sns.send(new CreateTopicCommand({ Name: `${prefix}-logs` }));
    const topicArn = topic.TopicArn;
    if (!topicArn) throw new Error('CreateTopic returned no TopicArn');
    created.push({ name: topicArn, remove: () => sns.send(new DeleteTopicCommand({ TopicArn: topicArn })) });
    const make = (suffix: string, filterPolicy?: object): Promise<Queue> =>
      createSubscribedQueue(sns, sqs, topicArn, `${prefix}-${suffix}`, filterPolicy, (queue) =>
        created.push(queueDeletion(sqs, queue)),
      );
    // allSettled: when one queue fails, the others still finish (and are recorded) before cleanup.
    const queues = await Promise.allSettled([make('anomalies', ANOMALY_FILTER_POLICY), make('search'), make('archive')]);
    const failure = queues.find((q): q is PromiseRejectedResult => q.status === 'rejected');
    if (failure) throw failure.reason;
    const [anomalies, search, archive] = queues.map((q) => (q as PromiseFulfilledResult<Queue>).value) as [Queue, Queue, Queue];
    return { topicArn, anomalies, search, archive };
  } catch (error) {
    const leftovers = await removeAll(created);
    if (leftovers.length > 0) {
      throw new Error(`Setting up failed (${String(error)}), and these could not be deleted: ${leftovers.join('; ')}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Deletes what {@link createInfrastructure} made (the subscriptions go with the topic), every
 * deletion attempted. Returns one line per resource that could not be deleted.
 */
export async function deleteInfrastructure(sns: SNSClient, sqs: SQSClient, infra: PipelineInfrastructure): Promise<string[]> {
  return removeAll([
    { name: infra.topicArn, remove: () => sns.send(new DeleteTopicCommand({ TopicArn: infra.topicArn })) },
    ...[infra.anomalies, infra.search, infra.archive].map((queue) => queueDeletion(sqs, queue)),
  ]);
}

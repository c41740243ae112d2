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
  filterPolicy?: object,
): Promise<Queue> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const url = created.QueueUrl;
  if (!url) throw new Error(`CreateQueue for ${name} returned no QueueUrl`);
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

/** Creates the topic and the three queues, with queue policies and subscriptions. */
export async function createInfrastructure(sns: SNSClient, sqs: SQSClient, prefix: string): Promise<PipelineInfrastructure> {
  const topic = await sns.send(new CreateTopicCommand({ Name: `${prefix}-logs` }));
  const topicArn = topic.TopicArn;
  if (!topicArn) throw new Error('CreateTopic returned no TopicArn');
  const [anomalies, search, archive] = await Promise.all([
    createSubscribedQueue(sns, sqs, topicArn, `${prefix}-anomalies`, ANOMALY_FILTER_POLICY),
    createSubscribedQueue(sns, sqs, topicArn, `${prefix}-search`),
    createSubscribedQueue(sns, sqs, topicArn, `${prefix}-archive`),
  ]);
  return { topicArn, anomalies, search, archive };
}

/** Deletes what {@link createInfrastructure} made (the subscriptions go with the topic). */
export async function deleteInfrastructure(sns: SNSClient, sqs: SQSClient, infra: PipelineInfrastructure): Promise<void> {
  await sns.send(new DeleteTopicCommand({ TopicArn: infra.topicArn }));
  await Promise.all(
    [infra.anomalies, infra.search, infra.archive].map((q) => sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }))),
  );
}

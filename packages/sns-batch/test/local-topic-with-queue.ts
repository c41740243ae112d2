import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';

/** Dummy credentials: local-aws never checks signatures. */
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Real SDK v3 clients pointed at one local endpoint. */
export interface LocalClients {
  /** SNS client; its `maxAttempts` is the one given to {@link makeLocalClients}. */
  readonly sns: SNSClient;
  /** SQS client with the SDK's default retries. */
  readonly sqs: SQSClient;
  /** Destroys both. */
  destroy(): void;
}

/**
 * Makes an SNS and an SQS client with `endpoint` set explicitly (the SQS client otherwise sends
 * requests to the host inside `QueueUrl`), region us-east-1 and dummy credentials.
 *
 * @param endpoint - The local endpoint.
 * @param snsMaxAttempts - SDK attempts per SNS call. `1` hands every injected fault to the
 *   publisher, so the publisher's own retries are what is tested.
 */
export function makeLocalClients(endpoint: string, snsMaxAttempts?: number): LocalClients {
  const config = { endpoint, region: 'us-east-1', credentials };
  const sns = new SNSClient(snsMaxAttempts === undefined ? config : { ...config, maxAttempts: snsMaxAttempts });
  const sqs = new SQSClient(config);
  return {
    sns,
    sqs,
    destroy() {
      sns.destroy();
      sqs.destroy();
    },
  };
}

/** A topic and the queue subscribed to it with raw message delivery. */
export interface TopicWithQueue {
  readonly topicArn: string;
  readonly queueUrl: string;
  readonly queueArn: string;
}

/** How to make a {@link TopicWithQueue}. */
export interface TopicWithQueueOptions {
  /** FIFO topic and FIFO queue (names end in `.fifo`). */
  readonly fifo?: boolean;
  /** FIFO topic only: its `ContentBasedDeduplication`. Default `true`. */
  readonly contentBasedDeduplication?: boolean;
}

/**
 * The queue policy SNS needs to deliver to a queue: `sqs:SendMessage` for the SNS service
 * principal, only for the given topic.
 */
function snsDeliveryPolicy(queueArn: string, topicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowTopic',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  });
}

/**
 * Creates a topic (unique name) and a queue subscribed to it with raw message delivery, with
 * the queue policy SNS needs.
 *
 * @param clients - Clients pointed at the local endpoint.
 * @param prefix - Start of the topic and queue names.
 * @param options - FIFO settings.
 */
export async function createTopicWithQueue(
  clients: LocalClients,
  prefix: string,
  options: TopicWithQueueOptions = {},
): Promise<TopicWithQueue> {
  const { sns, sqs } = clients;
  const fifo = options.fifo === true;
  const name = `${prefix}-${randomUUID().slice(0, 8)}${fifo ? '.fifo' : ''}`;
  const topic = await sns.send(
    new CreateTopicCommand({
      Name: name,
      Attributes: fifo
        ? { FifoTopic: 'true', ContentBasedDeduplication: String(options.contentBasedDeduplication ?? true) }
        : {},
    }),
  );
  const topicArn = topic.TopicArn;
  if (topicArn === undefined) throw new Error('CreateTopic returned no TopicArn');
  const queue = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: 'true' } : {} }),
  );
  const queueUrl = queue.QueueUrl;
  if (queueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = attributes.Attributes?.QueueArn;
  if (queueArn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: snsDeliveryPolicy(queueArn, topicArn) } }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return { topicArn, queueUrl, queueArn };
}

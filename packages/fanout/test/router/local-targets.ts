import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { LocalAws } from '@herald/local-aws';
import { randomUUID } from 'node:crypto';


/** Real SDK clients on the local endpoint. */
export interface LocalClients {
  /** For the router: no SDK retries, the batch engine retries (and counts attempts). */
  readonly sns: SNSClient;
  /** For the router: no SDK retries. */
  readonly sqs: SQSClient;
  /** For the router: no SDK retries. */
  readonly eventBridge: EventBridgeClient;
  /** For set-up and draining: the SDK's default retries. */
  readonly admin: { readonly sns: SNSClient; readonly sqs: SQSClient; readonly eventBridge: EventBridgeClient };
  destroy(): void;
}

/** Makes the clients, every one with `endpoint` set explicitly (the SQS client needs it). */
export function makeLocalClients(local: LocalAws): LocalClients {
  const config = local.clientConfig;
  const routerConfig = { ...config, maxAttempts: 1 };
  const all = {
    sns: new SNSClient(routerConfig),
    sqs: new SQSClient(routerConfig),
    eventBridge: new EventBridgeClient(routerConfig),
    admin: { sns: new SNSClient(config), sqs: new SQSClient(config), eventBridge: new EventBridgeClient(config) },
  };
  return {
    ...all,
    destroy() {
      for (const client of [all.sns, all.sqs, all.eventBridge, all.admin.sns, all.admin.sqs, all.admin.eventBridge]) client.destroy();
    },
  };
}

/** A fresh queue name with the given prefix (FIFO names end in `.fifo`). */
export const freshName = (prefix: string, fifo = false): string => `${prefix}-${randomUUID().slice(0, 8)}${fifo ? '.fifo' : ''}`;

/** Creates a queue; returns its URL and ARN. */
export async function createQueue(sqs: SQSClient, name: string): Promise<{ queueUrl: string; queueArn: string }> {
  const fifo = name.endsWith('.fifo');
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' } : {} }));
  const queueUrl = created.QueueUrl;
  if (queueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = attributes.Attributes?.QueueArn;
  if (queueArn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
  return { queueUrl, queueArn };
}

/** Creates a standard topic with a queue subscribed to it (raw delivery, queue policy for the topic). */
export async function createTopicWithQueue(clients: LocalClients, prefix: string): Promise<{ topicArn: string; queueUrl: string }> {
  const { sns, sqs } = clients.admin;
  const name = freshName(prefix);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn;
  if (topicArn === undefined) throw new Error('CreateTopic returned no TopicArn');
  const { queueUrl, queueArn } = await createQueue(sqs, name);
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
  return { topicArn, queueUrl };
}

/** Creates an event bus with a fresh name. */
export async function createBus(eventBridge: EventBridgeClient): Promise<string> {
  const name = freshName('router-bus');
  await eventBridge.send(new CreateEventBusCommand({ Name: name }));
  return name;
}

/** One message taken off a queue. */
export interface Received {
  readonly body: string;
  /** String and Number attribute values by name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** FIFO: the message's group. */
  readonly groupId: string | undefined;
}

/**
 * Receives and deletes everything on a queue, one receive loop, until a receive comes back
 * empty: conclusive once every send has been answered (the local SNS and SQS enqueue before
 * they answer). On a FIFO queue the order is the queue's.
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Received[]> {
  const received: Received[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 300,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return received;
    for (const message of messages) {
      const attributes: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
        if (value.StringValue !== undefined) attributes[name] = value.StringValue;
      }
      received.push({ body: message.Body ?? '', attributes, groupId: message.Attributes?.MessageGroupId });
    }
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
      }),
    );
    if ((deleted.Failed ?? []).length > 0) throw new Error(`DeleteMessageBatch failed on ${queueUrl}`);
  }
}

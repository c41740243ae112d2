import { randomUUID } from 'node:crypto';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  HERALD_QUEUE_POLICY_SID,
  subscribeQueue,
  SubscriptionTargetNotFoundError,
  unsubscribeQueue,
} from '../../src/subscriptions/index.js';
import { localClients, receiveAll } from './local-aws-clients.js';

let local: LocalAws;
let clients: ReturnType<typeof localClients>;
let sns: SNSClient;
let sqs: SQSClient;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  clients = localClients(local);
  ({ sns, sqs } = clients);
});

afterAll(async () => {
  await Promise.allSettled(cleanup.map((c) => c()));
  clients?.destroy();
  await local?.stop();
});

const unique = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

async function createTopic(): Promise<string> {
  const out = await sns.send(new CreateTopicCommand({ Name: unique('herald-sub-topic') }));
  const arn = out.TopicArn ?? '';
  cleanup.push(() => sns.send(new DeleteTopicCommand({ TopicArn: arn })));
  return arn;
}

async function createQueue(policy?: (queueArn: string) => unknown): Promise<{ url: string; arn: string }> {
  const name = unique('herald-sub-queue');
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  cleanup.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? '';
  if (policy) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy(arn)) } }));
  }
  return { url, arn };
}

async function queuePolicy(url: string): Promise<{ Statement: Record<string, unknown>[] } | undefined> {
  const text = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }))).Attributes?.['Policy'];
  return text ? (JSON.parse(text) as { Statement: Record<string, unknown>[] }) : undefined;
}

async function subscriptionsTo(topicArn: string, queueArn: string): Promise<string[]> {
  const out = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  return (out.Subscriptions ?? []).filter((s) => s.Endpoint === queueArn).map((s) => s.SubscriptionArn ?? '');
}

describe('subscribeQueue and unsubscribeQueue against local AWS', () => {
  it('subscribes once per topic, keeps one statement listing both topics and the unrelated statement, and delivers from each', async () => {
    const orders = await createTopic();
    const audit = await createTopic();
    const consumerStatement = (arn: string) => ({
      Sid: 'ConsumerRole',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/consumer' },
      Action: 'sqs:ReceiveMessage',
      Resource: arn,
    });
    const queue = await createQueue((arn) => ({ Version: '2012-10-17', Statement: [consumerStatement(arn)] }));

    const first = await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url, raw: true });
    const second = await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url, raw: true });
    const other = await subscribeQueue({ sns, sqs, topicArn: audit, queueUrl: queue.url, raw: true });
    expect(first).toMatchObject({ status: 'created', queueArn: queue.arn, policyChanged: true });
    expect(second).toEqual({ ...first, status: 'unchanged', policyChanged: false, updatedAttributes: [] });
    expect(other).toMatchObject({ status: 'created', policyChanged: true });

    expect(await subscriptionsTo(orders, queue.arn)).toEqual([first.subscriptionArn]);
    expect(await subscriptionsTo(audit, queue.arn)).toEqual([other.subscriptionArn]);

    const policy = await queuePolicy(queue.url);
    expect(policy?.Statement).toEqual([
      consumerStatement(queue.arn),
      {
        Sid: HERALD_QUEUE_POLICY_SID,
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queue.arn,
        Condition: { ArnEquals: { 'aws:SourceArn': [orders, audit].sort() } },
      },
    ]);

    await sns.send(new PublishCommand({ TopicArn: orders, Message: 'from orders' }));
    await sns.send(new PublishCommand({ TopicArn: audit, Message: 'from audit' }));
    expect((await receiveAll(sqs, queue.url)).sort()).toEqual(['from audit', 'from orders']);
  });

  it('updates the filter policy of the existing subscription, which then filters', async () => {
    const orders = await createTopic();
    const queue = await createQueue();
    const created = await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url, raw: true });
    const filtered = await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url, raw: true, filterPolicy: { kind: ['placed'] } });
    expect(filtered).toMatchObject({ status: 'updated', subscriptionArn: created.subscriptionArn, updatedAttributes: ['FilterPolicy'] });
    const attributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: created.subscriptionArn }))).Attributes;
    expect(JSON.parse(attributes?.['FilterPolicy'] ?? '')).toEqual({ kind: ['placed'] });

    const send = (kind: string) =>
      sns.send(new PublishCommand({ TopicArn: orders, Message: kind, MessageAttributes: { kind: { DataType: 'String', StringValue: kind } } }));
    await send('placed');
    await send('cancelled');
    expect(await receiveAll(sqs, queue.url)).toEqual(['placed']);

    // Body scope, then back to no filter at all.
    const bodyScoped = await subscribeQueue({
      sns,
      sqs,
      topicArn: orders,
      queueUrl: queue.url,
      raw: true,
      filterPolicy: { order: { kind: ['placed'] } },
      filterPolicyScope: 'MessageBody',
    });
    expect(bodyScoped.updatedAttributes).toEqual(['FilterPolicyScope', 'FilterPolicy']);
    await sns.send(new PublishCommand({ TopicArn: orders, Message: JSON.stringify({ order: { kind: 'placed' } }) }));
    await sns.send(new PublishCommand({ TopicArn: orders, Message: JSON.stringify({ order: { kind: 'cancelled' } }) }));
    expect(await receiveAll(sqs, queue.url)).toEqual([JSON.stringify({ order: { kind: 'placed' } })]);

    const unfiltered = await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url, raw: true });
    expect(unfiltered.updatedAttributes).toEqual(['FilterPolicy']);
    const removed = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: created.subscriptionArn }))).Attributes;
    expect(removed?.['FilterPolicy'] ?? '{}').toBe('{}');
    // A JSON body: fauxqs 1.9.2 still applies the removed ({}) policy under MessageBody scope and
    // drops bodies that are not JSON objects; SNS treats {} as no filter policy at all.
    const body = JSON.stringify({ order: { kind: 'cancelled' } });
    await sns.send(new PublishCommand({ TopicArn: orders, Message: body }));
    expect(await receiveAll(sqs, queue.url)).toEqual([body]);
  });

  it('unsubscribeQueue removes both subscriptions, then Herald’s statement, keeping the unrelated one', async () => {
    const orders = await createTopic();
    const audit = await createTopic();
    const unrelated = (arn: string) => ({ Sid: 'Keep', Effect: 'Deny', Principal: '*', Action: 'sqs:DeleteQueue', Resource: arn });
    const queue = await createQueue((arn) => ({ Version: '2012-10-17', Statement: unrelated(arn) }));
    await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url });
    await subscribeQueue({ sns, sqs, topicArn: audit, queueUrl: queue.url });

    const first = await unsubscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url });
    expect(first).toMatchObject({ status: 'removed', policy: 'topic-removed' });
    const second = await unsubscribeQueue({ sns, sqs, topicArn: audit, queueUrl: queue.url });
    expect(second).toMatchObject({ status: 'removed', policy: 'statement-removed' });
    expect(await subscriptionsTo(orders, queue.arn)).toEqual([]);
    expect(await subscriptionsTo(audit, queue.arn)).toEqual([]);
    expect((await queuePolicy(queue.url))?.Statement).toEqual([unrelated(queue.arn)]);

    await sns.send(new PublishCommand({ TopicArn: orders, Message: 'after unsubscribe' }));
    expect(await receiveAll(sqs, queue.url)).toEqual([]);
    expect(await unsubscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url })).toMatchObject({ status: 'unchanged' });
  });

  it('removes the queue policy when Herald’s statement was all of it', async () => {
    const orders = await createTopic();
    const queue = await createQueue();
    await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url });
    expect(await unsubscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url })).toMatchObject({ policy: 'policy-removed' });
    expect(await queuePolicy(queue.url)).toBeUndefined();
  });

  it('unsubscribeQueue for a deleted queue removes its subscription by the ARN taken from the URL, and keeps the others', async () => {
    const orders = await createTopic();
    const queue = await createQueue();
    const other = await createQueue();
    const created = await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url });
    await subscribeQueue({ sns, sqs, topicArn: orders, queueUrl: other.url });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
    // SNS keeps a subscription whose queue is gone.
    expect(await subscriptionsTo(orders, queue.arn)).toEqual([created.subscriptionArn]);

    const result = await unsubscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url });
    expect(result).toEqual({ status: 'removed', removedSubscriptionArns: [created.subscriptionArn], policy: 'queue-missing', queueArn: queue.arn });
    expect(await subscriptionsTo(orders, queue.arn)).toEqual([]);
    expect(await subscriptionsTo(orders, other.arn)).toHaveLength(1);
    expect(await unsubscribeQueue({ sns, sqs, topicArn: orders, queueUrl: queue.url })).toMatchObject({ status: 'unchanged', policy: 'queue-missing' });

    await sns.send(new PublishCommand({ TopicArn: orders, Message: 'still delivered' }));
    const delivered = (await receiveAll(sqs, other.url)).map((body) => (JSON.parse(body) as { Message: string }).Message);
    expect(delivered).toEqual(['still delivered']);
  });

  it('names a missing topic', async () => {
    const queue = await createQueue();
    const missing = `arn:aws:sns:us-east-1:000000000000:${unique('missing')}`;
    await expect(subscribeQueue({ sns, sqs, topicArn: missing, queueUrl: queue.url })).rejects.toBeInstanceOf(SubscriptionTargetNotFoundError);
  });
});

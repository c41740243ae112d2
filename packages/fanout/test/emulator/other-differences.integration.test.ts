/**
 * Differences of fauxqs 1.9.2 from AWS outside the filter-policy conformance cases, listed under
 * "Other differences" in docs/emulator-divergences.md. Each test pins the emulator's behaviour,
 * so the document is corrected when a later version (or local-aws) behaves like AWS.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIVERGENCE_DOC } from './fauxqs-divergences.js';

let local: LocalAws;
let sns: SNSClient;
let sqs: SQSClient;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  const config = { ...local.clientConfig, maxAttempts: 1 };
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
});

afterAll(async () => {
  await Promise.allSettled(cleanup.map((remove) => remove()));
  sns?.destroy();
  sqs?.destroy();
  await local?.stop();
});

/** A topic and a queue whose policy lets `allowedTopicArn(topicArn)` send. */
async function topicAndQueue(allowedTopicArn: (topicArn: string) => string): Promise<{ topicArn: string; queueUrl: string; queueArn: string }> {
  const name = `herald-emulator-other-${randomUUID()}`;
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (topicArn === undefined || queueUrl === undefined) throw new Error('CreateTopic/CreateQueue returned no ARN/URL');
  cleanup.push(
    () => sns.send(new DeleteTopicCommand({ TopicArn: topicArn })),
    () => sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })),
  );
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = attributes.Attributes?.['QueueArn'];
  if (queueArn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': allowedTopicArn(topicArn) } },
      },
    ],
  };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
  return { topicArn, queueUrl, queueArn };
}

/** fauxqs delivers inside Publish (see sns-filter-delivery.integration.test.ts), so no wait is needed. */
async function bodiesIn(queueUrl: string): Promise<(string | undefined)[]> {
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return (received.Messages ?? []).map((m) => m.Body);
}

const doc = (): string => readFileSync(DIVERGENCE_DOC, 'utf8');

it('delivers to a queue whose policy allows only another topic, where AWS would deliver nothing', async () => {
  const { topicArn, queueUrl, queueArn } = await topicAndQueue((arn) => `${arn}-other`);
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }),
  );
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'not allowed by the queue policy' }));
  expect(
    await bodiesIn(queueUrl),
    'fauxqs now enforces queue policies: update "Other differences" in docs/emulator-divergences.md and this test',
  ).toEqual(['not allowed by the queue policy']);
  expect(doc()).toContain('**Queue policies are not enforced.**');
});

it('keeps filtering MessageBody-scope messages after the policy was removed with {}, where AWS delivers everything', async () => {
  const { topicArn, queueUrl, queueArn } = await topicAndQueue((arn) => arn);
  const subscribed = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      ReturnSubscriptionArn: true,
      Attributes: { RawMessageDelivery: 'true', FilterPolicyScope: 'MessageBody', FilterPolicy: '{"kind":["order"]}' },
    }),
  );
  // SNS's way to remove a filter policy: set it to an empty JSON object.
  await sns.send(
    new SetSubscriptionAttributesCommand({ SubscriptionArn: subscribed.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{}' }),
  );
  for (const message of ['plain text, not JSON', '42', '["a JSON array"]', '{"kind":"refund"}']) {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  }
  expect(
    (await bodiesIn(queueUrl)).sort(),
    'fauxqs now treats {} as no filter policy: update "Other differences" in docs/emulator-divergences.md and this test',
  ).toEqual(['["a JSON array"]', '{"kind":"refund"}']);
  expect(doc()).toContain('**A removed filter policy (`{}`) still filters bodies.**');
});

/**
 * fauxqs 1.9.2 does not enforce SQS queue policies on SNS delivery. AWS delivers from a topic
 * to a queue only when the queue policy allows `sqs:SendMessage` from `sns.amazonaws.com` for
 * that topic. This test pins the emulator's behaviour, so that docs/emulator-divergences.md
 * ("Other differences") is corrected when a later version starts enforcing policies.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CreateTopicCommand, DeleteTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
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

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let local: LocalAws;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  const config = { endpoint: local.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
});

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await local?.stop();
});

it('delivers to a queue whose policy allows only another topic, where AWS would deliver nothing', async () => {
  const name = `herald-emulator-policy-${randomUUID()}`;
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (topicArn === undefined || queueUrl === undefined) throw new Error('CreateTopic/CreateQueue returned no ARN/URL');
  try {
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    const queueArn = attributes.Attributes?.['QueueArn'];
    if (queueArn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
    const otherTopicArn = `${topicArn}-other`;
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
          Condition: { ArnEquals: { 'aws:SourceArn': otherTopicArn } },
        },
      ],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'not allowed by the queue policy' }));

    // fauxqs delivers inside Publish (see sns-filter-delivery.integration.test.ts), so no wait is needed.
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    expect(
      (received.Messages ?? []).map((m) => m.Body),
      'fauxqs now enforces queue policies: update "Other differences" in docs/emulator-divergences.md and remove this test',
    ).toEqual(['not allowed by the queue policy']);
    expect(readFileSync(DIVERGENCE_DOC, 'utf8')).toContain('**Queue policies are not enforced.**');
  } finally {
    await Promise.allSettled([
      sns.send(new DeleteTopicCommand({ TopicArn: topicArn })),
      sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })),
    ]);
  }
});

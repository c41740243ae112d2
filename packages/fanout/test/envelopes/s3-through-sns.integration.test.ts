/**
 * S3 event notifications published to an SNS topic reach two SQS queues: one subscribed with
 * raw message delivery (the body is the S3 document) and one without (the body is the SNS
 * envelope around it). Messages are received with the real SQS client, turned into the records
 * Lambda would pass, and unwrapped with core's `unwrapSqsRecord`: both queues must give back
 * exactly the S3 records that were published, and the s3:TestEvent must be recognised as such.
 */
import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, DeleteTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { processSqsBatch, sqsRecordFromMessage, type SqsRecord, unwrapSqsRecord, type UnwrappedSqsRecord } from '@herald/core';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeS3Key, S3_NOTIFICATION_SUBJECT, s3NotificationFixtures, s3TestEvent } from './s3-notifications.js';

let local: LocalAws;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
const queues: Record<'raw' | 'wrapped', { url: string; arn: string }> = {
  raw: { url: '', arn: '' },
  wrapped: { url: '', arn: '' },
};
/** What each queue received, as Lambda records. */
const received: Record<'raw' | 'wrapped', SqsRecord[]> = { raw: [], wrapped: [] };

/** Every published document, in publishing order: the notifications, then the test event. */
const published: readonly object[] = [...s3NotificationFixtures.map((f) => f.notification), s3TestEvent];

async function createSubscribedQueue(kind: 'raw' | 'wrapped'): Promise<void> {
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: `herald-envelopes-${kind}-${randomUUID()}` }));
  if (url === undefined) throw new Error('CreateQueue returned no QueueUrl');
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = attributes.Attributes?.['QueueArn'];
  if (arn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
  queues[kind] = { url, arn };
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: arn,
      Attributes: { RawMessageDelivery: kind === 'raw' ? 'true' : 'false' },
    }),
  );
}

/** Receives until `expected` messages arrived and one more receive is empty (so extras are seen). */
async function receiveAll(kind: 'raw' | 'wrapped', expected: number): Promise<SqsRecord[]> {
  const records: SqsRecord[] = [];
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues[kind].url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: records.length >= expected ? 0 : 1,
        VisibilityTimeout: 300,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = response.Messages ?? [];
    records.push(...messages.map((m) => sqsRecordFromMessage(m, queues[kind].arn)));
    if (messages.length === 0 && (records.length >= expected || Date.now() > deadline)) return records;
  }
}

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  const config = local.clientConfig;
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
  const topic = await sns.send(new CreateTopicCommand({ Name: `herald-envelopes-${randomUUID()}` }));
  if (topic.TopicArn === undefined) throw new Error('CreateTopic returned no TopicArn');
  topicArn = topic.TopicArn;
  await createSubscribedQueue('raw');
  await createSubscribedQueue('wrapped');
  for (const document of published) {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: S3_NOTIFICATION_SUBJECT, Message: JSON.stringify(document) }));
  }
  received.raw = await receiveAll('raw', published.length);
  received.wrapped = await receiveAll('wrapped', published.length);
});

afterAll(async () => {
  await Promise.allSettled([
    topicArn === undefined ? undefined : sns.send(new DeleteTopicCommand({ TopicArn: topicArn })),
    ...Object.values(queues).map((q) => (q.url ? sqs.send(new DeleteQueueCommand({ QueueUrl: q.url })) : undefined)),
  ]);
  sns?.destroy();
  sqs?.destroy();
  await local?.stop();
});

/** The request id that tells the published documents apart. */
function requestIdOf(unwrapped: UnwrappedSqsRecord): string {
  if (unwrapped.kind !== 's3') return `not s3: ${unwrapped.kind}`;
  if (unwrapped.test) return 'test event';
  const first = unwrapped.records[0] as unknown as { responseElements: Record<string, string> };
  return first.responseElements['x-amz-request-id'] ?? '?';
}

function byRequestId(records: readonly SqsRecord[]): Map<string, UnwrappedSqsRecord> {
  return new Map(records.map((record) => {
    const unwrapped = unwrapSqsRecord(record);
    return [requestIdOf(unwrapped), unwrapped];
  }));
}

describe.each(['raw', 'wrapped'] as const)('S3 notifications through SNS to an SQS queue, %s delivery', (kind) => {
  it('delivers each notification once, as a Lambda-shaped record of that queue', () => {
    expect(received[kind]).toHaveLength(published.length);
    for (const record of received[kind]) {
      expect(record.eventSourceARN).toBe(queues[kind].arn);
      expect(record.awsRegion).toBe('us-east-1');
      expect(record.attributes?.ApproximateReceiveCount).toBe('1');
      expect(Number(record.attributes?.SentTimestamp)).toBeGreaterThan(0);
    }
  });

  it('unwraps every notification to exactly the S3 records that were published', () => {
    const unwrapped = byRequestId(received[kind]);
    for (const fixture of s3NotificationFixtures) {
      const requestId = (fixture.notification.Records[0] as { responseElements: Record<string, string> }).responseElements[
        'x-amz-request-id'
      ]!;
      const result = unwrapped.get(requestId);
      expect(result, fixture.name).toBeDefined();
      expect(result!.kind).toBe('s3');
      if (result!.kind !== 's3') continue;
      expect(result!.test).toBe(false);
      expect(result!.records).toEqual(fixture.notification.Records);
      expect(result!.records.map((r) => decodeS3Key(r.s3.object.key))).toEqual(fixture.keys);
      if (kind === 'raw') {
        expect(result!.envelope).toBeUndefined();
      } else {
        expect(result!.envelope).toMatchObject({
          Type: 'Notification',
          TopicArn: topicArn,
          Subject: S3_NOTIFICATION_SUBJECT,
          Message: JSON.stringify(fixture.notification),
        });
      }
    }
  });

  it('recognises the s3:TestEvent: kind s3, test true, no records', () => {
    const result = byRequestId(received[kind]).get('test event');
    expect(result).toBeDefined();
    expect(result).toMatchObject({ kind: 's3', test: true, records: [] });
    if (kind === 'wrapped') expect(result).toMatchObject({ envelope: { Message: JSON.stringify(s3TestEvent) } });
    else expect(result).toMatchObject({ envelope: undefined });
  });

  it('processes the batch with processSqsBatch: every object key read, the test event skipped, nothing failed', async () => {
    const keys: string[] = [];
    let testEvents = 0;
    const response = await processSqsBatch({ Records: received[kind] }, (record) => {
      const unwrapped = unwrapSqsRecord(record);
      if (unwrapped.kind !== 's3') throw new Error(`expected an S3 notification, got ${unwrapped.kind}`);
      if (unwrapped.test) testEvents += 1;
      for (const s3Record of unwrapped.records) keys.push(decodeS3Key(s3Record.s3.object.key));
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(testEvents).toBe(1);
    expect(keys.sort()).toEqual(s3NotificationFixtures.flatMap((f) => f.keys).sort());
  });
});

it('gives the same S3 records from the raw and the wrapped queue', () => {
  const raw = byRequestId(received.raw);
  const wrapped = byRequestId(received.wrapped);
  expect([...raw.keys()].sort()).toEqual([...wrapped.keys()].sort());
  for (const [requestId, fromRaw] of raw) {
    const fromWrapped = wrapped.get(requestId);
    if (fromRaw.kind !== 's3' || fromWrapped?.kind !== 's3') throw new Error(`${requestId} did not unwrap to an S3 notification`);
    expect(fromWrapped.records).toEqual(fromRaw.records);
    expect(fromWrapped.test).toBe(fromRaw.test);
  }
});

import { ConditionalCheckFailedException, CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, PublishBatchCommand, SubscribeCommand, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { makeClients, type SdkClients } from './sdk-clients.js';

let local: LocalAws;
let clients: SdkClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  clients = makeClients(local.endpoint);
});

afterAll(async () => {
  clients.destroy();
  await local.stop();
});

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

async function createQueue(name: string): Promise<{ url: string; arn: string }> {
  const created = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const url = created.QueueUrl ?? '';
  const attributes = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attributes.Attributes?.['QueueArn'] ?? '' };
}

async function drain(queueUrl: string, expected: number): Promise<Message[]> {
  const received: Message[] = [];
  for (let round = 0; round < 20 && received.length < expected; round += 1) {
    const out = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    for (const message of out.Messages ?? []) {
      received.push(message);
      await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    if ((out.Messages ?? []).length === 0) break;
  }
  return received;
}

describe('routing and queue URLs', () => {
  it('returns queue URLs that point back at the front endpoint', async () => {
    const queue = await createQueue(unique('url'));
    expect(queue.url).toMatch(new RegExp(`^${local.endpoint}/000000000000/url-`));
  });

  it('accepts queue URLs with another host but the same /account/name path', async () => {
    const name = unique('hosts');
    await createQueue(name);
    for (const url of [
      `http://localhost:${local.port}/000000000000/${name}`,
      `http://sqs.us-east-1.localhost:${local.port}/000000000000/${name}`,
      `https://sqs.us-east-1.amazonaws.com/000000000000/${name}`,
    ]) {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: url }));
    }
    const received = await drain(`${local.endpoint}/000000000000/${name}`, 3);
    expect(received).toHaveLength(3);
  });

  it('answers an EventBridge action it does not implement with a clear not-implemented error', async () => {
    const response = await fetch(local.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.CreateArchive' },
      body: '{"ArchiveName":"a","EventSourceArn":"arn:aws:events:us-east-1:000000000000:event-bus/default"}',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toContain('UnknownOperationException');
    expect(body.message).toContain('eventbridge CreateArchive is not implemented by tools/local-aws');
  });

  it('rejects a request of no known protocol with an explanation', async () => {
    const response = await fetch(local.endpoint, { method: 'POST', body: 'hello' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('could not tell which service');
  });
});

describe('SNS through fauxqs', () => {
  it('PublishBatch fans out to raw and envelope subscriptions, honouring a filter policy', async () => {
    const topic = await clients.sns.send(new CreateTopicCommand({ Name: unique('logs') }));
    const topicArn = topic.TopicArn ?? '';
    const raw = await createQueue(unique('raw'));
    const envelope = await createQueue(unique('envelope'));
    const errors = await createQueue(unique('errors'));
    await clients.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }),
    );
    await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: envelope.arn }));
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: errors.arn,
        Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ status: [{ numeric: ['>=', 500] }] }) },
      }),
    );

    const statuses = [200, 503, 404, 500];
    const out = await clients.sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: statuses.map((status, index) => ({
          Id: `m${index}`,
          Message: `line ${index} status ${status}`,
          MessageAttributes: { status: { DataType: 'Number', StringValue: String(status) } },
        })),
      }),
    );
    expect(out.Successful?.map((entry) => entry.Id).sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(out.Failed ?? []).toEqual([]);

    const rawMessages = await drain(raw.url, 4);
    expect(rawMessages.map((message) => message.Body).sort()).toEqual(statuses.map((s, i) => `line ${i} status ${s}`).sort());
    expect(rawMessages[0]?.MessageAttributes?.['status']?.DataType).toBe('Number');

    const envelopes = await drain(envelope.url, 4);
    const parsed = envelopes.map((message) => JSON.parse(message.Body ?? '{}') as { Type: string; Message: string; TopicArn: string });
    expect(parsed.every((notification) => notification.Type === 'Notification' && notification.TopicArn === topicArn)).toBe(true);
    expect(parsed.map((notification) => notification.Message).sort()).toEqual(statuses.map((s, i) => `line ${i} status ${s}`).sort());

    const filtered = await drain(errors.url, 2);
    expect(filtered.map((message) => message.Body).sort()).toEqual(['line 1 status 503', 'line 3 status 500']);
  });
});

describe('PublishBatch limits fauxqs lacks', () => {
  let topicArn: string;
  beforeAll(async () => {
    topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: unique('limits') }))).TopicArn ?? '';
  });

  const publish = (entries: PublishBatchRequestEntry[]): Promise<unknown> =>
    clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
  const entry = (id: string, message = 'x'): PublishBatchRequestEntry => ({ Id: id, Message: message });

  it('rejects more than 10 entries', async () => {
    const entries = Array.from({ length: 11 }, (_, index) => entry(`e${index}`));
    await expect(publish(entries)).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequestException' });
  });

  it('rejects duplicate ids', async () => {
    await expect(publish([entry('a'), entry('a')])).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinctException' });
  });

  it('rejects ids outside [A-Za-z0-9_-]{1,80}', async () => {
    await expect(publish([entry('b c')])).rejects.toMatchObject({ name: 'InvalidBatchEntryIdException' });
    await expect(publish([entry('x'.repeat(81))])).rejects.toMatchObject({ name: 'InvalidBatchEntryIdException' });
    await expect(publish([entry('é')])).rejects.toMatchObject({ name: 'InvalidBatchEntryIdException' });
  });

  it('rejects an empty batch', async () => {
    await expect(publish([])).rejects.toMatchObject({ name: 'EmptyBatchRequestException' });
  });

  it('counts body plus attribute name, type and value; 262,144 bytes fit, 262,145 do not', async () => {
    // Each entry: body 131,000 + "attr" (4) + "String" (6) + value.
    const withValue = (id: string, valueBytes: number): PublishBatchRequestEntry => ({
      Id: id,
      Message: 'a'.repeat(131_000),
      MessageAttributes: { attr: { DataType: 'String', StringValue: 'v'.repeat(valueBytes) } },
    });
    const fits = await clients.sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [withValue('one', 62), withValue('two', 62)] }),
    );
    expect(fits.Successful).toHaveLength(2);
    await expect(publish([withValue('one', 62), withValue('two', 63)])).rejects.toMatchObject({
      name: 'BatchRequestTooLongException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('fails an entry with an empty Message instead of dropping it silently (fauxqs would)', async () => {
    const out = await clients.sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [entry('empty', ''), entry('full', 'x')] }),
    );
    expect(out.Successful?.map((e) => e.Id)).toEqual(['full']);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'empty', Code: 'InvalidParameter', SenderFault: true }),
    ]);
  });

  it('counts multi-byte characters as UTF-8 bytes', async () => {
    // 65,536 × "€" = 196,608 bytes, plus 65,537 ASCII bytes = 262,145.
    await expect(publish([entry('euro', '€'.repeat(65_536)), entry('ascii', 'a'.repeat(65_537))])).rejects.toMatchObject({
      name: 'BatchRequestTooLongException',
    });
  });
});

describe('SQS through fauxqs', () => {
  it('sends, receives and deletes a message', async () => {
    const queue = await createQueue(unique('plain'));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'hello' }));
    const received = await drain(queue.url, 1);
    expect(received.map((message) => message.Body)).toEqual(['hello']);
    const again = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 0 }));
    expect(again.Messages ?? []).toEqual([]);
  });

  it('SendMessageBatch delivers every entry', async () => {
    const queue = await createQueue(unique('batch'));
    const out = await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: Array.from({ length: 10 }, (_, index) => ({ Id: `e${index}`, MessageBody: `body ${index}` })),
      }),
    );
    expect(out.Successful).toHaveLength(10);
    const received = await drain(queue.url, 10);
    expect(received.map((message) => message.Body).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `body ${i}`).sort());
  });
});

describe('DynamoDB through DynamoDB Local', () => {
  it('creates a table, puts and gets an item, and fails a conditional put', async () => {
    const tableName = unique('items');
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await clients.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'k1' }, value: { N: '1' } } }));
    const got = await clients.dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'k1' } } }));
    expect(got.Item?.['value']).toEqual({ N: '1' });
    const conditional = clients.dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: 'k1' }, value: { N: '2' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await expect(conditional).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const unchanged = await clients.dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'k1' } } }));
    expect(unchanged.Item?.['value']).toEqual({ N: '1' });
  });
});
